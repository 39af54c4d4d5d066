"""gis.planning.tracking: the unit table, the ledger and the changes, checked by hand on small snapshots."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from density_fixtures import write_layers
from tracking_fixtures import hand_snapshots

import gis
from gis.layers.layerset import load_layers
from gis.planning.changes import CHANGE_COLUMNS
from gis.planning.ledger import LEDGER_COLUMNS
from gis.planning.tracking import track
from gis.planning.trajectories import UNIT_COLUMNS

DESIGN_UNITS = ["unit_type", "unit_id", "name_zh", "name_en", "year", "parcels", "land_km2", "output_yi",
                "density_yi_per_km2", "target_path_yi_per_km2", "target_2025_yi_per_km2", "on_track", "cagr",
                "output_target_2025_yi"]
DESIGN_LEDGER = ["land_198_ha", "reduced_ha", "added_ha", "net_reduced_ha"]
DESIGN_CHANGES = ["parcel_id", "year_from", "year_to", "change", "action_from", "action_to", "output_wan_from",
                  "output_wan_to"]


@pytest.fixture(scope="module")
def layers(tmp_path_factory):
    return load_layers(write_layers(tmp_path_factory.mktemp("layers") / "t.gpkg"))


@pytest.fixture(scope="module")
def result(layers):
    return track(hand_snapshots(), layers, by=("park", "district"))


def unit(result, uid, year):
    u = result.units
    sel = u[(u["unit_id"].astype(str) == uid) & (u["year"] == year)]
    assert len(sel) == 1
    return sel.iloc[0]


def test_columns_follow_design_4c(result):
    assert list(result.units.columns) == DESIGN_UNITS == UNIT_COLUMNS
    assert list(result.changes.columns[: len(DESIGN_CHANGES)]) == DESIGN_CHANGES
    assert list(result.changes.drop(columns="geometry").columns) == CHANGE_COLUMNS
    assert set(DESIGN_LEDGER) <= set(result.ledger.columns) and list(result.ledger.columns) == LEDGER_COLUMNS
    units, ledger, changes = result  # unpacks as the three tables
    assert units is result.units and ledger is result.ledger and changes is result.changes
    assert gis.track is track


def test_one_row_per_unit_and_year(result):
    u = result.units
    assert result.years == [2020, 2021, 2023] and result.baseline_year == 2020
    assert list(u["unit_id"]) == ["P1"] * 3 + ["P2"] * 3 + ["测试区"] * 3
    assert list(u["year"]) == [2020, 2021, 2023] * 3


def test_park_path_by_hand(result):
    p = unit(result, "P1", 2020)
    assert p["name_zh"] == "甲园区" and p["parcels"] == 2
    assert p["land_km2"] == pytest.approx(0.5, rel=1e-6)
    assert p["output_yi"] == pytest.approx(8.0)
    assert p["density_yi_per_km2"] == pytest.approx(16.0, rel=1e-6)
    assert p["target_path_yi_per_km2"] == pytest.approx(16.0, rel=1e-6)   # the baseline itself
    assert p["target_2025_yi_per_km2"] == 25.0 and bool(p["on_track"]) and math.isnan(p["cagr"])
    assert p["output_target_2025_yi"] == 40.0                             # the layer's field
    p = unit(result, "P1", 2021)
    assert p["density_yi_per_km2"] == pytest.approx(17.0, rel=1e-6)       # 8.5 亿元 / 0.5 km²
    assert p["target_path_yi_per_km2"] == pytest.approx(16.0 * 1.045, rel=1e-6)  # 16.72
    assert bool(p["on_track"]) and p["cagr"] == pytest.approx(17.0 / 16.0 - 1, rel=1e-6)
    p = unit(result, "P1", 2023)
    assert p["density_yi_per_km2"] == pytest.approx(18.8, rel=1e-6)       # 9.4 亿元 / 0.5 km²
    assert p["target_path_yi_per_km2"] == pytest.approx(16.0 * 1.045 ** 3, rel=1e-6)  # 18.259
    assert bool(p["on_track"]) and p["cagr"] == pytest.approx((18.8 / 16.0) ** (1 / 3) - 1, rel=1e-6)
    q = unit(result, "P2", 2021)                                          # flat at 10: behind its path
    assert q["density_yi_per_km2"] == pytest.approx(10.0, rel=1e-6)
    assert q["target_path_yi_per_km2"] == pytest.approx(10.45, rel=1e-6)
    assert not bool(q["on_track"]) and q["cagr"] == pytest.approx(0.0, abs=1e-9)
    assert math.isnan(q["output_target_2025_yi"])                          # no target set for P2


def test_path_is_capped_at_the_2025_target(layers):
    snaps = hand_snapshots()
    snaps[2020].loc[snaps[2020]["parcel_id"] == "a", "output_wan"] = 80000.0   # P1 at 22 亿元/km² in 2020
    r = track(snaps, layers, by="park")
    assert unit(r, "P1", 2021)["target_path_yi_per_km2"] == pytest.approx(22.0 * 1.045, rel=1e-6)   # 22.99
    assert unit(r, "P1", 2023)["target_path_yi_per_km2"] == 25.0           # 22 × 1.045³ = 25.1 → 25
    assert not bool(unit(r, "P1", 2023)["on_track"])                       # 18.8 < 25


def test_no_path_where_the_density_target_does_not_apply(result):
    d = unit(result, "测试区", 2021)
    assert math.isnan(d["target_path_yi_per_km2"]) and pd.isna(d["on_track"])
    assert d["cagr"] == pytest.approx((d["density_yi_per_km2"] / unit(result, "测试区", 2020)["density_yi_per_km2"])
                                      - 1, rel=1e-9)


def test_ledger_row_by_hand(result):
    g = result.ledger
    west = g[g["unit_id"] == "西镇"].set_index("year")
    assert list(west["land_198_ha"].round(6)) == [25.0, 17.0, 2.0]
    assert west.loc[2021, "reduced_ha"] == pytest.approx(10.0, abs=1e-6)   # e shrunk 25 → 15 ha
    assert west.loc[2021, "added_ha"] == pytest.approx(2.0, abs=1e-6)      # f, new in 198
    assert west.loc[2021, "net_reduced_ha"] == pytest.approx(8.0, abs=1e-6)
    assert west.loc[2023, "reduced_ha"] == pytest.approx(25.0, abs=1e-6)   # e removed
    assert west.loc[2023, "net_reduced_share"] == pytest.approx(23.0 / 25.0, abs=1e-9)
    assert list(west["parcels_198"]) == [1, 2, 1]
    total = g[g["unit_type"] == "district"].set_index("year")
    assert total["land_198_ha"].to_dict() == west["land_198_ha"].to_dict()
    assert set(g["unit_id"]) == {"西镇", "全区合计"}                        # 东镇 has no 198 land
    for _, r in g.iterrows():                                              # the identity, exactly
        base = g[(g["unit_id"] == r["unit_id"]) & (g["year"] == 2020)]["land_198_ha"].iloc[0]
        assert r["land_198_ha"] == base - r["reduced_ha"] + r["added_ha"]


def test_added_list_parcel_by_parcel(result):
    a = result.added
    assert list(zip(a["year"], a["parcel_id"], a["town"], strict=True)) == [(2021, "f", "西镇"), (2023, "f", "西镇")]
    assert a["added_ha"].round(6).tolist() == [2.0, 2.0] and a["since_year"].tolist() == [2021, 2021]
    assert a["how_en"].iloc[0] == "new parcel"
    per_year = a.groupby("year")["added_ha"].sum()
    led = result.ledger[result.ledger["unit_type"] == "district"].set_index("year")["added_ha"]
    assert np.allclose(per_year.to_numpy(), led.loc[per_year.index].to_numpy())


def test_changes_by_hand(result):
    c = result.changes.set_index(["year_from", "parcel_id"])
    assert c.loc[(2020, "a"), "change"] == "unchanged" and "output_changed" in c.loc[(2020, "a"), "flags"]
    assert c.loc[(2020, "a"), "output_wan_from"] == 50000 and c.loc[(2020, "a"), "output_wan_to"] == 55000
    assert c.loc[(2020, "b"), "change"] == "unchanged" and c.loc[(2020, "b"), "flags"] == ""
    e = c.loc[(2020, "e")]
    assert e["change"] == "reshaped" and e["moved_share"] == pytest.approx(0.4, abs=1e-6)
    assert e["area_m2_from"] == pytest.approx(250000, rel=1e-6) and e["area_m2_to"] == pytest.approx(150000, rel=1e-6)
    assert e["action_from"] == e["action_to"] == "reduce" and e["town"] == "西镇"
    f = c.loc[(2020, "f")]
    assert f["change"] == "added" and pd.isna(f["action_from"]) and f["action_to"] == "reduce"
    assert c.loc[(2021, "e"), "change"] == "removed" and c.loc[(2021, "e"), "year_to"] == 2023
    assert c.loc[(2020, "a"), "park_zh"] == "甲园区"
    assert len(result.changes) == 6 + 7  # a–e + f; a–f + d2


def test_id_change_is_removed_and_added_with_a_hint(result):
    c = result.changes.set_index(["year_from", "parcel_id"])
    d, d2 = c.loc[(2021, "d")], c.loc[(2021, "d2")]
    assert d["change"] == "removed" and d2["change"] == "added"
    assert "id_changed" in d["flags"] and "id_changed" in d2["flags"]
    assert "d2" in d["note_zh"] and "d2" in d["note_en"] and "d" in d2["note_en"]


def test_reshape_threshold_is_one_percent_of_area(layers):
    from shapely import affinity

    snaps = hand_snapshots()
    later = snaps[2021].copy()
    g = later.geometry.to_numpy()
    i = int(np.flatnonzero(later["parcel_id"] == "a")[0])
    j = int(np.flatnonzero(later["parcel_id"] == "b")[0])
    g[i] = affinity.translate(g[i], xoff=0.000004)   # ≈ 0.4 m of 500 m: ≈ 0.15 % of the area moved
    g[j] = affinity.translate(g[j], xoff=0.00006)    # ≈ 5.7 m: ≈ 2.3 %
    later = later.set_geometry(g)
    r = track({2020: snaps[2020], 2021: later}, layers, by="park")
    c = r.changes.set_index("parcel_id")
    assert c.loc["a", "change"] == "unchanged" and 0 < c.loc["a", "moved_share"] < 0.01
    assert c.loc["b", "change"] == "reshaped" and c.loc["b", "moved_share"] > 0.01


def test_non_consecutive_years_and_chosen_baseline(layers):
    r = track(hand_snapshots(), layers, by="park", baseline_year=2021)
    p = unit(r, "P1", 2023)
    assert p["target_path_yi_per_km2"] == pytest.approx(17.0 * 1.045 ** 2, rel=1e-6)
    assert unit(r, "P1", 2020)["cagr"] == pytest.approx(17.0 / 16.0 - 1, rel=1e-6)   # growth 2020 → 2021
    assert r.ledger[(r.ledger["unit_id"] == "西镇") & (r.ledger["year"] == 2021)]["reduced_ha"].iloc[0] == 0


def test_category_units_carry_the_plan_targets(layers):
    r = track(hand_snapshots(), layers, by="category")
    m = r.units[(r.units["unit_id"] == "marine_equipment") & (r.units["year"] == 2020)].iloc[0]
    assert m["unit_type"] == "category" and m["name_zh"] == "海洋装备"
    assert m["output_target_2025_yi"] == 1000.0 and m["parcels"] == 5
    assert m["output_yi"] == pytest.approx(9.21)                          # 92,100 万元
    agri = r.units[(r.units["unit_id"] == "agri_food")].iloc[0]
    assert agri["output_target_2025_yi"] == 20.0 and agri["parcels"] == 0 and agri["output_yi"] == 0


def test_non_industrial_parcels_leave_the_ledger(layers):
    snaps = hand_snapshots()
    s = snaps[2021].copy()
    s["industrial"] = np.where(s["parcel_id"] == "f", "否", "是")         # f registered, but not industrial
    r = track({2020: snaps[2020], 2021: s}, layers, by="park")
    west = r.ledger[(r.ledger["unit_id"] == "西镇") & (r.ledger["year"] == 2021)].iloc[0]
    assert west["added_ha"] == 0 and west["land_198_ha"] == pytest.approx(15.0)
    f = r.changes.set_index("parcel_id").loc["f"]
    assert f["change"] == "unchanged" and "not_industrial" in f["flags"]
