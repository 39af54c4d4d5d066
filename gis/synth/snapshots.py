"""Synthetic yearly snapshots for plan monitoring (``parkgis synth --years 2020-2025``).

Starting from a set of parcels (default: the embedded synthetic sample, as the
first year), each following year changes plausibly — and every file says it is
synthetic (a ``synthetic`` column, the GeoPackage layer's description and metadata):

* parks (104): each park's output grows near the plan's rate (a rate per park
  drawn around ``density.growth_rate``, 4.5 %/year, from 1 % to 8 %; a little
  noise per parcel and year), so some parks keep to the path and some fall
  behind; new infill parcels, up to about 1 % a year where free land is left
  (they never overlap a parcel: 3,000 default parcels get ≈ 0.3–0.5 % a year,
  parks filled with 10⁵ parcels almost none); about 1 % of lots reshaped
  (5–10 % of their area);
* 195 areas: output about flat (+1 %/year);
* 198 areas: about 7 % of the industrial parcels reduced a year (removed from
  the file), about 1 % kept in the register but no longer industrial
  (``industrial`` false, 复垦), about 1.5 % partly reduced (shrunk to 60–80 %
  of their area), output of the rest −3 %/year, and a new 198 parcel or two a
  year (against the plan);
* one parcel re-registered under a new id (same geometry) in the third year;
* from the fourth year on the optional rule ``riverbank_chemical_reduce`` is on
  (a plan revision): chemical plants within 1 km of the Yangtze turn to ``reduce``.

Each snapshot is classified with the layers (and that year's rules) and carries
its ``year``. Vectorised per year (numpy and shapely array functions).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gis.errors import InputError
from gis.io.geopackage import GPKG_DATASET_OPTIONS

__all__ = ["RULE_CHANGE", "parse_years", "scale_geometries", "synth_snapshots", "write_snapshots",
           "write_synthetic_snapshots"]

#: The rule configuration of the years from the fourth on (a plan revision).
RULE_CHANGE = {"rules": {"riverbank_chemical_reduce": {"enabled": True}}}
_MONEY = ("output_wan", "revenue_wan", "value_added_wan", "tax_wan", "rd_wan", "energy_tce")
_RAW_DROP = ("area_m2", "share_104", "share_195", "share_198", "share_outside", "zone", "action", "rule", "park_id",
             "town", "riverbank_m", "yangtze_1km", "yangtze_1km_share", "in_reserve", "flags", "reason_zh", "reason_en")


def parse_years(text: str) -> list[int]:
    """``"2020-2025"`` or ``"2020,2022,2025"`` → the years (ascending, 2 to 50 of them)."""
    t = str(text).strip().replace("–", "-").replace("，", ",")
    m = re.fullmatch(r"(\d{4})\s*-\s*(\d{4})", t)
    if m:
        years = list(range(int(m.group(1)), int(m.group(2)) + 1))
    elif re.fullmatch(r"\d{4}(\s*,\s*\d{4})*", t):
        years = sorted({int(y) for y in t.split(",")})
    else:
        years = []
    if not 2 <= len(years) <= 50:
        raise InputError(f"年份“{text}”无效。", f"Invalid years '{text}'.",
                         "请写成 2020-2025 或 2020,2022,2025（至少两年）。",
                         "Write them as 2020-2025 or 2020,2022,2025 (two years at least).")
    return years


def scale_geometries(geoms: np.ndarray, factors: np.ndarray) -> np.ndarray:
    """Scale each geometry about its centroid by a linear factor (area × factor²), vectorised."""
    if not len(geoms):
        return geoms
    coords, idx = shapely.get_coordinates(geoms, return_index=True)
    c = shapely.centroid(geoms)
    centre = np.column_stack([shapely.get_x(c), shapely.get_y(c)])[idx]
    new = (coords - centre) * np.asarray(factors, dtype="float64")[idx, None] + centre
    return shapely.transform(geoms, lambda _: new)


def _new_parcels(k: int, layers, shares, rng, existing: np.ndarray, next_id: int, width: int) -> gpd.GeoDataFrame:
    """``k`` new synthetic parcels in one stratum that overlap no existing parcel; ids from ``next_id``."""
    from gis.synth.parcels import layer_land, synth_parcels

    if k <= 0:
        return gpd.GeoDataFrame()
    land = layer_land(layers)
    cand = synth_parcels(4 * k, layers.district, layers.parks, layers.construction_areas,
                         seed=int(rng.integers(2**31)), land=land, shares=shares)
    tree = shapely.STRtree(existing)
    hit = np.unique(tree.query(cand.geometry.to_numpy(), predicate="intersects")[0])
    cand = cand.drop(index=cand.index[hit]).head(k).reset_index(drop=True)
    cand["parcel_id"] = [f"P{i:0{width}d}" for i in range(next_id, next_id + len(cand))]
    return cand


def _grow(cur: gpd.GeoDataFrame, zone: np.ndarray, park: np.ndarray, rates: dict, g: float, rng) -> None:
    """This year's output and related figures (in place): parks at their rate, 195 flat, 198 declining."""
    n = len(cur)
    rate = np.where(zone == "195", 0.01, np.where(zone == "198", -0.03, g))
    rate = np.where(zone == "104", pd.Series(park).map(rates).fillna(g).to_numpy(dtype="float64"), rate)
    f = (1.0 + rate) * np.exp(rng.normal(0.0, 0.04, n))
    f = np.where(cur["industrial"].to_numpy(dtype=bool), f, 0.0)
    for c in _MONEY:
        if c in cur:
            cur[c] = np.round(pd.to_numeric(cur[c], errors="coerce").to_numpy() * f, 1)


def _evolve(cur: gpd.GeoDataFrame, zone: np.ndarray, park: np.ndarray, k: int, layers, rates, g, rng,
            width: int) -> gpd.GeoDataFrame:
    """Next year's parcels from this year's (see the module notes)."""
    _grow(cur, zone, park, rates, g, rng)
    ind = cur["industrial"].to_numpy(dtype=bool)
    u = rng.random(len(cur))
    z198 = (zone == "198") & ind
    remove = z198 & (u < 0.07)
    reclaim = z198 & (u >= 0.07) & (u < 0.08)
    shrink = z198 & (u >= 0.08) & (u < 0.095)
    reshape = (zone == "104") & (u < 0.01)
    cur.loc[reclaim, "industrial"] = False
    cur.loc[reclaim, list(c for c in _MONEY if c in cur)] = 0.0
    cur.loc[reclaim, "land_use"] = "复垦 reclaimed"
    geoms = cur.geometry.to_numpy().copy()
    geoms[shrink] = scale_geometries(geoms[shrink], np.sqrt(rng.uniform(0.6, 0.8, int(shrink.sum()))))
    grow = np.where(rng.random(int(reshape.sum())) < 0.5, -1.0, 1.0) * rng.uniform(0.05, 0.10, int(reshape.sum()))
    geoms[reshape] = scale_geometries(geoms[reshape], np.sqrt(1.0 + grow))
    cur = cur.set_geometry(geoms)
    keep = cur.loc[~remove].reset_index(drop=True)
    if k == 2:  # one parcel re-registered under a new id, same geometry
        pos = np.flatnonzero((zone[~remove] == "195") & keep["industrial"].to_numpy(dtype=bool))
        if pos.size:
            keep.loc[pos[0], "parcel_id"] = f"P{_max_id(keep) + 1:0{width}d}"
    next_id = _max_id(keep) + 1
    n_park = max(1, int(round(0.01 * int((zone == "104").sum()))))
    parks_new = _new_parcels(n_park, layers, (1.0, 0.0, 0.0), rng, keep.geometry.to_numpy(), next_id, width)
    existing = np.concatenate([keep.geometry.to_numpy(), parks_new.geometry.to_numpy()]) if len(parks_new) \
        else keep.geometry.to_numpy()
    rural_new = _new_parcels(int(rng.integers(1, 3)), layers, (0.0, 0.0, 1.0), rng, existing,
                             next_id + len(parks_new), width)
    new = [f for f in (parks_new, rural_new) if len(f)]
    for f in new:
        f["industrial"] = True
    return pd.concat([keep, *[f[keep.columns.intersection(f.columns)] for f in new]], ignore_index=True) \
        if new else keep


def _max_id(frame: pd.DataFrame) -> int:
    num = pd.to_numeric(frame["parcel_id"].astype(str).str.extract(r"(\d+)$")[0], errors="coerce")
    return int(num.max()) if num.notna().any() else 0


def synth_snapshots(years: Sequence[int], layers=None, parcels: gpd.GeoDataFrame | None = None, *, seed: int = 0,
                    targets=None) -> dict[int, gpd.GeoDataFrame]:
    """Classified synthetic snapshots, one per year (see the module notes).

    Parameters
    ----------
    years : sequence of int
        Ascending; the first takes ``parcels`` as they are.
    layers : LayerSet or layer source, optional
        Default: the embedded Chongming layers.
    parcels : GeoDataFrame, optional
        The first year's raw parcels (DESIGN §5 fields; default: the embedded synthetic sample).
    seed : int
        The same seed, parcels and layers give the same snapshots.
    targets : path or Targets, optional
        For the plan's growth rate.

    Returns
    -------
    dict of year → geopandas.GeoDataFrame
        DESIGN §4 columns, the attributes, ``industrial``, ``year`` and ``synthetic`` (True).
    """
    from gis.classification.classify import classify
    from gis.classification.parcels import sample_parcels
    from gis.layers.layerset import LayerSet, load_layers
    from gis.planning.targets import load_targets

    ls = layers if isinstance(layers, LayerSet) else load_layers(layers)
    years = sorted(int(y) for y in years)
    if parcels is None:
        import pyogrio

        path, layer = sample_parcels()
        parcels = pyogrio.read_dataframe(path, layer=layer)
    g = load_targets(targets).number("density.growth_rate")
    rng = np.random.default_rng(seed)
    ids = ls.parks["park_id"].astype(str).tolist()
    rates = dict(zip(ids, np.clip(rng.normal(g, 0.015, len(ids)), 0.01, 0.08), strict=True))
    width = max(7, int(parcels["parcel_id"].astype(str).str.len().max()) - 1)
    cur = gpd.GeoDataFrame(parcels.drop(columns=[c for c in _RAW_DROP if c in parcels.columns]), crs=parcels.crs)
    cur["industrial"] = True
    out = {}
    for k, year in enumerate(years):
        rules = RULE_CHANGE if k >= 3 else None
        classified = classify(cur.drop(columns=["year", "synthetic"], errors="ignore"), ls, rules)
        classified["year"] = year
        classified["synthetic"] = True
        out[year] = classified
        if k + 1 < len(years):
            zone = classified["zone"].to_numpy(dtype=object)
            park = classified["park_id"].to_numpy(dtype=object)
            cur = _evolve(cur, zone, park, k + 1, ls, rates, g, rng, width)
    return out


def write_snapshots(snaps: dict[int, gpd.GeoDataFrame], out_dir, *, inputs=()) -> list[Path]:
    """Write each year as ``<out_dir>/parcels_<year>.gpkg`` (layer ``parcels``), marked synthetic.

    The layer's description and the GeoPackage metadata say ``SYNTHETIC``; each
    row has ``synthetic = True``. Writes are atomic and never over an input.
    """
    import pyogrio

    from gis.io.safe_write import atomic_output, check_not_input

    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError(f"“{out}”是文件：--years 时 -o 须为文件夹。",
                         f"'{out}' is a file: with --years, -o is a folder.",
                         "请给出一个文件夹（不存在时会新建）。", "Give a folder (it is created when missing).")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for year, gdf in sorted(snaps.items()):
        p = out / f"parcels_{year}.gpkg"
        check_not_input(p, inputs)
        meta = {"synthetic": "true", "year": str(year), "generator": "parkgis synth --years",
                "note": "SYNTHETIC parcels, not real enterprises / 合成数据，非真实企业"}
        with atomic_output(p) as tmp:
            pyogrio.write_dataframe(gdf, tmp, layer="parcels", driver="GPKG", dataset_metadata=meta,
                                    dataset_options=GPKG_DATASET_OPTIONS,
                                    layer_metadata=meta, layer_options={
                                        "DESCRIPTION": f"SYNTHETIC industrial parcels {year} (not real data) / "
                                                       f"{year} 年合成工业地块（非真实数据）"})
        written.append(p)
    return written


def write_synthetic_snapshots(years, out_dir, layers=None, *, n: int | None = None, seed: int = 0) -> list[Path]:
    """``parkgis synth --years``: synthetic yearly snapshots written to ``out_dir`` (one GeoPackage a year).

    Parameters
    ----------
    years : str or sequence of int
        ``"2020-2025"``, ``"2020,2022,2025"`` (:func:`parse_years`) or the years.
    out_dir : str or Path
        A folder (created when missing); never the layer source.
    layers : LayerSet or layer source, optional
        Default: the embedded Chongming layers.
    n : int, optional
        Number of synthetic parcels in the first year (default: the embedded sample parcels).
    seed : int

    Returns
    -------
    list of Path
        The files written, ``parcels_<year>.gpkg``.
    """
    from gis.layers.layerset import LayerSet, load_layers
    from gis.synth.parcels import layer_land, synth_parcels

    ys = parse_years(years) if isinstance(years, str) else sorted(int(y) for y in years)
    ls = layers if isinstance(layers, LayerSet) else load_layers(layers)
    inputs = [layers] if layers and not isinstance(layers, LayerSet) else []
    inputs += [m["file"] for m in ls.meta.values() if m.get("file")]
    first = None
    if n is not None:
        first = synth_parcels(n, ls.district, ls.parks, ls.construction_areas, seed=seed,
                              land=layer_land(ls))
    return write_snapshots(synth_snapshots(ys, ls, first, seed=seed), out_dir, inputs=inputs)
