"""Tests of gis.planning.density_grid: the output-density GeoTIFF and zonal statistics, hand-computed."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import rasterio
import shapely
from affine import Affine
from density_fixtures import classified_frame

from gis.errors import CRSError, OutputError
from gis.geodesy.crs import WGS84
from gis.planning.density_grid import (
    GRID_CRS,
    NODATA,
    density_grid,
    write_density_grid,
    zonal_stats,
)

UTM = "EPSG:32651"
# A spot in Chongming in UTM 51N metres, on a 100 m lattice.
E0, N0 = 330000.0, 3500000.0


def utm_parcels(boxes, outputs, crs=UTM) -> gpd.GeoDataFrame:
    geoms = [shapely.box(E0 + a, N0 + b, E0 + c, N0 + d) for a, b, c, d in boxes]
    g = gpd.GeoDataFrame({"parcel_id": [f"p{i}" for i in range(len(geoms))], "output_wan": outputs},
                         geometry=geoms, crs=UTM)
    return g.to_crs(crs) if crs != UTM else g


def test_hand_computed_grid():
    # p0 fills cell (0–100, 0–100) exactly; p1 lies half in that cell's east neighbour and half beyond.
    p = utm_parcels([(0, 0, 100, 100), (150, 0, 250, 100)], [1000.0, 2000.0])
    g = density_grid(p, cell_m=100.0)
    out = np.where(g["output"] == NODATA, 0, g["output"])
    assert g["crs"].to_epsg() == 32651
    assert out.shape == (1, 3)
    # 1000 万元 = 0.1 亿元 in cell 0; p1 (0.2 亿元) split 0.1 / 0.1 between cells 1 and 2.
    assert out[0] == pytest.approx([0.1, 0.1, 0.1])
    # density: 0.1 亿元 on 0.01 km² = 10 亿元/km²
    assert g["density"][0] == pytest.approx([10.0, 10.0, 10.0])
    assert g["total_output_yi"] == pytest.approx(0.3) and g["grid_output_yi"] == pytest.approx(0.3)


def test_grid_sums_back_within_half_percent():
    """Many parcels, off-lattice and rotated, input in WGS84: the grid sum equals the total output."""
    rng = np.random.default_rng(5)
    n = 400
    cx, cy = rng.uniform(0, 20000, n), rng.uniform(0, 15000, n)
    w, h = rng.uniform(30, 600, n), rng.uniform(30, 400, n)
    geoms = shapely.box(E0 + cx, N0 + cy, E0 + cx + w, N0 + cy + h)
    geoms = np.array([shapely.affinity.rotate(gm, a) for gm, a in zip(geoms, rng.uniform(0, 40, n), strict=True)])
    p = gpd.GeoDataFrame({"parcel_id": np.arange(n).astype(str), "output_wan": rng.lognormal(8, 1.5, n)},
                         geometry=geoms, crs=UTM).to_crs(WGS84)
    g = density_grid(p, cell_m=250.0)
    assert g["grid_output_yi"] == pytest.approx(g["total_output_yi"], rel=5e-3)
    assert abs(g["grid_output_yi"] / g["total_output_yi"] - 1) < 1e-9   # exact in practice
    valid = g["density"] != NODATA
    assert (g["density"][valid] >= 0).all()


def test_grid_on_classified_fixture():
    p = classified_frame()
    g = density_grid(p, cell_m=250.0)
    assert g["grid_output_yi"] == pytest.approx(p["output_wan"].sum() / 1e4, rel=1e-9)


def test_write_cog(tmp_path):
    p = utm_parcels([(0, 0, 100, 100), (150, 0, 250, 100)], [1000.0, 2000.0])
    f = tmp_path / "d.tif"
    info = write_density_grid(p, f, cell_m=100.0)
    assert info["grid_output_yi"] == pytest.approx(0.3)
    with rasterio.open(f) as ds:
        assert ds.crs.to_epsg() == 32651
        assert ds.count == 2 and ds.nodata == NODATA
        assert ds.tags(ns="IMAGE_STRUCTURE").get("LAYOUT") == "COG"
        assert ds.res == (100.0, 100.0)
        assert "亿元/km²" in ds.descriptions[0]
        band2 = ds.read(2, masked=True)
        assert float(band2.sum()) == pytest.approx(0.3)
    with pytest.raises(OutputError):
        write_density_grid(p, tmp_path / "d.png")


def test_grid_crs_must_be_metric():
    p = utm_parcels([(0, 0, 100, 100)], [1.0])
    with pytest.raises(CRSError):
        density_grid(p, crs="EPSG:4326")
    assert density_grid(p, cell_m=50, crs="EPSG:4549")["crs"].to_epsg() == 4549
    assert GRID_CRS == "EPSG:32651"


def test_unplaced_parcel_reported():
    p = utm_parcels([(0, 0, 100, 100), (0, 0, 0, 0)], [1000.0, 500.0])
    g = density_grid(p, cell_m=100.0)
    assert g["unplaced"] == ["p1"] and g["notes"]
    assert g["grid_output_yi"] == pytest.approx(0.1)


# --------------------------------------------------------------------------- zonal statistics


def write_raster(path, data, crs=UTM, nodata=-1.0, origin=(E0, N0 + 400), res=100.0):
    data = np.asarray(data, dtype="float32")
    tr = Affine(res, 0, origin[0], 0, -res, origin[1])
    with rasterio.open(path, "w", driver="GTiff", width=data.shape[1], height=data.shape[0], count=1,
                       dtype="float32", crs=crs, transform=tr, nodata=nodata) as ds:
        ds.write(data, 1)
    return path


# 4 × 4 pixels of 100 m; rows from the north. -1 is nodata.
RASTER = [
    [1, 2, 3, 4],
    [5, 6, 7, 8],
    [9, 10, -1, 12],
    [13, 14, 15, 16],
]


def zones(crs=UTM):
    # z0: the south-west 2 × 2 pixels (9, 10, 13, 14); z1: half of pixel 6 and half of 7;
    # z2: the four centre pixels (6, 7, 10, nodata); z3: outside the raster.
    return utm_parcels([(0, 0, 200, 200), (150, 200, 250, 300), (100, 100, 300, 300), (900, 900, 1000, 1000)],
                       [0.0] * 4, crs=crs)


def test_zonal_hand_computed(tmp_path):
    r = write_raster(tmp_path / "r.tif", RASTER)
    z = zonal_stats(r, zones()).set_index("parcel_id")
    assert z.loc["p0", "raster_mean"] == pytest.approx((9 + 10 + 13 + 14) / 4)
    assert z.loc["p0", "raster_min"] == 9 and z.loc["p0", "raster_max"] == 14
    assert z.loc["p0", "raster_count"] == 4 and z.loc["p0", "raster_valid_share"] == pytest.approx(1.0)
    assert z.loc["p0", "raster_sum"] == pytest.approx(46.0)
    # z1 covers half of 6 and half of 7: mean 6.5, sum 0.5·6 + 0.5·7
    assert z.loc["p1", "raster_mean"] == pytest.approx(6.5)
    assert z.loc["p1", "raster_sum"] == pytest.approx(6.5)
    # z2: nodata pixel left out: mean of 6, 7, 10; three quarters of the zone on valid data
    assert z.loc["p2", "raster_mean"] == pytest.approx((6 + 7 + 10) / 3)
    assert z.loc["p2", "raster_count"] == 3 and z.loc["p2", "raster_valid_share"] == pytest.approx(0.75)
    assert np.isnan(z.loc["p3", "raster_mean"]) and z.loc["p3", "raster_count"] == 0


def test_zonal_zones_in_another_crs(tmp_path):
    """Zones in WGS84 against a UTM raster: transformed, same figures."""
    r = write_raster(tmp_path / "r.tif", RASTER)
    z = zonal_stats(r, zones(crs=WGS84)).set_index("parcel_id")
    assert z.loc["p0", "raster_mean"] == pytest.approx(11.5, rel=1e-6)
    assert z.loc["p2", "raster_mean"] == pytest.approx(23 / 3, rel=1e-5)


def test_zonal_raster_in_another_crs(tmp_path):
    """A CGCS2000 GK raster (EPSG:4550) against WGS84 parcels."""
    from pyproj import Transformer

    tr = Transformer.from_crs(UTM, "EPSG:4550", always_xy=True)
    x, y = tr.transform(E0, N0 + 400)
    r = write_raster(tmp_path / "gk.tif", [[7.0] * 8] * 8, crs="EPSG:4550", origin=(x - 200, y + 200))
    z = zonal_stats(r, zones(crs=WGS84)).set_index("parcel_id")
    assert z.loc["p0", "raster_mean"] == pytest.approx(7.0)
    assert z.loc["p0", "raster_valid_share"] == pytest.approx(1.0, rel=1e-6)


def test_zonal_nan_nodata_and_no_crs(tmp_path):
    data = np.array(RASTER, dtype="float32")
    data[data == -1] = np.nan
    r = write_raster(tmp_path / "n.tif", data, nodata=None)
    z = zonal_stats(r, zones()).set_index("parcel_id")
    assert z.loc["p2", "raster_mean"] == pytest.approx(23 / 3)
    r2 = write_raster(tmp_path / "nocrs.tif", RASTER, crs=None)
    with pytest.raises(CRSError) as exc:
        zonal_stats(r2, zones())
    assert "--assume-crs" in exc.value.hint_en
    z2 = zonal_stats(r2, zones(), assume_crs=UTM).set_index("parcel_id")
    assert z2.loc["p0", "raster_mean"] == pytest.approx(11.5)


def test_zonal_per_park_with_density_grid(tmp_path):
    """The density grid read back per parcel: mean density over a parcel filling one cell."""
    p = utm_parcels([(0, 0, 100, 100), (150, 0, 250, 100)], [1000.0, 2000.0])
    f = tmp_path / "d.tif"
    write_density_grid(p, f, cell_m=100.0)
    z = zonal_stats(f, p, band=1).set_index("parcel_id")
    assert z.loc["p0", "raster_mean"] == pytest.approx(10.0)
