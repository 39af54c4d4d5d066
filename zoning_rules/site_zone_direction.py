"""A project's zone against the plan's zone directions (104 upgrade, 195 transform, 198 reduce).

The district's manufacturing plan (2021–2025) upgrades the 104 blocks (the
parks), turns the 195 areas toward producer services and town functions, and
reduces the 198 areas, where in principle no new industrial enterprise is
admitted. For a new project that means, by default:

=================  =========  ==========  ============
project            104        195         198
=================  =========  ==========  ============
manufacturing      ok         review      prohibited
non-manufacturing  ok         ok          ok
=================  =========  ==========  ============

The zone is the one holding the largest share of the site (DESIGN §4). A site
that also reaches into a zone with a worse level (e.g. 70 % in a park, 30 % in
198) gets at least ``straddle_level`` (``review``), and the message gives the
shares. A project without an industry code is ``not_evaluated`` where the two
rows of the table differ.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gis.rules import Rule
from zoning_rules._site import RANK, Levels, check_level, rank, text

RULE_ID = "site_zone_direction"
ZONES = ("104", "195", "198")
#: A share below this fraction of the site is an edge touch, not a part.
MIN_SHARE = 1e-6

WHERE = {
    "104": ("104产业区块", "a 104 industrial block"),
    "195": ("195区域（乡镇集中建设区内、104区块外）", "a 195 area (town construction area outside the parks)"),
    "198": ("198区域（104区块和乡镇集中建设区之外）", "a 198 area (outside the parks and the town construction areas)"),
}
DIRECTION = {
    "104": ("规划方向为升级，提升产业能级", "the plan's direction is upgrading"),
    "195": ("规划方向为向生产性服务业和城镇功能转型",
            "the plan's direction is transformation toward producer services and town functions"),
    "198": ("规划方向为减量化，原则上不再新增工业企业",
            "the plan's direction is reduction: in principle no new industrial enterprises"),
}
VERDICT = {
    "ok": ("符合", "consistent"),
    "review": ("须审查", "to be reviewed"),
    "prohibited": ("不予准入", "not admitted"),
    "not_evaluated": ("未评估", "not evaluated"),
}


def _levels(params, key: str) -> dict[str, str]:
    table = dict(params[key])
    missing = [z for z in ZONES if z not in table]
    if missing:
        from gis.errors import RuleError

        raise RuleError(f"规则“{RULE_ID}”的参数 {key} 缺少区域：{', '.join(missing)}。",
                        f"Rule '{RULE_ID}': parameter {key} lacks zones {', '.join(missing)}.",
                        "格式：{ \"104\" = \"ok\", \"195\" = \"review\", \"198\" = \"prohibited\" }。",
                        "Format: { \"104\" = \"ok\", \"195\" = \"review\", \"198\" = \"prohibited\" }.")
    return {z: check_level(str(table[z]), RULE_ID, f"{key}.{z}") for z in ZONES}


def _where(table: pd.DataFrame, m: np.ndarray, z: str) -> tuple[np.ndarray | str, np.ndarray | str]:
    """Where the masked rows lie (with their park in zone 104)."""
    zh, en = WHERE[z]
    if z != "104":
        return zh, en
    return (zh + "（" + text(table["park_name_zh"][m]) + "）",
            en + " (" + text(table["park_name_en"][m]) + ")")


def _zone_levels(out: Levels, table: pd.DataFrame, lv: dict, z: str, in_z: np.ndarray, is_mfg: np.ndarray,
                 unknown: np.ndarray) -> None:
    """The level of the sites whose main zone is ``z``: by manufacturing or not; without an industry,
    only where both rows of the table agree."""
    dir_zh, dir_en = DIRECTION[z]
    for kind, mask, who_zh, who_en in (
        ("mfg", in_z & is_mfg & ~unknown, "制造业项目（", "Manufacturing project ("),
        ("other", in_z & ~is_mfg & ~unknown, "非制造业项目（", "Non-manufacturing project ("),
    ):
        if not mask.any():
            continue
        level = lv[kind][z]
        if kind == "other" and z != "104":
            tail_zh, tail_en = "：不属于新增工业，不受该方向限制。", ": not new industry, not restricted by it."
        else:
            tail_zh = "：" + VERDICT[level][0] + "。"
            tail_en = ": " + VERDICT[level][1] + "."
        w_zh, w_en = _where(table, mask, z)
        out.set(mask, level,
                who_zh + text(table["industry_zh"][mask]) + "）位于" + w_zh + "，" + dir_zh + tail_zh,
                who_en + text(table["industry_en"][mask]) + ") in " + w_en + "; " + dir_en + tail_en)
    m = in_z & unknown
    if not m.any():
        return
    w_zh, w_en = _where(table, m, z)
    if lv["mfg"][z] == lv["other"][z]:
        out.set(m, lv["mfg"][z], "场地位于" + w_zh + "，" + dir_zh + "：" + VERDICT[lv["mfg"][z]][0] + "。",
                "The site is in " + w_en + "; " + dir_en + ": " + VERDICT[lv["mfg"][z]][1] + ".")
    else:
        out.set(m, "not_evaluated",
                "场地位于" + w_zh + "，" + dir_zh + "；未给出行业代码，无法判断是否为制造业项目。",
                "The site is in " + w_en + "; " + dir_en + "; no industry code given, so whether it is "
                "manufacturing (and so restricted) cannot be told.")


def _straddles(out: Levels, lv: dict, straddle: str, shares: np.ndarray, is_mfg: np.ndarray,
               known: np.ndarray) -> None:
    """A site reaching into a zone with a worse level than its main zone's: at least ``straddle``."""
    n = len(shares)
    lv_mat = np.array([[RANK[lv["mfg"][z]] for z in ZONES], [RANK[lv["other"][z]] for z in ZONES]])
    row_lv = lv_mat[np.where(is_mfg, 0, 1)]               # (n, 3) rank per zone for each row
    present = shares > MIN_SHARE
    worst_part = np.where(present, row_lv, -1).max(axis=1)
    main = rank(out.level)
    worse = known & (worst_part > main) & (main >= 0)
    if not worse.any():
        return
    sh, pr = shares[worse], present[worse]
    parts_zh = np.full(len(sh), "", dtype=object)
    parts_en = np.full(len(sh), "", dtype=object)
    for i, z in enumerate(ZONES):
        pct = np.round(sh[:, i] * 100).astype(int).astype(str).astype(object)
        has = pr[:, i]
        sep_zh = np.where(parts_zh == "", "", "、").astype(object)
        sep_en = np.where(parts_en == "", "", ", ").astype(object)
        parts_zh = np.where(has, parts_zh + sep_zh + z + " 占 " + pct + "%", parts_zh)
        parts_en = np.where(has, parts_en + sep_en + pct + "% in " + z, parts_en)
    new_rank = np.minimum(worst_part, np.maximum(main, RANK[straddle]))[worse]
    inv = {v: k for k, v in RANK.items()}
    for r in np.unique(new_rank):
        sel = new_rank == r
        m = np.zeros(n, dtype=bool)
        m[np.flatnonzero(worse)[sel]] = True
        out.worsen(m, inv[int(r)],
                   "场地跨越多个区域（" + parts_zh[sel] + "），部分位于规划方向更严的区域。",
                   "The site straddles zones (" + parts_en[sel] + "), partly in a zone with a stricter "
                   "direction.")


def check(table: pd.DataFrame, params):
    """Each site's level from its main zone and whether the project is manufacturing; straddling sites worsened."""
    lv = {"mfg": _levels(params, "manufacturing"), "other": _levels(params, "non_manufacturing")}
    straddle = check_level(params["straddle_level"], RULE_ID, "straddle_level")
    zone = text(table["zone"])
    mfg = table["manufacturing"]
    unknown = mfg.isna().to_numpy()
    is_mfg = mfg.fillna(False).to_numpy(dtype=bool)
    shares = np.column_stack([table[f"share_{z}"].fillna(0.0).to_numpy(dtype="float64") for z in ZONES])
    out = Levels(len(table))
    for z in ZONES:
        in_z = zone == z
        if in_z.any():
            _zone_levels(out, table, lv, z, in_z, is_mfg, unknown)
    if (~unknown).any():
        _straddles(out, lv, straddle, shares, is_mfg, ~unknown)
    return out.check()


_PLAN_ZH = "《上海市崇明区制造业发展“十四五”规划》（2021—2025年）：104区块升级、195区域转型、198区域减量化"
_PLAN_EN = ("Chongming District manufacturing development plan 2021–2025: upgrade the 104 blocks, transform the "
            "195 areas, reduce the 198 areas")

RULE = Rule(
    id=RULE_ID,
    kind="site",
    title_zh="区域方向：198 区域不新增制造业，195 区域转型",
    title_en="Zone direction: no new manufacturing in 198 areas, 195 areas transform",
    basis_zh=_PLAN_ZH + "；198区域原则上不再新增工业企业，195区域向生产性服务业和城镇功能转型",
    basis_en=_PLAN_EN + "; in principle no new industrial enterprises in 198 areas; 195 areas turn to producer "
                        "services and town functions",
    func=check,
    params={
        "manufacturing": {"104": "ok", "195": "review", "198": "prohibited"},
        "non_manufacturing": {"104": "ok", "195": "ok", "198": "ok"},
        "straddle_level": "review",
    },
    param_docs={
        "manufacturing": "level per zone for a manufacturing project (divisions 13–43)",
        "non_manufacturing": "level per zone for any other project",
        "straddle_level": "at least this level when part of the site lies in a zone with a worse level",
    },
    priority=70,
    default_enabled=True,
)
