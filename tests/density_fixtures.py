"""Small, hand-checkable inputs for the density, grading, grid and targets tests.

Everything is drawn as boxes in the working CRS (metres, a transverse Mercator
centred on the district) and converted to WGS84 after densifying every edge to
50 m, so areas come back to within 1e-6 of the round numbers used below:

* district: 10 km × 10 km = 100 km², named 测试区 / Test district;
* parks: P1 甲园区 2 km × 1 km = 2 km² (layer target 40 亿元), P2 乙园区 1 km² (no layer target);
* construction areas of two towns (东镇 4 km × 4 km, 西镇 3 km × 3 km); towns: west and east halves.

The classified parcels are written by hand with the DESIGN §4 columns (not by
``gis.classify``), money in 万元:

====== ======== ====== ======== ==== ========== ====== =====
id     area m²  zone   park_id  town output 万元 tax    notes
====== ======== ====== ======== ==== ========== ====== =====
a      250,000  104    P1       东镇  50,000     3,000
b      250,000  104    P1       东镇  30,000     2,000
c      100,000  104    P2       西镇  10,000       500
d       90,000  195             东镇   2,000       100
e      250,000  198             西镇     100         5
====== ======== ====== ======== ==== ========== ====== =====

So P1: 0.5 km², 8 亿元 → 16 亿元/km² (unit density 8 / 2 = 4); P2: 10 亿元/km².
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gis.geodesy.crs import WGS84, from_work

#: The columns of DESIGN §4b, in order, that every density table starts with.
DESIGN_4B = ["unit_type", "unit_id", "name_zh", "name_en", "parcels", "land_km2", "unit_area_km2", "output_yi",
             "density_yi_per_km2", "unit_density_yi_per_km2", "target_yi_per_km2", "gap_yi_per_km2",
             "meets_target", "land_mu", "tax_yi", "value_added_yi", "employees",
             "labour_productivity_wan_per_person", "energy_tce_per_wan"]

X0, Y0 = 500000.0, 10000.0  # working-CRS origin of the test district (near 121.68° E, 31.59° N)


def box(x0, y0, x1, y1):
    return shapely.box(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1)


def to_gdf(geoms, **cols) -> gpd.GeoDataFrame:
    g = shapely.segmentize(np.array(geoms, dtype=object), 50.0)
    return gpd.GeoDataFrame(cols, geometry=from_work(g), crs=WGS84)


def write_layers(path) -> str:
    """Write the test layer source (a GeoPackage) and return its path."""
    path = str(path)
    to_gdf([box(0, 0, 10000, 10000)], name_zh=["测试区"], name_en=["Test district"]).to_file(path, layer="district")
    to_gdf([box(1000, 1000, 3000, 2000), box(5000, 5000, 6000, 6000)], park_id=["P1", "P2"],
           name_zh=["甲园区", "乙园区"], name_en=["Park A", "Park B"], leading_industries=["36", "3731"],
           target_output_2025_yi=[40.0, None]).to_file(path, layer="parks")
    to_gdf([box(0, 0, 4000, 4000), box(6000, 6000, 9000, 9000)], town_zh=["东镇", "西镇"],
           town_en=["East", "West"]).to_file(path, layer="construction_areas")
    to_gdf([box(0, 0, 5000, 10000), box(5000, 0, 10000, 10000)], town_zh=["东镇", "西镇"],
           town_en=["East", "West"]).to_file(path, layer="towns")
    return path


PARCEL_BOXES = {
    "a": (1100, 1100, 1600, 1600),
    "b": (2000, 1200, 2500, 1700),
    "c": (5100, 5100, 5600, 5300),
    "d": (3500, 3500, 3800, 3800),
    "e": (7000, 2000, 7500, 2500),
}


def classified_frame(**overrides) -> gpd.GeoDataFrame:
    """The hand-classified parcels of the module docstring (DESIGN §4 and §5 columns)."""
    ids = list(PARCEL_BOXES)
    cols = {
        "parcel_id": ids,
        "area_m2": [250000.0, 250000.0, 100000.0, 90000.0, 250000.0],
        "share_104": [1.0, 1.0, 1.0, 0.0, 0.0],
        "share_195": [0.0, 0.0, 0.0, 1.0, 0.0],
        "share_198": [0.0, 0.0, 0.0, 0.0, 1.0],
        "share_outside": [0.0] * 5,
        "zone": ["104", "104", "104", "195", "198"],
        "action": ["upgrade", "upgrade", "upgrade", "transform", "reduce"],
        "park_id": ["P1", "P1", "P2", None, None],
        "town": ["东镇", "东镇", "西镇", "东镇", "西镇"],
        "flags": [""] * 5,
        "output_wan": [50000.0, 30000.0, 10000.0, 2000.0, 100.0],
        "tax_wan": [3000.0, 2000.0, 500.0, 100.0, 5.0],
        "value_added_wan": [12000.0, 8000.0, 2500.0, 400.0, 20.0],
        "employees": [500, 300, 100, 40, 5],
        "energy_tce": [900.0, 500.0, 300.0, 80.0, 10.0],
        "revenue_wan": [55000.0, 32000.0, 11000.0, 2100.0, 110.0],
        "rd_wan": [2000.0, 500.0, 400.0, 10.0, 0.0],
        "industry": ["3731", "3670", "1391", "2110", "7299"],
        "enterprise_zh": ["甲公司", "乙公司", "丙公司", "丁公司", "戊公司"],
        "high_tech": [True, False, True, False, False],
    }
    cols.update(overrides)
    geoms = [box(*PARCEL_BOXES[i]) if i in PARCEL_BOXES else shapely.Polygon() for i in cols["parcel_id"]]
    return to_gdf(geoms, **cols)


def row(table: pd.DataFrame, unit_id: str) -> pd.Series:
    sel = table[table["unit_id"].astype(str) == unit_id]
    assert len(sel) == 1, f"expected one row for {unit_id}, got {len(sel)}"
    return sel.iloc[0]


# Round benchmarks so every grading score can be worked out by hand:
# output 100 万元/亩 and tax 10 万元/亩 weigh 0.4 each, value added 10 万元/tce 0.2.
GRADING_TOML = """
[grading]
score_cap = 1.5
[grading.weights]
output_wan_per_mu = 0.4
tax_wan_per_mu = 0.4
value_added_wan_per_tce = 0.2
[grading.benchmarks]
output_wan_per_mu = 100.0
tax_wan_per_mu = 10.0
value_added_wan_per_tce = 10.0
"""

MU = 10000.0 / 15.0  # m² per 亩


def grading_frame() -> gpd.GeoDataFrame:
    """The hand-classified parcels, every one 15 亩 (10,000 m²), so per-亩 figures are the totals / 15."""
    return classified_frame(
        area_m2=[15 * MU] * 5,
        output_wan=[1500.0, 750.0, 3000.0, 450.0, 0.0],    # 100, 50, 200, 30, 0 万元/亩
        tax_wan=[150.0, 60.0, 30.0, 15.0, 0.0],            # 10, 4, 2, 1, 0 万元/亩
        value_added_wan=[1000.0, 400.0, 900.0, 50.0, 0.0],
        energy_tce=[100.0, 50.0, 100.0, 50.0, 0.0],         # 10, 8, 9, 1, — 万元/tce
    )
