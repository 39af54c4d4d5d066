"""The web API (DESIGN §9) with an HTTP client: the same JSON as the CLI, the formats, the jobs, the downloads."""

from __future__ import annotations

import io
import json
import time
import zipfile

import geopandas as gpd
import pytest
import shapely
from click.testing import CliRunner
from fixtures_web import COORDTXT

from gis.cli.main import cli

DESIGN_KEYS = ["verdict", "zone", "park_id", "town", "riverbank_m", "yangtze_1km", "in_reserve", "checks"]
ERROR_KEYS = ["code", "message_zh", "message_en", "hint_zh", "hint_en"]


def cli_json(*args) -> tuple[int, str]:
    r = CliRunner().invoke(cli, ["site-check", *map(str, args), "--json"], catch_exceptions=False)
    return r.exit_code, r.stdout


def test_health(client):
    r = client.get("/api/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and body["version"]


@pytest.mark.parametrize("fields, args", [
    ({"lonlat": "121.52,31.62", "industry": "3731"}, ["--lonlat", "121.52,31.62", "--industry", "3731"]),
    ({"lonlat": "121.60,31.53", "radius_m": "250", "industry": "2614", "land_m2": "40000", "output_wan": "30000",
      "value_added_wan": "8000", "energy_tce": "900", "name": "甲项目 <b>&"},
     ["--lonlat", "121.60,31.53", "--radius-m", "250", "--industry", "2614", "--land-m2", "40000",
      "--output-wan", "30000", "--value-added-wan", "8000", "--energy-tce", "900", "--name", "甲项目 <b>&"]),
    ({"lonlat": "121.7505,31.3521", "datum": "gcj02", "industry": "3670"},
     ["--lonlat", "121.7505,31.3521", "--datum", "gcj02", "--industry", "3670"]),
    ({"wkt": "POLYGON ((121.40 31.70, 121.405 31.70, 121.405 31.705, 121.40 31.70))"},
     ["--wkt", "POLYGON ((121.40 31.70, 121.405 31.70, 121.405 31.705, 121.40 31.70))"]),
])
def test_site_check_is_byte_for_byte_the_cli_json(client, fields, args):
    code, expected = cli_json(*args)
    assert code == 0, expected
    r = client.post("/api/site-check", data=fields)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/json")
    assert r.content == expected.encode("utf-8")
    assert list(r.json())[:8] == DESIGN_KEYS


@pytest.mark.parametrize("name", ["one_block_gbk_crlf.txt", "east_zone41_bom.txt", "two_blocks_hole.txt"])
def test_uploaded_txt_is_byte_for_byte_the_cli_json(client, name):
    code, expected = cli_json("--site", COORDTXT / name, "--industry", "3731", "--output-wan", "12000")
    assert code == 0, expected
    with open(COORDTXT / name, "rb") as fh:
        r = client.post("/api/site-check", files={"site": (name, fh, "text/plain")},
                        data={"industry": "3731", "output_wan": "12000"})
    assert r.status_code == 200, r.text
    assert r.content == expected.encode("utf-8")


def test_error_is_the_cli_error_json(client):
    code, expected = cli_json("--lonlat", "121.45,31.50")
    assert code == 2
    r = client.post("/api/site-check", data={"lonlat": "121.45,31.50"})
    assert r.status_code == 400
    assert r.content == expected.encode("utf-8")
    assert list(r.json()["error"]) == ERROR_KEYS


def _site_frame():
    return gpd.GeoDataFrame({"name": ["西", "东"], "industry": ["3731", "1311"]},
                            geometry=[shapely.box(121.40, 31.70, 121.404, 31.703),
                                      shapely.box(121.60, 31.53, 121.604, 31.533)], crs=4326)


def _zipped_shapefile(tmp_path) -> bytes:
    _site_frame().to_file(tmp_path / "site.shp", encoding="utf-8")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for p in tmp_path.glob("site.*"):
            zf.write(p, p.name)
    return buf.getvalue()


@pytest.mark.parametrize("kind", ["geojson", "kml", "zip", "gpkg"])
def test_site_file_formats_one_row_per_feature(client, tmp_path, kind):
    gdf = _site_frame()
    if kind == "zip":
        data = _zipped_shapefile(tmp_path)
    else:
        path = tmp_path / f"site.{kind}"
        gdf.to_file(path, driver={"geojson": "GeoJSON", "kml": "KML", "gpkg": "GPKG"}[kind])
        data = path.read_bytes()
    merged = client.post("/api/site-check", files={"site": (f"site.{kind}", data)})
    assert merged.status_code == 200, merged.text
    assert merged.json()["area_m2"] > 2 * 100_000  # both boxes, merged into one site
    each = client.post("/api/site-check", files={"site": (f"site.{kind}", data)}, data={"per_feature": "1"})
    assert each.status_code == 200, each.text
    sites = each.json()["sites"]
    assert [s["index"] for s in sites] == [1, 2]
    assert all(s["result"]["verdict"] in ("allowed", "review", "prohibited") for s in sites)
    if kind != "kml":  # KML keeps its own attribute names
        assert [s["label"] for s in sites] == ["西", "东"]


def test_site_report_downloads(client):
    fields = {"lonlat": "121.52,31.62", "industry": "3731", "name": "报告项目"}
    _, expected = cli_json("--lonlat", "121.52,31.62", "--industry", "3731", "--name", "报告项目")
    j = client.post("/api/site-report?format=json", data=fields)
    assert j.status_code == 200 and j.content == expected.encode("utf-8")
    assert "attachment" in j.headers["content-disposition"]
    h = client.post("/api/site-report?format=html", data=fields)
    assert h.status_code == 200 and "data:image/png;base64," in h.text and "报告项目" in h.text
    p = client.post("/api/site-report?format=pdf", data=fields)
    assert p.status_code == 200 and p.content[:5] == b"%PDF-"
    bad = client.post("/api/site-report?format=exe", data=fields)
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "bad_request"


def test_page_data(client):
    layers = client.get("/api/layers").json()
    roles = [r["role"] for r in layers["roles"]]
    assert {"district", "parks", "zone_195", "zone_198", "yangtze_1km", "riverbank"} <= set(roles)
    ind = client.get("/api/industries").json()
    assert len(ind["divisions"]) == 97 and ind["divisions"][36]["code"] == "37"
    assert len(ind["groups"]) == 473 and {"code": "3731", "name_zh": "金属船舶制造"} in ind["classes"]
    for page in ("/", "/classify", "/parks"):
        r = client.get(page)
        assert r.status_code == 200 and "<script src=\"/static/common.js\">" in r.text
        assert "script-src 'self'" in r.headers["content-security-policy"]
    assert client.get("/static/leaflet.js").status_code == 200


def test_classify_returns_the_zip(client, small_parcels):
    with open(small_parcels, "rb") as fh:
        r = client.post("/api/classify", files={"parcels": ("parcels.gpkg", fh)})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(r.content)) as zf:
        assert sorted(zf.namelist()) == ["parkgis-classified.gpkg", "summary.xlsx"]
        gpkg = zf.read("parkgis-classified.gpkg")
    out = gpd.read_file(io.BytesIO(gpkg))
    assert len(out) == 200 and set(out["action"].dropna()) <= {"upgrade", "transform", "reduce"}
    assert out.crs.to_epsg() == 4326


def test_classify_numbers_a_hand_drawn_file(client):
    """A GeoJSON drawn on Amap without parcel_id is classified, numbered and flagged, as on the command line."""
    from pathlib import Path

    picks = Path(__file__).resolve().parents[2] / "examples" / "picks.geojson"
    with open(picks, "rb") as fh:
        r = client.post("/api/classify", files={"parcels": ("picks.geojson", fh)}, data={"datum": "gcj02"})
    assert r.status_code == 200, r.text
    with zipfile.ZipFile(io.BytesIO(r.content)) as zf:
        out = gpd.read_file(io.BytesIO(zf.read("parkgis-classified.gpkg")))
    assert out["parcel_id"].tolist() == ["1", "2", "3", "4"] and out["flags"].str.contains("id_generated").all()


def _wait(client, job_id, timeout_s=120):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        view = client.get(f"/api/jobs/{job_id}").json()
        if view["status"] in ("done", "failed"):
            return view
        time.sleep(0.2)
    raise AssertionError("job did not finish")


def test_classify_job_progress_and_files(client, small_parcels):
    with open(small_parcels, "rb") as fh:
        r = client.post("/api/jobs/classify", files={"parcels": ("parcels.gpkg", fh)}, data={"id_field": "parcel_id"})
    assert r.status_code == 202, r.text
    view = _wait(client, r.json()["id"])
    assert view["status"] == "done", view
    s = view["summary"]
    assert sum(a["parcels"] for a in s["actions"]) == 200 == s["parcels"]
    assert set(view["files"]) >= {"result.zip", "map.html", "density.xlsx", "density-map.html"}
    m = client.get(view["files"]["map.html"])
    assert m.status_code == 200 and "sandbox allow-scripts" in m.headers["content-security-policy"]
    wrong = view["files"]["map.html"].split("?key=")[0] + "?key=" + "x" * 22
    assert client.get(wrong).status_code == 401
    assert client.get(f"/api/jobs/{view['id']}/files/..%2F..%2Fetc%2Fpasswd").status_code == 404
    assert client.get("/api/jobs/AAAAAAAAAAAAAAAAAAAAAA").status_code == 404
    parks = client.post("/api/jobs/parks", data={"job": view["id"]})
    assert parks.status_code == 202
    pv = _wait(client, parks.json()["id"])
    assert pv["status"] == "done" and pv["summary"]["density"]


def test_sample_parks_job(client):
    r = client.post("/api/jobs/parks")
    view = _wait(client, r.json()["id"])
    assert view["status"] == "done"
    names = [row["name_zh"] for row in view["summary"]["density"]]
    assert "长兴海洋装备产业基地" in names
    assert any("SYNTHETIC" in n for n in view["summary"]["notes"])


def test_error_json_from_a_worker_keeps_its_texts(client):
    with open(COORDTXT / "gross_error.txt", "rb") as fh:
        r = client.post("/api/site-check", files={"site": ("我的地块.txt", fh)})
    assert r.status_code == 400
    err = r.json()["error"]
    assert err["code"] == "input_error" and err["message_zh"] and err["message_en"]
    assert "我的地块.txt" in err["message_en"] and "/tmp" not in json.dumps(err) and "upload" not in err["message_en"]


def test_lonlat_text_is_never_read_as_wkt(client):
    r = client.post("/api/site-check", data={"lonlat": "abc"})
    assert r.status_code == 400
    err = r.json()["error"]
    assert "WKT" not in err["message_en"] and err["message_en"].startswith("Coordinate")
    assert "经度" in err["message_zh"]
