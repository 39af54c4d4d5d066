"""The overlay engine: shares, distances and flags of parcels against a LayerSet.

Everything here works on whole arrays of geometries in the metric working CRS
(:data:`gis.crs.WORK_CRS`); there is no per-parcel Python loop.

How shares are computed
-----------------------
Each coverage (the zones with one label per park, the towns, the 1 km zone) is
cut into tiles of at most ``TILE_M`` metres, so that every piece is small and an
intersection with it is cheap. An STRtree over the pieces gives the candidate
(parcel, piece) pairs. A parcel that lies in the interior of one piece
(``contains_properly``) takes that piece's label wholly with no intersection
computed; only the remaining pairs — parcels on a zone or tile edge — are
intersected exactly. The measure of a geometry is its area for polygons, its
length for lines and its number of points for points, so points and lines are
located by the same code.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

__all__ = ["Coverage", "LineIndex", "build_coverage", "build_line_index", "coverage_shares", "measure",
           "nearest_distance",
           "intersects_any", "TILE_M"]

#: Tile size (metres) for cutting large coverage polygons into pieces.
TILE_M = 2000.0
#: Maximum vertices of a riverbank piece for the nearest-distance tree.
_LINE_PIECE_VERTICES = 64

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
    """

    pieces: np.ndarray
    labels: np.ndarray
    names: list
    tree: shapely.STRtree


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
    pieces_all, labels_all = [], []
    for name in dict.fromkeys(labels.tolist()):
        merged = shapely.union_all(geoms[labels == name])
        pieces = _tile(merged, tile_m)
        names.append(name)
        pieces_all.append(pieces)
        labels_all.append(np.full(len(pieces), len(names) - 1, dtype=np.int64))
    pieces = np.concatenate(pieces_all) if pieces_all else np.array([], dtype=object)
    lab = np.concatenate(labels_all) if labels_all else np.array([], dtype=np.int64)
    shapely.prepare(pieces)
    return Coverage(pieces=pieces, labels=lab, names=names, tree=shapely.STRtree(pieces))


def measure(geoms: np.ndarray) -> np.ndarray:
    """Area for polygons, length for lines, point count for points (metres)."""
    geoms = np.asarray(geoms, dtype=object)
    tid = shapely.get_type_id(geoms)
    out = np.zeros(len(geoms), dtype="float64")
    poly = np.isin(tid, _POLY)
    line = np.isin(tid, _LINE)
    pt = np.isin(tid, _POINT)
    out[poly] = shapely.area(geoms[poly])
    out[line] = shapely.length(geoms[line])
    pts = geoms[pt]
    out[pt] = np.where(shapely.is_empty(pts), 0, shapely.get_num_geometries(pts))
    return out


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


def coverage_shares(geoms: np.ndarray, own: np.ndarray, cov: Coverage) -> np.ndarray:
    """Fraction of each geometry's measure in each label of a coverage.

    Parameters
    ----------
    geoms : numpy.ndarray of shapely.Geometry
        Parcels in metres (None/empty allowed: their row is zero).
    own : numpy.ndarray of float
        Each parcel's own measure (:func:`measure`).
    cov : Coverage

    Returns
    -------
    numpy.ndarray, shape (n, len(cov.names))
        Shares in [0, 1].
    """
    n, k = len(geoms), len(cov.names)
    out = np.zeros((n, k), dtype="float64")
    if n == 0 or len(cov.pieces) == 0:
        return out
    valid = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    idx_valid = np.flatnonzero(valid)
    pi, pj = cov.tree.query(geoms[idx_valid], predicate="intersects")
    if len(pi) == 0:
        return out
    pi = idx_valid[pi]
    # Fast path: the parcel lies in one piece's interior.
    inner = shapely.contains_properly(cov.pieces[pj], geoms[pi])
    whole = np.zeros(n, dtype=bool)
    whole[pi[inner]] = True
    out[pi[inner], cov.labels[pj[inner]]] = 1.0
    rest = ~whole[pi]
    ri, rj = pi[rest], pj[rest]
    if len(ri):
        inter = shapely.intersection(geoms[ri], cov.pieces[rj])
        m = _measure_as(shapely.get_type_id(geoms[ri]), inter)
        flat = ri * k + cov.labels[rj]
        acc = np.bincount(flat, weights=m, minlength=n * k).reshape(n, k)
        with np.errstate(invalid="ignore", divide="ignore"):
            share = acc / own[:, None]
        rows = np.unique(ri)
        out[rows] = np.nan_to_num(share[rows])
    # A point on a shared edge may count twice: scale rows back to at most 1.
    tot = out.sum(axis=1)
    over = tot > 1.0
    out[over] /= tot[over, None]
    return np.clip(out, 0.0, 1.0)


def _split_lines(lines: np.ndarray, max_vertices: int = _LINE_PIECE_VERTICES) -> np.ndarray:
    """Split lines into pieces of at most ``max_vertices`` vertices (one tree entry each)."""
    parts = shapely.get_parts(lines)
    parts = parts[~shapely.is_empty(parts)]
    coords, idx = shapely.get_coordinates(parts, return_index=True)
    pieces = []
    # Vectorised chunking: break every line at multiples of (max_vertices - 1),
    # repeating the break vertex so the pieces join up.
    starts = np.flatnonzero(np.r_[True, idx[1:] != idx[:-1]])
    ends = np.r_[starts[1:], len(idx)]
    step = max_vertices - 1
    seg_start, seg_end = [], []
    for s, e in zip(starts, ends):  # one iteration per line part (few), not per parcel
        b = np.arange(s, e - 1, step)
        seg_start.append(b)
        seg_end.append(np.minimum(b + step + 1, e))
    seg_start = np.concatenate(seg_start)
    seg_end = np.concatenate(seg_end)
    lengths = seg_end - seg_start
    take = np.concatenate([np.arange(a, b) for a, b in zip(seg_start, seg_end)])
    line_idx = np.repeat(np.arange(len(seg_start)), lengths)
    pieces = shapely.linestrings(coords[take], indices=line_idx)
    return pieces


@dataclass
class LineIndex:
    """Riverbank pieces with an STRtree, for nearest distances."""

    pieces: np.ndarray
    tree: shapely.STRtree


def build_line_index(lines) -> LineIndex:
    """Index lines (metres) for :func:`nearest_distance`."""
    pieces = _split_lines(np.asarray(lines, dtype=object))
    return LineIndex(pieces=pieces, tree=shapely.STRtree(pieces))


def nearest_distance(geoms: np.ndarray, index: LineIndex) -> np.ndarray:
    """Shortest distance (metres) from each geometry to the indexed lines (NaN if missing)."""
    n = len(geoms)
    out = np.full(n, np.nan)
    valid = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    if not valid.any() or len(index.pieces) == 0:
        return out
    idx_valid = np.flatnonzero(valid)
    (gi, _ti), dist = index.tree.query_nearest(geoms[idx_valid], return_distance=True, all_matches=False)
    out[idx_valid[gi]] = dist
    return out


def intersects_any(geoms: np.ndarray, cov: Coverage) -> np.ndarray:
    """Whether each geometry intersects any piece of a coverage."""
    n = len(geoms)
    out = np.zeros(n, dtype=bool)
    if n == 0 or len(cov.pieces) == 0:
        return out
    valid = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    idx_valid = np.flatnonzero(valid)
    pi, _ = cov.tree.query(geoms[idx_valid], predicate="intersects")
    out[idx_valid[pi]] = True
    return out
