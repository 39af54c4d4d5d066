"""gis.classification.parcels: parcels in (read and classify once) and out (classify a file into a file)."""

from __future__ import annotations

import geopandas as gpd
import pytest
from toylayers import box, parcels, write_toy_gpkg

from gis.classification.parcels import (
    SAMPLE_NOTE,
    ClassifiedParcels,
    ClassifyRun,
    classify_lines,
    load_classified,
    sample_parcels,
    write_classified,
)
from gis.errors import OutputError
from gis.geodesy.datums import convert_geometries
from gis.io.vector import read_vector
from gis.layers.layerset import load_layers


@pytest.fixture(scope="module")
def toy_src(tmp_path_factory):
    return str(write_toy_gpkg(tmp_path_factory.mktemp("toy") / "toy.gpkg"))


@pytest.fixture
def parcel_file(tmp_path):
    # a in park A (104), b in town B's construction area (195), c in the countryside (198), d without geometry
    p = parcels([("a", box(3, 3, 4, 4)), ("b", box(15, 3, 16, 4)), ("c", box(8, 3, 9, 4)), ("d", None)])
    path = tmp_path / "parcels.gpkg"
    p.to_file(path)
    return path


def test_load_classifies_a_file_and_records_its_inputs(toy_src, parcel_file):
    cp = load_classified(parcel_file, toy_src)
    assert isinstance(cp, ClassifiedParcels)
    assert list(cp.parcels["action"][:3]) == ["upgrade", "transform", "reduce"]
    assert cp.inputs == [parcel_file, toy_src] and cp.notes == []


def test_a_classified_file_is_used_as_it_is(tmp_path, toy_src, parcel_file):
    once = load_classified(parcel_file, toy_src).parcels
    once["action"] = "reduce"  # a planner's edit survives: no second classification
    path = tmp_path / "classified.gpkg"
    once.to_file(path)
    cp = load_classified(path, load_layers(toy_src))
    assert (cp.parcels["action"] == "reduce").all() and cp.inputs == [path]
    assert any("already classified" in n for n in cp.notes)


def test_to_wgs84_undoes_the_input_datum(toy_src):
    wgs = parcels([("a", box(3, 3, 4, 4))])
    gcj = wgs.set_geometry(convert_geometries(wgs.geometry.to_numpy(), "wgs84", "gcj02"), crs=4326)
    cp = load_classified(gcj, toy_src, datum="gcj02", to_wgs84=True)
    shift = cp.parcels.geometry.iloc[0].centroid.distance(wgs.geometry.iloc[0].centroid)
    assert shift < 1e-5  # degrees: < 1 m, against ≈ 500 m of GCJ-02 offset


def test_the_default_is_the_embedded_sample():
    path, layer = sample_parcels()
    if not path.exists():
        pytest.skip("embedded sample not built")
    cp = load_classified()
    assert len(cp.parcels) == 3000 and cp.notes[0] == SAMPLE_NOTE and layer == "parcels"


def test_write_classified_in_memory(tmp_path, toy_src, parcel_file):
    out = tmp_path / "out.shp"
    run = write_classified(parcel_file, out, toy_src, out_encoding="gbk", summary=tmp_path / "s.csv",
                           to_crs="EPSG:4549")
    assert run.rows == 4 and run.out == str(out) and run.summary == str(tmp_path / "s.csv")
    named = {k: v for k, v in run.actions.items() if isinstance(k, str)}
    assert named == {"upgrade": 1, "transform": 1, "reduce": 1} and sum(run.actions.values()) == 4
    assert run.flagged >= 1 and run.chunks is None
    assert out.with_suffix(".cpg").read_text().strip() == "GBK"
    assert read_vector(out).crs.to_epsg() == 4549
    assert "upgrade" in (tmp_path / "s.csv").read_text(encoding="utf-8-sig")
    with pytest.raises(OutputError, match="refusing to overwrite"):
        write_classified(parcel_file, parcel_file, toy_src)


def test_classify_lines_most_first_ties_in_order():
    run = ClassifyRun("o.gpkg", 6, {"reduce": 1, "upgrade": 3, None: 1, "transform": 1}, 2, "s.xlsx", 4, 2)
    assert classify_lines(run) == [
        "已分类 6 个地块 → o.gpkg / classified 6 parcels → o.gpkg (dask: 4 块 chunks, 2 workers)",
        "  升级 upgrade: 3", "  减量化 reduce: 1", "  未分类 unclassified: 1", "  转型 transform: 1",
        "  有标记 flagged: 2（见 flags 列 / see the flags column）",
        "汇总表 summary → s.xlsx",
    ]
    assert classify_lines(ClassifyRun("o.gpkg", 0, {}, 0)) == [
        "已分类 0 个地块 → o.gpkg / classified 0 parcels → o.gpkg"]


def test_geodataframe_in_needs_no_file(toy_src):
    gdf = gpd.GeoDataFrame({"parcel_id": ["x"]}, geometry=[box(3, 3, 4, 4)], crs=4326)
    cp = load_classified(gdf, toy_src)
    assert cp.inputs == [toy_src] and cp.parcels["zone"].iloc[0] == "104"
