"""Corrupt and truncated inputs of every format we read fail loudly — never a silent subset.

The cases: a GeoPackage with zeroed pages (GDAL's Arrow reader stopped there
silently: "classified 32 parcels" of 200, in both engines), Shapefiles cut short
or missing their .dbf/.shx, GeoJSON, FlatGeobuf, GeoParquet, CSV and
boundary-coordinate TXT cut in half; and a GeoJSON property named ``geometry``,
which used to vanish.
"""

from __future__ import annotations

import shutil
import sqlite3
import struct
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from faults_common import assert_refused, run, snapshot, write_toy_gpkg

from gis.io.vector import read_vector

DATA = Path(__file__).resolve().parents[1] / "data" / "coordtxt"


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    """200 parcels in every format, and the toy layers."""
    d = tmp_path_factory.mktemp("good")
    x = 121.40 + 0.0015 * (np.arange(200) % 20)
    y = 31.555 + 0.0015 * (np.arange(200) // 20)
    g = gpd.GeoDataFrame({"parcel_id": [f"P{i:03d}" for i in range(200)], "name": ["甲企业有限公司"] * 200,
                          "output_wan": 100.0}, geometry=shapely.box(x, y, x + 0.001, y + 0.001), crs=4326)
    for suffix in (".gpkg", ".shp", ".geojson"):
        g.to_file(d / f"p{suffix}", engine="pyogrio")
    g.to_file(d / "p.fgb", engine="pyogrio", SPATIAL_INDEX="NO")  # as parkgis writes it: features in input order
    g.to_parquet(d / "p.parquet")
    g.assign(wkt=g.geometry.to_wkt()).drop(columns="geometry").to_csv(d / "p.csv", index=False)
    c = g.geometry.centroid
    g.assign(lon=c.x, lat=c.y).drop(columns="geometry").to_csv(d / "lonlat.csv", index=False)
    return d, write_toy_gpkg(d / "toy.gpkg")


def _cut(src: Path, dst: Path, fraction: float = 0.5) -> Path:
    raw = src.read_bytes()
    dst.write_bytes(raw[:int(len(raw) * fraction)])
    return dst


def _refused(tmp_path, *args, words=()):
    before = snapshot(tmp_path)
    err = assert_refused(run(*args), *words)
    assert snapshot(tmp_path) == before
    return err


def _zeroed_gpkg(src: Path, dst: Path, table: str = "p") -> Path:
    """Two leaf pages in the middle of the features' table zeroed (what GDAL's Arrow reader skipped silently)."""
    shutil.copy(src, dst)
    with sqlite3.connect(dst) as con:
        size = con.execute("PRAGMA page_size").fetchone()[0]
        leaves = [r[0] for r in con.execute("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' "
                                            "ORDER BY pageno", (table,))]
    raw = bytearray(dst.read_bytes())
    for page in (leaves[len(leaves) // 2 - 1], leaves[len(leaves) // 2 + 1]):  # pages are numbered from 1
        raw[(page - 1) * size:page * size] = bytes(size)
    dst.write_bytes(bytes(raw))
    return dst


@pytest.mark.parametrize("engine", ["memory", "dask"])
def test_geopackage_with_zeroed_pages(tmp_path, good, engine):
    d, layers = good
    bad = _zeroed_gpkg(d / "p.gpkg", tmp_path / "bad.gpkg")
    if engine == "dask":
        from conftest import require

        try:
            import distributed  # noqa: F401
        except ImportError:
            require(False, "dask.distributed (parkgis[dask])")
    _refused(tmp_path, "-q", "classify", bad, "--layers", layers, "-o", tmp_path / "out.gpkg", "--engine", engine,
             words=("bad.gpkg", "malformed"))


def _shapefile(d: Path, tmp_path: Path, name: str) -> Path:
    for part in ("shp", "shx", "dbf", "prj", "cpg"):
        if (d / f"p.{part}").exists():
            shutil.copy(d / f"p.{part}", tmp_path / f"{name}.{part}")
    return tmp_path / f"{name}.shp"


@pytest.mark.parametrize("part, words", [("shp", ["cut short"]), ("dbf", ["cut short", "200 records"]),
                                         ("shx", ["cut short"])])
def test_truncated_shapefile(tmp_path, good, part, words):
    d, layers = good
    shp = _shapefile(d, tmp_path, "cut")
    _cut(d / f"p.{part}", shp.with_suffix(f".{part}"))
    _refused(tmp_path, "classify", shp, "--layers", layers, "-o", tmp_path / "out.gpkg", words=words)


@pytest.mark.parametrize("part, words", [("dbf", [".dbf", "missing"]), ("shx", [".shx", "missing"])])
def test_shapefile_without_a_part(tmp_path, good, part, words):
    d, layers = good
    shp = _shapefile(d, tmp_path, "partial")
    shp.with_suffix(f".{part}").unlink()
    err = _refused(tmp_path, "classify", shp, "--layers", layers, "-o", tmp_path / "out.gpkg", words=words)
    assert "no id field" not in err


@pytest.mark.parametrize("suffix", [".geojson", ".fgb", ".parquet", ".csv", ".gpkg"])
def test_truncated_files(tmp_path, good, suffix):
    """Cut in half (the CSV mid-row too: its last row would be read short)."""
    d, layers = good
    cut = _cut(d / f"p{suffix}", tmp_path / f"cut{suffix}")
    extra = ["--assume-crs", "EPSG:4326"] if suffix == ".csv" else []
    _refused(tmp_path, "classify", cut, *extra, "--layers", layers, "-o", tmp_path / "out.gpkg",
             words=(cut.name,))


def test_flatgeobuf_cut_at_the_end_of_a_feature(tmp_path, good):
    """GDAL read the first 100 of 200 features and said nothing; the header states 200 (found by hypothesis)."""
    d, layers = good
    raw = (d / "p.fgb").read_bytes()
    pos = 12 + struct.unpack("<I", raw[8:12])[0]  # magic, header size, header; then size-prefixed features
    for _ in range(100):
        pos += 4 + struct.unpack("<I", raw[pos:pos + 4])[0]
    (tmp_path / "cut.fgb").write_bytes(raw[:pos])
    _refused(tmp_path, "classify", tmp_path / "cut.fgb", "--layers", layers, "-o", tmp_path / "out.gpkg",
             words=("200", "100"))


def test_csv_cut_in_the_middle_of_a_row(tmp_path, good):
    d, layers = good
    raw = (d / "lonlat.csv").read_bytes()
    end = raw.rindex(b"\n", 0, len(raw) // 2) + 12  # a few characters into a row: no line end after it
    (tmp_path / "cut.csv").write_bytes(raw[:end])
    _refused(tmp_path, "classify", tmp_path / "cut.csv", "--layers", layers, "-o", tmp_path / "out.gpkg",
             words=("incomplete", "cut short"))


@pytest.mark.parametrize("at", [0.3, 0.6, 0.95])
def test_truncated_boundary_coordinate_file(tmp_path, good, at):
    _, layers = good
    cut = _cut(DATA / "two_blocks_hole.txt", tmp_path / "cut.txt", at)
    _refused(tmp_path, "convert", cut, "-o", tmp_path / "out.geojson")


def test_geojson_property_named_geometry_is_kept(tmp_path, good):
    _, layers = good
    src = tmp_path / "g.geojson"
    src.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
                   '{"parcel_id": "A", "geometry": "北侧围墙待拆"}, "geometry": {"type": "Polygon", '
                   '"coordinates": [[[121.43, 31.58], [121.431, 31.58], [121.431, 31.581], [121.43, 31.58]]]}}]}',
                   encoding="utf-8")
    r = run("classify", src, "--layers", layers, "-o", tmp_path / "out.gpkg")
    assert r.exit_code == 0, r.output
    assert "geometry_input" in r.stderr and "属性字段 geometry" in r.stderr  # and it says so
    out = read_vector(tmp_path / "out.gpkg")
    assert out.loc[0, "geometry_input"] == "北侧围墙待拆" and out.geometry.iloc[0].geom_type == "Polygon"
