"""Parcels and land by action per zone, park and town (gis.report.summaries): totals add up."""

from __future__ import annotations

import geopandas as gpd
import numpy as np


def test_action_summary_totals(report_toy):
    from gis.classification.classify import classify
    from gis.layers.layerset import load_layers
    from gis.report.summaries import action_summary

    layers = load_layers(report_toy[0])
    c = classify(gpd.read_file(report_toy[1]), layers)
    for kind in ("zone", "park", "town"):
        s = action_summary(c, kind, layers)
        body, total = s.iloc[:-1], s.iloc[-1]
        assert total["unit_id"] == "合计 total"
        assert body["parcels"].sum() == total["parcels"] == len(c)
        assert np.isclose(body["area_km2"].sum(), c["area_m2"].sum() / 1e6)
        acts = sum(total[f"parcels_{a}"] for a in ("upgrade", "transform", "reduce"))
        assert acts + total["parcels_unclassified"] == len(c)
    parks = action_summary(c, "park", layers)
    assert list(parks["unit_id"][:2]) == ["A", "B"] and parks["name_zh"][0] == "甲园区"
