"""Tests of gis/io/safe_write.py: a failed write leaves nothing behind and keeps the previous output."""

from __future__ import annotations

import errno

import pytest
from sample_frames import frame

from gis.errors import OutputError
from gis.io.safe_write import atomic_output, check_not_input, is_url, write_error
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


def test_a_command_never_writes_over_what_it_read(tmp_path):
    """Inside a command scope every file read is protected, also from writers that were not told."""
    from gis.io.safe_write import command_scope, note_read, paths_read
    from gis.io.vector import read_vector

    src = tmp_path / "in.gpkg"
    write_vector(frame(), src)
    with command_scope():
        read_vector(src)
        assert paths_read() == [src.resolve()]
        with pytest.raises(OutputError, match="would overwrite an input"):
            with atomic_output(src) as tmp:
                tmp.write_bytes(b"x")
        note_read(tmp_path / "a.shp")
        with pytest.raises(OutputError):  # another file of the same Shapefile
            check_not_input(tmp_path / "a.dbf")
    assert paths_read() == []  # outside a scope nothing is recorded
    check_not_input(src)


def test_outputs_distinct_and_folders_free_of_layers(tmp_path):
    from gis.io.safe_write import check_output_folder, check_outputs

    with pytest.raises(OutputError, match="same file"):
        check_outputs([tmp_path / "a.csv", None, tmp_path / "." / "a.csv"])
    layers = tmp_path / "layers" / "parks.geojson"
    layers.parent.mkdir()
    layers.write_text("{}")
    with pytest.raises(OutputError, match="holds"):
        check_output_folder(tmp_path, [layers])
    check_output_folder(tmp_path / "report", [layers])
    with pytest.raises(OutputError, match="not a folder"):
        check_output_folder(layers, [])


@pytest.mark.parametrize("exc, words", [
    (OSError(errno.ENOSPC, "No space left on device"), "disk is full"),
    (OSError(errno.EDQUOT, "Disk quota exceeded"), "disk is full"),
    (OSError(errno.EROFS, "Read-only file system"), "read-only"),
    (OSError(errno.EACCES, "Permission denied"), "read-only"),
    (RuntimeError("Could not add feature: No space left on device"), "disk is full"),
    (RuntimeError("Cannot write feature"), "Cannot write feature"),
])
def test_write_error(tmp_path, exc, words):
    e = write_error(tmp_path / "x.gpkg", exc)
    assert words in e.message_en and e.message_zh and e.hint_zh and e.hint_en
    assert "Nothing was written" in e.message_en


def test_a_failed_check_keeps_the_previous_file(tmp_path):
    target = tmp_path / "keep.csv"
    target.write_text("old")

    def bad(tmp):
        raise OSError(errno.EIO, "the written file is incomplete (2 of 3 features)")

    with pytest.raises(OutputError, match="incomplete"):
        with atomic_output(target, verify=bad) as tmp:
            tmp.write_text("new")
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["keep.csv"]


def test_mkstemp_in_a_read_only_folder(tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "mkstemp", lambda **k: (_ for _ in ()).throw(OSError(errno.EROFS, "ro")))
    with pytest.raises(OutputError, match="read-only"):
        with atomic_output(tmp_path / "x.csv"):
            pass
