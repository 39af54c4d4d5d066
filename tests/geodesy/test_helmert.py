"""Tests of gis/geodesy/helmert.py: 4-parameter plane and 7-parameter Bursa–Wolf shifts into CGCS2000."""

from __future__ import annotations

import numpy as np
import pyproj
import pytest

from gis.errors import CRSError
from gis.geodesy.helmert import Helmert, apply_helmert, parse_helmert


def four_param(n, e, dx, dy, rot_arcsec, ppm):
    """The Chinese surveying formula, written out (X north, Y east)."""
    a, k = np.radians(rot_arcsec / 3600), 1 + ppm * 1e-6
    return dx + k * (n * np.cos(a) - e * np.sin(a)), dy + k * (n * np.sin(a) + e * np.cos(a))


def test_four_parameter_helmert_follows_the_surveying_formula():
    n, e = np.array([3500567.69, 3512000.0]), np.array([632839.09, 598000.0])
    h = parse_helmert("-35.2,118.7,1.35,-4.2")
    got = apply_helmert(n, e, h, "xian80", 3, 40)
    want = four_param(n, e, -35.2, 118.7, 1.35, -4.2)
    np.testing.assert_allclose(got, want, atol=1e-6)


def test_seven_parameter_helmert_is_position_vector_bursa_wolf():
    """Check against the Bursa–Wolf formula evaluated here in geocentric coordinates."""
    n, e = np.array([3500567.69, 3501000.0]), np.array([632839.09, 633500.0])
    p = (15.8, -154.4, -82.3, 2.1, -1.3, 3.5, 4.2)
    got_n, got_e = apply_helmert(n, e, Helmert(p, "test"), "xian80", 3, 40)
    lon, lat = pyproj.Transformer.from_crs(2385, 4610, always_xy=True).transform(e, n)
    a, f = 6378140.0, 1 / 298.257  # Xian 1980 (IAG-75)
    es = f * (2 - f)
    phi, lam = np.radians(lat), np.radians(lon)
    nu = a / np.sqrt(1 - es * np.sin(phi) ** 2)
    xyz = np.stack([nu * np.cos(phi) * np.cos(lam), nu * np.cos(phi) * np.sin(lam), nu * (1 - es) * np.sin(phi)])
    rx, ry, rz = np.radians(np.array(p[3:6]) / 3600)
    rot = np.array([[1, -rz, ry], [rz, 1, -rx], [-ry, rx, 1]])
    xyz2 = np.array(p[:3])[:, None] + (1 + p[6] * 1e-6) * rot @ xyz
    lon2, lat2, _ = pyproj.Transformer.from_crs(4978, 4979, always_xy=True).transform(*xyz2)
    want_e, want_n = pyproj.Transformer.from_crs(4490, 4549, always_xy=True).transform(lon2, lat2)
    np.testing.assert_allclose(got_n, want_n, atol=1e-4)
    np.testing.assert_allclose(got_e, want_e, atol=1e-4)


@pytest.mark.parametrize("text, params", [
    ("-35.2,118.7,1.35,-4.2", (-35.2, 118.7, 1.35, -4.2)),
    ("1，2；3 4", (1.0, 2.0, 3.0, 4.0)),  # full-width separators and spaces
    ("15.8,-154.4,-82.3,0.2,-0.1,0.3,1.5", (15.8, -154.4, -82.3, 0.2, -0.1, 0.3, 1.5)),
    ("-35.2,118.7,1.35,-4.2,,,", (-35.2, 118.7, 1.35, -4.2)),  # the file's 7 slots, 4 filled
])
def test_parse_helmert(text, params):
    h = parse_helmert(text, "转换参数")
    assert h.params == params and h.kind == len(params)
    assert h.describe().startswith(f"{len(params)}-parameter Helmert (转换参数)")


@pytest.mark.parametrize("text", [None, "", ",,,,,,"])
def test_empty_parameters_are_none(text):
    assert parse_helmert(text) is None


@pytest.mark.parametrize("text", ["1,2,3", "1,2,3,x", "1,2,3,4,5"])
def test_bad_parameters_are_refused(text):
    with pytest.raises(CRSError) as exc:
        parse_helmert(text, "--helmert")
    assert "--helmert" in exc.value.message_en and "4 or 7" in exc.value.message_en


def test_local_system_needs_four_parameters():
    with pytest.raises(CRSError):
        apply_helmert([3.5e6], [5e5], Helmert((0.0,) * 7, "test"), "local", 3, 40)
