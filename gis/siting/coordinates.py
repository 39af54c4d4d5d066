"""A site's longitude and latitude as typed by a person: ``"LON,LAT"`` → two numbers.

Only the standard library here, so the command line can parse ``--lonlat``
without loading the geometry libraries.
"""

from __future__ import annotations

import math
import re
import unicodedata

from gis.errors import InputError

__all__ = ["parse_lonlat"]


def _bad_lonlat(text: str, why_zh: str, why_en: str, hint_zh: str = "", hint_en: str = "") -> InputError:
    return InputError(
        f"坐标“{text}”无效：{why_zh}。",
        f"Coordinate '{text}' is not valid: {why_en}.",
        hint_zh or "格式为 经度,纬度（十进制度），如 --lonlat 121.52,31.62。",
        hint_en or "Write LON,LAT in decimal degrees, e.g. --lonlat 121.52,31.62.",
    )


def parse_lonlat(value) -> tuple[float, float]:
    """Parse ``"LON,LAT"`` (or a pair of numbers) into floats, refusing malformed values.

    Parameters
    ----------
    value : str or sequence of two numbers
        Longitude and latitude in decimal degrees; a comma (half- or full-width),
        semicolon or spaces separate them.

    Returns
    -------
    lon, lat : float
        Decimal degrees.

    Raises
    ------
    InputError
        Not two numbers, not finite, out of range, or apparently swapped.
    """
    text = str(value)
    if isinstance(value, str):
        parts = [p for p in re.split(r"[,;\s]+", unicodedata.normalize("NFKC", value).strip()) if p]
    else:
        try:
            parts = list(value)
        except TypeError:
            raise _bad_lonlat(text, "不是两个数", "it is not two numbers") from None
    if len(parts) != 2:
        raise _bad_lonlat(text, f"应为两个数（经度、纬度），实为 {len(parts)} 个",
                          f"expected two numbers (longitude, latitude), got {len(parts)}")
    try:
        lon, lat = float(parts[0]), float(parts[1])
    except (TypeError, ValueError):
        raise _bad_lonlat(text, "含非数字内容", "it contains something that is not a number",
                          "请用十进制度（如 121.52,31.62），不要用度分秒。",
                          "Use decimal degrees (e.g. 121.52,31.62), not degrees-minutes-seconds.") from None
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise _bad_lonlat(text, "不是有限的数", "it is not a finite number")
    if abs(lat) > 90 and abs(lon) <= 90:
        raise _bad_lonlat(text, "纬度超出 ±90°，经纬度似乎写反了",
                          "the latitude is beyond ±90°: lon and lat look swapped",
                          f"请按 经度,纬度 的顺序：--lonlat {parts[1]},{parts[0]}。",
                          f"Give longitude first: --lonlat {parts[1]},{parts[0]}.")
    if abs(lon) > 180 or abs(lat) > 90:
        raise _bad_lonlat(text, "超出经纬度范围", "it is outside the range of longitude/latitude",
                          "若为投影坐标（米），请改用 --wkt 并以 --assume-crs 说明坐标系。",
                          "For projected coordinates (metres) use --wkt with --assume-crs.")
    return lon, lat
