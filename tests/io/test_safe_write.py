"""Tests of gis/io/safe_write.py: a failed write leaves nothing behind and keeps the previous output."""

from __future__ import annotations

import pytest
from sample_frames import frame

from gis.errors import OutputError
from gis.io.safe_write import atomic_output, check_not_input, is_url
from gis.io.vector import write_vector


def test_failed_write_leaves_nothing(tmp_path):
    target = tmp_path / "x.gpkg"
    with pytest.raises(RuntimeError):
        with atomic_output(target) as tmp:
            tmp.write_bytes(b"half")
            raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


def test_failed_write_keeps_previous_output(tmp_path, monkeypatch):
    target = tmp_path / "keep.gpkg"
    write_vector(frame(), target)
    before = target.read_bytes()

    def half_write(table, path, **kwargs):
        open(path, "wb").write(b"half a file")
        raise OSError("disk full")

    import pyogrio.raw

    monkeypatch.setattr(pyogrio.raw, "write_arrow", half_write)
    with pytest.raises(OutputError, match="disk is full"):
        write_vector(frame(), target)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.gpkg"]


def test_an_output_through_a_link_or_the_same_dbf_is_an_input(tmp_path):
    src = tmp_path / "in.shp"
    frame().to_file(src, driver="ESRI Shapefile", engine="pyogrio")
    link = tmp_path / "link.gpkg"
    link.symlink_to(src)
    for out in (link, tmp_path / "." / "in.shp"):
        with pytest.raises(OutputError):
            check_not_input(out, [None, src])
    check_not_input(tmp_path / "out.shp", [src])  # another file: fine


@pytest.mark.parametrize("path, url", [("postgresql://h/db#t", True), ("postgres://h/db", True),
                                       ("parcels.gpkg", False), (None, False)])
def test_is_url(path, url):
    assert is_url(path) is url
