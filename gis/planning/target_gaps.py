"""How far each unit is from the plan's targets: target, gap, yes/no and projection columns of a density table.

The targets (density, park output, energy intensity, the Zhangjiang Chongming
park's labour productivity, R&D share and high-tech count) apply to the units
their ``applies_to`` lists name; a unit they do not apply to gets empty cells.
Gaps are shortfalls (see :mod:`gis.planning.density`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gis.planning.targets import Targets, project_density

__all__ = ["apply_targets", "park_output_targets"]


def park_output_targets(parks: pd.DataFrame, targets: Targets) -> tuple[pd.Series, list[str]]:
    """Each park's 2025 output target (亿元): the layer's field and the TOML, per ``prefer``.

    Returns
    -------
    targets : pandas.Series
        Indexed by ``park_id`` (str); NaN where neither source gives one.
    notes : list of str
        Where a TOML value and a layer value disagree.
    """
    ids = parks["park_id"].astype(str).to_numpy()
    layer = pd.to_numeric(parks.get("target_output_2025_yi", pd.Series(np.nan, index=parks.index)),
                          errors="coerce").to_numpy(dtype="float64")
    table = {str(k): float(v) for k, v in targets.get("park_output.targets_yi").items()}
    names = parks.get("name_zh", pd.Series([None] * len(parks), index=parks.index)).to_numpy()
    toml = np.array([table.get(i, table.get(str(n), np.nan)) for i, n in zip(ids, names, strict=True)],
                    dtype="float64")
    prefer_toml = targets.get("park_output.prefer") == "toml"
    first, second = (toml, layer) if prefer_toml else (layer, toml)
    out = np.where(np.isfinite(first), first, second)
    notes = []
    differ = np.isfinite(layer) & np.isfinite(toml) & ~np.isclose(layer, toml)
    for i in np.flatnonzero(differ):
        used = "TOML" if prefer_toml else "layer"
        notes.append(f"园区 {ids[i]} 产出目标：图层 {layer[i]:g} 亿元，目标文件 {toml[i]:g} 亿元，采用{used} / "
                     f"park {ids[i]} output target: layer {layer[i]:g} 亿元, targets file {toml[i]:g} 亿元; "
                     f"using the {used} value")
    return pd.Series(out, index=pd.Index(ids, name="park_id")), notes



def apply_targets(t: pd.DataFrame, kind: str, targets: Targets, parks: pd.DataFrame | None = None) -> list[str]:
    """Add the target, gap, yes/no and projection columns to a density table (in place).

    Parameters
    ----------
    t : pandas.DataFrame
        Density table with ``unit_id`` and the measured columns of :func:`gis.planning.density.density`.
    kind : str
        ``park``, ``zone``, ``town``, ``district`` or ``user`` (for ``applies_to``).
    targets : Targets
    parks : pandas.DataFrame, optional
        The parks layer (``park_id``, ``name_zh``, ``target_output_2025_yi``) when ``kind == "park"``.

    Returns
    -------
    list of str
        Notes (targets used, conflicting park targets).
    """
    notes = []
    ids = t["unit_id"].to_numpy()

    def where(key: str, value: float) -> np.ndarray:
        return np.where(targets.applies(key, kind, ids), value, np.nan)

    def meets(actual, target, lower_is_better=False) -> pd.array:
        a, b = np.asarray(actual, dtype="float64"), np.asarray(target, dtype="float64")
        ok = np.isfinite(a) & np.isfinite(b)
        res = (a <= b) if lower_is_better else (a >= b)
        return pd.array(np.where(ok, res, None), dtype="boolean")

    t["target_yi_per_km2"] = where("density.applies_to", targets.number("density.target_yi_per_km2"))
    t["gap_yi_per_km2"] = t["target_yi_per_km2"] - t["density_yi_per_km2"]
    t["meets_target"] = meets(t["density_yi_per_km2"], t["target_yi_per_km2"])
    if kind == "park" and parks is not None:
        pt, pnotes = park_output_targets(parks, targets)
        notes += pnotes
        t["output_target_yi"] = pt.reindex(t["unit_id"].astype(str)).to_numpy()
    else:
        t["output_target_yi"] = np.nan
    t["output_gap_yi"] = t["output_target_yi"] - t["output_yi"]
    t["meets_output_target"] = meets(t["output_yi"], t["output_target_yi"])
    lp = where("zhangjiang.labour_productivity_applies_to",
               targets.number("zhangjiang.labour_productivity_wan_per_person"))
    t["labour_productivity_target_wan_per_person"] = lp
    t["meets_labour_productivity"] = meets(t["labour_productivity_wan_per_person"], lp)
    en = where("energy.applies_to", targets.number("energy.target_tce_per_wan"))
    t["energy_target_tce_per_wan"] = en
    t["energy_gap_tce_per_wan"] = t["energy_tce_per_wan"] - en
    t["meets_energy_target"] = meets(t["energy_tce_per_wan"], en, lower_is_better=True)
    rd = where("zhangjiang.rd_share_applies_to", targets.number("zhangjiang.rd_share_pct"))
    t["rd_share_target_pct"] = rd
    t["meets_rd_share"] = meets(t["rd_share_pct"], rd)
    ht = where("zhangjiang.high_tech_applies_to", targets.number("zhangjiang.high_tech_enterprises"))
    t["high_tech_target"] = ht
    t["meets_high_tech_target"] = meets(t["high_tech_enterprises"], ht)
    g = targets.number("density.growth_rate")
    y0, y1 = targets.base_year, targets.target_year
    proj, reached = project_density(t["density_yi_per_km2"], t["target_yi_per_km2"], g, y0, y1)
    has = np.isfinite(t["target_yi_per_km2"].to_numpy(dtype="float64"))
    t["base_year"] = pd.array(np.where(has, y0, None), dtype="Int64")
    t["projection_year"] = pd.array(np.where(has, y1, None), dtype="Int64")
    t["projected_density_yi_per_km2"] = np.where(has, proj, np.nan)
    t["projected_meets_target"] = meets(t["projected_density_yi_per_km2"], t["target_yi_per_km2"])
    t["target_reached_year"] = reached
    notes.append(f"目标：{targets.source}；地均产出目标 {targets.number('density.target_yi_per_km2'):g} 亿元/km²，"
                 f"年增长 {100 * g:g}%，基准年 {y0}，目标年 {y1} / targets: {targets.source}; density target "
                 f"{targets.number('density.target_yi_per_km2'):g} 亿元/km², growth {100 * g:g} %/year, "
                 f"base year {y0}, target year {y1}")
    return notes
