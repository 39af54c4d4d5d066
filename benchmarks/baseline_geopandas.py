#!/usr/bin/env python3
"""Baseline: the DESIGN §4 geometry columns the way a geopandas user writes them.

``overlay`` for the shares (zones, towns, the 1 km zone), ``sjoin`` for the
strategic reserve and ``sjoin_nearest`` for the riverbank distance — no tiling,
no fast paths, one call per column family. It is the yardstick of issue 10
(≥ 10× on the whole command) and, because ``overlay`` intersects every parcel
exactly, the reference of the agreement check (shares within 1e-9, zones
identical, distances within 1 m).

Both sides work in the same projection: the parcels go through
:func:`gis.geodesy.crs.to_work` (densified lon/lat edges, DESIGN §7) and the zones are
the LayerSet's own working-CRS geometries, so a difference is the engine's, not
the projection's.

Usage (whole process: read GPKG → columns → write GPKG, timings as JSON)::

    python benchmarks/baseline_geopandas.py parcels.gpkg out.gpkg [--json times.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

#: A share below this is an edge touch, not a part (as in gis.classification.classify).
SHARE_TOL = 1e-6
COLUMNS = ["area_m2", "share_104", "share_195", "share_198", "share_outside", "zone", "park_id", "town",
           "riverbank_m", "yangtze_1km", "yangtze_1km_share", "in_reserve"]


def _frame(geoms, crs, **cols) -> gpd.GeoDataFrame:
    geoms = np.asarray(geoms, dtype=object)
    return gpd.GeoDataFrame(cols, index=pd.RangeIndex(len(geoms)), geometry=geoms, crs=crs)


def _largest(ov: gpd.GeoDataFrame, key: str) -> pd.Series:
    """Per parcel (``_rid``) the ``key`` of its largest overlay piece."""
    ov = ov.assign(_a=ov.area)
    best = ov.sort_values(["_rid", "_a"], ascending=[True, False], kind="stable").drop_duplicates("_rid")
    return best.set_index("_rid")[key]


def geopandas_metrics(parcels: gpd.GeoDataFrame, layers) -> pd.DataFrame:
    """The DESIGN §4 geometry columns with geopandas ``overlay``/``sjoin``/``sjoin_nearest``.

    Parameters
    ----------
    parcels : geopandas.GeoDataFrame
        Valid polygons in EPSG:4326 (the synthetic benchmark parcels).
    layers : gis.layers.layerset.LayerSet

    Returns
    -------
    pandas.DataFrame
        :data:`COLUMNS`, one row per parcel in input order (``area_m2`` in m²,
        ``riverbank_m`` in m).
    """
    from gis.geodesy.crs import WORK_CRS, to_work

    n = len(parcels)
    p = _frame(to_work(parcels.geometry.to_numpy(), parcels.crs), WORK_CRS, _rid=np.arange(n))
    area = p.area.to_numpy()

    # Zones: one polygon per park (104), then 195 and 198.
    ls = layers
    zones = pd.concat([
        _frame(ls.work("zone_104"), WORK_CRS, zone="104", park_id=ls.zone_104["park_id"].astype(str).to_numpy()),
        _frame(ls.work("zone_195"), WORK_CRS, zone="195", park_id=None),
        _frame(ls.work("zone_198"), WORK_CRS, zone="198", park_id=None),
    ], ignore_index=True)
    ov = gpd.overlay(p, zones, how="intersection", keep_geom_type=True)
    ov["_a"] = ov.area
    shares = (ov.groupby(["_rid", "zone"])["_a"].sum().unstack("zone")
              .reindex(index=range(n), columns=["104", "195", "198"]).fillna(0.0))
    shares = shares.div(area, axis=0)
    inside = shares.sum(axis=1)
    over = inside > 1.0  # shared zone edges counted twice by rounding
    shares[over] = shares[over].div(inside[over], axis=0)
    s_out = (1.0 - shares.sum(axis=1)).clip(0.0, 1.0)
    s_out[s_out < 1e-12] = 0.0
    in_district = shares.sum(axis=1).to_numpy() > SHARE_TOL
    # idxmax takes the first maximum: ties go 104 > 195 > 198 (DESIGN §4).
    zone = np.where(in_district, shares.idxmax(axis=1).to_numpy(dtype=object), None)
    park = _largest(ov[ov["zone"] == "104"], "park_id").reindex(range(n)).to_numpy(dtype=object)
    park = np.where(zone == "104", park, None)

    town_src = ls.towns if ls.towns is not None else ls.construction_areas
    town_role = "towns" if ls.towns is not None else "construction_areas"
    towns = _frame(ls.work(town_role), WORK_CRS, town=town_src["town_zh"].astype(str).to_numpy())
    ov_t = gpd.overlay(p, towns, how="intersection", keep_geom_type=True)
    ov_t = ov_t[ov_t.area > SHARE_TOL * area[ov_t["_rid"].to_numpy()]]
    town = _largest(ov_t, "town").reindex(range(n)).to_numpy(dtype=object)
    if "town_zh" in ls.parks.columns:  # a parcel in a park takes the park's town (DESIGN §4, issue 17)
        ptown = pd.Series(park, dtype=object).map(dict(zip(ls.parks["park_id"].astype(str), ls.parks["town_zh"],
                                                             strict=True))).to_numpy(dtype=object)
        town = np.where(pd.isna(ptown), town, ptown)

    # The water side (district − land) counts as 0 m from the bank and inside the 1 km zone.
    water = ls.work("water")
    y1 = _frame(np.array([shapely.union_all(np.concatenate([ls.work("yangtze_1km"), water]))]), WORK_CRS, y=1)
    ov_y = gpd.overlay(p, y1, how="intersection", keep_geom_type=True)
    y_share = (ov_y.assign(_a=ov_y.area).groupby("_rid")["_a"].sum()
               .reindex(range(n)).fillna(0.0).to_numpy() / area)

    river = _frame(ls.work("riverbank"), WORK_CRS)
    near = gpd.sjoin_nearest(p, river, how="left", distance_col="riverbank_m")
    river_m = near.groupby("_rid")["riverbank_m"].min().reindex(range(n)).to_numpy()
    if len(water):
        ov_w = gpd.overlay(p, _frame(water, WORK_CRS), how="intersection", keep_geom_type=True)
        wet_a = ov_w.assign(_a=ov_w.area).groupby("_rid")["_a"].sum().reindex(range(n)).fillna(0.0).to_numpy()
        river_m = np.where(wet_a > SHARE_TOL * area, 0.0, river_m)

    in_reserve = np.zeros(n, dtype=bool)
    if ls.strategic_reserve is not None:
        hit = gpd.sjoin(p, _frame(ls.work("strategic_reserve"), WORK_CRS), predicate="intersects")
        in_reserve[np.unique(hit["_rid"].to_numpy())] = True

    return pd.DataFrame({
        "area_m2": area,
        "share_104": shares["104"].to_numpy(), "share_195": shares["195"].to_numpy(),
        "share_198": shares["198"].to_numpy(), "share_outside": s_out.to_numpy(),
        "zone": zone, "park_id": park, "town": town,
        "riverbank_m": river_m, "yangtze_1km": river_m <= ls.buffer_m,
        "yangtze_1km_share": np.clip(y_share, 0.0, 1.0),
        "in_reserve": in_reserve,
    })


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("parcels")
    ap.add_argument("output", help="GeoPackage written with geopandas' defaults (spatial index on)")
    ap.add_argument("--json", default=None, help="write the phase timings (s) here")
    args = ap.parse_args(argv)

    from gis.layers.layerset import load_layers

    times = {}
    t0 = time.perf_counter()
    layers = load_layers()
    times["layers_s"] = time.perf_counter() - t0
    t = time.perf_counter()
    parcels = gpd.read_file(args.parcels, use_arrow=True)
    times["read_s"] = time.perf_counter() - t
    t = time.perf_counter()
    cols = geopandas_metrics(parcels, layers)
    times["compute_s"] = time.perf_counter() - t
    t = time.perf_counter()
    out = pd.concat([parcels.drop(columns="geometry").reset_index(drop=True), cols], axis=1)
    gpd.GeoDataFrame(out, geometry=parcels.geometry.to_numpy(), crs=parcels.crs).to_file(args.output)
    times["write_s"] = time.perf_counter() - t
    times["total_s"] = time.perf_counter() - t0
    if args.json:
        with open(args.json, "w") as f:
            json.dump(times, f)
    print(json.dumps(times), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
