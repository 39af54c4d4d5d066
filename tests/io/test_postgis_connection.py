"""Tests of gis/io/postgis/connection.py: the server, failed connections, a database without PostGIS."""

from __future__ import annotations

import pytest
from postgis_cases import engine, sample_parcels, table_name

from gis.errors import InputError, OutputError
from gis.io.postgis import read_postgis_url, write_postgis_url


def test_password_masked_in_messages():
    # Port 1 on loopback: nothing listens, so the connection is refused at once.
    with pytest.raises(InputError) as err:
        read_postgis_url("postgresql://planner:s3cret-pw@127.0.0.1:1/gis#public.parcels")
    text = f"{err.value} {err.value.bilingual()}"
    assert "s3cret-pw" not in text
    assert "planner:***@127.0.0.1:1" in text
    assert "无法连接" in err.value.message_zh and "Cannot connect" in err.value.message_en


@pytest.mark.postgis
def test_server_runs(postgis_server, postgis_url):
    with engine(postgis_url).connect() as conn:
        version = conn.exec_driver_sql("SELECT postgis_full_version()").scalar()
    assert "POSTGIS=" in version
    assert postgis_url.startswith("postgresql+psycopg://") and "@127.0.0.1:" in postgis_url


@pytest.mark.postgis
def test_missing_postgis_extension(postgis_server, postgis_url):
    import psycopg

    db = table_name("plain")
    with psycopg.connect(host="127.0.0.1", port=postgis_server.port, user="parkgis",
                         dbname="postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {db}")
    try:
        url = postgis_url.rsplit("/", 1)[0] + f"/{db}#t"
        with pytest.raises(InputError) as err:
            read_postgis_url(url)
        assert "CREATE EXTENSION postgis" in err.value.hint_en
        with pytest.raises(OutputError):
            write_postgis_url(sample_parcels(), url)
    finally:
        with psycopg.connect(host="127.0.0.1", port=postgis_server.port, user="parkgis",
                             dbname="postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE {db}")
