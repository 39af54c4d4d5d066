"""Classification on toy layers: shares, zones, flags, every feature once, CRS/datum invariance.

Toy geometry (units of DEG = 0.01° from 121.40 E, 31.55 N; see tests/toylayers.py):
district = big island (0..20 × 0..10) + small island (25..30 × 0..4, the strategic reserve);
park A = 2..6 × 2..6, park B = 10..14 × 3..7; construction areas 12..17 × 2..8 (甲镇) and 1..4 × 7..9
(乙镇); riverbank = the big island's south edge (y = 0).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely
from toylayers import DEG, LAT0, LON0, box, parcels, write_toy_gpkg

from gis.classification.chunk import input_attributes
from gis.classification.classify import RESULT_COLUMNS, classify, classify_in_chunks
from gis.errors import FieldError
from gis.geodesy.datums import convert_geometries
from gis.layers.layerset import load_layers
from gis.rules import load_rules


@pytest.fixture(scope="module")
def toy(tmp_path_factory):
    return load_layers(write_toy_gpkg(tmp_path_factory.mktemp("toy") / "toy.gpkg"))


def one(toy, geom, **kw):
    return classify(parcels([("x", geom)]), toy, **kw).iloc[0]


@pytest.mark.parametrize(
    "geom, zone, action, park, s104, s195, s198",
    [
        (box(3, 3, 4, 4), "104", "upgrade", "A", 1.0, 0.0, 0.0),         # inside park A
        (box(15, 3, 16, 4), "195", "transform", None, 0.0, 1.0, 0.0),    # construction area, no park
        (box(8, 3, 9, 4), "198", "reduce", None, 0.0, 0.0, 1.0),         # countryside
        (box(5, 3, 7, 4), "104", "upgrade", "A", 0.5, 0.0, 0.5),         # half park A, half 198: tie → 104
        (box(13, 3, 16, 4), "195", "transform", None, 1 / 3, 2 / 3, 0.0),  # park B edge → mostly 195
        (box(12.5, 3.5, 13.5, 4.5), "104", "upgrade", "B", 1.0, 0.0, 0.0),  # park B inside a construction area
    ],
)
def test_zone_shares_and_action(toy, geom, zone, action, park, s104, s195, s198):
    r = one(toy, geom)
    assert r.zone == zone and r.action == action
    assert (r.park_id if isinstance(r.park_id, str) else None) == park
    # shares are area fractions; boxes in lon/lat project to near-trapezoids, hence 1e-3
    assert r.share_104 == pytest.approx(s104, abs=1e-3)
    assert r.share_195 == pytest.approx(s195, abs=1e-3)
    assert r.share_198 == pytest.approx(s198, abs=1e-3)
    assert r.share_104 + r.share_195 + r.share_198 + r.share_outside == pytest.approx(1.0, abs=1e-12)
    assert r.rule == f"zone_{zone}_" + {"104": "upgrade", "195": "transform", "198": "reduce"}[zone]
    assert r.reason_zh and r.reason_en


def test_straddling_flag(toy):
    r = one(toy, box(5, 3, 7, 4))
    assert "straddles_zone" in r["flags"]


def test_town_from_construction_areas(toy):
    assert one(toy, box(15, 3, 16, 4)).town == "甲镇"
    assert one(toy, box(2, 7.5, 3, 8.5)).town == "乙镇"
    assert pd.isna(one(toy, box(8, 3, 9, 4)).town)


def test_riverbank_distance_and_1km(toy):
    # south edge of the parcel 0.5 DEG north of the bank: ≈ 0.005° × 110.9 km/° ≈ 554 m
    r = one(toy, box(8, 0.5, 9, 1.5))
    assert r.riverbank_m == pytest.approx(0.005 * 110_900, rel=5e-3)
    assert bool(r.yangtze_1km)
    # ~1,109 m north of the bank → just outside 1 km
    r2 = one(toy, box(8, 1.0, 9, 2.0))
    assert r2.riverbank_m > 1000 and not bool(r2.yangtze_1km)
    assert r2.yangtze_1km_share == 0.0


def test_yangtze_share_of_a_parcel_across_the_line(toy):
    # 0.5..1.5 DEG north: the 1 km line (≈0.902 DEG) cuts it at ≈40 %
    r = one(toy, box(8, 0.5, 9, 1.5))
    assert r.yangtze_1km_share == pytest.approx((1000 / 110_900 / DEG - 0.5) / 1.0, abs=0.01)


def test_touching_the_bank_is_zero(toy):
    r = one(toy, box(8, 0, 9, 1))
    assert r.riverbank_m == pytest.approx(0.0, abs=1e-6)


def test_partly_and_wholly_outside(toy):
    r = one(toy, box(19, -1, 21, 1))  # a quarter inside
    assert "partly_outside_district" in r["flags"]
    assert r.share_outside == pytest.approx(0.75, abs=2e-3)
    assert r.zone == "198"
    out = one(toy, box(40, 40, 41, 41))
    assert "outside_district" in out["flags"]
    assert out.zone is None and out.action is None and out.rule is None and out.park_id is None
    assert out.share_outside == 1.0
    assert "outside" in out.reason_en


def test_strategic_reserve(toy):
    assert bool(one(toy, box(26, 1, 27, 2)).in_reserve)
    assert not bool(one(toy, box(8, 3, 9, 4)).in_reserve)


def test_bad_input_every_feature_once(toy):
    bow = shapely.Polygon([(LON0, LAT0 + DEG), (LON0 + DEG, LAT0 + 2 * DEG), (LON0 + DEG, LAT0 + DEG),
                           (LON0, LAT0 + 2 * DEG)])
    rows = [
        ("ok", box(3, 3, 4, 4)),
        ("null", None),
        ("empty", shapely.Polygon()),
        ("bow", bow),
        ("pt", shapely.Point(LON0 + 3.5 * DEG, LAT0 + 3.5 * DEG)),
        ("line", shapely.LineString([(LON0 + 5 * DEG, LAT0 + 4 * DEG), (LON0 + 7 * DEG, LAT0 + 4 * DEG)])),
        ("dup", box(8, 3, 9, 4)),
        ("dup", box(8, 5, 9, 6)),
        ("multi", shapely.MultiPolygon([box(3, 3, 4, 4), box(8, 3, 9, 4)])),
        ("holed", box(2.5, 2.5, 5.5, 5.5).difference(box(3, 3, 5, 5))),
    ]
    res = classify(parcels(rows), toy)
    assert len(res) == len(rows)
    assert res["parcel_id"].tolist() == [r[0] for r in rows]
    assert list(res.columns[: len(RESULT_COLUMNS)]) == RESULT_COLUMNS
    f = dict(zip(range(len(rows)), res["flags"], strict=True))
    assert f[0] == ""
    assert "no_geometry" in f[1] and "no_geometry" in f[2]
    assert "geometry_repaired" in f[3]
    assert res.loc[3, "area_m2"] == pytest.approx(res.loc[0, "area_m2"] / 2, rel=2e-3)  # two triangles
    assert "not_polygon" in f[4] and res.loc[4, "area_m2"] == 0 and res.loc[4, "zone"] == "104"
    assert "not_polygon" in f[5] and res.loc[5, "share_104"] == pytest.approx(0.5, abs=1e-3)
    assert "duplicate_id" in f[6] and "duplicate_id" in f[7]
    assert res.loc[8, "share_104"] == pytest.approx(0.5, abs=1e-3)
    assert res.loc[9, "area_m2"] == pytest.approx(res.loc[0, "area_m2"] * 5, rel=3e-3)
    assert res.loc[1, "zone"] is None and res.loc[1, "action"] is None
    # the input geometry is returned untouched
    assert res.geometry.iloc[3].equals(bow)


def test_input_attributes_kept_and_clashes_renamed(toy):
    p = parcels([("a", box(3, 3, 4, 4))])
    p["enterprise_zh"] = "某公司"
    p["zone"] = "old"
    res = classify(p, toy)
    assert res.loc[0, "enterprise_zh"] == "某公司"
    assert res.loc[0, "zone_input"] == "old" and res.loc[0, "zone"] == "104"


def test_id_field_option_and_missing_id(toy):
    p = parcels([("a", box(3, 3, 4, 4))]).rename(columns={"parcel_id": "DKBH"})
    res = classify(p, toy, id_field="DKBH")
    assert res.loc[0, "parcel_id"] == "a" and res.loc[0, "DKBH"] == "a"
    with pytest.raises(FieldError) as exc:  # a field named explicitly must exist
        classify(p, toy, id_field="parcel_id")
    assert "DKBH" in exc.value.message_en and "--id-field" in exc.value.hint_en


def test_missing_ids_are_numbered_and_flagged(toy, caplog):
    """A hand-drawn file without parcel_id: numbered 1…n in file order, flagged id_generated (DESIGN §4)."""
    p = parcels([("a", box(3, 3, 4, 4)), ("b", box(5, 3, 7, 4))]).drop(columns="parcel_id")
    res = classify(p, toy)
    assert res["parcel_id"].tolist() == ["1", "2"]
    assert all("id_generated" in f.split(";") for f in res["flags"])
    assert "id_generated" in caplog.text and "已按要素顺序编号" in caplog.text


def test_swapped_lonlat_is_explained_with_a_hint(caplog):
    """A parcel drawn as (lat, lon) is outside_district with a reason and a warning that say so (site-check too)."""
    import geopandas as gpd

    from gis.layers.layerset import load_layers

    good = shapely.box(121.40, 31.62, 121.401, 31.621)
    swapped = shapely.transform(good, lambda xy: xy[:, ::-1])
    p = gpd.GeoDataFrame({"parcel_id": ["ok", "sw"]}, geometry=[good, swapped], crs=4326)
    res = classify(p, load_layers()).set_index("parcel_id")
    assert "写反" not in res.loc["ok", "reason_zh"]
    flags = set(res.loc["sw", "flags"].split(";"))
    # a latitude of 121° is out of range (DESIGN §4 invalid_coordinates); no flag outside DESIGN §4's list
    assert "invalid_coordinates" in flags and "lonlat_swapped" not in flags
    assert "经纬度疑似写反" in res.loc["sw", "reason_zh"] and "swapped" in res.loc["sw", "reason_en"]
    assert "经纬度疑似写反" in caplog.text and "longitude first" in caplog.text


SAMPLE = [("a", box(3, 3, 4, 4)), ("b", box(5, 3, 7, 4)), ("c", box(13, 3, 16, 4)), ("d", box(8, 0.5, 9, 1.5)),
          ("e", box(19, -1, 21, 1)), ("f", box(26, 1, 27, 2))]
COMPARE = ["zone", "action", "park_id", "town", "yangtze_1km", "in_reserve", "flags"]


def test_same_results_in_4326_4549_and_gcj02(toy):
    base = classify(parcels(SAMPLE), toy)
    p4549 = parcels(SAMPLE).to_crs(4549)
    r4549 = classify(p4549, toy)
    gcj = parcels(SAMPLE)
    gcj = gcj.set_geometry(convert_geometries(gcj.geometry.to_numpy(), "wgs84", "gcj02"), crs=4326)
    rgcj = classify(gcj, toy, datum="gcj02")
    for other in (r4549, rgcj):
        pd.testing.assert_frame_equal(base[COMPARE], other[COMPARE])
        for c in ("area_m2", "riverbank_m"):
            assert np.allclose(base[c], other[c], rtol=1e-4, atol=0.05)
        for c in ("share_104", "share_195", "share_198", "share_outside", "yangtze_1km_share"):
            assert np.allclose(base[c], other[c], atol=1e-4)
    assert r4549.crs.to_epsg() == 4549  # output keeps the input CRS
    # ... but never offset coordinates under an EPSG label: GCJ-02 input comes back in WGS84 (DESIGN §7)
    assert rgcj.crs.to_epsg() == 4326
    assert shapely.hausdorff_distance(rgcj.geometry.to_numpy(), base.geometry.to_numpy()).max() < 1e-8  # ≈ 1 mm


def test_ignoring_the_datum_changes_results(toy):
    gcj = parcels([("d", box(8, 0.5, 9, 1.5))])
    gcj = gcj.set_geometry(convert_geometries(gcj.geometry.to_numpy(), "wgs84", "gcj02"), crs=4326)
    right = classify(gcj, toy, datum="gcj02").iloc[0]
    wrong = classify(gcj, toy).iloc[0]
    assert abs(right.riverbank_m - wrong.riverbank_m) > 100


def test_empty_input(toy):
    res = classify(parcels([]), toy)
    assert len(res) == 0 and list(res.columns[: len(RESULT_COLUMNS)]) == RESULT_COLUMNS


@pytest.mark.parametrize("parallel", [False, True])
def test_chunked_equals_whole(toy, monkeypatch, parallel):
    """Chunks — one after another, or side by side in threads with the rules per chunk — change nothing."""
    import importlib

    c = importlib.import_module("gis.classification.classify")

    rng = np.random.default_rng(1)
    x = rng.uniform(-1, 21, 500)
    y = rng.uniform(-1, 10, 500)
    rows = [(f"p{i}", box(a, b, a + 0.5, b + 0.4)) for i, (a, b) in enumerate(zip(x, y, strict=True))]
    rows[10] = ("p10", None)
    rows[20] = ("p5", rows[20][1])  # a duplicate id in another chunk
    p = parcels(rows)
    whole = classify(p, toy)
    monkeypatch.setattr(c, "CHUNK", 77)
    monkeypatch.setattr(c, "PARALLEL_MIN", 1 if parallel else 10**9)
    if parallel:
        monkeypatch.setattr(c, "workers", lambda: 2)
    chunked = classify(p, toy)
    assert "duplicate_id" in chunked["flags"].iloc[20] and "no_geometry" in chunked["flags"].iloc[10]
    pd.testing.assert_frame_equal(pd.DataFrame(whole.drop(columns="geometry")),
                                  pd.DataFrame(chunked.drop(columns="geometry")))


def test_in_chunks_with_the_callers_duplicates(toy):
    """The dask engine knows the whole file's duplicate ids: a chunk's flags follow them, not the chunk's ids."""
    rows = [("a", box(3, 3, 4, 4)), ("a", box(8, 3, 9, 4)), ("b", box(13, 3, 16, 4))]
    p = parcels(rows)
    geoms, crs = p.geometry.to_numpy(), p.crs
    ids = p["parcel_id"].reset_index(drop=True)
    rules = load_rules(None, kind="classify")
    attrs = input_attributes(p, "parcel_id")
    own, dup = classify_in_chunks(geoms, crs, ids, attrs, toy, rules)
    assert dup.tolist() == [True, True, False] and own["flags"][2] == "straddles_zone"
    given = np.array([False, False, True])
    cols, dup = classify_in_chunks(geoms, crs, ids, attrs, toy, rules, duplicate=given)
    assert dup is given
    assert [("duplicate_id" in f) for f in cols["flags"]] == [False, False, True]
    for c in ("zone", "action", "share_104"):
        assert np.array_equal(cols[c], own[c]), c


def test_in_water_flag_and_the_bank_on_the_water_side(tmp_path):
    """With a land layer: a parcel (partly) seaward of the shore is flagged in_water, 0 m from the riverbank,
    in the 1 km zone; every input feature is still there once (DESIGN §4)."""
    from toylayers import toy_layers_with_land

    wet = load_layers(write_toy_gpkg(tmp_path / "wet.gpkg", toy_layers_with_land()))
    res = classify(parcels([("flats", box(8, 0.2, 9, 0.6)), ("shore", box(8, 0.8, 9, 1.3)),
                            ("inland", box(8, 3, 9, 4)), ("gone", box(40, 3, 41, 4)), ("none", None)]), wet)
    flags = dict(zip(res["parcel_id"], res["flags"], strict=True))
    assert "in_water" in flags["flats"] and "in_water" in flags["shore"]
    assert "in_water" not in flags["inland"] + flags["gone"] + flags["none"]
    wetrows = res[res["flags"].str.contains("in_water")]
    assert (wetrows.riverbank_m == 0).all() and wetrows.yangtze_1km.all() and (wetrows.action == "reduce").all()
    assert len(res) == 5
