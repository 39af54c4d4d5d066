"""The ILLUSTRATIVE layers of the embedded default: park outlines and town construction areas.

No licensed public source gives the 104 blocks or the towns' concentrated
construction areas (乡镇集中建设区). The parks' names, tiers, leading industries,
targets and towns come from the plans (DESIGN §1); their outlines are drawn
here around anchor points at their towns. Construction areas are drawn only
around the public town seats (``towns.TOWN_SEATS``): a town whose seat no source
gives (陈家镇) gets none, rather than one around an invented point.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import shapely
from towns import TOWN_SEATS

from gis.geodesy.crs import WGS84, from_work, to_work

#: The five parks of 一主四副 (DESIGN §1). Outlines are ILLUSTRATIVE: anchor
#: (lon, lat), rotation (degrees, anticlockwise) and vertices in km.
PARKS = [
    {
        "park_id": "changxing_marine", "name_zh": "长兴海洋装备产业基地",
        "name_en": "Changxing Marine Equipment Industrial Base", "tier": "base",
        "leading_industries": "373,34,35", "target_output_2025_yi": 100.0, "town_zh": "长兴镇",
        # South-east shore of Changxing island; clipped to the island so it
        # reaches the shore (the 1 km riverbank zone cuts it).
        "anchor": (121.733, 31.352), "angle": 32.0, "clip_to_land": True,
        "pts": [(-2.8, -2.3), (-0.6, -2.6), (1.6, -2.0), (2.9, -1.5), (3.2, 0.2), (2.0, 1.2),
                (0.3, 1.4), (-1.3, 1.1), (-2.7, 0.6)],
    },
    {
        "park_id": "chongming_industrial", "name_zh": "崇明工业园区",
        "name_en": "Chongming Industrial Park", "tier": "community",
        "leading_industries": "36,38,33,21,24,39", "target_output_2025_yi": 40.0, "town_zh": "城桥镇",
        "anchor": (121.425, 31.657), "angle": 25.0,
        "pts": [(-1.7, -1.1), (0.2, -1.4), (1.9, -0.9), (2.1, 0.4), (1.2, 1.3), (-0.4, 1.2),
                (-1.5, 0.9), (-2.0, -0.1)],
    },
    {
        "park_id": "fusheng", "name_zh": "富盛经济开发区",
        "name_en": "Fusheng Economic Development Zone", "tier": "community",
        "leading_industries": "33,34,38,29", "target_output_2025_yi": 10.0, "town_zh": "竖新镇",
        "anchor": (121.552, 31.612), "angle": 20.0,
        "pts": [(-1.1, -0.7), (0.5, -0.9), (1.2, -0.3), (1.0, 0.7), (-0.2, 0.9), (-1.2, 0.4)],
    },
    {
        "park_id": "smart_island_data", "name_zh": "智慧岛数据产业园",
        "name_en": "Smart Island Data Industrial Park", "tier": "community",
        "leading_industries": "63,64,65,39", "target_output_2025_yi": 30.0, "town_zh": "陈家镇",
        "anchor": (121.808, 31.515), "angle": 15.0,
        "pts": [(-1.3, -0.8), (0.2, -1.1), (1.4, -0.6), (1.3, 0.6), (0.3, 1.0), (-0.9, 0.9),
                (-1.5, 0.1)],
    },
    {
        "park_id": "modern_agri", "name_zh": "崇明现代农业园区农产品加工区",
        "name_en": "Chongming Modern Agriculture Park, Agri-Food Processing Zone", "tier": "community",
        "leading_industries": "13,14,15", "target_output_2025_yi": 16.0, "town_zh": "港沿镇",
        "anchor": (121.618, 31.612), "angle": 30.0,
        "pts": [(-1.0, -0.6), (0.4, -0.8), (1.1, -0.2), (0.8, 0.6), (-0.3, 0.8), (-1.1, 0.3)],
    },
]

#: Town concentrated construction areas (ILLUSTRATIVE) around the public seats:
#: radius (km), elongation (ratio along ``angle``), offset and an irregularity phase per town.
CONSTRUCTION = {
    "城桥镇": {"r_km": 1.55, "stretch": 1.5, "angle": 25.0, "dx_km": 0.6, "dy_km": 0.9, "phase": 0.3},
    "新河镇": {"r_km": 0.95, "stretch": 1.4, "angle": 20.0, "dx_km": 0.0, "dy_km": 0.2, "phase": 1.0},
    "堡镇": {"r_km": 1.15, "stretch": 1.4, "angle": 30.0, "dx_km": 0.0, "dy_km": 0.4, "phase": 1.7},
    "长兴镇": {"r_km": 1.1, "stretch": 1.6, "angle": 35.0, "dx_km": 0.0, "dy_km": 0.0, "phase": 3.1},
    "横沙乡": {"r_km": 0.75, "stretch": 1.3, "angle": 60.0, "dx_km": 0.0, "dy_km": 0.0, "phase": 3.8},
}


def outline(lon: float, lat: float, pts_km: list[tuple[float, float]], angle_deg: float = 0.0) -> shapely.Polygon:
    """An irregular polygon (working CRS): ``pts_km`` (east, north offsets in km) rotated about the anchor."""
    x0, y0 = to_work(np.array([shapely.Point(lon, lat)], dtype=object))[0].coords[0]
    a = math.radians(angle_deg)
    ring = [(x0 + 1000 * (dx * math.cos(a) - dy * math.sin(a)),
             y0 + 1000 * (dx * math.sin(a) + dy * math.cos(a))) for dx, dy in pts_km]
    return shapely.Polygon(ring)


def _blob(r_km: float, stretch: float, phase: float) -> list[tuple[float, float]]:
    # A smooth irregular outline: a stretched circle with two low harmonics.
    t = np.linspace(0, 2 * np.pi, 24, endpoint=False)
    r = r_km * (1 + 0.12 * np.sin(2 * t + phase) + 0.08 * np.cos(3 * t + 2 * phase))
    return list(zip(r * np.cos(t) * math.sqrt(stretch), r * np.sin(t) / math.sqrt(stretch), strict=True))


def build_parks(land: shapely.Geometry, area_km2) -> gpd.GeoDataFrame:
    """The parks (lon/lat); the Changxing base is clipped to ``land``."""
    rows = []
    for p in PARKS:
        lon, lat = p["anchor"]
        g = from_work(np.array([outline(lon, lat, p["pts"], p["angle"])], dtype=object))[0]
        if p.get("clip_to_land"):
            g = g.intersection(land)
        rec = {k: v for k, v in p.items() if k not in ("anchor", "angle", "pts", "clip_to_land")}
        rec["area_km2"] = round(area_km2(g), 3)
        rec["geometry"] = g
        rows.append(rec)
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=WGS84)


def build_construction_areas(land: shapely.Geometry, area_km2) -> gpd.GeoDataFrame:
    """Construction areas around the public town seats, clipped to ``land`` (lon/lat)."""
    rows = []
    for zh, c in CONSTRUCTION.items():
        en, lon, lat, _island = TOWN_SEATS[zh]
        pts = [(x + c["dx_km"], y + c["dy_km"]) for x, y in _blob(c["r_km"], c["stretch"], c["phase"])]
        w = outline(lon, lat, pts, c["angle"])
        g = from_work(np.array([w], dtype=object))[0].intersection(land)
        rows.append({"town_zh": zh, "town_en": en, "area_km2": round(area_km2(g), 3), "geometry": g})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=WGS84)
