"""Tests of gis/io/ogr.py: Shapefile encodings on reading, engines, multi-layer files."""

from __future__ import annotations

import zipfile

import pytest
from sample_frames import NAMES, frame, gbk_shapefile_without_cpg

from gis.errors import InputError
from gis.io.encoding import detect_dbf_encoding
from gis.io.ogr import list_layers, read_ogr, require_one_layer
from gis.io.vector import read_vector


def test_gbk_shapefile_without_cpg_reads_correct_chinese(tmp_path):
    shp = gbk_shapefile_without_cpg(tmp_path / "gbk.shp")
    assert not shp.with_suffix(".cpg").exists()
    assert detect_dbf_encoding(shp.with_suffix(".dbf").read_bytes()) == "GB18030"
    gdf = read_vector(shp)
    assert gdf["name"].tolist() == NAMES


def test_gbk_zipped_shapefile_without_cpg(tmp_path):
    shp = gbk_shapefile_without_cpg(tmp_path / "z.shp")
    zpath = tmp_path / "z.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        for sfx in (".shp", ".shx", ".dbf", ".prj"):
            zf.write(shp.with_suffix(sfx), arcname=f"z{sfx}")
    assert read_vector(zpath)["name"].tolist() == NAMES


def test_utf8_shapefile_without_cpg(tmp_path):
    shp = tmp_path / "u.shp"
    frame().to_file(shp, driver="ESRI Shapefile", encoding="UTF-8", engine="pyogrio")
    shp.with_suffix(".cpg").unlink(missing_ok=True)
    assert detect_dbf_encoding(shp.with_suffix(".dbf").read_bytes()) == "UTF-8"
    assert read_vector(shp)["name"].tolist() == NAMES


def test_encoding_override(tmp_path):
    shp = gbk_shapefile_without_cpg(tmp_path / "o.shp")
    assert read_vector(shp, encoding="GBK")["name"].tolist() == NAMES


def test_fiona_engine_reads_gbk_too(tmp_path):
    shp = gbk_shapefile_without_cpg(tmp_path / "f.shp")
    assert read_vector(shp, engine="fiona")["name"].tolist() == NAMES


def test_multi_layer_gpkg_needs_layer(tmp_path):
    p = tmp_path / "m.gpkg"
    frame().to_file(p, layer="a")
    frame().to_file(p, layer="b")
    with pytest.raises(InputError) as exc:
        read_vector(p)
    assert "--layer" in exc.value.hint_en
    assert len(read_vector(p, layer="b")) == 3
    with pytest.raises(InputError, match="available"):
        read_vector(p, layer="zzz")


def test_list_layers_and_require_one_layer(tmp_path):
    p = tmp_path / "two.gpkg"
    frame().to_file(p, layer="parks")
    assert list_layers(p) == ["parks"]
    require_one_layer(p)  # one layer: fine
    frame().to_file(p, layer="towns")
    assert list_layers(p) == ["parks", "towns"]
    with pytest.raises(InputError) as exc:
        require_one_layer(p)
    assert "parks" in exc.value.message_en and "towns" in exc.value.message_zh


def test_list_layers_of_a_corrupt_file(tmp_path):
    bad = tmp_path / "bad.gpkg"
    bad.write_bytes(b"not a geopackage" * 10)
    with pytest.raises(InputError, match="corrupt"):
        list_layers(bad)


def test_read_ogr_leaves_the_crs_to_the_caller(tmp_path):
    shp = tmp_path / "nocrs.shp"
    frame().to_file(shp, driver="ESRI Shapefile", engine="pyogrio")
    shp.with_suffix(".prj").unlink()
    assert read_ogr(shp).crs is None


def test_reading_leaves_nothing_beside_the_input(tmp_path):
    """A GeoPackage with dataset metadata (as `synth --years` writes) read twice: no `.aux.xml` appears."""
    import geopandas as gpd
    import pyogrio
    import shapely

    path = tmp_path / "parcels_2020.gpkg"
    frame = gpd.GeoDataFrame({"parcel_id": ["a"]}, geometry=[shapely.box(121.5, 31.6, 121.51, 31.61)], crs=4326)
    pyogrio.write_dataframe(frame, path, layer="parcels", dataset_metadata={"synthetic": "true", "year": "2020"})
    before = sorted(p.name for p in tmp_path.iterdir())
    for _ in range(2):
        assert len(read_vector(path)) == 1
    assert pyogrio.read_info(path)["dataset_metadata"]["year"] == "2020"
    assert sorted(p.name for p in tmp_path.iterdir()) == before == ["parcels_2020.gpkg"]
