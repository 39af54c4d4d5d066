"""Layer loading, validation messages and derived zones (toy layers, hand-checkable)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import Geod

from gis.geodesy.datums import convert_geometries
from gis.errors import CRSError, FieldError, LayerError
from gis.layers.layerset import load_layers
from toylayers import box, toy_layers, write_toy_gpkg

GEOD = Geod(ellps="WGS84")


def geod_area_km2(geom) -> float:
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6


@pytest.fixture
def toy(tmp_path):
    return load_layers(write_toy_gpkg(tmp_path / "toy.gpkg"))


def test_derived_zones_partition_the_district(toy):
    s = toy.summary().set_index("role")
    total = s.loc[["zone_104", "zone_195", "zone_198"], "area_km2"].sum()
    assert total == pytest.approx(s.loc["district", "area_km2"], rel=1e-4)
    # pairwise disjoint
    z = [toy.work_union(r) for r in ("zone_104", "zone_195", "zone_198")]
    for i in range(3):
        for j in range(i + 1, 3):
            assert shapely.area(shapely.intersection(z[i], z[j])) < 1e-3


def test_district_area_matches_geodesic_area(toy):
    district = toy.district.geometry.iloc[0]
    ours = toy.summary().set_index("role").loc["district", "area_km2"]
    assert ours == pytest.approx(geod_area_km2(shapely.segmentize(district, 0.0009)), rel=1e-3)
    assert ours == pytest.approx(geod_area_km2(shapely.segmentize(district, 0.0009)), rel=1e-4)


def test_zone_195_is_construction_minus_parks(toy):
    # construction (12..17)x(2..8) + (1..4)x(7..9); park B (10..14)x(3..7) overlaps the first one.
    expect = shapely.union_all([box(12, 2, 17, 8), box(1, 7, 4, 9)]).difference(box(10, 3, 14, 7))
    ours = toy.zone_195.geometry.iloc[0]
    assert geod_area_km2(ours) == pytest.approx(geod_area_km2(shapely.segmentize(expect, 0.0009)), rel=1e-4)


def test_yangtze_zone_is_1km_strip_clipped_to_district(toy):
    # Riverbank = the south edge (20 DEG long); the strip inside the district is 1 km wide.
    area = toy.summary().set_index("role").loc["yangtze_1km", "area_km2"]
    length = toy.summary().set_index("role").loc["riverbank", "length_km"]
    assert area == pytest.approx(length * 1.0, rel=5e-3)


def test_buffer_is_configurable(tmp_path):
    ls = load_layers(write_toy_gpkg(tmp_path / "t.gpkg"), buffer_m=500)
    area = ls.summary().set_index("role").loc["yangtze_1km", "area_km2"]
    assert area == pytest.approx(ls.summary().set_index("role").loc["riverbank", "length_km"] * 0.5, rel=5e-3)


def test_riverbank_derived_from_boundary_when_absent(tmp_path):
    roles = toy_layers()
    del roles["riverbank"]
    ls = load_layers(write_toy_gpkg(tmp_path / "nr.gpkg", roles))
    assert ls.meta["riverbank"]["derived"]
    assert any("derived from the district boundary" in n for n in ls.notes)
    # the whole outline of both islands
    assert ls.summary().set_index("role").loc["riverbank", "length_km"] > 60


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


def test_parks_outside_district_clipped_and_reported(tmp_path):
    roles = toy_layers()
    roles["parks"].loc[1, "geometry"] = box(18, 3, 23, 7)  # reaches 3 DEG east of the island
    ls = load_layers(write_toy_gpkg(tmp_path / "out.gpkg", roles))
    assert any("clipped" in n for n in ls.notes)
    clipped = ls.parks.geometry.iloc[1]
    assert geod_area_km2(clipped) == pytest.approx(geod_area_km2(shapely.segmentize(box(18, 3, 20, 7), 0.0009)),
                                                   rel=1e-3)


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


def test_work_cache_matches_projection(toy):
    from gis.geodesy.crs import to_work

    a = shapely.area(toy.work("parks"))
    b = shapely.area(to_work(toy.parks.geometry.to_numpy()))
    assert np.allclose(a, b, rtol=1e-9)


def test_default_layers_zones_partition_the_district():
    """Issue acceptance: on the embedded Chongming layers 104+195+198 = district within 0.01 %."""
    ls = load_layers()
    s = ls.summary().set_index("role")
    total = s.loc[["zone_104", "zone_195", "zone_198"], "area_km2"].sum()
    assert total == pytest.approx(s.loc["district", "area_km2"], rel=1e-4)
    # and the district's area agrees with the geodesic area (pyproj.Geod) within 0.1 %
    geod = sum(geod_area_km2(shapely.segmentize(g, 0.0009)) for g in ls.district.geometry)
    assert s.loc["district", "area_km2"] == pytest.approx(geod, rel=1e-3)
    assert s.loc["district", "area_km2"] == pytest.approx(2119, rel=0.01)
    assert not ls.notes  # the default loads without repairs or clipping
