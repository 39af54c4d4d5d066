"""gis.synth.snapshots and ``parkgis synth --years``: yearly synthetic snapshots, marked synthetic."""

from __future__ import annotations

import numpy as np
import pyogrio
import pytest
import shapely
from click.testing import CliRunner

from gis.cli.main import cli
from gis.errors import InputError
from gis.synth.snapshots import parse_years, scale_geometries, synth_snapshots


@pytest.mark.parametrize("text, years", [("2020-2025", list(range(2020, 2026))),
                                         ("2020，2022,2025", [2020, 2022, 2025]), ("2023–2024", [2023, 2024])])
def test_parse_years(text, years):
    assert parse_years(text) == years


@pytest.mark.parametrize("text", ["2020", "2025-2020", "twenty", "2020-2090"])
def test_parse_years_refuses(text):
    with pytest.raises(InputError):
        parse_years(text)


def test_scale_keeps_the_centre_and_scales_the_area():
    g = np.array([shapely.box(0, 0, 2, 1), shapely.box(10, 10, 11, 11)], dtype=object)
    s = scale_geometries(g, np.array([0.5, 2.0]))
    assert shapely.area(s).tolist() == pytest.approx([0.5, 4.0])
    assert shapely.equals_exact(shapely.centroid(s), shapely.centroid(g), 1e-12).all()


@pytest.fixture(scope="module")
def snaps():
    return synth_snapshots([2020, 2021, 2022, 2023], seed=5)


def test_snapshots_are_deterministic_and_marked(snaps):
    again = synth_snapshots([2020, 2021], seed=5)
    assert again[2021]["parcel_id"].tolist() == snaps[2021]["parcel_id"].tolist()
    assert np.allclose(again[2021]["output_wan"], snaps[2021]["output_wan"])
    for y, s in snaps.items():
        assert s["synthetic"].all() and (s["year"] == y).all()
        assert s["parcel_id"].is_unique


def test_plausible_change(snaps):
    first, last = snaps[2020], snaps[2023]
    park0 = first[first["zone"] == "104"].groupby("park_id")["output_wan"].sum()
    park3 = last[(last["zone"] == "104") & last["industrial"]].groupby("park_id")["output_wan"].sum()
    growth = (park3 / park0) ** (1 / 3) - 1
    assert growth.between(0.0, 0.1).all() and 0.02 < growth.median() < 0.08   # near the plan's 4.5 %
    land198 = [s.loc[(s["zone"] == "198") & s["industrial"], "area_m2"].sum() for s in snaps.values()]
    assert all(b < a for a, b in zip(land198, land198[1:], strict=False))       # reduced year by year
    new_ids = set(last["parcel_id"]) - set(first["parcel_id"])
    assert (last["parcel_id"].isin(new_ids) & (last["zone"] == "198")).sum() >= 3   # against the plan
    assert (~last["industrial"]).sum() > 0 and (last.loc[~last["industrial"], "output_wan"] == 0).all()
    assert (last["rule"] == "riverbank_chemical_reduce").sum() >= 1                  # the 2023 plan revision
    assert (first["rule"] == "riverbank_chemical_reduce").sum() == 0


def test_synth_years_command(tmp_path):
    out = tmp_path / "snaps"
    res = CliRunner().invoke(cli, ["synth", "--years", "2021-2022", "-o", str(out)])
    assert res.exit_code == 0, res.output
    files = sorted(out.glob("*.gpkg"))
    assert [f.name for f in files] == ["parcels_2021.gpkg", "parcels_2022.gpkg"]
    info = pyogrio.read_info(files[0], layer="parcels")
    assert "SYNTHETIC" in info["layer_metadata"]["DESCRIPTION"] and info["dataset_metadata"]["synthetic"] == "true"
    gdf = pyogrio.read_dataframe(files[1])
    assert gdf["synthetic"].all() and (gdf["year"] == 2022).all()
    res = CliRunner().invoke(cli, ["synth", "-o", str(tmp_path / "x.gpkg")])
    assert res.exit_code == 2 and "--n" in res.output and "--years" in res.output
    res = CliRunner().invoke(cli, ["synth", "--years", "2021-2022", "-o", str(files[0])])
    assert res.exit_code == 2 and "folder" in res.output
