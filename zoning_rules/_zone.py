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


def _park_names(table: pd.DataFrame) -> tuple[dict, dict]:
    """``park_id`` → Chinese and English name, from the overlay table's ``park_name_zh/en`` (else the id)."""
    cols = [c for c in ("park_id", "park_name_zh", "park_name_en") if c in table]
    first = table[cols].dropna(subset=["park_id"]).drop_duplicates("park_id")
    ids = first["park_id"].astype(str)
    zh = first["park_name_zh"].fillna(ids) if "park_name_zh" in first else ids
    en = first["park_name_en"].fillna(ids) if "park_name_en" in first else ids
    return dict(zip(ids, zh.astype(str), strict=True)), dict(zip(ids, en.astype(str), strict=True))


def zone_rule(*, rule_id: str, zone: str, action: str, action_zh: str, where_zh: str, where_en: str,
              direction_zh: str, direction_en: str, title_zh: str, title_en: str) -> Rule:
    """Build the rule "a parcel whose largest share lies in ``zone`` gets ``action``"."""

    def decide(table: pd.DataFrame, params) -> Decision:
        z = params["zone"]
        mask = np.asarray(table["zone"].to_numpy(dtype=object, na_value=None) == z, dtype=bool)
        n = len(table)
        reason_zh = np.full(n, None, dtype=object)
        reason_en = np.full(n, None, dtype=object)
        if not mask.any():
            return Decision(mask=mask, action=params["action"], reason_zh=reason_zh, reason_en=reason_en)
        # The sentence depends only on (park, rounded share): build it once per
        # distinct pair, not once per parcel (10⁶ parcels have a few hundred).
        pct = np.rint(table[f"share_{z}"].to_numpy(dtype=float, na_value=0.0)[mask] * 100).astype(np.int64)
        park = (table["park_id"].astype(object).where(table["park_id"].notna(), "").to_numpy()[mask]
                if z == "104" else np.full(int(mask.sum()), "", dtype=object))
        park_code, parks = pd.factorize(park)
        names_zh, names_en = _park_names(table) if z == "104" else ({}, {})
        key = park_code.astype(np.int64) * 1000 + pct
        # few distinct keys, small values: counting beats sorting a million of them
        uniq = np.flatnonzero(np.bincount(key))
        slot = np.zeros(uniq[-1] + 1, dtype=np.int64)
        slot[uniq] = np.arange(len(uniq))
        codes = slot[key]
        zh_u, en_u = [], []
        for p, q in zip(parks[uniq // 1000], uniq % 1000, strict=True):
            if z == "104" and p:
                w_zh = f"{where_zh}（{names_zh.get(p, p)}，占地块面积 {q}%）"
                w_en = f"{where_en} ({names_en.get(p, p)}, {q}% of the parcel)"
            else:
                w_zh = f"{where_zh}（占地块面积 {q}%）"
                w_en = f"{where_en} ({q}% of the parcel)"
            zh_u.append(f"地块主要位于{w_zh}，规划方向为“{action_zh}”：{direction_zh}。")
            en_u.append(f"Mostly in {w_en}; plan direction '{params['action']}': {direction_en}.")
        reason_zh[mask] = np.array(zh_u, dtype=object)[codes]
        reason_en[mask] = np.array(en_u, dtype=object)[codes]
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


__all__ = ["zone_rule", "PLAN_BASIS_ZH", "PLAN_BASIS_EN"]
