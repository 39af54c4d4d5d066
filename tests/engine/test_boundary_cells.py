"""The boundary-cell grid: conservative screening and exact agreement with the STRtree path."""

from __future__ import annotations

import numpy as np
import shapely

from gis.engine.boundary_cells import build_cell_grid
from gis.geomarrays import segments


def _grid(polys, cell=10.0):
    edges = [segments(shapely.boundary(np.array(polys, dtype=object)))]
    return build_cell_grid(edges, tuple(shapely.total_bounds(np.array(polys, dtype=object))), cell=cell)


def test_every_box_meeting_a_boundary_is_flagged():
    """Conservative: no box that touches or crosses a boundary is reported clear."""
    poly = shapely.Polygon([(0, 0), (100, 0), (130, 70), (40, 95), (0, 60)])
    grid = _grid([poly])
    rng = np.random.default_rng(1)
    n = 20000
    x, y = rng.uniform(-40, 170, n), rng.uniform(-40, 140, n)
    w, h = rng.uniform(0, 25, n), rng.uniform(0, 25, n)
    boxes = shapely.box(x, y, x + w, y + h)
    # boxes lying exactly on a boundary vertex or along an edge
    boxes[:3] = [shapely.box(100, 0, 110, 10), shapely.box(-10, 0, 0, 30), shapely.box(0, 60, 0, 60)]
    meets = shapely.intersects(boxes, shapely.boundary(poly))
    near = grid.marked_in_boxes(shapely.bounds(boxes))[:, 0]
    assert not (meets & ~near).any()
    assert near[:3].all()
    # and it is a useful screen: most boxes far from the boundary are cleared
    assert (~near).sum() > 0.5 * (~meets).sum()


def test_boxes_off_the_grid_and_huge_boxes():
    poly = shapely.box(0, 0, 100, 100)
    grid = _grid([poly])
    far = np.array([[1e4, 1e4, 1e4 + 5, 1e4 + 5], [-1e4, -1e4, -1e4 + 1, -1e4 + 1]])
    assert not grid.marked_in_boxes(far).any()
    around = np.array([[-1e6, -1e6, 1e6, 1e6]])  # spans the whole grid: holds the boundary
    assert grid.marked_in_boxes(around).all()


def test_cell_labels_match_point_queries():
    """A cell with no boundary has one label: the centre's label is every point's label."""
    a, b = shapely.box(0, 0, 50, 100), shapely.box(50, 0, 100, 100)
    grid = _grid([a, b], cell=7.0)
    marked = grid.marked_in_boxes(np.array([[x, y, x, y] for y in np.arange(1, 99, 3.3)
                                            for x in np.arange(1, 99, 3.3)]))[:, 0]
    pts = np.array([[x, y] for y in np.arange(1, 99, 3.3) for x in np.arange(1, 99, 3.3)])
    cells = grid.cell_of(pts[:, 0], pts[:, 1])
    centres = grid.cell_centres(cells)
    side_pt = pts[:, 0] < 50
    side_centre = shapely.get_x(centres) < 50
    assert np.array_equal(side_pt[~marked], side_centre[~marked])


def test_more_than_eight_coverages_refused():
    import pytest

    e = segments(shapely.boundary(np.array([shapely.box(0, 0, 1, 1)], dtype=object)))
    with pytest.raises(ValueError):
        build_cell_grid([e] * 9, (0, 0, 1, 1))


def test_five_coverages_pack_into_narrower_fields():
    """Five coverages (zones, district, towns, 1 km zone, water) share the int64 table in 12-bit fields."""
    boxes = [shapely.box(100.0 * k, 0, 100.0 * k + 60, 60) for k in range(5)]
    edges = [segments(shapely.boundary(np.array([b], dtype=object))) for b in boxes]
    grid = build_cell_grid(edges, (0, 0, 500, 100), cell=10.0)
    assert grid.bits == 12
    near = grid.marked_in_boxes(np.array([[100.0 * k - 5, 25, 100.0 * k + 5, 35] for k in range(5)]))
    assert (near == np.eye(5, dtype=bool)).all()
