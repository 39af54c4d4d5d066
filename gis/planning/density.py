"""Output density per unit (park, zone, town, district, a user's polygons) against the plan's targets.

One row per unit, columns as DESIGN §4b: ``unit_type, unit_id, name_zh, name_en,
parcels, land_km2, unit_area_km2, output_yi, density_yi_per_km2,
unit_density_yi_per_km2, target_yi_per_km2, gap_yi_per_km2, meets_target``,
then land in 亩, tax, value added, employees, labour productivity, energy
intensity, the further targets (park output, Zhangjiang Chongming park's
labour productivity, R&D share and high-tech count), the projection to the
target year and ``not_evaluated``.

How a parcel is counted
-----------------------
``apportion="largest"`` (default): wholly to the unit holding its largest share,
as the classification decided (``park_id``, ``zone``, ``town``; DESIGN §4), so
``land_km2`` is the sum of whole parcels' ``area_m2``. For a user layer the
parcel goes to the unit holding the largest part of it (like ``town``).
``apportion="share"``: every figure is split by the parcel's area share in each
unit (a parcel half in a park counts half its output and half its land there).

Gaps are shortfalls: ``gap = target − actual`` for figures where more is better
(density, output, productivity, R&D, high-tech count) and ``actual − target`` for
energy intensity, so a positive gap is always how far a unit falls short.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gis.engine.coverage import build_coverage, coverage_shares
from gis.errors import FieldError
from gis.geodesy.crs import WGS84, to_work
from gis.planning.categories import category_table
from gis.planning.density_columns import (
    CATEGORY_HEADERS,
    DENSITY_COLUMNS,
    DENSITY_HEADERS,
    ZONE_NAMES,
)
from gis.planning.target_gaps import apply_targets
from gis.planning.targets import load_targets
from gis.planning.values import (
    M2_PER_MU,
    YI_PER_WAN,
    parcel_values,
    parse_bool,
    require_columns,
)

__all__ = ["CATEGORY_HEADERS", "DENSITY_COLUMNS", "DENSITY_HEADERS", "UNIT_TYPES", "categories", "density"]

UNIT_TYPES = ("park", "zone", "town", "district")
# Measures → the value fields they need (for not_evaluated).
_NEEDS = {"tax": ("tax_wan",), "value_added": ("value_added_wan",), "employees": ("employees",),
          "labour_productivity": ("value_added_wan", "employees"),
          "energy_intensity": ("energy_tce", "value_added_wan"), "rd_share": ("rd_wan", "revenue_wan")}


def density(classified: gpd.GeoDataFrame, layers, by="park", targets=None, apportion: str = "largest", *,
            unit_id_field: str | None = None, unit_type: str | None = None) -> pd.DataFrame:
    """Output density per unit against the plan's targets (DESIGN §4b).

    Parameters
    ----------
    classified : geopandas.GeoDataFrame
        Output of :func:`gis.classify` (DESIGN §4 columns) with ``output_wan`` (万元)
        and any optional value fields of DESIGN §5.
    layers : gis.layers.layerset.LayerSet
    by : {"park", "zone", "town", "district"}, GeoDataFrame, path, or a list of these
        The units. A GeoDataFrame or a vector file gives a user layer (its id
        field: ``unit_id_field``). A list gives the tables one after another.
    targets : str, Path or gis.planning.targets.Targets, optional
        A targets TOML merged over the defaults (``gis/data/targets.toml``).
    apportion : {"largest", "share"}
        Count a parcel wholly to the unit holding its largest share, or split it by area share.
    unit_id_field : str, optional
        Id field of a user layer (default: ``unit_id``, ``id``, ``name_zh`` or ``name``, the first present).
    unit_type : str, optional
        ``unit_type`` of a user layer's rows (default: the file's name, else ``"user"``).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`DENSITY_COLUMNS`; ``attrs["notes"]`` holds bilingual notes
        (fields not evaluated, units warnings, target sources).

    Raises
    ------
    FieldError
        Missing ``output_wan`` or classification columns; negative, NaN or non-numeric values (naming the parcels).
    """
    if isinstance(by, (list, tuple)):
        parts = [density(classified, layers, b, targets, apportion, unit_id_field=unit_id_field,
                         unit_type=unit_type) for b in by]
        out = pd.concat(parts, ignore_index=True)
        out.attrs["notes"] = list(dict.fromkeys(n for p in parts for n in p.attrs.get("notes", [])))
        return out
    if apportion not in ("largest", "share"):
        raise FieldError(f"apportion 须为 largest 或 share，现为 {apportion!r}。",
                         f"apportion must be 'largest' or 'share', not {apportion!r}.")
    t = load_targets(targets)
    require_columns(classified, ["parcel_id", "area_m2", "zone", "park_id", "town", "share_outside"],
                    "分类结果", "The classified parcels",
                    "请先运行 parkgis classify（或 gis.classification.classify）。",
                    "Classify the parcels first (parkgis classify).")
    vals, notes = parcel_values(classified, checks=t.get("checks"))
    utype, units, rows, uidx, w, unotes = _assign(classified, layers, by, apportion, unit_id_field, unit_type)
    notes += unotes
    table = _aggregate(classified, vals, units, rows, uidx, w, notes)
    table.insert(0, "unit_type", utype)
    kind = utype if utype in UNIT_TYPES else "user"
    notes += apply_targets(table, kind, t, layers.parks if kind == "park" else None)
    table = table.reindex(columns=DENSITY_COLUMNS)
    table.attrs["notes"] = list(dict.fromkeys(notes))
    table.attrs["targets_source"] = t.source
    return table


def categories(classified: pd.DataFrame, targets=None, apportion: str = "largest") -> pd.DataFrame:
    """Output per 1+3+X category of the parcels inside the district against the plan's targets.

    Returns a table ``category, name_zh, name_en, parcels, output_yi,
    share_of_district_pct, target_yi, gap_yi, meets_target`` (see
    :func:`gis.planning.categories.category_table`); ``attrs["notes"]`` as for :func:`density`.
    """
    t = load_targets(targets)
    require_columns(classified, ["parcel_id", "zone", "share_outside"], "分类结果", "The classified parcels",
                    "请先运行 parkgis classify。", "Classify the parcels first.")
    _, notes = parcel_values(classified, fields=["output_wan"], checks=t.get("checks"))
    if apportion == "share":
        w = 1.0 - pd.to_numeric(classified["share_outside"], errors="coerce").fillna(1.0).to_numpy()
        inside = w > 0
        table, more = category_table(classified.loc[inside], t, weights=w[inside])
    else:
        table, more = category_table(classified.loc[classified["zone"].notna()], t)
    table.attrs["notes"] = notes + more
    return table


# --------------------------------------------------------------------------- units


def _names(gdf: pd.DataFrame, zh: str, en: str) -> tuple[np.ndarray, np.ndarray]:
    n = len(gdf)
    z = gdf[zh].to_numpy(dtype=object) if zh in gdf.columns else np.full(n, None, dtype=object)
    e = gdf[en].to_numpy(dtype=object) if en in gdf.columns else np.full(n, None, dtype=object)
    return z, e


def _dissolve(ids: np.ndarray, geoms_w: np.ndarray, zh: np.ndarray, en: np.ndarray) -> pd.DataFrame:
    """One row per id: first names, union area (km²), union geometry (metres)."""
    frame = pd.DataFrame({"unit_id": ids.astype(str), "name_zh": zh, "name_en": en, "g": geoms_w})
    frame = frame[frame["unit_id"].ne("None") & frame["unit_id"].ne("nan")]
    grouped = frame.groupby("unit_id", sort=False)
    units = grouped.agg(name_zh=("name_zh", "first"), name_en=("name_en", "first")).reset_index()
    geoms = grouped["g"].agg(lambda s: shapely.union_all(s.to_numpy())).reindex(units["unit_id"]).to_numpy()
    units["geom"] = geoms
    units["unit_area_km2"] = shapely.area(geoms.astype(object)) / 1e6
    return units


def _town_units(layers) -> tuple[pd.DataFrame, str]:
    role = "towns" if layers.towns is not None else "construction_areas"
    gdf = layers.layer(role)
    zh, en = _names(gdf, "town_zh", "town_en")
    ids = np.where(pd.notna(zh), zh, en).astype(object)
    return _dissolve(ids, layers.work(role), zh, en), role


def _user_units(by, unit_id_field: str | None) -> tuple[str, pd.DataFrame]:
    if isinstance(by, gpd.GeoDataFrame):
        gdf, name = by, "user"
    else:
        from gis.io.vector import read_vector

        p = Path(by)
        gdf, name = read_vector(p), p.stem
    if gdf.crs is None:
        raise FieldError("单元图层没有坐标参考系（CRS）。", "The unit layer has no CRS.",
                         "请先为图层设置 CRS。", "Set the layer's CRS first.")
    cands = [unit_id_field] if unit_id_field else ["unit_id", "id", "name_zh", "name"]
    field = next((c for c in cands if c in gdf.columns), None)
    if field is None:
        require_columns(gdf, cands[:1], f"单元图层“{name}”", f"Unit layer '{name}'",
                        "请用 --unit-id-field 指定编号字段。", "Name its id field with --unit-id-field.")
    zh, en = _names(gdf, "name_zh", "name_en")
    if "name" in gdf.columns:
        zh = np.where(pd.notna(zh), zh, gdf["name"].to_numpy(dtype=object))
    geoms = to_work(gdf.geometry.to_numpy(), gdf.crs)
    return name, _dissolve(gdf[field].to_numpy(dtype=object), geoms, zh, en)


def _shares(classified: gpd.GeoDataFrame, units: pd.DataFrame, max_cells: int = 5_000_000) -> np.ndarray:
    """Area share of every parcel in every unit, (n, k), chunked to bound memory."""
    crs = classified.crs or WGS84
    geoms = to_work(classified.geometry.to_numpy(), crs)
    own = shapely.area(geoms)
    cov = build_coverage(units["geom"].to_numpy(), np.arange(len(units)))
    n, k = len(geoms), len(units)
    out = np.zeros((n, k))
    step = max(1, max_cells // max(k, 1))
    for s in range(0, n, step):  # a few chunks, not a per-parcel loop
        sh = coverage_shares(geoms[s:s + step], own[s:s + step], cov)
        out[s:s + step, np.asarray(cov.names, dtype=int)] = sh
    return out


def _assign(classified, layers, by, apportion, unit_id_field, unit_type):
    """Units and (parcel row, unit index, weight) pairs."""
    n = len(classified)
    notes: list[str] = []
    shares = None
    if isinstance(by, str) and by in UNIT_TYPES:
        utype = by
        if by == "park":
            zh, en = _names(layers.parks, "name_zh", "name_en")
            units = _dissolve(layers.parks["park_id"].to_numpy(dtype=object), layers.work("parks"), zh, en)
            label = classified["park_id"]
        elif by == "zone":
            geoms = [layers.work_union(f"zone_{z}") for z in ZONE_NAMES]
            units = pd.DataFrame({"unit_id": list(ZONE_NAMES), "name_zh": [v[0] for v in ZONE_NAMES.values()],
                                  "name_en": [v[1] for v in ZONE_NAMES.values()],
                                  "unit_area_km2": shapely.area(np.array(geoms, dtype=object)) / 1e6})
            label = classified["zone"]
            if apportion == "share":
                require_columns(classified, ["share_104", "share_195", "share_198"], "分类结果",
                                "The classified parcels")
                shares = np.column_stack([pd.to_numeric(classified[f"share_{z}"], errors="coerce").fillna(0)
                                          for z in ZONE_NAMES])
        elif by == "town":
            units, role = _town_units(layers)
            if role != "towns":
                notes.append("乡镇单元：无 towns 图层，单元面积为乡镇集中建设区面积 / town units: no towns layer, "
                              "so a town's area is that of its construction areas")
            label = classified["town"]
        else:
            d = layers.district
            zh = d["name_zh"].dropna().iloc[0] if "name_zh" in d and d["name_zh"].notna().any() else "全区"
            en = d["name_en"].dropna().iloc[0] if "name_en" in d and d["name_en"].notna().any() else "district"
            units = pd.DataFrame({"unit_id": [str(zh)], "name_zh": [zh], "name_en": [en],
                                  "unit_area_km2": [shapely.area(layers.work_union("district")) / 1e6]})
            label = pd.Series(np.where(classified["zone"].notna(), str(zh), None), index=classified.index)
            if apportion == "share":
                shares = (1.0 - pd.to_numeric(classified["share_outside"], errors="coerce").fillna(1.0)
                          ).to_numpy()[:, None]
        if apportion == "share" and shares is None:
            shares = _shares(classified, units)
    else:
        name, units = _user_units(by, unit_id_field)
        utype = unit_type or name
        shares = _shares(classified, units)
        if apportion == "largest":
            best = shares.argmax(axis=1)
            has = shares[np.arange(n), best] > 0
            label = pd.Series(np.where(has, units["unit_id"].to_numpy()[best], None), index=classified.index)
    units = units.drop(columns=["geom"], errors="ignore").reset_index(drop=True)
    if apportion == "share":
        rows, uidx = np.nonzero(shares > 0)
        return utype, units, rows, uidx, shares[rows, uidx], notes
    lab = label.astype(object).where(label.notna(), None).map(lambda v: None if v is None else str(v))
    known = lab.isin(units["unit_id"]).to_numpy()
    extra = sorted(set(lab[lab.notna() & ~known]))
    if extra:  # a label the layers do not hold (e.g. a town with no polygon): keep it, area unknown
        notes.append(f"单元 {', '.join(extra)} 在图层中无面，单元面积未评估 / units {', '.join(extra)} have no "
                     f"polygon in the layers: unit area not evaluated")
        units = pd.concat([units, pd.DataFrame({"unit_id": extra, "unit_area_km2": np.nan})], ignore_index=True)
    pos = pd.Series(np.arange(len(units)), index=units["unit_id"])
    rows = np.flatnonzero(lab.notna().to_numpy())
    return utype, units, rows, pos.reindex(lab.iloc[rows]).to_numpy(), np.ones(len(rows)), notes


# --------------------------------------------------------------------------- figures


def _sum(values: np.ndarray, rows, uidx, w, k) -> np.ndarray:
    """Weighted sum per unit; NaN for a unit where any counted parcel is NaN."""
    x = values[rows] * w
    tot = np.bincount(uidx, weights=np.nan_to_num(x), minlength=k).astype("float64")  # float even when empty
    nan = np.bincount(uidx, weights=np.isnan(x).astype(float), minlength=k) > 0
    tot[nan] = np.nan
    return tot


def _ratio(a, b, scale=1.0) -> np.ndarray:
    a, b = np.asarray(a, dtype="float64"), np.asarray(b, dtype="float64")
    out = np.full(a.shape, np.nan)
    ok = np.isfinite(a) & np.isfinite(b) & (b > 0)
    out[ok] = scale * a[ok] / b[ok]
    return out


def _aggregate(classified, vals, units, rows, uidx, w, notes) -> pd.DataFrame:
    k = len(units)
    t = units[["unit_id", "name_zh", "name_en"]].copy()
    area = pd.to_numeric(classified["area_m2"], errors="coerce").fillna(0.0).to_numpy(dtype="float64")
    t["parcels"] = np.bincount(uidx, weights=(w > 0).astype(float), minlength=k).astype(int)
    land_m2 = np.bincount(uidx, weights=area[rows] * w, minlength=k)
    t["land_km2"] = land_m2 / 1e6
    t["unit_area_km2"] = units["unit_area_km2"].to_numpy(dtype="float64")
    sums = {f: (_sum(vals[f].to_numpy(), rows, uidx, w, k) if f in vals.columns else np.full(k, np.nan))
            for f in ("output_wan", "tax_wan", "value_added_wan", "revenue_wan", "rd_wan", "energy_tce",
                      "employees")}
    t["output_yi"] = sums["output_wan"] * YI_PER_WAN
    t["density_yi_per_km2"] = _ratio(t["output_yi"], t["land_km2"])
    t["unit_density_yi_per_km2"] = _ratio(t["output_yi"], t["unit_area_km2"])
    t["land_mu"] = land_m2 / M2_PER_MU
    t["tax_yi"] = sums["tax_wan"] * YI_PER_WAN
    t["value_added_yi"] = sums["value_added_wan"] * YI_PER_WAN
    t["employees"] = sums["employees"]
    t["labour_productivity_wan_per_person"] = _ratio(sums["value_added_wan"], sums["employees"])
    t["energy_tce_per_wan"] = _ratio(sums["energy_tce"], sums["value_added_wan"])
    t["revenue_yi"] = sums["revenue_wan"] * YI_PER_WAN
    t["rd_yi"] = sums["rd_wan"] * YI_PER_WAN
    t["rd_share_pct"] = _ratio(sums["rd_wan"], sums["revenue_wan"], 100.0)
    t["energy_tce"] = sums["energy_tce"]
    t["high_tech_enterprises"] = _high_tech(classified, rows, uidx, w, k, notes)
    ne = []
    for i in range(k):  # k units, not parcels: a short loop over a few dozen rows
        miss = [m for m, need in _NEEDS.items() if any(not np.isfinite(sums[f][i]) for f in need)]
        if not np.isfinite(t["high_tech_enterprises"].iloc[i]):
            miss.append("high_tech")
        ne.append(";".join(miss))
    t["not_evaluated"] = ne
    return t


def _high_tech(classified, rows, uidx, w, k, notes) -> pd.Series:
    if "high_tech" not in classified.columns:
        notes.append("未评估（缺少字段）：high_tech（高新技术企业） / not evaluated (field missing): high_tech")
        return pd.Series(np.full(k, np.nan))
    ids = classified["parcel_id"].astype(str).to_numpy()
    ht = parse_bool(classified["high_tech"], "high_tech", ids).to_numpy(dtype=object)[rows]
    if "enterprise_zh" in classified.columns:
        ent = classified["enterprise_zh"].astype(object).to_numpy()[rows]
        ent = np.where(pd.isna(ent), ids[rows], ent)
    else:
        ent = ids[rows]
        notes.append("高新技术企业按地块计数（无 enterprise_zh 字段）/ high-tech enterprises counted by parcel "
                     "(no enterprise_zh field)")
    f = pd.DataFrame({"u": uidx, "ent": ent, "ht": ht, "w": w})
    f = f[f["w"] > 0]
    unknown = f.groupby("u")["ht"].apply(lambda s: s.isna().any()).reindex(range(k), fill_value=False)
    count = f[f["ht"].eq(True)].groupby("u")["ent"].nunique().reindex(range(k), fill_value=0).astype(float)
    count[unknown.to_numpy()] = np.nan
    return count.reset_index(drop=True)
