"""``parkgis track`` end to end: workbook sheets with their headers, the changes GeoPackage, the charts, errors."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pyogrio
import pytest
from click.testing import CliRunner
from density_fixtures import write_layers
from tracking_fixtures import hand_snapshots

from gis.cli.main import cli
from gis.planning.changes import CHANGE_COLUMNS
from gis.planning.ledger import LEDGER_COLUMNS
from gis.planning.trajectories import UNIT_COLUMNS


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> tuple[Path, list[Path]]:
    d = tmp_path_factory.mktemp("track")
    layers = Path(write_layers(d / "layers.gpkg"))
    paths = []
    for year, gdf in hand_snapshots().items():
        p = d / f"parcels_{year}.gpkg"
        gdf.to_file(p, layer="parcels")
        paths.append(p)
    return layers, paths


def run(*args):
    return CliRunner().invoke(cli, ["-q", *map(str, args)], catch_exceptions=False)


def headers(ws, n: int):
    return [[ws.cell(row=r, column=c).value for c in range(1, n + 1)] for r in (2, 3, 4)]


def test_track_end_to_end(files, tmp_path):
    layers, paths = files
    out, gpkg, charts = tmp_path / "track.xlsx", tmp_path / "changes.gpkg", tmp_path / "charts"
    res = run("track", *paths, "--layers", layers, "--by", "park", "--by", "town", "-o", out, "--changes", gpkg,
              "--charts", charts)
    assert res.exit_code == 0, res.output
    assert "甲园区" in res.output and "P1" not in res.output          # parks by name
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["units 单元指标", "ledger 减量化台账", "added 198 新增", "changes 变化清单",
                             "change summary 变化汇总", "snapshots 快照", "说明 Notes"]
    for name, cols in (("units 单元指标", UNIT_COLUMNS), ("ledger 减量化台账", LEDGER_COLUMNS),
                       ("changes 变化清单", CHANGE_COLUMNS)):
        zh, en, machine = headers(wb[name], len(cols))
        assert machine == cols                                          # third header row: the column names
        assert all(z and e for z, e in zip(zh, en, strict=True))        # Chinese and English rows filled
    zh, en, _ = headers(wb["units 单元指标"], len(UNIT_COLUMNS))
    assert "目标路径（亿元/km²）" in zh and "Target path (亿元/km²)" in en
    units = wb["units 单元指标"]
    assert units.max_row == 4 + 12                                      # title, 3 header rows; (2 parks + 2 towns) × 3
    assert wb["changes 变化清单"].max_row == 4 + 13
    layers_in = {name for name, _ in pyogrio.list_layers(gpkg)}
    assert layers_in == {"changes", "reshaped_before"}
    ch = pyogrio.read_dataframe(gpkg, layer="changes")
    assert sorted(ch["change"]) == ["added", "added", "removed", "removed", "reshaped"]
    assert ch.crs.to_epsg() == 4326 and ch.geometry.notna().all()
    assert len(pyogrio.read_dataframe(gpkg, layer="reshaped_before")) == 1
    pngs = sorted(p.name for p in charts.glob("*.png"))
    assert pngs == ["ledger.png", "park_01_P1.png", "park_02_P2.png", "parks_path.png"]
    assert all((charts / p).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs)


def test_year_flags_and_errors(files, tmp_path):
    layers, paths = files
    res = CliRunner().invoke(cli, ["track", str(paths[0]), "--layers", str(layers), "-o", str(tmp_path / "t.xlsx")])
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert "错误" in res.output and "Error: Only one year" in res.output
    res = CliRunner().invoke(cli, ["track", *map(str, paths[:2]), "--year", "2020", "--layers", str(layers),
                                   "-o", str(tmp_path / "t.xlsx")])
    assert res.exit_code == 2 and "1 years were given for 2 snapshot files" in res.output
    res = CliRunner().invoke(cli, ["track", *map(str, paths[:2]), "--year", "2020", "--year", "2020",
                                   "--layers", str(layers), "-o", str(tmp_path / "t.xlsx")])
    assert res.exit_code == 2 and "same year (2020)" in res.output and "相同" in res.output
    res = CliRunner().invoke(cli, ["track", *map(str, paths[:2]), "--layers", str(layers), "-o",
                                   str(tmp_path / "t.csv")])
    assert res.exit_code == 2 and ".xlsx" in res.output
    res = CliRunner().invoke(cli, ["track", *map(str, paths[:2]), "--layers", str(layers), "-o", str(paths[0])])
    assert res.exit_code == 2 and "overwrite" in res.output and paths[0].stat().st_size > 0
    res = run("track", *paths[:2], "--year", "2010", "--year", "2011", "--layers", layers, "-o",
              tmp_path / "y.xlsx")
    assert res.exit_code == 0 and "2010, 2011" in res.output


def test_track_help_is_bilingual():
    res = CliRunner().invoke(cli, ["track", "--help"])
    assert res.exit_code == 0
    assert "规划实施跟踪监测" in res.output and "Plan monitoring across years" in res.output
    assert "--changes" in res.output and "--charts" in res.output and "--year" in res.output
