"""The pages in headless Chromium with the network blocked: a planner's three jobs, end to end.

``parkgis serve`` runs as its own process (``live_server``); the browser may
reach that address only — every other request is aborted and recorded, so a
page that needed the internet would fail here. Console errors, page errors and
dialogs (an ``alert`` from injected script) are recorded too.
"""

from __future__ import annotations

import httpx
import pytest
from fixtures_web import COORDTXT

pytestmark = pytest.mark.browser

XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture
def page(chromium_browser, live_server):
    ctx = chromium_browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True,
                                       service_workers="block")
    pg = ctx.new_page()
    pg.blocked, pg.errors, pg.dialogs = [], [], []

    def route(r):
        if r.request.url.startswith((live_server + "/", "data:", "blob:", "about:")):
            r.continue_()
        else:
            pg.blocked.append(r.request.url)
            r.abort()

    pg.route("**/*", route)
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    yield pg
    assert pg.blocked == [], f"requests left the machine: {pg.blocked}"
    assert pg.dialogs == [], f"script ran from data: {pg.dialogs}"
    assert pg.errors == [], pg.errors
    ctx.close()


def test_upload_a_txt_read_the_verdict_download_the_pdf(page, live_server, tmp_path):
    page.goto(live_server + "/")
    page.wait_for_function("() => window.parkgisPage && window.parkgisPage.ready", timeout=30_000)
    page.set_input_files("#site-file", str(COORDTXT / "one_block_gbk_crlf.txt"))
    page.fill("#industry", "3731")
    page.click("#check")
    page.wait_for_selector("#verdict", timeout=30_000)
    verdict = page.get_attribute("#verdict", "data-verdict")
    with open(COORDTXT / "one_block_gbk_crlf.txt", "rb") as fh:
        api = httpx.post(live_server + "/api/site-check", files={"site": ("a.txt", fh)},
                         data={"industry": "3731"}).json()
    assert verdict == api["verdict"]
    assert page.inner_text("#verdict").split()[0] in ("可准入", "需审查", "禁止")
    rules = page.eval_on_selector_all("table.checks tbody tr", "rows => rows.map(r => r.dataset.rule)")
    assert rules == [c["rule"] for c in api["checks"]]
    assert "《中华人民共和国长江保护法》" in page.inner_text("table.checks")
    assert page.evaluate("() => window.parkgisPage.map.hasLayer !== undefined")
    with page.expect_download(timeout=60_000) as dl:
        page.click("button[data-format=pdf]")
    pdf = tmp_path / "site.pdf"
    dl.value.save_as(pdf)
    assert pdf.read_bytes()[:5] == b"%PDF-" and dl.value.suggested_filename == "site-check.pdf"


def test_click_the_map_and_pick_an_industry(page, live_server):
    page.goto(live_server + "/")
    page.wait_for_function("() => window.parkgisPage && window.parkgisPage.ready", timeout=30_000)
    page.evaluate("() => { const m = window.parkgisPage.map; m.fire('click', {latlng: L.latLng(31.62, 121.52)}); }")
    assert page.input_value("#lonlat") == "121.520000,31.620000"
    page.fill("#industry", "船舶")
    assert page.locator("#industry-list li[data-code='3731']").count() == 1  # classes too: 金属船舶制造
    page.click("#industry-list li[data-code='37']")
    assert page.input_value("#industry") == "37"
    page.fill("#industry", "3731")
    assert "3731 金属船舶制造" in page.inner_text("#industry-hint")  # the class, not its division
    page.fill("#industry", "37")
    page.fill("#radius", "300")
    page.click("#check")
    page.wait_for_selector("#verdict", timeout=30_000)
    assert page.get_attribute("#verdict", "data-verdict") in ("allowed", "review", "prohibited")


def test_several_sites_and_hostile_names_stay_text(page, live_server, tmp_path):
    import geopandas as gpd
    import shapely

    path = tmp_path / "sites.geojson"
    gpd.GeoDataFrame({"name": [XSS, "第二块"]}, geometry=[shapely.box(121.40, 31.70, 121.404, 31.703),
                                                        shapely.box(121.60, 31.53, 121.604, 31.533)],
                     crs=4326).to_file(path, driver="GeoJSON")
    page.goto(live_server + "/")
    page.wait_for_function("() => window.parkgisPage && window.parkgisPage.ready", timeout=30_000)
    page.set_input_files("#site-file", str(path))
    page.click("#check")
    page.wait_for_selector("table.rows tbody tr", timeout=30_000)
    rows = page.eval_on_selector_all("table.rows tbody tr", "rows => rows.map(r => r.cells[1].textContent)")
    assert rows == [XSS, "第二块"]
    assert page.eval_on_selector_all("#result img", "imgs => imgs.length") == 0
    page.wait_for_selector("#verdict")
    assert page.inner_text("#result h2 >> nth=1") == XSS


def test_errors_show_in_both_languages(page, live_server):
    page.goto(live_server + "/")
    page.wait_for_function("() => window.parkgisPage && window.parkgisPage.ready", timeout=30_000)
    page.check("input[name=mode][value=point]")
    page.fill("#lonlat", "121.45,31.50")
    page.click("#check")
    page.wait_for_selector("#site-error .error", timeout=30_000)
    text = page.inner_text("#site-error")
    assert "区界之外" in text and "outside the district" in text
    # Chromium logs the 400 answer itself; that one is expected here.
    page.errors[:] = [e for e in page.errors if "status of 400" not in e]


def test_classify_a_file_in_the_page(page, live_server, small_parcels):
    page.goto(live_server + "/classify")
    page.set_input_files("#parcels-file", str(small_parcels))
    page.click("#run")
    page.wait_for_selector("#action-counts", timeout=90_000)
    counts = page.eval_on_selector_all("#action-counts tbody tr",
                                       "rows => rows.map(r => [r.dataset.action, r.cells[1].textContent])")
    assert sum(int(n.replace(",", "")) for _, n in counts) == 200
    assert page.get_attribute("#job-progress", "value") == "1"
    frame = page.frame_locator("iframe.map-frame")
    frame.locator(".leaflet-container").wait_for(timeout=30_000)
    with page.expect_download(timeout=60_000) as dl:
        page.click("button[data-file='result.zip']")
    assert dl.value.suggested_filename == "parkgis-classified.zip"


def test_parks_page(page, live_server):
    page.goto(live_server + "/parks")
    page.wait_for_selector("table.density tbody tr", timeout=90_000)
    text = page.inner_text("table.density")
    assert "长兴海洋装备产业基地" in text and "崇明工业园区" in text
    page.frame_locator("iframe.map-frame").locator(".leaflet-container").wait_for(timeout=30_000)
