"""The CLI: bilingual errors without tracebacks, classify to every format, layers, rules."""

from __future__ import annotations

import subprocess
import sys

import geopandas as gpd
import pytest
from click.testing import CliRunner

from gis.cli.main import cli
from gis.io.vector import read_vector
from toylayers import box, parcels, write_toy_gpkg


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


@pytest.mark.parametrize("suffix", [".gpkg", ".geojson", ".shp", ".fgb", ".parquet", ".csv"])
def test_classify_every_format(tmp_path, toy_src, parcel_file, suffix):
    out = tmp_path / f"res{suffix}"
    r = run("classify", parcel_file, "--layers", toy_src, "-o", out)
    assert r.exit_code == 0, r.output
    back = read_vector(out, assume_crs="EPSG:4326" if suffix == ".csv" else None)
    assert len(back) == 4
    action = back["action"].tolist()
    assert action[:3] == ["upgrade", "transform", "reduce"]
    assert back["enterprise_zh" if suffix != ".shp" else "enterp_zh"].tolist()[0] == "甲机械有限公司"


def test_classify_gbk_shapefile_and_summaries(tmp_path, toy_src, parcel_file):
    out = tmp_path / "gbk.shp"
    xlsx = tmp_path / "summary.xlsx"
    r = run("classify", parcel_file, "--layers", toy_src, "-o", out, "--out-encoding", "gbk", "--summary", xlsx)
    assert r.exit_code == 0, r.output
    assert out.with_suffix(".cpg").read_text().strip() == "GBK"
    import openpyxl

    wb = openpyxl.load_workbook(xlsx)
    ws = wb.worksheets[0]
    text = " ".join(str(c.value) for row in ws.iter_rows(max_row=6) for c in row if c.value)
    assert "区域类型" in text and "Zone" in text and "km²" in text
    csv = tmp_path / "summary.csv"
    assert run("classify", parcel_file, "--layers", toy_src, "-o", tmp_path / "x.gpkg",
               "--summary", csv).exit_code == 0
    assert "upgrade" in csv.read_text(encoding="utf-8-sig")


def test_classify_to_crs(tmp_path, toy_src, parcel_file):
    out = tmp_path / "p.gpkg"
    assert run("classify", parcel_file, "--layers", toy_src, "-o", out, "--to-crs", "EPSG:4549").exit_code == 0
    assert read_vector(out).crs.to_epsg() == 4549


def test_refuses_to_overwrite_input(toy_src, parcel_file):
    before = parcel_file.read_bytes()
    r = CliRunner().invoke(cli, ["classify", str(parcel_file), "--layers", toy_src, "-o", str(parcel_file)])
    assert r.exit_code == 2
    assert "拒绝覆盖" in r.output and "refusing to overwrite" in r.output
    assert "Traceback" not in r.output
    assert parcel_file.read_bytes() == before


def test_missing_id_field_message(tmp_path, toy_src, parcel_file):
    r = CliRunner().invoke(cli, ["classify", str(parcel_file), "--layers", toy_src, "--id-field", "DKBH",
                                 "-o", str(tmp_path / "o.gpkg")])
    assert r.exit_code == 2
    assert "错误" in r.output and "Error" in r.output and "enterprise_zh" in r.output
    assert not (tmp_path / "o.gpkg").exists()


def test_no_crs_message_names_assume_crs(tmp_path, toy_src):
    p = gpd.GeoDataFrame({"parcel_id": ["a"]}, geometry=[box(3, 3, 4, 4)])
    path = tmp_path / "nocrs.shp"
    p.to_file(path)
    path.with_suffix(".prj").unlink(missing_ok=True)
    r = CliRunner().invoke(cli, ["classify", str(path), "--layers", toy_src, "-o", str(tmp_path / "o.gpkg")])
    assert r.exit_code == 2 and "--assume-crs" in r.output
    r = run("classify", path, "--layers", toy_src, "-o", tmp_path / "o.gpkg", "--assume-crs", "EPSG:4326")
    assert r.exit_code == 0


def test_rules_command():
    r = run("rules")
    assert r.exit_code == 0 and "zone_104_upgrade" in r.output and "riverbank_chemical_reduce" not in r.output
    r = run("rules", "--all")
    assert "riverbank_chemical_reduce" in r.output and "长江保护法" in r.output


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


def test_layers_command_on_toy(toy_src):
    r = run("layers", "--layers", toy_src)
    assert r.exit_code == 0
    assert "zone_195" in r.output and "yangtze_1km" in r.output and "104+195+198" in r.output


def test_console_script_exit_code(tmp_path):
    """The installed entry point turns a user error into exit 2 and no traceback."""
    r = subprocess.run([sys.executable, "-m", "gis.cli", "layers", "--layers", str(tmp_path / "none.gpkg")],
                       capture_output=True, text=True)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and "not found" in r.stderr and "找不到" in r.stderr


def test_classify_default_sample_every_format(tmp_path):
    """Issue acceptance: the embedded sample parcels go out in every format, with an Excel summary."""
    from gis.report.demo import sample_parcels_path

    src = sample_parcels_path()
    first = None
    for suffix in (".gpkg", ".geojson", ".shp", ".fgb", ".parquet", ".csv"):
        out = tmp_path / f"sample{suffix}"
        args = ["classify", src, "--layer", "parcels", "-o", out]
        if suffix == ".gpkg":
            args += ["--summary", tmp_path / "summary.xlsx"]
        r = run(*args)
        assert r.exit_code == 0, r.output
        back = read_vector(out, assume_crs="EPSG:4326" if suffix == ".csv" else None)
        assert len(back) == 3000
        if first is None:
            first = back["action"].value_counts().to_dict()
            assert set(first) == {"upgrade", "transform", "reduce"}
        assert back["action"].value_counts().to_dict() == first
    import openpyxl

    assert openpyxl.load_workbook(tmp_path / "summary.xlsx").worksheets


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
