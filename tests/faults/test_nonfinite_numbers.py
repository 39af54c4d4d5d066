"""Non-finite and absurd numbers in every numeric field: a bilingual error or a flagged row, never a silent result.

``output_wan = inf`` gave a density of 8.5e305 that "met the target"; NaN, inf
and 1e300 coordinates raised GEOSException. Now: value fields and options are
refused naming the field (exit 2); a project row carries its error and the
batch goes on; a parcel with invalid coordinates is kept and flagged
``invalid_coordinates`` (DESIGN §4).
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from faults_common import assert_refused, parcels, run, snapshot, toy_parcels, write_toy_gpkg
from toylayers import box, toy_layers

from gis.planning.values import VALUE_FIELDS

BAD = [math.inf, -math.inf, 1e300]


@pytest.fixture(scope="module")
def layers(tmp_path_factory):
    return write_toy_gpkg(tmp_path_factory.mktemp("layers") / "toy.gpkg")


@pytest.mark.parametrize("value", BAD, ids=["inf", "-inf", "1e300"])
@pytest.mark.parametrize("field", list(VALUE_FIELDS))
def test_every_value_field_of_the_parcels(tmp_path, layers, field, value):
    values = [1.0, 2.0, 3.0]
    values[1] = value
    p = toy_parcels(tmp_path / "parcels.gpkg", **{field: values})
    before = snapshot(tmp_path)
    cmd = "grade" if field in ("tax_wan", "value_added_wan", "energy_tce") else "density"
    assert_refused(run(cmd, p, "--layers", layers, "-o", tmp_path / "out.csv"), field, "b")
    assert snapshot(tmp_path) == before


def test_nan_in_the_required_output(tmp_path, layers):
    p = toy_parcels(tmp_path / "parcels.gpkg", output_wan=[1.0, np.nan, 3.0])
    assert_refused(run("density", p, "--layers", layers, "-o", tmp_path / "out.csv"), "output_wan", "b")


OPTIONS = ["--land-m2", "--output-wan", "--value-added-wan", "--energy-tce", "--investment-wan", "--radius-m"]


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "-1", "1e300"])
@pytest.mark.parametrize("option", OPTIONS)
def test_every_number_of_a_site(layers, option, value):
    assert_refused(run("site-check", "--lonlat", "121.43,31.58", "--layers", layers, "--industry", "3311",
                       option, value))


@pytest.mark.parametrize("lonlat", ["nan,31.58", "121.43,inf", "1e300,31.58", "abc,def"])
def test_site_coordinates(layers, lonlat):
    r = run("site-check", "--lonlat", lonlat, "--layers", layers)
    err = assert_refused(r)
    assert "not a number" in err or "not a finite number" in err or "outside the range" in err


@pytest.mark.parametrize("wkt", ["POINT (nan 31.58)", "POLYGON ((121.43 31.58, 1e300 31.58, 121.44 31.59, "
                                                      "121.43 31.58))", "POINT (inf inf)"])
def test_site_wkt_coordinates(layers, wkt):
    assert_refused(run("site-check", "--wkt", wkt, "--layers", layers), "not valid")


def test_project_rows_each_carry_their_error(tmp_path, layers):
    rows = ["project_id,lon,lat,radius_m,output_wan,land_m2,energy_tce",
            "P1,121.43,31.58,1e300,100,1000,1", "P2,121.43,31.58,500,inf,1000,1",
            "P3,121.43,31.58,,100,nan,1", "P4,121.43,31.58,100,100,1000,-inf",
            "P5,nan,31.58,,100,1000,1", "P6,121.43,31.58,100,100,1000,1"]
    (tmp_path / "p.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    r = run("site-check", "--projects", tmp_path / "p.csv", "--layers", layers, "-o", tmp_path / "out.csv")
    assert r.exit_code == 0, r.output
    out = pd.read_csv(tmp_path / "out.csv", encoding="utf-8-sig")
    assert list(out["project_id"]) == [f"P{k}" for k in range(1, 7)]  # every row, in order
    err = out["error_en"].fillna("").tolist()
    assert "radius" in err[0] and "output" in err[1] and "land" in err[2] and "energy" in err[3]
    assert "lon/lat" in err[4]
    assert out["verdict"].notna().tolist() == [False] * 5 + [True]


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf, 1e300])
def test_parcels_with_invalid_coordinates_are_kept_and_flagged(tmp_path, layers, bad):
    p = parcels([("a", box(3, 3, 4, 4)), ("b", shapely.Polygon([(121.43, 31.58), (bad, 31.58), (121.44, 31.59)])),
                 ("c", box(8, 3, 9, 4))])
    p.to_file(tmp_path / "p.gpkg")
    r = run("classify", tmp_path / "p.gpkg", "--layers", layers, "-o", tmp_path / "out.gpkg")
    assert r.exit_code == 0, r.output
    out = gpd.read_file(tmp_path / "out.gpkg")
    assert list(out["parcel_id"]) == ["a", "b", "c"]
    assert out.loc[1, "flags"] == "invalid_coordinates" and pd.isna(out.loc[1, "zone"])
    assert "not valid" in out.loc[1, "reason_en"]
    assert out.loc[0, "flags"] == "" and out.loc[2, "action"] == "reduce"


@pytest.mark.parametrize("option, value", [("--cell", "nan"), ("--cell", "inf"), ("--cell", "0"), ("--cell", "-5"),
                                           ("--cell", "1e-9"), ("--cell", "1e300")])
def test_density_grid_cell(tmp_path, layers, option, value):
    p = toy_parcels(tmp_path / "parcels.gpkg")
    assert_refused(run("density", p, "--layers", layers, "-o", tmp_path / "d.csv", "--grid", tmp_path / "g.tif",
                       option, value), "--cell")
    assert not (tmp_path / "g.tif").exists() and not (tmp_path / "d.csv").exists()


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "1e300"])
def test_riverbank_buffer(layers, value):
    assert_refused(run("layers", "--layers", layers, "--buffer-m", value), "--buffer-m")


@pytest.mark.parametrize("value", [np.inf, -5.0, "many"])
def test_park_targets_in_the_layer(tmp_path, value):
    roles = toy_layers()
    roles["parks"]["target_output_2025_yi"] = pd.Series([40.0, value], dtype=object)
    src = write_toy_gpkg(tmp_path / "bad.gpkg", roles)
    assert_refused(run("layers", "--layers", src), "target_output_2025_yi", "B")


@pytest.mark.parametrize("band", ["0", "3", "-1"])
def test_zonal_band(tmp_path, layers, band):
    p = toy_parcels(tmp_path / "parcels.gpkg")
    assert run("density", p, "--layers", layers, "-o", tmp_path / "d.csv", "--grid", tmp_path / "g.tif",
               "--cell", "100").exit_code == 0
    assert_refused(run("density", p, "--layers", layers, "-o", tmp_path / "z.xlsx", "--zonal", tmp_path / "g.tif",
                       "--zonal-band", band), "--zonal-band", "1–2")
