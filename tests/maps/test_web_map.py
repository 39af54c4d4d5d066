"""Web maps: offline inlining, escaping, encoding, datums, tiles, density mode, CLI.

The browser-side checks (the page really loads offline, popups, legends) are in
``test_map_browser.py``.
"""

from __future__ import annotations

import json
import re

import pytest
from fixtures_maps import XSS_ID, XSS_NAME

from gis.errors import InputError, OutputError
from gis.maps import external_asset_refs, make_map, save_map
from gis.maps.web.offline import assets
from gis.maps.web.parcel_layer import encode_parcels


def _js(text: str) -> str:
    """``text`` as it appears inside a JS string written by Jinja's ``tojson`` (\\uXXXX escapes)."""
    return json.dumps(text)[1:-1]


def _page_urls(html: str) -> set[str]:
    """http(s) URLs in a page that are not inside the shipped third-party files."""
    found = set(re.findall(r"https?://[^\s\"'<>)\\]+", html))
    shipped = set()
    for a in assets():
        if not a.name.endswith(".png"):
            shipped |= set(re.findall(r"https?://[^\s\"'<>)\\]+", a.text()))
    return found - shipped


def test_offline_map_makes_no_requests(map_toy, tmp_path):
    layers, parcels, _ = map_toy
    path = save_map(make_map(layers, parcels), tmp_path / "map.html")
    html = path.read_text(encoding="utf-8")
    assert external_asset_refs(html) == []
    assert _page_urls(html) == set()  # not even a tile template
    assert "<script src" not in html and "stylesheet" not in html


@pytest.mark.parametrize("tiles, host", [("osm", "tile.openstreetmap.org"), ("gaode", "autonavi.com"),
                                         ("tianditu", "tianditu.gov.cn")])
def test_tile_templates_only_when_chosen(map_toy, tmp_path, tiles, host):
    layers, parcels, _ = map_toy
    m = make_map(layers, parcels, tiles=tiles, tianditu_key="k&\"y")
    html = save_map(m, tmp_path / "m.html").read_text(encoding="utf-8")
    assert external_asset_refs(html) == []
    urls = _page_urls(html)
    assert any(host in u for u in urls)
    assert all(host in u or "openstreetmap.org/copyright" in u for u in urls), urls
    if tiles == "tianditu":
        assert "tk=k%26%22y" in html  # the key is URL-quoted, it cannot break the template


def test_tianditu_needs_a_key(map_toy):
    layers, parcels, _ = map_toy
    with pytest.raises(InputError) as exc:
        make_map(layers, parcels, tiles="tianditu")
    assert "--tianditu-key" in exc.value.hint_en


# --------------------------------------------------------------------------- escaping


def test_map_escapes_every_attribute(map_toy, tmp_path):
    layers, parcels, _ = map_toy
    parks = layers.parks.copy()
    parks.loc[parks.index[0], "name_zh"] = XSS_NAME
    layers2 = type(layers)(**{**layers.__dict__, "parks": parks})
    html = save_map(make_map(layers2, parcels), tmp_path / "x.html").read_text(encoding="utf-8")
    for raw in (XSS_ID, XSS_NAME, "{{ 7*7 }}", "{% if"):
        assert raw not in html
    enc = encode_parcels(parcels)
    values = {v for col in enc.data["cols"] for v in col["values"]}
    assert "&lt;img src=x onerror=alert(1)&gt;" in values
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in values
    assert "&#123;&#123; 7*7 &#125;&#125;&#123;% if true %&#125;" in values
    # the park's name reaches its GeoJSON popup escaped too
    assert "\\u0026lt;script\\u0026gt;" in html or "&lt;script&gt;alert" in html


# --------------------------------------------------------------------------- map content


def test_action_map_content(map_toy):
    layers, parcels, _ = map_toy
    m = make_map(layers, parcels, title="测试 <b>title</b>")
    html = m.get_root().render()
    info = m.parkgis_info
    assert set(info["roles"]) >= {"district", "parks", "zone_195", "zone_198", "yangtze_1km", "strategic_reserve"}
    assert info["parcels"] == {"drawn": 6, "not_drawn": 0}
    assert "parkgis-legend" in html and "减量化 reduce" in html and "升级 upgrade" in html
    assert _js("示意数据 / illustrative data") in html and '"parkgis-box parkgis-illustrative"' in html
    assert "L.control.scale" in html and "fitBounds" in html and "L.control.layers" in html
    assert "测试 &lt;b&gt;title&lt;/b&gt;" in html


def test_no_illustrative_label_for_official_layers(map_toy):
    layers, parcels, _ = map_toy
    meta = {r: {**md, "illustrative": False} for r, md in layers.meta.items()}
    official = type(layers)(**{**layers.__dict__, "meta": meta})
    html = make_map(official, parcels).get_root().render()
    assert _js("示意数据") not in html and '"parkgis-box parkgis-illustrative"' not in html


def test_density_map(map_toy, tmp_path):
    layers, parcels, _ = map_toy
    from gis.planning.density import density

    table = density(parcels, layers, by="park")
    m = make_map(layers, parcels, table, mode="density")
    html = save_map(m, tmp_path / "d.html").read_text(encoding="utf-8")
    assert _js("亿元/km²") in html and "d3.scale" in html and "density" in m.parkgis_info["roles"]
    assert external_asset_refs(html) == []
    with pytest.raises(InputError):
        make_map(layers, parcels, None, mode="density")
    with pytest.raises(InputError):
        make_map(layers, parcels, table, mode="density", density_by="town")  # no town rows in the table


def test_layers_only_map_and_bad_options(map_toy):
    layers, _, _ = map_toy
    html = make_map(layers).get_root().render()
    assert "ParkgisParcelLayer(" not in html and _js("分区 zones") in html
    for kw in ({"mode": "x"}, {"tiles": "google"}, {"density_by": "county"}):
        with pytest.raises(InputError):
            make_map(layers, **kw)


def test_save_map_is_atomic(map_toy, tmp_path, monkeypatch):
    layers, parcels, _ = map_toy
    out = tmp_path / "m.html"
    out.write_text("old", encoding="utf-8")
    m = make_map(layers, parcels)
    with pytest.raises(OutputError):
        save_map(m, tmp_path / "m.png")
    monkeypatch.setattr("gis.maps.web.web_map.inline_assets", lambda html: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        save_map(m, out)
    assert out.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["m.html"]




def test_shore_water_side_and_attributions_on_the_embedded_layers():
    """Today's shore, the water side seaward of it and the 1 km zone are drawn, with OpenStreetMap's credit
    (ODbL) in the map's corner."""
    from conftest import require

    from gis.classification.parcels import sample_parcels
    from gis.layers.layerset import load_layers

    require(sample_parcels()[0].exists(), "embedded default layers layers/chongming/chongming.gpkg")
    m = make_map(load_layers())
    html = m.get_root().render()
    assert {"riverbank", "water", "yangtze_1km"} <= set(m.parkgis_info["roles"])
    assert "attributionControl.addAttribution" in html
    assert _js("© OpenStreetMap contributors (ODbL)") in html or "© OpenStreetMap contributors (ODbL)" in html
    assert _js("水域或滩涂（岸线以外） river or tidal flats (seaward of the shore)") in html
