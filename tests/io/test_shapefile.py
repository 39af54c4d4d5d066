"""Tests of gis/io/shapefile.py: GBK output with its .cpg, short field names, booleans as integers, text limits."""

from __future__ import annotations

from pathlib import Path

import pytest
from sample_frames import NAMES, frame

from gis.errors import OutputError
from gis.io.vector import read_vector, write_vector


def test_gbk_shapefile_output_has_cpg(tmp_path):
    out = tmp_path / "g.shp"
    write_vector(frame(), out, encoding="GBK")
    assert out.with_suffix(".cpg").read_text().strip() == "GBK"
    raw = out.with_suffix(".dbf").read_bytes()
    assert "崇明".encode("gbk") in raw
    assert read_vector(out)["name"].tolist() == NAMES


def test_shapefile_long_names_shortened(tmp_path):
    g = frame()
    g["share_outside"] = 0.0
    g["yangtze_1km"] = [True, False, True]
    g["yangtze_1km_share"] = 0.5
    out = tmp_path / "long.shp"
    write_vector(g, out)
    back = read_vector(out)
    assert {"share_out", "yz_1km", "yz_1km_shr"} <= set(back.columns)
    assert back["yz_1km"].tolist() == [1, 0, 1]


def test_text_longer_than_a_field_is_cut_on_a_character_and_said(tmp_path, caplog):
    """126 Chinese characters are 378 bytes in UTF-8: a DBF field holds 254 (84 characters)."""
    g = frame()
    g["parcel_id"] = ["P1", "P2", "P3"]
    g["enterprise_zh"] = ["崇" * 126, "短名", "明" * 200]
    out = tmp_path / "long.shp"
    write_vector(g, out)
    back = read_vector(out)
    assert back["enterp_zh"].tolist() == ["崇" * 84, "短名", "明" * 84]  # whole characters, none garbled
    assert "enterprise_zh" in caplog.text and "P1, P3" in caplog.text and "GeoPackage" in caplog.text
    assert "截断" in caplog.text


def test_characters_gbk_cannot_hold_are_refused(tmp_path):
    g = frame()
    g["parcel_id"] = ["P1", "P2", "P3"]
    g["enterprise_zh"] = ["普通公司", "𠀀字号公司", "😀公司"]  # outside GBK (GB18030 would hold them)
    out = tmp_path / "gbk.shp"
    with pytest.raises(OutputError) as exc:
        write_vector(g, out, encoding="GBK")
    assert "enterprise_zh" in exc.value.message_en and "P2, P3" in exc.value.message_en
    assert "--out-encoding utf-8" in exc.value.hint_en and exc.value.message_zh
    assert list(tmp_path.iterdir()) == []
    write_vector(g, out)  # UTF-8 holds them
    assert read_vector(out)["enterp_zh"].tolist()[1] == "𠀀字号公司"


def test_a_truncated_dbf_from_the_writer_is_caught(tmp_path, monkeypatch):
    """GDAL wrote a Shapefile whose .dbf ended early without an error: the check before the move catches it."""
    import geopandas as gpd

    real = gpd.GeoDataFrame.to_file

    def short_dbf(self, path, **kwargs):
        real(self, path, **kwargs)
        dbf = Path(path).with_suffix(".dbf")
        dbf.write_bytes(dbf.read_bytes()[:-40])

    out = tmp_path / "x.shp"
    write_vector(frame(), out)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    monkeypatch.setattr(gpd.GeoDataFrame, "to_file", short_dbf)
    with pytest.raises(OutputError, match="incomplete"):
        write_vector(frame(), out)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_polygons_after_a_missing_geometry_stay_polygons(tmp_path):
    """A first feature without geometry, then Polygon and MultiPolygon: GDAL alone wrote them as lines.

    (Found by the property tests.)
    """
    import geopandas as gpd
    import shapely

    g = gpd.GeoDataFrame({"parcel_id": ["a", "b", "c"]}, crs=4326, geometry=[
        None, shapely.box(121, 31, 121.01, 31.01), shapely.MultiPolygon([shapely.box(121.1, 31, 121.11, 31.01)])])
    write_vector(g, tmp_path / "x.shp")
    back = read_vector(tmp_path / "x.shp")
    assert back.geometry.iloc[0] is None and back.geom_type.tolist()[1:] == ["Polygon", "Polygon"]
    assert back.geometry.iloc[2].area == pytest.approx(g.geometry.iloc[2].area)


def test_mixed_kinds_are_refused_for_a_shapefile(tmp_path):
    import geopandas as gpd
    import shapely

    g = gpd.GeoDataFrame({"parcel_id": ["a", "b"]}, crs=4326,
                         geometry=[shapely.box(121, 31, 121.01, 31.01), shapely.Point(121, 31)])
    with pytest.raises(OutputError, match="one kind of geometry"):
        write_vector(g, tmp_path / "x.shp")
    assert list(tmp_path.iterdir()) == []
