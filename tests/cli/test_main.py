"""gis.cli.main: the parkgis group — help, version, lazy subcommands, bilingual errors, missing extras."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner
from toylayers import box, parcels, write_toy_gpkg

from gis.cli.main import cli


@pytest.fixture(scope="module")
def toy_src(tmp_path_factory):
    return str(write_toy_gpkg(tmp_path_factory.mktemp("toy") / "toy.gpkg"))


@pytest.fixture
def parcel_file(tmp_path):
    p = parcels([("a", box(3, 3, 4, 4)), ("b", box(15, 3, 16, 4)), ("c", box(8, 3, 9, 4)), ("d", None)])
    p["enterprise_zh"] = ["甲机械有限公司", "乙食品有限公司", "丙化工有限公司", "丁公司"]
    path = tmp_path / "parcels.gpkg"
    p.to_file(path)
    return path


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_help_and_version():
    r = run("--help")
    assert r.exit_code == 0 and "classify" in r.output and "崇明" in r.output
    r = run("--version")
    assert r.exit_code == 0 and "parkgis" in r.output


def test_every_subcommand_is_listed():
    r = run("--help")
    for name in ("layers", "classify", "rules", "convert", "synth", "map", "density", "grade", "site-check", "report",
                 "demo"):
        assert name in r.output


def test_console_script_exit_code(tmp_path):
    """The installed entry point turns a user error into exit 2 and no traceback."""
    r = subprocess.run([sys.executable, "-m", "gis.cli", "layers", "--layers", str(tmp_path / "none.gpkg")],
                       capture_output=True, text=True)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and "not found" in r.stderr and "找不到" in r.stderr


def test_missing_optional_dependency_names_the_extra(monkeypatch, tmp_path, toy_src, parcel_file):
    """Without an extra, a command says which one to install instead of printing a traceback."""
    import builtins

    real_import = builtins.__import__

    def no_openpyxl(name, *args, **kwargs):
        if name.split(".")[0] == "openpyxl":
            raise ModuleNotFoundError("No module named 'openpyxl'", name="openpyxl")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_openpyxl)
    r = CliRunner().invoke(cli, ["classify", str(parcel_file), "--layers", toy_src, "-o", str(tmp_path / "o.gpkg"),
                                 "--summary", str(tmp_path / "s.xlsx")])
    assert r.exit_code == 2
    assert "parkgis[excel]" in r.output and "Traceback" not in r.output


def test_main_help_lists_every_command_in_chinese_and_english():
    """`parkgis --help`: each command's line has Chinese and English; no help mentions internal documents."""
    import re

    from click.testing import CliRunner

    from gis.cli.main import _lazy_commands, cli

    out = CliRunner().invoke(cli, ["--help"]).output
    listing = out.split("Commands:")[1]
    for name in _lazy_commands():
        block = listing.split(f"\n  {name} ")[1].split("\n  ")[0] if f"\n  {name} " in listing else ""
        assert re.search(r"[\u4e00-\u9fff]", block) and re.search(r"[A-Za-z]{4,}", block), name
    for name, cmd in _lazy_commands().items():
        text = CliRunner().invoke(cli, [name, "--help"]).output
        assert "DESIGN" not in text and "§" not in text, name
        assert cmd.help


def test_a_library_warning_becomes_one_bilingual_note(caplog):
    """No library's raw warning text on the console: a bilingual note once per kind, details at -v."""
    import logging

    from gis.cli import main

    main._WARNED.clear()
    with caplog.at_level(logging.INFO, logger="gis.cli"):
        main.library_warning(RuntimeWarning("invalid value encountered in subtract"), RuntimeWarning, "x.py", 1)
        main.library_warning(RuntimeWarning("again"), RuntimeWarning, "x.py", 2)
    notes = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(notes) == 1 and "技术性警告" in notes[0].getMessage() and "technical warning" in notes[0].getMessage()
    assert any("invalid value" in r.getMessage() for r in caplog.records if r.levelno == logging.INFO)
