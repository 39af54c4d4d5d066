"""Tests of gis/geodesy/crs.py: the working CRS, CRS checks and projecting geometry arrays."""

from __future__ import annotations

import numpy as np
import pyproj
import pytest
import shapely

from gis.errors import CRSError
from gis.geodesy.crs import (
    WGS84,
    WORK_CRS,
    check_crs,
    from_work,
    needs_densify,
    to_work,
    transform_geometries,
)

GEOD = pyproj.Geod(ellps="WGS84")


def test_check_crs_refuses_none_and_names_assume_crs():
    with pytest.raises(CRSError) as exc:
        check_crs(None, "parcels.shp")
    err = exc.value
    assert "parcels.shp" in err.message_en and "parcels.shp" in err.message_zh
    assert "--assume-crs" in err.hint_en and "--assume-crs" in err.hint_zh


def test_check_crs_uses_assume_crs_only_when_missing():
    assert check_crs(None, "x", assume_crs="EPSG:4549").to_epsg() == 4549
    assert check_crs("EPSG:4326", "x", assume_crs="EPSG:4549").equals(WGS84)
    with pytest.raises(CRSError):
        check_crs(None, "x", assume_crs="EPSG:not-a-code")


@pytest.mark.parametrize("lon", [121.12, 121.68, 122.25])  # the district's west end, centre, east shoals
def test_working_crs_scale_error_is_below_2e_5_across_the_district(lon):
    # A 1 km east-west segment: its length in WORK_CRS against the geodesic length.
    east = lon + 1000.0 / (111_320.0 * np.cos(np.radians(31.6)))
    line = shapely.LineString([(lon, 31.6), (east, 31.6)])
    projected = shapely.length(to_work([line], densify=False)[0])
    geodesic = GEOD.line_length([lon, east], [31.6, 31.6])
    assert abs(projected / geodesic - 1) < 2e-5


def test_square_km_parcel_area_matches_the_geodesic_area():
    poly = shapely.from_wkt("POLYGON ((121.50 31.60, 121.51 31.60, 121.51 31.61, 121.50 31.61, 121.50 31.60))")
    geodesic = abs(GEOD.geometry_area_perimeter(poly)[0])
    assert abs(shapely.area(to_work([poly])[0]) / geodesic - 1) < 1e-4


def test_to_work_and_back_keeps_none_and_vertices():
    poly = shapely.from_wkt("POLYGON ((121.40 31.62, 121.41 31.62, 121.41 31.63, 121.40 31.62))")
    w = to_work([poly, None], densify=False)
    assert w[1] is None
    back = from_work(w)
    np.testing.assert_allclose(shapely.get_coordinates(back[0]), shapely.get_coordinates(poly), atol=1e-9)


@pytest.mark.parametrize("wkt, densified", [
    ("LINESTRING (121.40 31.60, 121.405 31.60)", False),    # ≈ 475 m: short, left alone
    ("LINESTRING (121.20 31.60, 122.20 31.60)", True),      # ≈ 95 km: long, densified
])
def test_only_long_geometries_are_densified(wkt, densified):
    geom = shapely.from_wkt(wkt)
    assert needs_densify(np.array([geom]), WGS84)[0] == densified
    n = shapely.get_num_coordinates(transform_geometries([geom], WGS84, WORK_CRS)[0])
    assert (n > 2) == densified


def test_a_long_lonlat_edge_is_densified_to_100_m_steps():
    # A zone edge straight in lon/lat (as PostGIS geometry reads it) stays on that line (DESIGN §7).
    geom = shapely.from_wkt("LINESTRING (121.20 31.60, 122.20 31.80)")
    w = transform_geometries([geom], WGS84, WORK_CRS)[0]
    steps = np.hypot(*np.diff(shapely.get_coordinates(w), axis=0).T)
    assert steps.max() <= 101.0


def test_same_crs_returns_a_copy():
    geoms = np.array([shapely.Point(121.5, 31.6)], dtype=object)
    out = transform_geometries(geoms, "EPSG:4326", WGS84)
    assert out is not geoms and out[0] == geoms[0]
