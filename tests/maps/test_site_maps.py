"""Site maps (gis.maps.printed.site_maps): one checked site as a PNG, and the projects of a batch by verdict."""

from __future__ import annotations

import io

import geopandas as gpd
import pytest
import shapely
from matplotlib.figure import Figure
from PIL import Image
from toylayers import LAT0, LON0, box, write_toy_gpkg

from gis.layers.layerset import load_layers
from gis.maps.fonts import FontError
from gis.maps.printed import furniture
from gis.maps.printed.site_maps import project_sites_figure, site_map
from gis.siting.batch import check_sites
from gis.siting.check import check_site


@pytest.fixture(scope="module")
def toy(tmp_path_factory):
    return load_layers(write_toy_gpkg(tmp_path_factory.mktemp("toy") / "toy.gpkg"))


@pytest.mark.parametrize("site", [(LON0 + 0.08, LAT0 + 0.005), box(3, 3, 3.2, 3.2),
                                  shapely.LineString([(LON0 + 0.03, LAT0 + 0.03), (LON0 + 0.04, LAT0 + 0.04)])])
def test_site_map_is_a_png_of_the_asked_size(toy, site):
    r = check_site(site, layers=toy, industry="1311")
    img = Image.open(io.BytesIO(site_map(r, toy, dpi=50, size_in=(8.0, 7.0))))
    assert img.format == "PNG" and img.size == (400, 350)


def test_site_map_without_a_chinese_font(toy, monkeypatch):
    def no_font():
        raise FontError("无字体", "no font")

    monkeypatch.setattr(furniture, "cjk_rc", no_font)
    r = check_site((LON0 + 0.08, LAT0 + 0.005), layers=toy, industry="2614", name="Plant")
    assert site_map(r, toy, dpi=40)[:8] == b"\x89PNG\r\n\x1a\n"   # English labels, no error


def test_project_sites_by_verdict(toy):
    projects = gpd.GeoDataFrame({"project_id": ["a", "b"], "industry": ["3670", "3311"]},
                                geometry=[shapely.Point(LON0 + 0.04, LAT0 + 0.04), shapely.Point(121.45, 31.50)],
                                crs=4326)
    sites = check_sites(projects, layers=toy)
    fig = project_sites_figure(toy, sites)
    assert isinstance(fig, Figure)
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels == ["可准入 allowed"]                    # b lies outside the district: not checked, not drawn
    assert project_sites_figure(toy, sites.iloc[1:]) is None
