"""The site as geometry: what a caller gives → one geometry → the metric working CRS.

A single site is a ``(lon, lat)`` pair or ``"LON,LAT"`` text (a point, or a
circle with a radius), WKT, a shapely geometry or a vector file (DESIGN §6).
:func:`prepare_sites` brings sites to WGS84 (converting GCJ-02 / BD-09 first,
through the engine's normalise step) and then to the metric working CRS, where
a point with a radius becomes a circle.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from gis.engine.normalise import prepare_geometries, to_wgs84
from gis.errors import InputError
from gis.geodesy.crs import WGS84
from gis.geomarrays import present
from gis.io.vector import read_vector
from gis.siting.coordinates import parse_lonlat
from gis.siting.projects import ATTRIBUTES
from gis.siting.row_errors import RowErrors

__all__ = ["parse_wkt", "prepare_sites", "read_site_file", "site_geometry"]

log = logging.getLogger(__name__)


def parse_wkt(text: str) -> shapely.Geometry:
    """Parse a site given as WKT text.

    Raises
    ------
    InputError
        The text is not WKT, or its geometry is empty.
    """
    try:
        geom = shapely.from_wkt(text)
    except shapely.errors.GEOSException as exc:
        raise InputError(f"WKT 无法解析：{exc}", f"Cannot parse the WKT: {exc}",
                         "示例：POLYGON ((121.50 31.62, 121.51 31.62, 121.51 31.63, 121.50 31.62))。",
                         "Example: POLYGON ((121.50 31.62, 121.51 31.62, 121.51 31.63, 121.50 31.62)).") from None
    if geom is None or geom.is_empty:
        raise InputError("WKT 几何为空。", "The WKT geometry is empty.")
    return geom


def site_geometry(site=None, *, wkt: str | None = None, crs=None, layer: str | None = None,
                  encoding: str | None = None) -> tuple[object, pyproj.CRS, dict]:
    """Turn what a caller gives as a site into one geometry, its CRS and its file attributes.

    Parameters
    ----------
    site : tuple, str, shapely geometry or Path, optional
        ``(lon, lat)`` in decimal degrees; ``"LON,LAT"``; WKT text (recognised
        by its leading letter); a shapely geometry; or a :class:`~pathlib.Path`
        of a vector file (see :func:`read_site_file`).
    wkt : str, optional
        The site as WKT text, instead of ``site``.
    crs : optional
        CRS of a WKT text or geometry (default WGS84 lon/lat), or of a file
        that declares none.
    layer, encoding : str, optional
        Layer and text encoding of a site file.

    Returns
    -------
    geometry, crs, attributes
    """
    if (site is None) == (wkt is None):
        raise InputError("请给出且只给出一种场地：site 或 wkt。", "Give exactly one of site and wkt.")
    if isinstance(site, Path):
        return read_site_file(site, layer=layer, encoding=encoding,
                              assume_crs=str(crs) if crs is not None else None)
    the_crs = pyproj.CRS.from_user_input(crs) if crs is not None else WGS84
    if wkt is not None:
        return parse_wkt(wkt), the_crs, {}
    if isinstance(site, shapely.Geometry):
        if site.is_empty:
            raise InputError("场地几何为空。", "The site geometry is empty.")
        return site, the_crs, {}
    if isinstance(site, str):
        s = site.strip()
        if re.match(r"^[A-Za-z]", s):
            return parse_wkt(s), the_crs, {}
        lon, lat = parse_lonlat(s)
        return shapely.Point(lon, lat), WGS84, {}
    if isinstance(site, (tuple, list, np.ndarray)):
        lon, lat = parse_lonlat(site)
        return shapely.Point(lon, lat), WGS84, {}
    raise InputError(
        f"无法识别的场地类型：{type(site).__name__}。",
        f"Unrecognised site type: {type(site).__name__}.",
        "请给出 (经度, 纬度)、“经度,纬度”文本、WKT、shapely 几何或文件路径（Path）。",
        "Give (lon, lat), 'LON,LAT' text, WKT, a shapely geometry or a file path (Path).",
    )


def read_site_file(path, *, layer: str | None = None, encoding: str | None = None,
                   assume_crs: str | None = None) -> tuple[object, pyproj.CRS, dict]:
    """Read a site from a vector file (any format :func:`gis.io.vector.read_vector` reads).

    Several features are merged into one site (a project's land may be in parts).

    Returns
    -------
    geometry, crs, attributes
        The merged geometry in the file's CRS, that CRS, and the attributes of
        the first feature whose names are project attributes (``name``,
        ``industry``, ``land_m2``…).
    """
    gdf = read_vector(path, layer=layer, encoding=encoding, assume_crs=assume_crs)
    geoms = gdf.geometry.to_numpy()
    ok = present(geoms)
    if not ok.any():
        raise InputError(f"场地文件“{path}”没有几何。", f"The site file '{path}' has no geometry.",
                         "请检查文件内容。", "Check the file's content.")
    geom = shapely.union_all(shapely.make_valid(geoms[ok])) if ok.sum() > 1 else geoms[ok][0]
    if ok.sum() > 1:
        log.info("%s: %d features merged into one site / %d 个要素合并为一个场地", path, ok.sum(), ok.sum())
    attrs = {}
    first = gdf.loc[ok].iloc[0]
    for k in ATTRIBUTES:
        if k in gdf.columns and k != "radius_m" and not pd.isna(first[k]):
            attrs[k] = first[k]
    return geom, gdf.crs, attrs


def prepare_sites(geoms: np.ndarray, crs, datum: str, radius_m: np.ndarray, errs: RowErrors
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Bring site geometries to the working CRS, apply the datum and the radius.

    Parameters
    ----------
    geoms : numpy.ndarray of shapely.Geometry
        Sites in ``crs`` (None/empty allowed: an error for that row).
    crs : pyproj.CRS
        Their CRS.
    datum : {"wgs84", "gcj02", "bd09"}
        Datum of lon/lat coordinates (converted to WGS84 before anything else).
    radius_m : numpy.ndarray of float
        Circle radius per row, metres (NaN or 0: none); only for points.
    errs : RowErrors
        Receives the rows without geometry or with a radius on a non-point.

    Returns
    -------
    geoms_w : numpy.ndarray
        Sites in :data:`gis.geodesy.crs.WORK_CRS` (None for failed rows).
    repaired : numpy.ndarray of bool
        Rows whose geometry was repaired.
    circle : numpy.ndarray of bool
        Rows made into a circle.
    """
    frame = gpd.GeoDataFrame(geometry=np.asarray(geoms, dtype=object), crs=crs)
    g, c = to_wgs84(frame, datum, None)
    w, no_geom, repaired, _not_poly, bad_xy = prepare_geometries(np.asarray(g, dtype=object), c)
    errs.add(no_geom, "没有几何（坐标缺失）", "no geometry (coordinates missing)")
    errs.add(bad_xy, "坐标无效（NaN、无穷大或超出范围）",
             "the coordinates are not valid (NaN, infinite or out of range)")
    no_geom = no_geom | bad_xy
    r = np.nan_to_num(np.asarray(radius_m, dtype="float64"), nan=0.0)
    tid = np.full(len(w), -1)
    ok = ~no_geom
    tid[ok] = shapely.get_type_id(w[ok])
    is_point = np.isin(tid, (0, 4))
    bad_r = (r > 0) & ~is_point & ok
    errs.add(bad_r, "半径只适用于点状场地（面状场地已有范围）",
             "a radius applies to a point site only (a polygon site has its own extent)")
    circle = (r > 0) & is_point
    if circle.any():
        w = w.copy()
        # Buffer in metres in the working CRS: a true circle on the ground.
        w[circle] = shapely.buffer(w[circle], r[circle], quad_segs=16)
    w = w.copy()
    w[no_geom | bad_r] = None
    return w, repaired, circle
