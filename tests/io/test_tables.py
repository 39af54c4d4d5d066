"""Tests of gis.io.tables: CSV and formatted Excel with bilingual headers and units."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pytest
import shapely

from gis.errors import OutputError
from gis.io.tables import header_labels, write_table, write_tables

HEADERS = {"density_yi_per_km2": ("地均产出", "Output density", "亿元/km²"), "ok": ("达标", "Meets", "")}


def frame():
    return pd.DataFrame({"unit_id": ["P1", "P2"], "density_yi_per_km2": [16.0, np.nan], "ok": [True, False],
                         "parcels": [2, 1], "note": ["甲", None]})


def test_header_labels():
    assert header_labels("density_yi_per_km2", HEADERS) == ("地均产出（亿元/km²）", "Output density (亿元/km²)")
    assert header_labels("ok", HEADERS) == ("达标", "Meets")
    assert header_labels("parcel_id") == ("地块编号", "Parcel ID")          # common header
    assert header_labels("whatever") == ("whatever", "whatever")


def test_csv_has_bom_and_machine_names(tmp_path):
    f = write_table(frame(), tmp_path / "t.csv", headers=HEADERS)
    raw = f.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(f, encoding="utf-8-sig")
    assert list(back.columns) == ["unit_id", "density_yi_per_km2", "ok", "parcels", "note"]
    assert back["note"].iloc[0] == "甲"


def test_xlsx_formatting(tmp_path):
    f = write_table(frame(), tmp_path / "t.xlsx", sheet="密度", headers=HEADERS, notes=["示意数据 illustrative"],
                    title="标题 Title")
    wb = openpyxl.load_workbook(f)
    assert wb.sheetnames == ["密度", "说明 Notes"]
    ws = wb["密度"]
    assert ws["A1"].value == "标题 Title"
    assert ws["B2"].value == "地均产出（亿元/km²）" and ws["B2"].font.bold
    assert ws["B3"].value == "Output density (亿元/km²)"
    assert ws["B4"].value == "density_yi_per_km2"
    assert ws.freeze_panes == "A5"
    assert ws["B5"].value == 16.0 and ws["B6"].value is None          # NaN → empty cell
    assert ws["C5"].value == "是 yes" and ws["C6"].value == "否 no"
    assert ws["D5"].number_format == "#,##0"
    assert wb["说明 Notes"]["A2"].value == "示意数据 illustrative"


def test_multi_sheet_and_geometry_dropped(tmp_path):
    g = gpd.GeoDataFrame({"parcel_id": ["a"]}, geometry=[shapely.Point(0, 0)], crs=4326)
    f = write_tables({"a/b:c": (frame(), HEADERS), "parcels": (g, None)}, tmp_path / "m.xlsx")
    wb = openpyxl.load_workbook(f)
    assert wb.sheetnames == ["a_b_c", "parcels"]
    assert [c.value for c in wb["parcels"][3]] == ["parcel_id"]


def test_bad_suffix_and_atomic(tmp_path):
    with pytest.raises(OutputError):
        write_table(frame(), tmp_path / "t.txt")
    target = tmp_path / "keep.xlsx"
    target.write_bytes(b"old")
    bad = pd.DataFrame({"x": [object()]})  # openpyxl cannot store an arbitrary object
    with pytest.raises(ValueError, match="Cannot convert"):
        write_table(bad, target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.xlsx"]


def test_year_columns_have_no_thousands_separator(tmp_path):
    df = pd.DataFrame({"target_reached_year": pd.array([2035, None], dtype="Int64"), "employees": [12000, 5]})
    ws = openpyxl.load_workbook(write_table(df, tmp_path / "y.xlsx")).active
    assert ws["A4"].value == 2035 and ws["A4"].number_format == "0"
    assert ws["A5"].value is None
    assert ws["B4"].number_format == "#,##0"


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    df = pd.DataFrame({"enterprise_zh": ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "普通"]})
    p = write_table(df, tmp_path / "f.xlsx")
    ws = openpyxl.load_workbook(p).active
    cells = [ws.cell(row=r, column=1) for r in range(4, 9)]
    assert [c.value for c in cells] == list(df["enterprise_zh"])
    assert all(c.data_type == "s" for c in cells)


def test_formula_text_neutralised_numbers_kept(tmp_path):
    """OWASP: text beginning with = + - @ tab CR never runs as a formula; numbers (negative too) stay numbers."""
    df = pd.DataFrame({"name": ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "-5", "甲"],
                       "gap": [-1.5, 2.0, -3.0, 0.0, 1.0, -5.0, 7.0], "=cmd": 1})
    csv = write_table(df, tmp_path / "t.csv")
    back = pd.read_csv(csv, encoding="utf-8-sig", keep_default_na=False)
    assert back["name"].tolist() == ["'=HYPERLINK(\"http://x\",\"y\")", "'+1+1", "'-2+3", "'@SUM(A1)", "'\t=1",
                                     "-5", "甲"]
    assert back["gap"].tolist() == df["gap"].tolist() and list(back.columns)[2] == "'=cmd"
    ws = openpyxl.load_workbook(write_table(df, tmp_path / "t.xlsx")).active
    cells = {c.value: c for c in ws["A"][3:]}
    for text in df["name"][:5]:
        assert cells[text].data_type == "s" and cells[text].quotePrefix  # the value as typed, text for Excel
    assert not cells["甲"].quotePrefix and ws["B4"].value == -1.5 and ws["B4"].data_type == "n"
    assert ws["C3"].value == "=cmd" and ws["C3"].data_type == "s"


def test_a_carriage_return_in_a_value_keeps_its_row(tmp_path):
    df = pd.DataFrame({"a": ["x\ry", "z"], "b": [1, 2]})
    f = write_table(df, tmp_path / "t.csv")
    assert f.read_bytes().count(b"\r\n") == 3  # header and two rows; the value's \r is quoted
    assert pd.read_csv(f, encoding="utf-8-sig")["b"].tolist() == [1, 2]
