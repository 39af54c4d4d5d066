"""``parkgis synth``: synthetic parcels over a layer source, never over it."""

from __future__ import annotations

from pathlib import Path

import pyogrio
from click.testing import CliRunner

GPKG = Path(__file__).resolve().parents[2] / "layers" / "chongming" / "chongming.gpkg"
FIELDS = ["parcel_id", "enterprise_zh", "industry", "land_use", "output_wan", "revenue_wan", "value_added_wan",
          "tax_wan", "rd_wan", "energy_tce", "employees", "high_tech", "synthetic"]


def test_cli_synth(tmp_path):
    from gis.cli.main import cli

    out = tmp_path / "parcels.gpkg"
    res = CliRunner().invoke(cli, ["synth", "--n", "40", "--seed", "9", "-o", str(out)])
    assert res.exit_code == 0, res.output
    p = pyogrio.read_dataframe(out)
    assert len(p) == 40 and set(FIELDS) <= set(p.columns)
    res = CliRunner().invoke(cli, ["synth", "--n", "5", "--layers", str(GPKG), "-o", str(GPKG)])
    assert res.exit_code != 0  # refuses to overwrite its layer source


def test_cli_synth_says_how_many(tmp_path):
    from gis.cli.main import cli

    out = tmp_path / "p.geojson"
    res = CliRunner().invoke(cli, ["synth", "--n", "3", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert res.stderr.strip() == f"已写出 3 个合成地块 / wrote 3 synthetic parcels: {out}"
