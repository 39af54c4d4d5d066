"""``parkgis convert``: option conflicts as usage errors, notes printed as they arise, the console summary.

The conversions themselves are tested in tests/io/test_convert_file.py and tests/geodesy/test_convert.py.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import shapely
from click.testing import CliRunner

from gis.cli.main import cli

DATA = Path(__file__).resolve().parents[1] / "data" / "coordtxt"


def run(*args):
    return CliRunner().invoke(cli, ["convert", *map(str, args)])


def test_option_conflicts_are_usage_errors(tmp_path):
    r = run(DATA / "one_block_gbk_crlf.txt", "-o", tmp_path / "o.txt", "--to-crs", "EPSG:4326")
    assert r.exit_code == 2 and "Usage: " in r.stderr and "set by --zone" in r.stderr
    src = tmp_path / "p.geojson"
    gpd.GeoDataFrame(geometry=[shapely.box(121.4, 31.6, 121.41, 31.61)], crs=4326).to_file(src)
    r = run(src, "-o", tmp_path / "o.gpkg", "--helmert", "1,2,3,4")
    assert r.exit_code == 2 and "Usage: " in r.stderr and "--helmert applies to a .txt input only" in r.stderr


def test_txt_warnings_come_first_then_the_summary(tmp_path):
    r = run(DATA / "swapped.txt", "-o", tmp_path / "s.gpkg", "--zone", "40")
    assert r.exit_code == 0, r.output
    lines = r.stderr.splitlines()
    notes = [i for i, line in enumerate(lines) if line.startswith("注意 Note: ")]
    summary = next(i for i, line in enumerate(lines) if line.startswith("已转换 "))
    assert notes and max(notes) < summary
    assert lines[max(notes)] == ("注意 Note: --zone 仅用于 .txt 输出，已忽略。 / "
                                 "--zone applies to a .txt output only; ignored.")
    assert lines[-1].startswith("  基准不变 no datum shift")
