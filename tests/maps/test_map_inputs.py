"""What a map needs beside the layers (gis.maps.map_inputs): the density table, only when asked."""

from __future__ import annotations

import geopandas as gpd
import pytest
from toylayers import box, write_toy_gpkg

from gis.classification.classify import classify
from gis.errors import InputError
from gis.layers.layerset import load_layers
from gis.maps.map_inputs import map_density


@pytest.fixture(scope="module")
def toy(tmp_path_factory):
    layers = load_layers(write_toy_gpkg(tmp_path_factory.mktemp("toy") / "toy.gpkg"))
    parcels = gpd.GeoDataFrame({"parcel_id": ["a", "b"], "output_wan": [5000.0, 800.0]},
                               geometry=[box(3, 3, 3.3, 3.2), box(11, 4, 11.3, 4.2)], crs=4326)
    return layers, classify(parcels, layers)


def test_density_only_for_a_density_map_or_print_maps(toy):
    layers, parcels = toy
    assert map_density(parcels, layers) is None
    by_park = map_density(parcels, layers, mode="density")
    assert set(by_park["unit_type"]) == {"park"}
    assert map_density(parcels, layers, static=True, density_by="town")["unit_type"].eq("park").all()


def test_parcels_without_output(toy):
    layers, parcels = toy
    bare = parcels.drop(columns=["output_wan"])
    assert map_density(bare, layers, static=True) is None          # print maps go on without it
    with pytest.raises(ValueError):
        map_density(bare, layers, mode="density")


def test_density_map_without_parcels_is_an_error(toy):
    layers, _ = toy
    assert map_density(None, layers) is None
    with pytest.raises(InputError, match="needs parcels"):
        map_density(None, layers, mode="density")
