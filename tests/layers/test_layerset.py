"""Tests of gis/layers/layerset.py: the layer set a source loads into, its summary and its metric cache."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from layer_cases import geod_area_km2
from toylayers import write_toy_gpkg

from gis.layers import LayerSet, default_source
from gis.layers.layerset import load_layers


@pytest.fixture
def toy(tmp_path):
    return load_layers(write_toy_gpkg(tmp_path / "toy.gpkg"))


def test_district_area_matches_geodesic_area(toy):
    district = toy.district.geometry.iloc[0]
    ours = toy.summary().set_index("role").loc["district", "area_km2"]
    assert ours == pytest.approx(geod_area_km2(shapely.segmentize(district, 0.0009)), rel=1e-3)
    assert ours == pytest.approx(geod_area_km2(shapely.segmentize(district, 0.0009)), rel=1e-4)


def test_work_cache_matches_projection(toy):
    from gis.geodesy.crs import to_work

    a = shapely.area(toy.work("parks"))
    b = shapely.area(to_work(toy.parks.geometry.to_numpy()))
    assert np.allclose(a, b, rtol=1e-9)


def test_summary_lists_the_roles_with_their_names_and_measures(toy):
    s = toy.summary()
    assert s["role"].tolist() == ["district", "parks", "construction_areas", "riverbank", "strategic_reserve",
                                  "zone_104", "zone_195", "zone_198", "yangtze_1km"]  # the toy has no towns
    row = s.set_index("role").loc["riverbank"]
    assert row["name_zh"] == "长江岸线" and np.isnan(row["area_km2"]) and row["length_km"] > 18
    assert not s["illustrative"].any() and s.set_index("role").loc["zone_195", "derived"]


def test_island_areas_largest_first(toy):
    parts = toy.island_areas()
    assert parts["part"].tolist() == [1, 2]
    # 20 × 10 and 5 × 4 DEG boxes: about 209 and 21 km²
    assert parts["area_km2"].iloc[0] == pytest.approx(10 * parts["area_km2"].iloc[1], rel=0.01)
    assert parts["name_zh"].isna().all()  # the toy riverbank names no islands


def test_layer_and_the_short_api(toy):
    assert isinstance(toy, LayerSet) and toy.layer("parks") is toy.parks and toy.towns is None
    assert len(toy.work("towns")) == 0
    assert default_source().name == "manifest.toml" and default_source().exists()
