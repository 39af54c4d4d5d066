"""Disk full, read-only folders and a kill during a write: the previous output is kept, the refusal is clear.

A full disk is made real for the writers in C (GDAL) by a file-size limit on a
child process (``RLIMIT_FSIZE``: every write past it fails, as on a full disk),
and injected as ``OSError(ENOSPC)`` for the writers in Python. Root ignores
file permissions, so a read-only folder is a ``chmod`` where that works and an
injected ``EROFS``/``EACCES`` otherwise.
"""

from __future__ import annotations

import errno
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from faults_common import CHILD_ENV, assert_refused, run, run_process, snapshot, toy_parcels, write_toy_gpkg

FORMATS = [".gpkg", ".fgb", ".geojson", ".shp", ".parquet", ".csv", ".txt"]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    d = tmp_path_factory.mktemp("in")
    return write_toy_gpkg(d / "toy.gpkg"), toy_parcels(d / "parcels.gpkg")


def _limit(nbytes: int):
    def pre():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG) instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (nbytes, nbytes))
    return pre


@pytest.mark.parametrize("suffix", FORMATS)
def test_full_disk_keeps_the_previous_output(tmp_path, inputs, suffix):
    """FlatGeobuf used to exit 0 with a truncated file, a Shapefile with a short .dbf; now: exit 2, old file kept."""
    layers, parcels = inputs
    out = tmp_path / f"result{suffix}"
    assert run("classify", parcels, "--layers", layers, "-o", out).exit_code == 0
    before = snapshot(tmp_path)
    largest = max(os.path.getsize(p) for p in before)
    r = run_process("classify", parcels, "--layers", layers, "-o", out, preexec=_limit(largest // 2))
    assert_refused(r, str(out.name), "Cannot write")
    assert snapshot(tmp_path) == before  # the previous output whole, no temporary file left


def test_disk_full_in_a_python_writer(tmp_path, inputs, monkeypatch):
    """An ``OSError(ENOSPC)`` in the middle of an Excel write: a bilingual "disk is full", the old workbook kept."""
    layers, parcels = inputs
    out = tmp_path / "density.xlsx"
    assert run("density", parcels, "--layers", layers, "-o", out).exit_code == 0
    before = snapshot(tmp_path)
    import openpyxl.workbook.workbook as wbmod

    def half_then_full(self, filename):
        Path(filename).write_bytes(b"PK\x03\x04 half a workbook")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(wbmod.Workbook, "save", half_then_full)
    assert_refused(run("density", parcels, "--layers", layers, "-o", out), "disk is full", "磁盘空间不足",
                   "previous file is unchanged")
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("code", [errno.EROFS, errno.EACCES])
def test_read_only_folder(tmp_path, inputs, monkeypatch, code):
    layers, parcels = inputs
    out_dir = tmp_path / "ro"
    out_dir.mkdir()
    out = out_dir / "classified.gpkg"
    out_dir.chmod(0o555)
    try:
        if os.access(out_dir, os.W_OK):  # root: permissions do not stop it, inject what the OS would say
            def refused(*a, **k):
                raise OSError(code, os.strerror(code))

            monkeypatch.setattr(tempfile, "mkstemp", refused)
        assert_refused(run("classify", parcels, "--layers", layers, "-o", out), "read-only", "只读")
    finally:
        out_dir.chmod(0o755)
    assert list(out_dir.iterdir()) == []


_WRITER = """
import sys, geopandas as gpd, numpy as np, shapely
from gis.io.vector import write_vector
n = 300_000
x = np.random.default_rng(0).uniform(121.2, 121.9, n)
g = gpd.GeoDataFrame({"parcel_id": np.arange(n).astype(str), "note": ["x" * 80] * n},
                     geometry=shapely.box(x, 31.5, x + 1e-4, 31.5001), crs=4326)
print("writing", flush=True)
write_vector(g, sys.argv[1])
"""


def test_kill_during_write_keeps_the_old_file(tmp_path, inputs):
    layers, parcels = inputs
    out = tmp_path / "result.gpkg"
    assert run("classify", parcels, "--layers", layers, "-o", out).exit_code == 0
    old = out.read_bytes()
    proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(out)], stdout=subprocess.PIPE, text=True,
                            env=CHILD_ENV)
    try:
        assert proc.stdout.readline().strip() == "writing"
        deadline = time.monotonic() + 120
        while not any(p.name.startswith(".result.") for p in tmp_path.iterdir()):  # the temporary file is there
            assert proc.poll() is None and time.monotonic() < deadline, "the write ended before it was killed"
            time.sleep(0.01)
        proc.kill()
    finally:
        proc.wait(timeout=60)
    assert out.read_bytes() == old
