"""``parkgis rules``: the listing and the README's rule table."""

from __future__ import annotations

from click.testing import CliRunner

from gis.cli.main import cli


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_rules_command():
    r = run("rules")
    assert r.exit_code == 0 and "zone_104_upgrade" in r.output and "riverbank_chemical_reduce" not in r.output
    r = run("rules", "--all")
    assert "riverbank_chemical_reduce" in r.output and "长江保护法" in r.output


def test_rules_all_lists_classification_and_siting_rules():
    """`parkgis rules --all` (the README tour) shows both kinds without a further flag."""
    out = run("rules", "--all").output
    assert "Classification rules" in out and "Siting rules" in out
    assert out.index("zone_104_upgrade") < out.index("site_riverbank_bans")
    only_site = run("rules", "--kind", "site").output
    assert "site_zone_direction" in only_site and "zone_104_upgrade" not in only_site


def test_readme_rule_table_is_generated():
    """The README's rule table is the output of `parkgis rules --markdown`, so it cannot drift."""
    import importlib.util
    from pathlib import Path

    from gis.cli.rules_cmd import rules_markdown

    root = Path(__file__).resolve().parents[2]
    spec = importlib.util.spec_from_file_location("update_readme", root / "tools" / "update_readme.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert rules_markdown("classify") in readme
    assert mod.regenerate(readme) == readme, "run: python tools/update_readme.py"


def test_short_param_keeps_listings_short():
    from gis.cli.rules_cmd import short_param

    assert short_param(list(range(20))) == "0…19 (20)"
    assert short_param([{"label_en": "chemical", "distance_m": 1000, "level": "prohibited"}]) == \
        "chemical ≤ 1000 m → prohibited"
    assert short_param(3.5) == "3.5"
