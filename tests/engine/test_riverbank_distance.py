"""Riverbank distances (gis.engine.riverbank_distance): exact, by a grid of candidate segments."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from toylayers import box, write_toy_gpkg

from gis.engine.riverbank_distance import build_line_index, nearest_distance
from gis.geodesy.crs import to_work
from gis.layers.layerset import load_layers


@pytest.mark.parametrize(
    "wkt, metres",
    [
        ("POINT (0 500)", 500.0),                                   # above the bank's middle
        ("POINT (-300 400)", 500.0),                                # nearest to its west end: 3-4-5
        ("POLYGON ((100 -50, 200 -50, 200 50, 100 50, 100 -50))", 0.0),  # across the bank
        ("LINESTRING (2000 10, 2000 900)", float(np.hypot(1000, 10))),  # its end (2000, 10) to (1000, 0)
        ("POLYGON EMPTY", np.nan),
        (None, np.nan),
    ],
)
def test_distances_in_metres(wkt, metres):
    bank = np.array([shapely.from_wkt("LINESTRING (0 0, 1000 0)")], dtype=object)
    geom = np.array([None if wkt is None else shapely.from_wkt(wkt)], dtype=object)
    got = nearest_distance(geom, build_line_index(bank))[0]
    if np.isnan(metres):
        assert np.isnan(got)
    else:
        assert got == pytest.approx(metres, abs=1e-9)


def test_second_call_reuses_the_cells():
    """The chunks of one run share the index: a cell's candidates are built once, and stay right."""
    bank = np.array([shapely.from_wkt("LINESTRING (0 0, 5000 0, 5000 5000)")], dtype=object)
    index = build_line_index(bank)
    pts = shapely.points(np.linspace(0, 4000, 50), np.full(50, 700.0))
    first = nearest_distance(pts, index)
    cells = len(index.cache)
    again = nearest_distance(pts, index)
    assert len(index.cache) == cells and np.array_equal(first, again)
    assert np.allclose(first, shapely.distance(pts, bank[0]))


def test_grid_distance_equals_plain_distance(tmp_path):
    ls = load_layers(write_toy_gpkg(tmp_path / "t.gpkg"))
    rng = np.random.default_rng(3)
    n = 2000
    x, y = rng.uniform(-5, 35, n), rng.uniform(-5, 15, n)
    geoms = to_work(np.array([box(a, b, a + 0.3, b + 0.2) for a, b in zip(x, y, strict=True)], dtype=object))
    bank = ls.work("riverbank")
    got = nearest_distance(geoms, build_line_index(bank))
    ref = shapely.distance(geoms, shapely.union_all(bank))
    assert np.abs(got - ref).max() < 0.02  # the index simplifies the bank by 1 cm at most
