"""Output per 1+3+X category (DESIGN §1: 1 marine equipment, 3 agri-food, automobiles, light industry and
kitchenware, X emerging industries) against the plan's category targets.

A parcel's category comes from its GB/T 4754 industry code (:mod:`gis.domain.industry`);
the targets are the ``[categories]`` table of the targets TOML.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gis.errors import FieldError
from gis.planning.targets import Targets
from gis.planning.values import YI_PER_WAN

__all__ = ["CATEGORY_KEYS", "category_table"]

#: The 1+3+X categories in the plan's order (gis.domain.industry keys).
CATEGORY_KEYS = ("marine_equipment", "agri_food", "auto_parts", "light_kitchen", "emerging_x",
                 "other_manufacturing", "other")


def category_table(parcels: pd.DataFrame, targets: Targets, *, weights=None) -> tuple[pd.DataFrame, list[str]]:
    """Output per 1+3+X category against the plan's targets, and its share of the district's output.

    Parameters
    ----------
    parcels : pandas.DataFrame
        Parcels inside the district with ``output_wan`` and ``industry`` (GB/T 4754 codes).
    targets : Targets
    weights : array_like, optional
        Fraction of each parcel's output to count (the district share when
        apportioning by area); default 1.

    Returns
    -------
    table : pandas.DataFrame
        ``category, name_zh, name_en, parcels, output_yi, share_of_district_pct,
        target_yi, gap_yi, meets_target``; an ``unknown`` row for parcels without a code.
    notes : list of str

    Raises
    ------
    FieldError
        When codes are malformed (naming the parcels).
    """
    from gis.domain import industry, industry_categories

    cols = ["category", "name_zh", "name_en", "parcels", "output_yi", "share_of_district_pct",
            "target_yi", "gap_yi", "meets_target"]
    if "industry" not in parcels.columns:
        return pd.DataFrame(columns=cols), [
            "1+3+X：缺少 industry 字段，未评估 / 1+3+X: no 'industry' field, not evaluated"]
    codes, bad = industry.validate_codes(parcels["industry"].reset_index(drop=True))
    if bad.any():
        ids = parcels["parcel_id"].astype(str).to_numpy()[bad.to_numpy()]
        vals = parcels["industry"].to_numpy(dtype=object)[bad.to_numpy()]
        shown = ", ".join(f"{i}: {v!r}" for i, v in list(zip(ids, vals, strict=True))[:10])
        raise FieldError(
            f"行业代码无效（地块: 值）：{shown}{' …' if len(ids) > 10 else ''}。",
            f"Malformed industry codes (parcel: value): {shown}{' …' if len(ids) > 10 else ''}.",
            "行业代码须为 GB/T 4754-2017 的 2–4 位代码（保留前导零，如 \"0610\"）。",
            "Industry codes are GB/T 4754-2017 codes of 2 to 4 digits (keep leading zeros, e.g. \"0610\").",
        )
    missing = codes.isna().to_numpy()
    cat = np.array(industry_categories.category(codes).astype(object).to_numpy(), dtype=object)
    cat[missing] = "unknown"
    w = np.ones(len(parcels)) if weights is None else np.asarray(weights, dtype="float64")
    out_yi = pd.to_numeric(parcels["output_wan"], errors="coerce").to_numpy(dtype="float64") * w * YI_PER_WAN
    total = float(np.nansum(out_yi))
    frame = pd.DataFrame({"category": cat, "output_yi": out_yi, "n": (w > 0).astype(int)})
    agg = frame.groupby("category").agg(parcels=("n", "sum"), output_yi=("output_yi", "sum"))
    order = [k for k in CATEGORY_KEYS] + (["unknown"] if (cat == "unknown").any() else [])
    agg = agg.reindex(order).fillna({"parcels": 0, "output_yi": 0.0})
    tgt = targets.get("categories.targets_yi")
    rows = []
    for key, r in agg.iterrows():
        if key == "unknown":
            zh, en, t = "未填行业代码", "no industry code", None
        else:
            info = industry_categories.category_info(key)
            zh, en = info["name_zh"], info["name_en"]
            t = tgt.get(key, info.get("target_yi"))
        t = float(t) if t is not None else np.nan
        rows.append({
            "category": key, "name_zh": zh, "name_en": en, "parcels": int(r["parcels"]),
            "output_yi": float(r["output_yi"]),
            "share_of_district_pct": 100.0 * float(r["output_yi"]) / total if total > 0 else np.nan,
            "target_yi": t, "gap_yi": t - float(r["output_yi"]) if np.isfinite(t) else np.nan,
            "meets_target": (float(r["output_yi"]) >= t) if np.isfinite(t) else pd.NA,
        })
    table = pd.DataFrame(rows, columns=cols)
    table["meets_target"] = table["meets_target"].astype("boolean")
    notes = []
    if missing.any():
        notes.append(f"1+3+X：{int(missing.sum())} 个地块无行业代码，列为 unknown / "
                     f"{int(missing.sum())} parcels have no industry code (row 'unknown')")
    return table, notes
