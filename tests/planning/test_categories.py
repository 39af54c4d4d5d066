"""Tests of gis.planning.categories: output per 1+3+X category against the plan's targets."""

from __future__ import annotations

import pytest
from density_fixtures import classified_frame

from gis.errors import FieldError
from gis.planning.categories import CATEGORY_KEYS, category_table
from gis.planning.targets import load_targets


def test_category_table_and_bad_codes():
    p = classified_frame()
    t, _ = category_table(p, load_targets())
    t = t.set_index("category")
    assert t.loc["light_kitchen", "output_yi"] == pytest.approx(0.2)     # 2110 furniture
    assert bool(t.loc["light_kitchen", "meets_target"]) is False
    p2 = classified_frame(industry=["3731", "98", None, "ABC", "36"])
    with pytest.raises(FieldError) as exc:
        category_table(p2, load_targets())
    assert "b: '98'" in exc.value.message_en and "d: 'ABC'" in exc.value.message_en
    p3 = classified_frame(industry=["3731", None, "13", "36", ""])
    t3, notes = category_table(p3, load_targets())
    assert t3.set_index("category").loc["unknown", "parcels"] == 2 and notes


def test_category_weights_share():
    p = classified_frame()
    t, _ = category_table(p, load_targets(), weights=[0.5, 1, 1, 1, 1])
    assert t.set_index("category").loc["marine_equipment", "output_yi"] == pytest.approx(2.5)


def test_no_industry_field_is_not_evaluated():
    p = classified_frame().drop(columns="industry")
    t, notes = category_table(p, load_targets())
    assert t.empty and "industry" in notes[0]


def test_categories_in_the_plans_order():
    t, _ = category_table(classified_frame(), load_targets())
    assert list(t["category"]) == list(CATEGORY_KEYS)
