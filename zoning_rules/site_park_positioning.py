"""In a park, the project's industry must be among the park's leading industries.

Each park of the plan's 一主四副 system has a positioning: its leading industries
(the parks layer's ``leading_industries``, a list of GB/T 4754 codes; a listed
division covers its classes). A project inside a park (zone 104) whose industry
is among them is ``ok``; otherwise ``mismatch_level`` (``review``: a positioning
mismatch, and the message names the nearest park whose positioning matches).
Sites outside the parks are not concerned. A project without an industry code,
or a park without leading industries, is ``not_evaluated``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gis.domain.industry import matches_any, parse_code_list
from gis.rules import Rule
from zoning_rules._site import Levels, check_level, fmt_num, text

RULE_ID = "site_park_positioning"


def _nearest(table: pd.DataFrame, m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The "nearest matching park" clause of the masked rows (empty where there is none)."""
    has = table["nearest_park_id"][m].notna().to_numpy()
    zh = np.full(int(m.sum()), "", dtype=object)
    en = np.full(int(m.sum()), "", dtype=object)
    if has.any():
        sub = table.loc[m].loc[has]
        km = fmt_num(sub["nearest_park_m"].to_numpy(dtype="float64") / 1000, 1)
        zh[has] = "；最近的定位相符园区为" + text(sub["nearest_park_zh"]) + "，相距 " + km + " 公里"
        en[has] = ("; the nearest park with a matching positioning is " + text(sub["nearest_park_en"]) + ", "
                   + km + " km away")
    return zh, en


def check(table: pd.DataFrame, params):
    n = len(table)
    level = check_level(params["mismatch_level"], RULE_ID, "mismatch_level")
    park = table["park_id"].astype(object).where(table["park_id"].notna(), None).to_numpy(dtype=object)
    in_park = ~pd.isna(pd.Series(park, dtype=object)).to_numpy()
    leading = table["park_leading_industries"].astype(object)
    industry = table["industry"]
    out = Levels(n)
    # One pass per park (few), vectorised over the projects in it.
    for pid in pd.unique(park[in_park]):
        rows = park == pid
        first = np.flatnonzero(rows)[0]
        name_zh = str(table["park_name_zh"].iloc[first])
        name_en = str(table["park_name_en"].iloc[first])
        listed_raw = leading.iloc[first]
        listed = () if listed_raw is None or (not isinstance(listed_raw, str) and pd.isna(listed_raw)) else \
            parse_code_list(listed_raw, what_zh="园区主导产业", what_en="park leading_industries")
        listed_zh, listed_en = "、".join(listed), ", ".join(listed)
        park_zh, park_en = name_zh, name_en
        if not listed:
            out.set(rows, "not_evaluated", f"{park_zh}未登记主导产业，无法核对产业定位。",
                    f"{park_en} has no leading industries recorded; its positioning cannot be checked.")
            continue
        hit = matches_any(industry[rows], listed)
        unknown = rows.copy()
        unknown[rows] = hit.isna().to_numpy()
        ok = rows.copy()
        ok[rows] = hit.fillna(False).to_numpy(dtype=bool)
        bad = rows & ~ok & ~unknown
        if ok.any():
            out.set(ok, "ok",
                    "项目行业（" + text(table["industry_zh"][ok])
                    + f"）属于{park_zh}的主导产业（{listed_zh}）：符合园区定位。",
                    "The project's industry (" + text(table["industry_en"][ok])
                    + f") is among the leading industries of {park_en} ({listed_en}): consistent with its positioning.")
        if bad.any():
            near_zh, near_en = _nearest(table, bad)
            out.set(bad, level,
                    "项目行业（" + text(table["industry_zh"][bad]) + f"）不在{park_zh}的主导产业（{listed_zh}）之列："
                    "产业定位不符，须审查" + near_zh + "。",
                    "The project's industry (" + text(table["industry_en"][bad])
                    + f") is not among the leading industries of {park_en} ({listed_en}): positioning mismatch, "
                    "to be reviewed" + near_en + ".")
        out.set(unknown, "not_evaluated",
                f"未给出行业代码，无法核对{park_zh}的产业定位（{listed_zh}）。",
                f"No industry code given: the positioning of {park_en} ({listed_en}) cannot be checked.")
    return out.check()


RULE = Rule(
    id=RULE_ID,
    kind="site",
    title_zh="园区产业定位：项目行业须属园区主导产业",
    title_en="Park positioning: the project's industry among the park's leading industries",
    basis_zh="《上海市崇明区制造业发展“十四五”规划》（2021—2025年）：“一主四副”园区布局与各园区主导产业定位"
             "（园区图层 leading_industries 字段）",
    basis_en="Chongming District manufacturing development plan 2021–2025: the one-base-four-communities park "
             "system and each park's leading industries (the parks layer's leading_industries field)",
    func=check,
    params={"mismatch_level": "review"},
    param_docs={"mismatch_level": "level when the industry is not among the park's leading industries"},
    priority=50,
    default_enabled=True,
)
