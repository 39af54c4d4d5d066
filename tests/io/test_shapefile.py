"""Tests of gis/io/shapefile.py: GBK output with its .cpg, short field names, booleans as integers."""

from __future__ import annotations

from sample_frames import NAMES, frame

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
