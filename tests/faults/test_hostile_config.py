"""Hostile configuration files: rules, targets and layer manifests through the one validator (gis.config).

Each case is a small TOML file a careless or hostile planner might write; each
refusal names the key and the file, in Chinese and English, with a hint, exit 2.
"""

from __future__ import annotations

import pytest
from faults_common import assert_refused, run, snapshot, toy_parcels
from toylayers import toy_layers

GBK_COMMENT = "# 注释\n".encode("gbk")

RULES = [
    ('[rules.riverbank_chemical_reduce]\nenabled = "false"\n', ["[rules.riverbank_chemical_reduce].enabled",
                                                                "enabled = false"]),
    ("[rules.riverbank_chemical_reduce]\ndistance_m = -5.0\n", ["distance_m", "cannot be negative"]),
    ("[rules.riverbank_chemical_reduce]\ndistance_m = nan\n", ["distance_m", "not a finite number"]),
    ("[rules.riverbank_chemical_reduce]\ndistance_m = inf\n", ["distance_m", "not a finite number"]),
    ('[rules.riverbank_chemical_reduce]\npriority = "high"\n', ["priority", "is text, not a number"]),
    ("[rules.riverbank_chemical_reduce]\npriority = 1.5\n", ["priority", "whole number"]),
    ('[rules.riverbank_chemical_reduce]\nindustries = "25"\n', ["industries", "must be a list"]),
    ("[rules.riverbank_chemical_reduce]\nindustries = [25.5]\n", ["industries[1]", "text or a whole number"]),
    ("[rules.riverbank_chemical_reduce]\nenabld = true\n", ["enabld", "enabled"]),
    ("[rules.no_such_rule]\nenabled = true\n", ["[rules].no_such_rule", "does not exist"]),
    ('modules = "my_rules.py"\n', ["modules", "must be a list"]),
    ("[rulez]\n", ["rulez", "not a known key"]),
    ("[[rules.site_riverbank_bans.bans]]\nfacility = \"x\"\ndistance_m = inf\n", ["distance_m", "finite"]),
    ("[rules\n", ["not valid TOML"]),
    (GBK_COMMENT + b"[rules.zone_104_upgrade]\nenabled = true\n", ["not UTF-8", "line 1"]),
]


@pytest.fixture
def case(tmp_path):
    p = toy_parcels(tmp_path / "parcels.gpkg")
    layers = tmp_path / "layers"
    layers.mkdir()
    for role, gdf in toy_layers().items():
        gdf.to_file(layers / f"{role}.geojson")
    return tmp_path, p, layers


def _write(path, text):
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


@pytest.mark.parametrize("text, words", RULES, ids=[f"rules{i}" for i in range(len(RULES))])
def test_hostile_rules(case, text, words):
    d, parcels, layers = case
    cfg = _write(d / "rules.toml", text)
    before = snapshot(d)
    assert_refused(run("classify", parcels, "--layers", layers, "--rules", cfg, "-o", d / "out.gpkg"),
                   "rules.toml", *words)
    assert snapshot(d) == before


TARGETS = [
    ("[density]\ngrowth_rate = 4.5\n", ["[density].growth_rate", "0.045", "4.5 %"]),
    ("[density]\ngrowth_rate = -0.02\n", ["growth_rate", "cannot be negative"]),
    ("[density]\ntarget_yi_per_km2 = -1\n", ["[density].target_yi_per_km2", "cannot be negative"]),
    ("[density]\ntarget_yi_per_km2 = nan\n", ["target_yi_per_km2", "not a finite number"]),
    ("[density]\ntarget_yi_per_km2 = inf\n", ["target_yi_per_km2", "not a finite number"]),
    ('[density]\ntarget_yi_per_km2 = "30"\n', ["target_yi_per_km2", "is text"]),
    ("[plan]\nbase_year = 2024.5\n", ["[plan].base_year", "whole number"]),
    ("[plan]\nbase_year = 1800\n", ["base_year", "at least 1900"]),
    ("[plan]\ngrowth_rate = 0.045\n", ["[plan].growth_rate", "not a known key"]),
    ("[zhangjiang]\nrd_share_pct = 300\n", ["rd_share_pct", "at most 100"]),
    ("[grading.weights]\noutput_wan_per_mu = -0.3\n", ["output_wan_per_mu", "cannot be negative"]),
    ("[grading]\nscore_cap = 0\n", ["score_cap", "greater than 0"]),
    ('[park_output.targets_yi]\n"新园区" = -5\n', ["新园区", "cannot be negative"]),
    ('[density]\napplies_to = "park"\n', ["applies_to", "must be a list", '["park"]']),
    ('[park_output]\nprefer = "yes"\n', ["prefer", "layer, toml"]),
    ("[checks]\nmax_parcel_output_wan = inf\n", ["max_parcel_output_wan", "finite"]),
    (GBK_COMMENT + b"[density]\ntarget_yi_per_km2 = 30\n", ["not UTF-8", "GBK"]),
]


@pytest.mark.parametrize("text, words", TARGETS, ids=[f"targets{i}" for i in range(len(TARGETS))])
def test_hostile_targets(case, text, words):
    d, parcels, layers = case
    t = _write(d / "targets.toml", text)
    before = snapshot(d)
    assert_refused(run("density", parcels, "--layers", layers, "--targets", t, "-o", d / "d.csv"),
                   "targets.toml", *words)
    assert snapshot(d) == before


def test_a_percentage_text_is_read_as_a_fraction(case):
    d, parcels, layers = case
    t = _write(d / "targets.toml", '[density]\ngrowth_rate = "4.5%"\n')
    r = run("density", parcels, "--layers", layers, "--targets", t, "-o", d / "d.csv")
    assert r.exit_code == 0, r.output
    assert "4.5 %" in r.stderr or "4.5%" in r.stderr


MANIFESTS = [
    ('illustrative = "false"\n', ["[layers.parks].illustrative", "illustrative = false"]),
    ('datum = "gcj-02"\n', ["[layers.parks].datum", "wgs84, cgcs2000, gcj02, bd09"]),
    ('fiel = "x.geojson"\n', ["fiel", "file"]),
    ("[layers.parks.fields]\npark_id = 7\n", ["park_id", "must be text"]),
]


@pytest.mark.parametrize("extra, words", MANIFESTS, ids=[f"manifest{i}" for i in range(len(MANIFESTS))])
def test_hostile_manifest(case, extra, words):
    d, parcels, layers = case
    lines = [f'[layers.{role}]\nfile = "{role}.geojson"\n' + (extra if role == "parks" else "")
             for role in toy_layers()]
    m = _write(layers / "manifest.toml", "\n".join(lines))
    assert_refused(run("layers", "--layers", m), "manifest.toml", *words)


def test_unknown_role_in_a_manifest(case):
    d, parcels, layers = case
    m = _write(layers / "manifest.toml", '[layers.park]\nfile = "parks.geojson"\n')
    assert_refused(run("layers", "--layers", m), "[layers].park", "parks")


def test_non_utf8_manifest(case):
    d, parcels, layers = case
    m = _write(layers / "manifest.toml", GBK_COMMENT + b'[layers.district]\nfile = "district.geojson"\n')
    assert_refused(run("layers", "--layers", m), "manifest.toml", "not UTF-8")
