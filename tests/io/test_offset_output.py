"""Tests of gis/io/offset_output.py: an offset datum written on purpose says so; the TXT writer refuses one."""

from __future__ import annotations

import json

import geopandas as gpd
import pyogrio
import pytest
import shapely

from gis.errors import DatumError, OutputError
from gis.geodesy.datums import convert_geometries
from gis.geodesy.offset_crs import offset_crs
from gis.io.coordtxt import write_coordtxt
from gis.io.offset_output import to_offset_datum, write_in_datum
from gis.io.vector import read_vector


@pytest.fixture
def parcels():
    return gpd.GeoDataFrame({"parcel_id": ["a"]}, geometry=[shapely.box(121.50, 31.60, 121.51, 31.61)], crs=4326)


def test_to_offset_datum_shifts_and_relabels(parcels):
    out = to_offset_datum(parcels.to_crs(4549), "gcj02")  # any true CRS in
    assert out.crs.to_epsg() is None and "GCJ-02" in out.crs.name
    want = convert_geometries(parcels.geometry.to_numpy(), "wgs84", "gcj02")[0]
    assert shapely.hausdorff_distance(out.geometry.iloc[0], want) < 1e-8


@pytest.mark.parametrize("suffix", [".gpkg", ".geojson", ".shp", ".fgb", ".parquet", ".csv"])
def test_written_in_gcj02_says_so_and_reads_back_as_gcj02(tmp_path, parcels, suffix):
    p = write_in_datum(parcels, tmp_path / f"web{suffix}", "gcj02")
    assert p == tmp_path / f"web.gcj02{suffix}" and p.exists()
    back = read_vector(p, assume_crs="EPSG:4326" if suffix == ".csv" else None)
    assert back.crs.to_epsg() is None and "GCJ-02" in back.crs.name  # never an EPSG label on offset coordinates
    want = convert_geometries(parcels.geometry.to_numpy(), "wgs84", "gcj02")[0]
    assert shapely.hausdorff_distance(back.geometry.iloc[0], want) < 1e-7


def test_descriptions(tmp_path, parcels):
    assert "GCJ-02" in pyogrio.read_info(write_in_datum(parcels, tmp_path / "a.gpkg", "gcj02"))[
        "layer_metadata"]["DESCRIPTION"]
    doc = json.loads(write_in_datum(parcels, tmp_path / "a.geojson", "bd09").read_text(encoding="utf-8"))
    assert doc["description"].startswith("BD-09")


def test_wgs84_is_written_as_it_is(tmp_path, parcels):
    p = write_in_datum(parcels, tmp_path / "plain.gpkg")
    assert p == tmp_path / "plain.gpkg" and read_vector(p).crs.to_epsg() == 4326


def test_refusals(tmp_path, parcels):
    with pytest.raises(DatumError):
        write_in_datum(parcels, tmp_path / "x.txt", "gcj02")
    with pytest.raises(OutputError):
        write_in_datum(parcels, "postgresql://u@h/db#s.t", "gcj02")
    assert not list(tmp_path.iterdir())


def test_txt_writer_refuses_offset_coordinates(tmp_path, parcels):
    """Offset lon/lat projected to Gauss–Krüger would be a mislabelled CGCS2000 file."""
    shifted = parcels.set_geometry(convert_geometries(parcels.geometry.to_numpy(), "wgs84", "gcj02"),
                                   crs=offset_crs("gcj02"))
    with pytest.raises(DatumError, match="GCJ02"):
        write_coordtxt(shifted, tmp_path / "x.txt")
    assert not (tmp_path / "x.txt").exists()
