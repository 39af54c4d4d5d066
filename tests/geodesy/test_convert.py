"""``parkgis convert``: format, CRS, datum and encoding conversion, incl. the TXT format."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyproj
import pytest
import shapely
from click.testing import CliRunner

from gis.cli.main import cli
from gis.geodesy.datums import convert_geometries
from gis.io.coordtxt import read_coordtxt

DATA = Path(__file__).resolve().parents[1] / "data" / "coordtxt"
GEOD = pyproj.Geod(ellps="WGS84")

_spec = importlib.util.spec_from_file_location("make_samples", DATA / "make_samples.py")
samples = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(samples)
SITES = samples.SITES


def run(*args):
    result = CliRunner().invoke(cli, ["convert", *map(str, args)])
    return result


def max_dist_m(a: gpd.GeoDataFrame, b: gpd.GeoDataFrame) -> float:
    """Largest distance (m) between corresponding vertices of two lon/lat frames."""
    pa = shapely.get_coordinates(a.to_crs(4326).geometry.to_numpy())
    pb = shapely.get_coordinates(b.to_crs(4326).geometry.to_numpy())
    assert pa.shape == pb.shape
    return float(np.max(GEOD.inv(pa[:, 0], pa[:, 1], pb[:, 0], pb[:, 1])[2]))


def west_site(crs=4490) -> gpd.GeoDataFrame:
    poly = shapely.Polygon(SITES["west"][0] + [SITES["west"][0][0]])
    return gpd.GeoDataFrame({"block_id": ["D-01"]}, geometry=[poly], crs=crs)


def test_txt_to_geojson_is_lonlat(tmp_path):
    out = tmp_path / "site.geojson"
    r = run(DATA / "one_block_gbk_crlf.txt", "-o", out)
    assert r.exit_code == 0, r.output
    assert "EPSG:4549" in r.stderr and "EPSG:4326" in r.stderr and "1" in r.stderr
    assert "no datum shift" in r.stderr
    gdf = gpd.read_file(out)
    assert gdf.crs.to_epsg() == 4326 and gdf["name"].iloc[0] == "城桥地块"
    assert max_dist_m(gdf, west_site()) < 0.001


def test_same_site_three_ways_gives_the_same_coordinates(tmp_path):
    """A zone-40 TXT file, CGCS2000 lon/lat and GCJ-02 lon/lat read to the same site."""
    cgcs = tmp_path / "in_cgcs2000.gpkg"
    west_site(4490).to_file(cgcs)
    gcj = west_site(4326)
    gcj = gcj.set_geometry(convert_geometries(gcj.geometry.to_numpy(), "wgs84", "gcj02"), crs=4326)
    gcj_path = tmp_path / "amap.geojson"
    gcj.to_file(gcj_path)

    outs = {}
    for name, args in {
        "txt": [DATA / "west_zone40_noprefix.txt", "--to-crs", "EPSG:4326"],
        "cgcs2000": [cgcs, "--to-crs", "EPSG:4326"],
        "gcj02": [gcj_path, "--datum", "gcj02"],
    }.items():
        outs[name] = tmp_path / f"{name}.gpkg"
        r = run(*args, "-o", outs[name])
        assert r.exit_code == 0, r.output
    assert "gcj02 → wgs84" in r.stderr
    frames = {k: gpd.read_file(v) for k, v in outs.items()}
    assert all(f.crs.to_epsg() == 4326 for f in frames.values())
    # the GCJ-02 offset here is ≈ 0.5 km; after conversion all three agree
    assert max_dist_m(frames["txt"], frames["cgcs2000"]) < 0.001
    assert max_dist_m(frames["txt"], frames["gcj02"]) < 0.5
    assert max_dist_m(gcj, frames["txt"]) > 300


def test_datum_round_trip_through_the_cli(tmp_path):
    src = tmp_path / "w.geojson"
    west_site(4326).to_file(src)
    for datum in ("gcj02", "bd09"):
        mid, back = tmp_path / f"{datum}.geojson", tmp_path / f"{datum}_back.geojson"
        assert run(src, "-o", mid, "--to-datum", datum).exit_code == 0
        r = run(mid, "-o", back, "--datum", datum)
        assert r.exit_code == 0 and f"{datum} → wgs84" in r.stderr
        assert max_dist_m(gpd.read_file(back), west_site(4326)) < 0.5


def test_vector_to_txt_and_back(tmp_path):
    src = tmp_path / "parcels.gpkg"
    polys = [shapely.Polygon(SITES["east"][0]), shapely.Polygon(SITES["edge"][0])]
    gpd.GeoDataFrame({"parcel_id": ["P1", "P2"], "name_zh": ["陈家镇", "边界"]}, geometry=polys, crs=4326).to_file(src)
    out = tmp_path / "parcels.txt"
    r = run(src, "-o", out, "--zone", 41, "--out-encoding", "utf-8")
    assert r.exit_code == 0, r.output
    assert "EPSG:4550" in r.stderr
    text = out.read_bytes().decode("utf-8")
    assert "带号=41" in text and "陈家镇" in text and "\r\n" in text
    gdf, warnings = read_coordtxt(out)
    assert warnings == [] and gdf["block_id"].tolist() == ["P1", "P2"]
    assert max_dist_m(gdf, gpd.read_file(src)) < 0.001
    # default: GBK, zone from the data (the centre is east of 121.5° E)
    out2 = tmp_path / "parcels_gbk.txt"
    assert run(src, "-o", out2).exit_code == 0
    assert "带号=41" in out2.read_bytes().decode("gbk")


def test_txt_to_txt_changes_zone_and_prefix(tmp_path):
    out = tmp_path / "z41.txt"
    r = run(DATA / "edge_zone40.txt", "-o", out, "--zone", 41, "--no-zone-prefix")
    assert r.exit_code == 0, r.output
    gdf, _ = read_coordtxt(out)
    assert gdf.crs.to_epsg() == 4550 and not gdf.attrs["coordtxt_crs"]["prefixed"]
    assert max_dist_m(gdf, read_coordtxt(DATA / "edge_zone40.txt")[0]) < 0.001


def test_txt_warnings_are_printed(tmp_path):
    r = run(DATA / "swapped.txt", "-o", tmp_path / "s.gpkg")
    assert r.exit_code == 0 and "swapped" in r.stderr and "互换" in r.stderr


def test_helmert_option(tmp_path):
    r = run(DATA / "xian80.txt", "-o", tmp_path / "x.gpkg")
    assert r.exit_code == 2 and "--helmert" in r.stderr and "Traceback" not in r.output
    r = run(DATA / "xian80.txt", "-o", tmp_path / "x.gpkg", "--helmert", "-35.2,118.7,1.35,-4.2")
    assert r.exit_code == 0 and "4-parameter" in r.stderr
    src = tmp_path / "w.geojson"
    west_site(4326).to_file(src)
    r = run(src, "-o", tmp_path / "y.gpkg", "--helmert", "1,2,3,4")
    assert r.exit_code == 2


@pytest.mark.parametrize(
    "args",
    [
        ["--datum", "gcj02"],  # plane coordinates cannot be GCJ-02
        ["--to-datum", "gcj02", "--to-crs", "EPSG:4549"],  # GCJ-02 exists only as lon/lat
    ],
)
def test_impossible_datum_requests_are_refused(tmp_path, args):
    r = run(DATA / "one_block_gbk_crlf.txt", "-o", tmp_path / "o.gpkg", *args)
    assert r.exit_code == 2 and "错误" in r.stderr and "Error" in r.stderr


def test_refuses_to_overwrite_the_input(tmp_path):
    src = tmp_path / "s.txt"
    src.write_bytes((DATA / "one_block_gbk_crlf.txt").read_bytes())
    r = run(src, "-o", src)
    assert r.exit_code == 2 and "overwrite" in r.stderr
    assert src.read_bytes() == (DATA / "one_block_gbk_crlf.txt").read_bytes()


def test_shapefile_gbk_output(tmp_path):
    out = tmp_path / "s.shp"
    r = run(DATA / "two_blocks_hole.txt", "-o", out, "--out-encoding", "gbk")
    assert r.exit_code == 0, r.output
    assert out.with_suffix(".cpg").read_text().upper().startswith("GBK")
    gdf = gpd.read_file(out, encoding="gbk")
    assert gdf.crs.to_epsg() == 4549 and gdf["name"].tolist() == ["含保留建筑地块", "城桥地块"]
