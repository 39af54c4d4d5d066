"""``parkgis site-check``: text, JSON, report, batch, and errors as bilingual non-zero exits."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from click.testing import CliRunner
from toylayers import LAT0, LON0, box, write_toy_gpkg

from gis.cli.main import cli
from gis.io.vector import read_vector

DESIGN_KEYS = ["verdict", "zone", "park_id", "town", "riverbank_m", "yangtze_1km", "in_reserve", "checks"]


@pytest.fixture(scope="module")
def toy_src(tmp_path_factory):
    return str(write_toy_gpkg(tmp_path_factory.mktemp("toy") / "toy.gpkg"))


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def ll(x, y):
    return f"{LON0 + x * 0.01},{LAT0 + y * 0.01}"


def test_text_output(toy_src):
    r = run("site-check", "--layers", toy_src, "--lonlat", ll(4, 4), "--industry", "3670", "--name", "甲项目")
    assert r.exit_code == 0, r.output
    assert "选址检查 Site check：甲项目" in r.stdout
    assert "结论 Verdict：可准入 ALLOWED" in r.stdout
    assert "site_park_positioning" in r.stdout


def test_json_output_is_the_design_shape(toy_src):
    r = run("site-check", "--layers", toy_src, "--lonlat", ll(8, 0.5), "--industry", "2614", "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert list(d)[:8] == DESIGN_KEYS
    assert d["verdict"] == "prohibited" and d["zone"] == "198" and d["yangtze_1km"] is True
    assert d["checks"][0]["rule"] == "site_riverbank_bans"
    for c in d["checks"]:
        assert list(c)[:5] == ["rule", "level", "message_zh", "message_en", "basis"]


def test_gcj02_datum_option(toy_src):
    a = json.loads(run("site-check", "--layers", toy_src, "--lonlat", ll(8, 5), "--json").stdout)
    b = json.loads(run("site-check", "--layers", toy_src, "--lonlat", ll(8, 5), "--datum", "gcj02",
                       "--json").stdout)
    # GCJ-02 coordinates lie ≈ 200 m south of the true place here: converted, the site is further north.
    assert b["riverbank_m"] - a["riverbank_m"] == pytest.approx(199, abs=15)


def test_report_is_self_contained(toy_src, tmp_path):
    out = tmp_path / "rep"
    r = run("site-check", "--layers", toy_src, "--lonlat", ll(8, 0.5), "--radius-m", "150", "--industry", "2614",
            "--report", out)
    assert r.exit_code == 0, r.output
    html = (out / "site.html").read_text(encoding="utf-8")
    png = (out / "site.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert "data:image/png;base64," in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html), "the report must not load anything"
    assert "<script" not in html
    assert "禁止" in html and "PROHIBITED" in html and "第二十六条" in html
    assert not list(out.glob(".*tmp*")), "no temporary files left behind"


def test_site_file_option(toy_src, tmp_path):
    path = tmp_path / "site.gpkg"
    gpd.GeoDataFrame({"name": ["文件"]}, geometry=[box(3, 3, 3.2, 3.2)], crs=4326).to_file(path)
    r = run("site-check", "--layers", toy_src, "--site", path, "--industry", "3670", "--output-wan", "30000",
            "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["name"] == "文件" and d["land_source"] == "site" and d["land_m2"] > 40000


def test_wkt_option(toy_src):
    r = run("site-check", "--layers", toy_src, "--wkt", box(3, 3, 3.2, 3.2).wkt, "--industry", "3670",
            "--land-m2", "5000", "--json")
    d = json.loads(r.stdout)
    assert d["land_m2"] == 5000 and d["land_source"] == "given" and d["area_m2"] > 40000


@pytest.mark.parametrize("args, zh, en", [
    (["--lonlat", "121.45,31.50"], "区界之外", "outside the district"),
    (["--lonlat", "121.45"], "坐标", "Coordinate"),
    (["--lonlat", "31.6,121.45"], "写反", "swapped"),
    (["--lonlat", ll(4, 4), "--industry", "9x"], "行业代码", "Industry code"),
    (["--lonlat", ll(4, 4), "--facility", "tailing"], "设施类型", "facility type"),
    (["--wkt", "POLYGON ((1 2"], "WKT", "WKT"),
    ([], "--lonlat", "--lonlat"),
    (["--lonlat", ll(4, 4), "--wkt", "POINT (121.44 31.59)"], "只给出一种", "exactly one"),
    (["--lonlat", ll(4, 4), "-o", "x.csv"], "批量", "batch"),
    (["--wkt", box(3, 3, 3.2, 3.2).wkt, "--radius-m", "100"], "点状", "point"),
])
def test_errors_are_bilingual_and_non_zero(toy_src, args, zh, en):
    r = run("site-check", "--layers", toy_src, *args)
    assert r.exit_code == 2
    assert "Traceback" not in r.output
    assert zh in r.stderr and en in r.stderr
    assert "错误" in r.stderr and "Error" in r.stderr


def _projects_csv(path, n=30):
    rows = []
    for i in range(n):
        x, y = 0.5 + (i * 0.61) % 19, 0.2 + (i * 0.37) % 9.6
        rows.append({"project_id": f"P{i}", "lon": LON0 + x * 0.01, "lat": LAT0 + y * 0.01,
                     "industry": ["2614", "3670", "1311", "6510"][i % 4], "output_wan": 1000 + i,
                     "land_m2": 10000})
    df = pd.DataFrame(rows).astype({"lon": object})
    df.loc[2, "industry"] = "ZZ"
    df.loc[4, "lon"] = "abc"
    df.loc[6, "lat"] = 31.40                        # south of the district, in the river
    df.to_csv(path, index=False)
    return df


@pytest.mark.parametrize("suffix", [".csv", ".gpkg", ".xlsx"])
def test_batch(toy_src, tmp_path, suffix):
    src = tmp_path / "projects.csv"
    df = _projects_csv(src)
    out = tmp_path / f"results{suffix}"
    r = run("site-check", "--layers", toy_src, "--projects", src, "-o", out)
    assert r.exit_code == 0, r.output
    assert "checked 30 projects" in r.stderr and "took" in r.stderr and "(30/s)" not in r.stderr
    if suffix == ".xlsx":
        res = pd.read_excel(out, header=None)
        assert res.astype(str).apply(lambda c: c.str.contains("P29")).any().any()
        return
    res = read_vector(out, assume_crs="EPSG:4326" if suffix == ".csv" else None)
    assert len(res) == len(df)
    assert list(res["project_id"].astype(str)) == list(df["project_id"])
    err = res["error_zh"].notna() & (res["error_zh"].astype(str) != "")
    assert set(res.loc[err, "project_id"]) == {"P2", "P4", "P6"}
    ok = res.loc[~err]
    assert ok["verdict"].isin(["allowed", "review", "prohibited"]).all()
    assert "site_riverbank_bans" in res.columns and "findings_zh" in res.columns


def test_batch_refuses_single_site_options(toy_src, tmp_path):
    src = tmp_path / "projects.csv"
    _projects_csv(src, 3)
    r = run("site-check", "--layers", toy_src, "--projects", src, "-o", tmp_path / "o.csv", "--industry", "26")
    assert r.exit_code == 2 and "--industry" in r.stderr
    r = run("site-check", "--layers", toy_src, "--projects", src)
    assert r.exit_code == 2 and "-o" in r.stderr
    r = run("site-check", "--layers", toy_src, "--projects", src, "-o", src)
    assert r.exit_code == 2 and "overwrite" in r.stderr


def test_batch_gpkg_input_with_polygons(toy_src, tmp_path):
    src = tmp_path / "projects.gpkg"
    gpd.GeoDataFrame({"project_id": ["x", "y"], "industry": ["3670", "3311"]},
                     geometry=[box(3, 3, 3.2, 3.2), shapely.box(121.45, 31.40, 121.46, 31.41)],
                     crs=4326).to_file(src)
    out = tmp_path / "res.gpkg"
    r = run("site-check", "--layers", toy_src, "--projects", src, "-o", out)
    assert r.exit_code == 0, r.output
    res = read_vector(out)
    assert res["verdict"].tolist()[0] == "allowed" and res["error_en"].notna().tolist() == [False, True]


def test_help_is_bilingual():
    r = run("site-check", "--help")
    assert r.exit_code == 0
    assert "选址" in r.output and "Check a proposed project's site" in r.output


# --------------------------------------------------------------------------- typed --lonlat and --wkt


def test_lonlat_that_is_not_numbers_is_a_coordinate_error_naming_the_option(toy_src):
    r = run("site-check", "--layers", toy_src, "--lonlat", "abc,def")
    assert r.exit_code == 2 and "Traceback" not in r.output
    assert "错误：选项 '--lonlat' 的值无效：坐标“abc,def”无效：含非数字内容" in r.stderr
    assert "Error: Invalid value for '--lonlat': Coordinate 'abc,def' is not valid" in r.stderr
    assert "WKT" not in r.stderr                     # it was once re-guessed as WKT


def test_swapped_lonlat_is_detected_by_the_option(toy_src):
    r = run("site-check", "--layers", toy_src, "--lonlat", "31.6,121.5")
    assert r.exit_code == 2
    assert "经纬度似乎写反了" in r.stderr and "lon and lat look swapped" in r.stderr
    assert "--lonlat 121.5,31.6" in r.stderr          # the hint gives the fixed order


def test_wkt_point_is_checked_as_wkt(toy_src):
    a = json.loads(run("site-check", "--layers", toy_src, "--wkt", f"POINT ({ll(4, 4).replace(',', ' ')})",
                       "--industry", "3670", "--json").stdout)
    b = json.loads(run("site-check", "--layers", toy_src, "--lonlat", ll(4, 4), "--industry", "3670",
                       "--json").stdout)
    assert a["verdict"] == b["verdict"] == "allowed" and a["park_id"] == "A"
    assert a["site_wkt"] == b["site_wkt"]


def test_lonlat_option_type_parses_to_numbers():
    from gis.cli.common import LONLAT

    assert LONLAT.convert(" 121.5，31.6 ", None, None) == (121.5, 31.6)


# --------------------------------------------------------------------------- datums, water, neighbours (issue 17)


def _metres(a: shapely.Geometry, lon: float, lat: float) -> float:
    from pyproj import Geod

    c = shapely.centroid(a)
    return Geod(ellps="WGS84").inv(c.x, c.y, lon, lat)[2]


def test_gcj02_projects_results_and_report_are_wgs84(toy_src, tmp_path):
    """`--projects` results and `--report` of GCJ-02 input: the sites in WGS84 (within 1 m of the truth), the
    table's own lon/lat columns renamed to say GCJ-02, the page saying WGS84 and the input datum."""
    from gis.geodesy.datums import convert_lonlat

    truth = [(LON0 + 0.04, LAT0 + 0.04), (LON0 + 0.08, LAT0 + 0.005)]
    glon, glat = convert_lonlat([t[0] for t in truth], [t[1] for t in truth], "wgs84", "gcj02")
    csv = tmp_path / "projects.csv"
    pd.DataFrame({"project_id": ["P1", "P2"], "lon": glon, "lat": glat, "industry": ["3670", "2614"]}).to_csv(
        csv, index=False)
    out = tmp_path / "results.gpkg"
    r = run("site-check", "--layers", toy_src, "--projects", csv, "--datum", "gcj02", "-o", out)
    assert r.exit_code == 0, r.output
    res = read_vector(out)
    assert res.crs.to_epsg() == 4326
    assert {"lon_gcj02", "lat_gcj02"} <= set(res.columns) and "lon" not in res.columns
    for g, (lon, lat) in zip(res.geometry, truth, strict=True):
        assert _metres(g, lon, lat) < 1.0
    rep = tmp_path / "rep"
    r = run("site-check", "--layers", toy_src, "--lonlat", f"{glon[0]},{glat[0]}", "--datum", "gcj02",
            "--report", rep, "--json")
    assert r.exit_code == 0, r.output
    assert _metres(shapely.from_wkt(json.loads(r.stdout)["site_wkt"]), *truth[0]) < 1.0
    html = (rep / "site.html").read_text(encoding="utf-8")
    assert "坐标 WGS84" in html and "input datum gcj02" in html


def test_site_in_a_neighbouring_unit_is_named(toy_src, tmp_path):
    """A site outside the district that lies in a neighbouring unit says which, in both languages."""
    gpkg = tmp_path / "with_neighbour.gpkg"
    write_toy_gpkg(gpkg)
    gpd.GeoDataFrame({"name_zh": ["邻县"], "name_en": ["Next County"], "province_zh": ["江苏省"],
                      "province_en": ["Jiangsu"]}, geometry=[box(0, 12, 20, 20)], crs=4326).to_file(
        gpkg, layer="neighbours")
    r = CliRunner().invoke(cli, ["site-check", "--layers", str(gpkg), "--lonlat", ll(5, 15), "--json"])
    assert r.exit_code == 2
    err = json.loads(r.stdout)["error"]
    assert "江苏省邻县" in err["message_zh"] and "Next County (Jiangsu)" in err["message_en"]
    assert "江苏省邻县" in err["hint_zh"]
    r = CliRunner().invoke(cli, ["site-check", "--layers", str(gpkg), "--lonlat", ll(5, 30), "--json"])
    err = json.loads(r.stdout)["error"]
    assert r.exit_code == 2 and "区界之外" in err["message_zh"] and "邻县" not in err["message_zh"]
