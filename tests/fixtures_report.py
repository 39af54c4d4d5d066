"""Shared fixture of the report tests: toy layers and a few parcels written as files.

Loaded by ``conftest.py`` (every ``fixtures_*.py`` is a plugin).
"""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely
from toylayers import DEG, LAT0, LON0, write_toy_gpkg

XSS = "<script>alert('x')</script>"


@pytest.fixture
def report_toy(tmp_path):
    """Toy layers and six parcels (one enterprise named with markup), as files: (layers path, parcels path)."""
    layers_path = write_toy_gpkg(tmp_path / "toy.gpkg")
    boxes = [(3, 3), (4, 4), (11, 4), (15, 5), (8, 8), (1, 0.5)]
    geoms = [shapely.box(LON0 + x * DEG, LAT0 + y * DEG, LON0 + (x + 0.3) * DEG, LAT0 + (y + 0.25) * DEG)
             for x, y in boxes]
    parcels = gpd.GeoDataFrame({"parcel_id": [f"T{i}" for i in range(len(geoms))],
                                "enterprise_zh": [f"企业{i}" for i in range(len(geoms))],
                                "output_wan": [5000.0, 800.0, 1200.0, 300.0, 200.0, 90.0]}, geometry=geoms, crs=4326)
    parcels.loc[0, "enterprise_zh"] = XSS
    ppath = tmp_path / "parcels.gpkg"
    parcels.to_file(ppath, layer="parcels")
    return layers_path, ppath
