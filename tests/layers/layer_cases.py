"""Shared helpers of the layer tests (tests/layers/test_*.py)."""

from __future__ import annotations

from pyproj import Geod

GEOD = Geod(ellps="WGS84")


def geod_area_km2(geom) -> float:
    """Geodesic area of a lon/lat geometry, km² (pyproj.Geod: an independent reference)."""
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6
