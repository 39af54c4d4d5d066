"""Build the small example inputs of the README's tour from the embedded Chongming layers.

Run ``python examples/build_examples.py`` to rewrite the files beside this
script; ``tests/test_examples.py`` checks that the committed files are what
this script writes. Nothing here is hand-edited:

* ``parcels.shp`` (+ ``.shx .dbf .prj``, **no .cpg**) — 60 of the embedded
  synthetic parcels with Chinese enterprise names, text in GBK as older ArcGIS
  versions write it (the language-driver byte of the DBF left empty, so a
  reader has to recognise the encoding itself);
* ``picks.geojson`` — four parcels drawn by hand on Amap: coordinates in
  GCJ-02, a name and a note each, **no parcel_id**;
* ``site.txt`` — a project site as a boundary-coordinate TXT (用地红线 / 界址点坐标):
  CGCS2000 3° zone 41, X northing and Y easting with the zone prefix, GBK, CRLF;
* ``projects.csv`` — five proposed projects for a batch siting check;
* ``targets.toml`` — the plan's targets, a copy to edit.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from gis.geodesy.datums import convert_geometries  # noqa: E402
from gis.io.coordtxt import write_coordtxt  # noqa: E402
from gis.io.vector import write_vector  # noqa: E402
from gis.layers.layerset import load_layers  # noqa: E402
from gis.report.demo import SAMPLE_PROJECTS, sample_parcels_path  # noqa: E402

#: Every how-many-th embedded sample parcel goes into parcels.shp (60 of 3,000).
PARCEL_STEP = 50
#: The attributes parcels.shp keeps (money in 万元, energy in tce, employees a count).
PARCEL_FIELDS = ["parcel_id", "enterprise_zh", "industry", "land_use", "output_wan", "tax_wan", "value_added_wan",
                 "energy_tce", "employees"]

#: Hand-drawn parcels: (name, note, park or town the square is drawn in, offset east/north in m, side in m).
PICKS = [
    ("富盛路东侧厂房", "在富盛经济开发区内", ("park", "fusheng"), (0, 0), 160),
    ("工业园区北区仓库", "在崇明工业园区内", ("park", "chongming_industrial"), (300, 250), 120),
    ("新河镇加工点", "镇区边缘，集中建设区内", ("town", "新河镇"), (0, 0), 90),
    ("港西镇北侧作坊", "农村地区的零星工业用地", ("point", (121.4930, 31.7180)), (0, 0), 80),
]

#: The site of site.txt: a shipyard extension inside the Changxing marine equipment base.
SITE = {"park": "changxing_marine", "offset_m": (-150, 120), "size_m": (380, 260),
        "block_id": "CX-2024-07", "name": "长兴船舶配套项目", "use": "工业用地"}

TARGETS_TOML = """\
# 规划目标（示例，可修改）/ The plan's targets — a copy to edit.
#
# parkgis density --targets examples/targets.toml … uses the values below; a key left out keeps the
# default of the district's manufacturing plan 2021–2025. Money in 亿元 (1 亿元 = 10,000 万元),
# area in km², energy in tce. Rates and shares are fractions: write 0.045 for 4.5 %.

[plan]
# 数据所属年份 / the year the parcels' figures describe
base_year = 2024
# 目标年份 / the year the targets are set for
target_year = 2025

[density]
# 单位土地产出目标（亿元/km²）/ output per unit of industrial land, 亿元/km²
target_yi_per_km2 = 25.0
# 年增长率（小数：4.5 % 写作 0.045）/ growth per year, a fraction (0.045 = 4.5 %)
growth_rate = 0.045

[energy]
# 万元工业增加值能耗目标（吨标准煤/万元）/ energy per 10,000 yuan of value added, tce/万元
target_tce_per_wan = 0.08

[park_output.targets_yi]
# 各园区 2025 年产值目标（亿元），键为园区中文名 / each park's 2025 output target, 亿元, by Chinese name
"崇明工业园区" = 40.0
"富盛经济开发区" = 10.0
"""


def _square(lon: float, lat: float, dx_m: float, dy_m: float, w_m: float, h_m: float) -> shapely.Polygon:
    """A w × h metre rectangle whose south-west corner is (dx, dy) metres from (lon, lat), in lon/lat."""
    m_lat = 111_320.0
    m_lon = m_lat * np.cos(np.radians(lat))
    x0, y0 = lon + dx_m / m_lon, lat + dy_m / m_lat
    return shapely.box(x0, y0, x0 + w_m / m_lon, y0 + h_m / m_lat)


def _anchor(layers, kind: str, key) -> tuple[float, float]:
    """A point inside a park or a town's construction area, or a given lon/lat."""
    if kind == "point":
        return key
    if kind == "park":
        gdf = layers.parks[layers.parks["park_id"] == key]
    else:
        gdf = layers.construction_areas[layers.construction_areas["town_zh"] == key]
    p = gdf.geometry.iloc[0].representative_point()
    return p.x, p.y


def build_parcels(out: Path) -> Path:
    """``parcels.shp``: every 50th sample parcel, GBK text, no .cpg, DBF language byte empty."""
    sample = gpd.read_file(sample_parcels_path(), layer="parcels")
    gdf = sample.iloc[::PARCEL_STEP][PARCEL_FIELDS + ["geometry"]].reset_index(drop=True)
    gdf["geometry"] = shapely.set_precision(gdf.geometry.to_numpy(), 1e-7)  # 1 cm: what a register holds
    path = out / "parcels.shp"
    write_vector(gdf, path, encoding="GBK")
    path.with_suffix(".cpg").unlink(missing_ok=True)
    dbf = path.with_suffix(".dbf")
    data = bytearray(dbf.read_bytes())
    data[1:4] = bytes([124, 1, 1])  # the header's "last update" date: fixed, so the file is reproducible
    data[29] = 0  # no language driver: as old ArcGIS wrote GBK files
    dbf.write_bytes(bytes(data))
    return path


def build_picks(layers, out: Path) -> Path:
    """``picks.geojson``: four squares drawn on Amap (GCJ-02 lon/lat, 6 decimals), without ids."""
    geoms, names, notes = [], [], []
    for name, note, (kind, key), (dx, dy), side in PICKS:
        lon, lat = _anchor(layers, kind, key)
        geoms.append(_square(lon, lat, dx, dy, side, side * 0.8))
        names.append(name)
        notes.append(note)
    gcj = convert_geometries(np.array(geoms, dtype=object), "wgs84", "gcj02")
    gcj = shapely.set_precision(gcj, 1e-6)
    gdf = gpd.GeoDataFrame({"name": names, "note": notes}, geometry=gcj, crs=4326)
    path = out / "picks.geojson"
    path.write_text(gdf.to_json(ensure_ascii=False, indent=1, drop_id=True) + "\n", encoding="utf-8")
    return path


def build_site(layers, out: Path) -> Path:
    """``site.txt``: the shipyard extension as a boundary-coordinate TXT (zone 41, GBK, CRLF)."""
    lon, lat = _anchor(layers, "park", SITE["park"])
    geom = _square(lon, lat, *SITE["offset_m"], *SITE["size_m"])
    gdf = gpd.GeoDataFrame({k: [SITE[k]] for k in ("block_id", "name", "use")}, geometry=[geom], crs=4326)
    gdf.attrs["coordtxt"] = {"数据产生日期": "2024-07-01", "精度": "0.01"}
    path = out / "site.txt"
    write_coordtxt(gdf, path, zone=41, producer="示例：某船舶配套企业（非真实项目）", decimals=3)
    return path


def build_projects(out: Path) -> Path:
    """``projects.csv``: the demo's five projects (UTF-8 with BOM, WGS84 lon/lat)."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(SAMPLE_PROJECTS[0]), lineterminator="\n")
    w.writeheader()
    for row in SAMPLE_PROJECTS:
        w.writerow({k: "" if v is None else v for k, v in row.items()})
    path = out / "projects.csv"
    path.write_text(buf.getvalue(), encoding="utf-8-sig")
    return path


def build_targets(out: Path) -> Path:
    """``targets.toml``: the targets a planner edits."""
    path = out / "targets.toml"
    path.write_text(TARGETS_TOML, encoding="utf-8")
    return path


def build_all(out: Path = HERE) -> list[Path]:
    """Write every example into ``out``; return the main file of each."""
    out.mkdir(parents=True, exist_ok=True)
    layers = load_layers()
    return [build_parcels(out), build_picks(layers, out), build_site(layers, out), build_projects(out),
            build_targets(out)]


if __name__ == "__main__":
    for p in build_all():
        print(p.relative_to(HERE.parent))
