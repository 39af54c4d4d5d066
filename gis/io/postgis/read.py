"""Reading a PostGIS table: its first geometry column, with the CRS of its SRID."""

from __future__ import annotations

import geopandas as gpd
import pyproj

from gis.errors import CRSError, InputError
from gis.geodesy.crs import check_crs
from gis.io.postgis.connection import (
    connect,
    driver_connection,
    qualified_identifier,
    relation_kind,
    spatial_tables,
)
from gis.io.postgis.url import PostgisTarget, parse_postgis_url

__all__ = ["read_postgis_url"]


def _crs_from_srid(conn, srid: int, target: PostgisTarget) -> pyproj.CRS:
    row = driver_connection(conn).execute(
        "SELECT auth_name, auth_srid, srtext, proj4text FROM spatial_ref_sys WHERE srid = %s",
        (srid,),
    ).fetchone()
    candidates = []
    if row is not None:
        auth, code, wkt, proj4 = row
        if auth and code:
            candidates.append(f"{auth}:{code}")
        candidates += [wkt, proj4]
    for cand in candidates:
        if cand:
            try:
                return pyproj.CRS.from_user_input(cand)
            except pyproj.exceptions.CRSError:
                continue
    raise CRSError(
        f"表“{target.qualified}”的 SRID {srid} 不在 spatial_ref_sys 中或无法识别。",
        f"The SRID {srid} of table '{target.qualified}' is not in spatial_ref_sys or not understood.",
        "请用 --assume-crs 指定坐标系，或在数据库中修正 SRID（UpdateGeometrySRID）。",
        "Pass --assume-crs, or fix the SRID in the database (UpdateGeometrySRID).",
    )


def _geometry_column(conn, target: PostgisTarget) -> tuple[str, int]:
    """Return (geometry column, SRID) of the target table; refuse missing tables."""
    if relation_kind(conn, target.schema, target.table) is None:
        tables = spatial_tables(conn)
        listing = "、".join(tables) if tables else "（无）"
        raise InputError(
            f"数据库“{target.display}”中没有表“{target.qualified}”。可用的空间表：{listing}",
            f"The database '{target.display}' has no table '{target.qualified}'. "
            f"Tables with geometry: {', '.join(tables) if tables else '(none)'}",
            "请检查地址中“#模式.表”部分（名称区分大小写）。",
            "Check the '#schema.table' part of the URL (names are case-sensitive).",
        )
    rows = driver_connection(conn).execute(
        "SELECT g.f_geometry_column, g.srid FROM geometry_columns g "
        "JOIN pg_namespace n ON n.nspname = g.f_table_schema "
        "JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = g.f_table_name "
        "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = g.f_geometry_column "
        "WHERE g.f_table_schema = %s AND g.f_table_name = %s ORDER BY a.attnum",
        (target.schema, target.table),
    ).fetchall()
    if not rows:
        raise InputError(
            f"表“{target.qualified}”没有 geometry 类型的列。",
            f"Table '{target.qualified}' has no column of type geometry.",
            "geography 列请先建视图转换：CREATE VIEW … AS SELECT *, geog::geometry AS geom …",
            "For a geography column, create a view that casts it: … geog::geometry AS geom.",
        )
    # Several geometry columns: the first one in table order is the feature geometry.
    return rows[0][0], int(rows[0][1] or 0)


def read_postgis_url(url: str, *, assume_crs: str | None = None) -> gpd.GeoDataFrame:
    """Read a PostGIS table named by ``postgresql://…#schema.table``.

    Parameters
    ----------
    url : str
        See the module docstring.
    assume_crs : str, optional
        CRS to use when the table's SRID is 0 (undefined); ignored otherwise.

    Returns
    -------
    GeoDataFrame
        All columns of the table; the geometry column is the table's first
        geometry column; the CRS comes from its SRID.

    Raises
    ------
    InputError
        Connection failure, missing PostGIS extension, missing table (the
        message lists the tables that have geometry), no geometry column.
    CRSError
        SRID 0 without ``assume_crs``, or mixed SRIDs.
    """
    import sqlalchemy as sa

    target = parse_postgis_url(url)
    with connect(target, output=False) as conn:
        geom_col, srid = _geometry_column(conn, target)
        if srid == 0:
            # An unconstrained column: the SRID may still be on the values.
            ident = qualified_identifier(target)
            from psycopg import sql

            found = [r[0] for r in driver_connection(conn).execute(
                sql.SQL("SELECT DISTINCT ST_SRID({}) FROM {} WHERE {} IS NOT NULL LIMIT 3").format(
                    sql.Identifier(geom_col), ident, sql.Identifier(geom_col))
            ).fetchall()]
            if len(found) > 1:
                raise CRSError(
                    f"表“{target.qualified}”的几何混用了多个 SRID：{found}。",
                    f"Table '{target.qualified}' mixes several SRIDs: {found}.",
                    "请在数据库中统一 SRID（ST_Transform / ST_SetSRID）。",
                    "Make the SRIDs uniform in the database (ST_Transform / ST_SetSRID).",
                )
            srid = found[0] if found else 0
        if srid == 0:
            crs = check_crs(None, f"{target.display} (SRID 0)", assume_crs)
        else:
            crs = _crs_from_srid(conn, srid, target)
        # A SQLAlchemy select quotes the names itself (also for pandas' driver escaping).
        query = sa.select(sa.text("*")).select_from(sa.table(target.table, schema=target.schema))
        gdf = gpd.read_postgis(query, conn, geom_col=geom_col, crs=crs)
    return gdf
