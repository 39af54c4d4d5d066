"""Riverbank distance bans: projects or facilities banned within a distance of the Yangtze bank.

One rule fed by a table (the ``bans`` parameter): each entry names its subject —
a list of GB/T 4754 ``industries`` (a division covers its classes) or a
``facility`` type given with ``--facility`` — a ``distance_m``, the ``level``
for a site any part of which lies within that distance of the riverbank, and its
basis. The defaults are the two bans of the Yangtze River Protection Law (2021),
art. 26; art. 88 sets the penalties, which the message names:

* new or expanded chemical projects (divisions 25, 26, 28 and class 2710) within
  1 km of the bank of the mainstream → ``prohibited``;
* new, rebuilt or expanded tailings ponds within 3 km → ``prohibited``.

"Any part within" means the site's shortest distance to the riverbank is at most
``distance_m`` (a site straddling the line is within). A project none of whose
entries applies is ``ok``; a project whose industry is not given is
``not_evaluated`` for the industry entries.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gis.domain.industry import matches_any, parse_code_list
from gis.errors import RuleError
from gis.rules import Rule
from zoning_rules._site import Levels, check_level, fmt_num, text

RULE_ID = "site_riverbank_bans"

LAW_ZH = "《中华人民共和国长江保护法》（2021年3月1日施行）"
LAW_EN = "Yangtze River Protection Law of the PRC (in force 1 March 2021)"
PENALTY_ZH = ("违反者依第八十八条责令停止违法行为、限期拆除并恢复原状，没收违法所得，处五十万元以上五百万元以下罚款，"
              "对直接责任人员处五万元以上十万元以下罚款；情节严重的，责令关闭")
PENALTY_EN = ("under art. 88 a violation is stopped, demolished and restored at the violator's cost, illegal gains "
              "are confiscated, with a fine of 500,000–5,000,000 yuan (50,000–100,000 yuan for the persons "
              "responsible) and, in serious cases, closure")

DEFAULT_BANS = [
    {
        "industries": ["25", "26", "28", "2710"],
        "distance_m": 1000.0,
        "level": "prohibited",
        "label_zh": "化工项目",
        "label_en": "chemical project",
        "basis_zh": LAW_ZH + "第二十六条：禁止在长江干支流岸线一公里范围内新建、扩建化工园区和化工项目",
        "basis_en": LAW_EN + ", art. 26: no new or expanded chemical parks or chemical projects within 1 km "
                             "of the banks of the Yangtze mainstream and tributaries",
        "penalty_zh": PENALTY_ZH,
        "penalty_en": PENALTY_EN,
    },
    {
        "facility": "tailings_pond",
        "distance_m": 3000.0,
        "level": "prohibited",
        "label_zh": "尾矿库",
        "label_en": "tailings pond",
        "basis_zh": LAW_ZH + "第二十六条：禁止在长江干流岸线三公里范围内新建、改建、扩建尾矿库"
                             "（以提升安全、生态环境保护水平为目的的改建除外）",
        "basis_en": LAW_EN + ", art. 26: no new, rebuilt or expanded tailings ponds within 3 km of the bank "
                             "of the Yangtze mainstream (rebuilding to raise safety or environmental "
                             "protection excepted)",
        "penalty_zh": PENALTY_ZH,
        "penalty_en": PENALTY_EN,
    },
]

_KEYS = {"industries", "facility", "distance_m", "level", "label_zh", "label_en", "basis_zh", "basis_en",
         "penalty_zh", "penalty_en"}


def _entries(bans) -> list[dict]:
    """Validate the ``bans`` table (a configuration error names the entry).

    A finding's message quotes the part of the entry's basis before the first
    colon (e.g. "… art. 26") and its penalty; the whole basis is the check's basis.
    """
    out = []
    for k, e in enumerate(bans or []):
        where_zh, where_en = f"规则“{RULE_ID}”的第 {k + 1} 条禁建条目", f"Rule '{RULE_ID}', ban entry {k + 1}"
        if not isinstance(e, dict):
            raise RuleError(f"{where_zh}不是表。", f"{where_en} is not a table.")
        unknown = set(e) - _KEYS
        if unknown:
            raise RuleError(f"{where_zh}有未知的键：{', '.join(sorted(unknown))}。",
                            f"{where_en} has unknown keys: {', '.join(sorted(unknown))}.",
                            f"可用：{', '.join(sorted(_KEYS))}。", f"Known keys: {', '.join(sorted(_KEYS))}.")
        if ("industries" in e) == ("facility" in e):
            raise RuleError(f"{where_zh}须且只须给出 industries 或 facility 之一。",
                            f"{where_en} needs exactly one of 'industries' or 'facility'.")
        try:
            dist = float(e.get("distance_m"))
        except (TypeError, ValueError):
            dist = float("nan")
        if not dist > 0:
            raise RuleError(f"{where_zh}的 distance_m 须为正数（米）。",
                            f"{where_en}: distance_m must be a positive number of metres.")
        entry = dict(e, distance_m=dist, level=check_level(e.get("level", "prohibited"), RULE_ID, "bans.level"))
        if "industries" in e:
            entry["industries"] = parse_code_list(e["industries"], what_zh="岸线禁建行业", what_en="ban industries")
        else:
            entry["facility"] = str(e["facility"]).strip().lower()
        label_zh = entry.get("label_zh") or (entry.get("facility") or "行业 " + ",".join(entry["industries"]))
        label_en = entry.get("label_en") or (entry.get("facility") or "industries " + ",".join(entry["industries"]))
        entry["label_zh"], entry["label_en"] = label_zh, label_en
        entry.setdefault("basis_zh", "")
        entry.setdefault("basis_en", "")
        out.append(entry)
    return out


def _sub(value, m: np.ndarray):
    """The masked rows of an array; a scalar as is."""
    return value[m] if isinstance(value, np.ndarray) else value


def check(table: pd.DataFrame, params):
    n = len(table)
    entries = _entries(params["bans"])
    out = Levels(n)
    river = table["riverbank_m"].to_numpy(dtype="float64")
    facility = text(table["facility"])
    industry = table["industry"]
    code = text(industry)
    for e in entries:
        d = e["distance_m"]
        dtxt = f"{d:,.0f}"
        cap_en = e["label_en"][:1].upper() + e["label_en"][1:]
        if "facility" in e:
            subject = facility == e["facility"]
            who_zh, who_en = e["label_zh"], cap_en
            unknown = np.zeros(n, dtype=bool)
        else:
            hit = matches_any(industry, e["industries"])
            unknown = hit.isna().to_numpy()
            subject = hit.fillna(False).to_numpy(dtype=bool)
            who_zh = e["label_zh"] + "（行业代码 " + code + "）"
            who_en = cap_en + " (industry " + code + ")"
        within = subject & (river <= d)
        beyond = subject & ~(river <= d)
        penalty_zh = f"；{e['penalty_zh']}" if e.get("penalty_zh") else ""
        penalty_en = f"; {e['penalty_en']}" if e.get("penalty_en") else ""
        verb_zh = {"prohibited": "禁止建设", "review": "须审查", "ok": "不受限制",
                   "not_evaluated": "未评估"}[e["level"]]
        verb_en = {"prohibited": "prohibited", "review": "to be reviewed", "ok": "not restricted",
                   "not_evaluated": "not evaluated"}[e["level"]]
        ref_zh = e["basis_zh"].split("：")[0] or e["label_zh"]
        ref_en = e["basis_en"].split(":")[0] or e["label_en"]
        m = within
        if m.any():
            dist = fmt_num(river[m], 1)
            out.worsen(
                m, e["level"],
                _sub(who_zh, m) + "，场地最近处距长江岸线 " + dist + " 米，在 " + dtxt + " 米范围内：" + verb_zh
                + "（" + ref_zh + "）" + penalty_zh + "。",
                _sub(who_en, m) + ": the site's nearest part is " + dist + " m from the Yangtze riverbank, within "
                + dtxt + " m: " + verb_en + " (" + ref_en + ")" + penalty_en + ".",
                e["basis_zh"], e["basis_en"],
            )
        m = beyond
        if m.any():
            dist = fmt_num(river[m], 1)
            out.worsen(
                m, "ok",
                _sub(who_zh, m) + "，场地距长江岸线 " + dist + " 米，在 " + dtxt + " 米禁建范围之外。",
                _sub(who_en, m) + ": the site is " + dist + " m from the Yangtze riverbank, beyond the " + dtxt
                + " m limit.",
                e["basis_zh"], e["basis_en"],
            )
        out.worsen(
            unknown, "not_evaluated",
            f"未给出行业代码，无法判断是否属于{e['label_zh']}（岸线 {dtxt} 米禁建）。",
            f"No industry code given: cannot tell whether this is a {e['label_en']} (banned within {dtxt} m).",
        )
    # Rows no entry concerns: say what was checked.
    rest = pd.isna(pd.Series(out.level, dtype=object)).to_numpy()
    if rest.any() and entries:
        out.set(rest, "ok",
                "项目不属于岸线禁建类别（" + "、".join(e["label_zh"] for e in entries) + "）。",
                "The project is none of the riverbank-ban categories ("
                + ", ".join(e["label_en"] for e in entries) + ").")
    return out.check()


RULE = Rule(
    id=RULE_ID,
    kind="site",
    title_zh="长江岸线禁建距离（化工项目 1 公里、尾矿库 3 公里）",
    title_en="Yangtze riverbank distance bans (chemical projects 1 km, tailings ponds 3 km)",
    basis_zh=LAW_ZH + "第二十六条（岸线一公里内禁止新建、扩建化工园区和化工项目；干流岸线三公里内禁止新建、改建、"
                      "扩建尾矿库），第八十八条（罚则）",
    basis_en=LAW_EN + ", art. 26 (no new or expanded chemical parks or projects within 1 km of the bank; no new, "
                      "rebuilt or expanded tailings ponds within 3 km of the mainstream bank) and art. 88 (penalties)",
    func=check,
    params={"bans": DEFAULT_BANS},
    param_docs={"bans": "table of bans: each entry has industries (GB/T 4754 codes) or facility (a --facility "
                        "value), distance_m (metres from the riverbank), level, label_zh/label_en, "
                        "basis_zh/basis_en and optional penalty_zh/penalty_en"},
    priority=90,
    default_enabled=True,
)
