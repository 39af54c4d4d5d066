"""``parkgis density``: the workbook, CSV, grid, zonal sheets, --by files and the console summary."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from density_fixtures import DESIGN_4B, box, classified_frame, to_gdf, write_layers

from gis.cli.density_cmd import UnitParam
from gis.cli.main import cli
from gis.errors import InputError
from gis.layers.layerset import load_layers


@pytest.fixture(scope="module")
def layers(tmp_path_factory):
    return load_layers(write_layers(tmp_path_factory.mktemp("layers") / "t.gpkg"))


def test_cli_density_xlsx_and_grid(tmp_path, layers):
    import openpyxl

    from gis.cli.main import cli

    src = write_layers(tmp_path / "layers.gpkg")
    pfile = tmp_path / "parcels.gpkg"
    classified_frame()[["parcel_id", "output_wan", "tax_wan", "employees", "value_added_wan", "energy_tce",
                        "industry", "geometry"]].to_file(pfile, layer="parcels")
    out = tmp_path / "d.xlsx"
    res = CliRunner().invoke(cli, ["density", str(pfile), "--layers", src, "--by", "park", "--by", "zone", "-o",
                                   str(out), "--grid", str(tmp_path / "g.tif"), "--cell", "100"])
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(out)
    ws = wb.worksheets[0]
    zh = [c.value for c in ws[2]]
    en = [c.value for c in ws[3]]
    keys = [c.value for c in ws[4]]
    assert keys[: len(DESIGN_4B)] == DESIGN_4B
    i = keys.index("density_yi_per_km2")
    assert "亿元/km²" in zh[i] and "地均产出" in zh[i] and "Output density" in en[i] and "亿元/km²" in en[i]
    assert ws[2][0].font.bold and ws.freeze_panes == "A5"
    assert "1+3+X 产业类别" in wb.sheetnames and "说明 Notes" in wb.sheetnames
    first = [c.value for c in ws[5]]
    assert first[1] == "P1" and first[i] == pytest.approx(16.0, rel=1e-4)
    assert (tmp_path / "g.tif").exists()


def test_cli_density_csv_and_errors(tmp_path):
    from gis.cli.main import cli

    src = write_layers(tmp_path / "layers.gpkg")
    pfile = tmp_path / "parcels.gpkg"
    classified_frame()[["parcel_id", "output_wan", "geometry"]].to_file(pfile, layer="parcels")
    out = tmp_path / "d.csv"
    res = CliRunner().invoke(cli, ["density", str(pfile), "--layers", src, "-o", str(out)])
    assert res.exit_code == 0, res.output
    t = pd.read_csv(out, encoding="utf-8-sig", dtype={"unit_id": str})
    assert list(t.columns[: len(DESIGN_4B)]) == DESIGN_4B
    bad = tmp_path / "bad.gpkg"
    classified_frame()[["parcel_id", "geometry"]].to_file(bad, layer="parcels")
    res = CliRunner().invoke(cli, ["density", str(bad), "--layers", src, "-o", str(tmp_path / "x.csv")])
    assert res.exit_code == 2 and "output_wan" in res.output and "Traceback" not in res.output
    res = CliRunner().invoke(cli, ["density", str(pfile), "--layers", src, "-o", str(tmp_path / "x.txt")])
    assert res.exit_code == 2


def test_cli_user_layer_file(tmp_path):
    from gis.cli.main import cli

    src = write_layers(tmp_path / "layers.gpkg")
    pfile = tmp_path / "parcels.gpkg"
    classified_frame()[["parcel_id", "output_wan", "geometry"]].to_file(pfile, layer="parcels")
    ufile = tmp_path / "blocks.gpkg"
    to_gdf([box(0, 0, 5000, 5000)], code=["SW"]).to_file(ufile, layer="blocks")
    out = tmp_path / "u.csv"
    res = CliRunner().invoke(cli, ["density", str(pfile), "--layers", src, "--by", str(ufile),
                                   "--unit-id-field", "code", "--by", "park", "-o", str(out)])
    assert res.exit_code == 0, res.output
    t = pd.read_csv(out, encoding="utf-8-sig")
    assert list(t["unit_type"]) == ["blocks", "park", "park"]
    assert t["output_yi"].iloc[0] == pytest.approx(8.2)


def test_by_is_parsed_into_a_keyword_or_a_path(tmp_path):
    f = tmp_path / "blocks.gpkg"
    f.write_bytes(b"")
    assert UnitParam().convert("zone", None, None) == "zone"
    assert UnitParam().convert(str(f), None, None) == Path(f)
    with pytest.raises(InputError, match="neither park/zone/town/district nor an existing file"):
        UnitParam().convert("nowhere", None, None)


def test_unknown_by_is_a_bilingual_error(tmp_path):
    res = CliRunner().invoke(cli, ["density", "--by", "parks", "-o", str(tmp_path / "x.csv")])
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert "--by 的值“parks”" in res.stderr and "--by 'parks' is neither" in res.stderr


def test_console_lines_and_zonal_needs_a_file_with_csv(tmp_path):
    src = write_layers(tmp_path / "layers.gpkg")
    pfile = tmp_path / "parcels.gpkg"
    classified_frame()[["parcel_id", "output_wan", "geometry"]].to_file(pfile, layer="parcels")
    grid = tmp_path / "g.tif"
    res = CliRunner().invoke(cli, ["density", str(pfile), "--layers", src, "-o", str(tmp_path / "d.csv"),
                                   "--grid", str(grid), "--cell", "100"])
    assert res.exit_code == 0, res.output
    lines = res.stderr.splitlines()
    assert lines[0].startswith(f"密度栅格 grid → {grid}（100 m, EPSG:32651；栅格合计 9.210 亿元")
    assert lines[1] == f"地均产出表 density table → {tmp_path / 'd.csv'}（2 个单元 units）"
    assert lines[2].split() == ["园区", "park", "甲园区", "16.00", "亿元/km²", "/", "目标", "target", "25:",
                                "未达标", "no"]
    assert all(line.startswith("注意 Note: ") for line in lines[4:])
    res = CliRunner().invoke(cli, ["density", str(pfile), "--layers", src, "-o", str(tmp_path / "e.csv"),
                                   "--zonal", str(grid)])
    assert res.exit_code == 2 and "--zonal-out" in res.stderr
    res = CliRunner().invoke(cli, ["density", str(pfile), "--layers", src, "-o", str(tmp_path / "e.csv"),
                                   "--zonal", str(grid), "--zonal-out", str(tmp_path / "z.csv")])
    assert res.exit_code == 0, res.output
    assert pd.read_csv(tmp_path / "z.csv", encoding="utf-8-sig")["parcel_id"].tolist() == list("abcde")


def test_base_and_target_year_override_the_targets(tmp_path):
    src = write_layers(tmp_path / "layers.gpkg")
    pfile = tmp_path / "parcels.gpkg"
    classified_frame()[["parcel_id", "output_wan", "geometry"]].to_file(pfile, layer="parcels")
    res = CliRunner().invoke(cli, ["density", str(pfile), "--layers", src, "-o", str(tmp_path / "d.csv"),
                                   "--base-year", "2022", "--target-year", "2026"])
    assert res.exit_code == 0, res.output
    t = pd.read_csv(tmp_path / "d.csv", encoding="utf-8-sig")
    assert set(t["base_year"]) == {2022} and set(t["projection_year"]) == {2026}
