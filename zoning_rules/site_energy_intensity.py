"""Planned energy use per 10,000 yuan of value added against the target (0.08 tce/万元 by 2025).

Energy intensity = ``energy_tce`` ÷ ``value_added_wan`` (tce/万元 of industrial
value added). Above ``target_tce_per_wan`` → ``above_level`` (``review``); at or
below → ``ok``; a missing figure (or zero value added) → ``not_evaluated``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gis.rules import Rule
from zoning_rules._site import Levels, check_level, fmt_num, missing_figures

RULE_ID = "site_energy_intensity"


def check(table: pd.DataFrame, params):
    n = len(table)
    level = check_level(params["above_level"], RULE_ID, "above_level")
    target = float(params["target_tce_per_wan"])
    energy = table["energy_tce"].to_numpy(dtype="float64")
    va = table["value_added_wan"].to_numpy(dtype="float64")
    has_e = ~np.isnan(energy)
    has_va = ~np.isnan(va) & (va > 0)
    both = has_e & has_va
    inten = np.full(n, np.nan)
    inten[both] = energy[both] / va[both]
    ttxt = f"{target:g}"
    above = both & (inten > target)
    out = Levels(n)
    for m, lv, good in ((above, level, False), (both & ~above, "ok", True)):
        if not m.any():
            continue
        itxt = fmt_num(inten[m], 3)
        e_txt, v_txt = fmt_num(energy[m], 1), fmt_num(va[m], 0)
        figures_zh = "（综合能耗 " + e_txt + " 吨标准煤，增加值 " + v_txt + " 万元）"
        figures_en = " (" + e_txt + " tce for " + v_txt + " 万元 of value added)"
        if good:
            out.set(m, lv,
                    "万元增加值能耗 " + itxt + " 吨标准煤/万元，不高于目标 " + ttxt + " 吨标准煤/万元"
                    + figures_zh + "。",
                    "Energy intensity " + itxt + " tce/万元 is within the target of " + ttxt + " tce/万元"
                    + figures_en + ".")
        else:
            out.set(m, lv,
                    "万元增加值能耗 " + itxt + " 吨标准煤/万元，高于目标 " + ttxt + " 吨标准煤/万元"
                    + figures_zh + "，须审查。",
                    "Energy intensity " + itxt + " tce/万元 is above the target of " + ttxt + " tce/万元" + figures_en
                    + "; to be reviewed.")
    zero_va = ~np.isnan(va) & (va <= 0)
    missing_zh, missing_en = missing_figures(has_e, has_va, ("综合能耗", "the energy use"),
                                             ("增加值", "the value added"),
                                             ("综合能耗和增加值", "the energy use and the value added"))
    missing_zh = np.where(zero_va & has_e, "为正数的增加值", missing_zh)
    missing_en = np.where(zero_va & has_e, "a positive value added", missing_en)
    out.set(~both, "not_evaluated",
            "未给出" + missing_zh.astype(object) + "，万元增加值能耗未评估（目标 " + ttxt + " 吨标准煤/万元）。",
            "Energy intensity not evaluated: not given: " + missing_en.astype(object) + " (target " + ttxt
            + " tce/万元).")
    return out.check()


RULE = Rule(
    id=RULE_ID,
    kind="site",
    title_zh="万元增加值能耗：目标 0.08 吨标准煤/万元",
    title_en="Energy per 10,000 yuan of value added: target 0.08 tce/万元",
    basis_zh="《上海市崇明区制造业发展“十四五”规划》（2021—2025年）：至2025年万元工业增加值能耗约 0.08 吨标准煤",
    basis_en="Chongming District manufacturing development plan 2021–2025: energy per 10,000 yuan of industrial "
             "value added about 0.08 tce by 2025",
    func=check,
    params={"target_tce_per_wan": 0.08, "above_level": "review"},
    param_docs={"target_tce_per_wan": "energy target, tce per 万元 of value added",
                "above_level": "level for a project above the target"},
    priority=30,
    default_enabled=True,
)
