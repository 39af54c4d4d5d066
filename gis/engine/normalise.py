"""The normalise step: parcels or sites to valid geometries in the working CRS.

Every stage that measures geometry starts here (classification, the siting check,
the dask engine): the coordinates are brought to WGS84 (an offset datum such as
GCJ-02 or BD-09 converted first, DESIGN §7), projected to the metric working CRS
of :mod:`gis.geodesy.crs`, and repaired where invalid, with a mask of what was
missing, repaired, not a polygon or located nowhere (NaN, infinite or
out-of-range coordinates), so that the caller can flag every feature.
"""

from __future__ import annotations

from typing import NamedTuple

import geopandas as gpd
import numpy as np
import shapely

from gis.errors import DatumError
from gis.geodesy.crs import WGS84, check_crs, needs_densify, to_work
from gis.geodesy.datums import convert_geometries
from gis.geodesy.offset_crs import offset_datum_of, resolve_datum
from gis.geomarrays import NON_POLYGON_TYPES, POLYGON_TYPES, invalid_coordinates, present
from gis.parallel import threaded

__all__ = ["Prepared", "to_wgs84", "offset_input", "prepare_geometries", "repair", "dominant_parts"]


def repair(g: np.ndarray, tid: np.ndarray) -> np.ndarray:
    """Mask of invalid geometries, repaired in place with ``make_valid``."""
    ok = present(g)
    invalid = np.zeros(len(g), dtype=bool)
    invalid[ok] = ~threaded(shapely.is_valid, g[ok])
    if invalid.any():
        fixed = _make_valid(g[invalid])
        # A repaired polygon keeps only its polygonal parts (make_valid may add lines).
        was_poly = np.isin(tid[invalid], POLYGON_TYPES)
        fixed[was_poly] = dominant_parts(fixed[was_poly])
        g[invalid] = fixed
    return invalid


def _make_valid(g: np.ndarray) -> np.ndarray:
    """``make_valid``; where GEOS fails on the array (e.g. "Overlay input is mixed-dimension" for a ring of one
    repeated point with a hole), each geometry alone, by another method, else nothing (flagged no geometry)."""
    try:
        return shapely.make_valid(g)
    except shapely.errors.GEOSException:
        return np.array([_make_valid_one(x) for x in g], dtype=object)  # only the rare array that failed


def _make_valid_one(geom):
    for fix in (shapely.make_valid, lambda x: shapely.make_valid(x, method="structure", keep_collapsed=False),
                lambda x: shapely.buffer(x, 0)):
        try:
            return fix(geom)
        except shapely.errors.GEOSException:
            continue
    return shapely.Polygon()


class Prepared(NamedTuple):
    """Geometries in the working CRS and what the caller flags (masks aligned with the input).

    ``geoms`` is None where there is no usable geometry: ``no_geometry`` (none
    given, or empty) or ``invalid_coordinates`` (a NaN, infinite or
    out-of-range coordinate, or one the projection cannot place).
    """

    geoms: np.ndarray
    no_geometry: np.ndarray
    repaired: np.ndarray
    not_polygon: np.ndarray
    invalid_coordinates: np.ndarray


def prepare_geometries(geoms: np.ndarray, crs) -> Prepared:
    """Project to the working CRS with repairs.

    Returns :class:`Prepared`. Validity is judged on the projected geometry the
    engine computes with: an invalid input stays invalid when projected (the
    projection moves no vertex across another), and an edge that bends when
    projected can, rarely, make a valid input touch itself — that one is
    repaired too. Geometries large enough to be densified are checked before
    projecting as well, since GEOS rebuilds an invalid polygon while densifying
    it. A geometry with an invalid coordinate is set aside first: GEOS cannot
    compute with NaN or infinity (the feature is kept and flagged, never dropped).
    """
    g = np.asarray(geoms, dtype=object).copy()
    missing = shapely.is_missing(g)
    missing[~missing] = shapely.is_empty(g[~missing])
    bad_xy = invalid_coordinates(g, bool(getattr(crs, "is_geographic", False)), skip=missing)
    g[bad_xy] = None
    unused = missing | bad_xy
    tid = np.full(len(g), -1)
    tid[~unused] = shapely.get_type_id(g[~unused])
    # Geometry collections: keep their polygonal parts, else lines, else points.
    gc = tid == 7
    if gc.any():
        g[gc] = dominant_parts(g[gc])
        tid[gc] = shapely.get_type_id(g[gc])
    big = np.zeros(len(g), dtype=bool)
    big[~unused] = needs_densify(g[~unused], crs)
    repaired = np.zeros(len(g), dtype=bool)
    if big.any():
        sub = g[big]
        repaired[big] = repair(sub, tid[big])
        g[big] = sub
    w = to_work(g, crs)
    given = ~unused
    empty_now = given & shapely.is_empty(w)
    # A coordinate the projection cannot place (PROJ gives infinity, e.g. half the globe away).
    with np.errstate(invalid="ignore"):
        lost = given & ~empty_now & ~np.isfinite(shapely.bounds(w)).all(axis=1)
    if lost.any():
        w[lost] = None
        bad_xy |= lost
        given &= ~lost
    repaired |= repair(w, tid)
    not_poly = given & np.isin(tid, NON_POLYGON_TYPES)
    return Prepared(w, missing | empty_now, repaired & ~bad_xy, not_poly, bad_xy)


def dominant_parts(geoms: np.ndarray) -> np.ndarray:
    """Keep the highest-dimension parts of each geometry (polygons, else lines, else points)."""
    out = geoms.copy()
    parts, idx = shapely.get_parts(geoms, return_index=True)
    if len(parts) == 0:
        return out
    # A collection may hold multi-part members (make_valid gives GEOMETRYCOLLECTION (MULTIPOLYGON …, LINESTRING …)):
    # their single parts, each still counted to its geometry.
    while (multi := np.isin(shapely.get_type_id(parts), (4, 5, 6, 7))).any():
        sub, k = shapely.get_parts(parts[multi], return_index=True)
        parts = np.concatenate([parts[~multi], sub])
        idx = np.concatenate([idx[~multi], idx[multi][k]])
        order = np.argsort(idx, kind="stable")  # the collections are built from indices in order
        parts, idx = parts[order], idx[order]
    dim = shapely.get_dimensions(parts)
    best = np.full(len(geoms), -1)
    np.maximum.at(best, idx, dim)
    keep = dim == best[idx]
    for d, maker in ((2, shapely.multipolygons), (1, shapely.multilinestrings), (0, shapely.multipoints)):
        sel = keep & (dim == d)
        if sel.any():
            holders, dense = np.unique(idx[sel], return_inverse=True)
            out[holders] = maker(parts[sel], indices=dense)
    return out


def to_wgs84(parcels: gpd.GeoDataFrame, datum: str, assume_crs: str | None) -> tuple[np.ndarray, object]:
    """The features' geometries with their CRS, offset datums converted to WGS84.

    Parameters
    ----------
    parcels : geopandas.GeoDataFrame
        The command's own input (parcels or sites).
    datum : {"wgs84", "cgcs2000", "gcj02", "bd09"}
        Datum of the input's lon/lat coordinates; an input whose CRS is an
        offset datum's label (:mod:`gis.geodesy.offset_crs`) declares its own.
    assume_crs : str, optional
        CRS to use when the input declares none.

    Returns
    -------
    (numpy.ndarray of shapely.Geometry, pyproj.CRS)
        The geometries and their CRS: the input CRS for WGS84/CGCS2000 input,
        else WGS84 lon/lat after the datum conversion.
    """
    crs = check_crs(parcels.crs, "parcels", assume_crs)
    geoms = parcels.geometry.to_numpy()
    d = resolve_datum(crs, datum, "parcels")  # a file labelled GCJ-02/BD-09 (written so by parkgis) says its datum
    if offset_datum_of(crs):
        return convert_geometries(geoms, d, "wgs84"), WGS84
    if d in ("wgs84", "cgcs2000"):
        return geoms, crs
    if not crs.is_geographic:
        raise DatumError(
            f"--datum {datum} 只适用于经纬度坐标，而输入的坐标系为 {crs.name}（投影坐标）。",
            f"--datum {datum} applies to lon/lat coordinates, but the input is in {crs.name} (projected).",
            "高德/百度坐标是经纬度；投影坐标（如 CGCS2000 高斯投影）请去掉 --datum。",
            "Amap/Baidu coordinates are lon/lat; for projected files (e.g. CGCS2000 Gauss–Krüger) drop --datum.",
        )
    lonlat = gpd.GeoSeries(geoms, crs=crs).to_crs(WGS84).to_numpy() if not crs.equals(WGS84) else geoms
    return convert_geometries(lonlat, d, "wgs84"), WGS84


def offset_input(crs, datum: str) -> bool:
    """Whether an input's coordinates are in an offset datum (``--datum gcj02|bd09``, or a CRS that says so)."""
    return (datum or "wgs84").lower() not in ("wgs84", "cgcs2000") or offset_datum_of(crs) is not None
