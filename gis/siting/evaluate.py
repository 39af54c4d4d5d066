"""The siting rules over the site table: each rule's level and messages, and the verdict.

The verdict is the worst of ``ok`` < ``review`` < ``prohibited`` among the
checks (``ok`` gives ``allowed``); ``not_evaluated`` is listed but never
decides (DESIGN §6).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gis.errors import RuleError
from gis.rules import RuleSet, as_column, load_rules
from gis.siting.projects import facility_key
from gis.siting.result import LEVEL_NAMES, VERDICT_NAMES, VERDICT_RANK

__all__ = ["bad_facility", "evaluate", "known_facilities", "siting_rules"]


def siting_rules(rules) -> RuleSet:
    """The siting rules to use: a :class:`RuleSet` as it is, else ``load_rules(rules, kind="site")``.

    Raises
    ------
    RuleError
        When the rule set holds classification rules.
    """
    rs = rules if isinstance(rules, RuleSet) else load_rules(rules, kind="site")
    wrong = [r.id for r in rs.rules if r.kind != "site"]
    if wrong:
        raise RuleError(f"选址检查只能使用选址规则；{', '.join(wrong)} 是分类规则。",
                        f"A siting check takes siting rules only; {', '.join(wrong)} are classification rules.",
                        "用 load_rules(..., kind=\"site\") 载入规则。",
                        "Load them with load_rules(..., kind=\"site\").")
    return rs


def known_facilities(ruleset: RuleSet) -> list[str]:
    """Facility types the siting rules know: the ``facility`` keys of their tables (enabled or not)."""
    found: list[str] = []
    for params in ruleset.params.values():
        for v in params.values():
            if isinstance(v, list):
                for e in v:
                    if isinstance(e, dict) and "facility" in e:
                        f = str(e["facility"]).strip().lower()
                        if f not in found:
                            found.append(f)
    return found


def bad_facility(facility, ruleset: RuleSet) -> bool:
    """True when ``facility`` is given but no enabled rule knows it."""
    if facility is None:
        return False
    return facility_key(facility) not in known_facilities(ruleset)


def _basis(given, default: str, n: int) -> np.ndarray:
    """A rule's basis per row: what the rule returned, else its declared basis."""
    basis = as_column(given, n) if given is not None else np.full(n, None, dtype=object)
    return np.where(pd.isna(np.asarray(basis, dtype=object)), default, basis)


def evaluate(table: pd.DataFrame, ruleset: RuleSet) -> tuple[np.ndarray, dict[str, dict[str, np.ndarray]]]:
    """Run the enabled siting rules over the site table.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`gis.siting.site_table.site_table`.
    ruleset : RuleSet
        Siting rules (``load_rules(kind="site")``).

    Returns
    -------
    verdict : numpy.ndarray of str
        ``allowed`` / ``review`` / ``prohibited`` per row.
    checks : dict
        Rule id → ``level``, ``message_zh``, ``message_en``, ``basis_zh``,
        ``basis_en`` arrays (level None where the rule does not apply).
    """
    n = len(table)
    levels = list(LEVEL_NAMES)
    worst = np.zeros(n, dtype=np.int64)
    checks: dict[str, dict[str, np.ndarray]] = {}
    for rule in ruleset.rules:
        res = rule(table, ruleset.params.get(rule.id, {}))
        level = as_column(res.level, n)
        present = pd.unique(level[~pd.isna(level)])
        unknown = set(present) - set(levels)
        if unknown:
            raise RuleError(
                f"规则“{rule.id}”返回了未知级别：{', '.join(map(str, unknown))}。",
                f"Rule '{rule.id}' returned unknown levels: {', '.join(map(str, unknown))}.",
                f"级别须为 {', '.join(levels)} 或 None。", f"Levels are {', '.join(levels)} or None.",
            )
        checks[rule.id] = {"level": level, "message_zh": as_column(res.message_zh, n),
                           "message_en": as_column(res.message_en, n),
                           "basis_zh": _basis(getattr(res, "basis_zh", None), rule.basis_zh, n),
                           "basis_en": _basis(getattr(res, "basis_en", None), rule.basis_en, n)}
        for lv, r in VERDICT_RANK.items():
            if r:
                worst = np.where(level == lv, np.maximum(worst, r), worst)
    verdict = np.array(list(VERDICT_NAMES), dtype=object)[worst]
    return verdict, checks
