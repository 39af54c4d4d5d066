"""Small frames with Chinese text shared by the reading and writing tests of tests/io."""

from __future__ import annotations

import geopandas as gpd
import shapely

NAMES = ["崇明工业园区", "长兴海洋装备产业基地", "陈家镇智慧岛"]


def frame(crs=4326) -> gpd.GeoDataFrame:
    """Three 500 m squares near 城桥 with a parcel id, a Chinese name and an output figure."""
    return gpd.GeoDataFrame(
        {"parcel_id": ["P1", "P2", "P3"], "name": NAMES, "output_wan": [1.5, 2.0, 3.25]},
        geometry=[shapely.box(121.4 + i * 0.01, 31.6, 121.405 + i * 0.01, 31.605) for i in range(3)],
        crs=crs,
    )


def gbk_shapefile_without_cpg(path):
    """A Shapefile whose DBF is GBK and that has no ``.cpg`` saying so (what many desktop tools leave)."""
    frame().to_file(path, driver="ESRI Shapefile", encoding="GBK", engine="pyogrio")
    cpg = path.with_suffix(".cpg")
    if cpg.exists():
        cpg.unlink()
    return path
