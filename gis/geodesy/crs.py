"""The metric working CRS, CRS checks and projection of geometry arrays.

The working CRS
---------------
Areas, buffers and distances are computed in a transverse Mercator projection
centred on the district (``WORK_CRS``): central meridian 121.68° E, scale factor
``1 - 1.78e-5`` so that the scale error stays within ±2e-5 over the district's
whole extent (121.12°–122.25° E, including the eastern shoals). UTM 51N would be
simpler but its central meridian (123° E) gives a scale error of ≈1.7e-4 here.
Areas in this projection agree with ellipsoidal (geodesic) areas to ≈4e-5.

Lon/lat edges are densified before projecting (DESIGN §7, :func:`transform_geometries`).
The offset datums of Chinese web maps (GCJ-02, BD-09) are in :mod:`gis.geodesy.datums`;
Gauss–Krüger zones in :mod:`gis.geodesy.gauss_kruger`.
"""

from __future__ import annotations

import threading

import numpy as np
import pyproj
import shapely

from gis.errors import CRSError
from gis.parallel import threaded

__all__ = [
    "WORK_CRS",
    "WGS84",
    "transform_geometries",
    "to_work",
    "from_work",
    "check_crs",
    "densify_length",
    "needs_densify",
]

#: Geographic WGS84; the CRS every layer is held in after normalisation.
WGS84 = pyproj.CRS.from_epsg(4326)

#: Metric working CRS (see module docstring for the choice of parameters).
WORK_CRS = pyproj.CRS.from_proj4(
    "+proj=tmerc +lat_0=31.5 +lon_0=121.68 +k=0.9999822 +x_0=500000 +y_0=0 "
    "+ellps=WGS84 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs +type=crs"
)

#: Maximum edge length (degrees) for densifying lon/lat geometries before
#: projecting: 0.0009° is ≤ 100 m at this latitude (DESIGN §7).
DENSIFY_DEG = 0.0009
#: Maximum edge length (metres) for densifying projected geometries.
DENSIFY_M = 100.0
#: Geometries smaller than this many densify steps are not densified: an edge
#: that is straight in lon/lat bends by ≈ L²·10⁻⁷/8 m in the working CRS, so an
#: edge of at most 10 steps (≤ 1.4 km on the diagonal) moves by < 3 cm, while
#: densifying every small parcel would cost seconds per million.
DENSIFY_MIN_STEPS = 10


def check_crs(crs, what: str, assume_crs: str | None = None) -> pyproj.CRS:
    """Return the CRS of an input, or refuse it with a message naming ``--assume-crs``.

    Parameters
    ----------
    crs : pyproj.CRS or None
        The CRS the file declares.
    what : str
        What the input is (a path or a role), for the message.
    assume_crs : str, optional
        The user's ``--assume-crs`` value, used only when the file declares none.
    """
    if crs is None:
        if assume_crs:
            try:
                return pyproj.CRS.from_user_input(assume_crs)
            except pyproj.exceptions.CRSError as exc:
                raise CRSError(
                    f"无法识别 --assume-crs 的值“{assume_crs}”。",
                    f"Cannot understand --assume-crs '{assume_crs}': {exc}",
                    "请给出 EPSG 代码，例如 EPSG:4326 或 EPSG:4549。",
                    "Give an EPSG code such as EPSG:4326 or EPSG:4549.",
                ) from exc
        raise CRSError(
            f"“{what}”没有坐标参考系（CRS）。",
            f"'{what}' has no coordinate reference system (CRS).",
            "如已知其坐标系，请用 --assume-crs 指定（如 EPSG:4326、EPSG:4549）；Shapefile 缺 .prj 时常见。",
            "If you know its CRS, pass --assume-crs (e.g. EPSG:4326, EPSG:4549); "
            "common for a Shapefile without its .prj.",
        )
    return pyproj.CRS.from_user_input(crs)


def densify_length(crs: pyproj.CRS) -> float:
    """Maximum edge length for densifying geometries in ``crs`` before projecting."""
    return DENSIFY_DEG if crs.is_geographic else DENSIFY_M


def needs_densify(geoms: np.ndarray, crs: pyproj.CRS) -> np.ndarray:
    """Which geometries :func:`transform_geometries` densifies before projecting.

    Only geometries larger than :data:`DENSIFY_MIN_STEPS` densify steps can have a
    longer edge; segmentizing copies every geometry it is given, so the small
    ones are left alone. Note that GEOS rebuilds an *invalid* polygon while
    densifying it: repair such input first.
    """
    b = shapely.bounds(geoms)
    step = densify_length(crs)
    return np.nan_to_num(np.maximum(b[:, 2] - b[:, 0], b[:, 3] - b[:, 1]), nan=0.0) > step * DENSIFY_MIN_STEPS


_TRANSFORMERS = threading.local()


def _transformer(src: pyproj.CRS, dst: pyproj.CRS) -> pyproj.Transformer:
    """A Transformer cached per thread (they are not safe to share between threads)."""
    cache = getattr(_TRANSFORMERS, "cache", None)
    if cache is None:
        cache = _TRANSFORMERS.cache = {}
    key = (src.to_wkt(), dst.to_wkt())
    tr = cache.get(key)
    if tr is None:
        tr = pyproj.Transformer.from_crs(src, dst, always_xy=True)
        cache[key] = tr
    return tr


def transform_geometries(geoms, src, dst, densify: bool = True) -> np.ndarray:
    """Project an array of geometries from ``src`` to ``dst`` (vectorised).

    Long edges are first densified in the source CRS (DESIGN §7): an edge that is
    straight in lon/lat is curved in a metric projection. The coordinates are
    projected by PROJ in one slice per thread (it releases the GIL).
    """
    src = pyproj.CRS.from_user_input(src)
    dst = pyproj.CRS.from_user_input(dst)
    arr = np.asarray(geoms, dtype=object)
    if src.equals(dst):
        return arr.copy()
    if densify and len(arr):
        big = needs_densify(arr, src)
        if big.any():
            arr = arr.copy()
            arr[big] = shapely.segmentize(arr[big], densify_length(src))
    if len(arr) == 0:
        return arr.copy()
    def _project(xy: np.ndarray) -> np.ndarray:
        x, y = _transformer(src, dst).transform(xy[:, 0], xy[:, 1])  # this thread's Transformer
        return np.column_stack([x, y])

    return shapely.set_coordinates(arr.copy(), threaded(_project, shapely.get_coordinates(arr)))


def to_work(geoms, crs=WGS84, densify: bool = True) -> np.ndarray:
    """Project geometries from ``crs`` (default WGS84) to the metric ``WORK_CRS``."""
    return transform_geometries(geoms, crs, WORK_CRS, densify=densify)


def from_work(geoms, crs=WGS84) -> np.ndarray:
    """Project geometries from ``WORK_CRS`` back to ``crs`` (default WGS84)."""
    return transform_geometries(geoms, WORK_CRS, crs, densify=False)
