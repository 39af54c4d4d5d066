"""Property-based tests of the engine (hypothesis): random parcels through the whole classification.

Parcels are drawn near the toy layers (tests/toylayers.py): valid and invalid
polygons, holes, multipolygons, slivers and degenerate rings, vertices on the
zone lines (the grid the toy zones are drawn on), points and lines, missing
geometries, and NaN / infinite / huge coordinates. Invariants:

* one row per input, in input order, the ids kept;
* shares in [0, 1] summing to 1 (NaN only for a parcel that cannot be placed);
* no exception but a bilingual :class:`~gis.errors.ParkgisError`;
* on valid polygons, the shares agree with a plain GEOS overlay (shapely
  intersection areas in the working CRS).

Examples are few and reproducible (the "ci" profile in tests/conftest.py).
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pytest
import shapely
from conftest import require

try:
    from hypothesis import given
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover
    require(False, "hypothesis (the test extra)")
from toylayers import DEG, LAT0, LON0, write_toy_gpkg

from gis.classification.classify import classify
from gis.errors import ParkgisError
from gis.geodesy.crs import to_work
from gis.layers.layerset import load_layers

SHARES = ["share_104", "share_195", "share_198", "share_outside"]


@pytest.fixture(scope="module")
def toy(tmp_path_factory):
    return load_layers(write_toy_gpkg(tmp_path_factory.mktemp("toy") / "toy.gpkg"))


# --------------------------------------------------------------------------- strategies

#: A coordinate in toy units (0.01°): often on the grid the zones are drawn on (edges exactly on zone lines).
units = st.one_of(st.integers(-2, 32).map(float), st.floats(-2, 32, allow_nan=False, allow_infinity=False))
bad_value = st.sampled_from([math.nan, math.inf, -math.inf, 1e300, -1e300, 1e12])


def _lonlat(x: float, y: float) -> tuple[float, float]:
    return LON0 + x * DEG, LAT0 + y * DEG


@st.composite
def rings(draw, min_size=3):
    """A ring of random vertices (possibly self-crossing, repeated or collinear) around a random centre."""
    cx, cy = draw(units), draw(units)
    k = draw(st.integers(min_size, 8))
    r = draw(st.floats(0.001, 4))
    angles = draw(st.lists(st.floats(0, 2 * math.pi), min_size=k, max_size=k))
    if draw(st.booleans()):
        angles = sorted(angles)  # a star-shaped (simple) ring
    return [_lonlat(cx + r * math.cos(a), cy + r * math.sin(a)) for a in angles]


@st.composite
def polygons(draw):
    shell = draw(rings())
    holes = []
    if draw(st.integers(0, 3)) == 0:
        xs, ys = zip(*shell, strict=True)
        mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
        d = draw(st.floats(1e-6, 2e-3))
        holes = [[(mx - d, my - d), (mx + d, my - d), (mx + d, my + d), (mx - d, my + d)]]
    return shapely.Polygon(shell, holes)


@st.composite
def geometries(draw):
    kind = draw(st.sampled_from(["polygon"] * 5 + ["box", "multi", "point", "line", "none", "empty", "bad",
                                                     "sliver"]))
    if kind == "polygon":
        return draw(polygons())
    if kind == "box":  # axis-parallel, on the zone grid or not: edges along the zones' edges
        x0, y0 = draw(units), draw(units)
        w, h = draw(st.floats(0.01, 5)), draw(st.floats(0.01, 5))
        return shapely.box(*_lonlat(x0, y0), *_lonlat(x0 + w, y0 + h))
    if kind == "multi":
        return shapely.MultiPolygon([draw(polygons()), draw(polygons())])
    if kind == "point":
        return shapely.Point(*_lonlat(draw(units), draw(units)))
    if kind == "line":
        return shapely.LineString(draw(rings(min_size=2)))
    if kind == "none":
        return None
    if kind == "empty":
        return shapely.Polygon()
    if kind == "sliver":  # three collinear vertices: a ring of no area
        x, y = draw(units), draw(units)
        return shapely.Polygon([_lonlat(x, y), _lonlat(x + 1, y), _lonlat(x + 2, y)])
    ring = draw(rings())  # one coordinate NaN, infinite or huge (not the first vertex: the ring must close)
    i, j = draw(st.integers(1, len(ring) - 1)), draw(st.integers(0, 1))
    ring[i] = tuple(draw(bad_value) if k == j else v for k, v in enumerate(ring[i]))
    return shapely.Polygon(ring + [ring[0]])


frames = st.lists(geometries(), min_size=1, max_size=8)


# --------------------------------------------------------------------------- properties


def _classify(geoms, layers):
    gdf = gpd.GeoDataFrame({"parcel_id": [f"p{i}" for i in range(len(geoms))]},
                           geometry=np.array(geoms, dtype=object), crs=4326)
    try:
        return classify(gdf, layers)
    except ParkgisError as exc:  # the only exception allowed, and it speaks both languages
        assert exc.message_zh and exc.message_en
        return None


@given(frames)
def test_one_row_per_input_and_shares_that_sum_to_one(toy, geoms):
    res = _classify(geoms, toy)
    if res is None:
        return
    assert res["parcel_id"].tolist() == [f"p{i}" for i in range(len(geoms))]
    s = res[SHARES].to_numpy(dtype="float64")
    placed = ~np.isnan(s).any(axis=1)
    assert ((s[placed] >= -1e-12) & (s[placed] <= 1 + 1e-12)).all()
    assert np.allclose(s[placed].sum(axis=1), 1.0, atol=1e-9)
    flags = res["flags"].astype(str)
    unplaced = flags.str.contains("no_geometry|invalid_coordinates").to_numpy()
    assert (~placed <= unplaced).all()  # a parcel without shares says why
    zone = res["zone"].to_numpy(dtype=object)
    assert all(z in ("104", "195", "198", None) for z in zone)


@given(st.lists(polygons(), min_size=1, max_size=6))
def test_shares_agree_with_a_plain_geos_overlay(toy, geoms):
    valid = [g for g in geoms if shapely.is_valid(g) and g.area > 0]
    if not valid:
        return
    res = _classify(valid, toy)
    assert res is not None
    w = to_work(np.array(valid, dtype=object))
    area = shapely.area(w)
    district = shapely.union_all(toy.work("district"))
    expected = {
        "share_104": shapely.area(shapely.intersection(w, shapely.union_all(toy.work("zone_104")))) / area,
        "share_195": shapely.area(shapely.intersection(w, shapely.union_all(toy.work("zone_195")))) / area,
        "share_198": shapely.area(shapely.intersection(w, shapely.union_all(toy.work("zone_198")))) / area,
        "share_outside": 1 - shapely.area(shapely.intersection(w, district)) / area,
    }
    repaired = res["flags"].astype(str).str.contains("geometry_repaired").to_numpy()
    for col, exp in expected.items():
        got = res[col].to_numpy(dtype="float64")
        assert np.allclose(got[~repaired], exp[~repaired], rtol=0, atol=1e-7), col


@given(st.lists(st.tuples(bad_value, bad_value), min_size=1, max_size=4))
def test_points_at_impossible_places(toy, coords):
    res = _classify([shapely.Point(x, y) for x, y in coords], toy)
    assert res is not None and len(res) == len(coords)
    assert (res["flags"] == "invalid_coordinates").all()
