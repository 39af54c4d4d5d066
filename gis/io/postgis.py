"""PostGIS tables as inputs and outputs (the server store).

A table is named by a URL with the table in the fragment::

    postgresql://user:password@host:5432/database#schema.table
    postgresql+psycopg://user@host/database#table          (schema "public")
    postgresql://host/db#"my.schema"."地块 2024"             (quoted: dots inside names)

The fragment may be percent-encoded. A part in double quotes may contain dots;
``""`` inside it is one quote. Names are case-sensitive and used verbatim (they
are never folded to lower case as unquoted SQL would).

Identifiers never reach SQL as plain text: statements are composed with
:mod:`psycopg.sql` (``Identifier``) or SQLAlchemy's quoting, and values are
bound as parameters. Connections use psycopg 3 (``postgresql+psycopg``)
through SQLAlchemy: reading is geopandas' ``read_postgis``; writing is pandas'
``to_sql`` with a GeoAlchemy2 geometry column (which also builds the GiST
index) and psycopg's row-wise ``COPY``. geopandas' ``to_postgis`` is not used
for writing because it loads the rows as CSV, where an empty string becomes
NULL. (PostGIS as the tests' oracle for areas, shares and distances lives in
``tests/oracle.py``.)
"""

from __future__ import annotations

import contextlib
import re
import urllib.parse
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from gis.errors import CRSError, InputError, OutputError, ParkgisError
from gis.geodesy.crs import check_crs

__all__ = [
    "PostgisTarget",
    "is_postgis_url",
    "parse_postgis_url",
    "read_postgis_url",
    "write_postgis_url",
]

_SCHEMES = {"postgresql", "postgres", "postgresql+psycopg"}
#: PostgreSQL truncates longer identifiers (in bytes, not characters).
_MAX_IDENT_BYTES = 63
_LOCAL_HOSTS = {"", "localhost", "127.0.0.1", "::1"}


def is_postgis_url(s) -> bool:
    """True when ``s`` is a ``postgresql://`` (or ``postgres://``, ``postgresql+psycopg://``) URL."""
    if not isinstance(s, str):
        return False
    scheme, sep, _ = s.partition("://")
    return bool(sep) and scheme.lower() in _SCHEMES


@dataclass(frozen=True)
class PostgisTarget:
    """A parsed PostGIS URL.

    Attributes
    ----------
    engine_url : sqlalchemy.engine.URL
        Connection URL with the psycopg 3 driver, without the fragment.
    schema : str
        Schema name (``public`` when the fragment names only a table).
    table : str or None
        Table name, None when the URL has no fragment.
    display : str
        The URL with its password masked, for messages.
    """

    engine_url: object
    schema: str
    table: str | None
    display: str

    @property
    def qualified(self) -> str:
        """``schema.table`` as the user would read it (not for SQL)."""
        return f"{self.schema}.{self.table}"

    def same_table(self, other: PostgisTarget) -> bool:
        """Whether both URLs name the same table on the same server."""
        a, b = self.engine_url, other.engine_url

        def host(u) -> str:
            h = (u.host or "").lower()
            return "localhost" if h in _LOCAL_HOSTS else h

        return (
            host(a) == host(b)
            and (a.port or 5432) == (b.port or 5432)
            and a.database == b.database
            and (self.schema, self.table) == (other.schema, other.table)
        )


def _bad_url(url: str, why_zh: str, why_en: str) -> InputError:
    return InputError(
        f"无法解析 PostGIS 地址“{_mask(url)}”：{why_zh}",
        f"Cannot parse the PostGIS URL '{_mask(url)}': {why_en}",
        "格式：postgresql://用户:密码@主机:端口/数据库#模式.表 ；名称含点号时加双引号。",
        'Use postgresql://user:password@host:port/database#schema.table; put a name '
        'that contains a dot in double quotes.',
    )


def _mask(url: str) -> str:
    # Mask the password even in URLs we cannot parse.
    return re.sub(r"(://[^:/@#]*:)[^@/#]*@", r"\1***@", url)


def _split_fragment(url: str, fragment: str) -> list[str]:
    """Split ``schema.table`` honouring double-quoted parts."""
    parts: list[str] = []
    i, n = 0, len(fragment)
    while True:
        if i < n and fragment[i] == '"':
            buf, i = [], i + 1
            while True:
                if i >= n:
                    raise _bad_url(url, "引号未闭合。", "unclosed double quote.")
                if fragment[i] == '"':
                    if i + 1 < n and fragment[i + 1] == '"':
                        buf.append('"')
                        i += 2
                        continue
                    i += 1
                    break
                buf.append(fragment[i])
                i += 1
            part = "".join(buf)
            if i < n and fragment[i] != ".":
                raise _bad_url(url, "引号后应为点号。", "expected '.' after a quoted name.")
        else:
            j = fragment.find(".", i)
            j = n if j < 0 else j
            part, i = fragment[i:j], j
        if not part:
            raise _bad_url(url, "模式名或表名为空。", "empty schema or table name.")
        parts.append(part)
        if i >= n:
            return parts
        i += 1  # skip the dot


def parse_postgis_url(url: str, *, need_table: bool = True) -> PostgisTarget:
    """Parse ``postgresql://…[#schema.table]`` into a :class:`PostgisTarget`.

    Raises
    ------
    InputError
        Not a PostgreSQL URL, or a malformed ``#schema.table`` fragment.
    """
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    if not is_postgis_url(url):
        raise _bad_url(str(url), "不是 postgresql:// 地址。", "not a postgresql:// URL.")
    base, _, fragment = url.partition("#")
    try:
        parsed = make_url(base)
    except (ArgumentError, ValueError):
        # Not the exception's text: SQLAlchemy quotes the whole URL, password included.
        raise _bad_url(url, "格式无效（如端口不是数字）。", "malformed URL (e.g. a non-numeric port).") from None
    display = parsed.render_as_string(hide_password=True)
    schema, table = "public", None
    if fragment:
        display += "#" + fragment
        parts = _split_fragment(url, urllib.parse.unquote(fragment))
        if len(parts) > 2:
            raise _bad_url(url, "“#”后应为 模式.表 或 表。", "expected '#schema.table' or '#table'.")
        schema, table = parts if len(parts) == 2 else ("public", parts[0])
        for name in (schema, table):
            if "\x00" in name or len(name.encode("utf-8")) > _MAX_IDENT_BYTES:
                raise _bad_url(
                    url,
                    f"名称“{name}”过长（PostgreSQL 限 63 字节，一个汉字占 3 字节）或含 NUL。",
                    f"name '{name}' is longer than PostgreSQL's 63 bytes (a Chinese character "
                    "takes 3) or contains NUL.",
                )
    elif need_table:
        raise _bad_url(url, "缺少“#模式.表”。", "the '#schema.table' part is missing.")
    return PostgisTarget(parsed.set(drivername="postgresql+psycopg"), schema, table, display)


# --------------------------------------------------------------------------- connections


def _error(output: bool, zh: str, en: str, hint_zh: str = "", hint_en: str = "") -> ParkgisError:
    cls = OutputError if output else InputError
    return cls(zh, en, hint_zh, hint_en)


def _db_reason(exc: BaseException, target: PostgisTarget) -> str:
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip() or type(orig).__name__
    pw = target.engine_url.password
    if pw:
        text = text.replace(str(pw), "***")
    return text.splitlines()[0] if len(text) > 300 else text


@contextlib.contextmanager
def _connect(target: PostgisTarget, *, output: bool, commit: bool = True) -> Iterator:
    """Yield a SQLAlchemy connection inside a transaction.

    The transaction is committed on success when ``commit``, else rolled back,
    and always rolled back on an error.

    Connection failures, a missing PostGIS extension and database errors become
    bilingual ParkgisErrors with the password masked.
    """
    try:
        import geoalchemy2  # noqa: F401  (the geometry column type)
        import psycopg
        import sqlalchemy as sa
        from sqlalchemy.exc import DBAPIError
    except ImportError as exc:
        raise _error(
            output,
            f"读写 PostGIS 需要额外的 Python 包：{exc.name}。",
            f"Reading or writing PostGIS needs an extra Python package: {exc.name}.",
            "请安装：pip install 'parkgis[postgis]'",
            "Install it with: pip install 'parkgis[postgis]'",
        ) from exc

    engine = sa.create_engine(
        target.engine_url, poolclass=sa.pool.NullPool, connect_args={"connect_timeout": 10}
    )
    try:
        try:
            conn = engine.connect()
        except DBAPIError as exc:
            raise _error(
                output,
                f"无法连接 PostGIS 数据库“{target.display}”：{_db_reason(exc, target)}",
                f"Cannot connect to the PostGIS database '{target.display}': {_db_reason(exc, target)}",
                "请检查主机、端口、数据库名、用户名和密码，以及服务器是否在运行（pg_isready）。",
                "Check host, port, database, user and password, and that the server runs (pg_isready).",
            ) from exc
        with conn:
            try:
                trans = conn.begin()
                try:
                    _require_postgis(conn, target, output)
                    yield conn
                except BaseException:
                    trans.rollback()
                    raise
                if commit:
                    trans.commit()
                else:
                    trans.rollback()
            # psycopg errors come unwrapped from statements run on the driver connection.
            except (DBAPIError, psycopg.Error) as exc:
                raise _error(
                    output,
                    f"PostGIS 数据库“{target.display}”报错：{_db_reason(exc, target)}",
                    f"The PostGIS database '{target.display}' reported an error: {_db_reason(exc, target)}",
                    "请检查数据（例如文本中不允许的 NUL 字符）以及该用户对模式和表的权限。",
                    "Check the data (e.g. NUL characters in text, which PostgreSQL refuses) "
                    "and the user's privileges on the schema and table.",
                ) from exc
    finally:
        engine.dispose()


def _pg(conn):
    """The psycopg connection under a SQLAlchemy connection (same transaction)."""
    return conn.connection.driver_connection


def _require_postgis(conn, target: PostgisTarget, output: bool) -> None:
    row = _pg(conn).execute("SELECT extversion FROM pg_extension WHERE extname = 'postgis'").fetchone()
    if row is None:
        raise _error(
            output,
            f"数据库“{target.display}”未启用 PostGIS 扩展。",
            f"The database '{target.display}' does not have the PostGIS extension.",
            "请数据库管理员执行：CREATE EXTENSION postgis;（服务器需安装 PostGIS，如 apt 包 "
            "postgresql-15-postgis-3）",
            "Ask the database administrator to run: CREATE EXTENSION postgis; (the server needs "
            "PostGIS installed, e.g. the apt package postgresql-15-postgis-3)",
        )


def _relkind(conn, schema: str, table: str) -> str | None:
    row = _pg(conn).execute(
        "SELECT c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s AND c.relname = %s AND c.relkind IN ('r','v','m','p','f')",
        (schema, table),
    ).fetchone()
    return None if row is None else row[0]


def _spatial_tables(conn, limit: int = 40) -> list[str]:
    rows = _pg(conn).execute(
        "SELECT DISTINCT f_table_schema, f_table_name FROM geometry_columns "
        "ORDER BY 1, 2 LIMIT %s",
        (limit + 1,),
    ).fetchall()
    names = [f"{s}.{t}" for s, t in rows[:limit]]
    if len(rows) > limit:
        names.append("…")
    return names


# --------------------------------------------------------------------------- reading


def _crs_from_srid(conn, srid: int, target: PostgisTarget) -> pyproj.CRS:
    row = _pg(conn).execute(
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
    if _relkind(conn, target.schema, target.table) is None:
        tables = _spatial_tables(conn)
        listing = "、".join(tables) if tables else "（无）"
        raise InputError(
            f"数据库“{target.display}”中没有表“{target.qualified}”。可用的空间表：{listing}",
            f"The database '{target.display}' has no table '{target.qualified}'. "
            f"Tables with geometry: {', '.join(tables) if tables else '(none)'}",
            "请检查地址中“#模式.表”部分（名称区分大小写）。",
            "Check the '#schema.table' part of the URL (names are case-sensitive).",
        )
    rows = _pg(conn).execute(
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
    with _connect(target, output=False) as conn:
        geom_col, srid = _geometry_column(conn, target)
        if srid == 0:
            # An unconstrained column: the SRID may still be on the values.
            ident = _qualified_sql(target)
            from psycopg import sql

            found = [r[0] for r in _pg(conn).execute(
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


def _qualified_sql(target: PostgisTarget):
    from psycopg import sql

    return sql.Identifier(target.schema, target.table)


# --------------------------------------------------------------------------- writing


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
    long = [str(c) for c in gdf.columns if len(str(c).encode("utf-8")) > _MAX_IDENT_BYTES]
    if long:
        raise OutputError(
            f"列名超过 PostgreSQL 的 63 字节上限（一个汉字占 3 字节）：{long}",
            f"Column names longer than PostgreSQL's 63 bytes (a Chinese character takes 3): {long}",
            "请先改短列名。",
            "Rename those columns first.",
        )
    geom_col = gdf.geometry.name
    with _connect(target, output=True) as conn:
        pg = _pg(conn)
        if _relkind(conn, target.schema, target.table) is not None:
            if if_exists == "fail":
                raise OutputError(
                    f"表“{target.display}”已存在。",
                    f"The table '{target.display}' already exists.",
                    "请换一个表名，或允许替换。",
                    "Choose another table name, or allow replacing it.",
                )
            # No CASCADE: dropping a planner's views silently would be worse than failing.
            pg.execute(sql.SQL("DROP TABLE {}").format(_qualified_sql(target)))
        pg.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(target.schema)))
        frame, dtype = _prepare_rows(gdf, srid)
        frame.to_sql(target.table, conn, schema=target.schema, if_exists="fail", index=False,
                     dtype=dtype, method=_copy_rows)
        if not _has_gist_index(conn, target, geom_col):
            # Unnamed: PostgreSQL picks a free name that fits its length limit.
            pg.execute(sql.SQL("CREATE INDEX ON {} USING gist ({})").format(
                _qualified_sql(target), sql.Identifier(geom_col)))


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
    with _pg(conn).cursor() as cur:
        with cur.copy(sql.SQL("COPY {} ({}) FROM STDIN").format(name, cols)) as copy:
            for row in rows:
                copy.write_row(row)


def _has_gist_index(conn, target: PostgisTarget, column: str) -> bool:
    row = _pg(conn).execute(
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
