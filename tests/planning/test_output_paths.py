"""gis.planning.output_paths: an output's format and never an input."""

from __future__ import annotations

from pathlib import Path

import pytest

from gis.errors import OutputError
from gis.planning.output_paths import GRID_SUFFIXES, check_output


@pytest.mark.parametrize("name, suffixes, ok", [
    ("d.csv", (".csv", ".xlsx"), True),
    ("D.XLSX", (".csv", ".xlsx"), True),
    ("d.txt", (".csv", ".xlsx"), False),
    ("g.tif", GRID_SUFFIXES, True),
    ("g.png", GRID_SUFFIXES, False),
])
def test_suffix(tmp_path, name, suffixes, ok):
    if ok:
        assert check_output(tmp_path / name, [], suffixes) == tmp_path / name
    else:
        with pytest.raises(OutputError, match="The output must be"):
            check_output(tmp_path / name, [], suffixes)


def test_never_an_existing_input(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("x")
    with pytest.raises(OutputError, match="would overwrite an input"):
        check_output(str(src), [None, "postgresql://db#s.t", Path(src)])
    assert check_output(tmp_path / "out.csv", [src, tmp_path / "missing.csv"]) == tmp_path / "out.csv"
