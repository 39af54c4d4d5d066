"""Connections to a PostGIS database: one transaction, bilingual errors, the catalogue queries both ways share."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from gis.errors import InputError, OutputError, ParkgisError
from gis.io.postgis.url import PostgisTarget

__all__ = ["connect", "driver_connection", "qualified_identifier", "relation_kind", "spatial_tables"]


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
def connect(target: PostgisTarget, *, output: bool, commit: bool = True) -> Iterator:
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


def driver_connection(conn):
    """The psycopg connection under a SQLAlchemy connection (same transaction)."""
    return conn.connection.driver_connection


def _require_postgis(conn, target: PostgisTarget, output: bool) -> None:
    row = driver_connection(conn).execute(
        "SELECT extversion FROM pg_extension WHERE extname = 'postgis'").fetchone()
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


def relation_kind(conn, schema: str, table: str) -> str | None:
    """The ``pg_class.relkind`` of a table, view or foreign table (``'r'``, ``'v'``…); None when there is none."""
    row = driver_connection(conn).execute(
        "SELECT c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s AND c.relname = %s AND c.relkind IN ('r','v','m','p','f')",
        (schema, table),
    ).fetchone()
    return None if row is None else row[0]


def spatial_tables(conn, limit: int = 40) -> list[str]:
    """``schema.table`` of the tables with a geometry column (at most ``limit``, then "…"), for messages."""
    rows = driver_connection(conn).execute(
        "SELECT DISTINCT f_table_schema, f_table_name FROM geometry_columns "
        "ORDER BY 1, 2 LIMIT %s",
        (limit + 1,),
    ).fetchall()
    names = [f"{s}.{t}" for s, t in rows[:limit]]
    if len(rows) > limit:
        names.append("…")
    return names


def qualified_identifier(target: PostgisTarget):
    """The target's ``schema.table`` as a quoted SQL identifier (never plain text)."""
    from psycopg import sql

    return sql.Identifier(target.schema, target.table)
