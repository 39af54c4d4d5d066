"""Gauss–Krüger zones of China's geodetic systems, zone prefixes and Helmert shifts.

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

Helmert parameters
------------------
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

import functools
import re
from dataclasses import dataclass

import numpy as np
import pyproj

from gis.errors import CRSError, InputError

__all__ = [
    "DATUM_NAMES",
    "Helmert",
    "apply_helmert",
    "central_meridian",
    "infer_width",
    "orient",
    "parse_datum",
    "parse_helmert",
    "plausible",
    "resolve_zone",
    "split_prefix",
    "zone_crs",
    "zone_for_lon",
    "zone_of_crs",
]


def _note(line: int, zh: str, en: str) -> tuple[int, str]:
    return line, f"第 {line} 行：{zh} / Line {line}: {en}"

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


def _number(text: str | None) -> int | None:
    m = re.search(r"\d+", text or "")
    return int(m.group()) if m else None


def resolve_zone(
    header: dict, X, Y, lines, path, notes: list, key_lines: dict | None = None
) -> tuple[str, int, int, bool]:
    """Work out a boundary-coordinate file's datum, zone width and zone.

    Parameters
    ----------
    header : dict
        The file's [属性描述] keys (坐标系, 几度分带, 带号, 计量单位, 投影类型).
    X, Y : numpy.ndarray
        The point columns as written (Y or, when swapped, X may carry a prefix).
    lines : list of int
        Line number of each point, for messages.
    path
        The file, for messages.
    notes : list
        ``(line, message)`` warnings are appended here.
    key_lines : dict, optional
        Line number of each header key, for messages.

    Returns
    -------
    datum, width, zone, prefixed
    """
    kl = key_lines or {}

    def at(key: str) -> str:
        return f"（第 {kl[key]} 行）" if key in kl else ""

    def at_en(key: str) -> str:
        return f" (line {kl[key]})" if key in kl else ""

    datum_text = header.get("坐标系", "")
    datum = parse_datum(datum_text)
    if datum is None:
        raise CRSError(
            f"“{path}”的坐标系“{datum_text}”无法识别{at('坐标系')}。",
            f"'{path}': unknown coordinate system (坐标系) '{datum_text}'{at_en('坐标系')}.",
            "支持：2000国家大地坐标系、1980西安坐标系、1954北京坐标系（后两者需转换参数）。",
            "Supported: CGCS2000, Xian 1980 and Beijing 1954 (the last two need Helmert parameters).",
        )
    unit = header.get("计量单位", "米")
    if unit and unit.lower() not in ("米", "m", "meter", "metre", "meters", "公尺"):
        raise CRSError(f"“{path}”的计量单位“{unit}”不是米{at('计量单位')}。",
                       f"'{path}': unit (计量单位) '{unit}' is not metres{at_en('计量单位')}.")
    proj = header.get("投影类型", "高斯克吕格")
    if proj and not re.search(r"高斯|gauss|gk|克吕格", proj, re.IGNORECASE):
        raise CRSError(f"“{path}”的投影类型“{proj}”不受支持{at('投影类型')}。",
                       f"'{path}': projection (投影类型) '{proj}' is not Gauss–Krüger{at_en('投影类型')}.")
    X = np.asarray(X, dtype="float64")
    Y = np.asarray(Y, dtype="float64")
    # The prefix is on the easting: column Y, or column X when the file swapped them.
    prefix = np.where(Y >= PREFIX_LIMIT, Y // 1e6, np.where(X >= PREFIX_LIMIT, X // 1e6, 0)).astype(int)
    has = prefix > 0
    zone = _number(header.get("带号"))
    if zone is not None:
        bad = np.flatnonzero(has & (prefix != zone))
        if bad.size:
            i = bad[0]
            raise InputError(
                f"“{path}”第 {lines[i]} 行：东坐标的带号前缀 {prefix[i]} 与文件头“带号={zone}”矛盾。",
                f"'{path}' line {lines[i]}: the easting's zone prefix {prefix[i]} contradicts 带号={zone}.",
                "请核对带号或坐标：两者必须一致，否则地块会被放到约 300 km 之外。",
                "Check the zone and the coordinates: they must agree, or the site lands ~300 km away.",
            )
    else:
        found = sorted(set(prefix[has].tolist()))
        if len(found) != 1:
            raise CRSError(
                f"“{path}”未写明带号，东坐标也没有（一致的）带号前缀。",
                f"'{path}' states no zone (带号) and its eastings carry no (single) zone prefix.",
                "请在 [属性描述] 中加入“带号=40”（崇明西部）或“带号=41”（东部）。",
                "Add 带号=40 (western Chongming) or 带号=41 (eastern) to [属性描述].",
            )
        zone = found[0]
        notes.append(_note(lines[0], f"未写明带号，按坐标前缀取第 {zone} 带。",
                           f"no zone (带号) given; zone {zone} taken from the easting prefix."))
    if has.any() and not has.all():
        i = int(np.flatnonzero(~has)[0])
        notes.append(_note(lines[i], "部分东坐标带带号前缀、部分不带，已统一去掉前缀。",
                           "some eastings carry the zone prefix and some do not; prefixes removed."))
    width = _number(header.get("几度分带"))
    if width is None:
        width = infer_width(zone)
        if width is None:
            raise CRSError(f"“{path}”未写明几度分带，带号 {zone} 也无法判断。",
                           f"'{path}' states no zone width (几度分带) and zone {zone} does not imply one.")
        notes.append(_note(kl.get("带号", lines[0]), f"未写明几度分带，按带号 {zone} 取 {width}°。",
                           f"no zone width (几度分带) given; {width}° from zone {zone}."))
    elif width not in (3, 6):
        raise CRSError(f"“{path}”的几度分带“{width}”不是 3 或 6{at('几度分带')}。",
                       f"'{path}': zone width (几度分带) {width} is not 3 or 6{at_en('几度分带')}.")
    return datum, width, zone, bool(has.any())


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
    if len(values) not in (4, 7):
        raise CRSError(
            f"无法识别的转换参数“{text}”（来自 {source}）：需要 4 个或 7 个数。",
            f"Cannot use the Helmert parameters '{text}' ({source}): give 4 or 7 numbers.",
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
        # formula (checked in tests/io/test_coordtxt.py), and takes the scale as a factor.
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
