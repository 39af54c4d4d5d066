"""Helmert transformations into CGCS2000: 4-parameter (planar) and 7-parameter (Bursa–Wolf).

1980 西安 and 1954 北京 coordinates need parameters to reach CGCS2000 (PROJ's
default transformations for them are approximate at the tens-of-metres level).
Two forms are accepted, as a comma-separated string (``--helmert`` or the
file's ``转换参数``):

* 4 parameters ``dX,dY,rot_arcsec,scale_ppm`` in the projected plane, in the
  Chinese surveying convention (X north, Y east, without the zone prefix)::

      X' = dX + (1 + m·1e-6)·(X·cos α − Y·sin α)
      Y' = dY + (1 + m·1e-6)·(X·sin α + Y·cos α)

  The result is in the CGCS2000 zone of the same number. Example (illustrative
  values): ``--helmert "-35.2,118.7,1.35,-4.2"``.
* 7 parameters ``dx,dy,dz,rx,ry,rz,s_ppm`` (Bursa–Wolf; metres, arc seconds,
  ppm) from the file's geodetic datum to WGS84/CGCS2000, applied as PROJ's
  ``+towgs84`` (position-vector convention, EPSG method 9606; parameters in the
  coordinate-frame convention, as ArcGIS "Coordinate Frame" uses, need the three
  rotations negated). Example (illustrative values):
  ``--helmert "15.8,-154.4,-82.3,0.2,-0.1,0.3,1.5"``.

A 4-parameter set also serves local city systems (坐标系 = 地方/城市坐标系,
上海2000坐标系) whose file states, in 带号, the CGCS2000 zone the parameters
lead to; such files are refused without parameters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pyproj

from gis.errors import CRSError
from gis.geodesy.gauss_kruger import central_meridian, zone_crs

__all__ = ["Helmert", "apply_helmert", "parse_helmert"]


@dataclass(frozen=True)
class Helmert:
    """A 4- (planar) or 7-parameter (Bursa–Wolf) Helmert transformation."""

    params: tuple[float, ...]
    source: str  # where it came from, for messages ("--helmert" or "转换参数")

    @property
    def kind(self) -> int:
        return len(self.params)

    def describe(self) -> str:
        return f"{self.kind}-parameter Helmert ({self.source}): " + ",".join(
            f"{p:g}" for p in self.params
        )


def parse_helmert(text: str | None, source: str = "--helmert") -> Helmert | None:
    """Parse ``"dX,dY,rot_arcsec,scale_ppm"`` or ``"dx,dy,dz,rx,ry,rz,s_ppm"``.

    Empty fields (the format's ``转换参数=,,,,,,``) give None.
    """
    if text is None:
        return None
    parts = [p.strip() for p in re.split(r"[,，;；\s]+", text.strip())]
    while parts and parts[-1] == "":
        parts.pop()
    if not parts or all(p == "" for p in parts):
        return None
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        values = ()
    if len(values) not in (4, 7) or not all(np.isfinite(values)):
        raise CRSError(
            f"无法识别的转换参数“{text}”（来自 {source}）：需要 4 个或 7 个有限的数。",
            f"Cannot use the Helmert parameters '{text}' ({source}): give 4 or 7 finite numbers.",
            "四参数：dX,dY,旋转角(秒),尺度(ppm)；七参数：dx,dy,dz,rx,ry,rz(秒),尺度(ppm)。",
            "4 parameters: dX,dY,rotation_arcsec,scale_ppm; "
            "7 parameters: dx,dy,dz,rx,ry,rz (arcsec),scale_ppm.",
        )
    return Helmert(values, source)


def apply_helmert(
    northing, easting, helmert: Helmert, datum: str, width: int, zone: int
) -> tuple[np.ndarray, np.ndarray]:
    """Move plane coordinates of ``datum``'s zone into the CGCS2000 zone of the same number.

    Both transformations run through PROJ: the 4-parameter form as a 2D
    ``+proj=helmert`` step, the 7-parameter form as ``+towgs84`` on the source
    datum's ellipsoid followed by the CGCS2000 projection of the zone.

    Returns
    -------
    northing, easting : numpy.ndarray
        Metres in the CGCS2000 zone (no prefix).
    """
    n = np.asarray(northing, dtype="float64")
    e = np.asarray(easting, dtype="float64")
    p = helmert.params
    if helmert.kind == 4:
        dx, dy, rot, ppm = p
        # PROJ's 2D Helmert rotates by -theta relative to the Chinese X-north
        # formula (checked in the tests of this module), and takes the scale as a factor.
        tr = pyproj.Transformer.from_pipeline(
            f"+proj=helmert +x={dx!r} +y={dy!r} +theta={-rot!r} +s={1 + ppm * 1e-6!r}"
        )
        n2, e2 = tr.transform(n, e)
        return np.asarray(n2), np.asarray(e2)
    if datum == "local":
        raise CRSError(
            "地方坐标系只能用四参数转换到 CGCS2000。",
            "A local coordinate system can only be moved to CGCS2000 with 4 parameters.",
            "请提供四参数：dX,dY,旋转角(秒),尺度(ppm)。",
            "Give 4 parameters: dX,dY,rotation_arcsec,scale_ppm.",
        )
    src = zone_crs(datum, width, zone)
    ell = src.ellipsoid
    # The zone as a plain tmerc on the source datum's ellipsoid with +towgs84:
    # a bound CRS whose shift to WGS84 is exactly the user's parameters.
    bound = pyproj.CRS.from_proj4(
        f"+proj=tmerc +lat_0=0 +lon_0={central_meridian(width, zone)} +k=1 +x_0=500000 +y_0=0 "
        f"+a={ell.semi_major_metre!r} +rf={ell.inverse_flattening!r} "
        f"+towgs84={','.join(repr(v) for v in p)} +units=m +no_defs +type=crs"
    )
    to_lonlat = pyproj.Transformer.from_crs(bound, "EPSG:4326", always_xy=True)
    lon, lat = to_lonlat.transform(e, n)
    # CGCS2000 is WGS84-compatible at this scale (DESIGN §7): project the WGS84
    # lon/lat with the CGCS2000 zone's own projection, no further datum shift.
    dst = zone_crs("cgcs2000", width, zone)
    to_plane = pyproj.Transformer.from_crs(dst.geodetic_crs, dst, always_xy=True)
    e2, n2 = to_plane.transform(lon, lat)
    return np.asarray(n2), np.asarray(e2)
