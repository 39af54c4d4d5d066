"""Projects to check: their attributes, and tables of them for a batch.

A project has a site and optional attributes (:data:`ATTRIBUTES`: industry,
facility, land, output, value added, energy, investment, a circle radius). A
batch is a table of projects: a CSV with lon/lat or WKT columns, or any vector
file. A bad row (no or unreadable coordinates, an invalid industry code, a
negative figure) gets an error message and the other rows go on.
"""

from __future__ import annotations

import logging
import unicodedata
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from gis.domain.industry import validate_codes
from gis.errors import InputError
from gis.geodesy.crs import WGS84, check_crs
from gis.io.csv_geometry import read_csv_text
from gis.io.safe_write import note_read
from gis.io.vector import read_vector
from gis.siting.row_errors import RowErrors

__all__ = [
    "ATTRIBUTES",
    "FACILITY_ALIASES",
    "MAX_FIGURE",
    "NUMBER_FIELDS",
    "NUMBER_LIMITS",
    "facility_key",
    "project_attributes",
    "read_projects",
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
#: No real project's figure reaches this (10¹² 万元, tce or m²): a larger one is a slip or a corrupt cell.
MAX_FIGURE = 1e12
#: Tighter limits where a larger value is no project: a circle of 50 km would cover the whole district.
NUMBER_LIMITS = {"radius_m": 50_000.0}

#: Other spellings of facility types (normalised to the key used in the rule configuration).
FACILITY_ALIASES = {"尾矿库": "tailings_pond", "tailings": "tailings_pond", "tailings-pond": "tailings_pond",
                    "tailings pond": "tailings_pond"}

_LON_COLS = ("lon", "lng", "longitude", "经度", "x")
_LAT_COLS = ("lat", "latitude", "纬度", "y")
_WKT_COLS = ("wkt", "geometry", "geom")


def facility_key(value) -> str | None:
    """A facility type as the rule configuration spells it (``"尾矿库"`` → ``"tailings_pond"``)."""
    if value is None:
        return None
    key = unicodedata.normalize("NFKC", str(value)).strip().lower()
    return FACILITY_ALIASES.get(key, key.replace(" ", "_").replace("-", "_"))


# --------------------------------------------------------------------------- tables of projects


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
        :func:`gis.siting.batch.check_sites`).
    """
    p = Path(path)
    if not p.exists():
        raise InputError(f"找不到文件“{p}”。", f"File not found: '{p}'.", "请检查路径。", "Check the path.")
    note_read(p)  # no output of the command may overwrite it
    if p.suffix.lower() == ".csv":
        return _read_projects_csv(p, encoding, assume_crs)
    return read_vector(p, layer=layer, encoding=encoding, assume_crs=assume_crs)


def _find(cols: dict[str, str], names: tuple[str, ...]) -> str | None:
    return next((cols[c] for c in names if c in cols), None)


def _read_projects_csv(path: Path, encoding: str | None, assume_crs: str | None) -> gpd.GeoDataFrame:
    df = read_csv_text(path, encoding)
    cols = {c.strip().lower(): c for c in df.columns}
    wkt_col = _find(cols, _WKT_COLS)
    lon_col, lat_col = _find(cols, _LON_COLS), _find(cols, _LAT_COLS)
    errs = RowErrors(len(df))
    if wkt_col is not None:
        geom = _wkt_column(df[wkt_col], errs)
        df = df.drop(columns=[wkt_col])
        crs = _wkt_crs(geom, path, assume_crs)
    elif lon_col is not None and lat_col is not None:
        geom = _lonlat_columns(df[lon_col], df[lat_col], errs)
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


def _wkt_column(column: pd.Series, errs: RowErrors) -> np.ndarray:
    text = column.str.strip().to_numpy(dtype=object)
    blank = text == ""
    geom = np.full(len(text), None, dtype=object)
    geom[~blank] = shapely.from_wkt(text[~blank], on_invalid="ignore")
    bad = ~blank & shapely.is_missing(geom)
    errs.add(bad, "WKT 无法解析", "the WKT cannot be parsed")
    errs.add(blank, "没有坐标（WKT 为空）", "no coordinates (empty WKT)")
    return geom


def _lonlat_columns(lon: pd.Series, lat: pd.Series, errs: RowErrors) -> np.ndarray:
    x = pd.to_numeric(lon.str.strip(), errors="coerce").to_numpy(dtype="float64")
    y = pd.to_numeric(lat.str.strip(), errors="coerce").to_numpy(dtype="float64")
    blank = (lon.str.strip() == "").to_numpy() | (lat.str.strip() == "").to_numpy()
    bad = ~blank & (np.isnan(x) | np.isnan(y))
    swapped = ~np.isnan(x) & ~np.isnan(y) & (np.abs(y) > 90) & (np.abs(x) <= 90)
    out_of_range = ~np.isnan(x) & ~np.isnan(y) & ~swapped & ((np.abs(x) > 180) | (np.abs(y) > 90))
    errs.add(blank, "没有坐标（经纬度为空）", "no coordinates (empty lon/lat)")
    errs.add(bad, "经纬度不是数字", "lon/lat is not a number")
    errs.add(swapped, "纬度超出 ±90°，经纬度似乎写反了", "latitude beyond ±90°: lon and lat look swapped")
    errs.add(out_of_range, "经纬度超出范围", "lon/lat out of range")
    good = ~(blank | bad | swapped | out_of_range)
    geom = np.full(len(x), None, dtype=object)
    geom[good] = shapely.points(x[good], y[good])
    return geom


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
    out["facility"] = np.array([facility_key(v) for v in fac], dtype=object) if n else fac
    for f in NUMBER_FIELDS:
        out[f] = _number_col(d, f, errs)
    return out


def _number_col(d: pd.DataFrame, field: str, errs: RowErrors) -> np.ndarray:
    """One figure column as floats (NaN when not given); text that is no number, negatives and inf are errors."""
    n = len(d)
    if field not in d.columns:
        return np.full(n, np.nan)
    raw = d[field]
    if not raw.notna().any():  # not given (the common case for one site): nothing to parse
        return np.full(n, np.nan)
    if pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
        vals = raw.to_numpy(dtype="float64")
        notnum = np.zeros(n, dtype=bool)
    else:
        s = raw.astype(object)
        txt = s.map(lambda v: unicodedata.normalize("NFKC", str(v)).strip().replace(",", "")
                    if not pd.isna(v) else "")
        vals = pd.to_numeric(txt.where(txt != "", None), errors="coerce").to_numpy(dtype="float64")
        notnum = ((txt != "").to_numpy()) & np.isnan(vals)
    zh, en = ATTRIBUTES[field][:2]
    errs.add(notnum, f"{zh}不是数字", f"{en} is not a number")
    neg = ~np.isnan(vals) & (vals < 0)
    errs.add(neg, f"{zh}为负数", f"{en} is negative")
    inf = np.isinf(vals)
    errs.add(inf, f"{zh}不是有限的数", f"{en} is not finite")
    limit = NUMBER_LIMITS.get(field, MAX_FIGURE)
    huge = np.isfinite(vals) & (vals > limit)
    errs.add(huge, f"{zh}大得不可能（> {limit:g}）", f"{en} is impossibly large (> {limit:g})")
    return np.where(notnum | neg | inf | huge, np.nan, vals)


def _text_col(d: pd.DataFrame, col: str, n: int) -> np.ndarray:
    if col not in d.columns:
        return np.full(n, None, dtype=object)
    s = d[col].astype(object)
    return s.map(lambda v: None if pd.isna(v) or str(v).strip() == "" else str(v).strip()).to_numpy(dtype=object)
