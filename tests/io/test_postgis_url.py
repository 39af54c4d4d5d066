"""Tests of gis/io/postgis/url.py: ``postgresql://…#schema.table`` URLs (no server needed)."""

from __future__ import annotations

import pytest

from gis.errors import InputError
from gis.io.postgis import is_postgis_url, parse_postgis_url


@pytest.mark.parametrize(
    ("url", "schema", "table"),
    [
        ("postgresql://u:pw@h:5432/db#parcels", "public", "parcels"),
        ("postgresql+psycopg://u@h/db#plan.parcels", "plan", "parcels"),
        ("postgres://h/db#规划.地块", "规划", "地块"),
        ('postgresql://h/db#"a.b"."c ""d"""', "a.b", 'c "d"'),
        ("postgresql://h/db#%E8%A7%84%E5%88%92.t%20x", "规划", "t x"),
        ("postgresql://h/db#s.it's", "s", "it's"),
    ],
)
def test_parse_url(url, schema, table):
    t = parse_postgis_url(url)
    assert (t.schema, t.table) == (schema, table)
    assert t.engine_url.drivername == "postgresql+psycopg"


@pytest.mark.parametrize("url", ["postgresql://h/db", "postgresql://h/db#a.b.c", 'postgresql://h/db#"a',
                                 "postgresql://h/db#a..b", "postgresql://h/db#" + "地" * 22])
def test_parse_url_refuses(url):
    with pytest.raises(InputError):
        parse_postgis_url(url)


def test_malformed_url_masks_password():
    with pytest.raises(InputError) as err:
        parse_postgis_url("postgresql://planner:s3cret-pw@host:notaport/db#t")
    assert "s3cret-pw" not in str(err.value) and "planner:***@" in err.value.message_en


def test_is_postgis_url():
    assert is_postgis_url("postgresql://h/db#t")
    assert is_postgis_url("POSTGRES://h/db#t")
    assert is_postgis_url("postgresql+psycopg://h/db#t")
    assert not is_postgis_url("parcels.gpkg")
    assert not is_postgis_url("C:/data/postgresql.gpkg")
    assert not is_postgis_url(None)


@pytest.mark.parametrize("other, same", [
    ("postgresql://u@localhost/db#parcels", True),  # loopback spelt differently, default port and schema
    ("postgresql://u@127.0.0.1:5432/db#public.parcels", True),
    ("postgresql://u@127.0.0.1:5433/db#parcels", False),
    ("postgresql://u@127.0.0.1/other#parcels", False),
    ("postgresql://u@127.0.0.1/db#plan.parcels", False),
])
def test_same_table(other, same):
    assert parse_postgis_url("postgresql://u:pw@127.0.0.1/db#parcels").same_table(parse_postgis_url(other)) is same


def test_display_masks_the_password_and_qualified_names_the_table():
    t = parse_postgis_url("postgresql://planner:s3cret@h/db#规划.地块")
    assert "s3cret" not in t.display and t.display.endswith("#规划.地块")
    assert t.qualified == "规划.地块"
