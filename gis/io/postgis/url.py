"""PostGIS URLs: ``postgresql://…#schema.table`` parsed into a connection URL and a table name."""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass

from gis.errors import InputError

__all__ = ["MAX_IDENT_BYTES", "PostgisTarget", "is_postgis_url", "parse_postgis_url"]

_SCHEMES = {"postgresql", "postgres", "postgresql+psycopg"}
#: PostgreSQL truncates longer identifiers (in bytes, not characters).
MAX_IDENT_BYTES = 63
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
            if "\x00" in name or len(name.encode("utf-8")) > MAX_IDENT_BYTES:
                raise _bad_url(
                    url,
                    f"名称“{name}”过长（PostgreSQL 限 63 字节，一个汉字占 3 字节）或含 NUL。",
                    f"name '{name}' is longer than PostgreSQL's 63 bytes (a Chinese character "
                    "takes 3) or contains NUL.",
                )
    elif need_table:
        raise _bad_url(url, "缺少“#模式.表”。", "the '#schema.table' part is missing.")
    return PostgisTarget(parsed.set(drivername="postgresql+psycopg"), schema, table, display)
