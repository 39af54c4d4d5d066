"""The example inputs of the README's tour are what examples/build_examples.py writes, and what they claim."""

from __future__ import annotations

import importlib.util
import json

import geopandas as gpd
import pytest
import shapely
from conftest import REPO

EXAMPLES = REPO / "examples"
FILES = ["parcels.shp", "parcels.shx", "parcels.dbf", "parcels.prj", "picks.geojson", "site.txt", "projects.csv",
         "targets.toml"]


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    spec = importlib.util.spec_from_file_location("build_examples", EXAMPLES / "build_examples.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    out = tmp_path_factory.mktemp("examples")
    mod.build_all(out)
    return out


@pytest.mark.parametrize("name", FILES)
def test_committed_examples_are_what_the_script_writes(rebuilt, name):
    assert (EXAMPLES / name).read_bytes() == (rebuilt / name).read_bytes(), \
        f"examples/{name} differs: run python examples/build_examples.py"


def test_shapefile_is_gbk_without_cpg():
    assert not (EXAMPLES / "parcels.cpg").exists()
    dbf = (EXAMPLES / "parcels.dbf").read_bytes()
    assert dbf[29] == 0  # no language driver byte: the reader has to recognise GBK itself
    assert "有限公司".encode("gbk") in dbf and "有限公司".encode("utf-8") not in dbf
    from gis.io.vector import read_vector

    gdf = read_vector(EXAMPLES / "parcels.shp")
    assert len(gdf) == 60 and gdf["enterp_zh"].str.contains("公司").all() and gdf.crs.to_epsg() == 4326


def test_picks_are_gcj02_without_ids():
    from gis.geodesy.datums import convert_geometries
    from gis.layers.layerset import load_layers

    raw = json.loads((EXAMPLES / "picks.geojson").read_text(encoding="utf-8"))
    assert all("parcel_id" not in f["properties"] for f in raw["features"])
    picks = gpd.read_file(EXAMPLES / "picks.geojson")
    wgs = convert_geometries(picks.geometry.to_numpy(), "gcj02", "wgs84")
    parks = shapely.union_all(load_layers().parks.geometry.to_numpy())
    assert shapely.within(wgs[0], parks) and shapely.within(wgs[1], parks)  # as drawn on Amap, in the parks
    shift = shapely.distance(picks.geometry.iloc[0].centroid, shapely.centroid(wgs[0])) * 111_000
    assert 300 < shift < 800  # the GCJ-02 offset here: about half a kilometre


def test_site_txt_and_projects_csv():
    text = (EXAMPLES / "site.txt").read_bytes().decode("gbk")
    assert "带号=41" in text and "\r\n" in text and "[地块坐标]" in text
    head = (EXAMPLES / "projects.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert head == "project_id,name,industry,lon,lat,land_m2,output_wan,value_added_wan,energy_tce"
