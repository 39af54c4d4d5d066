"""Tests of gis.planning.target_gaps: park output targets and the target columns of a density table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gis.planning.target_gaps import apply_targets, park_output_targets
from gis.planning.targets import load_targets


def test_park_output_targets_prefer_layer_then_toml(tmp_path):
    parks = pd.DataFrame({"park_id": ["P1", "P2", "P3"], "name_zh": ["崇明工业园区", "智慧岛数据产业园", "新园"],
                          "target_output_2025_yi": [45.0, None, None]})
    s, notes = park_output_targets(parks, load_targets())
    assert s["P1"] == 45.0          # layer value wins by default
    assert s["P2"] == 30.0          # filled from the TOML by name
    assert np.isnan(s["P3"])        # neither: left empty
    assert notes and "P1" in notes[0]
    f = tmp_path / "t.toml"
    f.write_text('[park_output]\nprefer = "toml"\n[park_output.targets_yi]\nP3 = 5\n', encoding="utf-8")
    s2, _ = park_output_targets(parks, load_targets(f))
    assert s2["P1"] == 40.0 and s2["P3"] == 5.0


def test_apply_targets_gaps_are_shortfalls():
    """Density 16 against 25: gap 9, not met; energy 0.1 against 0.08: 0.02 above, not met (lower is better)."""
    t = pd.DataFrame({"unit_id": ["P1", "P2"], "density_yi_per_km2": [16.0, 30.0], "output_yi": [8.0, 10.0],
                      "labour_productivity_wan_per_person": [20.0, np.nan], "energy_tce_per_wan": [0.1, 0.05],
                      "rd_share_pct": [np.nan, 4.0], "high_tech_enterprises": [1.0, 0.0]})
    parks = pd.DataFrame({"park_id": ["P1", "P2"], "name_zh": ["甲园区", "乙园区"],
                          "target_output_2025_yi": [40.0, None]})
    notes = apply_targets(t, "park", load_targets(), parks)
    assert list(t["gap_yi_per_km2"]) == pytest.approx([9.0, -5.0])
    assert list(t["meets_target"]) == [False, True]
    assert t["output_target_yi"].iloc[0] == 40.0 and np.isnan(t["output_target_yi"].iloc[1])
    assert t["energy_gap_tce_per_wan"].iloc[0] == pytest.approx(0.02)
    assert list(t["meets_energy_target"]) == [False, True]
    assert pd.isna(t["meets_labour_productivity"].iloc[1])
    assert list(t["target_reached_year"]) == [2035, 2024]
    assert any("density target 25" in n for n in notes)


def test_apply_targets_only_where_they_apply():
    t = pd.DataFrame({"unit_id": ["198"], "density_yi_per_km2": [4.0], "output_yi": [1.0],
                      "labour_productivity_wan_per_person": [1.0], "energy_tce_per_wan": [0.1],
                      "rd_share_pct": [1.0], "high_tech_enterprises": [0.0]})
    apply_targets(t, "zone", load_targets())
    assert np.isnan(t["target_yi_per_km2"].iloc[0]) and pd.isna(t["meets_target"].iloc[0])
    assert pd.isna(t["base_year"].iloc[0])
