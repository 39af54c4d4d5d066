"""``parkgis classify``: every format, encodings, CRS, summaries, refusals and the console summary."""

from __future__ import annotations

import geopandas as gpd
import pytest
from click.testing import CliRunner
from toylayers import box, parcels, write_toy_gpkg

from gis.cli.main import cli
from gis.io.vector import read_vector


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


def test_console_summary_counts_actions_and_flags(tmp_path, toy_src, parcel_file):
    r = CliRunner().invoke(cli, ["classify", str(parcel_file), "--layers", toy_src, "-o", str(tmp_path / "o.gpkg"),
                                 "--summary", str(tmp_path / "s.csv")])
    assert r.exit_code == 0, r.output
    lines = r.stderr.splitlines()
    assert lines[0].startswith("已分类 4 个地块 → ") and "classified 4 parcels" in lines[0]
    assert {"  升级 upgrade: 1", "  转型 transform: 1", "  减量化 reduce: 1", "  未分类 unclassified: 1"} <= set(lines)
    assert any(line.startswith("  有标记 flagged: ") for line in lines)
    assert lines[-1] == f"汇总表 summary → {tmp_path / 's.csv'}"


# --------------------------------------------------------------------------- datums (DESIGN §7)


@pytest.mark.parametrize("suffix", [".gpkg", ".geojson", ".shp", ".fgb", ".parquet", ".csv", ".txt"])
def test_gcj02_input_is_written_in_wgs84(tmp_path, suffix):
    """`classify picks.geojson --datum gcj02 -o x.gpkg` once wrote the GCJ-02 coordinates labelled
    EPSG:4326. Now every output holds the WGS84 truth (within 1 m) under its label; the pick's own
    lon/lat columns say GCJ-02 in their name."""
    from datum_truth import gcj02_picks, metres_off

    src = tmp_path / "picks.geojson"
    gcj02_picks().to_file(src)
    out = tmp_path / f"x{suffix}"
    r = run("classify", src, "--datum", "gcj02", "-o", out)
    assert r.exit_code == 0, r.output
    assert "gcj02" not in out.name and not list(tmp_path.glob("*.gcj02.*"))
    back = read_vector(out, assume_crs="EPSG:4326" if suffix == ".csv" else None)
    if suffix == ".txt":  # CGCS2000 Gauss–Krüger plane coordinates, one block per parcel
        back = back.rename(columns={"block_id": "parcel_id"}) if "block_id" in back else back
    else:
        assert back.crs.to_epsg() == 4326
        assert {"lon_gcj02", "lat_gcj02"} <= set(back.columns) and "lon" not in back.columns
    assert (metres_off(back) < 1.0).all(), metres_off(back)


def test_out_datum_gcj02_says_so(tmp_path):
    """A deliberate GCJ-02 output for a web map: its name, CRS (no EPSG code), description and a printed note
    say GCJ-02, and its coordinates are the truth shifted to GCJ-02."""
    import pyogrio
    import pyproj
    from datum_truth import TRUTH, metres_off

    src = tmp_path / "truth.gpkg"
    TRUTH.to_file(src)
    r = run("classify", src, "-o", tmp_path / "web.gpkg", "--out-datum", "gcj02")
    assert r.exit_code == 0, r.output
    out = tmp_path / "web.gcj02.gpkg"
    assert out.exists() and not (tmp_path / "web.gpkg").exists()
    assert "web.gcj02.gpkg" in r.stderr and "GCJ-02" in r.stderr and "不是 WGS84/EPSG:4326" in r.stderr
    info = pyogrio.read_info(out)
    assert "GCJ-02" in info["crs"] and pyproj.CRS(info["crs"]).to_epsg() is None
    assert "GCJ-02" in info["layer_metadata"]["DESCRIPTION"]
    back = read_vector(out)
    assert back.crs.to_epsg() is None and "GCJ-02" in back.crs.name
    assert (metres_off(back) < 1.0).all()
    # read back, it is taken for what it is: classified again without --datum, the WGS84 truth
    again = tmp_path / "again.gpkg"
    assert run("classify", out, "-o", again).exit_code == 0
    assert read_vector(again).crs.to_epsg() == 4326 and (metres_off(read_vector(again)) < 1.0).all()


@pytest.mark.parametrize("args, words", [
    (["-o", "x.txt", "--out-datum", "gcj02"], "CGCS2000"),
    (["-o", "x.gpkg", "--out-datum", "gcj02", "--to-crs", "EPSG:4549"], "lon/lat"),
])
def test_out_datum_refusals(tmp_path, toy_src, parcel_file, args, words):
    args = [str(tmp_path / a) if a.startswith("x.") else a for a in args]
    r = CliRunner().invoke(cli, ["classify", str(parcel_file), "--layers", toy_src, *args])
    assert r.exit_code == 2 and words in r.output and "Traceback" not in r.output
    assert not list(tmp_path.glob("x*"))
