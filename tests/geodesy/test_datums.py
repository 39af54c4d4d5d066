"""Tests of gis/geodesy/datums.py: WGS84 ⇄ GCJ-02 ⇄ BD-09 against published vectors, and the inverses."""

from __future__ import annotations

import numpy as np
import pyproj
import pytest
import shapely

from gis.errors import DatumError
from gis.geodesy.datums import (
    bd09_to_gcj02,
    convert_geometries,
    convert_lonlat,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    wgs84_to_gcj02,
)

GEOD = pyproj.Geod(ellps="WGS84")


def dist_m(lon1, lat1, lon2, lat2) -> np.ndarray:
    lon1, lat1, lon2, lat2 = np.broadcast_arrays(*(np.asarray(v, dtype="float64") for v in (lon1, lat1, lon2, lat2)))
    return np.asarray(GEOD.inv(lon1, lat1, lon2, lat2)[2])


# eviltransform (googollee/eviltransform) test vectors, given there as (lat, lon).
EVILTRANSFORM_WGS_GCJ = [
    ((31.1774276, 121.5272106), (31.17530398364597, 121.531541859215)),  # Shanghai
    ((22.543847, 113.912316), (22.540796131694766, 113.9171764808363)),  # Shenzhen
    ((39.911954, 116.377817), (39.91334545536069, 116.38404722455657)),  # Beijing
]


@pytest.mark.parametrize(("wgs", "gcj"), EVILTRANSFORM_WGS_GCJ)
def test_wgs84_to_gcj02_matches_eviltransform(wgs, gcj):
    lon, lat = wgs84_to_gcj02(wgs[1], wgs[0])
    assert dist_m(lon, lat, gcj[1], gcj[0]) < 0.01


@pytest.mark.parametrize(("wgs", "gcj"), EVILTRANSFORM_WGS_GCJ)
def test_gcj02_to_wgs84_inverts_eviltransform(wgs, gcj):
    lon, lat = gcj02_to_wgs84(gcj[1], gcj[0])
    assert dist_m(lon, lat, wgs[1], wgs[0]) < 0.5


def test_gcj02_to_bd09_matches_coordtransform():
    # wandergis/coordtransform README: gcj02tobd09(116.404, 39.915)
    lon, lat = gcj02_to_bd09(116.404, 39.915)
    assert dist_m(lon, lat, 116.41036949371029, 39.92133699351021) < 0.01


@pytest.mark.parametrize(
    ("src", "dst", "expected"),
    [
        # coordtransform's forward WGS84 → GCJ-02 at (116.404, 39.915)
        ("wgs84", "gcj02", (116.41024449916938, 39.91640428150164)),
        # its inverses are one-step approximations; ours iterate, so they agree within 0.5 m
        ("bd09", "gcj02", (116.39762729119315, 39.90865673957631)),
        ("gcj02", "wgs84", (116.39775550083061, 39.91359571849836)),
        ("bd09", "wgs84", (116.3913836995125, 39.907253214522164)),
    ],
)
def test_convert_lonlat_matches_coordtransform(src, dst, expected):
    lon, lat = convert_lonlat(116.404, 39.915, src, dst)
    assert dist_m(lon, lat, *expected) < 0.5


def _chongming_grid(n: int = 40):
    # Chongming, Changxing and Hengsha islands with a margin.
    lon, lat = np.meshgrid(np.linspace(121.1, 122.3, n), np.linspace(31.2, 31.9, n))
    return lon.ravel(), lat.ravel()


@pytest.mark.parametrize("datum", ["gcj02", "bd09"])
def test_inverse_round_trip_over_chongming(datum):
    lon, lat = _chongming_grid()
    flon, flat = convert_lonlat(lon, lat, "wgs84", datum)
    # the offset is real (≈ 0.5 km here) …
    assert dist_m(lon, lat, flon, flat).min() > 300
    blon, blat = convert_lonlat(flon, flat, datum, "wgs84")
    # … and the iterative inverse undoes it far below 0.5 m
    err = dist_m(lon, lat, blon, blat)
    assert err.max() < 0.5
    assert err.max() < 0.001


def test_bd09_gcj02_round_trip_over_chongming():
    lon, lat = _chongming_grid()
    blon, blat = gcj02_to_bd09(lon, lat)
    glon, glat = bd09_to_gcj02(blon, blat)
    assert dist_m(lon, lat, glon, glat).max() < 0.001


def test_convert_geometries_moves_every_vertex():
    poly = shapely.from_wkt("POLYGON ((121.40 31.62, 121.41 31.62, 121.41 31.63, 121.40 31.63, 121.40 31.62))")
    out = convert_geometries([poly, None], "wgs84", "gcj02")
    assert out[1] is None
    xy, gxy = shapely.get_coordinates(poly), shapely.get_coordinates(out[0])
    glon, glat = wgs84_to_gcj02(xy[:, 0], xy[:, 1])
    np.testing.assert_allclose(gxy, np.column_stack([glon, glat]), atol=1e-12)
    back = convert_geometries(out, "gcj02", "wgs84")[0]
    bxy = shapely.get_coordinates(back)
    assert dist_m(xy[:, 0], xy[:, 1], bxy[:, 0], bxy[:, 1]).max() < 0.001


def test_outside_china_is_not_shifted():
    lon, lat = wgs84_to_gcj02(2.35, 48.85)  # Paris
    assert (float(lon), float(lat)) == (2.35, 48.85)


def test_unknown_datum_is_refused():
    with pytest.raises(DatumError) as exc:
        convert_lonlat(121.4, 31.6, "wgs84", "mars")
    assert "mars" in exc.value.message_en and exc.value.message_zh
