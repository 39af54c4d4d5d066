"""gis.synth.attributes: industries, names and DESIGN §5 figures of synthetic parcels."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gis.synth.attributes import parcel_attributes

PARKS = gpd.GeoDataFrame({"park_id": ["changxing_marine"], "leading_industries": ["373"]},
                         geometry=[shapely.box(121.5, 31.6, 121.6, 31.7)], crs=4326)


def attrs(seed=0, n=400):
    kind = np.repeat([0, 1, 2], [n // 2, n // 4, n - n // 2 - n // 4])
    rng = np.random.default_rng(seed)
    return parcel_attributes(kind, np.zeros(n, dtype=int), np.full(n, 10_000.0), PARKS, rng), kind


def test_columns_and_units():
    a, _ = attrs()
    assert list(a.columns) == ["enterprise_zh", "industry", "land_use", "output_wan", "revenue_wan",
                               "value_added_wan", "tax_wan", "rd_wan", "energy_tce", "employees", "high_tech"]
    money = a[["output_wan", "revenue_wan", "value_added_wan", "tax_wan", "rd_wan", "energy_tce"]]
    assert (money >= 0).all().all() and (a["employees"] >= 2).all()
    assert a["industry"].str.fullmatch(r"\d{4}").all()
    assert a["enterprise_zh"].str.endswith("公司").all()


def test_a_parks_parcels_mostly_carry_its_leading_industry():
    a, kind = attrs()
    ships = a["industry"].str.startswith("373").to_numpy()
    assert ships[kind == 0].mean() > 0.6 and ships[kind != 0].mean() < 0.1


def test_output_follows_the_calibrated_density():
    """Changxing parcels: ≈ 35 亿元/km² (manufacturing); countryside ≈ 4: far apart on 10,000 m² each."""
    a, kind = attrs(n=2000)
    density = a["output_wan"] / 10_000.0 * 100  # 万元/m² → 亿元/km²
    assert pd.Series(density[kind == 0]).median() > 3 * pd.Series(density[kind == 2]).median()


def test_deterministic_for_a_generator_seed():
    assert attrs(5)[0].equals(attrs(5)[0]) and not attrs(5)[0].equals(attrs(6)[0])
