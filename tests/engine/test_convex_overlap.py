"""Areas from boundary segments (gis.engine.convex_overlap) against GEOS overlays."""

from __future__ import annotations

import numpy as np
import shapely

from gis.engine.convex_overlap import convex_overlap_areas, convex_single_polygons
from gis.engine.coverage import build_coverage, coverage_shares, measure


def _regions():
    # three labels: an L-shaped region with a hole, a neighbour sharing an edge, a separate island
    a = shapely.Polygon([(0, 0), (600, 0), (600, 300), (300, 300), (300, 600), (0, 600)],
                        holes=[[(100, 100), (200, 100), (200, 200), (100, 200)]])
    b = shapely.box(600, 0, 1000, 300)
    c = shapely.Polygon([(700, 450), (900, 420), (950, 600), (720, 640)])
    return np.array([a, b, c], dtype=object), np.array(["A", "B", "C"], dtype=object)


def _random_convex(rng, n):
    out = []
    for _ in range(n):
        cx, cy = rng.uniform(-50, 1050), rng.uniform(-50, 700)
        k = rng.integers(3, 9)
        ang = np.sort(rng.uniform(0, 2 * np.pi, k))
        r = rng.uniform(5, 120)
        pts = np.column_stack([cx + r * np.cos(ang), cy + r * np.sin(ang)])
        poly = shapely.Polygon(pts)
        if rng.random() < 0.5:
            poly = shapely.Polygon(pts[::-1])  # clockwise too
        out.append(poly)
    return np.array(out, dtype=object)


def _pairs(cov, geoms):
    gi, ej = cov.edge_tree.query(geoms, predicate="intersects")
    return gi, cov.edge_a[ej], cov.edge_b[ej], cov.edge_label[ej]


def test_areas_equal_geos_for_random_convex_polygons():
    regions, labels = _regions()
    cov = build_coverage(regions, labels, tile_m=250)
    geoms = _random_convex(np.random.default_rng(1), 4000)
    assert convex_single_polygons(geoms).all()
    gi, a, b, lab = _pairs(cov, geoms)
    areas, ok = convex_overlap_areas(geoms, gi, a, b, lab, 3)
    met = np.zeros(len(geoms), dtype=bool)
    met[gi] = True
    assert ok[met].mean() > 0.95  # general position: nearly all take the numpy path
    for j, region in enumerate(regions):
        ref = shapely.area(shapely.intersection(geoms, region))
        assert np.allclose(areas[ok & met, j], ref[ok & met], rtol=0, atol=1e-9 * 120 ** 2), labels[j]


def test_degenerate_contacts_are_declined():
    """Shared edges, vertices on the boundary, touching corners: left to GEOS (ok False)."""
    regions, labels = _regions()
    cov = build_coverage(regions, labels)
    geoms = np.array([
        shapely.box(500, 100, 600, 200),        # edge along the A|B boundary
        shapely.box(550, 250, 650, 300),        # edges on two boundaries
        shapely.Polygon([(600, 150), (650, 100), (650, 200)]),  # a vertex on the boundary
        shapely.box(200, 200, 250, 250),        # touches the hole's corner
        shapely.box(650, 400, 1000, 700),       # holds the whole island C
    ], dtype=object)
    gi, a, b, lab = _pairs(cov, geoms)
    _, ok = convex_overlap_areas(geoms, gi, a, b, lab, 3)
    assert not ok.any()


def test_coverage_shares_mix_fast_and_exact_paths():
    """coverage_shares gives GEOS's shares whether a parcel went the numpy way or not."""
    regions, labels = _regions()
    cov = build_coverage(regions, labels, tile_m=300)
    rng = np.random.default_rng(4)
    geoms = np.concatenate([
        _random_convex(rng, 1500),
        np.array([shapely.box(500, 100, 600, 200), shapely.box(650, 430, 1000, 700),
                  shapely.Polygon([(0, 0), (400, 0), (400, 400), (200, 100), (0, 400)]),  # concave
                  shapely.box(50, 50, 250, 250).difference(shapely.box(120, 120, 130, 130)),  # holed
                  shapely.MultiPolygon([shapely.box(550, 0, 650, 50), shapely.box(900, 500, 920, 520)])],
                 dtype=object),
    ])
    own = measure(geoms)
    got = coverage_shares(geoms, own, cov)
    for j, region in enumerate(regions):
        ref = shapely.area(shapely.intersection(geoms, region)) / own
        assert np.allclose(got[:, j], ref, atol=1e-9), labels[j]


def test_overlapping_labels_use_exact_overlay():
    """Labels that overlap break the partition argument: the coverage says so and GEOS is used."""
    geoms_l = np.array([shapely.box(0, 0, 100, 100), shapely.box(50, 0, 150, 100)], dtype=object)
    cov = build_coverage(geoms_l, np.array(["x", "y"], dtype=object))
    assert not cov.disjoint
    parcel = np.array([shapely.box(90, 10, 110, 20)], dtype=object)  # crosses x's edge, wholly inside y
    got = coverage_shares(parcel, measure(parcel), cov)
    # half in x, all in y: shares over 1 in total are scaled back (as for every overlapping coverage)
    assert np.allclose(got[0], [1 / 3, 2 / 3])


def test_convexity_mask():
    geoms = np.array([shapely.box(0, 0, 1, 1), shapely.Polygon([(0, 0), (2, 0), (1, 0.2), (1, 2)]),
                      shapely.box(0, 0, 3, 3).difference(shapely.box(1, 1, 2, 2)),
                      shapely.Polygon([(0, 0), (1, 0), (1, 0), (1, 1), (0, 1)]),  # repeated vertex
                      shapely.Point(0, 0), None], dtype=object)
    assert convex_single_polygons(geoms).tolist() == [True, False, False, False, False, False]


def test_a_region_wholly_inside_the_polygon_is_declined_not_an_index_error():
    """A convex site containing a whole zone polygon meets its edges without crossing its own boundary.

    The entry/exit search found no edge at all and indexed an empty array with a
    one-element mask (IndexError: ``site-check --lonlat 121.7505,31.3521 --radius-m 3000``).
    """
    inner = shapely.box(400, 400, 600, 600)
    regions = np.array([inner, shapely.box(2000, 2000, 2100, 2100)], dtype=object)
    cov = build_coverage(regions, np.array(["A", "B"], dtype=object))
    big = np.array([shapely.Point(500, 500).buffer(300, quad_segs=32)], dtype=object)
    gi, a, b, lab = _pairs(cov, big)
    areas, ok = convex_overlap_areas(big, gi, a, b, lab, 2)
    assert not ok[0]  # left to GEOS
    shares = coverage_shares(big, measure(big), cov)
    assert np.isclose(shares[0, 0], inner.area / big[0].area, rtol=1e-9)


def test_no_events_at_all():
    """Only contacts that neither enter nor leave: empty event arrays, float areas, nothing raised."""
    regions = np.array([shapely.box(0, 0, 10, 10)], dtype=object)
    cov = build_coverage(regions, np.array(["A"], dtype=object))
    geoms = np.array([shapely.box(-5, -5, 15, 15)], dtype=object)
    gi, a, b, lab = _pairs(cov, geoms)
    areas, ok = convex_overlap_areas(geoms, gi, a, b, lab, 1)
    assert areas.dtype == np.float64 and not ok[0]
