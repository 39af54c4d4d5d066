"""Locating parcels in a group of coverages (gis.engine.locate): who meets a boundary, which label holds the rest.

Two coverages on a metric plane: "halves" (west 0–100 and east 100–200, 0–100 high)
and "pond" (one label, 40–60 × 40–60).
"""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from toylayers import box, write_toy_gpkg

from gis.engine.coverage import build_coverage, coverage_shares, measure
from gis.engine.locate import build_group, coverage_contacts, locate
from gis.engine.overlay_table import engine_indexes
from gis.geodesy.crs import to_work
from gis.geomarrays import first_points
from gis.layers.layerset import load_layers


@pytest.fixture(scope="module")
def group():
    halves = build_coverage([shapely.box(0, 0, 100, 100), shapely.box(100, 0, 200, 100)],
                            np.array(["west", "east"], dtype=object))
    pond = build_coverage([shapely.box(40, 40, 60, 60)], np.array(["pond"], dtype=object))
    return build_group([halves, pond])


@pytest.mark.parametrize(
    "wkt, crossing, label",
    [
        ("POLYGON ((10 10, 20 10, 20 20, 10 20, 10 10))", [False, False], [0, -1]),   # west, off the pond
        ("POLYGON ((45 45, 55 45, 55 55, 45 55, 45 45))", [False, False], [0, 0]),    # west, in the pond
        ("POLYGON ((95 10, 105 10, 105 20, 95 20, 95 10))", [True, False], [-1, -1]),  # on the west|east line
        ("POLYGON ((35 45, 45 45, 45 55, 35 55, 35 45))", [False, True], [0, -1]),    # on the pond's shore
        ("POINT (150 50)", [False, False], [1, -1]),                                  # a point in the east
        ("POLYGON ((300 300, 310 300, 310 310, 300 310, 300 300))", [False, False], [-1, -1]),  # outside all
        # parts in both halves, neither meeting a boundary: multi-part parcels always count as crossing
        ("MULTIPOLYGON (((10 10, 20 10, 20 20, 10 20, 10 10)), ((150 10, 160 10, 160 20, 150 20, 150 10)))",
         [True, True], [-1, -1]),
        ("POLYGON EMPTY", [False, False], [-1, -1]),
    ],
)
def test_locate(group, wkt, crossing, label):
    cross, inner = locate(np.array([shapely.from_wkt(wkt)], dtype=object), group)
    assert cross[0].tolist() == crossing
    assert inner[0].tolist() == label


def test_contacts_are_numbered_within_their_coverage(group):
    geoms = np.array([shapely.from_wkt("POLYGON ((95 45, 105 45, 105 55, 95 55, 95 45))"),   # west|east line
                      shapely.from_wkt("POLYGON ((35 45, 45 45, 45 55, 35 55, 35 45))")],    # pond shore
                     dtype=object)
    _, _, contacts = locate(geoms, group, return_contacts=True)
    for j, cov in enumerate(group.covs):
        parcel, edge = coverage_contacts(group, contacts, j)
        assert (edge >= 0).all() and (edge < len(cov.edges)).all()
        # each contact is a true one: the parcel meets that edge of that coverage
        assert shapely.intersects(geoms[parcel], cov.edges[edge]).all()
        assert set(parcel.tolist()) == {j}


def test_first_points():
    geoms = np.array([shapely.from_wkt("POLYGON ((3 4, 5 4, 5 6, 3 4))"), shapely.from_wkt("POINT (1 2)"),
                      shapely.from_wkt("LINESTRING EMPTY"), None], dtype=object)
    got = first_points(geoms)
    assert got[0].equals(shapely.Point(3, 4)) and got[1].equals(shapely.Point(1, 2))
    assert got[2] is None and got[3] is None


def test_located_together_equals_located_alone(tmp_path):
    """Locating parcels for all coverages in one query gives the same shares as one query per coverage."""
    ls = load_layers(write_toy_gpkg(tmp_path / "t.gpkg"))
    eng = engine_indexes(ls)
    rng = np.random.default_rng(5)
    n = 2500
    x, y = rng.uniform(-1, 31, n), rng.uniform(-1, 11, n)
    geoms = to_work(np.array([box(a, b, a + 0.8, b + 0.6) for a, b in zip(x, y, strict=True)], dtype=object))
    geoms[:5] = None
    own, firsts = measure(geoms), first_points(geoms)
    crossing, inner = locate(geoms, eng["group"])
    for name, j in eng["group_index"].items():
        alone = coverage_shares(geoms, own, eng[name], firsts)
        together = coverage_shares(geoms, own, eng[name], firsts, (crossing[:, j], inner[:, j]))
        assert np.array_equal(alone, together), name
