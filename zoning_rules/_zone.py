"""Shared construction of the three zone-direction rules (104 / 195 / 198).

The three rules differ only in their zone, action and texts; they are built by
one function so their logic cannot drift apart, and each still lives in its own
module with its own id and basis.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gis.rules import Decision, Rule

PLAN_BASIS_ZH = "《上海市崇明区制造业发展“十四五”规划》（2021—2025年）：104区块升级、195区域转型、198区域减量化"
PLAN_BASIS_EN = ("Chongming District manufacturing development plan for the 14th Five-Year period "
                 "(2021–2025): upgrade the 104 blocks, transform the 195 areas, reduce the 198 areas")


def _pct(share: pd.Series) -> pd.Series:
    return (share.astype(float) * 100).round(0).astype("Int64").astype(str) + "%"


def zone_rule(*, rule_id: str, zone: str, action: str, action_zh: str, where_zh: str, where_en: str,
              direction_zh: str, direction_en: str, title_zh: str, title_en: str) -> Rule:
    """Build the rule "a parcel whose largest share lies in ``zone`` gets ``action``"."""

    def decide(table: pd.DataFrame, params) -> Decision:
        z = params["zone"]
        mask = (table["zone"] == z).fillna(False).to_numpy(dtype=bool)
        pct = _pct(table[f"share_{z}"].fillna(0.0))
        if z == "104":
            park = table["park_id"].fillna("").astype(str)
            where_zh_s = where_zh + "（园区 " + park + "，占地块面积 " + pct + "）"
            where_en_s = where_en + " (park " + park + ", " + pct + " of the parcel)"
        else:
            where_zh_s = where_zh + "（占地块面积 " + pct + "）"
            where_en_s = where_en + " (" + pct + " of the parcel)"
        reason_zh = "地块主要位于" + where_zh_s + "，规划方向为“" + action_zh + "”：" + direction_zh + "。"
        reason_en = "Mostly in " + where_en_s + "; plan direction '" + params["action"] + "': " + direction_en + "."
        return Decision(mask=mask, action=params["action"], reason_zh=reason_zh, reason_en=reason_en)

    return Rule(
        id=rule_id,
        kind="classify",
        title_zh=title_zh,
        title_en=title_en,
        basis_zh=PLAN_BASIS_ZH,
        basis_en=PLAN_BASIS_EN,
        func=decide,
        params={"zone": zone, "action": action},
        param_docs={"zone": "zone code this rule applies to", "action": "action it assigns"},
        priority=10,
        default_enabled=True,
    )


__all__ = ["zone_rule", "PLAN_BASIS_ZH", "PLAN_BASIS_EN", "np"]
