"""Tests of gis/io/postgis/read.py: reading tables, their geometry column and SRID, against a real server."""

from __future__ import annotations

import pytest
from postgis_cases import engine, sample_parcels, table_name, table_url

from gis.errors import CRSError, InputError
from gis.io.postgis import read_postgis_url, write_postgis_url


@pytest.mark.postgis
def test_missing_table_lists_tables(postgis_url):
    table = table_name("known")
    write_postgis_url(sample_parcels(), table_url(postgis_url, table))
    with pytest.raises(InputError) as err:
        read_postgis_url(table_url(postgis_url, "public.no_such_table"))
    assert "public.no_such_table" in err.value.message_en
    assert f"public.{table}" in err.value.message_en
    assert f"public.{table}" in err.value.message_zh and "没有表" in err.value.message_zh


@pytest.mark.postgis
def test_srid_0_needs_assume_crs(postgis_url):
    table = table_name("nosrid")
    with engine(postgis_url).begin() as conn:
        conn.exec_driver_sql(f"CREATE TABLE {table} (id int, geom geometry)")
        conn.exec_driver_sql(
            f"INSERT INTO {table} VALUES (1, ST_GeomFromText('POINT(121.5 31.6)'))"
        )
    url = table_url(postgis_url, table)
    with pytest.raises(CRSError) as err:
        read_postgis_url(url)
    assert "--assume-crs" in err.value.hint_en and "--assume-crs" in err.value.hint_zh
    gdf = read_postgis_url(url, assume_crs="EPSG:4326")
    assert gdf.crs.to_epsg() == 4326 and gdf.geometry.name == "geom"


@pytest.mark.postgis
def test_srid_on_values_of_generic_column(postgis_url):
    table = table_name("generic")
    with engine(postgis_url).begin() as conn:
        conn.exec_driver_sql(f"CREATE TABLE {table} (id int, geom geometry)")
        conn.exec_driver_sql(
            f"INSERT INTO {table} VALUES (1, ST_GeomFromText('POINT(500000 3500000)', 4549))"
        )
    assert read_postgis_url(table_url(postgis_url, table)).crs.to_epsg() == 4549
