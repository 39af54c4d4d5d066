"""Coverage shares (gis.engine.coverage) against a brute-force overlay on the whole label polygons."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from toylayers import box, write_toy_gpkg

from gis.engine.coverage import build_coverage, coverage_shares, intersects_any, measure
from gis.engine.overlay_table import engine_indexes
from gis.geodesy.crs import to_work
from gis.layers.layerset import load_layers


def test_tiled_fast_path_equals_brute_force(tmp_path):
    ls = load_layers(write_toy_gpkg(tmp_path / "t.gpkg"))
    rng = np.random.default_rng(7)
    n = 3000
    x, y = rng.uniform(-1, 31, n), rng.uniform(-1, 11, n)
    w, h = rng.uniform(0.05, 1.5, n), rng.uniform(0.05, 1.5, n)
    geoms = to_work(np.array([box(a, b, a + c, b + d) for a, b, c, d in zip(x, y, w, h, strict=True)], dtype=object))
    # a few multi-part parcels whose parts lie in different zones without touching a boundary
    multi = [shapely.MultiPolygon([box(3 + i / 50, 3, 3.2 + i / 50, 3.2), box(8 + i / 50, 3, 8.2 + i / 50, 3.2)])
             for i in range(50)]
    geoms[:50] = to_work(np.array(multi, dtype=object))
    cov = engine_indexes(ls)["zones"]
    own = measure(geoms)
    fast = coverage_shares(geoms, own, cov)
    # brute force: intersect with each whole label polygon
    for j, name in enumerate(cov.names):
        region = shapely.union_all(cov.pieces[cov.labels == j])
        brute = shapely.area(shapely.intersection(geoms, region)) / own
        assert np.allclose(fast[:, j], brute, atol=1e-9), name


def test_tile_size_does_not_change_shares(tmp_path):
    ls = load_layers(write_toy_gpkg(tmp_path / "t.gpkg"))
    geoms = to_work(np.array([box(5, 3, 7, 4), box(13, 3, 16, 4), box(19, -1, 21, 1)], dtype=object))
    zone_geoms = np.concatenate([ls.work("zone_104"), ls.work("zone_195"), ls.work("zone_198")])
    labels = np.array(["104:A", "104:B", "195", "198"], dtype=object)
    a = coverage_shares(geoms, measure(geoms), build_coverage(zone_geoms, labels, tile_m=500))
    b = coverage_shares(geoms, measure(geoms), build_coverage(zone_geoms, labels, tile_m=50_000))
    assert np.allclose(a, b, atol=1e-12)


@pytest.mark.parametrize(
    "wkt, expected",
    [
        ("POLYGON ((0 0, 30 0, 30 20, 0 20, 0 0))", 600.0),          # m²
        ("LINESTRING (0 0, 3 4)", 5.0),                              # m
        ("MULTIPOINT ((0 0), (1 1), (2 2))", 3.0),                   # points
        ("POINT EMPTY", 0.0),
    ],
)
def test_measure(wkt, expected):
    assert measure(np.array([shapely.from_wkt(wkt)], dtype=object))[0] == expected


def test_shares_of_one_small_coverage():
    """West 0–100 and east 100–200: a box across the line, a line along it, a point in the east."""
    cov = build_coverage([shapely.box(0, 0, 100, 100), shapely.box(100, 0, 200, 100)],
                         np.array(["west", "east"], dtype=object))
    geoms = np.array([shapely.from_wkt(w) for w in (
        "POLYGON ((90 10, 120 10, 120 20, 90 20, 90 10))",   # a third west, two thirds east
        "LINESTRING (50 50, 150 50)",                        # half and half
        "POINT (150 50)",
        "POLYGON ((300 0, 310 0, 310 10, 300 10, 300 0))",   # outside both
    )] + [None], dtype=object)
    got = coverage_shares(geoms, measure(geoms), cov)
    assert np.allclose(got, [[1 / 3, 2 / 3], [0.5, 0.5], [0.0, 1.0], [0.0, 0.0], [0.0, 0.0]], atol=1e-12)
    assert intersects_any(geoms, cov).tolist() == [True, True, True, False, False]
