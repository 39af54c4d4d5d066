"""Locating parcels in several coverages at once: which meet a boundary, and which label holds the rest.

The overlay table asks the same question of every coverage (zones, district,
towns, 1 km zone): does a parcel meet a boundary (then its shares need
geometry), or which label holds it whole? A :class:`CoverageGroup` indexes the
coverages together so that the answer for all of them costs one query:

* a raster of the cells each coverage's boundary passes through
  (:mod:`gis.engine.boundary_cells`) settles, in numpy, the parcels whose
  bounding box meets no boundary cell: they lie in the label of their cell,
  looked up once per distinct cell and kept on the group;
* the others are tested exactly against the boundary segments (STRtree), and
  those that meet none are located by their first vertex.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from gis.engine.boundary_cells import CellGrid, build_cell_grid
from gis.engine.coverage import Coverage
from gis.geomarrays import first_points, present

__all__ = ["CoverageGroup", "build_group", "locate", "coverage_contacts"]


@dataclass
class CoverageGroup:
    """Several coverages indexed together, so that locating parcels costs one query, not one per coverage.

    Attributes
    ----------
    covs : list of Coverage
    edge_tree, piece_tree : shapely.STRtree
        All coverages' boundary segments, and all their pieces.
    edge_cov, piece_cov : numpy.ndarray of int
        The coverage (index into ``covs``) of each edge and piece.
    piece_label : numpy.ndarray of int
        Each piece's label within its coverage.
    grid : CellGrid
        The cells each coverage's boundary passes through (:mod:`gis.engine.boundary_cells`).
    edge_offset : numpy.ndarray of int
        Where each coverage's edges start in the group's edge numbering.
    cell_labels : numpy.ndarray of int32, shape (cells, len(covs)), optional
        Each cell's label per coverage, filled as cells are first needed (see :func:`locate`).
    """

    covs: list
    edge_tree: shapely.STRtree
    edge_cov: np.ndarray
    piece_tree: shapely.STRtree
    piece_cov: np.ndarray
    piece_label: np.ndarray
    grid: CellGrid
    edge_offset: np.ndarray
    cell_labels: np.ndarray | None = None


def build_group(covs: list[Coverage]) -> CoverageGroup:
    """Index several coverages together (see :class:`CoverageGroup`)."""
    edges = [c.edges if c.edges is not None else np.array([], dtype=object) for c in covs]
    edge_cov = np.concatenate([np.full(len(e), k, dtype=np.int64) for k, e in enumerate(edges)])
    piece_cov = np.concatenate([np.full(len(c.pieces), k, dtype=np.int64) for k, c in enumerate(covs)])
    pieces = np.concatenate([c.pieces for c in covs])
    extent = tuple(shapely.total_bounds(pieces)) if len(pieces) else (0.0, 0.0, 1.0, 1.0)
    return CoverageGroup(
        covs=list(covs),
        edge_tree=shapely.STRtree(np.concatenate(edges)),
        edge_cov=edge_cov,
        piece_tree=shapely.STRtree(pieces),
        piece_cov=piece_cov,
        piece_label=np.concatenate([c.labels for c in covs]).astype(np.int64),
        grid=build_cell_grid(edges, extent),
        edge_offset=np.r_[0, np.cumsum([len(e) for e in edges])[:-1]].astype(np.int64),
    )


def locate(geoms: np.ndarray, group: CoverageGroup, return_contacts: bool = False,
           valid: np.ndarray | None = None):
    """For every parcel and coverage of a group: does it meet a boundary, else which label holds it.

    The boundary-cell grid (:mod:`gis.engine.boundary_cells`) settles most parcels in numpy:
    a parcel whose bounding box meets no cell of a coverage's boundary lies in
    one label, the label of the cell at its box's centre (one point query per
    distinct cell). Only the rest are checked exactly against the boundary
    segments, and those that do not meet one are located by their first vertex.

    Returns
    -------
    crossing : numpy.ndarray of bool, shape (n, K)
        The parcel meets a true boundary of coverage k (or is multi-part): it needs exact intersections.
    inner_label : numpy.ndarray of int, shape (n, K)
        Otherwise the label of coverage k that holds the parcel, -1 where none does.
    contacts : (numpy.ndarray, numpy.ndarray)
        With ``return_contacts``: every (parcel, group edge) pair that meets,
        for single-part parcels (see :func:`coverage_contacts`).
    """
    n, k = len(geoms), len(group.covs)
    crossing = np.zeros((n, k), dtype=bool)
    inner_label = np.full((n, k), -1, dtype=np.int64)
    contacts = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    valid = present(geoms) if valid is None else valid
    vi = np.flatnonzero(valid)
    if len(vi) == 0:
        return (crossing, inner_label, contacts) if return_contacts else (crossing, inner_label)
    g = geoms[vi]
    b = shapely.bounds(g)
    grid = group.grid
    near = grid.marked_in_boxes(b)
    # A multi-part geometry may have parts in different labels without meeting
    # a boundary: its first vertex does not speak for the others.
    multi = shapely.get_num_geometries(g) > 1
    near[multi] = True
    cross = np.zeros((len(vi), k), dtype=bool)
    cross[multi] = True
    lab = np.full((len(vi), k), -1, dtype=np.int64)
    # Near a boundary: exact check against the segments.
    cand = np.flatnonzero(near.any(axis=1) & ~multi)
    if len(cand):
        bi, bj = group.edge_tree.query(g[cand], predicate="intersects")
        cross[cand[bi], group.edge_cov[bj]] = True
        contacts = (vi[cand[bi]], bj)
    # Far from every boundary of a coverage: the label of the cell at the box's centre.
    far = ~near
    rows = np.flatnonzero(far.any(axis=1))
    if len(rows):
        cells = grid.cell_of((b[rows, 0] + b[rows, 2]) / 2, (b[rows, 1] + b[rows, 3]) / 2)
        on = cells >= 0
        cache = _cell_labels(group)
        # Only the cells in use (a full-grid mask would cost milliseconds per call for one site).
        used = np.unique(cells[on])
        todo = used[cache[used, 0] == _UNKNOWN]
        if len(todo):
            # Threads may fill the same cells at once: with the same values, which is harmless.
            cache[todo] = _labels_at(group, grid.cell_centres(todo))
        cell_lab = np.full((len(rows), k), -1, dtype=np.int64)
        cell_lab[on] = cache[cells[on]]
        lab[rows] = np.where(far[rows], cell_lab, -1)
    # Near a boundary without meeting it: the label of the first vertex.
    rest = near & ~cross
    rows = np.flatnonzero(rest.any(axis=1))
    if len(rows):
        table = _labels_at(group, first_points(g[rows]))
        lab[rows] = np.where(rest[rows], table, lab[rows])
    if len(vi) == n:
        crossing, inner_label = cross, lab
    else:
        crossing[vi], inner_label[vi] = cross, lab
    return (crossing, inner_label, contacts) if return_contacts else (crossing, inner_label)


_UNKNOWN = -2


def _cell_labels(group: CoverageGroup) -> np.ndarray:
    """Per-cell labels of a group's coverages, filled as cells are first needed (-2: not yet)."""
    if group.cell_labels is None:
        group.cell_labels = np.full((group.grid.nx * group.grid.ny, len(group.covs)), _UNKNOWN, dtype=np.int32)
    return group.cell_labels


def coverage_contacts(group: CoverageGroup, contacts: tuple[np.ndarray, np.ndarray], j: int
                      ) -> tuple[np.ndarray, np.ndarray]:
    """The (parcel, edge) contacts of :func:`locate` that belong to coverage ``j``, edges numbered within it."""
    ci, cj = contacts
    mine = group.edge_cov[cj] == j
    return ci[mine], cj[mine] - group.edge_offset[j]


def _labels_at(group: CoverageGroup, points: np.ndarray) -> np.ndarray:
    """Label of each coverage at each point, shape (len(points), K); -1 where none."""
    k = len(group.covs)
    out = np.full((len(points), k), -1, dtype=np.int64)
    qi, qj = group.piece_tree.query(points, predicate="intersects")
    if len(qi):
        key = qi * k + group.piece_cov[qj]
        uk, pos = np.unique(key, return_index=True)
        out[uk // k, uk % k] = group.piece_label[qj[pos]]
    return out
