"""How a file in an offset datum (GCJ-02, BD-09) says so: never under an EPSG label (DESIGN §7).

GCJ-02 and BD-09 are no EPSG CRS: coordinates converted to them for a Chinese
web map must never be written as EPSG:4326, or a GIS puts them ≈ 0.5 km off
here without a word. A file the user asks for in an offset datum carries:

- a CRS of its own (:func:`offset_crs`), named for the datum, with no EPSG code
  (GDAL, QGIS and pyproj show "GCJ-02 … not EPSG:4326");
- the datum in its file name (``parcels.gcj02.gpkg``, :func:`offset_path`),
  which the readers also go by for formats that keep no CRS (GeoJSON, CSV:
  :func:`offset_datum_of_name`);
- a description (:func:`offset_description`: a GeoPackage layer's description,
  a GeoJSON file's ``description``) and a printed note (:func:`offset_note`).

Read back, such a file is recognised by its CRS (:func:`offset_datum_of`,
:func:`resolve_datum`) or its name, and converted to WGS84 without ``--datum``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyproj

from gis.errors import DatumError

__all__ = ["OFFSET_DATUMS", "offset_columns", "offset_crs", "offset_datum_of", "offset_datum_of_name",
           "offset_description", "offset_note", "offset_path", "resolve_datum"]

#: The offset datums of Chinese web maps.
OFFSET_DATUMS: tuple[str, ...] = ("gcj02", "bd09")
#: Datum → (label, maps that use it, zh; en).
_NAMES = {"gcj02": ("GCJ-02", "高德/腾讯地图", "Amap/Tencent maps"), "bd09": ("BD-09", "百度地图", "Baidu maps")}

_WKT = """GEOGCRS["{label} (offset lon/lat of {maps_en}; not EPSG:4326)",
    DATUM["{label} offset of World Geodetic System 1984",
        ELLIPSOID["WGS 84",6378137,298.257223563,LENGTHUNIT["metre",1]]],
    PRIMEM["Greenwich",0,ANGLEUNIT["degree",0.0174532925199433]],
    CS[ellipsoidal,2],
        AXIS["geodetic longitude (Lon)",east,ORDER[1],ANGLEUNIT["degree",0.0174532925199433]],
        AXIS["geodetic latitude (Lat)",north,ORDER[2],ANGLEUNIT["degree",0.0174532925199433]],
    REMARK["WGS84 lon/lat shifted by the published {label} formula (about 0.5 km in Chongming). \
No EPSG code: convert back to WGS84 before any GIS work."]]"""


def _datum(datum: str) -> str:
    d = str(datum or "").lower().replace("-", "").replace("_", "")
    if d not in OFFSET_DATUMS:
        raise DatumError(f"“{datum}”不是偏移坐标基准（gcj02、bd09）。",
                         f"'{datum}' is not an offset datum (gcj02, bd09).")
    return d


def offset_crs(datum: str) -> pyproj.CRS:
    """The CRS that labels lon/lat in an offset datum: named for it, with no EPSG code.

    Parameters
    ----------
    datum : {"gcj02", "bd09"}

    Returns
    -------
    pyproj.CRS
        A geographic CRS on the WGS 84 ellipsoid whose name and datum say
        ``GCJ-02``/``BD-09`` and ``not EPSG:4326``; ``to_epsg()`` is None.
    """
    label, _zh, en = _NAMES[_datum(datum)]
    return pyproj.CRS.from_wkt(_WKT.format(label=label, maps_en=en))


def offset_datum_of(crs) -> str | None:
    """``"gcj02"``/``"bd09"`` when a CRS is one of :func:`offset_crs`'s labels (as GDAL writes them back), else None."""
    if crs is None:
        return None
    c = pyproj.CRS.from_user_input(crs)
    if c.to_epsg() is not None:
        return None
    text = re.sub(r"[^a-z0-9]", "", f"{c.name} {c.datum.name if c.datum else ''}".lower())
    for d in OFFSET_DATUMS:
        if d in text:
            return d
    return None


def resolve_datum(crs, datum: str, what: str) -> str:
    """The datum of an input: the one its CRS declares (an offset label), else the one given (``--datum``).

    Raises
    ------
    DatumError
        The CRS declares an offset datum and ``datum`` names another one.
    """
    declared = offset_datum_of(crs)
    given = (datum or "wgs84").lower()
    if declared is None:
        return given
    if given not in ("wgs84", declared):
        label = _NAMES[declared][0]
        raise DatumError(
            f"“{what}”的坐标系声明为 {label}，与 --datum {given} 不符。",
            f"'{what}' declares {label} coordinates, which contradicts --datum {given}.",
            f"去掉 --datum（或写 --datum {declared}）。", f"Drop --datum (or give --datum {declared}).",
        )
    return declared


#: Attribute names that hold lon/lat (lower case), as the CSV readers recognise them.
_LONLAT_NAMES = ("lon", "lng", "longitude", "经度", "x", "lat", "latitude", "纬度", "y")


def offset_columns(columns, datum: str) -> dict[str, str]:
    """Renames that put the datum into lon/lat attribute columns of an offset-datum input (``lon`` → ``lon_gcj02``).

    The geometry of an output is WGS84; a ``lon``/``lat`` attribute copied from a
    GCJ-02 table beside it would be offset coordinates under a WGS84 label.
    Empty for ``wgs84``.
    """
    d = (datum or "wgs84").lower()
    if d not in OFFSET_DATUMS:
        return {}
    taken = {str(c) for c in columns}
    return {c: f"{c}_{d}" for c in columns if str(c).strip().lower() in _LONLAT_NAMES and f"{c}_{d}" not in taken}


def offset_datum_of_name(path) -> str | None:
    """``"gcj02"``/``"bd09"`` for a file named as :func:`offset_path` names them (``x.gcj02.geojson``), else None."""
    m = re.search(r"\.(gcj02|bd09)\.[^.]+$", Path(str(path)).name.lower())
    return m.group(1) if m else None


def offset_path(path, datum: str) -> Path:
    """``path`` with the datum in its name (``x.gpkg`` → ``x.gcj02.gpkg``) unless the name already says it."""
    p = Path(path)
    d = _datum(datum)
    if d in re.sub(r"[^a-z0-9]", "", p.name.lower()):  # the user named it for the datum already
        return p
    return p.with_name(f"{p.stem}.{d}{p.suffix}")


def offset_description(datum: str) -> str:
    """A bilingual description for a file's metadata: the datum, what it is for, and that it is no EPSG CRS."""
    label, zh, en = _NAMES[_datum(datum)]
    return (f"{label} 坐标（{zh}偏移坐标，供网络地图使用；不是 EPSG:4326，GIS 分析前须转回 WGS84）/ "
            f"{label} coordinates (the offset lon/lat of {en}, for a web map; not EPSG:4326 — convert back to "
            "WGS84 before any GIS work)")


def offset_note(datum: str, path) -> str:
    """The note printed when a file is written in an offset datum."""
    label, zh, en = _NAMES[_datum(datum)]
    return (f"{path} 为 {label} 偏移坐标（{zh}用），不是 WGS84/EPSG:4326；其坐标系、文件名与说明均已注明 {label}。 / "
            f"{path} holds {label} offset coordinates (for {en}), not WGS84/EPSG:4326; its CRS, file name and "
            f"description say {label}.")
