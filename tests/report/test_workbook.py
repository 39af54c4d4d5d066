"""The report's workbook (gis.report.workbook): the siting sheet puts the key columns first, with lon/lat."""

from __future__ import annotations

import geopandas as gpd
import shapely

from gis.report.workbook import SHEET_TITLES, site_sheet


def test_site_sheet_columns_and_coordinates():
    sites = gpd.GeoDataFrame({"extra": [1, 2], "site_zone_direction": ["ok", None], "verdict": ["allowed", None],
                              "project_id": ["a", "b"]},
                             geometry=[shapely.box(121.5, 31.6, 121.52, 31.62), None], crs=4326)
    t = site_sheet(sites, ["site_zone_direction"])
    assert list(t.columns) == ["project_id", "verdict", "site_zone_direction", "extra", "lon", "lat"]
    assert (t.loc[0, "lon"], t.loc[0, "lat"]) == (121.51, 31.61) and t[["lon", "lat"]].iloc[1].isna().all()


def test_every_sheet_has_a_bilingual_title():
    assert len(SHEET_TITLES) == 10 and all(any("\u4e00" <= ch <= "\u9fff" for ch in t) for t in SHEET_TITLES.values())
