"""Writing a PostGIS table in one transaction: the rows by ``COPY``, a typed geometry column, a GiST index."""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gis.errors import OutputError
from gis.io.postgis.connection import (
    connect,
    driver_connection,
    qualified_identifier,
    relation_kind,
)
from gis.io.postgis.url import (
    MAX_IDENT_BYTES,
    PostgisTarget,
    is_postgis_url,
    parse_postgis_url,
)

__all__ = ["write_postgis_url"]


def write_postgis_url(
    gdf: gpd.GeoDataFrame, url: str, *, if_exists: str = "fail", inputs: Iterable = ()
) -> None:
    """Write ``gdf`` to the PostGIS table named by ``postgresql://…#schema.table``.

    The schema is created when missing. Dropping an old table, creating the new
    one, loading the rows and building the GiST index happen in one transaction:
    a failure leaves the database as it was.

    Parameters
    ----------
    gdf : GeoDataFrame
        Must have a CRS with an EPSG code (it becomes the column's SRID).
    url : str
        Target table.
    if_exists : {"fail", "replace"}
        What to do when the table already exists.
    inputs : iterable
        The command's inputs: writing to a table that is one of them is refused.

    Raises
    ------
    OutputError
        The target is an input, exists with ``if_exists="fail"``, names are too
        long for PostgreSQL, the CRS has no EPSG code, or the database fails.
    """
    from psycopg import sql

    target, srid = _checked_target(gdf, url, if_exists, inputs)
    geom_col = gdf.geometry.name
    with connect(target, output=True) as conn:
        pg = driver_connection(conn)
        if relation_kind(conn, target.schema, target.table) is not None:
            if if_exists == "fail":
                raise OutputError(
                    f"表“{target.display}”已存在。",
                    f"The table '{target.display}' already exists.",
                    "请换一个表名，或允许替换。",
                    "Choose another table name, or allow replacing it.",
                )
            # No CASCADE: dropping a planner's views silently would be worse than failing.
            pg.execute(sql.SQL("DROP TABLE {}").format(qualified_identifier(target)))
        pg.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(target.schema)))
        frame, dtype = _prepare_rows(gdf, srid)
        frame.to_sql(target.table, conn, schema=target.schema, if_exists="fail", index=False,
                     dtype=dtype, method=_copy_rows)
        if not _has_gist_index(conn, target, geom_col):
            # Unnamed: PostgreSQL picks a free name that fits its length limit.
            pg.execute(sql.SQL("CREATE INDEX ON {} USING gist ({})").format(
                qualified_identifier(target), sql.Identifier(geom_col)))


def _checked_target(gdf: gpd.GeoDataFrame, url: str, if_exists: str, inputs: Iterable) -> tuple[PostgisTarget, int]:
    """The target table and the SRID, after refusing what cannot be written before connecting."""
    if if_exists not in ("fail", "replace"):
        raise OutputError(
            f"if_exists 只能是 fail 或 replace，而不是“{if_exists}”。",
            f"if_exists must be 'fail' or 'replace', not '{if_exists}'.",
        )
    target = parse_postgis_url(url)
    for inp in inputs:
        if is_postgis_url(inp) and parse_postgis_url(inp, need_table=False).same_table(target):
            raise OutputError(
                f"输出表“{target.display}”也是输入，拒绝覆盖。",
                f"The output table '{target.display}' is also an input; refusing to overwrite it.",
                "请换一个输出表名。",
                "Choose another output table.",
            )
    srid = None if gdf.crs is None else gdf.crs.to_epsg()
    if srid is None:
        raise OutputError(
            "要写入 PostGIS 的数据没有带 EPSG 代码的坐标系。",
            "The data to write to PostGIS has no CRS with an EPSG code (needed as the SRID).",
            "请用 --to-crs 转换到 EPSG 坐标系，如 EPSG:4326 或 EPSG:4549。",
            "Reproject with --to-crs to an EPSG CRS such as EPSG:4326 or EPSG:4549.",
        )
    long = [str(c) for c in gdf.columns if len(str(c).encode("utf-8")) > MAX_IDENT_BYTES]
    if long:
        raise OutputError(
            f"列名超过 PostgreSQL 的 63 字节上限（一个汉字占 3 字节）：{long}",
            f"Column names longer than PostgreSQL's 63 bytes (a Chinese character takes 3): {long}",
            "请先改短列名。",
            "Rename those columns first.",
        )
    return target, srid


def _prepare_rows(gdf: gpd.GeoDataFrame, srid: int) -> tuple[pd.DataFrame, dict]:
    """A plain frame with the geometry as hex EWKB, and the column types for ``to_sql``."""
    from geoalchemy2 import Geometry

    geom_col = gdf.geometry.name
    geoms = np.asarray(gdf.geometry.array, dtype=object)
    rings = shapely.get_type_id(geoms) == 2  # PostGIS has no LinearRing type
    if rings.any():
        geoms = geoms.copy()
        geoms[rings] = [shapely.LineString(g.coords) for g in geoms[rings]]
    present = geoms[~shapely.is_missing(geoms)]
    types = set(shapely.get_type_id(present).tolist())
    # One declared type when all features share it, else the generic GEOMETRY.
    gtype = shapely.GeometryType(types.pop()).name if len(types) == 1 else "GEOMETRY"
    if shapely.has_z(present).any():
        gtype += "Z"
    frame = pd.DataFrame(gdf).copy()
    frame[geom_col] = shapely.to_wkb(shapely.set_srid(geoms, srid), hex=True, include_srid=True)
    return frame, {geom_col: Geometry(geometry_type=gtype, srid=srid)}


def _copy_rows(table, conn, keys, rows) -> None:
    """A pandas ``to_sql`` method: ``COPY`` the rows with psycopg's own adaptation.

    Unlike CSV, psycopg keeps an empty string and NULL apart.
    """
    from psycopg import sql

    name = (sql.Identifier(table.table.schema, table.table.name) if table.table.schema
            else sql.Identifier(table.table.name))
    cols = sql.SQL(", ").join(sql.Identifier(k) for k in keys)
    with driver_connection(conn).cursor() as cur:
        with cur.copy(sql.SQL("COPY {} ({}) FROM STDIN").format(name, cols)) as copy:
            for row in rows:
                copy.write_row(row)


def _has_gist_index(conn, target: PostgisTarget, column: str) -> bool:
    row = driver_connection(conn).execute(
        "SELECT 1 FROM pg_index i "
        "JOIN pg_class t ON t.oid = i.indrelid "
        "JOIN pg_namespace n ON n.oid = t.relnamespace "
        "JOIN pg_class ic ON ic.oid = i.indexrelid "
        "JOIN pg_am am ON am.oid = ic.relam "
        "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY(i.indkey) "
        "WHERE n.nspname = %s AND t.relname = %s AND a.attname = %s AND am.amname = 'gist'",
        (target.schema, target.table, column),
    ).fetchone()
    return row is not None
