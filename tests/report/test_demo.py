"""The demo run (gis.report.demo): its sample projects cover every verdict."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from gis.report.demo import SAMPLE_PROJECTS


def test_demo_projects_cover_every_verdict():
    from gis.layers.layerset import load_layers
    from gis.siting.batch import check_sites

    df = pd.DataFrame(SAMPLE_PROJECTS)
    gdf = gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["lon"], df["lat"]), crs=4326)
    r = check_sites(gdf, layers=load_layers())
    assert list(r["verdict"]) == ["allowed", "allowed", "review", "review", "prohibited"]
    s5 = r.iloc[4]
    assert s5["yangtze_1km"] and s5["riverbank_m"] < 1000 and s5["site_riverbank_bans"] == "prohibited"
