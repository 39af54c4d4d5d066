"""``parkgis demo``: the whole chain on the embedded layers, every file written and summarised."""

from __future__ import annotations

from click.testing import CliRunner


def test_cli_demo_writes_everything_and_summarises(tmp_path):
    from gis.cli.main import cli

    out = tmp_path / "demo"
    res = CliRunner().invoke(cli, ["demo", "-o", str(out), "--no-pdf"])
    assert res.exit_code == 0, res.output
    for name in ("projects.csv", "report.html", "tables.xlsx", "parcels.gpkg", "map.html", "maps/overview.png"):
        assert (out / name).exists(), name
    assert "[8/8]" in res.output and "已写出 Written" in res.output
    assert "可准入 allowed 2 · 需审查 review 2 · 禁止 prohibited 1" in res.output
    # the monitoring chapter of six synthetic years
    assert len(list((out / "snapshots").glob("parcels_20*.gpkg"))) == 6 and (out / "changes.gpkg").exists()
    assert "跟踪监测 monitoring 2020–2025" in res.output
    assert 'id="monitoring"' in (out / "report.html").read_text(encoding="utf-8")
