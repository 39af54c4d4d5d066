"""Datum shift and projection of whole frames (used by ``parkgis convert``)."""

from __future__ import annotations

import geopandas as gpd
import pyproj

from gis.errors import DatumError
from gis.geodesy.crs import WGS84, check_crs, transform_geometries
from gis.geodesy.datums import convert_geometries

__all__ = ["convert_frame", "crs_label"]


def crs_label(crs: pyproj.CRS) -> str:
    code = crs.to_epsg()
    return f"EPSG:{code} ({crs.name})" if code else crs.name


def convert_frame(
    gdf: gpd.GeoDataFrame, *, datum: str = "wgs84", to_datum: str = "wgs84", to_crs=None
) -> tuple[gpd.GeoDataFrame, str | None]:
    """Shift a frame's datum and project it, vectorised over all geometries.

    Vertices are kept as they are (no densifying): a conversion should not
    invent boundary points.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        With its CRS set.
    datum, to_datum : {"wgs84", "gcj02", "bd09"}
        Datum of the input coordinates and of the output.
    to_crs : CRS-like, optional
        Output CRS; default: the input's, or EPSG:4326 when the datum changes.

    Returns
    -------
    gdf : geopandas.GeoDataFrame
        A new frame.
    shift : str or None
        ``"gcj02 → wgs84"`` when a datum shift was applied.
    """
    src = check_crs(gdf.crs, "input")
    dst = pyproj.CRS.from_user_input(to_crs) if to_crs is not None else None
    geoms = gdf.geometry.to_numpy()
    if datum == to_datum:
        out = gdf.copy()
        if dst is not None and not dst.equals(src):
            out = out.to_crs(dst)
        return out, None
    if datum != "wgs84" and not src.is_geographic:
        raise DatumError(
            f"{datum} 坐标只能是经纬度，但输入的坐标系是投影坐标系 {crs_label(src)}。",
            f"{datum} coordinates are lon/lat, but the input is in the projected CRS {crs_label(src)}.",
            "请检查 --datum，或用 --assume-crs EPSG:4326 说明输入为经纬度。",
            "Check --datum, or state --assume-crs EPSG:4326 if the input is lon/lat.",
        )
    if dst is not None and to_datum != "wgs84" and not dst.is_geographic:
        raise DatumError(
            f"{to_datum} 只能以经纬度输出，--to-crs {crs_label(dst)} 是投影坐标系。",
            f"{to_datum} exists only as lon/lat; --to-crs {crs_label(dst)} is projected.",
            "去掉 --to-crs，或改为 --to-crs EPSG:4326。",
            "Drop --to-crs or use --to-crs EPSG:4326.",
        )
    lonlat = transform_geometries(geoms, src, WGS84, densify=False)
    shifted = convert_geometries(lonlat, datum, to_datum)
    if dst is not None and not dst.equals(WGS84):
        shifted = transform_geometries(shifted, WGS84, dst, densify=False)
    out = gdf.copy()
    out = out.set_geometry(gpd.GeoSeries(shifted, index=gdf.index, crs=dst or WGS84), crs=dst or WGS84)
    return out, f"{datum} → {to_datum}"


