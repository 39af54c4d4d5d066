"""The site as geometry (gis.siting.site_geometry): what a caller gives → one geometry → working CRS."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from gis.errors import InputError
from gis.geodesy.crs import WGS84
from gis.siting.row_errors import RowErrors
from gis.siting.site_geometry import (
    parse_wkt,
    prepare_sites,
    read_site_file,
    site_geometry,
)


@pytest.mark.parametrize("site, wkt, expected", [
    ((121.5, 31.6), None, "POINT (121.5 31.6)"),
    ("121.5,31.6", None, "POINT (121.5 31.6)"),
    ("POINT (121.5 31.6)", None, "POINT (121.5 31.6)"),                 # text starting with a letter is WKT
    (None, "POLYGON ((121.5 31.6, 121.51 31.6, 121.51 31.61, 121.5 31.6))",
     "POLYGON ((121.5 31.6, 121.51 31.6, 121.51 31.61, 121.5 31.6))"),
    (shapely.Point(121.5, 31.6), None, "POINT (121.5 31.6)"),
])
def test_site_forms(site, wkt, expected):
    geom, crs, attrs = site_geometry(site, wkt=wkt)
    assert geom.equals(shapely.from_wkt(expected)) and crs.equals(WGS84) and attrs == {}


@pytest.mark.parametrize("text, message", [
    ("POLYGON ((1 2", "Cannot parse the WKT"),
    ("POINT EMPTY", "empty"),
])
def test_bad_wkt(text, message):
    with pytest.raises(InputError, match=message):
        parse_wkt(text)


def test_exactly_one_of_site_and_wkt():
    with pytest.raises(InputError, match="exactly one"):
        site_geometry()
    with pytest.raises(InputError, match="exactly one"):
        site_geometry((121.5, 31.6), wkt="POINT (121.5 31.6)")


def test_unknown_site_type():
    with pytest.raises(InputError, match="Unrecognised site type"):
        site_geometry(42)


def test_site_file_merges_features_and_keeps_project_attributes(tmp_path):
    path = tmp_path / "site.geojson"
    gpd.GeoDataFrame({"name": ["甲", "乙"], "industry": ["3670", "13"], "radius_m": [5.0, 5.0]},
                     geometry=[shapely.box(121.50, 31.60, 121.51, 31.61), shapely.box(121.51, 31.60, 121.52, 31.61)],
                     crs=4326).to_file(path)
    geom, crs, attrs = read_site_file(path)
    assert geom.equals(shapely.box(121.50, 31.60, 121.52, 31.61)) and crs.equals(WGS84)
    assert attrs == {"name": "甲", "industry": "3670"}          # the first feature's; never a radius
    assert site_geometry(Path(path))[2] == attrs


def test_prepare_sites_circle_radius_and_missing_geometry():
    geoms = np.array([shapely.Point(121.5, 31.6), shapely.box(121.5, 31.6, 121.51, 31.61), None], dtype=object)
    errs = RowErrors(3)
    w, repaired, circle = prepare_sites(geoms, WGS84, "wgs84", np.array([100.0, 100.0, np.nan]), errs)
    assert list(circle) == [True, False, False]
    assert shapely.area(w[0]) == pytest.approx(np.pi * 100.0 ** 2, rel=2e-3)   # metres in WORK_CRS
    assert w[1] is None and w[2] is None                                        # radius on a polygon; no geometry
    assert "radius applies to a point site only" in errs.en[1] and "no geometry" in errs.en[2]
