"""Tests of gis/io/coordtxt/geometry.py: features from the points (rings, holes, parts), and their checks."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from coordtxt_samples import DATA, SITES, header, lonlat_error_m, samples, write

from gis.errors import InputError
from gis.io.coordtxt import read_coordtxt
from gis.io.coordtxt.geometry import build_blocks
from gis.io.coordtxt.text import parse_text


def test_two_blocks_one_with_a_hole():
    gdf, warnings = read_coordtxt(DATA / "two_blocks_hole.txt")
    assert warnings == []
    assert gdf["block_id"].tolist() == ["B-01", "B-02"]
    holed, plain = gdf.geometry
    assert holed.geom_type == "Polygon" and len(holed.interiors) == 1 and len(plain.interiors) == 0
    assert lonlat_error_m(gdf.iloc[[0]], SITES["holed"]) < 0.001
    assert gdf["area_ha"].tolist() == pytest.approx((gdf.geometry.area / 1e4).tolist(), abs=1e-4)
    assert gdf["use"].tolist() == ["工业用地", "仓储用地"]


def test_validation_messages_name_their_lines():
    gdf, warnings = read_coordtxt(DATA / "validation.txt")
    assert len(gdf) == 4 and len(warnings) == 4
    count, area, unclosed, selfint = warnings
    assert count.startswith("第 13 行") and "Line 13" in count and "9" in count and "5" in count
    assert area.startswith("第 19 行") and "Line 19" in area and "ha" in area and "公顷" in area
    assert unclosed.startswith("第 29 行") and "not closed" in unclosed and "未闭合" in unclosed
    assert selfint.startswith("第 30 行") and "Self-intersection" in selfint and "修复" in selfint
    assert gdf["geometry_repaired"].tolist() == [False, False, False, True]
    assert shapely.is_valid(gdf.geometry.to_numpy()).all()
    # the unclosed ring was closed and the block is the full site
    assert lonlat_error_m(gdf.iloc[[2]], SITES["west"]) < 0.001


def test_area_within_one_percent_is_quiet(tmp_path):
    ring = samples.project(SITES["west"][0], 40)
    text = header() + samples.block([ring], zone=40, bid="Q", name="q", area=samples.area_ha([ring]) * 1.009)
    assert read_coordtxt(write(tmp_path, text))[1] == []


def test_area_in_square_metres_is_recognised(tmp_path):
    ring = samples.project(SITES["west"][0], 40)
    text = header() + samples.block([ring], zone=40, bid="Q", name="q", area=samples.area_ha([ring]) * 1e4)
    (w,) = read_coordtxt(write(tmp_path, text))[1]
    assert "平方米" in w and "m²" in w


def test_point_count_without_closing_points_is_accepted(tmp_path):
    ring = samples.project(SITES["west"][0], 40)
    text = header() + samples.block([ring], zone=40, bid="Q", name="q", n_points=4)
    assert read_coordtxt(write(tmp_path, text))[1] == []


def _blocks(body: str):
    """Build the blocks of a coordinate section given as ``点号,圈号,北,东`` lines (X north, Y east)."""
    p = parse_text("[地块坐标]\n" + body, "g.txt")
    notes: list = []
    gdf = build_blocks(p, np.asarray(p.x), np.asarray(p.y), notes)
    return gdf, [msg for _, msg in notes]


def _ring(k: int, ring_no: int, north: float, east: float, size: float) -> str:
    corners = [(north, east), (north, east + size), (north + size, east + size), (north + size, east), (north, east)]
    return "".join(f"J{k + i},{ring_no},{n},{e}\n" for i, (n, e) in enumerate(corners))


@pytest.mark.parametrize("rings, wkt", [
    # 圈号 2 inside 圈号 1: a hole
    (_ring(1, 1, 0, 0, 100) + _ring(6, 2, 20, 20, 10),
     "POLYGON ((0 0, 100 0, 100 100, 0 100, 0 0), (20 20, 30 20, 30 30, 20 30, 20 20))"),
    # 圈号 2 beside 圈号 1: a further part
    (_ring(1, 1, 0, 0, 10) + _ring(6, 2, 0, 50, 10),
     "MULTIPOLYGON (((0 0, 10 0, 10 10, 0 10, 0 0)), ((50 0, 60 0, 60 10, 50 10, 50 0)))"),
    # an island inside the hole: a further part too
    (_ring(1, 1, 0, 0, 100) + _ring(6, 2, 20, 20, 60) + _ring(11, 3, 40, 40, 10),
     "MULTIPOLYGON (((0 0, 100 0, 100 100, 0 100, 0 0), (20 20, 80 20, 80 80, 20 80, 20 20)),"
     " ((40 40, 50 40, 50 50, 40 50, 40 40)))"),
])
def test_rings_nest_into_holes_and_parts(rings, wkt):
    gdf, _ = _blocks("0,,P,p,面,@\n" + rings)
    assert shapely.normalize(gdf.geometry.iloc[0]).equals(shapely.normalize(shapely.from_wkt(wkt)))


@pytest.mark.parametrize("shape, wkt", [
    ("线", "MULTILINESTRING ((0 0, 10 0, 10 10))"),
    ("点", "MULTIPOINT ((0 0), (10 0), (10 10))"),
])
def test_line_and_point_blocks(shape, wkt):
    gdf, notes = _blocks(f"3,,L,l,{shape},@\nJ1,1,0,0\nJ2,1,0,10\nJ3,1,10,10\n")
    assert gdf.geometry.iloc[0].equals(shapely.from_wkt(wkt)) and notes == []


def test_a_bow_tie_is_repaired_and_says_where():
    gdf, (note,) = _blocks("5,,B,b,面,@\nJ1,1,0,0\nJ2,1,10,10\nJ3,1,0,10\nJ4,1,10,0\nJ1,1,0,0\n")
    assert gdf["geometry_repaired"].tolist() == [True] and gdf.geometry.is_valid.all()
    assert "X=5.000, Y=5.000" in note and "repaired" in note


def test_a_ring_of_two_points_is_refused():
    with pytest.raises(InputError, match="fewer than 3"):
        _blocks("2,,S,s,面,@\nJ1,1,0,0\nJ2,1,0,10\n")
