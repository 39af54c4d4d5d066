"""``parkgis map``: web and print maps from the command line, errors as bilingual non-zero exits."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from gis.maps import external_asset_refs


@pytest.fixture(scope="module")
def cli():
    from gis.cli import map_cmd
    from gis.cli.main import cli as group

    if "map" not in group.list_commands(None):
        group.add_command(map_cmd.command)
    return group


def test_cli_web_map(map_toy, tmp_path, cli):
    layers, parcels, src = map_toy
    pfile = tmp_path / "parcels.gpkg"
    parcels[["parcel_id", "enterprise_zh", "output_wan", "geometry"]].to_file(pfile)
    out = tmp_path / "web" / "map.html"
    res = CliRunner().invoke(cli, ["map", str(pfile), "--layers", str(src), "-o", str(out)])
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    assert "ParkgisParcelLayer(" in html and external_asset_refs(html) == []
    res = CliRunner().invoke(cli, ["map", str(pfile), "--layers", str(src), "--mode", "density", "-o", str(out)])
    assert res.exit_code == 0, res.output


def test_cli_errors_are_bilingual(map_toy, tmp_path, cli):
    _, _, src = map_toy
    res = CliRunner().invoke(cli, ["map", "--layers", str(src), "--tiles", "tianditu", "-o", str(tmp_path / "m.html")])
    assert res.exit_code == 2
    assert "天地图" in res.output and "Tianditu" in res.output



def test_map_without_parcels_draws_the_embedded_sample(tmp_path, cli):
    """`parkgis map -o map.html` (the README tour) draws parcels by action: the embedded sample by default."""
    out = tmp_path / "m.html"
    res = CliRunner().invoke(cli, ["map", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "SYNTHETIC" in res.output
    html = out.read_text(encoding="utf-8")
    assert "ParkgisParcelLayer(" in html and "P0000001" in html


def test_cli_static_maps(map_toy, tmp_path, cli):
    _, parcels, src = map_toy
    pfile = tmp_path / "classified.gpkg"
    parcels.drop(columns=["flags"]).to_file(pfile)  # an already classified file is drawn as it is
    out = tmp_path / "maps"
    res = CliRunner().invoke(cli, ["map", str(pfile), "--layers", str(src), "--static", "--dpi", "50",
                                   "--format", "png", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in out.iterdir()) == ["overview.png", "park_A.png", "park_B.png"]
