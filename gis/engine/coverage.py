"""The overlay engine: shares, distances and flags of parcels against a LayerSet.

Everything here works on whole arrays of geometries in the metric working CRS
(:data:`gis.geodesy.crs.WORK_CRS`); there is no per-parcel Python loop.

How shares are computed
-----------------------
Each coverage (the zones with one label per park, the towns, the 1 km zone) is
held as its labels' true boundary segments and as tiles of at most ``TILE_M``
metres. :func:`locate` settles most parcels without GEOS: a raster of the cells
the boundaries pass through (:mod:`gis.engine.boundary_cells`) shows which parcels cannot
meet a boundary; those lie wholly in one label, the label of their cell. The
rest are tested exactly against the segments (STRtree). A parcel that meets a
boundary gets its area in each label from the boundary segments by Green's
theorem when it is a convex polygon in general position
(:mod:`gis.engine.convex_overlap`), else by exact GEOS intersections with the small
tiles. The measure of a geometry is its area for polygons, its length for lines
and its number of points for points, so points and lines are located by the
same code.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from gis.parallel import threaded as _threaded
from gis.engine.boundary_cells import CellGrid, build_cell_grid
from gis.engine.convex_overlap import convex_overlap_areas, convex_single_polygons
from gis.geomarrays import present as _valid
from gis.geomarrays import segment_coords as _segment_coords

__all__ = ["Coverage", "CoverageGroup", "build_coverage", "build_group", "locate", "coverage_contacts",
           "coverage_shares", "first_points", "measure", "intersects_any", "TILE_M"]

#: Tile size (metres) for cutting large coverage polygons into pieces.
TILE_M = 2000.0

_POLY = (3, 6)       # Polygon, MultiPolygon
_LINE = (1, 2, 5)    # LineString, LinearRing, MultiLineString
_POINT = (0, 4)      # Point, MultiPoint


@dataclass
class Coverage:
    """Labelled, tiled polygons with a spatial index.

    Attributes
    ----------
    pieces : numpy.ndarray of shapely.Geometry
        Tiles of the labelled polygons (metres).
    labels : numpy.ndarray of int
        Label index of each piece (into ``names``).
    names : list
        The label values (e.g. park ids, zone codes, town names).
    tree : shapely.STRtree
    edges : numpy.ndarray of shapely.LineString
        Segments of the labelled polygons' true boundaries (not the tile
        edges): a parcel that meets none lies wholly inside one label.
    edge_tree : shapely.STRtree
    edge_a, edge_b : numpy.ndarray, shape (len(edges), 2)
        Each edge's start and end, oriented with its label on the left.
    edge_label : numpy.ndarray of int
        Each edge's label.
    disjoint : bool
        The labels do not overlap (so a parcel's area splits between them).
    """

    pieces: np.ndarray
    labels: np.ndarray
    names: list
    tree: shapely.STRtree
    edges: np.ndarray | None = None
    edge_tree: shapely.STRtree | None = None
    edge_a: np.ndarray | None = None
    edge_b: np.ndarray | None = None
    edge_label: np.ndarray | None = None
    disjoint: bool = False


def _tile(geom, tile_m: float) -> np.ndarray:
    """Cut one polygonal geometry into pieces no larger than ``tile_m`` squares."""
    if geom is None or shapely.is_empty(geom):
        return np.array([], dtype=object)
    xmin, ymin, xmax, ymax = shapely.bounds(geom)
    if xmax - xmin <= tile_m and ymax - ymin <= tile_m:
        return np.array([geom], dtype=object)
    xs = np.arange(xmin, xmax, tile_m)
    ys = np.arange(ymin, ymax, tile_m)
    gx, gy = np.meshgrid(xs, ys)
    boxes = shapely.box(gx.ravel(), gy.ravel(), gx.ravel() + tile_m, gy.ravel() + tile_m)
    shapely.prepare(geom)
    hit = shapely.intersects(geom, boxes)
    inside = shapely.contains_properly(geom, boxes[hit])
    boxes = boxes[hit]
    pieces = boxes.copy()
    pieces[~inside] = shapely.intersection(boxes[~inside], geom)
    pieces = shapely.get_parts(pieces)
    keep = np.isin(shapely.get_type_id(pieces), _POLY) & (shapely.area(pieces) > 0)
    return pieces[keep]


def build_coverage(geoms, labels, tile_m: float = TILE_M) -> Coverage:
    """Build a tiled coverage from polygons and their labels.

    Parameters
    ----------
    geoms : array_like of shapely.Geometry
        Polygons in metres; geometries with the same label are merged.
    labels : array_like
        One label per geometry.
    tile_m : float
        Tile size in metres.
    """
    geoms = np.asarray(geoms, dtype=object)
    labels = np.asarray(labels, dtype=object)
    names: list = []
    pieces_all, labels_all, merged_all = [], [], []
    seg_a, seg_b, seg_label = [np.empty((0, 2))], [np.empty((0, 2))], [np.empty(0, dtype=np.int64)]
    for name in dict.fromkeys(labels.tolist()):
        # exterior rings counter-clockwise, holes clockwise: the label lies left of its edges
        merged = shapely.orient_polygons(shapely.union_all(geoms[labels == name]))
        if not shapely.is_empty(merged):
            a, b, _ = _segment_coords(np.array([shapely.boundary(merged)], dtype=object))
            seg_a.append(a)
            seg_b.append(b)
            seg_label.append(np.full(len(a), len(names), dtype=np.int64))
            merged_all.append(merged)
        pieces = _tile(merged, tile_m)
        names.append(name)
        pieces_all.append(pieces)
        labels_all.append(np.full(len(pieces), len(names) - 1, dtype=np.int64))
    pieces = np.concatenate(pieces_all) if pieces_all else np.array([], dtype=object)
    lab = np.concatenate(labels_all) if labels_all else np.array([], dtype=np.int64)
    shapely.prepare(pieces)
    edge_a, edge_b = np.concatenate(seg_a), np.concatenate(seg_b)
    edges = shapely.linestrings(np.stack([edge_a, edge_b], axis=1)) if len(edge_a) else np.array([], dtype=object)
    areas = shapely.area(np.array(merged_all, dtype=object)) if merged_all else np.zeros(0)
    union = shapely.area(shapely.union_all(np.array(merged_all, dtype=object))) if merged_all else 0.0
    return Coverage(pieces=pieces, labels=lab, names=names, tree=shapely.STRtree(pieces),
                    edges=edges, edge_tree=shapely.STRtree(edges), edge_a=edge_a, edge_b=edge_b,
                    edge_label=np.concatenate(seg_label),
                    disjoint=bool(areas.sum() <= union * (1 + 1e-9) + 1e-6))


def measure(geoms: np.ndarray) -> np.ndarray:
    """Area for polygons, length for lines, point count for points (metres)."""
    geoms = np.asarray(geoms, dtype=object)
    return _measure_as(shapely.get_type_id(geoms), geoms)


def _measure_as(kind_tid: np.ndarray, geoms: np.ndarray) -> np.ndarray:
    """Measure intersection results by the dimension of the *parcel* they came from."""
    out = np.zeros(len(geoms), dtype="float64")
    poly = np.isin(kind_tid, _POLY)
    line = np.isin(kind_tid, _LINE)
    pt = np.isin(kind_tid, _POINT)
    out[poly] = shapely.area(geoms[poly])
    out[line] = shapely.length(geoms[line])
    g = geoms[pt]
    out[pt] = np.where(shapely.is_empty(g), 0, shapely.get_num_geometries(g))
    return out


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
    valid = _valid(geoms) if valid is None else valid
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


def first_points(geoms: np.ndarray) -> np.ndarray:
    """The first vertex of each geometry as a Point (None for missing/empty)."""
    out = np.full(len(geoms), None, dtype=object)
    coords, cidx = shapely.get_coordinates(geoms, return_index=True)
    if len(cidx):
        first = np.r_[True, cidx[1:] != cidx[:-1]]
        out[cidx[first]] = shapely.points(coords[first])
    return out


def coverage_shares(geoms: np.ndarray, own: np.ndarray, cov: Coverage, firsts: np.ndarray | None = None,
                    located: tuple[np.ndarray, np.ndarray] | None = None, valid: np.ndarray | None = None,
                    convex: np.ndarray | None = None) -> np.ndarray:
    """Fraction of each geometry's measure in each label of a coverage.

    Parameters
    ----------
    geoms : numpy.ndarray of shapely.Geometry
        Parcels in metres (None/empty allowed: their row is zero).
    own : numpy.ndarray of float
        Each parcel's own measure (:func:`measure`).
    cov : Coverage
    firsts : numpy.ndarray of shapely.Point, optional
        :func:`first_points` of ``geoms``, when the caller already has them.
    located : (crossing, inner_label[, contacts]), optional
        This coverage's columns of :func:`locate`, when the caller located the
        parcels for several coverages at once, and optionally this coverage's
        (parcel, edge) contacts (:func:`coverage_contacts`), which spares a query.
    valid, convex : numpy.ndarray of bool, optional
        Which geometries are present and non-empty, and which are single convex
        polygons (:func:`gis.engine.convex_overlap.convex_single_polygons`), when the
        caller already knows (the convex mask need only be right where ``located``
        says a parcel crosses).

    Returns
    -------
    numpy.ndarray, shape (n, len(cov.names))
        Shares in [0, 1].
    """
    n, k = len(geoms), len(cov.names)
    out = np.zeros((n, k), dtype="float64")
    if n == 0 or len(cov.pieces) == 0:
        return out
    valid = _valid(geoms) if valid is None else valid
    idx_valid = np.flatnonzero(valid)
    contacts = None
    if located is not None:
        crossing, inner_label = located[:2]
        contacts = located[2] if len(located) > 2 else None
        inner = idx_valid[~crossing[idx_valid] & (inner_label[idx_valid] >= 0)]
        out[inner, inner_label[inner]] = 1.0
    else:
        crossing, inner = _locate_one(geoms, idx_valid, cov)
    if located is None and len(inner):
        # The others lie wholly inside one label (or wholly outside all): the
        # label of their first vertex is the label of the whole parcel.
        pts = (first_points(geoms) if firsts is None else firsts)[inner]
        qi, qj = cov.tree.query(pts, predicate="intersects")
        if len(qi):
            ui, pos = np.unique(qi, return_index=True)
            out[inner[ui], cov.labels[qj[pos]]] = 1.0
    # Parcels on a boundary: convex ones from the boundary segments in numpy
    # (gis.engine.convex_overlap), the rest — and any the numpy path declines — by exact
    # intersections with the (small, tiled) pieces.
    ex = np.flatnonzero(crossing)
    if len(ex) and cov.disjoint and cov.edge_a is not None and len(cov.edge_a):
        fast = ex[convex_single_polygons(geoms[ex]) if convex is None else convex[ex]]
        if len(fast):
            if contacts is not None:
                pos = np.full(n, -1, dtype=np.int64)
                pos[fast] = np.arange(len(fast))
                fi, ej = pos[contacts[0]], contacts[1]
                fi, ej = fi[fi >= 0], ej[fi >= 0]
            else:
                fi, ej = cov.edge_tree.query(geoms[fast], predicate="intersects")
            areas, ok = convex_overlap_areas(geoms[fast], fi, cov.edge_a[ej], cov.edge_b[ej],
                                             cov.edge_label[ej], k)
            done = fast[ok]
            with np.errstate(invalid="ignore", divide="ignore"):
                out[done] = np.nan_to_num(areas[ok] / own[done, None])
            ex = np.setdiff1d(ex, done, assume_unique=True)
    if len(ex):
        pi, pj = cov.tree.query(geoms[ex], predicate="intersects")
        ri, rj = ex[pi], pj
        inter = _threaded(shapely.intersection, geoms[ri], cov.pieces[rj])
        m = _measure_as(shapely.get_type_id(geoms[ri]), inter)
        flat = ri * k + cov.labels[rj]
        acc = np.bincount(flat, weights=m, minlength=n * k).reshape(n, k)
        with np.errstate(invalid="ignore", divide="ignore"):
            share = acc[ex] / own[ex, None]
        out[ex] = np.nan_to_num(share)
    # A point on a shared edge may count twice: scale rows back to at most 1.
    tot = out.sum(axis=1)
    over = tot > 1.0
    out[over] /= tot[over, None]
    return np.clip(out, 0.0, 1.0)


def _locate_one(geoms: np.ndarray, idx_valid: np.ndarray, cov: Coverage) -> tuple[np.ndarray, np.ndarray]:
    """(crossing mask, parcels not crossing) for one coverage (see :func:`locate`)."""
    crossing = np.zeros(len(geoms), dtype=bool)
    if cov.edge_tree is not None and len(cov.edges):
        bi, _ = cov.edge_tree.query(geoms[idx_valid], predicate="intersects")
        crossing[idx_valid[bi]] = True
    # A multi-part geometry may have parts in different labels without meeting
    # a boundary: its first vertex does not speak for the others.
    crossing[idx_valid] |= shapely.get_num_geometries(geoms[idx_valid]) > 1
    return crossing, idx_valid[~crossing[idx_valid]]


def intersects_any(geoms: np.ndarray, cov: Coverage, valid: np.ndarray | None = None) -> np.ndarray:
    """Whether each geometry intersects any piece of a coverage."""
    n = len(geoms)
    out = np.zeros(n, dtype=bool)
    if n == 0 or len(cov.pieces) == 0:
        return out
    valid = _valid(geoms) if valid is None else valid
    idx_valid = np.flatnonzero(valid)
    pi, _ = cov.tree.query(geoms[idx_valid], predicate="intersects")
    out[idx_valid[pi]] = True
    return out
