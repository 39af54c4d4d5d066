"""Numbers in CSV tables are rounded to their meaning; GIS outputs keep full precision."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from gis.io.rounding import decimals_for, rounded_for_people


@pytest.mark.parametrize("column, decimals", [
    ("riverbank_m", 1), ("nearest_park_m", 1), ("area_m2", 1), ("share_104", 4), ("yangtze_1km_share", 4),
    ("cagr", 4), ("output_wan", 2), ("tax_wan_per_mu", 2), ("output_yi", 6), ("density_yi_per_km2", 4),
    ("land_km2", 6), ("land_mu", 4), ("reduced_ha", 4), ("rd_share_pct", 2), ("energy_tce", 2),
    ("energy_tce_per_wan", 4), ("lon", 7), ("employees", None),
])
def test_decimals_follow_the_unit_in_the_name(column, decimals):
    assert decimals_for(column) == decimals


def test_rounded_for_people_keeps_other_columns():
    df = pd.DataFrame({"riverbank_m": [4972.2118134840375], "share_104": [0.123456789], "output_wan": [1.005001],
                       "x": [1 / 3], "parcel_id": ["a"], "n": [3]})
    r = rounded_for_people(df)
    assert r.loc[0, "riverbank_m"] == 4972.2 and r.loc[0, "share_104"] == 0.1235
    assert r.loc[0, "output_wan"] == 1.01 and r.loc[0, "x"] == pytest.approx(0.3333333333, abs=1e-12)
    assert r.loc[0, "parcel_id"] == "a" and r.loc[0, "n"] == 3
    assert df.loc[0, "riverbank_m"] == 4972.2118134840375  # the input is not changed


def test_csv_rounded_gpkg_full_precision(tmp_path):
    from gis.io.vector import write_vector

    g = gpd.GeoDataFrame({"parcel_id": ["a"], "riverbank_m": [4972.2118134840375], "share_195": [1 / 3]},
                         geometry=[shapely.Point(121.42670000000001, 31.656699999999994)], crs=4326)
    write_vector(g, tmp_path / "a.csv")
    text = (tmp_path / "a.csv").read_text(encoding="utf-8-sig")
    assert "4972.2," in text and "0.3333," in text and "POINT (121.4267 31.6567)" in text
    write_vector(g, tmp_path / "a.gpkg")
    back = gpd.read_file(tmp_path / "a.gpkg")
    assert back.loc[0, "riverbank_m"] == 4972.2118134840375 and np.isclose(back.loc[0, "share_195"], 1 / 3, 0, 1e-15)
