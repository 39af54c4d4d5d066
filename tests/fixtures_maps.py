"""Shared fixture of the map tests: toy layers and classified parcels whose names are hostile markup.

Loaded by ``conftest.py`` (every ``fixtures_*.py`` is a plugin); the names are
imported by the tests that check escaping.
"""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely
from toylayers import DEG, LAT0, LON0, write_toy_gpkg

from gis.layers.layerset import load_layers

XSS_ID = "<img src=x onerror=alert(1)>"
XSS_NAME = "<script>alert('x')</script>"
JINJA = "{{ 7*7 }}{% if true %}"


@pytest.fixture(scope="module")
def map_toy(tmp_path_factory):
    """Toy layers (illustrative parks) and a few classified parcels with hostile names."""
    from gis.classification.classify import classify

    src = write_toy_gpkg(tmp_path_factory.mktemp("layers") / "toy.gpkg")
    layers = load_layers(src)
    layers.meta["parks"]["illustrative"] = True
    boxes = [shapely.box(LON0 + x * DEG, LAT0 + y * DEG, LON0 + (x + 0.3) * DEG, LAT0 + (y + 0.2) * DEG)
             for x, y in [(3, 3), (11, 4), (15, 5), (8, 8), (16, 1), (5, 0.5)]]
    parcels = gpd.GeoDataFrame({
        "parcel_id": [XSS_ID, "P2", "P3", "P4", JINJA, "P6"],
        "enterprise_zh": ["甲企业", XSS_NAME, "丙企业", "丁企业", "戊企业", "己企业"],
        "output_wan": [5000.0, 800.0, 1200.0, 300.0, 50.0, 900.0],
    }, geometry=boxes, crs=4326)
    return layers, classify(parcels, layers), src
