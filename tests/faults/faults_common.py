"""Shared helpers of the fault and hostile-input battery (tests/faults/).

Every refusal is checked the same way (:func:`assert_refused`): exit status 2, a
Chinese line and an English line, a hint in both languages, no traceback; and,
with :func:`snapshot`, that nothing was written and no input changed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
from click.testing import CliRunner, Result
from toylayers import box, parcels, write_toy_gpkg

from gis.cli.main import cli

__all__ = ["CHILD_ENV", "assert_refused", "box", "parcels", "run", "run_process", "snapshot", "toy_parcels",
           "write_toy_gpkg"]

#: Environment of a ``parkgis`` child process (this checkout first on the path).
CHILD_ENV = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}


def run(*args) -> Result:
    """``parkgis ARGS`` in this process (click's runner); exceptions are caught and shown in the result."""
    return CliRunner().invoke(cli, [str(a) for a in args])


def run_process(*args, preexec=None, timeout: float = 300) -> subprocess.CompletedProcess:
    """``parkgis ARGS`` in a child process (for faults that need one: a file-size limit, a kill)."""
    return subprocess.run([sys.executable, "-m", "gis.cli", *map(str, args)], capture_output=True, text=True,
                          env=CHILD_ENV, preexec_fn=preexec, timeout=timeout)


def assert_refused(result, *words: str) -> str:
    """A refusal as every parkgis refusal looks: exit 2, zh line, en line, hints, no traceback.

    ``result`` is a click ``Result`` or a ``CompletedProcess``; ``words`` must
    appear in the message. Returns the message (stderr).
    """
    if isinstance(result, Result):
        code, err = result.exit_code, result.stderr
        assert result.exception is None or isinstance(result.exception, SystemExit), \
            f"unexpected exception: {result.exception!r}\n{result.output}"
    else:
        code, err = result.returncode, result.stderr
    assert code == 2, f"exit status {code}:\n{err}"
    assert "Traceback" not in err, err
    lines = [line for line in err.splitlines() if line.strip()]
    zh = [i for i, line in enumerate(lines) if line.startswith("错误：")]
    en = [i for i, line in enumerate(lines) if line.startswith("Error: ")]
    assert zh and en and en[0] == zh[0] + 1, f"not a Chinese line then an English line:\n{err}"
    assert any(line.startswith("提示：") for line in lines), f"no Chinese hint:\n{err}"
    assert any(line.startswith("Hint: ") for line in lines), f"no English hint:\n{err}"
    for w in words:
        assert w in err, f"{w!r} not in:\n{err}"
    return err


def snapshot(*folders: Path) -> dict[str, str]:
    """Every file under the folders with a digest of its content: equal before and after = nothing changed."""
    out = {}
    for folder in folders:
        for p in sorted(Path(folder).rglob("*")):
            if p.is_file():
                out[str(p)] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def toy_parcels(path: Path, **columns) -> Path:
    """Three parcels on the toy layers (park A, park B, the 198 area) with optional extra columns."""
    p = parcels([("a", box(3, 3, 4, 4)), ("b", box(11, 4, 12, 5)), ("c", box(8, 3, 9, 4))])
    p["enterprise_zh"] = ["甲机械有限公司", "乙食品有限公司", "丙化工有限公司"]
    p["output_wan"] = [1200.0, 800.0, 300.0]
    for k, v in columns.items():
        p[k] = v
    gpd.GeoDataFrame(p).to_file(path)
    return path
