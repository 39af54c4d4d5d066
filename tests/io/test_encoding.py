"""Tests of gis/io/encoding.py: the text encoding of a Shapefile's DBF, from its .cpg or its bytes."""

from __future__ import annotations

import zipfile

import pytest
from sample_frames import frame, gbk_shapefile_without_cpg

from gis.io.encoding import detect_dbf_encoding, shapefile_encoding


@pytest.mark.parametrize("encoding, detected", [("GBK", "GB18030"), ("UTF-8", "UTF-8")])
def test_detect_dbf_encoding(tmp_path, encoding, detected):
    shp = tmp_path / "x.shp"
    frame().to_file(shp, driver="ESRI Shapefile", encoding=encoding, engine="pyogrio")
    assert detect_dbf_encoding(shp.with_suffix(".dbf").read_bytes()) == detected


def test_ascii_text_needs_no_encoding(tmp_path):
    shp = tmp_path / "a.shp"
    frame().drop(columns="name").to_file(shp, driver="ESRI Shapefile", engine="pyogrio")
    assert detect_dbf_encoding(shp.with_suffix(".dbf").read_bytes()) is None
    assert detect_dbf_encoding(b"") is None


def test_a_cpg_is_honoured_and_detection_is_the_fallback(tmp_path):
    shp = gbk_shapefile_without_cpg(tmp_path / "g.shp")
    assert shapefile_encoding(shp) == ("GB18030", "detected")
    shp.with_suffix(".cpg").write_text("GBK", encoding="ascii")
    assert shapefile_encoding(shp) == (None, ".cpg")


def test_zipped_shapefile(tmp_path):
    shp = gbk_shapefile_without_cpg(tmp_path / "z.shp")
    zpath = tmp_path / "z.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        for sfx in (".shp", ".shx", ".dbf", ".prj"):
            zf.write(shp.with_suffix(sfx), arcname=f"z{sfx}")
    assert shapefile_encoding(zpath) == ("GB18030", "detected")
