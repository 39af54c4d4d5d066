"""GeoJSON for the small folium layers: display geometry and escaped properties."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gis.geodesy.crs import WGS84, check_crs
from gis.geodesy.datums import convert_geometries
from gis.maps.web.escape import escape_series, escape_text

__all__ = ["FIELD_LABELS", "label", "frame", "display_geoms", "geojson", "escaped_props", "aliases"]

FIELD_LABELS = {
    "layer": ("图层", "layer"),
    "park_id": ("园区编号", "park id"),
    "name_zh": ("名称", "name"),
    "name_en": ("英文名称", "name (en)"),
    "town_zh": ("乡镇", "town"),
    "town_en": ("乡镇（英文）", "town (en)"),
    "leading_industries": ("主导产业（GB/T 4754）", "leading industries (GB/T 4754)"),
    "target_output_2025_yi": ("2025 年产出目标（亿元）", "output target 2025 (亿元)"),
    "density": ("产出密度（亿元/km²）", "output density (亿元/km²)"),
    "unit_density": ("单位面积产出（亿元/km²，按单元面积）", "output per unit area (亿元/km², unit area)"),
    "target": ("目标密度（亿元/km²）", "target density (亿元/km²)"),
    "output": ("产出（亿元）", "output (亿元)"),
    "land": ("地块面积（km²）", "parcel land (km²)"),
    "meets": ("是否达标", "meets target"),
}


def label(zh: str, en: str) -> str:
    return f"{zh} {en}"


def frame(gdf) -> gpd.GeoDataFrame | None:
    """A role's frame in EPSG:4326 (duck-typed: any GeoDataFrame; None passes)."""
    if gdf is None or len(gdf) == 0:
        return None
    crs = check_crs(gdf.crs, "layer")
    if not crs.equals(WGS84):
        gdf = gdf.to_crs(WGS84)
    return gdf


def display_geoms(geoms, datum: str, tolerance_deg: float = 1e-5) -> np.ndarray:
    """Geometries as drawn: shifted to the tiles' datum, simplified, rounded to 1e-5°."""
    g = np.asarray(geoms, dtype=object)
    if datum != "wgs84":
        g = convert_geometries(g, "wgs84", datum)
    g = shapely.simplify(g, tolerance_deg, preserve_topology=True)
    return shapely.transform(g, lambda xy: np.round(xy, 5))


def geojson(gdf: gpd.GeoDataFrame, props: pd.DataFrame, datum: str) -> dict:
    geoms = display_geoms(gdf.geometry.to_numpy(), datum)
    out = gpd.GeoDataFrame(props.reset_index(drop=True), geometry=list(geoms), crs=4326)
    out = out[~out.geometry.is_empty & out.geometry.notna()]
    return out.__geo_interface__


def escaped_props(gdf: pd.DataFrame, fields, constants: dict[str, str] | None = None) -> pd.DataFrame:
    props = pd.DataFrame(index=gdf.index)
    for key, value in (constants or {}).items():
        props[key] = escape_text(value)
    for f in fields:
        if f in gdf:
            fmt = "{:,.2f}" if f.endswith("_yi") else None
            props[f] = escape_series(gdf[f], fmt).to_numpy()
    return props


def aliases(fields) -> list[str]:
    return [escape_text(label(*FIELD_LABELS.get(f, (f, f)))) for f in fields]
