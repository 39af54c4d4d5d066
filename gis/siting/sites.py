"""Input of the siting check: site geometries, their datum, and the projects' attributes.

A single site is a ``LON,LAT`` text or pair (a point, or a circle with a radius),
WKT, a shapely geometry or a vector file (DESIGN §6); a batch is a table of
projects (CSV with lon/lat or WKT columns, or any vector file). Every site is
brought to WGS84 (converting GCJ-02 / BD-09 first) and then to the metric
working CRS, where a point with a radius becomes a circle.

In a batch, a bad row (no or unreadable coordinates, an invalid industry code, a
negative figure, a radius on a polygon) gets an error message and the other
rows go on; a single site raises the error instead.
"""

from __future__ import annotations

import logging
import math
import re
import unicodedata
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from gis.geodesy.crs import WGS84, check_crs
from gis.geomarrays import present
from gis.errors import InputError
from gis.io.vector import read_csv_text
from gis.domain.industry import validate_codes

__all__ = [
    "ATTRIBUTES",
    "FACILITY_ALIASES",
    "RowErrors",
    "parse_lonlat",
    "prepare_sites",
    "project_attributes",
    "read_projects",
    "read_site_file",
    "site_geometry",
]

log = logging.getLogger(__name__)

#: Project attributes: name → (Chinese, English, kind). Money in 万元, energy in tce, area in m².
ATTRIBUTES: dict[str, tuple[str, str, str]] = {
    "name": ("项目名称", "project name", "text"),
    "industry": ("行业代码", "industry code", "code"),
    "facility": ("设施类型", "facility type", "facility"),
    "land_m2": ("用地面积（平方米）", "land area (m²)", "number"),
    "output_wan": ("计划产值（万元）", "planned output (万元)", "number"),
    "value_added_wan": ("计划增加值（万元）", "planned value added (万元)", "number"),
    "energy_tce": ("计划综合能耗（吨标准煤）", "planned energy use (tce)", "number"),
    "investment_wan": ("计划投资（万元）", "planned investment (万元)", "number"),
    "radius_m": ("半径（米）", "radius (m)", "number"),
}
NUMBER_FIELDS = tuple(k for k, v in ATTRIBUTES.items() if v[2] == "number")

#: Other spellings of facility types (normalised to the key used in the rule configuration).
FACILITY_ALIASES = {"尾矿库": "tailings_pond", "tailings": "tailings_pond", "tailings-pond": "tailings_pond",
                    "tailings pond": "tailings_pond"}

_LON_COLS = ("lon", "lng", "longitude", "经度", "x")
_LAT_COLS = ("lat", "latitude", "纬度", "y")
_WKT_COLS = ("wkt", "geometry", "geom")


class RowErrors:
    """Error messages per row (Chinese and English), several per row joined."""

    def __init__(self, n: int):
        self.zh = np.full(n, None, dtype=object)
        self.en = np.full(n, None, dtype=object)

    def add(self, mask, zh, en) -> None:
        m = np.asarray(mask, dtype=bool)
        if not m.any():
            return
        zh_a = zh[m] if isinstance(zh, np.ndarray) else np.full(int(m.sum()), zh, dtype=object)
        en_a = en[m] if isinstance(en, np.ndarray) else np.full(int(m.sum()), en, dtype=object)
        old_zh, old_en = self.zh[m], self.en[m]
        first = pd.isna(pd.Series(old_zh, dtype=object)).to_numpy()
        self.zh[m] = np.where(first, zh_a, old_zh.astype(str).astype(object) + "；" + zh_a.astype(object))
        self.en[m] = np.where(first, en_a, old_en.astype(str).astype(object) + "; " + en_a.astype(object))

    @property
    def any(self) -> np.ndarray:
        return ~pd.isna(pd.Series(self.zh, dtype=object)).to_numpy()


# --------------------------------------------------------------------------- single site


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
        raise _bad_lonlat(text, "纬度超出 ±90°，经纬度似乎写反了", "the latitude is beyond ±90°: lon and lat look swapped",
                          f"请按 经度,纬度 的顺序：--lonlat {parts[1]},{parts[0]}。",
                          f"Give longitude first: --lonlat {parts[1]},{parts[0]}.")
    if abs(lon) > 180 or abs(lat) > 90:
        raise _bad_lonlat(text, "超出经纬度范围", "it is outside the range of longitude/latitude",
                          "若为投影坐标（米），请改用 --wkt 并以 --assume-crs 说明坐标系。",
                          "For projected coordinates (metres) use --wkt with --assume-crs.")
    return lon, lat


def _parse_wkt(text: str):
    try:
        geom = shapely.from_wkt(text)
    except shapely.errors.GEOSException as exc:
        raise InputError(f"WKT 无法解析：{exc}", f"Cannot parse the WKT: {exc}",
                         "示例：POLYGON ((121.50 31.62, 121.51 31.62, 121.51 31.63, 121.50 31.62))。",
                         "Example: POLYGON ((121.50 31.62, 121.51 31.62, 121.51 31.63, 121.50 31.62)).") from None
    if geom is None or geom.is_empty:
        raise InputError("WKT 几何为空。", "The WKT geometry is empty.")
    return geom


def site_geometry(site, *, crs=None) -> tuple[object, pyproj.CRS, dict]:
    """Turn what a caller gives as a site into one geometry, its CRS and its file attributes.

    Parameters
    ----------
    site : tuple, str, shapely geometry or Path
        ``(lon, lat)``; ``"LON,LAT"``; WKT text; a shapely geometry; or a
        :class:`~pathlib.Path` of a vector file (see :func:`read_site_file`).
    crs : optional
        CRS of a WKT text or geometry (default WGS84 lon/lat).

    Returns
    -------
    geometry, crs, attributes
    """
    if isinstance(site, Path):
        return read_site_file(site, assume_crs=str(crs) if crs is not None else None)
    the_crs = pyproj.CRS.from_user_input(crs) if crs is not None else WGS84
    if isinstance(site, shapely.Geometry):
        if site.is_empty:
            raise InputError("场地几何为空。", "The site geometry is empty.")
        return site, the_crs, {}
    if isinstance(site, str):
        s = site.strip()
        if re.match(r"^[A-Za-z]", s):
            return _parse_wkt(s), the_crs, {}
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
    from gis.io.vector import read_vector

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


# --------------------------------------------------------------------------- batch


def _find(cols: dict[str, str], names: tuple[str, ...]) -> str | None:
    return next((cols[c] for c in names if c in cols), None)


def _read_projects_csv(path: Path, encoding: str | None, assume_crs: str | None) -> gpd.GeoDataFrame:
    df = read_csv_text(path, encoding)
    cols = {c.strip().lower(): c for c in df.columns}
    wkt_col = _find(cols, _WKT_COLS)
    lon_col, lat_col = _find(cols, _LON_COLS), _find(cols, _LAT_COLS)
    n = len(df)
    errs = RowErrors(n)
    if wkt_col is not None:
        text = df[wkt_col].str.strip().to_numpy(dtype=object)
        blank = text == ""
        geom = np.full(n, None, dtype=object)
        geom[~blank] = shapely.from_wkt(text[~blank], on_invalid="ignore")
        bad = ~blank & shapely.is_missing(geom)
        errs.add(bad, "WKT 无法解析", "the WKT cannot be parsed")
        errs.add(blank, "没有坐标（WKT 为空）", "no coordinates (empty WKT)")
        df = df.drop(columns=[wkt_col])
        crs = _wkt_crs(geom, path, assume_crs)
    elif lon_col is not None and lat_col is not None:
        x = pd.to_numeric(df[lon_col].str.strip(), errors="coerce").to_numpy(dtype="float64")
        y = pd.to_numeric(df[lat_col].str.strip(), errors="coerce").to_numpy(dtype="float64")
        blank = (df[lon_col].str.strip() == "").to_numpy() | (df[lat_col].str.strip() == "").to_numpy()
        bad = ~blank & (np.isnan(x) | np.isnan(y))
        swapped = ~np.isnan(x) & ~np.isnan(y) & (np.abs(y) > 90) & (np.abs(x) <= 90)
        out_of_range = ~np.isnan(x) & ~np.isnan(y) & ~swapped & ((np.abs(x) > 180) | (np.abs(y) > 90))
        errs.add(blank, "没有坐标（经纬度为空）", "no coordinates (empty lon/lat)")
        errs.add(bad, "经纬度不是数字", "lon/lat is not a number")
        errs.add(swapped, "纬度超出 ±90°，经纬度似乎写反了", "latitude beyond ±90°: lon and lat look swapped")
        errs.add(out_of_range, "经纬度超出范围", "lon/lat out of range")
        good = ~(blank | bad | swapped | out_of_range)
        geom = np.full(n, None, dtype=object)
        geom[good] = shapely.points(x[good], y[good])
        crs = check_crs(None, str(path), assume_crs or "EPSG:4326")
    else:
        raise InputError(
            f"项目表“{path}”没有坐标列：需要 lon/lat（经度/纬度）列或 wkt 列。",
            f"Project table '{path}' has no coordinates: it needs lon/lat columns or a wkt column.",
            "请加入 lon、lat 两列（用 --datum 说明高德/百度坐标），或 wkt 列。",
            "Add lon and lat columns (state --datum for Amap/Baidu coordinates), or a wkt column.",
        )
    for c in df.columns:  # numbers stay numbers; codes and names stay text (a code may have a leading zero)
        if c in ("industry", "name", "facility"):
            continue
        conv = pd.to_numeric(df[c], errors="coerce")
        if conv.notna().all() and len(df) and not df[c].str.match(r"^0\d").any():
            df[c] = conv
    gdf = gpd.GeoDataFrame(df, geometry=geom, crs=crs)
    gdf["_read_error_zh"] = errs.zh
    gdf["_read_error_en"] = errs.en
    return gdf


def _wkt_crs(geom: np.ndarray, path: Path, assume_crs: str | None) -> pyproj.CRS:
    """WKT in a CSV declares no CRS: --assume-crs, else lon/lat when every coordinate looks like one."""
    if assume_crs:
        return check_crs(None, str(path), assume_crs)
    ok = ~shapely.is_missing(geom)
    if ok.any():
        b = shapely.total_bounds(geom[ok])
        if -180 <= b[0] <= b[2] <= 180 and -90 <= b[1] <= b[3] <= 90:
            log.info("%s: WKT read as lon/lat (EPSG:4326) / WKT 按经纬度读取", path)
            return WGS84
    return check_crs(None, str(path), None)


def read_projects(path, *, layer: str | None = None, encoding: str | None = None,
                  assume_crs: str | None = None) -> gpd.GeoDataFrame:
    """Read a table of projects for a batch siting check.

    Parameters
    ----------
    path : str or Path
        CSV (lon/lat or WKT columns; a row whose coordinates cannot be read gets
        an error instead of stopping the read) or any vector file.
    layer, encoding, assume_crs
        As for :func:`gis.io.vector.read_vector`.

    Returns
    -------
    geopandas.GeoDataFrame
        The projects, with private columns ``_read_error_zh``/``_read_error_en``
        for rows whose coordinates could not be read (used by
        :func:`gis.siting.check.check_sites`).
    """
    p = Path(path)
    if not p.exists():
        raise InputError(f"找不到文件“{p}”。", f"File not found: '{p}'.", "请检查路径。", "Check the path.")
    if p.suffix.lower() == ".csv":
        return _read_projects_csv(p, encoding, assume_crs)
    from gis.io.vector import read_vector

    return read_vector(p, layer=layer, encoding=encoding, assume_crs=assume_crs)


# --------------------------------------------------------------------------- attributes


def project_attributes(df: pd.DataFrame, errs: RowErrors) -> pd.DataFrame:
    """Normalise the project attributes of a table (missing columns become empty).

    Parameters
    ----------
    df : pandas.DataFrame
        Projects; the columns named in :data:`ATTRIBUTES` are used.
    errs : RowErrors
        Receives an error for each row with an invalid industry code, a number
        that is not a number, or a negative figure.

    Returns
    -------
    pandas.DataFrame
        ``name`` (object), ``industry`` (string), ``facility`` (object), and the
        number fields as floats (NaN when not given), on a fresh RangeIndex.
    """
    n = len(df)
    d = df.reset_index(drop=True)
    out = pd.DataFrame(index=pd.RangeIndex(n))
    out["name"] = _text_col(d, "name", n)
    if "industry" in d.columns:
        raw = d["industry"].astype(object)
        codes, bad = validate_codes(raw)
        bad_a = bad.to_numpy(dtype=bool)
        if bad_a.any():
            val = np.array([str(v) for v in raw], dtype=object)
            errs.add(bad_a, "行业代码“" + val + "”无效（须为 GB/T 4754-2017 的 2–4 位代码，如 26、3731）",
                     "industry code '" + val + "' is not valid (a 2–4 digit GB/T 4754-2017 code, e.g. 26, 3731)")
        out["industry"] = codes.reset_index(drop=True)
    else:
        out["industry"] = pd.Series(pd.NA, index=out.index, dtype="string")
    fac = _text_col(d, "facility", n)
    out["facility"] = np.array([_facility(v) for v in fac], dtype=object) if n else fac
    for f in NUMBER_FIELDS:
        if f not in d.columns:
            out[f] = np.nan
            continue
        raw = d[f]
        if not raw.notna().any():  # not given (the common case for one site): no parsing to do
            out[f] = np.nan
            continue
        if pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
            vals = raw.to_numpy(dtype="float64")
            notnum = np.zeros(n, dtype=bool)
        else:
            s = raw.astype(object)
            txt = s.map(lambda v: unicodedata.normalize("NFKC", str(v)).strip().replace(",", "")
                        if not pd.isna(v) else "")
            vals = pd.to_numeric(txt.where(txt != "", None), errors="coerce").to_numpy(dtype="float64")
            notnum = ((txt != "").to_numpy()) & np.isnan(vals)
        zh, en = ATTRIBUTES[f][:2]
        errs.add(notnum, f"{zh}不是数字", f"{en} is not a number")
        neg = ~np.isnan(vals) & (vals < 0)
        errs.add(neg, f"{zh}为负数", f"{en} is negative")
        inf = np.isinf(vals)
        errs.add(inf, f"{zh}不是有限的数", f"{en} is not finite")
        vals = np.where(notnum | neg | inf, np.nan, vals)
        out[f] = vals
    return out


def _text_col(d: pd.DataFrame, col: str, n: int) -> np.ndarray:
    if col not in d.columns:
        return np.full(n, None, dtype=object)
    s = d[col].astype(object)
    out = s.map(lambda v: None if pd.isna(v) or str(v).strip() == "" else str(v).strip()).to_numpy(dtype=object)
    return out


def _facility(v):
    if v is None:
        return None
    key = unicodedata.normalize("NFKC", str(v)).strip().lower()
    return FACILITY_ALIASES.get(key, key.replace(" ", "_").replace("-", "_"))


# --------------------------------------------------------------------------- geometry


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
        Circle radius per row (NaN or 0: none); only for points.
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
    from gis.engine.normalise import prepare_geometries, to_wgs84

    frame = gpd.GeoDataFrame(geometry=np.asarray(geoms, dtype=object), crs=crs)
    g, c = to_wgs84(frame, datum, None)
    w, no_geom, repaired, _not_poly = prepare_geometries(np.asarray(g, dtype=object), c)
    errs.add(no_geom, "没有几何（坐标缺失）", "no geometry (coordinates missing)")
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
