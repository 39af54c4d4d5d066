"""Small array helpers on shapely geometries shared by the engine's modules."""

from __future__ import annotations

import numpy as np
import shapely

__all__ = ["segment_coords", "segments", "present", "first_points", "invalid_coordinates",
           "MAX_COORDINATE", "POLYGON_TYPES", "LINE_TYPES", "POINT_TYPES", "NON_POLYGON_TYPES"]

#: shapely type ids: Polygon, MultiPolygon.
POLYGON_TYPES = (3, 6)
#: LineString, LinearRing, MultiLineString.
LINE_TYPES = (1, 2, 5)
#: Point, MultiPoint.
POINT_TYPES = (0, 4)
#: Everything but polygons (GeometryCollection included).
NON_POLYGON_TYPES = (0, 1, 2, 4, 5)
#: No coordinate on Earth exceeds this in any CRS's unit (metres: 4·10⁷ is the equator; a
#: Gauss–Krüger easting with its zone prefix stays below 10⁸).
MAX_COORDINATE = 1e9


def segment_coords(lines: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Start points, end points and part index of every segment of the lines."""
    parts = shapely.get_parts(np.asarray(lines, dtype=object))
    parts = parts[~shapely.is_empty(parts)]
    coords, idx = shapely.get_coordinates(parts, return_index=True)
    same = idx[1:] == idx[:-1]
    return coords[:-1][same], coords[1:][same], idx[:-1][same]


def segments(lines: np.ndarray) -> np.ndarray:
    """Every segment of the lines as a two-point LineString (vectorised)."""
    a, b, _ = segment_coords(lines)
    return shapely.linestrings(np.stack([a, b], axis=1))


def present(geoms: np.ndarray) -> np.ndarray:
    """Mask of geometries that are present and not empty."""
    return ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))


def first_points(geoms: np.ndarray) -> np.ndarray:
    """The first vertex of each geometry as a Point (None for missing/empty)."""
    out = np.full(len(geoms), None, dtype=object)
    coords, cidx = shapely.get_coordinates(geoms, return_index=True)
    if len(cidx):
        first = np.r_[True, cidx[1:] != cidx[:-1]]
        out[cidx[first]] = shapely.points(coords[first])
    return out


def invalid_coordinates(geoms: np.ndarray, geographic: bool, skip: np.ndarray | None = None) -> np.ndarray:
    """Mask of geometries with a coordinate that is NaN, infinite or out of range (DESIGN §4 ``invalid_coordinates``).

    Parameters
    ----------
    geoms : numpy.ndarray of shapely.Geometry
    geographic : bool
        Lon/lat degrees (longitude within ±180°, latitude within ±90°); otherwise
        a coordinate is out of range beyond :data:`MAX_COORDINATE`.
    skip : numpy.ndarray of bool, optional
        Geometries not to look at (missing or empty ones).

    Returns
    -------
    numpy.ndarray of bool
    """
    out = np.zeros(len(geoms), dtype=bool)
    look = ~skip if skip is not None else present(geoms)
    if not look.any():
        return out
    g = np.asarray(geoms, dtype=object)[look]
    b = shapely.bounds(g)  # ±inf and huge values show here; GEOS skips NaN in bounds: looked for below
    lim = np.array([180.0, 90.0, 180.0, 90.0]) if geographic else np.full(4, MAX_COORDINATE)
    with np.errstate(invalid="ignore"):
        bad = ~(np.abs(b) <= lim).all(axis=1)
    xy = shapely.get_coordinates(g)
    if np.isnan(xy).any():
        xy, idx = shapely.get_coordinates(g, return_index=True)
        bad[np.unique(idx[np.isnan(xy).any(axis=1)])] = True
    out[look] = bad
    return out
