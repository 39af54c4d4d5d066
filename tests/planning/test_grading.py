"""Tests of gis.planning.grading: 亩均效益评价 A/B/C/D, hand-checked."""

from __future__ import annotations

import numpy as np
import pytest
from density_fixtures import GRADING_TOML, grading_frame, write_layers

from gis.layers.layerset import load_layers
from gis.planning.grading import grade, grade_summary
from gis.planning.targets import load_targets


@pytest.fixture
def targets(tmp_path):
    f = tmp_path / "g.toml"
    f.write_text(GRADING_TOML, encoding="utf-8")
    return load_targets(f)


def test_scores_and_classes_by_hand(targets):
    g = grade(grading_frame(), targets).set_index("parcel_id")
    assert g.loc["a", "land_mu"] == pytest.approx(15.0)
    assert g.loc["a", "output_wan_per_mu"] == pytest.approx(100.0)
    # a: 100, 100, 100 → 100 → A
    assert g.loc["a", "score"] == pytest.approx(100.0) and g.loc["a", "grade"] == "A"
    # b: 50, 40, 80 → 0.4·50 + 0.4·40 + 0.2·80 = 52 → C (A ≥ 100, B ≥ 70, C ≥ 40)
    assert g.loc["b", "score"] == pytest.approx(52.0) and g.loc["b", "grade"] == "C"
    # c: output capped at 150, tax 20, VA 90 → 60 + 8 + 18 = 86 → B
    assert g.loc["c", "score_output_wan_per_mu"] == pytest.approx(150.0)
    assert g.loc["c", "score"] == pytest.approx(86.0) and g.loc["c", "grade"] == "B"
    # d: 30, 10, 10 → 12 + 4 + 2 = 18 → D
    assert g.loc["d", "score"] == pytest.approx(18.0) and g.loc["d", "grade"] == "D"
    # e: zero energy → that indicator not evaluated, weights renormalised: (0·0.4 + 0·0.4) / 0.8 = 0 → D
    assert g.loc["e", "score"] == pytest.approx(0.0) and g.loc["e", "grade"] == "D"
    assert g.loc["e", "not_evaluated"] == "value_added_wan_per_tce"


def test_upgrade_candidates_are_low_grades_in_parks(targets):
    g = grade(grading_frame(), targets).set_index("parcel_id")
    # b is C in park P1 → candidate; d and e are D but not in a park (195, 198).
    assert g["upgrade_candidate"].tolist() == [False, True, False, False, False]
    assert "P1" in g.loc["b", "note_en"] and "upgrade candidate" in g.loc["b", "note_en"]
    assert "提质增效" in g.loc["b", "note_zh"]
    assert g.loc["d", "note_en"] == ""


def test_missing_tax_field_renormalises(targets):
    g = grade(grading_frame().drop(columns="tax_wan"), targets).set_index("parcel_id")
    # a: (0.4·100 + 0.2·100) / 0.6 = 100
    assert g.loc["a", "score"] == pytest.approx(100.0)
    # b: (0.4·50 + 0.2·80) / 0.6 = 60
    assert g.loc["b", "score"] == pytest.approx(60.0)
    assert "tax_wan_per_mu" in g.loc["b", "not_evaluated"]
    assert np.isnan(g.loc["b", "tax_wan_per_mu"])
    assert any("tax_wan_per_mu not evaluated" in n for n in g.attrs["notes"])


def test_median_benchmark_is_stated(tmp_path):
    f = tmp_path / "m.toml"
    f.write_text(GRADING_TOML.replace("tax_wan_per_mu = 10.0", 'tax_wan_per_mu = "median"'), encoding="utf-8")
    g = grade(grading_frame(), load_targets(f))
    # tax per 亩 of the five graded parcels: 10, 4, 2, 1, 0 → median 2
    assert any("median, 2.00" in n for n in g.attrs["notes"])
    assert g.set_index("parcel_id").loc["c", "score_tax_wan_per_mu"] == pytest.approx(100.0)


def test_not_graded_parcels(targets):
    p = grading_frame()
    p.loc[p["parcel_id"] == "d", "enterprise_zh"] = None
    p.loc[p["parcel_id"] == "e", "zone"] = None   # outside the district
    p.loc[p["parcel_id"] == "c", "area_m2"] = 0.0
    g = grade(p, targets).set_index("parcel_id")
    assert g.loc[["c", "d", "e"], "grade"].isna().all()
    assert "No enterprise" in g.loc["d", "note_en"]
    assert "Outside" in g.loc["e", "note_en"]
    assert "Zero area" in g.loc["c", "note_en"]
    assert g.loc["a", "grade"] == "A"


def test_min_land(tmp_path):
    f = tmp_path / "m.toml"
    f.write_text(GRADING_TOML.replace("score_cap = 1.5", "score_cap = 1.5\nmin_land_mu = 20"), encoding="utf-8")
    g = grade(grading_frame(), load_targets(f))
    assert g["grade"].isna().all() and "20 mu" in g["note_en"].iloc[0]


def test_negative_rejected(targets):
    from gis.errors import FieldError

    p = grading_frame()
    p.loc[p["parcel_id"] == "a", "energy_tce"] = -5
    with pytest.raises(FieldError, match="a"):
        grade(p, targets)


def test_summary_per_park_and_zone(tmp_path, targets):
    layers = load_layers(write_layers(tmp_path / "l.gpkg"))
    g = grade(grading_frame(), targets)
    s = grade_summary(g, layers, targets=targets)
    p1 = s[(s["unit_type"] == "park") & (s["unit_id"] == "P1")].iloc[0]
    assert p1["name_zh"] == "甲园区"
    assert (p1["parcels_graded"], p1["grade_A"], p1["grade_C"], p1["upgrade_candidates"]) == (2, 1, 1, 1)
    assert p1["land_mu_C"] == pytest.approx(15.0)
    assert p1["share_low_pct"] == pytest.approx(50.0)
    assert p1["output_wan_per_mu"] == pytest.approx((1500 + 750) / 30)
    z = s[s["unit_type"] == "zone"].set_index("unit_id")
    assert list(z.index) == ["104", "195", "198"]
    assert z.loc["104", "grade_B"] == 1 and z.loc["198", "grade_D"] == 1
    d = s[s["unit_type"] == "district"].iloc[0]
    assert d["parcels_graded"] == 5 and d["name_zh"] == "测试区" and d["unit_id"] == "测试区"


def test_notes_name_the_park_and_state_weights_in_words(tmp_path, targets):
    """Text for people: the park by its name (not its id), the weights without a Python dict."""
    layers = load_layers(write_layers(tmp_path / "l.gpkg"))
    g = grade(grading_frame(), targets, layers=layers).set_index("parcel_id")
    assert g.loc["b", "note_zh"].startswith("甲园区内") and "P1" not in g.loc["b", "note_zh"]
    assert "P1" not in g.loc["b", "note_en"]
    weights = next(n for n in g.attrs["notes"] if "权重" in n)
    assert "{" not in weights and "'" not in weights and "亩均产出 0.4" in weights and "output per mu 0.4" in weights
