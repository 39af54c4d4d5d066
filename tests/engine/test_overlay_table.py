"""The overlay table (gis.engine.overlay_table) on the toy layers.

Shapes are lon/lat WKT on the toy layers of tests/toylayers.py (0.01° steps from
121.40 E, 31.55 N): the big island 121.40–121.60 × 31.55–31.65 with its bank on
the south edge, park A 121.42–121.46 × 31.57–31.61, 甲镇's construction area
121.52–121.57 × 31.57–31.63, and the strategic-reserve island 121.65–121.70 × 31.55–31.59.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from toylayers import box, toy_layers, write_toy_gpkg

from gis.engine.overlay_table import (
    engine_indexes,
    frame_over,
    overlay_arrays,
    overlay_table,
)
from gis.geodesy.crs import to_work
from gis.layers.layerset import load_layers


@pytest.fixture(scope="module")
def toy(tmp_path_factory):
    return load_layers(write_toy_gpkg(tmp_path_factory.mktemp("toy") / "toy.gpkg"))


def _row(toy, wkt):
    geoms = to_work(np.array([None if wkt is None else shapely.from_wkt(wkt)], dtype=object))
    return overlay_table(geoms, toy).iloc[0]


@pytest.mark.parametrize(
    "wkt, zone, park, town, s104, s195, s198, s_out",
    [
        # inside park A
        ("POLYGON ((121.43 31.58, 121.44 31.58, 121.44 31.59, 121.43 31.59, 121.43 31.58))",
         "104", "A", None, 1.0, 0.0, 0.0, 0.0),
        # half in park A, half in 198: the tie goes to 104
        ("POLYGON ((121.45 31.58, 121.47 31.58, 121.47 31.59, 121.45 31.59, 121.45 31.58))",
         "104", "A", None, 0.5, 0.0, 0.5, 0.0),
        # a point in 甲镇's construction area
        ("POINT (121.555 31.60)", "195", None, "甲镇", 0.0, 1.0, 0.0, 0.0),
        # a line across park A's east edge: shares of its length
        ("LINESTRING (121.45 31.59, 121.47 31.59)", "104", "A", None, 0.5, 0.0, 0.5, 0.0),
        # countryside on the reserve island
        ("POLYGON ((121.65 31.56, 121.66 31.56, 121.66 31.57, 121.65 31.57, 121.65 31.56))",
         "198", None, None, 0.0, 0.0, 1.0, 0.0),
        # far out in the river
        ("POLYGON ((121.80 31.90, 121.81 31.90, 121.81 31.91, 121.80 31.91, 121.80 31.90))",
         None, None, None, 0.0, 0.0, 0.0, 1.0),
    ],
)
def test_zones_parks_towns(toy, wkt, zone, park, town, s104, s195, s198, s_out):
    r = _row(toy, wkt)
    assert (r.zone, r.park_id, r.town) == (zone, park, town)
    # boxes in lon/lat project to near-trapezoids: shares within 1e-3
    for got, want in ((r.share_104, s104), (r.share_195, s195), (r.share_198, s198), (r.share_outside, s_out)):
        assert got == pytest.approx(want, abs=1e-3)
    assert r.share_104 + r.share_195 + r.share_198 + r.share_outside == pytest.approx(1.0, abs=1e-12)


def test_internal_flags(toy):
    straddling = _row(toy, "POLYGON ((121.45 31.58, 121.47 31.58, 121.47 31.59, 121.45 31.59, 121.45 31.58))")
    assert straddling._straddles and not straddling._partly_out and not straddling._outside
    half_out = _row(toy, "POLYGON ((121.59 31.54, 121.61 31.54, 121.61 31.56, 121.59 31.56, 121.59 31.54))")
    assert half_out._partly_out and half_out.share_outside == pytest.approx(0.75, abs=2e-3)
    gone = _row(toy, "POLYGON ((121.80 31.90, 121.81 31.90, 121.81 31.91, 121.80 31.91, 121.80 31.90))")
    assert gone._outside and not gone._partly_out


def test_area_is_for_polygons_only(toy):
    square = _row(toy, "POLYGON ((121.43 31.58, 121.44 31.58, 121.44 31.59, 121.43 31.59, 121.43 31.58))")
    assert square.area_m2 == pytest.approx(948 * 1109, rel=5e-3)  # 0.01° × 0.01° at 31.6° N
    assert _row(toy, "POINT (121.555 31.60)").area_m2 == 0.0
    assert _row(toy, "LINESTRING (121.45 31.59, 121.47 31.59)").area_m2 == 0.0


def test_riverbank_the_1km_zone_and_the_reserve(toy):
    # 0.005°–0.015° north of the bank (y = 31.55): ≈ 554 m away, the 1 km line cuts it at ≈ 40 %
    near = _row(toy, "POLYGON ((121.48 31.555, 121.49 31.555, 121.49 31.565, 121.48 31.565, 121.48 31.555))")
    assert near.riverbank_m == pytest.approx(0.005 * 110_900, rel=5e-3)
    assert near.yangtze_1km and near.yangtze_1km_share == pytest.approx(0.40, abs=0.01)
    assert not near.in_reserve
    reserve = _row(toy, "POLYGON ((121.65 31.56, 121.66 31.56, 121.66 31.57, 121.65 31.57, 121.65 31.56))")
    assert reserve.in_reserve


def test_missing_geometry_is_outside_everything(toy):
    r = _row(toy, None)
    assert np.isnan(r.riverbank_m) and r.share_outside == 1.0 and r.zone is None
    assert not r._outside  # "outside the district" is for located parcels; the caller flags no_geometry


def test_overlay_arrays_are_the_table(toy):
    geoms = to_work(np.array([box(3, 3, 4, 4), box(5, 3, 7, 4), None], dtype=object))
    cols = overlay_arrays(geoms, toy)
    pd.testing.assert_frame_equal(frame_over(cols), overlay_table(geoms, toy))


def test_frame_over_keeps_the_arrays():
    cols = {"a": np.arange(3.0), "t": np.array(["x", None, "z"], dtype=object)}
    frame = frame_over(cols)
    assert frame["t"].dtype == object and frame["t"].tolist() == ["x", None, "z"]
    assert np.shares_memory(frame["a"].to_numpy(), cols["a"])


def test_indexes_built_once(toy):
    first = engine_indexes(toy)
    assert engine_indexes(toy) is first and {"zones", "towns", "y1km", "river", "group"} <= set(first)


def test_zone_198_by_complement_equals_brute_force(tmp_path):
    """With derived zones 198 is computed as in-district − 104 − 195; check it against ∩ zone_198."""
    ls = load_layers(write_toy_gpkg(tmp_path / "t.gpkg"))
    rng = np.random.default_rng(11)
    n = 1500
    x, y = rng.uniform(-1, 31, n), rng.uniform(-1, 11, n)
    geoms = to_work(np.array([box(a, b, a + 0.9, b + 0.7) for a, b in zip(x, y, strict=True)], dtype=object))
    tab = overlay_table(geoms, ls)
    brute = shapely.area(shapely.intersection(geoms, ls.work_union("zone_198"))) / shapely.area(geoms)
    assert np.allclose(tab["share_198"], brute, atol=1e-9)


def test_given_zone_layers_are_used_as_given(tmp_path):
    """A source with its own zone_198 (not derived) is intersected directly, not complemented."""
    roles = toy_layers()
    roles["zone_198"] = gpd.GeoDataFrame(geometry=[box(0, 0, 5, 10)], crs=4326)  # an odd, official-looking 198
    ls = load_layers(write_toy_gpkg(tmp_path / "z.gpkg", roles))
    assert not ls.meta["zone_198"]["derived"]
    assert any("do not partition the district" in n for n in ls.notes)
    geoms = to_work(np.array([box(7, 3, 8, 4)], dtype=object))  # outside the given 198 and every park
    tab = overlay_table(geoms, ls)
    assert tab.loc[0, "share_198"] == 0.0 and tab.loc[0, "share_outside"] == 1.0


# --------------------------------------------------------------------------- land and water (DESIGN §4, §6)


@pytest.fixture(scope="module")
def wet(tmp_path_factory):
    from toylayers import toy_layers_with_land

    return load_layers(write_toy_gpkg(tmp_path_factory.mktemp("wet") / "wet.gpkg", toy_layers_with_land()))


@pytest.mark.parametrize(
    "wkt, in_water, riverbank_m, y1km_share",
    [
        # on the tidal flats (y 0.2–0.5 DEG), 0.5–0.8 DEG seaward of the shore at y = 1
        ("POLYGON ((121.47 31.552, 121.48 31.552, 121.48 31.555, 121.47 31.555, 121.47 31.552))", True, 0.0, 1.0),
        # across the shore: partly seaward
        ("POLYGON ((121.47 31.558, 121.48 31.558, 121.48 31.562, 121.47 31.562, 121.47 31.558))", True, 0.0, 1.0),
        # on land, 0.005° (≈ 555 m) north of the shore: 40 % of it within the 1 km zone
        ("POLYGON ((121.47 31.565, 121.48 31.565, 121.48 31.575, 121.47 31.575, 121.47 31.565))", False, 555.0,
         0.40),
        # half outside the district to the south, half on the flats
        ("POLYGON ((121.47 31.548, 121.48 31.548, 121.48 31.552, 121.47 31.552, 121.47 31.548))", True, 0.0, 0.5),
        # across the north edge, where the land ends on the outline: partly outside, not in the water
        ("POLYGON ((121.47 31.648, 121.48 31.648, 121.48 31.652, 121.47 31.652, 121.47 31.648))", False, 9_757.0,
         0.0),
        # a point on the flats
        ("POINT (121.475 31.553)", True, 0.0, 1.0),
    ],
)
def test_in_water_riverbank_and_the_1km_share(wet, wkt, in_water, riverbank_m, y1km_share):
    r = _row(wet, wkt)
    assert bool(r.in_water) is in_water
    assert r.riverbank_m == pytest.approx(riverbank_m, rel=5e-3, abs=0.5)
    assert bool(r.yangtze_1km) is (riverbank_m <= 1000)
    assert r.yangtze_1km_share == pytest.approx(y1km_share, abs=0.02)


def test_without_a_land_layer_nothing_is_in_water(toy):
    flats = _row(toy, "POLYGON ((121.47 31.552, 121.48 31.552, 121.48 31.555, 121.47 31.555, 121.47 31.552))")
    assert not flats.in_water and flats.riverbank_m > 0


def test_in_water_agrees_with_brute_force(wet):
    """Random boxes over and around the islands: in_water ⇔ a part lies in district − land (GEOS, directly)."""
    rng = np.random.default_rng(17)
    x, y = rng.uniform(-1, 31, 1200), rng.uniform(-1, 11, 1200)
    geoms = to_work(np.array([box(a, b, a + 0.4, b + 0.3) for a, b in zip(x, y, strict=True)], dtype=object))
    tab = overlay_table(geoms, wet)
    water = shapely.difference(wet.work_union("district"), wet.work_union("land"))
    brute = shapely.area(shapely.intersection(geoms, water)) > 1e-6 * shapely.area(geoms)
    assert (tab["in_water"].to_numpy() == brute).all()
    assert tab["in_water"].sum() > 50 and (tab.loc[tab["in_water"], "riverbank_m"] == 0).all()


def test_park_town_comes_first(tmp_path):
    """A parcel in a park takes the park's town (parks.town_zh), whatever the town layers say."""
    roles = toy_layers()
    roles["parks"]["town_zh"] = ["园甲镇", None]
    ls = load_layers(write_toy_gpkg(tmp_path / "pt.gpkg", roles))
    tab = overlay_table(to_work(np.array([box(3, 3, 4, 4), box(12.5, 3.5, 13, 4)], dtype=object)), ls)
    assert tab["town"].tolist() == ["园甲镇", "甲镇"]  # park B names no town: the construction area's


def test_towns_on_the_embedded_default():
    """The embedded sample: a parcel in a park takes the park's town; elsewhere the illustrative towns layer
    (public seats only) gives one where it can; the rest — Chongming island's countryside far from the three
    known seats — has none rather than an invented one."""
    from conftest import require

    from gis.classification.parcels import sample_parcels

    path, layer = sample_parcels()
    require(path.exists(), "embedded default layers layers/chongming/chongming.gpkg")
    ls = load_layers()
    raw = gpd.read_file(path, layer=layer)
    tab = overlay_table(to_work(raw.geometry.to_numpy()), ls)
    park_town = dict(zip(ls.parks["park_id"], ls.parks["town_zh"], strict=True))
    in_park = tab["park_id"].notna()
    assert (tab.loc[in_park, "town"] == tab.loc[in_park, "park_id"].map(park_town)).all()
    assert set(tab["town"].dropna()) <= set(park_town.values()) | set(ls.towns["town_zh"])
    share = tab["town"].notna().mean()
    assert 0.80 < share < 0.90  # 84 % of the sample; the rest lies where no public seat is near
    missing = tab.loc[tab["town"].isna()]
    assert (missing["zone"] != "104").all()
    parts = shapely.get_parts(ls.district.geometry.union_all())
    chongming = parts[np.argmax(shapely.area(parts))]  # the district's 崇明岛 part, its shoals included
    # all there, none on Changxing or Hengsha (whole-island towns)
    assert shapely.intersects(chongming, raw.geometry.to_numpy()[tab["town"].isna().to_numpy()]).all()
