"""Manufacturing projects within 1 km of the Yangtze riverbank are reviewed (raised entry standards).

Inside the 1 km riverbank zone entry standards are raised for every industrial
project, not only the chemical ones the riverbank bans prohibit (DESIGN §1). A
manufacturing project (divisions 13–43 by default) any part of which lies within
``distance_m`` of the riverbank gets ``level`` (``review``); beyond it, ``ok``.
Non-manufacturing projects are not concerned (the rule is not listed for them);
a project without an industry code is ``not_evaluated``.
"""

from __future__ import annotations

import pandas as pd

from gis.domain.industry import MANUFACTURING_DIVISIONS, matches_any
from gis.rules import Rule
from zoning_rules._site import Levels, check_level, fmt_num, text

RULE_ID = "site_riverbank_manufacturing"


def check(table: pd.DataFrame, params):
    n = len(table)
    level = check_level(params["level"], RULE_ID, "level")
    d = float(params["distance_m"])
    dtxt = f"{d:,.0f}"
    hit = matches_any(table["industry"], list(params["industries"]))
    unknown = hit.isna().to_numpy()
    subject = hit.fillna(False).to_numpy(dtype=bool)
    river = table["riverbank_m"].to_numpy(dtype="float64")
    within = subject & (river <= d)
    beyond = subject & ~(river <= d)
    out = Levels(n)
    for m, lv, inside in ((within, level, True), (beyond, "ok", False)):
        if not m.any():
            continue
        dist = fmt_num(river[m], 1)
        ind_zh, ind_en = text(table["industry_zh"][m]), text(table["industry_en"][m])
        if inside:
            zh = ("制造业项目（" + ind_zh + "）场地最近处距长江岸线 " + dist + " 米，在 " + dtxt
                  + " 米范围内：岸线 1 公里范围内提高准入标准，须审查。")
            en = ("Manufacturing project (" + ind_en + ") whose nearest part is " + dist
                  + " m from the Yangtze riverbank, within " + dtxt
                  + " m: entry standards are raised in the riverbank zone; to be reviewed.")
        else:
            zh = "制造业项目（" + ind_zh + "）距长江岸线 " + dist + " 米，在 " + dtxt + " 米范围之外。"
            en = ("Manufacturing project (" + ind_en + ") " + dist + " m from the Yangtze riverbank, beyond "
                  + dtxt + " m.")
        out.set(m, lv, zh, en)
    out.set(unknown, "not_evaluated",
            "未给出行业代码，无法判断是否为制造业项目（岸线 " + dtxt + " 米内须审查）。",
            "No industry code given: cannot tell whether this is a manufacturing project (reviewed within "
            + dtxt + " m of the riverbank).")
    return out.check()


RULE = Rule(
    id=RULE_ID,
    kind="site",
    title_zh="岸线 1 公里内的制造业项目：提高准入标准",
    title_en="Manufacturing within 1 km of the riverbank: raised entry standards",
    basis_zh="《中华人民共和国长江保护法》（2021）第二十六条岸线管控；《上海市崇明区制造业发展“十四五”规划》"
             "（2021—2025年）：长江岸线 1 公里范围内提高产业准入标准",
    basis_en="Yangtze River Protection Law of the PRC (2021), art. 26 (riverbank control); Chongming District "
             "manufacturing development plan 2021–2025: raised entry standards within 1 km of the Yangtze bank",
    func=check,
    params={"distance_m": 1000.0, "level": "review",
            "industries": sorted(MANUFACTURING_DIVISIONS)},
    param_docs={"distance_m": "distance to the riverbank, metres",
                "level": "level for a project within the distance (ok / review / prohibited)",
                "industries": "GB/T 4754 codes concerned (default: manufacturing divisions 13–43)"},
    priority=80,
    default_enabled=True,
)


