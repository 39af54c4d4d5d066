"""A site (partly) seaward of the shoreline — in the river or on tidal flats — is reviewed, whatever its industry.

The district outline runs over the water and the tidal flats of the estuary
(DESIGN §3: its area outside the ``land`` layer). A site any part of which lies
there is on the bank's water side: its distance to the riverbank is 0 and it is
in the 1 km zone (the engine sets both), and building there is a matter for the
water authorities before it is one for the plan. Such a site gets ``level``
(``review`` by default; ``prohibited`` is allowed, ``ok`` is not: DESIGN §6 asks
for at least a review), every other site ``ok``. Without a ``land`` layer the
layers cannot tell land from water, and the check is ``not_evaluated``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gis.errors import RuleError
from gis.rules import Rule
from zoning_rules._site import Levels, check_level

RULE_ID = "site_in_water"


def check(table: pd.DataFrame, params):
    level = check_level(params["level"], RULE_ID, "level")
    if level not in ("review", "prohibited"):
        raise RuleError(
            f"规则“{RULE_ID}”的参数 level = “{level}”：位于水域或滩涂的场地至少须审查（review 或 prohibited）。",
            f"Rule '{RULE_ID}': level = '{level}'; a site in the river or on tidal flats is at least reviewed "
            "(review or prohibited).",
        )
    n = len(table)
    out = Levels(n)
    known = table["land_layer"].fillna(False).to_numpy(dtype=bool) if "land_layer" in table else np.zeros(n, bool)
    wet = known & table["in_water"].fillna(False).to_numpy(dtype=bool)
    out.set(wet, level,
            "场地（部分）位于长江岸线以外：在江中或滩涂上（区界以内、陆域以外），距岸线按 0 米计，在岸线 1 公里范围内；"
            "须审查，在河道、滩涂内建设须经水行政主管部门审查同意。",
            "The site lies (partly) seaward of the Yangtze shoreline: in the river or on tidal flats (inside the "
            "district outline, off the land). It counts as 0 m from the riverbank, inside the 1 km zone; to be "
            "reviewed, and building in the river course or on the flats needs the water authority's approval.")
    out.set(known & ~wet, "ok", "场地位于岸线陆侧。", "The site lies on the land side of the shoreline.")
    out.set(~known, "not_evaluated",
            "图层没有陆域（land）图层，无法判断场地是否位于江中或滩涂。",
            "The layers have no land layer: whether the site lies in the river or on tidal flats is not checked.")
    return out.check()


RULE = Rule(
    id=RULE_ID,
    kind="site",
    title_zh="岸线以外（江中或滩涂）的场地：须审查",
    title_en="Sites seaward of the shoreline (in the river or on tidal flats): reviewed",
    basis_zh="岸线以外按距岸线 0 米计，属长江岸线一公里范围（《中华人民共和国长江保护法》（2021）第二十六条）；"
             "在河道、滩涂内建设工程设施须经水行政主管部门审查同意（《中华人民共和国防洪法》第二十七条）",
    basis_en="Seaward of the shoreline counts as 0 m from the bank, inside the Yangtze 1 km zone (Yangtze River "
             "Protection Law of the PRC (2021), art. 26); works in the river course or on the flats need the water "
             "authority's approval (Flood Control Law of the PRC, art. 27)",
    func=check,
    params={"level": "review"},
    param_docs={"level": "level for a site (partly) in the river or on tidal flats (review / prohibited)"},
    priority=88,
    default_enabled=True,
)
