"""Chemical-industry parcels within 1 km of the Yangtze riverbank are to be reduced.

Off by default: the plan's default classification follows the zones only. A
planner who wants the Yangtze River Protection Law's 1 km rule to override the
zone direction for existing chemical parcels turns it on in a rule config.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gis.domain.industry import matches_any
from gis.rules import Decision, Rule


def decide(table: pd.DataFrame, params) -> Decision:
    n = len(table)
    if "industry" not in table.columns:
        return Decision(mask=np.zeros(n, dtype=bool), action="reduce", reason_zh="", reason_en="")
    near = (table["riverbank_m"] <= float(params["distance_m"])).fillna(False).to_numpy(dtype=bool)
    chem = matches_any(table["industry"], list(params["industries"])).fillna(False).to_numpy(dtype=bool)
    mask = near & chem & table["zone"].notna().to_numpy()
    reason_zh = np.full(n, None, dtype=object)
    reason_en = np.full(n, None, dtype=object)
    limit = int(params["distance_m"])
    # Sentences only for the parcels the rule decides (usually few).
    for i in np.flatnonzero(mask):
        code, dist = table["industry"].iloc[i], int(round(float(table["riverbank_m"].iloc[i])))
        reason_zh[i] = (f"化工类地块（行业代码 {code}）距长江岸线 {dist} 米，在 {limit} 米范围内："
                        "减量化（长江保护法第二十六条）。")
        reason_en[i] = (f"Chemical parcel (industry {code}) {dist} m from the Yangtze riverbank, within {limit} m: "
                        "reduce (Yangtze River Protection Law art. 26).")
    return Decision(mask=mask, action="reduce", reason_zh=reason_zh, reason_en=reason_en)


RULE = Rule(
    id="riverbank_chemical_reduce",
    kind="classify",
    title_zh="岸线1公里内化工地块：减量化",
    title_en="Chemical parcels within 1 km of the riverbank: reduce",
    basis_zh="《中华人民共和国长江保护法》（2021）第二十六条：禁止在长江干支流岸线一公里范围内新建、扩建化工园区和化工项目",
    basis_en=("Yangtze River Protection Law of the PRC (2021), art. 26: no new or expanded chemical parks or "
              "chemical projects within 1 km of the banks of the Yangtze mainstream and tributaries"),
    func=decide,
    params={"distance_m": 1000.0, "industries": ["25", "26", "28", "2710"]},
    param_docs={"distance_m": "distance to the riverbank, metres",
                "industries": "GB/T 4754 codes counted as chemical (a division covers its classes)"},
    priority=100,
    default_enabled=False,
)
