"""gis.planning.tracking_output: the workbook (long change lists), the changes GeoPackage, the terminal summary."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest
from density_fixtures import write_layers
from tracking_fixtures import hand_snapshots

from gis.errors import OutputError
from gis.layers.layerset import load_layers
from gis.planning.tracking import track
from gis.planning.tracking_output import (
    summary_lines,
    write_changes_gpkg,
    write_track_workbook,
)


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    layers = load_layers(write_layers(tmp_path_factory.mktemp("layers") / "t.gpkg"))
    return track(hand_snapshots(), layers, by="park")


def test_long_change_list_goes_to_a_csv(result, tmp_path):
    files = write_track_workbook(result, tmp_path / "t.xlsx", max_change_rows=5)
    assert [f.name for f in files] == ["t.xlsx", "t_changes.csv"]
    full = pd.read_csv(files[1], encoding="utf-8-sig")
    assert len(full) == len(result.changes) and list(full.columns) == list(result.changes.columns[:-1])
    wb = openpyxl.load_workbook(files[0])
    ws = wb["changes 变化清单"]
    shown = [ws.cell(row=r, column=4).value for r in range(5, ws.max_row + 1)]
    assert sorted(shown) == sorted(result.changes.loc[result.changes["change"] != "unchanged", "change"])
    assert any("t_changes.csv" in (c.value or "") for c in wb["说明 Notes"]["A"])


def test_outputs_refuse_wrong_suffixes_and_inputs(result, tmp_path):
    with pytest.raises(OutputError):
        write_track_workbook(result, tmp_path / "t.csv")
    with pytest.raises(OutputError):
        write_changes_gpkg(result, tmp_path / "c.shp")
    src = tmp_path / "in.gpkg"
    src.write_bytes(b"x")
    with pytest.raises(OutputError):
        write_changes_gpkg(result, src, inputs=[src])
    assert src.read_bytes() == b"x"


def test_summary_names_parks_and_rounds(result):
    lines = summary_lines(result)
    assert any("甲园区" in line and "18.80" in line and "on track" in line for line in lines)
    assert any("乙园区" in line and "behind" in line for line in lines)
    assert any("ledger 2023" in line and "2.00 ha" in line and "23.00 ha" in line for line in lines)
