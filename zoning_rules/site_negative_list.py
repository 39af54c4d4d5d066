"""The district's negative list: industries not admitted anywhere in the district.

The list is empty by default: the district publishes its own industry access
negative list (产业准入负面清单), and planners copy its codes into a rule
configuration::

    [rules.site_negative_list]
    industries = ["2511", "3110", "32"]   # GB/T 4754 codes; a division covers its classes
    list_name_zh = "崇明区产业准入负面清单（2024年版）"
    list_name_en = "Chongming District industry negative list (2024)"

A project whose industry falls under a listed code gets ``level``
(``prohibited``); any other ``ok``. With an empty list the rule is not listed.
"""

from __future__ import annotations

import pandas as pd

from gis.domain.industry import matches_any
from gis.rules import Rule
from zoning_rules._site import Levels, check_level, text

RULE_ID = "site_negative_list"


def check(table: pd.DataFrame, params):
    n = len(table)
    out = Levels(n)
    listed = list(params["industries"] or [])
    if not listed:
        return out.check()
    level = check_level(params["level"], RULE_ID, "level")
    name_zh, name_en = params["list_name_zh"], params["list_name_en"]
    hit = matches_any(table["industry"], listed)
    unknown = hit.isna().to_numpy()
    on = hit.fillna(False).to_numpy(dtype=bool)
    ind_zh, ind_en = text(table["industry_zh"]), text(table["industry_en"])
    out.set(on, level,
            "项目行业（" + ind_zh + "）列入" + name_zh + "：不予准入。",
            "The project's industry (" + ind_en + ") is on the " + name_en + ": not admitted.",
            name_zh, name_en)
    out.set(~on & ~unknown, "ok",
            "项目行业（" + ind_zh + "）不在" + name_zh + "之列。",
            "The project's industry (" + ind_en + ") is not on the " + name_en + ".",
            name_zh, name_en)
    out.set(unknown, "not_evaluated",
            "未给出行业代码，无法核对" + name_zh + "。",
            "No industry code given: the " + name_en + " cannot be checked.")
    return out.check()


RULE = Rule(
    id=RULE_ID,
    kind="site",
    title_zh="区产业准入负面清单",
    title_en="District industry negative list",
    basis_zh="崇明区产业准入负面清单（由规划部门在规则配置中填写行业代码）；参照《长江经济带发展负面清单指南（试行，"
             "2022年版）》，违反生态环境准入清单的依《中华人民共和国长江保护法》第八十八条处罚",
    basis_en="Chongming District industry negative list (codes entered by the planners in the rule "
             "configuration); cf. the Yangtze River Economic Belt negative list guide (trial, 2022 edition); "
             "violating an environmental access list is penalised under the Yangtze River Protection Law, art. 88",
    func=check,
    params={"industries": [], "level": "prohibited",
            "list_name_zh": "区产业准入负面清单", "list_name_en": "district industry negative list"},
    param_docs={"industries": "GB/T 4754 codes not admitted (a division covers its classes); empty = no list",
                "level": "level for a listed industry",
                "list_name_zh": "name of the list in messages (Chinese)",
                "list_name_en": "name of the list in messages (English)"},
    priority=85,
    default_enabled=True,
)
