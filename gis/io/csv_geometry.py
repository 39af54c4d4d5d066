"""CSV files with geometry: ``lon``/``lat`` columns (points) or a WKT column.

Planners keep project lists in spreadsheets; saved as CSV they come as UTF-8
(with or without BOM) or GBK. Values are read as text so that codes keep their
leading zeros (``0511``), then columns that are wholly numeric become numbers.
Written CSVs carry the geometry as a ``wkt`` column, UTF-8 with BOM by default
(what Excel opens correctly).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gis.errors import InputError
from gis.geodesy.crs import check_crs
from gis.io.rounding import rounded_for_people
from gis.io.safe_write import atomic_output

__all__ = ["read_csv_geometry", "read_csv_text", "write_csv_geometry"]

#: Column names (lower case) recognised as longitude, latitude and WKT, first match wins.
_LON = ("lon", "lng", "longitude", "经度", "x")
_LAT = ("lat", "latitude", "纬度", "y")
_WKT = ("wkt", "geometry", "geom")


def read_csv_text(path, encoding: str | None = None) -> pd.DataFrame:
    """Read a CSV as text columns: UTF-8 (with or without BOM), else GB18030, unless ``encoding``.

    Every value stays a string (codes keep their leading zeros; empty cells are
    ``""``), so callers decide what is a number.
    """
    for enc in ([encoding] if encoding else ["utf-8-sig", "gb18030"]):
        try:
            return pd.read_csv(path, encoding=enc, dtype=str, keep_default_na=False)
        except UnicodeDecodeError:
            continue
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise InputError(f"无法读取 CSV“{path}”：{exc}", f"Cannot read CSV '{path}': {exc}") from exc
    raise InputError(f"无法解码 CSV“{path}”。", f"Cannot decode CSV '{path}'.",
                     "请用 --encoding 指定编码（如 gbk）。", "Pass --encoding (e.g. gbk).")


def _wkt_geometries(df: pd.DataFrame, column: str, path) -> np.ndarray:
    text = df[column].to_numpy(dtype=object)
    text[text == ""] = None
    try:
        return shapely.from_wkt(text, on_invalid="raise")
    except shapely.errors.GEOSException as exc:
        raise InputError(f"CSV“{path}”的 {column} 列含无法解析的 WKT：{exc}",
                         f"CSV '{path}' has unreadable WKT in column '{column}': {exc}",
                         "请检查该列（如 POLYGON ((x y, ...))）。",
                         "Check the column (e.g. POLYGON ((x y, ...))).") from exc


def _points(df: pd.DataFrame, lon: str, lat: str) -> np.ndarray:
    x = pd.to_numeric(df[lon], errors="coerce").to_numpy()
    y = pd.to_numeric(df[lat], errors="coerce").to_numpy()
    geom = shapely.points(x, y)
    geom[np.isnan(x) | np.isnan(y)] = None
    return geom


def read_csv_geometry(path: Path, encoding: str | None = None, assume_crs: str | None = None) -> gpd.GeoDataFrame:
    """Read a CSV with a WKT column (CRS from ``assume_crs``) or lon/lat columns (EPSG:4326 unless ``assume_crs``).

    Raises
    ------
    InputError
        The CSV cannot be read or decoded, has unreadable WKT, or has no geometry columns.
    CRSError
        A WKT column without ``assume_crs``.
    """
    df = read_csv_text(path, encoding)
    cols = {c.lower(): c for c in df.columns}
    lon = next((cols[c] for c in _LON if c in cols), None)
    lat = next((cols[c] for c in _LAT if c in cols), None)
    wkt = next((cols[c] for c in _WKT if c in cols), None)
    if wkt is not None:
        geom = _wkt_geometries(df, wkt, path)
        df = df.drop(columns=[wkt])
        crs = check_crs(None, str(path), assume_crs)
    elif lon is not None and lat is not None:
        geom = _points(df, lon, lat)
        # lon/lat columns are geographic by definition; --datum states which datum.
        crs = check_crs(None, str(path), assume_crs or "EPSG:4326")
    else:
        raise InputError(
            f"CSV“{path}”没有几何列：需要 lon/lat（经度/纬度）列或 wkt 列。",
            f"CSV '{path}' has no geometry: it needs lon/lat columns or a wkt column.",
            "请加入 lon、lat 两列（WGS84 或用 --datum 指明），或 wkt 列。",
            "Add lon and lat columns (WGS84, or state --datum), or a wkt column.",
        )
    for c in df.columns:  # numbers stay numbers, codes with leading zeros stay text
        conv = pd.to_numeric(df[c], errors="coerce")
        if conv.notna().all() and not df[c].str.match(r"^0\d").any():
            df[c] = conv
    return gpd.GeoDataFrame(df, geometry=geom, crs=crs)


def write_csv_geometry(gdf: gpd.GeoDataFrame, path: Path, encoding: str | None = None) -> None:
    """Write a frame as CSV with its geometry as a ``wkt`` column, atomically (UTF-8 with BOM by default)."""
    df = rounded_for_people(pd.DataFrame(gdf.drop(columns=gdf.geometry.name)))
    # Coordinates to 1e-8 degree or 0.1 mm (both below any survey's accuracy), not float noise.
    geographic = gdf.crs is not None and gdf.crs.is_geographic
    df["wkt"] = shapely.to_wkt(gdf.geometry.to_numpy(), rounding_precision=8 if geographic else 4, trim=True)
    with atomic_output(path) as tmp:
        df.to_csv(tmp, index=False, encoding=encoding or "utf-8-sig")
