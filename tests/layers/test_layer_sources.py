"""Tests of gis/layers/sources.py: GeoPackage, folder and manifest sources, and each role's checks."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from toylayers import toy_layers, write_toy_gpkg

from gis.errors import CRSError, FieldError, LayerError
from gis.geodesy.datums import convert_geometries
from gis.layers.layerset import load_layers
from gis.layers.sources import polygonal


def test_missing_required_role(tmp_path):
    roles = toy_layers()
    del roles["parks"]
    with pytest.raises(LayerError) as exc:
        load_layers(write_toy_gpkg(tmp_path / "np.gpkg", roles))
    assert "parks" in exc.value.message_en and "必需" in exc.value.message_zh


def test_wrong_geometry_type(tmp_path):
    roles = toy_layers()
    roles["construction_areas"] = gpd.GeoDataFrame({"town_zh": ["x"]}, geometry=[shapely.Point(121.5, 31.6)],
                                                   crs=4326)
    with pytest.raises(LayerError) as exc:
        load_layers(write_toy_gpkg(tmp_path / "wt.gpkg", roles))
    assert "Point" in exc.value.message_en and "几何类型" in exc.value.message_zh


def test_missing_crs_refused(tmp_path):
    d = tmp_path / "folder"
    d.mkdir()
    for role, gdf in toy_layers().items():
        gdf.to_file(d / f"{role}.shp", engine="pyogrio")
    (d / "parks.prj").unlink()
    with pytest.raises(CRSError) as exc:
        load_layers(d)
    assert "parks" in exc.value.message_en


def test_folder_source(tmp_path):
    d = tmp_path / "folder"
    d.mkdir()
    for role, gdf in toy_layers().items():
        gdf.to_file(d / f"{role}.geojson", engine="pyogrio")
    ls = load_layers(d)
    assert len(ls.parks) == 2


def test_invalid_geometry_repaired_and_reported(tmp_path):
    roles = toy_layers()
    bow = shapely.Polygon([(121.42, 31.57), (121.44, 31.59), (121.44, 31.57), (121.42, 31.59)])
    roles["parks"].loc[0, "geometry"] = bow
    ls = load_layers(write_toy_gpkg(tmp_path / "inv.gpkg", roles))
    assert any("repaired 1 invalid" in n for n in ls.notes)
    assert ls.parks.geometry.is_valid.all()
    assert ls.parks.geometry.iloc[0].area > 0


def test_duplicate_park_ids(tmp_path):
    roles = toy_layers()
    roles["parks"]["park_id"] = ["A", "A"]
    with pytest.raises(FieldError, match="Duplicate park_id"):
        load_layers(write_toy_gpkg(tmp_path / "dup.gpkg", roles))


def test_parks_without_park_id(tmp_path):
    roles = toy_layers()
    roles["parks"] = roles["parks"].drop(columns=["park_id"])
    with pytest.raises(FieldError) as exc:
        load_layers(write_toy_gpkg(tmp_path / "nid.gpkg", roles))
    assert "park_id" in exc.value.message_en and "fields" in exc.value.hint_en


def test_empty_layer(tmp_path):
    roles = toy_layers()
    roles["parks"] = roles["parks"].iloc[:0]
    with pytest.raises(LayerError, match="no features"):
        load_layers(write_toy_gpkg(tmp_path / "e.gpkg", roles))


def test_manifest_with_field_mapping_and_gcj02_datum(tmp_path):
    roles = toy_layers()
    parks = roles["parks"].rename(columns={"park_id": "园区编号", "name_zh": "名称"})
    # the parks file is stored in GCJ-02, as many Chinese web-map exports are
    parks = parks.set_geometry(convert_geometries(parks.geometry.to_numpy(), "wgs84", "gcj02"), crs=4326)
    roles["parks"] = parks
    write_toy_gpkg(tmp_path / "m.gpkg", roles)
    (tmp_path / "manifest.toml").write_text(
        """
[layers.district]
file = "m.gpkg"
layer = "district"
[layers.parks]
file = "m.gpkg"
layer = "parks"
datum = "gcj02"
illustrative = true
[layers.parks.fields]
park_id = "园区编号"
name_zh = "名称"
[layers.construction_areas]
file = "m.gpkg"
layer = "construction_areas"
""", encoding="utf-8")
    ls = load_layers(tmp_path / "manifest.toml")
    assert ls.parks["park_id"].tolist() == ["A", "B"]
    assert ls.illustrative
    # back in WGS84 to well under a metre
    ref = toy_layers()["parks"].geometry.to_numpy()
    got = ls.parks.geometry.to_numpy()
    assert shapely.hausdorff_distance(got, ref).max() < 1e-5
    assert any("gcj02" in n for n in ls.notes)


def test_manifest_mapping_missing_field(tmp_path):
    write_toy_gpkg(tmp_path / "m.gpkg")
    (tmp_path / "bad.toml").write_text(
        '[layers.district]\nfile="m.gpkg"\nlayer="district"\n'
        '[layers.parks]\nfile="m.gpkg"\nlayer="parks"\n[layers.parks.fields]\npark_id="NOPE"\n'
        '[layers.construction_areas]\nfile="m.gpkg"\nlayer="construction_areas"\n', encoding="utf-8")
    with pytest.raises(FieldError, match="NOPE"):
        load_layers(tmp_path / "bad.toml")


def test_bad_manifest(tmp_path):
    (tmp_path / "x.toml").write_text("[layers\n", encoding="utf-8")
    with pytest.raises(LayerError, match="TOML"):
        load_layers(tmp_path / "x.toml")


def test_unknown_source(tmp_path):
    with pytest.raises(LayerError, match="not found"):
        load_layers(tmp_path / "nothing.gpkg")


@pytest.mark.parametrize("wkt, expected", [
    ("GEOMETRYCOLLECTION (POLYGON ((0 0, 1 0, 1 1, 0 0)), LINESTRING (0 0, 5 5))",
     "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)))"),
    ("MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((2 2, 3 2, 3 3, 2 2)))",
     "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((2 2, 3 2, 3 3, 2 2)))"),
    ("LINESTRING (0 0, 5 5)", "MULTIPOLYGON EMPTY"),
])
def test_polygonal_keeps_only_polygon_parts(wkt, expected):
    (out,) = polygonal(np.array([shapely.from_wkt(wkt)], dtype=object))
    assert out.equals(shapely.from_wkt(expected)) or (out.is_empty and expected.endswith("EMPTY"))


def test_empty_geometries_are_dropped_and_noted(tmp_path):
    roles = toy_layers()
    roles["construction_areas"] = pd.concat([roles["construction_areas"], roles["construction_areas"].iloc[:1]],
                                            ignore_index=True)
    roles["construction_areas"].loc[2, "geometry"] = None
    ls = load_layers(write_toy_gpkg(tmp_path / "empty.gpkg", roles))
    assert len(ls.construction_areas) == 2
    assert any("dropped 1 empty geometries" in n for n in ls.notes)
