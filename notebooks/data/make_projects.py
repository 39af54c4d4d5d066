"""Write ``projects.csv``: a batch of proposed projects for ``03_siting_check.ipynb``.

The projects are invented (names, figures) and placed on the embedded, partly
illustrative Chongming layers so that the batch shows every kind of answer:
allowed, review (195 area, low output density, positioning or energy, strategic
reserve), prohibited (198 area, chemicals by the riverbank) and two rows that
cannot be checked (an invalid industry code, a site outside the district).

The coordinates are written in **GCJ-02**, as a planner copies them from Amap
(高德地图) or Tencent maps: the notebook checks the file with ``datum="gcj02"``.
They are defined below in WGS84 and shifted with :func:`gis.geodesy.crs.wgs84_to_gcj02`,
so the file is reproducible: ``python notebooks/data/make_projects.py``.

Columns (see ``gis.siting.sites.ATTRIBUTES``): ``project_id``, ``name``, ``lon``,
``lat`` (GCJ-02 degrees), ``radius_m`` (the site as a circle; empty = a point),
``industry`` (GB/T 4754-2017 code), ``land_m2`` (m²), ``output_wan``,
``value_added_wan`` (万元 per year), ``energy_tce`` (tce per year).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from gis.geodesy.datums import wgs84_to_gcj02

HERE = Path(__file__).resolve().parent
COLUMNS = ["project_id", "name", "lon", "lat", "radius_m", "industry", "land_m2", "output_wan",
           "value_added_wan", "energy_tce"]

# project_id, name, WGS84 lon, lat, radius_m, industry, land_m2, output_wan, value_added_wan, energy_tce
PROJECTS = [
    # in 崇明工业园区, electrical machinery (division 38 is a leading industry), dense and frugal
    ("P01", "电机制造项目", 121.43000, 31.66000, "", "3812", 40000, 15000, 3500, 200),
    # in the Changxing base more than 1 km from the riverbank, ship equipment (373)
    ("P02", "船舶配套设备项目", 121.75195, 31.35315, "100", "3734", 50000, 20000, 4000, 250),
    # in 智慧岛数据产业园, internet data services (non-manufacturing, division 64)
    ("P03", "互联网数据服务中心", 121.80838, 31.51503, "", "6450", 20000, 8000, 3000, 150),
    # in the agri-food park, but its output per land is below 25 亿元/km²
    ("P04", "农产品加工项目", 121.61762, 31.61156, "", "1371", 30000, 4500, 900, 60),
    # manufacturing in the 195 area of 城桥镇
    ("P05", "五金制品扩建", 121.39000, 31.63500, "", "3399", 10000, 3000, 600, 40),
    # manufacturing in the countryside (198)
    ("P06", "塑料制品项目", 121.45000, 31.72000, "", "2927", 15000, 3000, 500, 40),
    # chemicals 490 m from the riverbank in the Changxing base
    ("P07", "有机化工原料项目", 121.74816, 31.34693, "150", "2614", 60000, 50000, 8000, 900),
    # warehousing on Hengsha island (strategic reserve)
    ("P08", "横沙物流仓储", 121.87000, 31.33000, "", "5990", 25000, 2000, 800, 30),
    # food manufacturing in 富盛经济开发区 (not its positioning) with high energy use
    ("P09", "食品加工（高能耗）", 121.55160, 31.61200, "", "1431", 20000, 6000, 800, 120),
    # a typo in the industry code: reported on its row, the batch goes on
    ("P10", "行业代码有误的项目", 121.42500, 31.65500, "", "33A", 10000, 2000, 400, 20),
    # in 浦东新区, outside the district: reported on its row
    ("P11", "区外项目（浦东）", 121.54400, 31.22100, "", "3399", 10000, 2000, 400, 20),
]


def rows() -> list[dict]:
    """The projects as CSV rows, coordinates shifted to GCJ-02 and rounded to 1e-6° (≈ 0.1 m)."""
    out = []
    for pid, name, lon, lat, radius, industry, land, output, va, energy in PROJECTS:
        glon, glat = wgs84_to_gcj02(lon, lat)
        out.append({"project_id": pid, "name": name, "lon": f"{float(glon):.6f}", "lat": f"{float(glat):.6f}",
                    "radius_m": radius, "industry": industry, "land_m2": land, "output_wan": output,
                    "value_added_wan": va, "energy_tce": energy})
    return out


def write(path: Path = HERE / "projects.csv") -> Path:
    """Write the CSV (UTF-8 with BOM, so Excel shows the Chinese names)."""
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows())
    return path


if __name__ == "__main__":
    print(write(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "projects.csv"))
