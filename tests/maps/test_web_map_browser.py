"""The saved maps in a real headless Chromium, with the network blocked.

Needs the ``fixtures_browser`` plugin (``open_map``). Every test fails on a
request that leaves the machine, a console error or a JS dialog.
"""

from __future__ import annotations

import folium
import geopandas as gpd
import pytest
import shapely
from PIL import Image
from toylayers import DEG, LAT0, LON0, write_toy_gpkg

from gis.layers.layerset import load_layers
from gis.maps import make_map, save_map

pytestmark = pytest.mark.browser

XSS_ID = "<img src=x onerror=alert(1)>"
XSS_NAME = "<script>alert('x')</script>"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    from gis.classification.classify import classify
    from gis.planning.density import density

    layers = load_layers(write_toy_gpkg(tmp_path_factory.mktemp("layers") / "toy.gpkg"))
    layers.meta["parks"]["illustrative"] = True
    cells = [(3 + 0.5 * i, 3 + 0.4 * j) for i in range(6) for j in range(6)]  # 36 parcels in/near park A
    cells += [(11, 4), (15, 5), (8, 8), (16, 1), (5, 0.5), (12.5, 6)]
    boxes = [shapely.box(LON0 + x * DEG, LAT0 + y * DEG, LON0 + (x + 0.3) * DEG, LAT0 + (y + 0.25) * DEG)
             for x, y in cells]
    ids = [f"P{i:03d}" for i in range(len(boxes))]
    ids[-1] = XSS_ID
    names = [f"企业{i}" for i in range(len(boxes))]
    names[-2] = XSS_NAME
    parcels = gpd.GeoDataFrame({"parcel_id": ids, "enterprise_zh": names,
                                "output_wan": [1000.0 + 37 * i for i in range(len(boxes))]}, geometry=boxes, crs=4326)
    classified = classify(parcels, layers)
    return layers, classified, density(classified, layers, by="park")


def _assert_clean(page):
    assert page.blocked == [], f"requests left the machine: {page.blocked}"
    assert page.console_errors == [], page.console_errors
    assert page.page_errors == [], page.page_errors
    assert page.dialogs == [], f"script ran from data: {page.dialogs}"


def _not_blank(png) -> int:
    with Image.open(png) as im:
        colours = im.convert("RGB").getcolors(maxcolors=1 << 20)
    assert colours is not None
    assert len(colours) > 20, "screenshot is (nearly) blank"
    return len(colours)


def _client_point(page, latlng_js: str) -> tuple[float, float]:
    return tuple(page.eval(f"""() => {{
        const m = parkgis.map, c = m.latLngToContainerPoint({latlng_js}), r = m.getContainer().getBoundingClientRect();
        return [c.x + r.left, c.y + r.top];
    }}"""))


def test_action_map_offline(inputs, tmp_path, open_map):
    layers, parcels, _ = inputs
    page = open_map(save_map(make_map(layers, parcels), tmp_path / "action.html"))
    _assert_clean(page)
    state = page.eval("""() => ({
        isMap: parkgis.map instanceof L.Map,
        roles: Object.keys(parkgis.layers),
        counts: Object.fromEntries(Object.entries(parkgis.layers).map(([k, l]) => [k, l.getLayers().length])),
        onMap: Object.fromEntries(Object.entries(parkgis.layers).map(([k, l]) => [k, parkgis.map.hasLayer(l)])),
        parcels: parkgis.parcels.featureCount(),
        drawn: parkgis.parcels._lastDraw && parkgis.parcels._lastDraw.features,
        legend: document.querySelector('.parkgis-legend') && document.querySelector('.parkgis-legend').innerText,
        note: document.querySelector('.parkgis-illustrative')
              && document.querySelector('.parkgis-illustrative').innerText,
        scale: !!document.querySelector('.leaflet-control-scale-line'),
        control: [...document.querySelectorAll('.leaflet-control-layers-overlays label')].map(l => l.innerText.trim()),
        zoom: parkgis.map.getZoom(),
    })""")
    assert state["isMap"]
    assert set(state["roles"]) >= {"district", "parks", "zone_195", "zone_198", "yangtze_1km", "strategic_reserve"}
    assert state["counts"]["parks"] == 2 and state["counts"]["district"] == 1
    assert all(state["onMap"].values())
    assert state["parcels"] == len(parcels) and state["drawn"] == len(parcels)
    for word in ("升级 upgrade", "转型 transform", "减量化 reduce"):
        assert word in state["legend"]
    assert "示意数据" in state["note"] and "illustrative" in state["note"]
    assert state["scale"]
    assert any("parcels" in c for c in state["control"]) and any("zone 198" in c for c in state["control"])
    _not_blank(page.screenshot("map_action.png"))


def test_popup_shows_escaped_text_and_runs_nothing(inputs, tmp_path, open_map):
    layers, parcels, _ = inputs
    page = open_map(save_map(make_map(layers, parcels), tmp_path / "xss.html"))
    f = page.eval("(v) => parkgis.parcels.findIndex('parcel_id', v)", "&lt;img src=x onerror=alert(1)&gt;")
    assert f >= 0
    page.eval(f"() => parkgis.map.setView(parkgis.parcels.centerOf({f}), 16, {{animate: false}})")
    page.eval("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    x, y = _client_point(page, f"parkgis.parcels.centerOf({f})")
    page.page.mouse.move(x, y)
    page.page.wait_for_selector(".parkgis-tip", timeout=5000)
    assert XSS_ID in page.page.inner_text(".parkgis-tip")
    page.page.mouse.click(x, y)
    page.page.wait_for_selector(".parkgis-popup", timeout=5000)
    text = page.page.inner_text(".parkgis-popup")
    assert XSS_ID in text  # shown as text …
    assert page.eval("() => document.querySelectorAll('.leaflet-popup-content img, .leaflet-tooltip img').length") == 0
    assert "地块编号 parcel id" in text and "处置方向 action" in text and "理由 reason" in text
    page.page.wait_for_timeout(200)
    _assert_clean(page)  # … and no alert() fired
    page.screenshot("map_popup.png")


def test_enterprise_name_is_escaped_in_popup(inputs, tmp_path, open_map):
    layers, parcels, _ = inputs
    page = open_map(save_map(make_map(layers, parcels), tmp_path / "xss2.html"))
    f = page.eval("(v) => parkgis.parcels.findIndex('enterprise_zh', v)",
                  "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;")
    assert f >= 0
    page.eval(f"() => parkgis.parcels.openPopupFor({f})")
    assert XSS_NAME in page.page.inner_text(".parkgis-popup")
    assert page.eval("() => document.querySelectorAll('.leaflet-popup-content script').length") == 0
    _assert_clean(page)


def test_layer_toggle_zoom_and_pan(inputs, tmp_path, open_map):
    layers, parcels, _ = inputs
    page = open_map(save_map(make_map(layers, parcels), tmp_path / "toggle.html"))
    label = page.page.locator(".leaflet-control-layers-overlays label", has_text="parcels")
    label.locator("input").uncheck()
    assert page.eval("() => parkgis.map.hasLayer(parkgis.parcels)") is False
    assert page.eval("() => document.querySelectorAll('canvas.parkgis-parcels').length") == 0
    label.locator("input").check()
    assert page.eval("() => parkgis.map.hasLayer(parkgis.parcels)") is True
    for z in (15, 9, 13):
        page.eval(f"() => parkgis.map.setZoom({z}, {{animate: false}})")
    page.eval("() => parkgis.map.panBy([200, 120], {animate: false})")
    page.eval("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    assert page.eval("() => parkgis.parcels._lastDraw.features") > 0
    _assert_clean(page)


def test_density_map_offline(inputs, tmp_path, open_map):
    layers, parcels, table = inputs
    page = open_map(save_map(make_map(layers, parcels, table, mode="density"), tmp_path / "density.html"))
    _assert_clean(page)
    state = page.eval("""() => ({
        polys: parkgis.layers.density.getLayers().length,
        parcelsShown: parkgis.map.hasLayer(parkgis.parcels),
        legend: [...document.querySelectorAll('.legend.leaflet-control')].map(e => e.textContent).join(' '),
        svg: document.querySelectorAll('.legend.leaflet-control svg').length,
    })""")
    assert state["polys"] == 2 and state["parcelsShown"] is False
    assert state["svg"] == 1 and "亿元/km²" in state["legend"]
    _not_blank(page.screenshot("map_density.png"))


def test_any_folium_map_inlined_loads_offline(tmp_path, open_map):
    # folium's full default asset set (jQuery, Bootstrap, Font Awesome, awesome-markers, glyphicons)
    m = folium.Map(location=[31.6, 121.5], zoom_start=11, tiles=None)
    folium.Marker([31.6, 121.5], icon=folium.Icon(icon="info-sign", color="red", angle=20)).add_to(m)
    folium.Marker([31.62, 121.45]).add_to(m)  # Leaflet's default icon: imagePath → inlined PNG
    page = open_map(save_map(m, tmp_path / "plain.html"), wait_for="document.querySelector('.leaflet-marker-icon')")
    _assert_clean(page)
    loaded = page.eval("""() => [...document.querySelectorAll('img.leaflet-marker-icon, img.leaflet-marker-shadow')]
        .map(i => i.complete && i.naturalWidth > 0 && i.src.startsWith('data:'))""")
    assert loaded and all(loaded)
    assert page.eval("() => !!document.querySelector('.awesome-marker-icon-red')")


def test_the_route_catches_a_leak(inputs, tmp_path, open_map):
    # The guard itself: a map with web tiles does try the network, and is caught.
    layers, parcels, _ = inputs
    page = open_map(save_map(make_map(layers, parcels, tiles="osm"), tmp_path / "osm.html"))
    assert page.blocked and all("tile.openstreetmap.org" in u for u in page.blocked)
