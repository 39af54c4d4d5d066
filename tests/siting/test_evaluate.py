"""Siting rules over the site table (gis.siting.evaluate): the worst level decides, not_evaluated never does."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gis.errors import RuleError
from gis.rules import Check, Rule, RuleSet, load_rules
from gis.siting.evaluate import bad_facility, evaluate, known_facilities, siting_rules


def rule(rule_id: str, levels: list, basis_zh=None) -> Rule:
    def func(table, params):
        c = Check(level=np.array(levels, dtype=object), message_zh="甲", message_en="a")
        if basis_zh is not None:
            c.basis_zh = basis_zh
        return c

    return Rule(id=rule_id, kind="site", title_zh="规则", title_en="rule", basis_zh="依据", basis_en="basis",
                func=func)


def ruleset(*rules: Rule) -> RuleSet:
    return RuleSet(rules=list(rules), params={}, available={r.id: r for r in rules})


def test_verdict_is_the_worst_deciding_level():
    table = pd.DataFrame(index=range(5))
    rs = ruleset(rule("r1", ["ok", "review", "ok", "not_evaluated", None]),
                 rule("r2", ["ok", "ok", "prohibited", "not_evaluated", None]))
    verdict, checks = evaluate(table, rs)
    assert list(verdict) == ["allowed", "review", "prohibited", "allowed", "allowed"]
    assert list(checks["r2"]["level"]) == ["ok", "ok", "prohibited", "not_evaluated", None]


def test_a_rules_own_basis_fills_rows_without_one():
    rs = ruleset(rule("r1", ["ok", "ok"], basis_zh=np.array(["第一条", None], dtype=object)))
    _, checks = evaluate(pd.DataFrame(index=range(2)), rs)
    assert list(checks["r1"]["basis_zh"]) == ["第一条", "依据"] and list(checks["r1"]["basis_en"]) == ["basis"] * 2


def test_unknown_level_is_a_rule_error():
    with pytest.raises(RuleError, match="unknown levels: maybe"):
        evaluate(pd.DataFrame(index=range(1)), ruleset(rule("r1", ["maybe"])))


def test_siting_takes_siting_rules_only():
    with pytest.raises(RuleError, match="classification rules"):
        siting_rules(load_rules(kind="classify"))
    assert all(r.kind == "site" for r in siting_rules(None).rules)


def test_facilities_come_from_the_rule_tables():
    rs = siting_rules(None)
    assert "tailings_pond" in known_facilities(rs)
    assert not bad_facility("尾矿库", rs) and bad_facility("tailing", rs) and not bad_facility(None, rs)
