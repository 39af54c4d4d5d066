"""Tests of gis/domain/industry_categories.py: the plan's 1+3+X categories of GB/T 4754-2017 codes."""

from __future__ import annotations

import pandas as pd
import pytest

from gis.domain.industry import MANUFACTURING_DIVISIONS, normalise_code
from gis.domain.industry_categories import (
    CATEGORIES,
    CATEGORY_PREFIXES,
    category,
    category_info,
)
from gis.errors import FieldError


def test_every_manufacturing_division_has_a_category():
    cats = category(pd.Series(sorted(MANUFACTURING_DIVISIONS)))
    assert cats.notna().all() and not (cats == "other").any()


@pytest.mark.parametrize(
    "code, cat",
    [
        ("3731", "marine_equipment"),  # 金属船舶制造
        ("3737", "marine_equipment"),  # 海洋工程装备制造
        ("373", "marine_equipment"),
        ("3730", "marine_equipment"),  # group 373 written padded
        ("3513", "marine_equipment"),  # 深海石油钻探设备制造
        ("4342", "marine_equipment"),  # 船舶修理
        ("3710", "other_manufacturing"),  # railway: division 37 is not marine as a whole
        ("37", "other_manufacturing"),
        ("3512", "other_manufacturing"),
        ("1310", "agri_food"),
        ("15", "agri_food"),
        ("16", "other_manufacturing"),  # tobacco
        ("36", "auto_parts"),
        ("3670", "auto_parts"),
        ("3381", "light_kitchen"),  # 金属制厨房用器具制造
        ("3854", "light_kitchen"),  # 家用厨房电器具制造
        ("21", "light_kitchen"),
        ("3851", "light_kitchen"),
        ("38", "other_manufacturing"),
        ("3921", "emerging_x"),  # 通信系统设备制造 (5G)
        ("3491", "emerging_x"),  # 工业机器人制造
        ("64", "emerging_x"),
        ("6513", "emerging_x"),
        ("7720", "emerging_x"),
        ("26", "other_manufacturing"),
        ("51", "other"),
        ("0511", "other"),
    ],
)
def test_category(code, cat):
    assert category(code) == cat


def test_category_prefixes_are_valid_and_unique():
    prefixes = [p for p, _ in CATEGORY_PREFIXES]
    assert len(prefixes) == len(set(prefixes))
    assert all(normalise_code(p) == p for p in prefixes)
    assert {k for _, k in CATEGORY_PREFIXES} <= {c.key for c in CATEGORIES}


def test_category_overrides():
    assert category("4023") == "other_manufacturing"
    assert category("4023", overrides={"4023": "marine_equipment"}) == "marine_equipment"
    with pytest.raises(FieldError, match="Unknown industry category"):
        category("13", overrides={"13": "shipbuilding"})


@pytest.mark.parametrize(
    "cat, group, name_zh, target_yi",
    [
        ("marine_equipment", "1", "海洋装备", 1000),
        ("agri_food", "3", "绿色食品加工", 20),
        ("auto_parts", "3", "汽车及零部件", 30),
        ("light_kitchen", "3", "轻工及厨具", 20),
        ("emerging_x", "X", None, 30),
        ("other_manufacturing", None, None, None),
        ("other", None, None, None),
    ],
)
def test_category_info(cat, group, name_zh, target_yi):
    info = category_info(cat)
    assert info["key"] == cat and info["group"] == group and info["target_year"] == 2025
    assert info["target_yi"] == target_yi
    assert info["name_zh"] and info["name_en"]
    if name_zh:
        assert info["name_zh"] == name_zh


def test_category_info_unknown():
    with pytest.raises(FieldError) as err:
        category_info("steel")
    assert "marine_equipment" in err.value.message_en
