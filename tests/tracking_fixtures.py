"""Small, hand-checkable yearly snapshots for the plan-monitoring tests (gis.planning.tracking).

The layers are those of :mod:`density_fixtures` (a 10 km test district, parks
P1 2 km² and P2 1 km², construction areas and towns 东镇 / 西镇). The parcels
are boxes in the working CRS (metres), raw (classified by ``gis.classify``):

====== ============================ ======= ==== ====== =========================================
id     box (m)                      area    zone town   history (output 万元)
====== ============================ ======= ==== ====== =========================================
a      1100,1100 – 1600,1600        25 ha   104  东镇   P1; 50,000 → 55,000 (2021) → 60,000 (2023)
b      2000,1200 – 2500,1700        25 ha   104  东镇   P1; 30,000 → 30,000 → 34,000
c      5100,5100 – 5600,5300        10 ha   104  西镇   P2; 10,000 throughout
d      3500,3500 – 3800,3800         9 ha   195  东镇   2,000; re-registered as "d2" in 2023
e      7000,2000 – 7500,2500        25 ha   198  西镇   100; shrunk to 7000,2000 – 7500,2300 (15 ha)
                                                        in 2021; removed in 2023
f      8000,1200 – 8200,1300         2 ha   198  西镇   new in 2021 (against the plan): 50
====== ============================ ======= ==== ====== =========================================

So P1: 8 亿元 / 0.5 km² = 16 亿元/km² (2020), 17 (2021), 18.8 (2023); P2: 10
throughout. 198 land of 西镇: 25 ha (2020), 15 + 2 = 17 ha (2021), 2 ha (2023).
"""

from __future__ import annotations

import geopandas as gpd
from density_fixtures import box, to_gdf

BOXES = {
    "a": (1100, 1100, 1600, 1600), "b": (2000, 1200, 2500, 1700), "c": (5100, 5100, 5600, 5300),
    "d": (3500, 3500, 3800, 3800), "e": (7000, 2000, 7500, 2500), "e_small": (7000, 2000, 7500, 2300),
    "f": (8000, 1200, 8200, 1300),
}


def snapshot(rows: list[tuple[str, str, float]], **extra) -> gpd.GeoDataFrame:
    """Raw parcels from (id, box name, output 万元) rows; ``extra`` columns as lists."""
    cols = {"parcel_id": [r[0] for r in rows], "output_wan": [float(r[2]) for r in rows],
            "industry": ["3731"] * len(rows), **extra}
    return to_gdf([box(*BOXES[r[1]]) for r in rows], **cols)


def hand_snapshots() -> dict[int, gpd.GeoDataFrame]:
    """The three years of the module docstring: 2020, 2021 and 2023."""
    return {
        2020: snapshot([("a", "a", 50000), ("b", "b", 30000), ("c", "c", 10000), ("d", "d", 2000),
                        ("e", "e", 100)]),
        2021: snapshot([("a", "a", 55000), ("b", "b", 30000), ("c", "c", 10000), ("d", "d", 2000),
                        ("e", "e_small", 100), ("f", "f", 50)]),
        2023: snapshot([("a", "a", 60000), ("b", "b", 34000), ("c", "c", 10000), ("d2", "d", 2000),
                        ("f", "f", 50)]),
    }
