"""Parcels and land by action per zone, park and town: the report's first tables."""

from __future__ import annotations

import numpy as np
import pandas as pd

from gis.layers.layerset import LayerSet
from gis.maps.style import ACTIONS
from gis.units import M2_PER_MU

__all__ = ["ACTION_ORDER", "SUMMARY_HEADERS", "action_summary"]

ACTION_ORDER = ("upgrade", "transform", "reduce")
ACTION_NAMES = {a: ACTIONS[a][:2] for a in ACTION_ORDER}
NONE_LABEL = {"zone": ("区外", "outside the district"), "park": ("园区外", "outside the parks"),
              "town": ("集中建设区外", "outside the construction areas")}

#: Headers of the per-unit action summaries (see :func:`action_summary`).
SUMMARY_HEADERS = {
    "unit_type": ("单元类型", "Unit type", ""), "unit_id": ("单元编号", "Unit ID", ""),
    "parcels": ("地块数", "Parcels", "个 count"), "area_km2": ("用地面积", "Land", "km²"),
    "area_mu": ("用地面积", "Land", "亩 mu"), "share_of_area": ("面积占比", "Share of land", "0–1"),
    **{f"parcels_{a}": (f"{zh}地块数", f"Parcels: {en}", "个 count") for a, (zh, en) in ACTION_NAMES.items()},
    **{f"area_km2_{a}": (f"{zh}用地", f"Land: {en}", "km²") for a, (zh, en) in ACTION_NAMES.items()},
    "parcels_unclassified": ("未分类地块数", "Parcels: unclassified", "个 count"),
}


def _unit_key(classified: pd.DataFrame, kind: str) -> pd.Series:
    col = {"zone": "zone", "park": "park_id", "town": "town"}[kind]
    s = classified[col].astype(object)
    return s.where(s.notna(), None).map(lambda v: None if v is None else str(v))


def action_summary(classified: pd.DataFrame, kind: str, layers: LayerSet) -> pd.DataFrame:
    """Parcels and land (total and per action) per zone, park or town, with a total row.

    Parameters
    ----------
    classified : pandas.DataFrame
        Output of :func:`gis.classify`.
    kind : {"zone", "park", "town"}
    layers : LayerSet
        For the unit names and the units without parcels.

    Returns
    -------
    pandas.DataFrame
        ``unit_type, unit_id, name_zh, name_en, parcels, area_km2, area_mu,
        share_of_area``, then ``parcels_<action>`` and ``area_km2_<action>``
        for upgrade/transform/reduce and ``parcels_unclassified``. Parcels in
        no unit form one row ("园区外 outside the parks" …); the last row is the total.
    """
    key = _unit_key(classified, kind)
    area = pd.to_numeric(classified["area_m2"], errors="coerce").fillna(0.0).to_numpy(dtype="float64")
    action = classified["action"].astype(object).where(classified["action"].notna(), None).to_numpy()
    f = pd.DataFrame({"unit": key.fillna("\uffff").to_numpy(dtype=object), "area": area, "action": action})
    ids, names = _unit_names(kind, layers)
    present = sorted(set(f["unit"]) - set(ids) - {"\uffff"})
    order = ids + present + (["\uffff"] if (f["unit"] == "\uffff").any() else [])
    g = f.groupby("unit", sort=False)
    out = pd.DataFrame(index=pd.Index(order, name="unit"))
    out["parcels"] = g.size().reindex(order).fillna(0).astype("int64")
    out["area_km2"] = g["area"].sum().reindex(order).fillna(0.0) / 1e6
    for a in ACTION_ORDER:
        sub = f[f["action"] == a].groupby("unit", sort=False)
        out[f"parcels_{a}"] = sub.size().reindex(order).fillna(0).astype("int64")
        out[f"area_km2_{a}"] = sub["area"].sum().reindex(order).fillna(0.0) / 1e6
    out["parcels_unclassified"] = out["parcels"] - out[[f"parcels_{a}" for a in ACTION_ORDER]].sum(axis=1)
    total = out.sum(axis=0).to_frame().T
    total.index = ["\ufffftotal"]
    out = pd.concat([out, total])
    none_zh, none_en = NONE_LABEL[kind]
    zh = [names.get(u, (u, u))[0] if u not in ("\uffff", "\ufffftotal") else
          (none_zh if u == "\uffff" else "合计") for u in out.index]
    en = [names.get(u, (u, u))[1] if u not in ("\uffff", "\ufffftotal") else
          (none_en if u == "\uffff" else "total") for u in out.index]
    uid = [u if u not in ("\uffff", "\ufffftotal") else ("—" if u == "\uffff" else "合计 total") for u in out.index]
    total_km2 = float(area.sum()) / 1e6
    out.insert(0, "name_en", en)
    out.insert(0, "name_zh", zh)
    out.insert(0, "unit_id", uid)
    out.insert(0, "unit_type", kind)
    out.insert(out.columns.get_loc("area_km2") + 1, "area_mu", out["area_km2"] * 1e6 / M2_PER_MU)
    out.insert(out.columns.get_loc("area_mu") + 1, "share_of_area",
               out["area_km2"] / total_km2 if total_km2 > 0 else np.nan)
    for c in [c for c in out.columns if c.startswith("parcels")]:
        out[c] = out[c].astype("int64")
    return out.reset_index(drop=True)


def _unit_names(kind: str, layers: LayerSet) -> tuple[list[str], dict[str, tuple[str, str]]]:
    if kind == "zone":
        return ["104", "195", "198"], {"104": ("104 产业区块", "104 industrial blocks"),
                                       "195": ("195 区域", "195 areas"), "198": ("198 区域", "198 areas")}
    if kind == "park":
        p = layers.parks
        ids = p["park_id"].astype(str).tolist()
        zh = p["name_zh"].astype(str).tolist() if "name_zh" in p else ids
        en = p["name_en"].astype(str).tolist() if "name_en" in p else ids
        return list(dict.fromkeys(ids)), dict(zip(ids, zip(zh, en, strict=True), strict=True))
    gdf = layers.towns if layers.towns is not None else layers.construction_areas
    zh = gdf["town_zh"].astype(object).tolist() if "town_zh" in gdf else [None] * len(gdf)
    en = gdf["town_en"].astype(object).tolist() if "town_en" in gdf else [None] * len(gdf)
    ids = [str(z if z is not None and z == z else e) for z, e in zip(zh, en, strict=True)]
    return list(dict.fromkeys(ids)), {i: (str(z), str(e) if e is not None and e == e else str(z))
                                      for i, z, e in zip(ids, zh, en, strict=True)}
