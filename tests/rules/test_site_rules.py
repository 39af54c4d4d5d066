"""The siting rules (zoning_rules/site_*.py) on hand-made site tables: each rule and its boundaries.

Each test builds the table a rule reads (the columns listed in
``zoning_rules/_site.py``) with a few rows and checks the level per row, so a
failure names the rule and the case. The geometry side (distances, zones) is in
``tests/siting/``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gis.domain.industry import division_name, is_manufacturing
from gis.errors import RuleError
from gis.rules import load_rules, with_params
from zoning_rules import (
    site_energy_intensity,
    site_in_water,
    site_negative_list,
    site_output_density,
    site_park_positioning,
    site_riverbank_bans,
    site_riverbank_manufacturing,
    site_strategic_reserve,
    site_zone_direction,
)

DEFAULT_SITE_RULES = {
    "site_riverbank_bans", "site_negative_list", "site_riverbank_manufacturing", "site_zone_direction",
    "site_strategic_reserve", "site_park_positioning", "site_output_density", "site_energy_intensity",
    "site_in_water",
}
PARKS = {"A": ("甲园区", "Park A", "36,38"), "B": ("乙园区", "Park B", "13,14"), "E": ("空园区", "Empty park", None)}


def table(rows: list[dict]) -> pd.DataFrame:
    """A site table with defaults for every column the siting rules read."""
    base = {
        "area_m2": 0.0, "share_104": 0.0, "share_195": 0.0, "share_198": 1.0, "share_outside": 0.0, "zone": "198",
        "park_id": None, "town": None, "riverbank_m": 5000.0, "yangtze_1km": False, "yangtze_1km_share": 0.0,
        "in_reserve": False, "in_water": False, "land_layer": True,
        "industry": None, "facility": None, "land_m2": np.nan, "output_wan": np.nan,
        "value_added_wan": np.nan, "energy_tce": np.nan, "investment_wan": np.nan, "nearest_park_id": None,
        "nearest_park_zh": None, "nearest_park_en": None, "nearest_park_m": np.nan,
    }
    df = pd.DataFrame([{**base, **r} for r in rows], columns=list(base))
    df["industry"] = df["industry"].astype("string")
    df["manufacturing"] = is_manufacturing(df["industry"])
    has = df["industry"].notna()
    df["industry_zh"] = None
    df["industry_en"] = None
    if has.any():
        df.loc[has, "industry_zh"] = df.loc[has, "industry"] + " " + division_name(df.loc[has, "industry"], "zh")
        df.loc[has, "industry_en"] = df.loc[has, "industry"] + " " + division_name(df.loc[has, "industry"], "en")
    for col, k in (("park_name_zh", 0), ("park_name_en", 1), ("park_leading_industries", 2)):
        df[col] = [PARKS[p][k] if p in PARKS else None for p in df["park_id"]]
    return df


def levels(rule, rows, **params) -> list:
    r = with_params(rule, **params) if params else rule
    return list(r(table(rows)).level)


def check(rule, rows, **params):
    r = with_params(rule, **params) if params else rule
    return r(table(rows))


# --------------------------------------------------------------------------- the rule set


def test_default_site_rules_are_exactly_the_issue_list():
    rs = load_rules(kind="site")
    assert {r.id for r in rs.rules} == DEFAULT_SITE_RULES
    for r in rs.rules:
        assert r.kind == "site"
        assert r.title_zh and r.title_en and r.basis_zh and r.basis_en
        assert set(r.param_docs) == set(r.params), r.id


def test_default_toml_matches_the_module_defaults():
    """The packaged TOML repeats each rule's defaults; they must not drift apart."""
    rs = load_rules(kind="site")
    for r in rs.rules:
        for k, v in r.params.items():
            assert rs.params[r.id][k] == v, (r.id, k)


def test_siting_rules_do_not_change_classification():
    assert not any(r.kind == "site" for r in load_rules(kind="classify").rules)


# --------------------------------------------------------------------------- riverbank bans


@pytest.mark.parametrize("industry, dist, expected", [
    ("2614", 999.0, "prohibited"),     # class under listed division 26
    ("2614", 1000.0, "prohibited"),    # "within 1 km" includes 1,000 m
    ("2614", 1001.0, "ok"),
    ("26", 500.0, "prohibited"),
    ("2511", 10.0, "prohibited"),      # division 25
    ("2811", 10.0, "prohibited"),      # division 28
    ("2710", 10.0, "prohibited"),      # class 2710 listed by itself
    ("2720", 10.0, "ok"),              # another class of division 27 is not chemical
    ("27", 10.0, "ok"),                # the bare division 27 is not the class 2710
    ("3311", 10.0, "ok"),
    (None, 10.0, "not_evaluated"),
])
def test_chemical_ban_boundaries(industry, dist, expected):
    assert levels(site_riverbank_bans.RULE, [{"industry": industry, "riverbank_m": dist}]) == [expected]


def test_chemical_ban_message_names_the_law_and_penalty():
    c = check(site_riverbank_bans.RULE, [{"industry": "2614", "riverbank_m": 812.4}])
    assert "812.4" in c.message_zh[0] and "第二十六条" in c.message_zh[0] and "第八十八条" in c.message_zh[0]
    assert "art. 26" in c.message_en[0] and "art. 88" in c.message_en[0]
    assert "五十万元以上五百万元以下" in c.message_zh[0]
    assert "第二十六条" in c.basis_zh[0]


@pytest.mark.parametrize("facility, dist, expected", [
    ("tailings_pond", 2999.0, "prohibited"),
    ("tailings_pond", 3000.0, "prohibited"),
    ("tailings_pond", 3001.0, "ok"),
])
def test_tailings_pond_ban_3km(facility, dist, expected):
    got = levels(site_riverbank_bans.RULE, [{"industry": "0911", "facility": facility, "riverbank_m": dist}])
    assert got == [expected]


def test_bans_combine_worst_first():
    # A tailings pond at 2 km run by a chemical firm: chemical beyond 1 km is ok, the pond is prohibited.
    c = check(site_riverbank_bans.RULE, [{"industry": "2614", "facility": "tailings_pond", "riverbank_m": 2000.0}])
    assert c.level[0] == "prohibited"
    assert c.message_zh[0].startswith("尾矿库")
    assert "化工项目" in c.message_zh[0]


def test_no_industry_but_a_pond_far_away_is_not_evaluated():
    c = check(site_riverbank_bans.RULE, [{"facility": "tailings_pond", "riverbank_m": 4000.0}])
    assert c.level[0] == "not_evaluated"   # the chemical entry could not be checked


def test_bans_table_is_configurable():
    bans = [*site_riverbank_bans.DEFAULT_BANS,
            {"facility": "landfill", "distance_m": 500.0, "level": "review", "label_zh": "填埋场",
             "label_en": "landfill", "basis_zh": "某规定：填埋场", "basis_en": "Some rule: landfills"},
            {"industries": ["33"], "distance_m": 200.0, "level": "prohibited"}]
    got = levels(site_riverbank_bans.RULE, [
        {"facility": "landfill", "industry": "7720", "riverbank_m": 400.0},
        {"facility": "landfill", "industry": "7720", "riverbank_m": 600.0},
        {"industry": "3311", "riverbank_m": 150.0},
        {"industry": "3311", "riverbank_m": 250.0},
    ], bans=bans)
    assert got == ["review", "ok", "prohibited", "ok"]


@pytest.mark.parametrize("entry, what", [
    ({"industries": ["26"], "facility": "x", "distance_m": 1.0}, "exactly one"),
    ({"distance_m": 1.0}, "exactly one"),
    ({"industries": ["26"], "distance_m": -5}, "positive"),
    ({"industries": ["26"], "distance_m": 1.0, "level": "forbidden"}, "not a level"),
    ({"industries": ["26"], "distance_m": 1.0, "colour": "red"}, "unknown keys"),
    ({"industries": ["9x"], "distance_m": 1.0}, "not valid"),
])
def test_bans_table_errors_are_explained(entry, what):
    with pytest.raises((RuleError, ValueError), match=what):
        check(site_riverbank_bans.RULE, [{"industry": "26"}], bans=[entry])


# --------------------------------------------------------------------------- manufacturing near the bank


@pytest.mark.parametrize("industry, dist, expected", [
    ("3311", 999.0, "review"), ("3311", 1000.0, "review"), ("3311", 1001.0, "ok"),
    ("13", 10.0, "review"), ("4320", 10.0, "review"),    # first and last manufacturing divisions
    ("1200", 10.0, None), ("4411", 10.0, None), ("6510", 10.0, None),   # not manufacturing: not concerned
    (None, 10.0, "not_evaluated"),
])
def test_manufacturing_near_riverbank(industry, dist, expected):
    assert levels(site_riverbank_manufacturing.RULE, [{"industry": industry, "riverbank_m": dist}]) == [expected]


# --------------------------------------------------------------------------- zones


@pytest.mark.parametrize("industry, zone, expected", [
    ("3311", "104", "ok"), ("3311", "195", "review"), ("3311", "198", "prohibited"),
    ("6510", "104", "ok"), ("6510", "195", "ok"), ("6510", "198", "ok"),
    (None, "104", "ok"), (None, "195", "not_evaluated"), (None, "198", "not_evaluated"),
])
def test_zone_direction(industry, zone, expected):
    row = {"industry": industry, "zone": zone, "share_104": 0.0, "share_195": 0.0, "share_198": 0.0,
           f"share_{zone}": 1.0, "park_id": "A" if zone == "104" else None}
    assert levels(site_zone_direction.RULE, [row]) == [expected]


def test_zone_direction_straddling_a_stricter_zone():
    rows = [
        # 70 % in a park, 30 % in 198: main zone 104 (ok), but part in 198 → review, shares given.
        {"industry": "3670", "zone": "104", "park_id": "A", "share_104": 0.7, "share_195": 0.0, "share_198": 0.3},
        # 60 % in 195, 40 % in 198: already review; stays review.
        {"industry": "3670", "zone": "195", "share_104": 0.0, "share_195": 0.6, "share_198": 0.4},
        # Non-manufacturing across 104/198: every part ok.
        {"industry": "6510", "zone": "104", "park_id": "A", "share_104": 0.7, "share_195": 0.0, "share_198": 0.3},
    ]
    c = check(site_zone_direction.RULE, rows)
    assert list(c.level) == ["review", "review", "ok"]
    assert "198 占 30%" in c.message_zh[0] and "30% in 198" in c.message_en[0]


def test_zone_levels_are_configurable():
    got = levels(site_zone_direction.RULE, [{"industry": "3311", "zone": "198"}],
                 manufacturing={"104": "ok", "195": "review", "198": "review"})
    assert got == ["review"]
    with pytest.raises(RuleError, match="lacks zones"):
        levels(site_zone_direction.RULE, [{"industry": "3311"}], manufacturing={"104": "ok"})


# --------------------------------------------------------------------------- reserve, parks


@pytest.mark.parametrize("inside, expected", [(True, "review"), (False, "ok")])
def test_strategic_reserve(inside, expected):
    assert levels(site_strategic_reserve.RULE, [{"in_reserve": inside}]) == [expected]


@pytest.mark.parametrize("industry, park, expected", [
    ("3670", "A", "ok"),            # 4-digit class under the listed division 36
    ("38", "A", "ok"),
    ("3311", "A", "review"),        # not among 36, 38
    ("1311", "B", "ok"),
    ("3670", "B", "review"),
    (None, "A", "not_evaluated"),
    ("3670", "E", "not_evaluated"),  # the park lists no leading industries
    ("3670", None, None),            # outside the parks: not concerned
])
def test_park_positioning(industry, park, expected):
    row = {"industry": industry, "park_id": park, "zone": "104" if park else "198"}
    assert levels(site_park_positioning.RULE, [row]) == [expected]


def test_park_mismatch_names_the_nearest_matching_park():
    row = {"industry": "3670", "park_id": "B", "zone": "104", "nearest_park_id": "A",
           "nearest_park_zh": "甲园区", "nearest_park_en": "Park A", "nearest_park_m": 4250.0}
    c = check(site_park_positioning.RULE, [row])
    assert c.level[0] == "review"
    assert "甲园区，相距 4.2 公里" in c.message_zh[0] or "甲园区，相距 4.3 公里" in c.message_zh[0]
    assert "Park A, 4.2 km" in c.message_en[0] and "(A)" not in c.message_en[0]


# --------------------------------------------------------------------------- figures


@pytest.mark.parametrize("output_wan, land_m2, expected", [
    (5000.0, 20000.0, "ok"),        # 0.5 亿元 on 0.02 km² = 25 亿元/km², the target itself
    (4999.0, 20000.0, "review"),
    (10000.0, 20000.0, "ok"),
    (np.nan, 20000.0, "not_evaluated"),
    (5000.0, np.nan, "not_evaluated"),
    (5000.0, 0.0, "not_evaluated"),
])
def test_output_density(output_wan, land_m2, expected):
    assert levels(site_output_density.RULE, [{"output_wan": output_wan, "land_m2": land_m2}]) == [expected]


def test_output_density_units_in_message():
    c = check(site_output_density.RULE, [{"output_wan": 4000.0, "land_m2": 20000.0}])
    assert "20.0 亿元/平方公里" in c.message_zh[0] and "20.0 亿元/km²" in c.message_en[0]


@pytest.mark.parametrize("energy, va, expected", [
    (80.0, 1000.0, "ok"),           # 0.08 tce/万元: at the target
    (81.0, 1000.0, "review"),
    (10.0, 1000.0, "ok"),
    (np.nan, 1000.0, "not_evaluated"),
    (80.0, np.nan, "not_evaluated"),
    (80.0, 0.0, "not_evaluated"),
])
def test_energy_intensity(energy, va, expected):
    assert levels(site_energy_intensity.RULE, [{"energy_tce": energy, "value_added_wan": va}]) == [expected]


# --------------------------------------------------------------------------- negative list


def test_negative_list_empty_by_default_is_not_listed():
    assert levels(site_negative_list.RULE, [{"industry": "3311"}, {"industry": None}]) == [None, None]


def test_negative_list_filled():
    got = levels(site_negative_list.RULE, [{"industry": "3311"}, {"industry": "3670"}, {"industry": None}],
                 industries=["33", "2511"])
    assert got == ["prohibited", "ok", "not_evaluated"]


def test_negative_list_from_a_user_config(tmp_path):
    cfg = tmp_path / "rules.toml"
    cfg.write_text('[rules.site_negative_list]\nindustries = ["33"]\nlist_name_zh = "测试负面清单"\n',
                   encoding="utf-8")
    rs = load_rules(cfg, kind="site")
    rule = next(r for r in rs.rules if r.id == "site_negative_list")
    c = rule(table([{"industry": "3311"}]), rs.params[rule.id])
    assert c.level[0] == "prohibited" and "测试负面清单" in c.message_zh[0]


# --------------------------------------------------------------------------- vectorised


def test_rules_are_vectorised_and_keep_row_order():
    rows = [{"industry": "2614", "riverbank_m": d} for d in (10.0, 5000.0, 999.0, 1001.0)]
    assert levels(site_riverbank_bans.RULE, rows) == ["prohibited", "ok", "prohibited", "ok"]
    assert levels(site_riverbank_bans.RULE, []) == []


# --------------------------------------------------------------------------- in the river or on tidal flats


@pytest.mark.parametrize("industry", ["2614", "5920", "6510", None])
def test_site_in_water_is_reviewed_whatever_its_industry(industry):
    rows = [{"industry": industry, "in_water": True, "riverbank_m": 0.0, "yangtze_1km": True},
            {"industry": industry, "in_water": False}]
    assert levels(site_in_water.RULE, rows) == ["review", "ok"]
    c = check(site_in_water.RULE, rows[:1])
    assert "江中或滩涂" in c.message_zh[0] and "in the river or on tidal flats" in c.message_en[0]


def test_site_in_water_not_evaluated_without_a_land_layer():
    rows = [{"in_water": False, "land_layer": False}, {"in_water": True, "land_layer": False}]
    assert levels(site_in_water.RULE, rows) == ["not_evaluated", "not_evaluated"]


def test_site_in_water_level_is_at_least_review():
    assert levels(site_in_water.RULE, [{"in_water": True}], level="prohibited") == ["prohibited"]
    with pytest.raises(RuleError):
        levels(site_in_water.RULE, [{"in_water": True}], level="ok")
