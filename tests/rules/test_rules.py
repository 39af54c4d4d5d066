"""The rule mechanism: defaults, precedence, user configuration and plug-in modules."""

from __future__ import annotations

import pytest
from toylayers import box, parcels, write_toy_gpkg

from gis.classification.classify import classify
from gis.errors import RuleError
from gis.layers.layerset import load_layers
from gis.rules import load_rules


@pytest.fixture(scope="module")
def toy(tmp_path_factory):
    return load_layers(write_toy_gpkg(tmp_path_factory.mktemp("toy") / "toy.gpkg"))


def test_default_rules_are_exactly_the_zone_directions():
    rs = load_rules()
    assert [r.id for r in rs.rules] == ["zone_104_upgrade", "zone_195_transform", "zone_198_reduce"]
    assert "riverbank_chemical_reduce" in rs.available
    for r in rs.available.values():
        assert r.basis_zh and r.basis_en and r.title_zh and r.title_en


def _chem_near_bank():
    p = parcels([("chem", box(8, 0.2, 9, 0.8)), ("food", box(10, 0.2, 11, 0.8)), ("far", box(8, 5, 9, 6)),
                 ("nocode", box(12, 0.2, 12.5, 0.8))])
    p["industry"] = ["2614", "1310", "2614", None]
    return p


def test_optional_rule_off_by_default(toy):
    res = classify(_chem_near_bank(), toy)
    assert res["action"].tolist() == ["reduce"] * 4
    assert set(res["rule"]) == {"zone_198_reduce"}


def test_turning_on_a_rule_and_precedence(toy, tmp_path):
    cfg = tmp_path / "r.toml"
    cfg.write_text("[rules.riverbank_chemical_reduce]\nenabled = true\n", encoding="utf-8")
    res = classify(_chem_near_bank(), toy, rules=str(cfg)).set_index("parcel_id")
    assert res.loc["chem", "rule"] == "riverbank_chemical_reduce"  # priority 100 beats the zone rule
    assert "长江保护法" in res.loc["chem", "reason_zh"] and "art. 26" in res.loc["chem", "reason_en"]
    assert res.loc["food", "rule"] == "zone_198_reduce"
    assert res.loc["far", "rule"] == "zone_198_reduce"
    assert res.loc["nocode", "rule"] == "zone_198_reduce"


def test_parameters_change_behaviour(toy):
    res = classify(_chem_near_bank(), toy, rules={"rules": {"riverbank_chemical_reduce": {
        "enabled": True, "distance_m": 100.0}}}).set_index("parcel_id")
    assert res.loc["chem", "rule"] == "zone_198_reduce"  # 222 m from the bank, beyond 100 m


def test_turning_a_rule_off_leaves_parcels_undecided(toy):
    res = classify(parcels([("a", box(8, 3, 9, 4))]), toy,
                   rules={"rules": {"zone_198_reduce": {"enabled": False}}})
    assert res.loc[0, "action"] is None and res.loc[0, "zone"] == "198"
    assert "No enabled rule" in res.loc[0, "reason_en"]


def test_user_rule_module_by_path(toy, tmp_path):
    mod = tmp_path / "big_parcels.py"
    mod.write_text('''
from gis.rules import Decision, Rule

def decide(table, params):
    mask = (table["area_m2"] >= params["min_area_m2"]).to_numpy()
    return Decision(mask=mask, action="transform", reason_zh="大地块。", reason_en="Large parcel.")

RULE = Rule(id="big_parcels", kind="classify", title_zh="大地块转型", title_en="Large parcels transform",
            basis_zh="测试", basis_en="test", func=decide, params={"min_area_m2": 2e6}, priority=50)
''', encoding="utf-8")
    cfg = tmp_path / "cfg.toml"
    cfg.write_text('modules = ["big_parcels.py"]\n[rules.big_parcels]\nmin_area_m2 = 1.5e6\n', encoding="utf-8")
    res = classify(parcels([("small", box(8, 3, 9, 4)), ("big", box(8, 5, 10, 6))]), toy, rules=str(cfg))
    assert res["rule"].tolist() == ["zone_198_reduce", "big_parcels"]
    assert res.loc[1, "action"] == "transform"


def test_unknown_rule_and_parameter(tmp_path):
    with pytest.raises(RuleError) as exc:
        load_rules({"rules": {"no_such_rule": {"enabled": True}}})
    assert "zone_104_upgrade" in exc.value.message_en
    with pytest.raises(RuleError, match="distance_km"):
        load_rules({"rules": {"riverbank_chemical_reduce": {"distance_km": 1}}})


def test_bad_config_file(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[rules\n", encoding="utf-8")
    with pytest.raises(RuleError, match="TOML"):
        load_rules(bad)
    with pytest.raises(RuleError, match="not found"):
        load_rules({"modules": ["missing_file.py"]})


def test_module_without_rule(tmp_path):
    mod = tmp_path / "norule.py"
    mod.write_text("x = 1\n", encoding="utf-8")
    with pytest.raises(RuleError, match="RULE"):
        load_rules({"modules": [str(mod)]})


def test_rule_from_entry_point(tmp_path, monkeypatch):
    """A package can add a rule through the `parkgis.rules` entry point."""
    from importlib.metadata import EntryPoint

    import gis.rules as rules_mod

    (tmp_path / "planner_plugin_rules.py").write_text('''
from gis.rules import Decision, Rule

RULE = Rule(id="plugin_rule", kind="classify", title_zh="插件规则", title_en="Plug-in rule",
            basis_zh="测试", basis_en="test", priority=1, default_enabled=False,
            func=lambda table, params: Decision(mask=table["zone"].notna().to_numpy(), action="upgrade",
                                                 reason_zh="插件。", reason_en="Plug-in."))
''', encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    ep = EntryPoint(name="plugin_rule", value="planner_plugin_rules", group="parkgis.rules")
    monkeypatch.setattr(rules_mod, "entry_points", lambda group: [ep] if group == "parkgis.rules" else [])
    rs = load_rules()
    assert "plugin_rule" in rs.available and "plugin_rule" not in [r.id for r in rs.rules]
    rs = load_rules({"rules": {"plugin_rule": {"enabled": True, "priority": 99}}})
    assert rs.rules[0].id == "plugin_rule"
