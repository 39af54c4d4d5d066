"""Tests of gis.planning.density: the per-unit table of DESIGN §4b, hand-checked on tiny inputs."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import require
from density_fixtures import DESIGN_4B, box, classified_frame, row, to_gdf, write_layers

from gis.errors import FieldError
from gis.layers.layerset import load_layers
from gis.planning.density import DENSITY_COLUMNS, categories, density
from gis.planning.values import UnitsWarning


@pytest.fixture(scope="module")
def layers(tmp_path_factory):
    return load_layers(write_layers(tmp_path_factory.mktemp("layers") / "t.gpkg"))


@pytest.fixture
def parcels():
    return classified_frame()


def test_columns_follow_design_4b(parcels, layers):
    t = density(parcels, layers)
    assert list(t.columns[: len(DESIGN_4B)]) == DESIGN_4B
    assert list(t.columns) == DENSITY_COLUMNS


def test_park_table_hand_checked(parcels, layers):
    t = density(parcels, layers, by="park")
    assert list(t["unit_id"]) == ["P1", "P2"]
    p1 = row(t, "P1")
    assert p1["unit_type"] == "park" and p1["name_zh"] == "甲园区" and p1["name_en"] == "Park A"
    assert p1["parcels"] == 2
    assert p1["land_km2"] == pytest.approx(0.5)                      # 250,000 + 250,000 m²
    assert p1["unit_area_km2"] == pytest.approx(2.0, rel=1e-6)        # the 2 km × 1 km park polygon
    assert p1["output_yi"] == pytest.approx(8.0)                      # 80,000 万元
    assert p1["density_yi_per_km2"] == pytest.approx(16.0)
    assert p1["unit_density_yi_per_km2"] == pytest.approx(4.0, rel=1e-6)
    assert p1["target_yi_per_km2"] == 25.0
    assert p1["gap_yi_per_km2"] == pytest.approx(9.0)
    assert bool(p1["meets_target"]) is False
    assert p1["land_mu"] == pytest.approx(750.0)                      # 0.5 km² = 750 亩
    assert p1["tax_yi"] == pytest.approx(0.5)
    assert p1["value_added_yi"] == pytest.approx(2.0)
    assert p1["employees"] == 800
    assert p1["labour_productivity_wan_per_person"] == pytest.approx(20000 / 800)
    assert p1["energy_tce_per_wan"] == pytest.approx(1400 / 20000)
    assert bool(p1["meets_energy_target"]) is True                    # 0.07 ≤ 0.08
    assert p1["energy_gap_tce_per_wan"] == pytest.approx(0.07 - 0.08)
    assert p1["output_target_yi"] == 40.0 and p1["output_gap_yi"] == pytest.approx(32.0)
    assert p1["rd_share_pct"] == pytest.approx(100 * 2500 / 87000)
    assert bool(p1["meets_rd_share"]) is False
    assert p1["high_tech_enterprises"] == 1
    # Projection: 16 × 1.045 in 2025; 25 reached after ceil(log(25/16)/log(1.045)) = 11 years.
    assert p1["projected_density_yi_per_km2"] == pytest.approx(16 * 1.045)
    assert p1["target_reached_year"] == 2024 + math.ceil(math.log(25 / 16) / math.log(1.045)) == 2035
    p2 = row(t, "P2")
    assert p2["density_yi_per_km2"] == pytest.approx(10.0)
    # P2's layer has no target; the default TOML has none under its id or name: left empty.
    assert np.isnan(p2["output_target_yi"]) and pd.isna(p2["meets_output_target"])
    assert t.attrs["notes"]


def test_zone_town_district(parcels, layers):
    z = density(parcels, layers, by="zone")
    assert list(z["unit_id"]) == ["104", "195", "198"]
    assert row(z, "104")["output_yi"] == pytest.approx(9.0)
    assert row(z, "104")["land_km2"] == pytest.approx(0.6)
    assert row(z, "104")["unit_area_km2"] == pytest.approx(3.0, rel=1e-6)
    assert row(z, "104")["target_yi_per_km2"] == 25.0                  # zone:104 is in applies_to
    assert np.isnan(row(z, "195")["target_yi_per_km2"])
    assert row(z, "195")["density_yi_per_km2"] == pytest.approx(0.2 / 0.09)
    tw = density(parcels, layers, by="town")
    assert row(tw, "东镇")["parcels"] == 3 and row(tw, "东镇")["output_yi"] == pytest.approx(8.2)
    assert row(tw, "东镇")["unit_area_km2"] == pytest.approx(50.0, rel=1e-6)
    d = density(parcels, layers, by="district")
    assert len(d) == 1 and d["unit_id"].iloc[0] == "测试区"
    assert d["output_yi"].iloc[0] == pytest.approx(9.21)
    assert d["unit_area_km2"].iloc[0] == pytest.approx(100.0, rel=1e-6)
    assert d["high_tech_target"].iloc[0] == 200 and bool(d["meets_high_tech_target"].iloc[0]) is False
    both = density(parcels, layers, by=["park", "zone"])
    assert list(both["unit_type"]) == ["park", "park", "zone", "zone", "zone"]


def test_apportion_share(layers):
    # A parcel half in P1 (x 2900–3100, P1 ends at 3000) and half in the 195 area.
    f = classified_frame()
    extra = to_gdf([box(2900, 1500, 3100, 1700)], parcel_id=["f"], area_m2=[40000.0], share_104=[0.5],
                   share_195=[0.5], share_198=[0.0], share_outside=[0.0], zone=["104"], park_id=["P1"],
                   town=["东镇"], output_wan=[4000.0])
    both = pd.concat([f, extra], ignore_index=True)
    largest = row(density(both, layers, by="park"), "P1")
    assert largest["output_yi"] == pytest.approx(8.4) and largest["land_km2"] == pytest.approx(0.54)
    share = row(density(both, layers, by="park", apportion="share"), "P1")
    assert share["output_yi"] == pytest.approx(8.2, rel=1e-6)
    assert share["land_km2"] == pytest.approx(0.52, rel=1e-6)
    assert share["parcels"] == 3
    # f has no tax: the units it touches cannot evaluate tax (never filled in).
    assert np.isnan(share["tax_yi"]) and "tax" in share["not_evaluated"]
    z = density(both, layers, by="zone", apportion="share")
    assert row(z, "195")["output_yi"] == pytest.approx(0.2 + 0.2)
    with pytest.raises(FieldError):
        density(both, layers, apportion="half")


def test_user_layer(parcels, layers):
    units = to_gdf([box(0, 0, 5000, 5000), box(5000, 5000, 10000, 10000)], unit_id=["SW", "NE"],
                   name_zh=["西南片", "东北片"])
    t = density(parcels, layers, by=units)
    assert t["unit_type"].iloc[0] == "user"
    assert row(t, "SW")["output_yi"] == pytest.approx(8.2)          # a, b, d
    assert row(t, "NE")["output_yi"] == pytest.approx(1.0)          # c
    assert row(t, "SW")["unit_area_km2"] == pytest.approx(25.0, rel=1e-6)
    assert row(t, "SW")["target_yi_per_km2"] == 25.0                # "user" is in applies_to
    with pytest.raises(FieldError, match="unit_id"):
        density(parcels, layers, by=units.rename(columns={"unit_id": "code", "name_zh": "x"}))
    t2 = density(parcels, layers, by=units.rename(columns={"unit_id": "code"}), unit_id_field="code",
                 unit_type="片区")
    assert t2["unit_type"].iloc[0] == "片区"


def test_missing_output_field_is_named(parcels, layers):
    with pytest.raises(FieldError) as exc:
        density(parcels.drop(columns="output_wan"), layers)
    assert "output_wan" in exc.value.message_en and "output_wan" in exc.value.message_zh


def test_missing_classification_columns(parcels, layers):
    with pytest.raises(FieldError, match="zone"):
        density(parcels.drop(columns=["zone"]), layers)


@pytest.mark.parametrize("field", ["output_wan", "tax_wan", "employees"])
def test_negative_values_rejected_with_ids(parcels, layers, field):
    p = parcels.copy()
    p.loc[p["parcel_id"].isin(["b", "d"]), field] = -1
    with pytest.raises(FieldError) as exc:
        density(p, layers)
    assert "b, d" in exc.value.message_en and field in exc.value.message_en


def test_nan_output_rejected_with_ids(parcels, layers):
    p = parcels.copy()
    p.loc[p["parcel_id"] == "c", "output_wan"] = np.nan
    with pytest.raises(FieldError, match=r"\bc\b"):
        density(p, layers)


def test_text_in_value_field_rejected(parcels, layers):
    p = parcels.copy()
    p["output_wan"] = p["output_wan"].astype(object)
    p.loc[p["parcel_id"] == "a", "output_wan"] = "五万"
    with pytest.raises(FieldError, match="not numbers"):
        density(p, layers)


def test_nan_optional_field_not_evaluated_for_its_unit(parcels, layers):
    p = parcels.copy()
    p.loc[p["parcel_id"] == "c", "employees"] = np.nan
    t = density(p, layers)
    assert np.isnan(row(t, "P2")["labour_productivity_wan_per_person"])
    assert pd.isna(row(t, "P2")["meets_labour_productivity"])
    assert "labour_productivity" in row(t, "P2")["not_evaluated"]
    assert row(t, "P1")["labour_productivity_wan_per_person"] == pytest.approx(25.0)
    assert any("employees" in n for n in t.attrs["notes"])


def test_missing_optional_fields_left_empty(layers):
    p = classified_frame().drop(columns=["tax_wan", "value_added_wan", "employees", "energy_tce", "revenue_wan",
                                         "rd_wan", "high_tech", "industry", "enterprise_zh"])
    t = density(p, layers)
    p1 = row(t, "P1")
    assert p1["density_yi_per_km2"] == pytest.approx(16.0)
    for col in ("tax_yi", "value_added_yi", "employees", "labour_productivity_wan_per_person",
                "energy_tce_per_wan", "rd_share_pct", "high_tech_enterprises"):
        assert np.isnan(p1[col]), col
    for col in ("meets_energy_target", "meets_labour_productivity", "meets_rd_share"):
        assert pd.isna(p1[col]), col
    assert set(p1["not_evaluated"].split(";")) >= {"tax", "labour_productivity", "energy_intensity", "rd_share",
                                                   "high_tech"}
    assert any("not evaluated" in n for n in t.attrs["notes"])
    c = categories(p)
    assert len(c) == 0 and "industry" in c.attrs["notes"][-1]


def test_zero_area_no_division_by_zero(layers):
    p = classified_frame(area_m2=[250000.0, 250000.0, 0.0, 90000.0, 250000.0])
    with np.errstate(all="raise"):
        t = density(p, layers)
    assert np.isnan(row(t, "P2")["density_yi_per_km2"])
    assert row(t, "P2")["output_yi"] == pytest.approx(1.0)
    assert pd.isna(row(t, "P2")["meets_target"]) and pd.isna(row(t, "P2")["target_reached_year"])
    assert any("zero" in n for n in t.attrs["notes"])


def test_units_heuristic_warns_for_yuan(parcels, layers):
    p = parcels.copy()
    p["output_wan"] = p["output_wan"] * 10000  # figures in 元
    with pytest.warns(UnitsWarning, match="元 instead of 万元"):
        t = density(p, layers)
    assert any("units?" in n for n in t.attrs["notes"])


@pytest.mark.filterwarnings("ignore:.*exceeds output:gis.planning.values.UnitsWarning")
def test_units_heuristic_warns_for_yi(parcels, layers):
    p = parcels.copy()
    p["output_wan"] = p["output_wan"] / 10000  # figures in 亿元
    with pytest.warns(UnitsWarning, match="亿元 instead of 万元"):
        density(p, layers)


def test_input_not_mutated(parcels, layers):
    before = parcels.copy()
    density(parcels, layers, by=["park", "zone", "town", "district"], apportion="share")
    pd.testing.assert_frame_equal(parcels.drop(columns="geometry"), before.drop(columns="geometry"))


def test_categories_hand_checked(parcels):
    c = categories(parcels).set_index("category")
    # 3731 ships → marine; 3670 → auto parts; 1391 → agri-food; 2110 furniture → light; 7299 → other.
    assert c.loc["marine_equipment", "output_yi"] == pytest.approx(5.0)
    assert c.loc["marine_equipment", "target_yi"] == 1000.0
    assert c.loc["marine_equipment", "gap_yi"] == pytest.approx(995.0)
    assert c.loc["auto_parts", "share_of_district_pct"] == pytest.approx(100 * 3.0 / 9.21)
    assert c["share_of_district_pct"].sum() == pytest.approx(100.0)
    assert np.isnan(c.loc["other", "target_yi"])


def test_real_classification_matches_hand_frame(layers):
    """The same parcels through gis.classification.classify give the same park figures."""
    from gis.classification.classify import classify

    raw = classified_frame()[["parcel_id", "output_wan", "tax_wan", "geometry"]]
    t = density(classify(raw, layers), layers)
    assert row(t, "P1")["land_km2"] == pytest.approx(0.5, rel=1e-4)
    assert row(t, "P1")["density_yi_per_km2"] == pytest.approx(16.0, rel=1e-4)


# --------------------------------------------------------------------------- default data


def _default_parcels() -> Path:
    from gis.classification.parcels import sample_parcels

    return Path(sample_parcels()[0])


def test_default_data_park_table_hand_check():
    """Acceptance: on the embedded data each park has density, target and gap; one park re-added by hand."""
    import geopandas as gpd

    from gis.classification.classify import classify

    gpkg = _default_parcels()
    require(gpkg.exists(), f"embedded sample parcels ({gpkg})")
    layers = load_layers()
    c = classify(gpd.read_file(gpkg, layer="parcels"), layers, progress=False)
    t = density(c, layers, by="park")
    assert len(t) == len(layers.parks)
    assert t["target_yi_per_km2"].eq(25.0).all()
    assert t["gap_yi_per_km2"].notna().any()
    busiest = t.sort_values("parcels").iloc[-1]
    mine = c[c["park_id"].astype(str) == busiest["unit_id"]]
    land = mine["area_m2"].sum() / 1e6
    out = mine["output_wan"].sum() / 1e4
    assert busiest["parcels"] == len(mine)
    assert busiest["land_km2"] == pytest.approx(land)
    assert busiest["density_yi_per_km2"] == pytest.approx(out / land)
    assert busiest["gap_yi_per_km2"] == pytest.approx(25.0 - out / land)


def test_units_heuristic_tax_in_yuan(parcels, layers):
    p = parcels.copy()
    p["tax_wan"] = p["tax_wan"] * 10000
    with pytest.warns(UnitsWarning, match="tax_wan"):
        density(p, layers)


def test_no_parcels_gives_zeros_not_an_error(layers):
    t = density(classified_frame().iloc[:0], layers, by="park")
    assert list(t["parcels"]) == [0, 0] and list(t["output_yi"]) == [0.0, 0.0]
    assert t["density_yi_per_km2"].isna().all()
