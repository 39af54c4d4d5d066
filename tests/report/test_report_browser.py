"""report.html in headless Chromium with the network blocked: the map, tables and images show, nothing leaks.

Uses the ``open_map`` fixture of ``tests/fixtures_browser.py`` (every request that
is not file:/data:/blob:/about: is aborted and recorded; console errors, page
errors and JS dialogs are recorded too).
"""

from __future__ import annotations

import pandas as pd
import pytest
from PIL import Image

from gis.report import report
from gis.report.demo import write_sample_projects

pytestmark = pytest.mark.browser

XSS = "<img src=x onerror=alert(1)>"
FRAME = "document.getElementById('overview-map')"


@pytest.fixture(scope="module")
def html_report(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("report_browser")
    path = write_sample_projects(tmp / "projects.csv")
    df = pd.read_csv(path, encoding="utf-8-sig", dtype={"industry": str})
    df.loc[0, "name"] = XSS  # shown in the tables, the findings and the map's tooltip
    df.to_csv(path, index=False, encoding="utf-8-sig")
    return report(None, tmp / "out", projects=path, pdf=False)


def _assert_clean(page):
    assert page.blocked == [], f"requests left the machine: {page.blocked}"
    assert page.console_errors == [], page.console_errors
    assert page.page_errors == [], page.page_errors
    assert page.dialogs == [], f"script ran from data: {page.dialogs}"


def _open(open_map, path):
    # Wait until the embedded map (srcdoc iframe, same origin) has set up its window.parkgis.
    return open_map(path, wait_for=f"{FRAME} && {FRAME}.contentWindow && {FRAME}.contentWindow.parkgis",
                    viewport=(1280, 900))


def test_report_shows_map_tables_and_images_offline(html_report, open_map):
    page = _open(open_map, html_report.files["html"])
    state = page.eval(f"""() => {{
        const w = {FRAME}.contentWindow, pg = w.parkgis;
        const tables = [...document.querySelectorAll('table.data')];
        return {{
            isMap: pg.map instanceof w.L.Map,
            roles: Object.keys(pg.layers),
            parcels: pg.parcels.featureCount(),
            drawn: pg.parcels._lastDraw && pg.parcels._lastDraw.features,
            frameH: {FRAME}.getBoundingClientRect().height,
            tables: tables.length,
            visibleTables: tables.filter(t => t.getBoundingClientRect().height > 0).length,
            rows: document.querySelectorAll('table.data tbody tr').length,
            density: document.querySelector('#density table.data').innerText,
            images: [...document.images].map(i => i.complete && i.naturalWidth > 0 && i.src.startsWith('data:')),
            note: document.getElementById('illustrative-note').innerText,
            siteLayer: [...w.document.querySelectorAll('.leaflet-control-layers-overlays label')]
                .some(l => l.innerText.includes('project sites')),
            sites: (() => {{ const ids = []; pg.map.eachLayer(l => {{
                if (l.feature && l.feature.properties && 'verdict_label' in l.feature.properties)
                    ids.push(l.feature.properties.project_id); }}); return ids.sort(); }})(),
        }};
    }}""")
    _assert_clean(page)
    assert state["isMap"]
    assert {"district", "parks", "yangtze_1km"} <= set(state["roles"])
    assert state["parcels"] == 3000 and state["drawn"] > 0
    assert state["frameH"] > 400
    assert state["tables"] >= 10 and state["visibleTables"] == state["tables"] and state["rows"] > 50
    assert "长兴海洋装备产业基地" in state["density"] and "25.0" in state["density"]
    assert len(state["images"]) >= 11 and all(state["images"])  # 6 static maps + 5 charts
    assert "示意数据" in state["note"] and "illustrative" in state["note"]
    assert state["siteLayer"] and state["sites"] == ["S1", "S2", "S3", "S4", "S5"]
    shot = page.screenshot("report_top.png")
    page.page.locator("#overview-map").scroll_into_view_if_needed()
    page.eval("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    out = shot.parent / "report_map.png"
    page.page.locator("#overview-map").screenshot(path=str(out))
    with Image.open(out) as im:
        colours = im.convert("RGB").getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 20, "embedded map is (nearly) blank"


def test_markup_in_a_project_name_is_text(html_report, open_map):
    page = _open(open_map, html_report.files["html"])
    found = page.eval(f"""() => ({{
        table: document.querySelector('#siting table.data').innerText,
        imgs: document.querySelectorAll('#siting img').length,
        tip: {FRAME}.contentWindow.document.querySelectorAll('.leaflet-tooltip img').length,
    }})""")
    assert XSS in found["table"]
    assert found["imgs"] == 1  # the sites chart only; the name made no <img>
    # Open the S1 marker's tooltip (markers are drawn on the map's canvas): the name shows as text.
    page.eval(f"""() => {{
        const m = {FRAME}.contentWindow.parkgis.map;
        m.eachLayer(l => {{ if (l.feature && l.feature.properties && l.feature.properties.project_id === 'S1') {{
            m.setView(l.getLatLng(), 14, {{animate: false}});
            l.fire('mouseover', {{latlng: l.getLatLng()}}, true);  // as a hover does, up to the GeoJson group
        }} }});
    }}""")
    tip = page.page.frame_locator("#overview-map").locator(".leaflet-tooltip")
    tip.wait_for(timeout=5000)
    assert XSS in tip.inner_text()
    assert page.eval(f"() => {FRAME}.contentWindow.document.querySelectorAll('.leaflet-tooltip img').length") == 0
    page.page.wait_for_timeout(200)
    _assert_clean(page)
