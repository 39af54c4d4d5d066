"""A site in the strategic reserve (Hengsha island) is reviewed (raised entry standards).

Hengsha island is the city's most important strategic reserve space: what is
built there now must not foreclose its future use, so entry standards are raised
and every project is reviewed. A site any part of which intersects the
``strategic_reserve`` layer gets ``level`` (``review``); any other site ``ok``.
"""

from __future__ import annotations

import pandas as pd

from gis.rules import Rule
from zoning_rules._site import Levels, check_level

RULE_ID = "site_strategic_reserve"


def check(table: pd.DataFrame, params):
    level = check_level(params["level"], RULE_ID, "level")
    inside = table["in_reserve"].fillna(False).to_numpy(dtype=bool)
    out = Levels(len(table))
    out.set(inside, level,
            "场地位于战略预留区（横沙岛）：上海市最重要的战略预留空间，提高准入标准，须审查。",
            "The site is in the strategic reserve (Hengsha island), the city's most important reserve space: "
            "entry standards are raised; to be reviewed.")
    out.set(~inside, "ok", "场地不在战略预留区内。", "The site is outside the strategic reserve.")
    return out.check()


RULE = Rule(
    id=RULE_ID,
    kind="site",
    title_zh="战略预留区（横沙岛）：提高准入标准",
    title_en="Strategic reserve (Hengsha island): raised entry standards",
    basis_zh="《上海市城市总体规划（2017—2035年）》：横沙岛为战略预留区；《上海市崇明区制造业发展“十四五”规划》"
             "（2021—2025年）：战略预留区提高准入标准",
    basis_en="Shanghai master plan 2017–2035: Hengsha island is a strategic reserve; Chongming District "
             "manufacturing development plan 2021–2025: raised entry standards in the strategic reserve",
    func=check,
    params={"level": "review"},
    param_docs={"level": "level for a site in the strategic reserve (ok / review / prohibited)"},
    priority=60,
    default_enabled=True,
)
