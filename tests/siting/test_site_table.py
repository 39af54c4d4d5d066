"""The table the siting rules read (gis.siting.site_table), on the toy layers of tests/toylayers.py.

Park A is 2–6 × 2–6 (leading 36, 38), park B 10–14 × 3–7 (13, 14); units of 0.01° from (121.40 E, 31.55 N).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from toylayers import LAT0, LON0, box, toy_layers, write_toy_gpkg

from gis.geodesy.crs import to_work
from gis.layers.layerset import load_layers
from gis.siting.projects import project_attributes
from gis.siting.row_errors import RowErrors
from gis.siting.site_table import park_attributes, site_table


@pytest.fixture(scope="module")
def toy(tmp_path_factory):
    return load_layers(write_toy_gpkg(tmp_path_factory.mktemp("toy") / "toy.gpkg"))


def point(x, y):
    return shapely.Point(LON0 + x * 0.01, LAT0 + y * 0.01)


def test_one_row_per_site_with_industry_land_and_parks(toy):
    sites = np.array([point(4, 4), box(7, 8, 7.2, 8.2), point(8, 5)], dtype=object)
    attrs = project_attributes(pd.DataFrame({"industry": ["3670", "1311", None],
                                             "land_m2": [5000.0, np.nan, np.nan]}), RowErrors(3))
    t = site_table(to_work(sites), attrs, toy)
    assert list(t["zone"]) == ["104", "198", "198"] and t["park_id"].isna().tolist() == [False, True, True]
    assert t.loc[0, "park_name_zh"] == "甲园区" and t.loc[0, "park_leading_industries"] == "36,38"
    assert t.loc[0, "industry_zh"] == "3670 汽车零部件及配件制造" and bool(t.loc[0, "manufacturing"])
    assert list(t["land_source"][:2]) == ["given", "site"] and pd.isna(t.loc[2, "land_source"])  # a point: none
    assert t.loc[1, "land_m2"] == pytest.approx(t.loc[1, "area_m2"])
    assert t.loc[1, "nearest_park_id"] == "B" and t.loc[1, "nearest_park_m"] > 0   # agri-food → park B
    assert pd.isna(t.loc[0, "nearest_park_id"])                         # already in a matching park
    assert pd.isna(t.loc[2, "nearest_park_id"]) and np.isnan(t.loc[2, "nearest_park_m"])  # no industry


def test_park_names_fall_back_to_the_id(tmp_path):
    roles = toy_layers()
    roles["parks"] = gpd.GeoDataFrame({"park_id": ["A"], "leading_industries": ["36"]}, geometry=[box(2, 2, 6, 6)],
                                      crs=4326)
    parks = park_attributes(load_layers(write_toy_gpkg(tmp_path / "t.gpkg", roles)))
    assert parks[["park_id", "name_zh", "name_en", "leading"]].values.tolist() == [["A", "A", "A", "36"]]
