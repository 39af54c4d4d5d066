"""Land-efficiency grading (亩均效益评价) of enterprise parcels: A/B/C/D.

Method (the "亩均论英雄" evaluation that Zhejiang introduced and Shanghai's districts
use for industrial land; weights, benchmarks and class limits are in the
``[grading]`` table of the targets TOML, documented there):

* indicators per parcel: output per 亩 (亩均产出, 万元/亩), tax per 亩 (亩均税收,
  万元/亩) and value added per tce of energy (单位能耗增加值, 万元/tce);
* each indicator's score is ``100 × min(value / benchmark, score_cap)``; a
  benchmark is a number (defaults derived from the plan: 25 亿元/km² = 166.67
  万元/亩; 0.08 tce/万元 = 12.5 万元/tce) or ``"median"`` of the graded parcels;
* the parcel's score is the weighted mean over the indicators evaluated for it
  (a missing field or zero energy leaves that indicator out and the weights are
  renormalised; the parcel's ``not_evaluated`` says which);
* class A/B/C from the minimum scores, D below C.

Parcels in parks (zone 104) graded in ``[grading.upgrade] grades`` (default C, D)
are the upgrade candidates (提质增效 / 二次开发); the output says so per parcel.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gis.planning.targets import load_targets
from gis.planning.values import M2_PER_MU, parcel_values, require_columns

__all__ = ["GRADE_HEADERS", "INDICATORS", "grade", "grade_summary"]

#: Indicator → (numerator field, denominator, zh, en, unit).
INDICATORS = {
    "output_wan_per_mu": ("output_wan", "land_mu", "亩均产出", "Output per mu", "万元/亩"),
    "tax_wan_per_mu": ("tax_wan", "land_mu", "亩均税收", "Tax per mu", "万元/亩"),
    "value_added_wan_per_tce": ("value_added_wan", "energy_tce", "单位能耗增加值", "Value added per tce", "万元/tce"),
}

GRADE_HEADERS = {
    "land_mu": ("用地面积", "Land", "亩"),
    "park_zh": ("园区", "Park", ""),
    **{k: (v[2], v[3], v[4]) for k, v in INDICATORS.items()},
    **{f"score_{k}": (f"{v[2]}得分", f"{v[3]} score", "分 points") for k, v in INDICATORS.items()},
    "score": ("综合得分", "Weighted score", "分 points"), "grade": ("等级", "Grade", "A/B/C/D"),
    "upgrade_candidate": ("提质增效候选", "Upgrade candidate", "是/否 yes/no"),
    "note_zh": ("说明（中文）", "Note (Chinese)", ""), "note_en": ("说明（英文）", "Note (English)", ""),
    "not_evaluated": ("未评估指标", "Not evaluated", ""),
    "parcels_graded": ("参评地块数", "Parcels graded", "个 count"),
    "not_graded": ("未参评地块数", "Parcels not graded", "个 count"),
    **{f"grade_{g}": (f"{g} 类", f"Grade {g}", "个 count") for g in "ABCD"},
    **{f"land_mu_{g}": (f"{g} 类用地", f"Land of grade {g}", "亩") for g in "ABCD"},
    "share_low_pct": ("低等级用地占比", "Share of land in low grades", "%"),
    "mean_score": ("平均得分", "Mean score", "分 points"),
    "upgrade_candidates": ("提质增效候选地块数", "Upgrade candidates", "个 count"),
}


def _enterprise_mask(parcels: pd.DataFrame, vals: pd.DataFrame) -> np.ndarray:
    if "enterprise_zh" in parcels.columns:
        e = parcels["enterprise_zh"].astype(object)
        return (e.notna() & e.astype(str).str.strip().ne("") & e.astype(str).ne("nan")).to_numpy()
    return vals.notna().any(axis=1).to_numpy()


def grade(classified: pd.DataFrame, targets=None, *, layers=None):
    """Grade every enterprise parcel A/B/C/D by land efficiency (亩均效益).

    Parameters
    ----------
    classified : pandas.DataFrame or geopandas.GeoDataFrame
        Classified parcels (DESIGN §4) with ``output_wan`` and, optionally,
        ``tax_wan``, ``value_added_wan``, ``energy_tce``, ``enterprise_zh``.
    targets : str, Path or gis.planning.targets.Targets, optional
        Its ``[grading]`` table gives weights, benchmarks and class limits.
    layers : gis.layers.layerset.LayerSet, optional
        For the parks' names in the notes (else the notes name the park by its id).

    Returns
    -------
    same type as ``classified``
        One row per parcel: ``parcel_id``, ``enterprise_zh`` (if given), ``zone``,
        ``park_id``, ``town``, ``land_mu``, the indicators, their scores, ``score``,
        ``grade`` (empty when not graded), ``upgrade_candidate``, ``note_zh``,
        ``note_en``, ``not_evaluated`` (and the geometry when given).
        ``attrs["notes"]`` records the benchmarks used (a median is stated as its number).
    """
    t = load_targets(targets)
    g = t.get("grading")
    require_columns(classified, ["parcel_id", "area_m2", "zone", "park_id"], "分类结果", "The classified parcels",
                    "请先运行 parkgis classify。", "Classify the parcels first (parkgis classify).")
    vals, notes = parcel_values(classified, fields=["output_wan", "tax_wan", "value_added_wan", "energy_tce"],
                                checks=t.get("checks"))
    land_mu = pd.to_numeric(classified["area_m2"], errors="coerce").fillna(0).to_numpy(dtype="float64") / M2_PER_MU
    zone = classified["zone"].astype(object).to_numpy()
    inside = pd.notna(zone)
    ent = _enterprise_mask(classified, vals)
    graded = inside & ent & (land_mu > 0) & (land_mu >= float(g["min_land_mu"]))

    out = classified[[c for c in ("parcel_id", "enterprise_zh", "zone", "park_id", "town") if c in classified]].copy()
    if layers is not None:  # the park by name beside its id, for the tables people read
        out.insert(out.columns.get_loc("park_id") + 1, "park_zh", out["park_id"].map(layers.park_names("zh")))
    out["land_mu"] = land_mu
    weights = {k: float(v) for k, v in g["weights"].items() if float(v) > 0}
    cap = float(g["score_cap"])
    scores, missing = _indicator_scores(out, vals, land_mu, graded, weights, g["benchmarks"], cap, notes)
    score = _weighted_score(scores, np.array(list(weights.values())))
    score[~graded] = np.nan
    out["score"] = score
    cls = g["classes"]
    grade_ = _classes(score, cls)
    out["grade"] = grade_
    in_park = inside & (zone.astype(str) == "104") & pd.notna(classified["park_id"].to_numpy(dtype=object))
    cand = in_park & np.isin(grade_.astype(str), list(g["upgrade"]["grades"]))
    out["upgrade_candidate"] = cand
    names = (layers.park_names("zh"), layers.park_names("en")) if layers is not None else ({}, {})
    out["note_zh"], out["note_en"] = _notes(classified, graded, inside, ent, land_mu, float(g["min_land_mu"]),
                                            cand, grade_, names)
    out["not_evaluated"] = _joined(missing, list(weights))
    if hasattr(classified, "geometry") and "geometry" in classified:
        out["geometry"] = classified.geometry
    w_zh = "、".join(f"{INDICATORS[k][2]} {v:g}" for k, v in weights.items() if k in INDICATORS)
    w_en = ", ".join(f"{INDICATORS[k][3].lower()} {v:g}" for k, v in weights.items() if k in INDICATORS)
    out.attrs["notes"] = notes + [(
        f"亩均评价：权重 {w_zh}，得分上限 {100 * cap:g}，A ≥ {cls['A']:g}，B ≥ {cls['B']:g}，C ≥ {cls['C']:g}，"
        f"其余 D / grading: weights {w_en}; score cap {100 * cap:g}; A ≥ {cls['A']:g}, B ≥ {cls['B']:g}, "
        f"C ≥ {cls['C']:g}, else D")]
    return out


def _indicator_scores(out: pd.DataFrame, vals: pd.DataFrame, land_mu: np.ndarray, graded: np.ndarray,
                      weights: dict, benchmarks: dict, cap: float, notes: list[str]):
    """Each weighted indicator's value and score, added to ``out`` as columns (in place).

    Returns the (parcels × indicators) scores, NaN where not graded or not
    evaluated, and the mask of graded parcels whose indicator was not evaluated.
    """
    n = len(out)
    scores = np.full((n, len(weights)), np.nan)
    missing = np.zeros((n, len(weights)), dtype=bool)
    for j, ind in enumerate(weights):  # a handful of indicators, each over all parcels at once
        num_f, den_f = INDICATORS[ind][0], INDICATORS[ind][1]
        if num_f not in vals.columns or (den_f != "land_mu" and den_f not in vals.columns):
            out[ind] = np.nan
            out[f"score_{ind}"] = np.nan
            notes.append(f"亩均评价：{INDICATORS[ind][2]} 缺少数据，未评估，权重在其余指标间重新分配 / grading: "
                         f"{ind} not evaluated (field missing); its weight is spread over the other indicators")
            missing[:, j] = graded
            continue
        num = vals[num_f].to_numpy(dtype="float64")
        den = land_mu if den_f == "land_mu" else vals[den_f].to_numpy(dtype="float64")
        v = np.full(n, np.nan)
        ok = np.isfinite(num) & np.isfinite(den) & (den > 0)
        v[ok] = num[ok] / den[ok]
        out[ind] = v
        bench = benchmarks[ind]
        if bench == "median":
            pool = v[graded & np.isfinite(v)]
            bench = float(np.median(pool)) if len(pool) else np.nan
            unit = INDICATORS[ind][4]
            notes.append(f"亩均评价：{INDICATORS[ind][2]} 基准取参评地块中位数 {bench:,.2f} {unit} / "
                         f"grading: the benchmark of {INDICATORS[ind][3].lower()} is the graded parcels' median, "
                         f"{bench:,.2f} {unit}")
        s = np.full(n, np.nan)
        if np.isfinite(bench) and bench > 0:
            s = 100.0 * np.minimum(v / bench, cap)
        out[f"score_{ind}"] = np.where(graded, s, np.nan)
        scores[:, j] = np.where(graded, s, np.nan)
        missing[:, j] = graded & ~np.isfinite(s)
    return scores, missing


def _weighted_score(scores: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted mean over the indicators evaluated for each parcel (weights renormalised), NaN when none."""
    have = np.isfinite(scores)
    wsum = (have * weights).sum(axis=1)
    return np.where(wsum > 0, np.nansum(np.nan_to_num(scores) * weights, axis=1) / np.where(wsum > 0, wsum, 1),
                    np.nan)


def _classes(score: np.ndarray, limits: dict) -> np.ndarray:
    """A/B/C from the minimum scores, D below C; None where there is no score."""
    grade_ = np.full(len(score), None, dtype=object)
    fin = np.isfinite(score)
    s0 = np.where(fin, score, -np.inf)
    grade_[fin] = np.where(s0[fin] >= limits["A"], "A", np.where(s0[fin] >= limits["B"], "B",
                                                                  np.where(s0[fin] >= limits["C"], "C", "D")))
    return grade_


def _joined(mask: np.ndarray, names: list[str]) -> np.ndarray:
    """Per row, the names whose column of ``mask`` is set, joined by ``;`` (column by column, not row by row)."""
    acc = np.full(len(mask), "", dtype=object)
    for j, name in enumerate(names):
        acc = acc + np.where(mask[:, j], name + ";", "").astype(object)
    return pd.Series(acc, dtype=object).str.rstrip(";").to_numpy(dtype=object)


def _notes(c, graded, inside, ent, land_mu, min_mu, cand, grade_, names: tuple[dict, dict]):
    """Each parcel's note (zh, en): why it is a candidate or why it was not graded; parks by name."""
    n = len(c)
    zh = np.full(n, "", dtype=object)
    en = np.full(n, "", dtype=object)
    park = c["park_id"].astype(object).to_numpy()
    for i in np.flatnonzero(cand):  # candidates only: a short list
        p_zh, p_en = names[0].get(str(park[i]), str(park[i])), names[1].get(str(park[i]), str(park[i]))
        zh[i] = f"{p_zh}内的 {grade_[i]} 类低效用地：提质增效（二次开发、技改或腾退）候选。"
        en[i] = f"Grade {grade_[i]} parcel in {p_en}: low land efficiency, an upgrade candidate " \
                f"(redevelopment, retrofit or exit)."
    reasons = [
        (~inside, "位于区界之外，未参评。", "Outside the district: not graded."),
        (inside & ~ent, "无企业（enterprise_zh 为空），未参评。", "No enterprise (enterprise_zh empty): not graded."),
        (inside & ent & ~(land_mu > 0), "面积为 0，未参评。", "Zero area: not graded."),
        (inside & ent & (land_mu > 0) & (land_mu < min_mu), f"面积小于 {min_mu:g} 亩，未参评。",
         f"Smaller than {min_mu:g} mu: not graded."),
    ]
    for mask, z, e in reasons:
        sel = mask & ~graded & (zh == "")
        zh[sel], en[sel] = z, e
    return zh, en


def grade_summary(graded: pd.DataFrame, layers=None, by=("park", "zone", "district"), targets=None) -> pd.DataFrame:
    """Grade counts and land per park, zone and the district.

    Parameters
    ----------
    graded : pandas.DataFrame
        Output of :func:`grade`.
    layers : gis.layers.layerset.LayerSet, optional
        For the parks' names (and parks with no graded parcel).
    by : sequence of {"park", "zone", "district"}
    targets : optional
        For the grades that count as low (``[grading.upgrade] grades``).

    Returns
    -------
    pandas.DataFrame
        ``unit_type, unit_id, name_zh, name_en, parcels_graded, not_graded,
        grade_A … grade_D, land_mu_A … land_mu_D, share_low_pct, mean_score,
        output_wan_per_mu, tax_wan_per_mu, upgrade_candidates``.
    """
    low = list(load_targets(targets).get("grading.upgrade.grades"))
    f = pd.DataFrame({"zone": graded["zone"].astype(object), "park_id": graded["park_id"].astype(object),
                      "grade": graded["grade"], "land_mu": graded["land_mu"], "score": graded["score"],
                      "cand": graded["upgrade_candidate"]})
    f["output"] = graded["output_wan_per_mu"] * graded["land_mu"]
    f["tax"] = (graded["tax_wan_per_mu"] * graded["land_mu"]) if "tax_wan_per_mu" in graded else np.nan
    f["district"] = np.where(f["zone"].notna(), "district", None)
    parts = []
    for kind in by:
        key = {"park": "park_id", "zone": "zone", "district": "district"}[kind]
        sub = f[f[key].notna()].copy()
        sub["unit_id"] = sub[key].astype(str)
        if kind == "park":
            sub = sub[sub["zone"].astype(str).eq("104")]
        parts.append(_summarise(sub, kind, low, layers))
    return pd.concat(parts, ignore_index=True)


def _summarise(sub: pd.DataFrame, kind: str, low: list[str], layers) -> pd.DataFrame:
    ok = sub["grade"].notna()
    gsub = sub[ok]
    grp = gsub.groupby("unit_id")
    res = pd.DataFrame({"parcels_graded": grp.size()})
    res["not_graded"] = sub[~ok].groupby("unit_id").size()
    for g in "ABCD":
        res[f"grade_{g}"] = gsub[gsub["grade"] == g].groupby("unit_id").size()
    for g in "ABCD":
        res[f"land_mu_{g}"] = gsub[gsub["grade"] == g].groupby("unit_id")["land_mu"].sum()
    land = grp["land_mu"].sum()
    low_land = gsub[gsub["grade"].isin(low)].groupby("unit_id")["land_mu"].sum().reindex(land.index, fill_value=0.0)
    res["share_low_pct"] = np.where(land > 0, 100.0 * low_land / land.where(land > 0, 1.0), np.nan)
    res["mean_score"] = grp["score"].mean()
    res["output_wan_per_mu"] = grp["output"].sum() / land
    res["tax_wan_per_mu"] = grp["tax"].sum(min_count=1) / land
    res["upgrade_candidates"] = grp["cand"].sum()
    ids = list(dict.fromkeys(sub["unit_id"]))
    names = {}
    if kind == "park" and layers is not None:
        p = layers.parks
        ids = list(dict.fromkeys(p["park_id"].astype(str).tolist() + ids))
        names = {str(i): (z, e) for i, z, e in zip(p["park_id"], p.get("name_zh", p["park_id"]),
                                                    p.get("name_en", p["park_id"]), strict=True)}
    elif kind == "zone":
        ids = ["104", "195", "198"]
        names = {"104": ("104 产业区块", "104 industrial blocks"), "195": ("195 区域", "195 areas"),
                 "198": ("198 区域", "198 areas")}
    elif kind == "district":
        d = layers.district if layers is not None else None
        zh = d["name_zh"].dropna().iloc[0] if d is not None and d["name_zh"].notna().any() else "全区"
        en = d["name_en"].dropna().iloc[0] if d is not None and d["name_en"].notna().any() else "district"
        # Same unit_id as the density table's district row: the district's name.
        res = res.rename(index={"district": str(zh)})
        ids, names = [str(zh)], {str(zh): (zh, en)}
    res = res.reindex(ids)
    counts = ["parcels_graded", "not_graded", "upgrade_candidates"] + [f"grade_{g}" for g in "ABCD"]
    res[counts] = res[counts].fillna(0).astype(int)
    res[[f"land_mu_{g}" for g in "ABCD"]] = res[[f"land_mu_{g}" for g in "ABCD"]].fillna(0.0)
    res.insert(0, "name_en", [names.get(i, (None, None))[1] for i in res.index])
    res.insert(0, "name_zh", [names.get(i, (None, None))[0] for i in res.index])
    res.insert(0, "unit_id", res.index)
    res.insert(0, "unit_type", kind)
    return res.reset_index(drop=True)
