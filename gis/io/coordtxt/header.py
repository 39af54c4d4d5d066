"""A boundary-coordinate file's coordinate system, from its [属性描述] header and its points.

:func:`resolve_zone` reads 坐标系, 计量单位, 投影类型, 带号 and 几度分带, and checks
them against the zone prefixes the eastings carry; :func:`plane_shift` picks the
Helmert parameters (``--helmert``, else the file's 转换参数) that move a 1980 西安,
1954 北京 or local file into CGCS2000. The zone arithmetic itself is
:mod:`gis.geodesy.gauss_kruger`, the transformation :mod:`gis.geodesy.helmert`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from gis.errors import CRSError, InputError
from gis.geodesy.gauss_kruger import (
    NEEDS_PARAMETERS,
    PREFIX_LIMIT,
    infer_width,
    parse_datum,
)
from gis.geodesy.helmert import Helmert, apply_helmert, parse_helmert
from gis.io.coordtxt.text import ParsedFile, line_note

__all__ = ["plane_shift", "resolve_zone"]


def _number(text: str | None) -> int | None:
    m = re.search(r"\d+", text or "")
    return int(m.group()) if m else None


def _at(p: ParsedFile, key: str) -> tuple[str, str]:
    """Where a header key is, for messages: (zh, en) suffixes, empty when the key is absent."""
    if key not in p.key_line:
        return "", ""
    return f"（第 {p.key_line[key]} 行）", f" (line {p.key_line[key]})"


def _datum(p: ParsedFile) -> str:
    """The datum key of 坐标系, after checking that the unit is metres and the projection Gauss–Krüger."""
    path = p.path
    datum_text = p.header.get("坐标系", "")
    datum = parse_datum(datum_text)
    if datum is None:
        zh, en = _at(p, "坐标系")
        raise CRSError(
            f"“{path}”的坐标系“{datum_text}”无法识别{zh}。",
            f"'{path}': unknown coordinate system (坐标系) '{datum_text}'{en}.",
            "支持：2000国家大地坐标系、1980西安坐标系、1954北京坐标系（后两者需转换参数）。",
            "Supported: CGCS2000, Xian 1980 and Beijing 1954 (the last two need Helmert parameters).",
        )
    unit = p.header.get("计量单位", "米")
    if unit and unit.lower() not in ("米", "m", "meter", "metre", "meters", "公尺"):
        zh, en = _at(p, "计量单位")
        raise CRSError(f"“{path}”的计量单位“{unit}”不是米{zh}。",
                       f"'{path}': unit (计量单位) '{unit}' is not metres{en}.")
    proj = p.header.get("投影类型", "高斯克吕格")
    if proj and not re.search(r"高斯|gauss|gk|克吕格", proj, re.IGNORECASE):
        zh, en = _at(p, "投影类型")
        raise CRSError(f"“{path}”的投影类型“{proj}”不受支持{zh}。",
                       f"'{path}': projection (投影类型) '{proj}' is not Gauss–Krüger{en}.")
    return datum


def _zone(p: ParsedFile, X: np.ndarray, Y: np.ndarray, notes: list) -> tuple[int, np.ndarray]:
    """The zone number (带号, else the eastings' common prefix) and which points carry a prefix."""
    path, lines = p.path, p.pt_line
    # The prefix is on the easting: column Y, or column X when the file swapped them.
    prefix = np.where(Y >= PREFIX_LIMIT, Y // 1e6, np.where(X >= PREFIX_LIMIT, X // 1e6, 0)).astype(int)
    has = prefix > 0
    zone = _number(p.header.get("带号"))
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
        notes.append(line_note(lines[0], f"未写明带号，按坐标前缀取第 {zone} 带。",
                               f"no zone (带号) given; zone {zone} taken from the easting prefix."))
    if has.any() and not has.all():
        i = int(np.flatnonzero(~has)[0])
        notes.append(line_note(lines[i], "部分东坐标带带号前缀、部分不带，已统一去掉前缀。",
                               "some eastings carry the zone prefix and some do not; prefixes removed."))
    return zone, has


def _width(p: ParsedFile, zone: int, notes: list) -> int:
    """The zone width in degrees: 几度分带, else implied by the zone number."""
    path = p.path
    width = _number(p.header.get("几度分带"))
    if width is None:
        width = infer_width(zone)
        if width is None:
            raise CRSError(f"“{path}”未写明几度分带，带号 {zone} 也无法判断。",
                           f"'{path}' states no zone width (几度分带) and zone {zone} does not imply one.")
        notes.append(line_note(p.key_line.get("带号", p.pt_line[0]), f"未写明几度分带，按带号 {zone} 取 {width}°。",
                               f"no zone width (几度分带) given; {width}° from zone {zone}."))
    elif width not in (3, 6):
        zh, en = _at(p, "几度分带")
        raise CRSError(f"“{path}”的几度分带“{width}”不是 3 或 6{zh}。",
                       f"'{path}': zone width (几度分带) {width} is not 3 or 6{en}.")
    return width


def resolve_zone(p: ParsedFile, X, Y, notes: list) -> tuple[str, int, int, bool]:
    """Work out a file's datum, zone width and zone.

    Parameters
    ----------
    p : ParsedFile
        The parsed file (its [属性描述] keys 坐标系, 几度分带, 带号, 计量单位, 投影类型, and
        the line of each key and point, for messages).
    X, Y : numpy.ndarray
        The point columns as written, metres (Y or, when swapped, X may carry a prefix).
    notes : list
        ``(line, message)`` warnings are appended here.

    Returns
    -------
    datum : str
        A datum key of :func:`gis.geodesy.gauss_kruger.parse_datum`.
    width : int
        Zone width, degrees (3 or 6).
    zone : int
        Zone number (带号).
    prefixed : bool
        Whether any easting carries the zone prefix.

    Raises
    ------
    CRSError
        Unknown coordinate system, unit or projection; no zone; a bad zone width.
    InputError
        A zone prefix that contradicts 带号.
    """
    X = np.asarray(X, dtype="float64")
    Y = np.asarray(Y, dtype="float64")
    datum = _datum(p)
    zone, has = _zone(p, X, Y, notes)
    width = _width(p, zone, notes)
    return datum, width, zone, bool(has.any())


def plane_shift(
    p: ParsedFile, helmert: str | None, datum: str, width: int, zone: int, notes: list
) -> tuple[Helmert | None, Callable | None]:
    """The Helmert parameters of a file and the plane transformation they give.

    Parameters
    ----------
    p : ParsedFile
        The parsed file (its 转换参数 and 坐标系).
    helmert : str, optional
        The user's ``--helmert``; overrides the file's 转换参数.
    datum, width, zone
        As :func:`resolve_zone` returns them.
    notes : list
        ``(line, message)`` warnings are appended here.

    Returns
    -------
    params : Helmert or None
    to_plane : callable or None
        ``(northing, easting) -> (northing, easting)`` into the CGCS2000 zone, metres;
        None when no parameters apply.

    Raises
    ------
    CRSError
        Malformed parameters, or a datum that needs parameters and has none.
    """
    params = parse_helmert(helmert, "--helmert") if helmert else None
    zeros = False
    if params is None:
        params = parse_helmert(p.header.get("转换参数"), "转换参数")
        # Many exporters write 0,0,0,0,0,0,0 as a placeholder: all-zero parameters mean none were given.
        zeros = params is not None and not any(params.params)
        if zeros:
            notes.append(line_note(p.key_line.get("转换参数", 1), "转换参数全为 0，视为未给出。",
                                   "转换参数 is all zeros: taken as no parameters given."))
            params = None
    if params is None and datum in NEEDS_PARAMETERS:
        why_zh, why_en = ("（文件中的转换参数全为 0，视为未给出）", " (the file's 转换参数 are all zeros: taken as "
                          "none given)") if zeros else ("", "")
        raise CRSError(
            f"“{p.path}”为{p.header.get('坐标系')}，需要转换参数才能转到 CGCS2000{why_zh}。",
            f"'{p.path}' is in {p.header.get('坐标系')} ({datum}): it needs Helmert parameters to reach "
            f"CGCS2000 (PROJ's default transformation for it is only approximate){why_en}.",
            "在文件的“转换参数=”中填写，或用 --helmert 给出四参数 dX,dY,旋转角(秒),尺度(ppm) 或七参数。",
            "Fill 转换参数= in the file, or pass --helmert with 4 (dX,dY,rot_arcsec,scale_ppm) or 7 parameters.",
        )
    if params is None:
        if datum == "wgs84":
            notes.append(line_note(p.key_line.get("坐标系", 1),
                                   "坐标系为 WGS84，按 CGCS2000 分带处理（差异 < 0.1 m）。",
                                   "coordinate system WGS84 read as the CGCS2000 zone (they differ by < 0.1 m)."))
        return None, None
    if datum in ("cgcs2000", "wgs84"):
        line = p.key_line.get("转换参数", p.key_line.get("坐标系", 1))
        notes.append(line_note(line, "文件为 CGCS2000，仍按给定转换参数转换。",
                               "the file is CGCS2000; the given Helmert parameters are applied anyway."))

    def to_plane(n, e):
        return apply_helmert(n, e, params, datum, width, zone)

    return params, to_plane
