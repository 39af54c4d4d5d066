"""Tests of gis/io/coordtxt/write.py: features written in a CGCS2000 3° zone, and read back."""

from __future__ import annotations

import os

import geopandas as gpd
import numpy as np
import pytest
import shapely
from coordtxt_samples import DATA, GEOD, SITES, lonlat_error_m

from gis.errors import OutputError
from gis.io.coordtxt import output_zone, read_coordtxt, write_coordtxt


def test_round_trip_reproduces_coordinates(tmp_path):
    gdf, _ = read_coordtxt(DATA / "two_blocks_hole.txt")
    out = tmp_path / "out.txt"
    assert write_coordtxt(gdf, out) == []
    raw = out.read_bytes()
    assert b"\r\n" in raw and "含保留建筑地块".encode("gbk") in raw
    back, warnings = read_coordtxt(out)
    assert warnings == []
    assert back.crs.equals(gdf.crs)
    a = shapely.get_coordinates(gdf.geometry.to_numpy())
    b = shapely.get_coordinates(back.geometry.to_numpy())
    assert np.abs(a - b).max() < 0.001
    for col in ("block_id", "name", "use", "land_class", "n_points"):
        assert back[col].tolist() == gdf[col].tolist()
    assert back["area_ha"].tolist() == pytest.approx(gdf["area_ha"].tolist(), abs=1e-4)
    assert back.attrs["coordtxt"]["数据产生单位"] == gdf.attrs["coordtxt"]["数据产生单位"]


def test_round_trip_from_lonlat_within_a_millimetre(tmp_path):
    polys = [shapely.Polygon(r[0], r[1:]) for r in (SITES["west"], SITES["holed"])]
    gdf = gpd.GeoDataFrame({"parcel_id": ["P1", "P2"], "name_zh": ["甲", "乙"]}, geometry=polys, crs=4490)
    out = tmp_path / "ll.txt"
    write_coordtxt(gdf, out, encoding="utf-8", prefix_zone=False)
    back, warnings = read_coordtxt(out)
    assert warnings == [] and back.crs.to_epsg() == 4549
    assert back["block_id"].tolist() == ["P1", "P2"] and back["name"].tolist() == ["甲", "乙"]
    a = shapely.get_coordinates(gdf.geometry.to_numpy())
    b = shapely.get_coordinates(back.to_crs(4490).geometry.to_numpy())
    assert np.max(GEOD.inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])[2]) < 0.001


def test_multipolygon_with_island_in_hole_round_trips(tmp_path):
    big = shapely.box(632000, 3500000, 633000, 3501000).difference(shapely.box(632200, 3500200, 632800, 3500800))
    island = shapely.box(632400, 3500400, 632600, 3500600)
    far = shapely.box(634000, 3500000, 634100, 3500100)
    geom = shapely.MultiPolygon([big, island, far])
    gdf = gpd.GeoDataFrame({"block_id": ["M"]}, geometry=[geom], crs=4549)
    out = tmp_path / "m.txt"
    write_coordtxt(gdf, out)
    back, warnings = read_coordtxt(out)
    assert back.geometry.iloc[0].equals(geom)
    assert all("further part" in w for w in warnings)


def test_write_chooses_the_zone_from_the_data(tmp_path):
    east = gpd.GeoDataFrame(geometry=[shapely.Polygon(SITES["east"][0])], crs=4326)
    west = gpd.GeoDataFrame(geometry=[shapely.Polygon(SITES["west"][0])], crs=4326)
    assert output_zone(east) == 41 and output_zone(west) == 40 and output_zone(east, 40) == 40
    write_coordtxt(east, tmp_path / "e.txt")
    assert "带号=41" in (tmp_path / "e.txt").read_text(encoding="gbk")
    # an explicit zone wins, and a site past the zone edge still writes
    write_coordtxt(east, tmp_path / "e40.txt", zone=40)
    back, _ = read_coordtxt(tmp_path / "e40.txt")
    assert back.crs.to_epsg() == 4549 and lonlat_error_m(back, SITES["east"]) < 0.001


def test_write_refuses_a_zone_far_from_the_data(tmp_path):
    gdf = gpd.GeoDataFrame(geometry=[shapely.Polygon(SITES["east"][0])], crs=4326)
    with pytest.raises(OutputError):
        write_coordtxt(gdf, tmp_path / "x.txt", zone=38)
    assert not (tmp_path / "x.txt").exists()


def test_write_keeps_separators_out_of_fields(tmp_path):
    gdf = gpd.GeoDataFrame({"block_id": ["A,1"], "name": ["甲@乙"]},
                           geometry=[shapely.Polygon(SITES["west"][0])], crs=4326)
    write_coordtxt(gdf, tmp_path / "s.txt")
    back, _ = read_coordtxt(tmp_path / "s.txt")
    assert back["block_id"].iloc[0] == "A，1" and back["name"].iloc[0] == "甲＠乙"


def test_write_unencodable_text_fails_cleanly(tmp_path):
    out = tmp_path / "u.txt"
    out.write_text("old", encoding="utf-8")
    gdf = gpd.GeoDataFrame({"name": ["🏭"]}, geometry=[shapely.Polygon(SITES["west"][0])], crs=4326)
    with pytest.raises(OutputError) as exc:
        write_coordtxt(gdf, out, encoding="gbk")
    assert "utf-8" in exc.value.hint_en
    assert out.read_text(encoding="utf-8") == "old"  # untouched
    assert os.listdir(tmp_path) == ["u.txt"]  # no temporary file left


def test_write_lines_and_points(tmp_path):
    line = shapely.LineString(SITES["west"][0])
    pts = shapely.MultiPoint(SITES["west"][0])
    gdf = gpd.GeoDataFrame(geometry=[line, pts, None], crs=4326)
    warnings = write_coordtxt(gdf, tmp_path / "lp.txt")
    assert len(warnings) == 1  # the empty feature
    back, _ = read_coordtxt(tmp_path / "lp.txt")
    assert back["shape_type"].tolist() == ["线", "点"]
    assert back.geometry.geom_type.tolist() == ["MultiLineString", "MultiPoint"]
