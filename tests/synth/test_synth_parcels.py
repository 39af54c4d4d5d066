"""gis.synth.parcels: synthetic parcels (determinism, placement, attributes, calibration)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from gis.errors import InputError, LayerError, OutputError
from gis.geodesy.crs import to_work
from gis.synth.parcels import synth_parcels

GPKG = Path(__file__).resolve().parents[2] / "layers" / "chongming" / "chongming.gpkg"

# A toy district near Chongming (≈ 9.5 × 6.7 km) with one park and one town.
TOY_DISTRICT = "POLYGON ((121.40 31.60, 121.50 31.60, 121.50 31.66, 121.40 31.66, 121.40 31.60))"
TOY_PARK = "POLYGON ((121.42 31.62, 121.44 31.62, 121.445 31.635, 121.42 31.64, 121.42 31.62))"
TOY_TOWN = "POLYGON ((121.46 31.61, 121.48 31.61, 121.48 31.63, 121.46 31.63, 121.46 31.61))"

FIELDS = {
    "parcel_id": "string", "enterprise_zh": "string", "industry": "string", "land_use": "string",
    "output_wan": "float", "revenue_wan": "float", "value_added_wan": "float", "tax_wan": "float",
    "rd_wan": "float", "energy_tce": "float", "employees": "integer", "high_tech": "bool", "synthetic": "bool",
}


def gdf(wkt: str, **cols) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({k: [v] for k, v in cols.items()}, geometry=[shapely.from_wkt(wkt)], crs=4326)


@pytest.fixture(scope="module")
def toy():
    return (gdf(TOY_DISTRICT, name_zh="测试区"),
            gdf(TOY_PARK, park_id="p1", leading_industries="36,38"),
            gdf(TOY_TOWN, town_zh="甲镇", town_en="Town A"))


@pytest.fixture(scope="module")
def chongming():
    return {n: pyogrio.read_dataframe(GPKG, layer=n)
            for n in ("district", "parks", "construction_areas", "riverbank", "land")}


def _same(a: gpd.GeoDataFrame, b: gpd.GeoDataFrame) -> bool:
    return (a.drop(columns="geometry").equals(b.drop(columns="geometry"))
            and bool(shapely.equals_exact(a.geometry.to_numpy(), b.geometry.to_numpy()).all()))


def test_deterministic_for_a_seed(toy):
    a = synth_parcels(300, *toy, seed=7)
    b = synth_parcels(300, *toy, seed=7)
    c = synth_parcels(300, *toy, seed=8)
    assert _same(a, b)
    assert not _same(a, c)


@pytest.mark.parametrize("n", [0, 1, 17, 400])
def test_n_respected(toy, n):
    p = synth_parcels(n, *toy, seed=1)
    assert len(p) == n
    assert p.parcel_id.is_unique
    if n:
        assert p.parcel_id.iloc[0].startswith("P") and len(p.parcel_id.iloc[0]) == 8


def test_fields_and_dtypes(toy):
    p = synth_parcels(200, *toy)
    assert p.crs.to_epsg() == 4326
    assert list(p.columns) == list(FIELDS) + ["geometry"]
    check = {"string": pd.api.types.is_string_dtype, "float": pd.api.types.is_float_dtype,
             "integer": pd.api.types.is_integer_dtype, "bool": pd.api.types.is_bool_dtype}
    for col, kind in FIELDS.items():
        assert check[kind](p[col]), (col, p[col].dtype)
    assert p.synthetic.all()
    assert p.industry.str.fullmatch(r"\d{4}").all()
    assert set(p.land_use) <= {"M1", "M2", "M3", "W1", "工业用地"}
    assert p.enterprise_zh.str.endswith("公司").all()
    for col in ("output_wan", "revenue_wan", "value_added_wan", "tax_wan", "rd_wan", "energy_tce"):
        assert (p[col] >= 0).all()
    assert (p.value_added_wan <= p.output_wan).all()
    assert (p.employees >= 1).all()


def test_sizes_box_ish(toy):
    p = synth_parcels(500, *toy, seed=2)
    w = to_work(p.geometry.to_numpy(), densify=False)  # keep the 4 corners
    assert (shapely.get_num_coordinates(w) == 5).all()
    coords = shapely.get_coordinates(w).reshape(-1, 5, 2)
    sides = np.hypot(*np.moveaxis(np.diff(coords, axis=1), -1, 0))
    assert sides.min() > 39.0 and sides.max() < 301.0
    area = shapely.area(w)
    assert np.allclose(area, sides[:, 0] * sides[:, 1], rtol=1e-3)  # rectangles


def test_all_inside_toy_district(toy):
    p = synth_parcels(1000, *toy, seed=3)
    assert shapely.within(p.geometry.to_numpy(), toy[0].geometry.iloc[0]).all()


def test_without_parks_or_towns(toy):
    district = toy[0]
    assert len(synth_parcels(50, district, None, None)) == 50
    p = synth_parcels(50, district, toy[1].iloc[:0], toy[2])
    assert len(p) == 50


def test_bad_inputs(toy):
    with pytest.raises(InputError):
        synth_parcels(-1, *toy)
    with pytest.raises(InputError):
        synth_parcels(2.5, *toy)
    with pytest.raises(LayerError):
        synth_parcels(10, toy[0].iloc[:0], toy[1], toy[2])


def test_chongming_inside_district_and_land(chongming):
    land = gpd.GeoDataFrame(geometry=[chongming["land"].geometry.union_all()], crs=4326)
    assert shapely.area(to_work(land.geometry.to_numpy()))[0] / 1e6 == pytest.approx(1551.8, rel=0.005)
    p = synth_parcels(1500, chongming["district"], chongming["parks"], chongming["construction_areas"],
                      seed=4, land=land)
    geoms = p.geometry.to_numpy()
    assert shapely.within(geoms, chongming["district"].geometry.iloc[0]).all()
    # Wholly on land (off the river and the tidal flats).
    assert shapely.within(geoms, land.geometry.iloc[0].buffer(1e-7)).all()
    pairs = shapely.STRtree(geoms).query(geoms, predicate="overlaps")
    assert pairs.shape[1] == 0


def test_calibration_and_location_mix(chongming):
    """Park parcels: 10–40 亿元/km², Changxing highest; 195/198: 3–10; parks get their industries."""
    parks = chongming["parks"]
    p = synth_parcels(3000, chongming["district"], parks, chongming["construction_areas"], seed=0)
    area_km2 = shapely.area(to_work(p.geometry.to_numpy())) / 1e6
    c = shapely.centroid(p.geometry.to_numpy())
    density = {}
    for rec in parks.itertuples():
        sel = shapely.contains(rec.geometry, c)
        density[rec.park_id] = p.output_wan[sel].sum() / 1e4 / area_km2[sel].sum()
        lead = tuple(rec.leading_industries.split(","))
        assert p.industry[sel].str.startswith(lead).mean() > 0.6, rec.park_id
    assert all(10 <= d <= 40 for d in density.values()), density
    assert max(density, key=density.get) == "changxing_marine"
    outside = ~shapely.contains(parks.geometry.union_all(), c)
    d_out = p.output_wan[outside].sum() / 1e4 / area_km2[outside].sum()
    assert 3 <= d_out <= 10
    assert p.high_tech.any() and not p.high_tech.all()


@pytest.mark.slow
def test_scale_1e5_runs(chongming):
    # Speed sanity only (≈ 1–2 s); 10⁶ takes ≈ 15 s and ≈ 1.5 GB.
    p = synth_parcels(100_000, chongming["district"], chongming["parks"], chongming["construction_areas"], seed=5)
    assert len(p) == 100_000 and p.parcel_id.is_unique


def test_write_synth_parcels_over_a_layer_source(tmp_path):
    from toylayers import write_toy_gpkg

    from gis.synth.parcels import write_synth_parcels

    src = write_toy_gpkg(tmp_path / "toy.gpkg")
    out = tmp_path / "p.gpkg"
    gdf = write_synth_parcels(25, out, str(src), seed=3)
    back = pyogrio.read_dataframe(out)
    assert len(gdf) == len(back) == 25 and list(back["parcel_id"]) == list(gdf["parcel_id"])
    with pytest.raises(OutputError, match="refusing to overwrite"):
        write_synth_parcels(5, src, str(src))
