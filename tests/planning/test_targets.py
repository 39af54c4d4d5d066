"""Tests of gis.planning.targets: the TOML targets and the density projection."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from gis.errors import RuleError
from gis.planning.targets import default_targets_path, load_targets, project_density


def test_defaults_are_the_plan():
    t = load_targets()
    assert t.source == "defaults"
    assert default_targets_path().exists()
    assert t.number("density.target_yi_per_km2") == 25.0
    assert t.number("density.growth_rate") == 0.045
    assert t.number("energy.target_tce_per_wan") == 0.08
    assert t.number("zhangjiang.labour_productivity_wan_per_person") == 16.0
    assert t.number("zhangjiang.rd_share_pct") == 3.0
    assert t.number("zhangjiang.high_tech_enterprises") == 200
    parks = t.get("park_output.targets_yi")
    assert parks["长兴海洋装备产业基地"] == 100 and parks["崇明工业园区"] == 40 and parks["智慧岛数据产业园"] == 30
    assert parks["富盛经济开发区"] == 10 and parks["崇明现代农业园区"] == 16
    cats = t.get("categories.targets_yi")
    assert cats == {"marine_equipment": 1000.0, "agri_food": 20.0, "auto_parts": 30.0, "light_kitchen": 20.0,
                    "emerging_x": 30.0}
    assert t.target_year == 2025


def test_planner_file_merges_over_defaults(tmp_path):
    f = tmp_path / "mine.toml"
    f.write_text('[density]\ntarget_yi_per_km2 = 30\n[park_output.targets_yi]\nP9 = 12.5\n', encoding="utf-8")
    t = load_targets(f)
    assert t.number("density.target_yi_per_km2") == 30
    assert t.number("density.growth_rate") == 0.045             # untouched default
    assert t.get("park_output.targets_yi")["P9"] == 12.5        # new free key
    assert t.get("park_output.targets_yi")["崇明工业园区"] == 40  # default kept
    t2 = load_targets(t, overrides={"plan": {"base_year": 2022}})
    assert t2.base_year == 2022 and t2.number("density.target_yi_per_km2") == 30


@pytest.mark.parametrize("text, match", [
    ("[density]\ntarget_yi_per_km = 30\n", "target_yi_per_km"),         # typo: refused, not ignored
    ("[density]\ntarget_yi_per_km2 = -1\n", "cannot be negative"),
    ("[density]\ntarget_yi_per_km2 = \"lots\"\n", "not a number"),
    ("[grading.classes]\nA = 10\nB = 50\n", "A >= B"),
    ("[plan]\nbase_year = 2030\n", "before"),
    ("[grading.benchmarks]\ntax_wan_per_mu = \"mean\"\n", "median"),
    ("[grading.upgrade]\ngrades = [\"E\"]\n", "must be one of: A, B, C, D"),
    ("[density\n", "not valid TOML"),
])
def test_bad_targets_refused(tmp_path, text, match):
    f = tmp_path / "bad.toml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(RuleError, match=match):
        load_targets(f)


def test_missing_targets_file():
    with pytest.raises(RuleError, match="not found"):
        load_targets("/nonexistent/targets.toml")


@pytest.mark.parametrize("d, expect_year", [
    (16.0, 2024 + math.ceil(math.log(25 / 16) / math.log(1.045))),  # 2035
    (25.0, 2024),          # already there
    (30.0, 2024),
    (25 / 1.045, 2025),    # exactly one year of growth short: not pushed on by rounding
    (0.0, None),           # never
    (np.nan, None),        # not evaluated
])
def test_projection(d, expect_year):
    proj, year = project_density([d], 25.0, 0.045, 2024, 2025)
    if np.isfinite(d):
        assert proj[0] == pytest.approx(d * 1.045)
    if expect_year is None:
        assert pd.isna(year[0])
    else:
        assert year[0] == expect_year


def test_projection_without_growth():
    _, year = project_density([10.0, 30.0], 25.0, 0.0, 2024, 2025)
    assert pd.isna(year[0]) and year[1] == 2024
