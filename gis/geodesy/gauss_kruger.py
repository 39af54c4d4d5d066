"""Gauss–Krüger zones of China's geodetic systems, zone prefixes, plausibility and X/Y order.

Zones
-----
China's land administration projects its coordinates in Gauss–Krüger zones:
3° zones are numbered 25–45 (central meridian ``3 × zone``), 6° zones 13–23
(central meridian ``6 × zone − 3``), so a zone number alone tells its width.
Eastings carry a false easting of 500 km and are often written with the zone
number in front (``40512345.678`` is 512 345.678 m in zone 40). The prefix is
stripped and the zone's *central-meridian* EPSG CRS is used (e.g. EPSG:4549
"CGCS2000 / 3-degree Gauss-Kruger CM 120E"), found by name in PROJ's database.

Plausibility
------------
A zone's coordinates often run past its nominal edge (±1.5° for a 3° zone): a
project near 121.5° E is drawn in one zone even where it crosses into the next.
:func:`plausible` therefore accepts points up to ``width/2 + 1.5`` degrees of
longitude from the central meridian (3° for a 3° zone, ≈ 280 km here) and
within China's latitudes; only gross errors — swapped X/Y, a wrong zone prefix,
garbage — fail it.

Helmert shifts from 1980 西安, 1954 北京 and local systems to CGCS2000 are in
:mod:`gis.geodesy.helmert`; reading a boundary-coordinate file's zone from its header is
:mod:`gis.io.coordtxt.header`.
"""

from __future__ import annotations

import functools
import re

import numpy as np
import pyproj

from gis.errors import CRSError

__all__ = [
    "DATUM_NAMES",
    "NEEDS_PARAMETERS",
    "PREFIX_LIMIT",
    "central_meridian",
    "infer_width",
    "orient",
    "parse_datum",
    "plausible",
    "split_prefix",
    "zone_crs",
    "zone_for_lon",
    "zone_of_crs",
]


#: Our datum keys → the datum names PROJ's EPSG database uses in CRS names.
DATUM_NAMES: dict[str, str] = {
    "cgcs2000": "CGCS2000",
    "xian80": "Xian 1980",
    "beijing54": "Beijing 1954",
    "newbeijing": "New Beijing",
}
#: Datums whose coordinates need Helmert parameters to reach CGCS2000.
NEEDS_PARAMETERS = ("xian80", "beijing54", "newbeijing", "local")

#: Eastings at or above this carry a zone prefix (a northing in China is < 6.3e6).
PREFIX_LIMIT = 1.0e7
_ZONES = {3: range(25, 46), 6: range(13, 24)}


def parse_datum(text: str | None) -> str | None:
    """Map a 坐标系 value to a datum key (``cgcs2000``, ``xian80``, …).

    Returns ``"local"`` for local/city systems and None when ``text`` is empty
    or unrecognised.
    """
    t = re.sub(r"[\s_\-]", "", (text or "")).lower()
    if not t:
        return None
    # Before "2000": Shanghai's local city system is called 上海2000坐标系.
    if any(k in t for k in ("地方", "城市", "独立", "local", "上海")) and "国家" not in t:
        return "local"
    if "2000" in t or "cgcs" in t:
        return "cgcs2000"
    if "wgs84" in t:
        return "wgs84"
    if "新北京" in t or "newbeijing" in t:
        return "newbeijing"
    if "西安" in t or "xian" in t or "1980" in t or t.startswith("80"):
        return "xian80"
    if "北京" in t or "beijing" in t or "1954" in t or t.startswith("54"):
        return "beijing54"
    return None


def infer_width(zone: int) -> int | None:
    """Zone width (3 or 6 degrees) implied by a zone number over China, else None."""
    for width, zones in _ZONES.items():
        if zone in zones:
            return width
    return None


def central_meridian(width: int, zone: int) -> int:
    """Central meridian (degrees east) of a Gauss–Krüger zone."""
    return 3 * zone if width == 3 else 6 * zone - 3


@functools.lru_cache(maxsize=1)
def _projected_by_name() -> dict[str, str]:
    from pyproj.database import query_crs_info
    from pyproj.enums import PJType

    infos = query_crs_info(auth_name="EPSG", pj_types=PJType.PROJECTED_CRS, allow_deprecated=False)
    return {i.name: i.code for i in infos if "Gauss-Kruger" in i.name}


def _crs_name(datum: str, width: int, cm: int) -> str:
    kind = "3-degree Gauss-Kruger" if width == 3 else "Gauss-Kruger"
    return f"{DATUM_NAMES[datum]} / {kind} CM {cm}E"


@functools.lru_cache(maxsize=64)
def zone_crs(datum: str, width: int, zone: int) -> pyproj.CRS:
    """The EPSG CRS of a Gauss–Krüger zone, for eastings *without* the zone prefix.

    Parameters
    ----------
    datum : {"cgcs2000", "xian80", "beijing54", "newbeijing"}
    width : {3, 6}
        Zone width in degrees.
    zone : int
        Zone number (带号).

    Raises
    ------
    CRSError
        When PROJ's database has no such zone.
    """
    if datum == "wgs84":  # no EPSG GK zones on WGS84; CGCS2000 agrees within ~0.1 m
        datum = "cgcs2000"
    cm = central_meridian(width, zone)
    name = _crs_name(datum, width, cm)
    code = _projected_by_name().get(name)
    if code is None:
        raise CRSError(
            f"找不到 {width}° 分带第 {zone} 带（中央经线 {cm}°E）的坐标系“{name}”。",
            f"No EPSG CRS for {width}-degree zone {zone} (central meridian {cm}° E): '{name}'.",
            "请检查“带号”和“几度分带”：我国 3° 带号为 25–45，6° 带号为 13–23。",
            "Check 带号 (zone) and 几度分带 (zone width): China's 3° zones are 25–45, 6° zones 13–23.",
        )
    return pyproj.CRS.from_epsg(int(code))


def zone_of_crs(crs) -> tuple[str, int, int] | None:
    """``(datum, width, zone)`` when ``crs`` is a central-meridian GK CRS, else None."""
    if crs is None:
        return None
    name = pyproj.CRS.from_user_input(crs).name
    m = re.fullmatch(r"(.+) / (3-degree )?Gauss-Kruger CM (\d+)E", name)
    if not m:
        return None
    datum = {v: k for k, v in DATUM_NAMES.items()}.get(m.group(1))
    if datum is None:
        return None
    width = 3 if m.group(2) else 6
    cm = int(m.group(3))
    zone = cm // 3 if width == 3 else (cm + 3) // 6
    return datum, width, zone


def zone_for_lon(lon: float, width: int = 3) -> int:
    """The Gauss–Krüger zone number holding longitude ``lon`` (degrees east)."""
    if width == 3:
        return int(np.floor(lon / 3.0 + 0.5))
    return int(np.floor(lon / 6.0)) + 1


def split_prefix(easting) -> tuple[np.ndarray, np.ndarray]:
    """Split eastings into (zone prefix, easting without it); prefix 0 when absent."""
    e = np.asarray(easting, dtype="float64")
    prefix = np.where(e >= PREFIX_LIMIT, np.floor(e / 1e6), 0.0)
    return prefix.astype("int64"), e - prefix * 1e6


def plausible(northing, easting, datum: str, width: int, zone: int) -> np.ndarray:
    """Whether each point lies where a point of this zone can lie (see module doc).

    ``easting`` is without prefix. Returns a boolean array.
    """
    n = np.asarray(northing, dtype="float64")
    e = np.asarray(easting, dtype="float64")
    ok = np.isfinite(n) & np.isfinite(e) & (n > 0) & (n < 6.3e6) & (np.abs(e - 5e5) < 1e6)
    crs = zone_crs("cgcs2000" if datum in NEEDS_PARAMETERS else datum, width, zone)
    tr = _to_lonlat(crs)
    lon, lat = tr.transform(np.where(ok, e, 5e5), np.where(ok, n, 3.5e6))
    cm = central_meridian(width, zone)
    return ok & (np.abs(lon - cm) <= width / 2 + 1.5) & (lat > 0) & (lat < 56)


@functools.lru_cache(maxsize=32)
def _to_lonlat(crs: pyproj.CRS) -> pyproj.Transformer:
    return pyproj.Transformer.from_crs(crs, crs.geodetic_crs, always_xy=True)


def orient(X, Y, group, datum: str, width: int, zone: int, to_plane=None):
    """Decide per group (block) whether the file's X/Y columns are swapped.

    Parameters
    ----------
    X, Y : array_like
        The file's columns (X should be the northing, Y the easting, possibly prefixed).
    group : array_like of int
        Block index of each point (0…n-1).
    to_plane : callable, optional
        ``(northing, easting) -> (northing, easting)`` into the CGCS2000 zone
        (a Helmert transformation): plausibility is judged after it, which is
        what makes local city coordinates checkable at all.

    Returns
    -------
    northing, easting : numpy.ndarray
        Metres, easting without prefix, swapped back where needed.
    swapped : numpy.ndarray of bool
        Per group: its columns were swapped.
    bad : int or None
        Index of the first point implausible either way (then the file is unusable).
    """
    X = np.asarray(X, dtype="float64")
    Y = np.asarray(Y, dtype="float64")
    group = np.asarray(group, dtype="int64")
    ng = int(group.max()) + 1 if group.size else 0
    _, eA = split_prefix(Y)
    _, eB = split_prefix(X)
    move = to_plane or (lambda n, e: (n, e))
    with np.errstate(all="ignore"):
        okA = plausible(*move(X, eA), datum, width, zone)
        okB = plausible(*move(Y, eB), datum, width, zone)
    allA = np.bincount(group, weights=~okA, minlength=ng) == 0
    allB = np.bincount(group, weights=~okB, minlength=ng) == 0
    # Only a whole block is swapped back: a block plausible neither way (or only
    # point by point) is refused rather than half-fixed.
    swapped = ~allA & allB
    sw = swapped[group]
    bad = np.flatnonzero(~np.where(sw, okB, okA))
    return np.where(sw, Y, X), np.where(sw, eB, eA), swapped, (int(bad[0]) if bad.size else None)
