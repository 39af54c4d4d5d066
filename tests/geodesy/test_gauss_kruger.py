"""Tests of gis/geodesy/gauss_kruger.py: zones, zone prefixes, plausibility and the X/Y order."""

from __future__ import annotations

import numpy as np
import pyproj
import pytest

from gis.errors import CRSError
from gis.geodesy import gauss_kruger as gk

# The Chongming Industrial Park (城桥, 121.40° E 31.62° N) in CGCS2000 zone 40, metres.
NORTHING, EASTING = pyproj.Transformer.from_crs(4490, 4549, always_xy=True).transform(121.40, 31.62)[::-1]


def test_zone_crs_comes_from_the_database():
    assert gk.zone_crs("cgcs2000", 3, 40).to_epsg() == 4549
    assert gk.zone_crs("cgcs2000", 3, 41).to_epsg() == 4550
    assert gk.zone_crs("cgcs2000", 6, 21).to_epsg() == 4510  # 6° zone 21, CM 123° E
    assert gk.zone_crs("xian80", 3, 40).to_epsg() == 2385
    assert gk.zone_of_crs(4550) == ("cgcs2000", 3, 41)
    with pytest.raises(CRSError):
        gk.zone_crs("cgcs2000", 3, 21)  # CM 63° E: not a zone over China


def test_wgs84_zone_is_the_cgcs2000_zone():
    assert gk.zone_crs("wgs84", 3, 41).to_epsg() == 4550


@pytest.mark.parametrize("crs", [4326, None, 32651])
def test_zone_of_other_crs_is_none(crs):
    assert gk.zone_of_crs(crs) is None


@pytest.mark.parametrize("text, datum", [
    ("2000国家大地坐标系", "cgcs2000"), ("CGCS2000", "cgcs2000"), ("1980西安坐标系", "xian80"),
    ("1954北京坐标系", "beijing54"), ("新北京54", "newbeijing"), ("WGS84", "wgs84"),
    ("上海2000坐标系", "local"), ("城市坐标系", "local"), ("", None), ("火星坐标系", None),
])
def test_parse_datum(text, datum):
    assert gk.parse_datum(text) == datum


@pytest.mark.parametrize("zone, width, cm", [(40, 3, 120), (41, 3, 123), (21, 6, 123), (51, None, None)])
def test_zone_number_tells_width_and_central_meridian(zone, width, cm):
    assert gk.infer_width(zone) == width
    if width:
        assert gk.central_meridian(width, zone) == cm


@pytest.mark.parametrize("lon, width, zone", [(121.49, 3, 40), (121.51, 3, 41), (121.8, 6, 21)])
def test_zone_for_lon(lon, width, zone):
    assert gk.zone_for_lon(lon, width) == zone


def test_split_prefix():
    prefix, easting = gk.split_prefix([40_512_345.678, 512_345.678])
    assert prefix.tolist() == [40, 0]
    np.testing.assert_allclose(easting, [512_345.678, 512_345.678])


@pytest.mark.parametrize("northing, easting, ok", [
    (NORTHING, EASTING, True),
    (EASTING, NORTHING, False),  # X/Y swapped
    (NORTHING, EASTING + 400_000, False),  # ≈ 4.2° from the central meridian
    (np.nan, EASTING, False),
])
def test_plausible(northing, easting, ok):
    assert gk.plausible([northing], [easting], "cgcs2000", 3, 40).tolist() == [ok]


def test_orient_swaps_back_a_whole_block_only():
    # Block 0 as written; block 1 with its columns swapped (X = easting with prefix, Y = northing).
    X = np.array([NORTHING, NORTHING + 10, 40e6 + EASTING, 40e6 + EASTING + 10])
    Y = np.array([40e6 + EASTING, 40e6 + EASTING, NORTHING, NORTHING])
    northing, easting, swapped, bad = gk.orient(X, Y, [0, 0, 1, 1], "cgcs2000", 3, 40)
    assert swapped.tolist() == [False, True] and bad is None
    np.testing.assert_allclose(northing, [NORTHING, NORTHING + 10, NORTHING, NORTHING])
    np.testing.assert_allclose(easting, [EASTING, EASTING, EASTING, EASTING + 10])


def test_orient_names_a_point_implausible_either_way():
    X = np.array([NORTHING, 1.0])
    Y = np.array([EASTING, 2.0])
    *_, bad = gk.orient(X, Y, [0, 0], "cgcs2000", 3, 40)
    assert bad == 1
