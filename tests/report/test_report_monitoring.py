"""The report's monitoring chapter (``parkgis report --snapshots``): tables, charts, workbook sheets."""

from __future__ import annotations

import re

import openpyxl
import pyogrio
import pytest
from click.testing import CliRunner
from density_fixtures import classified_frame, write_layers
from tracking_fixtures import hand_snapshots

from gis.layers.layerset import load_layers
from gis.report import report, summary_lines


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    d = tmp_path_factory.mktemp("mon")
    layers = load_layers(write_layers(d / "layers.gpkg"))
    files = []
    for y, gdf in hand_snapshots().items():
        files.append(d / f"parcels_{y}.gpkg")
        gdf.to_file(files[-1], layer="parcels")
    r = report(classified_frame(), d / "rep", layers=layers, pdf=False, static_maps=False, snapshots=files)
    return d, r


def test_chapter_in_the_html(made):
    _, r = made
    html = r.files["html"].read_text(encoding="utf-8")
    chapter = html[html.index('id="monitoring"'):html.index('id="maps"')]
    assert "规划实施跟踪监测" in chapter and "Plan monitoring across years" in chapter
    assert 'href="#monitoring"' in html
    assert "甲园区" in chapter and ">P1<" not in chapter                  # parks by name
    assert chapter.count("data:image/png;base64,") == 2                   # path and ledger charts
    assert "2020" in chapter and "2023" in chapter
    assert re.search(r"23\.00 ha", chapter)                               # 西镇: 25 − 2 = 23 ha net by 2023
    assert "乙园区" in chapter[chapter.index("落后于目标路径"):][:200]      # P2 stays flat: behind
    assert "合成数据" not in chapter                                         # the fixtures are not synthetic


def test_sheets_and_changes_layer(made):
    _, r = made
    wb = openpyxl.load_workbook(r.files["tables"])
    names = ("units 单元指标", "ledger 减量化台账", "added 198 新增", "changes 变化清单", "change summary 变化汇总")
    for name in names:
        assert name in wb.sheetnames
        assert wb[name].cell(row=4, column=1).value is not None            # three header rows under the title
    changes = wb["changes 变化清单"]
    assert changes.max_row == 4 + 5                                        # changed rows only (e, f; d, d2, e)
    assert {n for n, _ in pyogrio.list_layers(r.files["changes"])} == {"changes", "reshaped_before"}
    assert any(line.startswith("跟踪监测 monitoring 2020–2023") for line in summary_lines(r))


def test_without_snapshots_there_is_no_chapter(made, tmp_path):
    d, _ = made
    r = report(classified_frame(), tmp_path / "plain", layers=load_layers(d / "layers.gpkg"), pdf=False,
               static_maps=False)
    html = r.files["html"].read_text(encoding="utf-8")
    assert 'id="monitoring"' not in html and "changes" not in r.files


def test_cli_report_snapshots_folder(made, tmp_path):
    from gis.cli.main import cli

    d, _ = made
    snaps = tmp_path / "snaps"
    snaps.mkdir()
    for y, gdf in hand_snapshots().items():
        gdf.to_file(snaps / f"parcels_{y}.gpkg", layer="parcels")
    parcels = tmp_path / "p.gpkg"
    classified_frame().to_file(parcels, layer="parcels")
    res = CliRunner().invoke(cli, ["-q", "report", str(parcels), "--layers", str(d / "layers.gpkg"), "-o",
                                   str(tmp_path / "out"), "--snapshots", str(snaps), "--no-pdf", "--no-static-maps"])
    assert res.exit_code == 0, res.output
    assert "跟踪监测 monitoring 2020–2023" in res.output
    assert (tmp_path / "out" / "changes.gpkg").exists()
