"""gis.planning.grading_tables: the grades, summary and candidates of one run, written and summed up."""

from __future__ import annotations

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
from density_fixtures import GRADING_TOML, grading_frame, write_layers

from gis.classification.parcels import ClassifiedParcels
from gis.errors import OutputError
from gis.layers.layerset import load_layers
from gis.planning.grading_tables import (
    grading_lines,
    grading_tables,
    write_grading_tables,
)


@pytest.fixture
def tables(tmp_path):
    layers = load_layers(write_layers(tmp_path / "t.gpkg"))
    f = tmp_path / "g.toml"
    f.write_text(GRADING_TOML, encoding="utf-8")
    return grading_tables(ClassifiedParcels(layers=layers, parcels=grading_frame(), notes=["from the test"]), f)


def test_grades_summary_candidates_and_notes(tables):
    # a: A; b: C; c: B; d (195): D; e (198, no output): D. Candidates: low grades in parks (b).
    assert list(tables.graded["grade"]) == ["A", "C", "B", "D", "D"]
    assert "geometry" in tables.graded and "geometry" not in tables.table
    assert list(tables.candidates["parcel_id"]) == ["b"]
    assert {"park", "zone", "district"} == set(tables.summary["unit_type"])
    assert tables.notes[0] == "from the test" and any("weights" in n for n in tables.notes)


def test_console_lines(tables):
    lines = grading_lines(tables, "g.xlsx", summary_out="s.csv")
    assert lines == ["亩均评价 grading → g.xlsx: A 1, B 1, C 1, D 2; 未参评 not graded 0",
                     "  园区内提质增效候选 upgrade candidates in parks: 1",
                     "汇总 summary → s.csv"]
    assert len(grading_lines(tables, "g.xlsx")) == 2


def test_write_workbook_summary_and_parcels(tmp_path, tables):
    out = tmp_path / "g.xlsx"
    write_grading_tables(tables, out, summary_out=tmp_path / "s.csv", parcels_out=tmp_path / "g.gpkg")
    assert openpyxl.load_workbook(out).sheetnames == ["grades 地块等级", "summary 汇总", "upgrade 提质增效候选",
                                                      "说明 Notes"]
    assert set(pd.read_csv(tmp_path / "s.csv", encoding="utf-8-sig")["unit_type"]) == {"park", "zone", "district"}
    assert list(gpd.read_file(tmp_path / "g.gpkg")["grade"]) == ["A", "C", "B", "D", "D"]
    with pytest.raises(OutputError):
        write_grading_tables(tables, tmp_path / "g.csv", summary_out=tmp_path / "s.txt")
