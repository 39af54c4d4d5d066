"""A small hand-checkable layer source for tests (boxes near Chongming, WGS84).

District: two "islands" (a big one and a small one). Parks A and B sit in the big
island, a construction area overlaps park B, the riverbank is the big island's
south edge, the strategic reserve is the small island.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

LON0, LAT0 = 121.40, 31.55
DEG = 0.01  # ≈ 950 m east-west, 1,110 m north-south here


def box(x0, y0, x1, y1):
    """A lon/lat box in units of DEG from (LON0, LAT0)."""
    return shapely.box(LON0 + x0 * DEG, LAT0 + y0 * DEG, LON0 + x1 * DEG, LAT0 + y1 * DEG)


def toy_layers() -> dict[str, gpd.GeoDataFrame]:
    big = box(0, 0, 20, 10)
    small = box(25, 0, 30, 4)
    district = gpd.GeoDataFrame({"name_zh": ["测试区"], "name_en": ["Test district"]},
                                geometry=[shapely.MultiPolygon([big, small])], crs=4326)
    parks = gpd.GeoDataFrame({
        "park_id": ["A", "B"], "name_zh": ["甲园区", "乙园区"], "name_en": ["Park A", "Park B"],
        "leading_industries": ["36,38", "13,14"], "target_output_2025_yi": [40.0, 10.0],
    }, geometry=[box(2, 2, 6, 6), box(10, 3, 14, 7)], crs=4326)
    cons = gpd.GeoDataFrame({"town_zh": ["甲镇", "乙镇"], "town_en": ["Town A", "Town B"]},
                            geometry=[box(12, 2, 17, 8), box(1, 7, 4, 9)], crs=4326)
    river = gpd.GeoDataFrame({"name_zh": ["南岸"]},
                             geometry=[shapely.LineString([(LON0, LAT0), (LON0 + 20 * DEG, LAT0)])], crs=4326)
    reserve = gpd.GeoDataFrame({"name_zh": ["预留岛"]}, geometry=[small], crs=4326)
    return {"district": district, "parks": parks, "construction_areas": cons,
            "riverbank": river, "strategic_reserve": reserve}


def toy_layers_with_land() -> dict[str, gpd.GeoDataFrame]:
    """The toy layers with a shore: the big island's southern strip (y 0–1 DEG, ≈ 1.1 km) is tidal flat, so
    its land is y 1–10 and the riverbank runs along y = 1; the small island is land to its edge."""
    roles = toy_layers()
    roles["land"] = gpd.GeoDataFrame({"name_zh": ["大岛陆域", "小岛陆域"]},
                                     geometry=[box(0, 1, 20, 10), box(25, 0, 30, 4)], crs=4326)
    roles["riverbank"] = gpd.GeoDataFrame(
        {"name_zh": ["南岸"]}, geometry=[shapely.LineString([(LON0, LAT0 + DEG), (LON0 + 20 * DEG, LAT0 + DEG)])],
        crs=4326)
    return roles


def write_toy_gpkg(path: Path, roles: dict | None = None) -> Path:
    """Write the toy layers (or ``roles``) into a GeoPackage, one layer per role."""
    roles = toy_layers() if roles is None else roles
    for role, gdf in roles.items():
        gdf.to_file(path, layer=role, driver="GPKG")
    return path


def parcels(rows: list[tuple[str, object]]) -> gpd.GeoDataFrame:
    """Parcels from (id, geometry) pairs."""
    return gpd.GeoDataFrame(pd.DataFrame({"parcel_id": [r[0] for r in rows]}),
                            geometry=[r[1] for r in rows], crs=4326)
