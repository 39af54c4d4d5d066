"""Tests of gis/io/postgis/write.py: writing tables in one transaction and reading them back, against a real server."""

from __future__ import annotations

import uuid

import pandas as pd
import pytest
import shapely
from postgis_cases import engine, sample_parcels, table_name, table_url

from gis.errors import OutputError
from gis.io.postgis import read_postgis_url, write_postgis_url


@pytest.mark.postgis
def test_round_trip(postgis_url):
    gdf = sample_parcels()
    url = table_url(postgis_url, f"public.{table_name()}")
    write_postgis_url(gdf, url)
    back = read_postgis_url(url)
    assert back.crs.equals(gdf.crs)
    assert list(back.columns) == list(gdf.columns)
    assert back.geometry.name == "geometry"
    pd.testing.assert_frame_equal(
        pd.DataFrame(back.drop(columns="geometry")), pd.DataFrame(gdf.drop(columns="geometry"))
    )
    assert back["employees"].dtype.kind == "i" and back["high_tech"].dtype == bool
    assert shapely.equals_exact(back.geometry.array, gdf.geometry.array, tolerance=0).all()
    assert list(back.geom_type) == ["Polygon", "MultiPolygon", "Polygon"]


@pytest.mark.postgis
def test_write_fail_replace_and_gist_index(postgis_url):
    gdf = sample_parcels()
    table = table_name()
    url = table_url(postgis_url, table)
    write_postgis_url(gdf, url)
    with pytest.raises(OutputError, match="already exists"):
        write_postgis_url(gdf, url)
    write_postgis_url(gdf.iloc[:1], url, if_exists="replace")
    assert len(read_postgis_url(url)) == 1
    with engine(postgis_url).connect() as conn:
        am = conn.exec_driver_sql(
            "SELECT am.amname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_am am ON am.oid = c.relam WHERE i.indrelid = %(t)s::regclass",
            {"t": f"public.{table}"},
        ).scalars().all()
    assert am == ["gist"]


@pytest.mark.postgis
def test_write_refuses_input(postgis_url):
    url = table_url(postgis_url, "public.parcels_in")
    same = postgis_url.replace("127.0.0.1", "localhost").replace("postgresql+psycopg", "postgresql")
    with pytest.raises(OutputError, match="also an input"):
        write_postgis_url(sample_parcels(), url, if_exists="replace", inputs=("a.gpkg", same + "#parcels_in"))


@pytest.mark.postgis
def test_failed_write_leaves_nothing(postgis_url):
    schema, table = table_name("s"), table_name()
    bad = sample_parcels()
    bad["note"] = ["ok", "ok", "nul \x00 byte"]  # PostgreSQL text refuses NUL: COPY fails mid-write
    with pytest.raises(OutputError):
        write_postgis_url(bad, table_url(postgis_url, f"{schema}.{table}"))
    with engine(postgis_url).connect() as conn:
        n = conn.exec_driver_sql(
            "SELECT count(*) FROM pg_namespace WHERE nspname = %(s)s", {"s": schema}
        ).scalar()
    assert n == 0  # not even the schema was created

    # A failed replace keeps the old table.
    url = table_url(postgis_url, table)
    write_postgis_url(sample_parcels(), url)
    with pytest.raises(OutputError):
        write_postgis_url(bad, url, if_exists="replace")
    assert len(read_postgis_url(url)) == 3


@pytest.mark.postgis
def test_quoted_identifiers(postgis_url):
    schema = f"规划 {uuid.uuid4().hex[:4]}"
    table = 'O\'Neil "地块" 2024; DROP TABLE x'
    gdf = sample_parcels()
    gdf["it's \"quoted\" 列"] = ["a", "b", "c"]
    quoted = '"' + schema + '"."' + table.replace('"', '""') + '"'
    url = table_url(postgis_url, quoted)
    write_postgis_url(gdf, url)
    back = read_postgis_url(url)
    assert list(back["it's \"quoted\" 列"]) == ["a", "b", "c"]
    assert len(back) == 3
    # The same table through a percent-encoded fragment.
    from urllib.parse import quote

    assert len(read_postgis_url(table_url(postgis_url, quote(quoted, safe="")))) == 3
    with engine(postgis_url).connect() as conn:
        names = conn.exec_driver_sql(
            "SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema = %(s)s",
            {"s": schema},
        ).all()
        indexes = conn.exec_driver_sql(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = %(s)s", {"s": schema}
        ).scalars().all()
    assert [tuple(r) for r in names] == [(schema, table)]
    assert len(indexes) == 1 and "USING gist" in indexes[0]
