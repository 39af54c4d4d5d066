"""``parkgis grade``: the grades workbook, the summary, the graded parcels and the console summary."""

from __future__ import annotations

import pandas as pd
from click.testing import CliRunner
from density_fixtures import GRADING_TOML, grading_frame, write_layers


def test_cli_grade(tmp_path):
    import openpyxl

    from gis.cli.main import cli

    src = write_layers(tmp_path / "layers.gpkg")
    pfile = tmp_path / "parcels.gpkg"
    grading_frame().drop(columns=["high_tech"]).to_file(pfile, layer="parcels")
    tfile = tmp_path / "g.toml"
    tfile.write_text(GRADING_TOML, encoding="utf-8")
    out = tmp_path / "g.xlsx"
    res = CliRunner().invoke(cli, ["grade", str(pfile), "--layers", src, "--targets", str(tfile), "-o", str(out),
                                   "--summary", str(tmp_path / "s.csv"), "--parcels-out", str(tmp_path / "g.gpkg")])
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:3] == ["grades 地块等级", "summary 汇总", "upgrade 提质增效候选"]
    keys = [c.value for c in wb.worksheets[0][4]]
    assert "grade" in keys and "upgrade_candidate" in keys
    zh = [c.value for c in wb.worksheets[0][2]]
    assert "亩均产出（万元/亩）" in zh
    s = pd.read_csv(tmp_path / "s.csv", encoding="utf-8-sig", dtype={"unit_id": str})
    assert {"park", "zone", "district"} <= set(s["unit_type"])
    assert (tmp_path / "g.gpkg").exists()


def test_cli_grade_console_and_csv(tmp_path):
    from gis.cli.main import cli

    src = write_layers(tmp_path / "layers.gpkg")
    pfile = tmp_path / "parcels.gpkg"
    grading_frame().to_file(pfile, layer="parcels")
    tfile = tmp_path / "g.toml"
    tfile.write_text(GRADING_TOML, encoding="utf-8")
    out = tmp_path / "g.csv"
    res = CliRunner().invoke(cli, ["grade", str(pfile), "--layers", src, "--targets", str(tfile), "-o", str(out),
                                   "--summary", str(tmp_path / "s.xlsx")])
    assert res.exit_code == 0, res.output
    # The file is classified again, so the parcels keep their drawn areas (9–25 ha, not 15 亩 each): with the
    # same output every parcel falls below the C limit, and the three in parks are upgrade candidates.
    lines = res.stderr.splitlines()
    assert lines[0] == f"亩均评价 grading → {out}: A 0, B 0, C 0, D 5; 未参评 not graded 0"
    assert lines[1] == "  园区内提质增效候选 upgrade candidates in parks: 3"
    assert lines[2] == f"汇总 summary → {tmp_path / 's.xlsx'}"
    assert list(pd.read_csv(out, encoding="utf-8-sig")["grade"]) == ["D"] * 5
    res = CliRunner().invoke(cli, ["grade", str(pfile), "--layers", src, "-o", str(pfile)])
    assert res.exit_code == 2 and ".csv/.xlsx" in res.stderr
