"""Checking one site (gis.siting.check): geometry, datums, verdicts, the result object, input errors.

Hand-checkable toy layers (tests/toylayers.py): the big island spans 0–20 × 0–10
units of 0.01° from (121.40 E, 31.55 N); its south edge (lat 31.55) is the
riverbank; park A is 2–6 × 2–6 (leading 36, 38), park B 10–14 × 3–7 (13, 14),
town A's construction area 12–17 × 2–8, the small island 25–30 × 0–4 is the
strategic reserve. Distances from the riverbank are set in metres in the working
CRS, so "999 m" is 999 m on the ground.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from conftest import require
from toylayers import LAT0, LON0, box, toy_layers, write_toy_gpkg

from gis.errors import FieldError, InputError, ParkgisError
from gis.geodesy.crs import from_work, to_work
from gis.geodesy.datums import wgs84_to_gcj02
from gis.layers.layerset import load_layers
from gis.siting.check import check_site
from gis.siting.result import SiteResult

DESIGN_KEYS = ["verdict", "zone", "park_id", "town", "riverbank_m", "yangtze_1km", "in_reserve", "checks"]
CHECK_KEYS = ["rule", "level", "message_zh", "message_en", "basis"]
EMBEDDED = Path(__file__).resolve().parents[2] / "layers" / "chongming" / "chongming.gpkg"


@pytest.fixture(scope="module")
def toy(tmp_path_factory):
    return load_layers(write_toy_gpkg(tmp_path_factory.mktemp("toy") / "toy.gpkg"))


@pytest.fixture(scope="module")
def shore(tmp_path_factory):
    """The toy layers plus park C on the shore (15–19 × 0–3) whose leading industry is chemicals."""
    roles = toy_layers()
    extra = gpd.GeoDataFrame({"park_id": ["C"], "name_zh": ["丙园区"], "name_en": ["Park C"],
                              "leading_industries": ["26"], "target_output_2025_yi": [5.0]},
                             geometry=[box(15, 0, 19, 3)], crs=4326)
    roles["parks"] = pd.concat([roles["parks"], extra], ignore_index=True)
    return load_layers(write_toy_gpkg(tmp_path_factory.mktemp("shore") / "shore.gpkg", roles))


def north_of_bank(x_units: float, metres: float) -> tuple[float, float]:
    """(lon, lat) of the point ``metres`` north of the toy riverbank at ``x_units`` (ground metres)."""
    p = to_work(np.array([shapely.Point(LON0 + x_units * 0.01, LAT0)], dtype=object))[0]
    q = from_work(np.array([shapely.Point(p.x, p.y + metres)], dtype=object))[0]
    return q.x, q.y


def band(x0_units: float, x1_units: float, m0: float, m1: float) -> shapely.Polygon:
    """A lon/lat polygon from ``m0`` to ``m1`` metres north of the toy riverbank."""
    p0 = to_work(np.array([shapely.Point(LON0 + x0_units * 0.01, LAT0)], dtype=object))[0]
    p1 = to_work(np.array([shapely.Point(LON0 + x1_units * 0.01, LAT0)], dtype=object))[0]
    w = shapely.box(p0.x, p0.y + m0, p1.x, p0.y + m1)
    return from_work(np.array([w], dtype=object))[0]


def level(result: SiteResult, rule: str):
    return next((c.level for c in result.checks if c.rule == rule), None)


# --------------------------------------------------------------------------- riverbank distance


@pytest.mark.parametrize("metres, expected, in_zone", [(999.0, "prohibited", True), (1001.0, "ok", False)])
def test_999_vs_1001_m_from_the_riverbank(toy, metres, expected, in_zone):
    r = check_site(north_of_bank(8, metres), layers=toy, industry="2614")
    assert r.riverbank_m == pytest.approx(metres, abs=0.05)
    assert r.yangtze_1km is in_zone
    assert level(r, "site_riverbank_bans") == expected
    assert level(r, "site_riverbank_manufacturing") == ("review" if in_zone else "ok")


def test_site_straddling_the_1km_line_is_within(toy):
    site = band(7, 8, 900.0, 1100.0)                     # half inside the 1 km zone
    r = check_site(site, layers=toy, industry="2614")
    assert r.riverbank_m == pytest.approx(900.0, abs=0.1)
    assert r.yangtze_1km is True
    assert r.yangtze_1km_share == pytest.approx(0.5, abs=0.01)
    assert level(r, "site_riverbank_bans") == "prohibited"
    beyond = check_site(band(7, 8, 1001.0, 1200.0), layers=toy, industry="2614")
    assert level(beyond, "site_riverbank_bans") == "ok"


def test_circle_reaching_into_the_zone(toy):
    # Centre 1,150 m from the bank: a 200 m circle reaches 950 m.
    r = check_site(north_of_bank(8, 1150.0), layers=toy, industry="2614", radius_m=200.0)
    assert r.riverbank_m == pytest.approx(950.0, abs=0.5)
    assert level(r, "site_riverbank_bans") == "prohibited"
    assert "circle" in r.flags
    assert r.land_m2 == pytest.approx(np.pi * 200.0 ** 2, rel=2e-3) and r.land_source == "site"


def test_tailings_pond_3km(toy):
    assert level(check_site(north_of_bank(8, 2990.0), layers=toy, facility="tailings_pond"),
                 "site_riverbank_bans") == "prohibited"
    assert level(check_site(north_of_bank(8, 3010.0), layers=toy, facility="尾矿库"),
                 "site_riverbank_bans") == "not_evaluated"      # no industry: chemical ban unknown
    assert level(check_site(north_of_bank(8, 3010.0), layers=toy, facility="tailings_pond", industry="0911"),
                 "site_riverbank_bans") == "ok"


# --------------------------------------------------------------------------- zones, parks, reserve


def lonlat(x_units, y_units):
    return LON0 + x_units * 0.01, LAT0 + y_units * 0.01


@pytest.mark.parametrize("where, industry, zone, verdict", [
    ((4, 4), "3670", "104", "allowed"),       # park A, class under its leading division 36
    ((4, 4), "3311", "104", "review"),        # park A, positioning mismatch
    ((12, 5), "1311", "104", "allowed"),      # park B
    ((15.5, 5), "3311", "195", "review"),     # town A's construction area outside the parks
    ((15.5, 5), "6510", "195", "allowed"),    # non-manufacturing in 195
    ((8, 8), "3311", "198", "prohibited"),    # 198: no new industry
    ((8, 8), "6510", "198", "allowed"),
    ((27, 2), "6510", "198", "review"),       # strategic reserve
])
def test_verdicts_by_place(toy, where, industry, zone, verdict):
    r = check_site(lonlat(*where), layers=toy, industry=industry)
    assert r.zone == zone
    assert r.verdict == verdict, [(c.rule, c.level) for c in r.checks]


def test_park_town_and_reserve_fields(toy):
    r = check_site(lonlat(12.5, 5), layers=toy, industry="1311")
    assert (r.park_id, r.park_name_zh, r.town) == ("B", "乙园区", "甲镇")
    assert r.in_reserve is False
    assert check_site(lonlat(27, 2), layers=toy).in_reserve is True


def test_nearest_matching_park_outside_the_parks(toy):
    site = lonlat(8, 5)                                   # 198, between the parks
    r = check_site(site, layers=toy, industry="1311")     # agri-food: park B (13, 14)
    assert r.park_id is None
    assert r.nearest_park["park_id"] == "B" and r.nearest_park["name_zh"] == "乙园区"
    pb = to_work(np.array([box(10, 3, 14, 7)], dtype=object))[0]
    pt = to_work(np.array([shapely.Point(*site)], dtype=object))[0]
    assert r.nearest_park["distance_m"] == pytest.approx(pt.distance(pb), abs=1.0)
    assert check_site(site, layers=toy, industry="3670").nearest_park["park_id"] == "A"
    assert check_site(site, layers=toy, industry="6510").nearest_park is None   # no park lists 65
    assert check_site(lonlat(12, 5), layers=toy, industry="1311").nearest_park is None  # already in B


def test_mismatch_in_a_park_points_to_the_matching_one(toy):
    r = check_site(lonlat(12, 5), layers=toy, industry="3670")   # a car-parts project in park B
    assert level(r, "site_park_positioning") == "review"
    assert r.nearest_park["park_id"] == "A"
    msg = next(c for c in r.checks if c.rule == "site_park_positioning")
    assert "甲园区，" in msg.message_zh and "Park A, " in msg.message_en
    assert "（A）" not in msg.message_zh and "(A)" not in msg.message_en  # names, not ids


def test_site_straddling_park_and_198(toy):
    # 2.0–6.0 × 1.7–2.5: 62.5 % in park A, 37.5 % in 198 → zone 104, but review for manufacturing.
    site = shapely.box(*lonlat(2.0, 1.7), *lonlat(6.0, 2.5))
    r = check_site(site, layers=toy, industry="3670")
    assert r.zone == "104" and "straddles_zone" in r.flags
    assert level(r, "site_zone_direction") == "review"
    assert r.shares["104"] == pytest.approx(0.625, abs=0.002)


# --------------------------------------------------------------------------- industry codes


def test_four_digit_code_under_listed_two_digit_division(toy):
    near = north_of_bank(8, 500.0)
    assert level(check_site(near, layers=toy, industry="2614"), "site_riverbank_bans") == "prohibited"
    assert level(check_site(near, layers=toy, industry="2710"), "site_riverbank_bans") == "prohibited"
    assert level(check_site(near, layers=toy, industry="2720"), "site_riverbank_bans") == "ok"
    assert level(check_site(lonlat(4, 4), layers=toy, industry="3670"), "site_park_positioning") == "ok"


def test_industry_code_forms(toy):
    r = check_site(lonlat(4, 4), layers=toy, industry="C3670")
    assert r.industry == "3670" and r.industry_zh == "3670 汽车零部件及配件制造"  # the class, not its division
    assert check_site(lonlat(4, 4), layers=toy, industry=36).industry == "36"


@pytest.mark.parametrize("bad", ["99", "ABC", "12345", "00"])
def test_unknown_industry_code_is_an_error(toy, bad):
    with pytest.raises(FieldError) as e:
        check_site(lonlat(4, 4), layers=toy, industry=bad)
    assert e.value.message_zh and e.value.message_en


# --------------------------------------------------------------------------- datums


def test_gcj02_site_changes_verdict_if_the_datum_were_ignored(shore):
    """A chemical project in shore park C (leading: chemicals), 1.1 km from the bank in truth.

    Its Amap (GCJ-02) coordinates lie ≈ 200 m further south: read as WGS84 they put
    it inside the 1 km zone, and the chemical ban would prohibit a project the
    layers allow.
    """
    true_lon, true_lat = north_of_bank(17, 1100.0)
    g_lon, g_lat = (float(v) for v in wgs84_to_gcj02(true_lon, true_lat))
    right = check_site((g_lon, g_lat), layers=shore, industry="2614", datum="gcj02")
    wrong = check_site((g_lon, g_lat), layers=shore, industry="2614", datum="wgs84")
    assert right.riverbank_m == pytest.approx(1100.0, abs=0.5)
    assert wrong.riverbank_m < 1000.0
    assert (right.park_id, wrong.park_id) == ("C", "C")
    assert right.verdict == "allowed", [(c.rule, c.level) for c in right.checks]
    assert wrong.verdict == "prohibited"
    assert right.geometry.equals_exact(shapely.Point(true_lon, true_lat), 1e-8)


def test_bd09_site(toy):
    from gis.geodesy.datums import convert_lonlat

    lon, lat = north_of_bank(8, 1500.0)
    b_lon, b_lat = (float(v) for v in convert_lonlat(lon, lat, "wgs84", "bd09"))
    r = check_site(f"{b_lon},{b_lat}", layers=toy, datum="bd09", industry="6510")
    assert r.riverbank_m == pytest.approx(1500.0, abs=0.5)


def test_embedded_default_gcj02_site_near_the_changxing_shore():
    """On the embedded Chongming layers: a chemical project in the Changxing base (Amap coordinates).

    Converted, it lies ≈ 790 m from the riverbank (prohibited under art. 26);
    read as WGS84 it would seem ≈ 1,200 m away and only need a review.
    """
    require(EMBEDDED.exists(), "embedded default layers layers/chongming/chongming.gpkg")
    layers = load_layers()
    site = (121.7604, 31.3470)                     # GCJ-02, picked near the south-east shore of Changxing
    right = check_site(site, layers=layers, datum="gcj02", industry="2614")
    wrong = check_site(site, layers=layers, datum="wgs84", industry="2614")
    assert right.park_id == wrong.park_id == "changxing_marine"
    assert right.riverbank_m < 1000.0 < wrong.riverbank_m
    assert right.verdict == "prohibited" and wrong.verdict == "review"


# --------------------------------------------------------------------------- land and figures


def test_land_area_from_polygon_or_given(toy):
    site = shapely.box(*lonlat(3, 3), *lonlat(3.2, 3.2))        # ≈ 190 m × 222 m in park A
    own = check_site(site, layers=toy, industry="3670", output_wan=20000.0)
    assert own.land_source == "site" and own.land_m2 == pytest.approx(own.area_m2)
    given = check_site(site, layers=toy, industry="3670", output_wan=20000.0, land_m2=100000.0)
    assert given.land_source == "given" and given.land_m2 == 100000.0
    assert given.area_m2 == pytest.approx(own.area_m2)           # land never changes the geometry
    assert level(given, "site_output_density") == "review"       # 2 亿元 / 0.1 km² = 20 < 25
    point = check_site(lonlat(3, 3), layers=toy, industry="3670", output_wan=20000.0)
    assert point.land_m2 is None and level(point, "site_output_density") == "not_evaluated"


def test_not_evaluated_never_changes_the_verdict(toy):
    r = check_site(lonlat(4, 4), layers=toy, industry="3670")
    assert {c.level for c in r.checks} == {"ok", "not_evaluated"}
    assert r.verdict == "allowed"
    bad = check_site(lonlat(4, 4), layers=toy, industry="3670", energy_tce=200.0, value_added_wan=1000.0)
    assert bad.verdict == "review" and level(bad, "site_energy_intensity") == "review"


def test_rule_configuration_changes_the_checks(toy):
    cfg = {"rules": {"site_negative_list": {"industries": ["36"]}, "site_energy_intensity": {"enabled": False}}}
    r = check_site(lonlat(4, 4), layers=toy, rules=cfg, industry="3670")
    assert level(r, "site_negative_list") == "prohibited" and r.verdict == "prohibited"
    assert level(r, "site_energy_intensity") is None


# --------------------------------------------------------------------------- the result object


def test_to_dict_is_the_design_json(toy):
    r = check_site(north_of_bank(8, 812.4), layers=toy, industry="2614", name="测试")
    d = json.loads(r.to_json())
    assert list(d)[:8] == DESIGN_KEYS
    assert d["verdict"] == "prohibited" and d["zone"] == "198"
    assert d["riverbank_m"] == pytest.approx(812.4, abs=0.1)
    assert d["yangtze_1km"] is True and d["in_reserve"] is False
    for c in d["checks"]:
        assert list(c)[:5] == CHECK_KEYS
        assert c["level"] in ("ok", "review", "prohibited", "not_evaluated")
        assert c["message_zh"] and c["message_en"] and c["basis"]
    assert d["name"] == "测试" and d["industry"] == "2614"


def test_text_is_bilingual(toy):
    t = check_site(north_of_bank(8, 500.0), layers=toy, industry="2614").to_text()
    assert "结论 Verdict：禁止 PROHIBITED" in t
    assert "第二十六条" in t and "art. 26" in t


# --------------------------------------------------------------------------- input errors


def test_site_outside_the_district_is_an_error(toy):
    with pytest.raises(InputError) as e:
        check_site((121.45, 31.50), layers=toy)
    assert "区界之外" in e.value.message_zh and "outside the district" in e.value.message_en
    assert "--datum" in e.value.hint_en


@pytest.mark.parametrize("kwargs", [
    {"facility": "tailing"},
    {"output_wan": -5},
    {"land_m2": "many"},
])
def test_bad_attributes(toy, kwargs):
    with pytest.raises(ParkgisError):
        check_site(lonlat(4, 4), layers=toy, **kwargs)


def test_radius_on_a_polygon_is_refused(toy):
    with pytest.raises(InputError, match="point"):
        check_site(shapely.box(*lonlat(3, 3), *lonlat(3.2, 3.2)), layers=toy, radius_m=100)


def test_wkt_and_projected_site(toy):
    wkt = shapely.box(*lonlat(3, 3), *lonlat(3.2, 3.2)).wkt
    a = check_site(wkt, layers=toy, industry="3670")
    w = to_work(np.array([shapely.from_wkt(wkt)], dtype=object))[0]
    from gis.geodesy.crs import WORK_CRS

    b = check_site(w, layers=toy, industry="3670", crs=WORK_CRS)
    assert a.verdict == b.verdict == "allowed"
    assert a.area_m2 == pytest.approx(b.area_m2, rel=1e-4)


def test_site_file(toy, tmp_path):
    path = tmp_path / "site.geojson"
    gpd.GeoDataFrame({"name": ["文件项目"], "industry": ["3670"]},
                     geometry=[shapely.box(*lonlat(3, 3), *lonlat(3.2, 3.2))], crs=4326).to_file(path)
    r = check_site(path, layers=toy)
    assert r.name == "文件项目" and r.industry == "3670" and r.verdict == "allowed"


# --------------------------------------------------------------------------- the site as lon/lat numbers or as WKT


def test_lonlat_pair_and_wkt_parameter_give_the_same_check(toy):
    lon, lat = lonlat(4, 4)
    a = check_site((lon, lat), layers=toy, industry="3670")
    b = check_site(wkt=f"POINT ({lon} {lat})", layers=toy, industry="3670")
    assert a.verdict == b.verdict == "allowed"
    assert a.geometry.equals_exact(b.geometry, 1e-9)


def test_lonlat_text_that_is_not_numbers_is_a_coordinate_error(toy):
    with pytest.raises(InputError, match="not a number"):
        check_site((" abc", "def"), layers=toy)


def test_swapped_lonlat_pair(toy):
    with pytest.raises(InputError, match="swapped"):
        check_site((31.6, 121.5), layers=toy)


def test_wkt_parameter_is_always_wkt(toy):
    with pytest.raises(InputError, match="WKT"):
        check_site(wkt="121.44,31.59", layers=toy)
    with pytest.raises(InputError, match="exactly one"):
        check_site(lonlat(4, 4), wkt="POINT (121.44 31.59)", layers=toy)


# --------------------------------------------------------------------------- today's shore (issue 17)


def _level(r, rule):
    return next(c.level for c in r.checks if c.rule == rule)


@pytest.fixture(scope="module")
def chongming():
    require(EMBEDDED.exists(), "embedded default layers layers/chongming/chongming.gpkg")
    return load_layers()


def test_dongtan_chemical_plant_half_a_km_from_todays_shore_is_prohibited(chongming):
    """On the reclaimed land of Dongtan (崇明东滩), 0.5 km from today's shore: under the old GSHHG bank it
    seemed ≈ 7.4 km away and passed the Yangtze-law ban."""
    r = check_site((121.967, 31.49), layers=chongming, industry="2614")
    assert 400 < r.riverbank_m < 600 and r.yangtze_1km and "in_water" not in r.flags
    assert _level(r, "site_riverbank_bans") == "prohibited" and r.verdict == "prohibited"
    assert _level(r, "site_in_water") == "ok"


def test_site_by_the_old_coastline_is_no_longer_banned(chongming):
    """In the Changxing base, 0.5 km inland of the GSHHG coast (which banned it) but 2.2 km inland of today's
    shore: the riverbank checks pass; what is left is the park's positioning (a review, not a ban)."""
    r = check_site((121.757, 31.366), layers=chongming, industry="2614")
    assert 2000 < r.riverbank_m < 2500 and not r.yangtze_1km and r.park_id == "changxing_marine"
    assert _level(r, "site_riverbank_bans") == "ok" and _level(r, "site_riverbank_manufacturing") == "ok"
    assert r.verdict == "review" and _level(r, "site_park_positioning") == "review"


def test_warehouse_out_in_the_river_is_reviewed_as_in_water(chongming):
    """3 km off Dongtan, inside the district outline: once `allowed`, now `review` with in_water."""
    r = check_site((121.976, 31.569), layers=chongming, industry="5920")
    assert r.riverbank_m == 0.0 and r.yangtze_1km and "in_water" in r.flags and r.zone == "198"
    assert r.verdict == "review" and _level(r, "site_in_water") == "review"
    c = next(c for c in r.checks if c.rule == "site_in_water")
    assert "江中或滩涂" in c.message_zh and "in the river or on tidal flats" in c.message_en
    assert r.to_dict()["flags"] == ["in_water"]


@pytest.mark.parametrize("industry", ["6510", "1310", None])
def test_in_water_is_at_least_review_whatever_the_industry(chongming, industry):
    r = check_site((121.976, 31.569), layers=chongming, industry=industry)
    assert r.verdict in ("review", "prohibited")


@pytest.mark.parametrize("lonlat, unit_zh, unit_en", [
    ((121.50, 31.76), "江苏省启东市", "Qidong City (Jiangsu)"),     # the enclave 启隆 on Chongming island
    ((121.30, 31.95), "江苏省海门区", "Haimen District (Jiangsu)"),  # across the North Branch
])
def test_site_in_a_jiangsu_neighbour_is_named(chongming, lonlat, unit_zh, unit_en):
    with pytest.raises(InputError) as e:
        check_site(lonlat, layers=chongming, industry="2614")
    assert unit_zh in e.value.message_zh and unit_en in e.value.message_en
    assert unit_zh in e.value.hint_zh and "--datum" in e.value.hint_en
