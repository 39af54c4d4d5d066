"""Tests of gis/io/integrity.py: whole files are told from cut ones, for reading and after writing."""

from __future__ import annotations

import pytest
from sample_frames import frame

from gis.io.integrity import IncompleteWrite, gpkg_feature_count, shapefile_problem, verify_vector


@pytest.fixture
def shp(tmp_path):
    frame().to_file(tmp_path / "s.shp", engine="pyogrio")
    return tmp_path / "s.shp"


def _cut(p, nbytes):
    p.write_bytes(p.read_bytes()[:-nbytes])


def test_a_whole_shapefile(shp):
    assert shapefile_problem(shp) is None


@pytest.mark.parametrize("part, words", [(".shp", "s.shp is cut short"), (".shx", "s.shx is cut short"),
                                         (".dbf", "s.dbf is cut short")])
def test_a_cut_part(shp, part, words):
    _cut(shp.with_suffix(part), 5)
    assert words in shapefile_problem(shp)[1]


@pytest.mark.parametrize("part, words", [(".dbf", ".dbf) is missing"), (".shx", ".shx) is missing")])
def test_a_missing_part(shp, part, words):
    shp.with_suffix(part).unlink()
    zh, en = shapefile_problem(shp)
    assert words in en and zh


def test_parts_that_disagree(shp, tmp_path):
    other = tmp_path / "o.shp"
    frame().iloc[:2].to_file(other, engine="pyogrio")
    shp.with_suffix(".shx").write_bytes(other.with_suffix(".shx").read_bytes())
    assert "lists 2 features but .dbf has 3" in shapefile_problem(shp)[1]


@pytest.mark.parametrize("suffix", [".gpkg", ".fgb", ".geojson", ".shp", ".parquet"])
def test_verify_a_written_file(tmp_path, suffix):
    p = tmp_path / f"x{suffix}"
    g, layer = frame(), ("x" if suffix == ".gpkg" else None)
    if suffix == ".parquet":
        g.to_parquet(p)
    else:
        g.to_file(p, engine="pyogrio")
    verify_vector(p, expected=3, layer=layer)
    expected = 4  # a feature short
    if suffix == ".geojson":  # not counted (that would mean parsing it all): its closing brackets are checked
        _cut(p, 8)
        expected = 3
    with pytest.raises(IncompleteWrite):
        verify_vector(p, expected=expected, layer=layer)


def test_a_flatgeobuf_cut_short_is_caught(tmp_path):
    p = tmp_path / "x.fgb"
    frame().to_file(p, engine="pyogrio", SPATIAL_INDEX="NO")
    _cut(p, 30)
    with pytest.raises(IncompleteWrite) as exc:
        verify_vector(p, expected=3)
    assert exc.value.errno is not None and "incomplete" in str(exc.value)


def test_gpkg_feature_count(tmp_path):
    frame().to_file(tmp_path / "x.gpkg", layer="x", engine="pyogrio")
    assert gpkg_feature_count(tmp_path / "x.gpkg", "x") == 3
    (tmp_path / "junk.gpkg").write_bytes(b"not a database")
    assert gpkg_feature_count(tmp_path / "junk.gpkg", None) is None
