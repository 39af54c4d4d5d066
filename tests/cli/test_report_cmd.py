"""``parkgis report``: the report from the command line, escaped, without PDF or static maps when asked."""

from __future__ import annotations

from click.testing import CliRunner


def test_cli_report_on_toy_layers(report_toy, tmp_path):
    from gis.cli.main import cli

    out = tmp_path / "rep"
    res = CliRunner().invoke(cli, ["-q", "report", str(report_toy[1]), "--layers", str(report_toy[0]), "-o", str(out),
                                   "--no-pdf", "--no-static-maps"])
    assert res.exit_code == 0, res.output
    assert "report.html" in res.output and "tables.xlsx" in res.output
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;" in html and "<script>alert" not in html
    assert 'id="illustrative-note"' not in html  # the toy layers are not marked illustrative
    assert 'id="siting"' not in html  # no projects given
    assert (out / "parcels.gpkg").exists() and not (out / "report.pdf").exists()
