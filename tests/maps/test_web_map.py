"""Web maps: offline inlining, escaping, encoding, datums, tiles, density mode, CLI.

The browser-side checks (the page really loads offline, popups, legends) are in
``test_map_browser.py``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import tomllib

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from click.testing import CliRunner

from gis.geodesy.datums import wgs84_to_gcj02
from gis.errors import InputError, OutputError
from gis.layers.layerset import load_layers
from gis.maps import external_asset_refs, inline_assets, make_map, save_map
from gis.maps.web.escape import escape_series, escape_text, js_literal
from gis.maps.web.offline import ASSETS_DIR, asset_for_url, assets
from gis.maps.web.parcel_layer import SCALE, encode_parcels, varint_bytes
from toylayers import DEG, LAT0, LON0, write_toy_gpkg

XSS_ID = "<img src=x onerror=alert(1)>"
XSS_NAME = "<script>alert('x')</script>"
JINJA = "{{ 7*7 }}{% if true %}"


@pytest.fixture(scope="module")
def toy(tmp_path_factory):
    """Toy layers (illustrative parks) and a few classified parcels with hostile names."""
    from gis.classification.classify import classify

    src = write_toy_gpkg(tmp_path_factory.mktemp("layers") / "toy.gpkg")
    layers = load_layers(src)
    layers.meta["parks"]["illustrative"] = True
    boxes = [shapely.box(LON0 + x * DEG, LAT0 + y * DEG, LON0 + (x + 0.3) * DEG, LAT0 + (y + 0.2) * DEG)
             for x, y in [(3, 3), (11, 4), (15, 5), (8, 8), (16, 1), (5, 0.5)]]
    parcels = gpd.GeoDataFrame({
        "parcel_id": [XSS_ID, "P2", "P3", "P4", JINJA, "P6"],
        "enterprise_zh": ["甲企业", XSS_NAME, "丙企业", "丁企业", "戊企业", "己企业"],
        "output_wan": [5000.0, 800.0, 1200.0, 300.0, 50.0, 900.0],
    }, geometry=boxes, crs=4326)
    return layers, classify(parcels, layers), src


def _js(text: str) -> str:
    """``text`` as it appears inside a JS string written by Jinja's ``tojson`` (\\uXXXX escapes)."""
    return json.dumps(text)[1:-1]


def _decode_varints(b64: str, signed: bool = False) -> np.ndarray:
    out, v, shift = [], 0, 0
    for byte in base64.b64decode(b64):
        v |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            out.append((v >> 1) ^ -(v & 1) if signed else v)
            v, shift = 0, 0
    return np.array(out, dtype=np.int64)


# --------------------------------------------------------------------------- offline assets


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


def _page_urls(html: str) -> set[str]:
    """http(s) URLs in a page that are not inside the shipped third-party files."""
    found = set(re.findall(r"https?://[^\s\"'<>)\\]+", html))
    shipped = set()
    for a in assets():
        if not a.name.endswith(".png"):
            shipped |= set(re.findall(r"https?://[^\s\"'<>)\\]+", a.text()))
    return found - shipped


def test_offline_map_makes_no_requests(toy, tmp_path):
    layers, parcels, _ = toy
    path = save_map(make_map(layers, parcels), tmp_path / "map.html")
    html = path.read_text(encoding="utf-8")
    assert external_asset_refs(html) == []
    assert _page_urls(html) == set()  # not even a tile template
    assert "<script src" not in html and "stylesheet" not in html


@pytest.mark.parametrize("tiles, host", [("osm", "tile.openstreetmap.org"), ("gaode", "autonavi.com"),
                                         ("tianditu", "tianditu.gov.cn")])
def test_tile_templates_only_when_chosen(toy, tmp_path, tiles, host):
    layers, parcels, _ = toy
    m = make_map(layers, parcels, tiles=tiles, tianditu_key="k&\"y")
    html = save_map(m, tmp_path / "m.html").read_text(encoding="utf-8")
    assert external_asset_refs(html) == []
    urls = _page_urls(html)
    assert any(host in u for u in urls)
    assert all(host in u or "openstreetmap.org/copyright" in u for u in urls), urls
    if tiles == "tianditu":
        assert "tk=k%26%22y" in html  # the key is URL-quoted, it cannot break the template


def test_tianditu_needs_a_key(toy):
    layers, parcels, _ = toy
    with pytest.raises(InputError) as exc:
        make_map(layers, parcels, tiles="tianditu")
    assert "--tianditu-key" in exc.value.hint_en


# --------------------------------------------------------------------------- escaping


def test_escape_text_and_series():
    assert escape_text(XSS_ID) == "&lt;img src=x onerror=alert(1)&gt;"
    assert escape_text('a"b\'c&') == "a&quot;b&#x27;c&amp;"
    assert escape_text(JINJA) == "&#123;&#123; 7*7 &#125;&#125;&#123;% if true %&#125;"
    assert escape_text(None) == "" and escape_text(float("nan")) == ""
    s = escape_series(pd.Series([XSS_ID, None, 3.5, XSS_ID]), "{:.1f}")
    assert s.tolist() == ["&lt;img src=x onerror=alert(1)&gt;", "", "3.5", "&lt;img src=x onerror=alert(1)&gt;"]
    assert "<" not in js_literal({"a": "</script>"})


def test_map_escapes_every_attribute(toy, tmp_path):
    layers, parcels, _ = toy
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


# --------------------------------------------------------------------------- parcel encoding


@pytest.mark.parametrize("values", [[0, 1, 127, 128, 300, 16384, 2**31 - 1], [-1, 1, -64, 64, -(2**30), 12345678]])
def test_varints_round_trip(values):
    signed = min(values) < 0
    b64 = base64.b64encode(varint_bytes(values, signed=signed)).decode()
    assert _decode_varints(b64, signed).tolist() == values


def _decoded_coords(data: dict) -> np.ndarray:
    return np.cumsum(_decode_varints(data["xy"], signed=True).reshape(-1, 2), axis=0) / data["scale"]


def test_encoding_keeps_geometry_to_a_metre():
    poly = shapely.Polygon([(121.5, 31.6), (121.5012, 31.6), (121.5012, 31.6009), (121.5, 31.6009)],
                           holes=[[(121.5004, 31.6003), (121.5008, 31.6003), (121.5008, 31.6006), (121.5004, 31.6006)]])
    multi = shapely.MultiPolygon([shapely.box(121.6, 31.5, 121.601, 31.501), shapely.box(121.602, 31.5, 121.603, 31.501)])
    gdf = gpd.GeoDataFrame({"parcel_id": ["a", "b", "pt", "empty"]},
                           geometry=[poly, multi, shapely.Point(121.5, 31.6), shapely.Polygon()], crs=4326)
    enc = encode_parcels(gdf)
    assert (enc.drawn, enc.skipped) == (2, 2)
    d = enc.data
    rings = _decode_varints(d["rings"]).tolist()
    verts = _decode_varints(d["verts"]).tolist()
    assert sorted(rings) == [2, 2] and sum(verts) == d["nVerts"] == 16 and d["nRings"] == 4
    xy = _decoded_coords(d)
    want = np.vstack([shapely.get_coordinates(g) for g in (poly, multi)])
    # every drawn vertex is an input vertex, within the 1e-5° quantisation
    dist = np.abs(xy[:, None, :] - want[None, :, :]).max(axis=2).min(axis=1)
    assert dist.max() <= 0.5 / SCALE + 1e-12


def test_gaode_tiles_shift_vectors_to_gcj02(toy):
    layers, parcels, _ = toy
    wgs = _decoded_coords(encode_parcels(parcels).data)
    gcj = _decoded_coords(encode_parcels(parcels, datum="gcj02").data)
    lon, lat = wgs84_to_gcj02(wgs[:, 0], wgs[:, 1])
    assert np.abs(gcj - np.column_stack([lon, lat])).max() < 2e-5
    assert np.abs(gcj - wgs).max() > 2e-3  # ≈ 0.5 km in Chongming
    m_osm, m_gd = make_map(layers, parcels, tiles="osm"), make_map(layers, parcels, tiles="gaode")
    assert m_osm.parkgis_info["datum"] == "wgs84" and m_gd.parkgis_info["datum"] == "gcj02"


def test_density_of_parcels_in_popup(toy):
    _, parcels, _ = toy
    cols = {c["key"]: c for c in encode_parcels(parcels).data["cols"]}
    assert "density_yi_per_km2" in cols and "riverbank_m" in cols and "reason_zh" in cols
    assert cols["action"]["values"][0].endswith(("upgrade", "transform", "reduce"))


# --------------------------------------------------------------------------- map content


def test_action_map_content(toy):
    layers, parcels, _ = toy
    m = make_map(layers, parcels, title="测试 <b>title</b>")
    html = m.get_root().render()
    info = m.parkgis_info
    assert set(info["roles"]) >= {"district", "parks", "zone_195", "zone_198", "yangtze_1km", "strategic_reserve"}
    assert info["parcels"] == {"drawn": 6, "not_drawn": 0}
    assert "parkgis-legend" in html and "减量化 reduce" in html and "升级 upgrade" in html
    assert _js("示意数据 / illustrative data") in html and '"parkgis-box parkgis-illustrative"' in html
    assert "L.control.scale" in html and "fitBounds" in html and "L.control.layers" in html
    assert "测试 &lt;b&gt;title&lt;/b&gt;" in html


def test_no_illustrative_label_for_official_layers(toy):
    layers, parcels, _ = toy
    meta = {r: {**md, "illustrative": False} for r, md in layers.meta.items()}
    official = type(layers)(**{**layers.__dict__, "meta": meta})
    html = make_map(official, parcels).get_root().render()
    assert _js("示意数据") not in html and '"parkgis-box parkgis-illustrative"' not in html


def test_density_map(toy, tmp_path):
    layers, parcels, _ = toy
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


def test_layers_only_map_and_bad_options(toy):
    layers, _, _ = toy
    html = make_map(layers).get_root().render()
    assert "ParkgisParcelLayer(" not in html and _js("分区 zones") in html
    for kw in ({"mode": "x"}, {"tiles": "google"}, {"density_by": "county"}):
        with pytest.raises(InputError):
            make_map(layers, **kw)


def test_save_map_is_atomic(toy, tmp_path, monkeypatch):
    layers, parcels, _ = toy
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


# --------------------------------------------------------------------------- CLI


@pytest.fixture(scope="module")
def cli():
    from gis.cli import map_cmd
    from gis.cli.main import cli as group

    if "map" not in group.list_commands(None):
        group.add_command(map_cmd.command)
    return group


def test_cli_web_map(toy, tmp_path, cli):
    layers, parcels, src = toy
    pfile = tmp_path / "parcels.gpkg"
    parcels[["parcel_id", "enterprise_zh", "output_wan", "geometry"]].to_file(pfile)
    out = tmp_path / "web" / "map.html"
    res = CliRunner().invoke(cli, ["map", str(pfile), "--layers", str(src), "-o", str(out)])
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    assert "ParkgisParcelLayer(" in html and external_asset_refs(html) == []
    res = CliRunner().invoke(cli, ["map", str(pfile), "--layers", str(src), "--mode", "density", "-o", str(out)])
    assert res.exit_code == 0, res.output


def test_cli_errors_are_bilingual(toy, tmp_path, cli):
    _, _, src = toy
    res = CliRunner().invoke(cli, ["map", "--layers", str(src), "--tiles", "tianditu", "-o", str(tmp_path / "m.html")])
    assert res.exit_code == 2
    assert "天地图" in res.output and "Tianditu" in res.output
    res = CliRunner().invoke(cli, ["map", "--layers", str(src), "--mode", "density", "-o", str(tmp_path / "m.html")])
    assert res.exit_code == 2 and "density" in res.output


def test_cli_static_maps(toy, tmp_path, cli):
    _, parcels, src = toy
    pfile = tmp_path / "classified.gpkg"
    parcels.drop(columns=["flags"]).to_file(pfile)  # an already classified file is drawn as it is
    out = tmp_path / "maps"
    res = CliRunner().invoke(cli, ["map", str(pfile), "--layers", str(src), "--static", "--dpi", "50",
                                   "--format", "png", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in out.iterdir()) == ["overview.png", "park_A.png", "park_B.png"]


def test_parcels_in_a_projected_crs_and_a_repeated_index(toy):
    layers, parcels, _ = toy
    projected = parcels.to_crs(32651)
    projected.index = [0] * len(projected)
    m = make_map(layers, projected)
    assert m.parkgis_info["parcels"] == {"drawn": len(parcels), "not_drawn": 0}
    a = _decoded_coords(encode_parcels(parcels).data)
    b = _decoded_coords(encode_parcels(projected.to_crs(4326)).data)
    assert np.abs(a - b).max() <= 1.5 / SCALE
