"""Tests of gis/geodesy/offset_crs.py: how a file in GCJ-02/BD-09 says so, and is known again when read."""

from __future__ import annotations

from pathlib import Path

import pyproj
import pytest

from gis.errors import DatumError
from gis.geodesy.offset_crs import (
    offset_columns,
    offset_crs,
    offset_datum_of,
    offset_datum_of_name,
    offset_description,
    offset_note,
    offset_path,
    resolve_datum,
)


@pytest.mark.parametrize("datum, label", [("gcj02", "GCJ-02"), ("bd09", "BD-09")])
def test_offset_crs_is_named_and_has_no_epsg_code(datum, label):
    crs = offset_crs(datum)
    assert crs.is_geographic and crs.to_epsg() is None and crs.to_epsg(min_confidence=1) is None
    assert label in crs.name and "not EPSG:4326" in crs.name and not crs.equals(pyproj.CRS(4326))
    assert offset_datum_of(crs) == datum
    # as GDAL writes it into a Shapefile's .prj and reads it back (ESRI WKT1)
    assert offset_datum_of(pyproj.CRS(crs.to_wkt("WKT1_ESRI"))) == datum


@pytest.mark.parametrize("crs", ["EPSG:4326", "EPSG:4490", "EPSG:4549", None])
def test_true_crs_are_not_offset(crs):
    assert offset_datum_of(crs) is None


def test_resolve_datum():
    g = offset_crs("gcj02")
    assert resolve_datum(g, "wgs84", "x") == "gcj02" and resolve_datum(g, "gcj02", "x") == "gcj02"
    assert resolve_datum("EPSG:4326", "bd09", "x") == "bd09"
    with pytest.raises(DatumError, match="contradicts --datum bd09"):
        resolve_datum(g, "bd09", "x")


@pytest.mark.parametrize("name, datum, written, read", [
    ("parcels.gpkg", "gcj02", "parcels.gcj02.gpkg", "gcj02"),
    ("web.geojson", "bd09", "web.bd09.geojson", "bd09"),
    ("picks_gcj02.geojson", "gcj02", "picks_gcj02.geojson", None),  # named by the user: kept, not recognised
    ("x.gcj02.geojson", "gcj02", "x.gcj02.geojson", "gcj02"),
])
def test_paths(name, datum, written, read):
    assert offset_path(Path("d") / name, datum) == Path("d") / written
    assert offset_datum_of_name(written) == read


def test_lonlat_columns_say_their_datum():
    assert offset_columns(["id", "lon", "LAT", "经度", "x_m"], "gcj02") == {
        "lon": "lon_gcj02", "LAT": "LAT_gcj02", "经度": "经度_gcj02"}
    assert offset_columns(["lon", "lat"], "wgs84") == {}
    assert offset_columns(["lon", "lon_gcj02"], "gcj02") == {}  # never onto an existing name


def test_texts_are_bilingual_and_name_the_datum():
    for text in (offset_description("gcj02"), offset_note("gcj02", "w.gcj02.gpkg")):
        assert "GCJ-02" in text and "EPSG:4326" in text and "/ " in text
    assert "w.gcj02.gpkg" in offset_note("gcj02", "w.gcj02.gpkg")
