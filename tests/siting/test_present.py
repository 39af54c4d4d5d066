"""A siting check in words (gis.siting.present): the bilingual summary, the facts, a batch's account."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

from gis.siting.present import batch_summary, distance_text, facts, format_text, notes
from gis.siting.result import CheckResult, SiteResult


def result(**kw) -> SiteResult:
    base = {"verdict": "review", "zone": "195", "park_id": None, "town": "甲镇", "riverbank_m": 812.4,
            "yangtze_1km": True, "in_reserve": False,
            "checks": [CheckResult("site_zone_direction", "review", "须审查。", "To be reviewed.", "规划",
                                   "plan", "区域方向", "Zone direction")]}
    return SiteResult(**{**base, **kw})


@pytest.mark.parametrize("metres, text", [(812.4, "812 m"), (1000.0, "1.0 km"), (15234.0, "15.2 km")])
def test_distance_text(metres, text):
    assert distance_text(metres) == text


def test_summary_is_bilingual():
    t = format_text(result(name="甲项目"))
    assert t.splitlines()[:2] == ["选址检查 Site check：甲项目", "结论 Verdict：需审查 REVIEW"]
    assert "距长江岸线 Distance to the riverbank：812.4 m（在 1,000 米范围内 / within the 1,000 m zone）" in t
    assert "  [需审查 review] 区域方向 / Zone direction  (site_zone_direction)" in t


def test_facts_and_notes_follow_what_is_known():
    plain = result()
    assert [f[1] for f in facts(plain)] == ["Zone", "Park", "Town", "Distance to the riverbank",
                                            "Strategic reserve", "Industry"]
    full = result(land_m2=6666.7, land_source="given", figures={"output_wan": 5000.0, "density_yi_per_km2": 75.0},
                  flags=["circle"], illustrative=True, datum="gcj02")
    labels = [f[1] for f in facts(full)]
    assert "Land area" in labels and "Output density" in labels and labels[-1] == "Notes on the site"
    assert "圆" in facts(full)[-1][2] and "circle drawn from a point" in facts(full)[-1][2]  # flags in words
    assert dict((f[1], f[2]) for f in facts(full))["Land area"] == "6,667 m²（10.0 亩；给定 / given）"
    assert [en.split()[0] for _, en in notes(full)] == ["The", "The"] and "GCJ02" in notes(full)[1][0]


def test_batch_summary_counts_verdicts_and_rows_not_checked():
    res = gpd.GeoDataFrame({"verdict": ["allowed", "prohibited", None], "error_zh": [None, None, "区界之外"]},
                           geometry=[shapely.Point(0, 0)] * 3, crs=4326)
    lines = batch_summary(res, "out.csv", 0.5)
    assert lines[0] == "已检查 3 个项目 → out.csv / checked 3 projects → out.csv（用时 took 0.5 s）"  # no "(6/s)"
    assert lines[1:4] == ["  可准入 allowed: 1", "  需审查 review: 0", "  禁止 prohibited: 1"]
    assert lines[4].startswith("  无法检查 not checked: 1")
