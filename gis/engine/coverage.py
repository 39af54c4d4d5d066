"""Coverages: labelled polygons (zones, towns, the 1 km zone) and the shares of parcels in each label.

Everything here works on whole arrays of geometries in the metric working CRS
(:data:`gis.geodesy.crs.WORK_CRS`); there is no per-parcel Python loop.

How shares are computed
-----------------------
Each coverage (the zones with one label per park, the towns, the 1 km zone) is
held as its labels' true boundary segments and as tiles of at most ``TILE_M``
metres. Most parcels meet no boundary: they lie wholly in one label, found by
:mod:`gis.engine.locate` (a raster of boundary cells, then an exact test
against the segments) or, for a coverage alone, by their first vertex. A parcel
that meets a boundary gets its area in each label from the boundary segments by
Green's theorem when it is a convex polygon in general position
(:mod:`gis.engine.convex_overlap`), else by exact GEOS intersections with the
small tiles. The measure of a geometry is its area for polygons, its length for
lines and its number of points for points, so points and lines are located by
the same code.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from gis.engine.convex_overlap import convex_overlap_areas, convex_single_polygons
from gis.geomarrays import (
    LINE_TYPES,
    POINT_TYPES,
    POLYGON_TYPES,
    first_points,
    present,
    segment_coords,
)
from gis.parallel import threaded

__all__ = ["Coverage", "build_coverage", "coverage_shares", "measure", "intersects_any", "TILE_M"]

#: Tile size (metres) for cutting large coverage polygons into pieces.
TILE_M = 2000.0

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
    keep = np.isin(shapely.get_type_id(pieces), POLYGON_TYPES) & (shapely.area(pieces) > 0)
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
            a, b, _ = segment_coords(np.array([shapely.boundary(merged)], dtype=object))
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
    """Each geometry's measure: area (m²) for polygons, length (m) for lines, number of points for points."""
    geoms = np.asarray(geoms, dtype=object)
    return _measure_as(shapely.get_type_id(geoms), geoms)


def _measure_as(kind_tid: np.ndarray, geoms: np.ndarray) -> np.ndarray:
    """Measure intersection results by the dimension of the *parcel* they came from."""
    out = np.zeros(len(geoms), dtype="float64")
    poly = np.isin(kind_tid, POLYGON_TYPES)
    line = np.isin(kind_tid, LINE_TYPES)
    pt = np.isin(kind_tid, POINT_TYPES)
    out[poly] = shapely.area(geoms[poly])
    out[line] = shapely.length(geoms[line])
    g = geoms[pt]
    out[pt] = np.where(shapely.is_empty(g), 0, shapely.get_num_geometries(g))
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
        Each parcel's own measure (:func:`measure`: m², m or points).
    cov : Coverage
    firsts : numpy.ndarray of shapely.Point, optional
        :func:`gis.geomarrays.first_points` of ``geoms``, when the caller already has them.
    located : (crossing, inner_label[, contacts]), optional
        This coverage's columns of :func:`gis.engine.locate.locate`, when the
        caller located the parcels for several coverages at once, and optionally
        this coverage's (parcel, edge) contacts
        (:func:`gis.engine.locate.coverage_contacts`), which spares a query.
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
    valid = present(geoms) if valid is None else valid
    idx_valid = np.flatnonzero(valid)
    contacts = None
    if located is not None:
        crossing, inner_label = located[:2]
        contacts = located[2] if len(located) > 2 else None
        inner = idx_valid[~crossing[idx_valid] & (inner_label[idx_valid] >= 0)]
        out[inner, inner_label[inner]] = 1.0
    else:
        crossing, inner = _locate_one(geoms, idx_valid, cov)
        if len(inner):
            _label_by_first_vertex(out, geoms, inner, cov, firsts)
    # Parcels on a boundary: convex ones from the boundary segments in numpy
    # (gis.engine.convex_overlap), the rest — and any the numpy path declines — by exact
    # intersections with the (small, tiled) pieces.
    ex = np.flatnonzero(crossing)
    if len(ex) and cov.disjoint and cov.edge_a is not None and len(cov.edge_a):
        ex = _convex_shares(out, geoms, own, cov, ex, contacts, convex)
    if len(ex):
        _exact_shares(out, geoms, own, cov, ex)
    # A point on a shared edge may count twice: scale rows back to at most 1.
    tot = out.sum(axis=1)
    over = tot > 1.0
    out[over] /= tot[over, None]
    return np.clip(out, 0.0, 1.0)


def _label_by_first_vertex(out: np.ndarray, geoms: np.ndarray, inner: np.ndarray, cov: Coverage,
                           firsts: np.ndarray | None) -> None:
    """Rows of parcels that meet no boundary: share 1 in the label of their first vertex (none outside all)."""
    pts = (first_points(geoms) if firsts is None else firsts)[inner]
    qi, qj = cov.tree.query(pts, predicate="intersects")
    if len(qi):
        ui, pos = np.unique(qi, return_index=True)
        out[inner[ui], cov.labels[qj[pos]]] = 1.0


def _convex_shares(out: np.ndarray, geoms: np.ndarray, own: np.ndarray, cov: Coverage, ex: np.ndarray,
                   contacts: tuple[np.ndarray, np.ndarray] | None, convex: np.ndarray | None) -> np.ndarray:
    """Rows of the convex crossing parcels from the boundary segments; returns the parcels left to GEOS."""
    n, k = out.shape
    fast = ex[convex_single_polygons(geoms[ex]) if convex is None else convex[ex]]
    if len(fast) == 0:
        return ex
    if contacts is not None:
        pos = np.full(n, -1, dtype=np.int64)
        pos[fast] = np.arange(len(fast))
        fi, ej = pos[contacts[0]], contacts[1]
        fi, ej = fi[fi >= 0], ej[fi >= 0]
    else:
        fi, ej = cov.edge_tree.query(geoms[fast], predicate="intersects")
    areas, ok = convex_overlap_areas(geoms[fast], fi, cov.edge_a[ej], cov.edge_b[ej], cov.edge_label[ej], k)
    done = fast[ok]
    with np.errstate(invalid="ignore", divide="ignore"):
        out[done] = np.nan_to_num(areas[ok] / own[done, None])
    return np.setdiff1d(ex, done, assume_unique=True)


def _exact_shares(out: np.ndarray, geoms: np.ndarray, own: np.ndarray, cov: Coverage, ex: np.ndarray) -> None:
    """Rows of the parcels ``ex`` by exact GEOS intersections with the coverage's tiles."""
    n, k = out.shape
    pi, pj = cov.tree.query(geoms[ex], predicate="intersects")
    ri, rj = ex[pi], pj
    inter = threaded(shapely.intersection, geoms[ri], cov.pieces[rj])
    m = _measure_as(shapely.get_type_id(geoms[ri]), inter)
    flat = ri * k + cov.labels[rj]
    acc = np.bincount(flat, weights=m, minlength=n * k).reshape(n, k)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = acc[ex] / own[ex, None]
    out[ex] = np.nan_to_num(share)


def _locate_one(geoms: np.ndarray, idx_valid: np.ndarray, cov: Coverage) -> tuple[np.ndarray, np.ndarray]:
    """(crossing mask, parcels not crossing) for one coverage (see :func:`gis.engine.locate.locate`)."""
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
    valid = present(geoms) if valid is None else valid
    idx_valid = np.flatnonzero(valid)
    pi, _ = cov.tree.query(geoms[idx_valid], predicate="intersects")
    out[idx_valid[pi]] = True
    return out
