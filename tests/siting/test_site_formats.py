"""Issue acceptance: the same site as a zone-40 TXT file, as CGCS2000 lon/lat and as GCJ-02 lon/lat
gives the same site-check result; and `classify` reads the TXT format like any vector file."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import shapely
from click.testing import CliRunner
from pyproj import Geod

from gis.cli.main import cli
from gis.geodesy.convert import convert_frame
from gis.io.coordtxt import read_coordtxt

DATA = Path(__file__).resolve().parents[1] / "data" / "coordtxt"
TXT = DATA / "west_zone40_noprefix.txt"  # a block near 城桥镇, CGCS2000 3° zone 40 (CM 120° E)


def site_check(*args) -> dict:
    r = CliRunner().invoke(cli, ["site-check", *map(str, args), "--industry", "3670", "--json"],
                           catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_same_site_three_ways_same_site_check(tmp_path):
    site, _warnings = read_coordtxt(TXT)
    lonlat = site.to_crs(4490)  # CGCS2000 geographic
    cgcs = tmp_path / "cgcs2000.gpkg"
    lonlat.to_file(cgcs)
    gcj, shift = convert_frame(site, datum="wgs84", to_datum="gcj02")
    assert shift
    amap = tmp_path / "amap.geojson"
    gcj.to_file(amap)

    results = [site_check("--site", TXT), site_check("--site", cgcs), site_check("--site", amap, "--datum", "gcj02")]
    for r in results[1:]:
        assert r["verdict"] == results[0]["verdict"]
        assert (r["zone"], r["park_id"], r["town"], r["in_reserve"], r["yangtze_1km"]) == (
            results[0]["zone"], results[0]["park_id"], results[0]["town"], results[0]["in_reserve"],
            results[0]["yangtze_1km"])
        assert abs(r["riverbank_m"] - results[0]["riverbank_m"]) < 1.0
        assert [(c["rule"], c["level"]) for c in r["checks"]] == [(c["rule"], c["level"]) for c in results[0]["checks"]]
    # ignoring the datum would move the site by ≈ 0.5 km
    wrong = site_check("--site", amap)
    a, b = (shapely.centroid(shapely.from_wkt(r["site_wkt"])) for r in (wrong, results[0]))
    moved_m = Geod(ellps="WGS84").inv(a.x, a.y, b.x, b.y)[2]
    assert 400 < moved_m < 600


def test_classify_reads_the_txt_format(tmp_path):
    out = tmp_path / "site.gpkg"
    r = CliRunner().invoke(cli, ["classify", str(TXT), "--id-field", "block_id", "-o", str(out)],
                           catch_exceptions=False)
    assert r.exit_code == 0, r.output
    res = gpd.read_file(out)
    assert len(res) == 1 and res["zone"].iloc[0] in ("104", "195", "198")
    assert res.crs.to_epsg() == 4549  # the output keeps the input CRS
