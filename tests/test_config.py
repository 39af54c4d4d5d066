"""Tests of gis/config.py: the one validator of configuration files and numeric options."""

from __future__ import annotations

import math

import pytest

from gis.config import (
    Where,
    boolean,
    choice,
    fraction,
    key_text,
    like,
    number,
    option_number,
    read_toml,
    table,
    value_range,
)
from gis.errors import ConfigError, RuleError

W = Where("mine.toml", "目标文件", "targets file")


def test_key_text():
    assert key_text(("plan", "growth_rate")) == "[plan].growth_rate"
    assert key_text(("rules", "x", "enabled")) == "[rules.x].enabled"
    assert key_text(("modules",)) == "modules" and key_text("--cell") == "--cell"


def test_a_message_names_key_value_and_file_in_both_languages():
    with pytest.raises(ConfigError) as exc:
        number("30", ("density", "target_yi_per_km2"), W)
    e = exc.value
    assert e.message_zh.startswith("目标文件“mine.toml”中 [density].target_yi_per_km2 = \"30\"")
    assert e.message_en.startswith("In targets file 'mine.toml', [density].target_yi_per_km2 = \"30\": is text")
    assert e.hint_zh and e.hint_en


@pytest.mark.parametrize("value", ["false", "true", "no", "是", 0, 1, None])
def test_boolean_is_true_or_false_only(value):
    with pytest.raises(ConfigError, match="enabled"):
        boolean(value, ("rules", "r", "enabled"), W)
    assert boolean(False, "x", W) is False


def test_quoted_false_says_how_to_write_it():
    with pytest.raises(ConfigError) as exc:
        boolean("false", ("rules", "r", "enabled"), W)
    assert "[rules.r].enabled = false" in exc.value.hint_en and "would count as true" in exc.value.message_en


@pytest.mark.parametrize("value, kwargs, match", [
    (math.nan, {}, "finite"), (math.inf, {}, "finite"), (-math.inf, {}, "finite"), (True, {}, "boolean"),
    ([1], {}, "must be a number"), (-1, {"minimum": 0}, "negative"), (5, {"maximum": 4}, "at most 4"),
    (0, {"above": 0}, "greater than 0"), (2.5, {"integer": True}, "whole number"),
])
def test_number_refusals(value, kwargs, match):
    with pytest.raises(ConfigError, match=match):
        number(value, "k", W, **kwargs)


def test_number_accepts_integral_floats_as_integers():
    assert number(2024.0, "year", W, integer=True) == 2024 and isinstance(number(2024.0, "y", W, integer=True), int)


@pytest.mark.parametrize("text, value", [("4.5%", 0.045), (" 12 % ", 0.12), ("0.5％", 0.005), (0.045, 0.045),
                                         (1, 1.0), (0, 0.0)])
def test_fraction_accepts_fractions_and_percent_text(text, value):
    assert fraction(text, ("density", "growth_rate"), W) == pytest.approx(value)


def test_a_percentage_written_as_a_number_is_refused_with_the_fraction_to_write():
    with pytest.raises(ConfigError) as exc:
        fraction(4.5, ("density", "growth_rate"), W)
    assert "0.045" in exc.value.hint_en and "4.5 %" in exc.value.hint_en and "0.045" in exc.value.hint_zh
    with pytest.raises(ConfigError, match="text, not a fraction"):
        fraction("fast", "g", W)


@pytest.mark.parametrize("name, spec", [
    ("growth_rate", {"fraction": True}), ("yangtze_1km_share", {"fraction": True}), ("rd_share_pct",
                                                                                        {"minimum": 0, "maximum": 100}),
    ("base_year", {"integer": True, "minimum": 1900, "maximum": 2100}), ("priority", {"integer": True}),
    ("distance_m", {"minimum": 0}), ("target_yi_per_km2", {"minimum": 0}), ("energy_tce", {"minimum": 0}),
    ("A", {}), ("score_cap", {}),
])
def test_ranges_follow_the_units_in_names(name, spec):
    assert value_range(name) == spec


def test_like_checks_against_the_default():
    default = {"plan": {"base_year": 2024}, "density": {"growth_rate": 0.045, "applies_to": ["park"]},
               "park_output": {"targets_yi": {"甲": 10.0}}}
    got = like({"density": {"growth_rate": "4.5%"}, "park_output": {"targets_yi": {"乙": 3}}}, default, (), W,
               free=[("park_output", "targets_yi")])
    assert got == {"density": {"growth_rate": 0.045}, "park_output": {"targets_yi": {"乙": 3}}}
    with pytest.raises(ConfigError, match=r"\[park_output.targets_yi\].乙 = -3: cannot be negative"):
        like({"park_output": {"targets_yi": {"乙": -3}}}, default, (), W, free=[("park_output", "targets_yi")])
    with pytest.raises(ConfigError, match="must be a list"):
        like({"density": {"applies_to": "park"}}, default, (), W)
    with pytest.raises(ConfigError, match=r"\[plan\].growth_rate: is not a known key"):
        like({"plan": {"growth_rate": 0.04}}, default, (), W)


def test_unknown_keys_suggest_the_near_one():
    with pytest.raises(ConfigError) as exc:
        table({"enabld": True}, ("rules", "r"), W, ["enabled", "priority"])
    assert "enabld → enabled" in exc.value.hint_en


def test_choice():
    assert choice("TOML", "prefer", W, ("layer", "toml")) == "toml"
    with pytest.raises(ConfigError, match="one of: layer, toml"):
        choice("yes", "prefer", W, ("layer", "toml"))


def test_read_toml_encodings_and_syntax(tmp_path):
    w = Where("x", "规则配置", "rule configuration", RuleError)
    p = tmp_path / "a.toml"
    p.write_bytes(b"\xef\xbb\xbf[a]\nb = 1\n")  # Notepad's byte-order mark is fine
    assert read_toml(p, w) == {"a": {"b": 1}}
    p.write_bytes("[a]\n# 注释\nb = 1\n".encode("gbk"))
    with pytest.raises(RuleError) as exc:
        read_toml(p, w)
    assert "line 2" in exc.value.message_en and "GBK" in exc.value.message_en and "UTF-8" in exc.value.hint_en
    p.write_text("[a\n", encoding="utf-8")
    with pytest.raises(RuleError, match="not valid TOML"):
        read_toml(p, w)
    with pytest.raises(RuleError, match="not found"):
        read_toml(tmp_path / "none.toml", w)


@pytest.mark.parametrize("value", [math.nan, math.inf, -1.0, 0.0])
def test_option_number(value):
    with pytest.raises(ConfigError) as exc:
        option_number(value, "--cell", above=0, unit_zh="米", unit_en="metres")
    assert exc.value.message_en.startswith("Option --cell = ") and exc.value.hint_en == "Unit: metres."
