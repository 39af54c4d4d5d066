"""One chunk through the engine (gis.classification.chunk): the per-chunk work both engines share.

Shapes are lon/lat WKT on the toy layers of tests/toylayers.py: park A is
121.42–121.46 × 31.57–31.61 inside the big island 121.40–121.60 × 31.55–31.65.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from toylayers import write_toy_gpkg

from gis.classification.chunk import (
    FLAGS,
    RESULT_COLUMNS,
    classify_chunk,
    duplicate_ids,
    flag_text,
    input_attributes,
    missing_id_field,
    none_for_nan,
    result_frame,
)
from gis.geodesy.crs import WGS84
from gis.layers.layerset import load_layers
from gis.rules import load_rules

IN_PARK_A = "POLYGON ((121.43 31.58, 121.44 31.58, 121.44 31.59, 121.43 31.59, 121.43 31.58))"
ACROSS_PARK_EDGE = "POLYGON ((121.45 31.58, 121.47 31.58, 121.47 31.59, 121.45 31.59, 121.45 31.58))"
OUT_AT_SEA = "POLYGON ((121.80 31.90, 121.81 31.90, 121.81 31.91, 121.80 31.91, 121.80 31.90))"
BOW_TIE_IN_198 = "POLYGON ((121.48 31.60, 121.49 31.61, 121.49 31.60, 121.48 31.61, 121.48 31.60))"


@pytest.fixture(scope="module")
def toy(tmp_path_factory):
    return load_layers(write_toy_gpkg(tmp_path_factory.mktemp("toy") / "toy.gpkg"))


def _chunk(toy, wkts, ids=None, duplicate=None, attrs=None):
    geoms = np.array([None if w is None else shapely.from_wkt(w) for w in wkts], dtype=object)
    ids = np.array(ids if ids is not None else [f"p{i}" for i in range(len(wkts))], dtype=object)
    attrs = attrs if attrs is not None else pd.DataFrame(index=range(len(wkts)))
    dup = duplicate if duplicate is not None else np.zeros(len(wkts), dtype=bool)
    return classify_chunk(geoms, WGS84, ids, attrs, toy, load_rules(None, kind="classify"), dup)


def test_columns_and_decisions(toy):
    cols = _chunk(toy, [IN_PARK_A, ACROSS_PARK_EDGE])
    assert list(cols) == RESULT_COLUMNS
    assert cols["zone"].tolist() == ["104", "104"] and cols["action"].tolist() == ["upgrade", "upgrade"]
    assert cols["rule"].tolist() == ["zone_104_upgrade"] * 2 and cols["park_id"].tolist() == ["A", "A"]
    assert cols["flags"].tolist() == ["", "straddles_zone"]


def test_undecided_parcels_get_a_reason_and_no_zone(toy):
    cols = _chunk(toy, [OUT_AT_SEA, None, "POLYGON EMPTY"])
    for c in ("zone", "action", "rule", "park_id"):
        assert cols[c].tolist() == [None, None, None], c
    assert cols["reason_en"][0] == "The parcel lies wholly outside the district; not classified."
    assert cols["reason_en"][1] == cols["reason_en"][2] == "The parcel has no geometry; not classified."
    assert cols["reason_zh"][1] == "地块没有几何，无法定位，未分类。"
    assert cols["flags"].tolist() == ["outside_district", "no_geometry", "no_geometry"]
    assert np.isnan(cols["area_m2"][1]) and np.isnan(cols["riverbank_m"][2])


def test_flags_in_their_order(toy):
    cols = _chunk(toy, [BOW_TIE_IN_198, "POINT (121.43 31.58)"], ids=["a", "a"], duplicate=np.array([True, True]))
    assert cols["flags"].tolist() == ["geometry_repaired;duplicate_id", "duplicate_id;not_polygon"]


def test_duplicates_given_late_are_the_same(toy):
    """The duplicate mask may come from a function called after the geometry work (a check still running)."""
    wkts, dup = [IN_PARK_A, ACROSS_PARK_EDGE, OUT_AT_SEA], np.array([True, False, True])
    now = _chunk(toy, wkts, duplicate=dup)
    asked = []
    late = _chunk(toy, wkts, duplicate=lambda: asked.append(1) or dup)
    assert asked == [1]
    for c in RESULT_COLUMNS:
        assert np.array_equal(pd.isna(now[c]), pd.isna(late[c])), c


def test_missing_ids_become_none(toy):
    cols = _chunk(toy, [IN_PARK_A, IN_PARK_A], ids=["a", np.nan])
    assert cols["parcel_id"].tolist() == ["a", None]


def test_rules_read_the_attributes(toy):
    rules = load_rules({"rules": {"riverbank_chemical_reduce": {"enabled": True}}}, kind="classify")
    near_bank = "POLYGON ((121.48 31.555, 121.49 31.555, 121.49 31.565, 121.48 31.565, 121.48 31.555))"
    geoms = np.array([shapely.from_wkt(near_bank)] * 2, dtype=object)
    attrs = pd.DataFrame({"industry": ["2614", "1310"]})  # basic chemicals; grain milling
    cols = classify_chunk(geoms, WGS84, np.array(["c", "f"], dtype=object), attrs, toy, rules,
                          np.zeros(2, dtype=bool))
    assert cols["rule"][0] == "riverbank_chemical_reduce" and cols["action"][0] == "reduce"
    assert cols["rule"][1] != "riverbank_chemical_reduce"


def test_flag_text():
    m = {name: np.zeros(3, dtype=bool) for name in FLAGS}
    m["not_polygon"][:] = [True, False, True]
    m["straddles_zone"][:] = [False, False, True]
    assert flag_text(m).tolist() == ["not_polygon", "", "straddles_zone;not_polygon"]


def test_none_for_nan():
    assert none_for_nan(np.array(["a", np.nan, None], dtype=object)).tolist() == ["a", None, None]
    floats = np.array([1.0, np.nan])
    assert none_for_nan(floats) is floats  # numbers keep their NaN


def test_input_attributes_keep_the_id_field_and_rename_clashes():
    p = gpd.GeoDataFrame({"DKBH": ["a"], "zone": ["old"], "output_wan": [1.0]}, geometry=[None], crs=4326)
    assert input_attributes(p, "DKBH").columns.tolist() == ["DKBH", "zone_input", "output_wan"]
    p = p.rename(columns={"DKBH": "parcel_id"})
    assert input_attributes(p, "parcel_id").columns.tolist() == ["zone_input", "output_wan"]


def test_result_frame_keeps_the_input_geometry_and_crs():
    g = shapely.from_wkt(IN_PARK_A)
    p = gpd.GeoDataFrame({"parcel_id": ["a"]}, geometry=[g], crs=4326).to_crs(4549)
    cols = {c: np.array([None], dtype=object) for c in RESULT_COLUMNS}
    out = result_frame(cols, input_attributes(p, "parcel_id"), p, WGS84)
    assert out.columns.tolist() == RESULT_COLUMNS + ["geometry"]
    assert out.crs.to_epsg() == 4549 and out.geometry.iloc[0].equals(p.geometry.iloc[0])
    no_crs = gpd.GeoDataFrame({"parcel_id": ["a"]}, geometry=[g])
    assert result_frame(cols, input_attributes(no_crs, "parcel_id"), no_crs, WGS84).crs.equals(WGS84)


def test_missing_id_field_is_bilingual():
    err = missing_id_field("DKBH", ["pid", "name"])
    assert "DKBH" in err.message_zh and "pid, name" in err.message_zh
    assert err.message_en == "The parcels have no id field 'DKBH'; available fields: pid, name."
    assert "--id-field" in err.hint_zh and "--id-field" in err.hint_en
    assert "none" in missing_id_field("x", []).message_en


def test_duplicate_ids():
    ids = pd.Series(["a", "b", "a", None, None, "c"], dtype=object)
    assert duplicate_ids(ids).tolist() == [True, False, True, False, False, False]


def test_reasons_name_the_park_not_its_id():
    """reason_zh/en say 崇明工业园区, not chongming_industrial (text for people names parks by name)."""
    import geopandas as gpd

    from gis.classification.classify import classify
    from gis.layers.layerset import load_layers

    layers = load_layers()
    park = layers.parks.iloc[0]
    site = park.geometry.representative_point().buffer(0.0005)
    out = classify(gpd.GeoDataFrame({"parcel_id": ["x"]}, geometry=[site], crs=4326), layers)
    assert out["park_id"].iloc[0] == park["park_id"]
    assert park["name_zh"] in out["reason_zh"].iloc[0] and park["park_id"] not in out["reason_zh"].iloc[0]
    assert park["name_en"] in out["reason_en"].iloc[0] and park["park_id"] not in out["reason_en"].iloc[0]
