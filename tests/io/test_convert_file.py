"""gis.io.convert_file: one file to another (format, CRS, datum, encoding), TXT included, as a function."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pyproj
import pytest
import shapely

from gis.errors import DatumError, OutputError
from gis.io.convert_file import (
    Conversion,
    OptionConflict,
    conversion_lines,
    convert_file,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "coordtxt"
# A 400 m × 390 m block near the Chongming Industrial Park, lon/lat (west of 121.5° E: zone 40).
WEST = "POLYGON ((121.400 31.620, 121.404 31.620, 121.404 31.6235, 121.400 31.6235, 121.400 31.620))"


@pytest.fixture
def lonlat_file(tmp_path):
    path = tmp_path / "site.gpkg"
    gpd.GeoDataFrame({"block_id": ["D-01"]}, geometry=[shapely.from_wkt(WEST)], crs=4326).to_file(path)
    return path


def test_txt_to_geojson_is_lonlat_and_says_so(tmp_path):
    notes = []
    c = convert_file(DATA / "one_block_gbk_crlf.txt", tmp_path / "s.geojson", on_note=notes.append)
    assert isinstance(c, Conversion) and c.features == 1 and c.shift is None and notes == c.notes == []
    assert c.crs_in.to_epsg() == 4549 and c.crs_out.to_epsg() == 4326
    assert c.boundary_file["zone"] == 40 and c.boundary_file["width"] == 3
    lines = conversion_lines(c)
    assert lines[0].startswith("已转换 1 个要素：") and "converted 1 features" in lines[0]
    assert lines[1].startswith("  界址点文件 boundary-coordinate file: ")
    assert lines[-2] == ("  坐标系 CRS: EPSG:4549 (CGCS2000 / 3-degree Gauss-Kruger CM 120E) → "
                         "EPSG:4326 (WGS 84)")
    assert lines[-1] == "  基准不变 no datum shift (wgs84)"


def test_datum_shift_and_projection(tmp_path, lonlat_file):
    c = convert_file(lonlat_file, tmp_path / "gcj.gpkg", to_datum="GCJ02")
    assert c.shift == "wgs84 → gcj02" and conversion_lines(c)[-1] == "  基准转换 datum shift: wgs84 → gcj02"
    assert c.out == str(tmp_path / "gcj.gcj02.gpkg")  # the name says the datum (DESIGN §7)
    moved = gpd.read_file(c.out).geometry.iloc[0]
    offset = shapely.distance(shapely.centroid(moved), shapely.centroid(shapely.from_wkt(WEST)))
    assert 0.003 < offset < 0.01  # ≈ 0.5 km, in degrees
    c = convert_file(lonlat_file, tmp_path / "gk.gpkg", to_crs="EPSG:4549")
    assert c.crs_out.equals(pyproj.CRS("EPSG:4549"))


def test_vector_to_txt_notes_an_ignored_zone_only_for_other_outputs(tmp_path, lonlat_file):
    notes = []
    convert_file(lonlat_file, tmp_path / "o.gpkg", zone=41, on_note=notes.append)
    assert notes == ["--zone 仅用于 .txt 输出，已忽略。 / --zone applies to a .txt output only; ignored."]
    c = convert_file(lonlat_file, tmp_path / "o.txt", zone=41, zone_prefix=False)
    assert c.crs_out.to_epsg() == 4550 and c.notes == []
    assert "带号=41" in (tmp_path / "o.txt").read_bytes().decode("gbk")


@pytest.mark.parametrize("kwargs, error", [
    ({"datum": "gcj02"}, DatumError),  # plane coordinates cannot be GCJ-02
    ({"to_datum": "bd09", "out": "o.txt"}, DatumError),  # the TXT format holds CGCS2000 only
    ({"to_crs": "EPSG:4326", "out": "o.txt"}, OptionConflict),  # a TXT output's CRS is its zone's
    ({"to_datum": "gcj02", "to_crs": "EPSG:4549"}, DatumError),  # GCJ-02 exists only as lon/lat
])
def test_impossible_requests_are_refused_before_writing(tmp_path, kwargs, error):
    out = tmp_path / kwargs.pop("out", "o.gpkg")
    with pytest.raises(error):
        convert_file(DATA / "one_block_gbk_crlf.txt", out, **kwargs)
    assert not out.exists()


def test_helmert_only_for_a_txt_input_and_never_over_the_input(tmp_path, lonlat_file):
    with pytest.raises(OptionConflict, match="--helmert"):
        convert_file(lonlat_file, tmp_path / "o.gpkg", helmert="1,2,3,4")
    with pytest.raises(OutputError, match="refusing to overwrite"):
        convert_file(lonlat_file, lonlat_file)
