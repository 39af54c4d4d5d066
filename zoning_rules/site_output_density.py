"""Planned output per unit of land against the density target (25 亿元/km² by 2025).

Output density = ``output_wan`` / 10⁴ (亿元) ÷ (``land_m2`` / 10⁶) (km²). The
land is the project's given land area, else the polygon site's own area. Below
``target_yi_per_km2`` → ``below_level`` (``review``); at or above → ``ok``;
a missing output or land area → ``not_evaluated`` (never invented, DESIGN §5).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gis.rules import Rule
from zoning_rules._site import Levels, check_level, fmt_num, missing_figures

RULE_ID = "site_output_density"


def check(table: pd.DataFrame, params):
    n = len(table)
    level = check_level(params["below_level"], RULE_ID, "below_level")
    target = float(params["target_yi_per_km2"])
    out_wan = table["output_wan"].to_numpy(dtype="float64")
    land = table["land_m2"].to_numpy(dtype="float64")
    has_out = ~np.isnan(out_wan)
    has_land = ~np.isnan(land) & (land > 0)
    both = has_out & has_land
    dens = np.full(n, np.nan)
    dens[both] = (out_wan[both] / 1e4) / (land[both] / 1e6)
    ttxt = f"{target:g}"
    below = both & (dens < target)
    out = Levels(n)
    for m, lv, good in ((below, level, False), (both & ~below, "ok", True)):
        if not m.any():
            continue
        dtxt = fmt_num(dens[m], 1)
        o_txt, l_txt = fmt_num(out_wan[m], 0), fmt_num(land[m], 0)
        figures_zh = "（计划产值 " + o_txt + " 万元，用地 " + l_txt + " 平方米）"
        figures_en = " (planned output " + o_txt + " 万元 on " + l_txt + " m² of land)"
        if good:
            out.set(m, lv,
                    "单位土地产出 " + dtxt + " 亿元/平方公里，达到目标 " + ttxt + " 亿元/平方公里" + figures_zh
                    + "。",
                    "Output density " + dtxt + " 亿元/km² meets the target of " + ttxt + " 亿元/km²" + figures_en + ".")
        else:
            out.set(m, lv,
                    "单位土地产出 " + dtxt + " 亿元/平方公里，低于目标 " + ttxt + " 亿元/平方公里" + figures_zh
                    + "，须审查。",
                    "Output density " + dtxt + " 亿元/km² is below the target of " + ttxt + " 亿元/km²" + figures_en
                    + "; to be reviewed.")
    missing_zh, missing_en = missing_figures(has_out, has_land, ("计划产值", "the planned output"),
                                             ("用地面积", "the land area"),
                                             ("计划产值和用地面积", "the planned output and the land area"))
    out.set(~both, "not_evaluated",
            "未给出" + missing_zh + "，单位土地产出未评估（目标 " + ttxt + " 亿元/平方公里）。",
            "Output density not evaluated: not given: " + missing_en + " (target " + ttxt
            + " 亿元/km²).")
    return out.check()


RULE = Rule(
    id=RULE_ID,
    kind="site",
    title_zh="单位土地产出：目标 25 亿元/平方公里",
    title_en="Output per unit of land: target 25 亿元/km²",
    basis_zh="《上海市崇明区制造业发展“十四五”规划》（2021—2025年）：至2025年园区单位土地产出约 25 亿元/平方公里",
    basis_en="Chongming District manufacturing development plan 2021–2025: park output per unit of land about "
             "25 亿元/km² by 2025",
    func=check,
    params={"target_yi_per_km2": 25.0, "below_level": "review"},
    param_docs={"target_yi_per_km2": "density target, 亿元 of output per km² of land",
                "below_level": "level for a project below the target"},
    priority=40,
    default_enabled=True,
)
