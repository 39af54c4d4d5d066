"""``parkgis layers``: the listing as text and as JSON."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from toylayers import write_toy_gpkg

from gis.cli.main import cli


@pytest.fixture(scope="module")
def toy_src(tmp_path_factory):
    return str(write_toy_gpkg(tmp_path_factory.mktemp("toy") / "toy.gpkg"))


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_layers_command_on_toy(toy_src):
    r = run("layers", "--layers", toy_src)
    assert r.exit_code == 0
    assert "zone_195" in r.output and "yangtze_1km" in r.output and "104+195+198" in r.output


def test_layers_json_on_toy(toy_src):
    r = run("layers", "--layers", toy_src, "--json", "--buffer-m", "500")
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert data["source"] and isinstance(data["notes"], list)
    roles = {row["role"] for row in data["layers"]}
    assert {"district", "parks", "zone_104", "zone_195", "zone_198", "yangtze_1km"} <= roles
    assert data["district_parts"] and data["official_land_area_km2"] is None
