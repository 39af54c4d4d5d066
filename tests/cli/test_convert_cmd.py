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


def test_gcj02_round_trip_through_convert_and_txt(tmp_path):
    """GCJ-02 picks → WGS84 GeoPackage → GCJ-02 for a web map → back; and to the boundary-coordinate TXT from each:
    every file holds, under its label, the truth within 1 m (DESIGN §7)."""
    from datum_truth import gcj02_picks, metres_off

    from gis.io.vector import read_vector

    picks = tmp_path / "picks.geojson"
    gcj02_picks().to_file(picks)
    assert run(picks, "-o", tmp_path / "w.gpkg", "--datum", "gcj02").exit_code == 0
    r = run(tmp_path / "w.gpkg", "-o", tmp_path / "web.geojson", "--to-datum", "gcj02")
    assert r.exit_code == 0 and "web.gcj02.geojson" in r.stderr and "GCJ-02" in r.stderr
    web = tmp_path / "web.gcj02.geojson"
    assert '"description": "GCJ-02' in web.read_text(encoding="utf-8")
    # GeoJSON keeps no CRS: its name says GCJ-02, and so the readers take it
    assert read_vector(web).crs.to_epsg() is None
    assert run(web, "-o", tmp_path / "back.gpkg").exit_code == 0
    for name in ("w.gpkg", "web.gcj02.geojson", "back.gpkg"):
        got = read_vector(tmp_path / name)
        assert (metres_off(got) < 1.0).all(), (name, metres_off(got))
    for name in ("w.gpkg", "web.gcj02.geojson", "back.gpkg"):  # to CGCS2000 plane coordinates
        txt = tmp_path / f"{Path(name).stem}.txt"
        assert run(tmp_path / name, "-o", txt).exit_code == 0
        got = read_vector(txt).rename(columns={"block_id": "parcel_id"})
        assert (metres_off(got) < 1.0).all(), (name, metres_off(got))
