"""gis.synth.placement: strata, points in polygons and overlap-free filling (work CRS, metres)."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from gis.errors import InputError
from gis.synth.placement import MAX_COVERAGE, Stratum, fill_stratum, sample_points_in

# A 2 km × 1 km field and a 200 m square (metres, work CRS).
FIELD = shapely.from_wkt("POLYGON ((0 0, 2000 0, 2000 1000, 0 1000, 0 0))")
SMALL = shapely.from_wkt("POLYGON ((0 0, 200 0, 200 200, 0 200, 0 0))")


def field_stratum(rng, side=60.0):
    groups = np.array([FIELD], dtype=object)
    return Stratum("park", groups, np.ones(1), shapely.area(FIELD), np.array([side]), rng)


def test_points_fall_inside_their_polygon():
    rng = np.random.default_rng(1)
    geoms = np.array([FIELD, SMALL], dtype=object)
    idx = np.array([0, 1, 1, 0, 1])
    x, y = sample_points_in(geoms, idx, rng)
    assert shapely.contains_xy(geoms[idx], x, y).all()


def test_coverage_is_quota_times_mean_area_over_area():
    s = field_stratum(np.random.default_rng(0), side=50.0)
    spread = np.exp(2 * 0.4**2 + 0.3**2 / 2)
    assert s.coverage(100) == pytest.approx(100 * 2500 * spread / 2e6)


def test_fill_places_the_quota_inside_without_overlaps():
    rng = np.random.default_rng(2)
    s = field_stratum(rng)
    assert s.coverage(80) < MAX_COVERAGE
    placed: list[np.ndarray] = []
    boxes, groups = fill_stratum(s, 80, FIELD, placed, rng, avoid=True)
    assert len(boxes) == 80 and (groups == 0).all()
    assert shapely.contains(FIELD, boxes).all()
    tree = shapely.STRtree(boxes)
    i, j = tree.query(boxes, predicate="overlaps")
    assert not (i != j).any()
    assert len(placed) == 1 and placed[0] is boxes


def test_fill_refuses_what_cannot_fit():
    rng = np.random.default_rng(3)
    s = field_stratum(rng)
    with pytest.raises(InputError, match="Could not place"):
        fill_stratum(s, 5, shapely.buffer(shapely.Point(5000, 5000), 10.0), [], rng, avoid=False)
