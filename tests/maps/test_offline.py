"""Offline web pages (gis.maps.web.offline): every asset shipped, checked and inlined."""

from __future__ import annotations

import hashlib
import re
import tomllib

import folium
import pytest

from gis.errors import OutputError
from gis.maps import external_asset_refs, inline_assets
from gis.maps.web.offline import ASSETS_DIR, asset_for_url, assets


def test_shipped_assets_match_versions_toml():
    table = tomllib.loads((ASSETS_DIR / "VERSIONS.toml").read_text(encoding="utf-8"))
    licences = (ASSETS_DIR / "LICENSES.md").read_text(encoding="utf-8")
    for package, spec in table.items():
        assert f"## {package}" in licences
        for name, f in spec["files"].items():
            data = (ASSETS_DIR / package / name).read_bytes()
            assert hashlib.sha256(data).hexdigest() == f["sha256"], f"{package}/{name} changed by hand"
    css = [a for a in assets() if a.name.endswith(".css")]
    for a in css:  # stylesheets are self-contained: images and fonts inlined
        assert not re.search(r"url\((?!['\"]?(data:|#))", a.text()), a.name


def test_every_folium_default_asset_is_shipped():
    m = folium.Map(location=[31.6, 121.5], tiles=None)
    folium.Marker([31.6, 121.5], icon=folium.Icon(icon="info-sign", angle=30)).add_to(m)
    import branca.colormap as bcm

    bcm.LinearColormap(["red", "blue"], vmin=0, vmax=1, caption="x").add_to(m)
    html = m.get_root().render()
    urls = external_asset_refs(html)
    assert len(urls) >= 10
    for url in urls:
        assert asset_for_url(url) is not None, url
    out = inline_assets(html)
    assert external_asset_refs(out) == []
    assert "L.Icon.Default.imagePath=\"\"" in out and "data:image/png;base64," in out


def test_unknown_external_asset_is_an_error():
    html = '<html><head><script src="https://example.org/x.js"></script></head></html>'
    with pytest.raises(OutputError, match="example.org"):
        inline_assets(html)
    assert inline_assets(html, strict=False) == html


def test_inlined_script_cannot_close_its_element():
    # A "</script" inside an inlined library would end the element early.
    out = inline_assets('<script src="https://code.jquery.com/jquery-3.7.1.min.js"></script>')
    body = out[len("<script>"):-len("</script>")]
    assert "</script" not in body.lower()
