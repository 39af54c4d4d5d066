"""Bad and hostile requests get a 4xx bilingual error JSON, and the server goes on answering."""

from __future__ import annotations

import asyncio
import concurrent.futures
import io
import os
import time
import zipfile

import pytest
from click.testing import CliRunner
from fixtures_web import COORDTXT, make_client

from gis.cli.main import cli
from gis.web.errors import WebError

ERROR_KEYS = ["code", "message_zh", "message_en", "hint_zh", "hint_en"]
XSS = "<img src=x onerror=alert(1)>"


def _is_error(r, status: int, code: str | None = None) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    err = r.json()["error"]
    assert list(err) == ERROR_KEYS and err["message_zh"] and err["message_en"]
    if code:
        assert err["code"] == code, err
    return err


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _still_answers(client):
    assert client.get("/api/health").json()["status"] == "ok"
    r = client.post("/api/site-check", data={"lonlat": "121.52,31.62"})
    assert r.status_code == 200 and r.json()["verdict"]


HOSTILE = [
    ("wrong suffix", {"site": ("tool.exe", b"MZ\x90\x00")}, {}, 415, "unsupported_file"),
    ("zip that is not a zip", {"site": ("site.zip", b"<html>not a zip</html>")}, {}, 400, "input_error"),
    ("gpkg that is not a gpkg", {"site": ("site.gpkg", b"\x00" * 64)}, {}, 400, "input_error"),
    ("empty file", {"site": ("site.txt", b"")}, {}, 400, "input_error"),
    ("text that is no vector", {"site": ("site.geojson", b"{\"type\": \"nonsense\"")}, {}, 400, "input_error"),
    ("txt that is no boundary file", {"site": ("site.txt", "你好 hello\n".encode())}, {}, 400, "input_error"),
    ("zip with ../", {"site": ("evil.zip", _zip({"../../etc/cron.d/x.shp": b"x", "a.shp": b"x"}))}, {}, 400,
     "input_error"),
    ("zip with an absolute path", {"site": ("evil.zip", _zip({"/etc/passwd.shp": b"x"}))}, {}, 400, "input_error"),
    ("zip bomb", {"site": ("bomb.zip", _zip({"a.shp": b"\x00" * (40 * 1024 * 1024)}))}, {}, 400, "input_error"),
    ("zip without a vector file", {"site": ("docs.zip", _zip({"readme.txt": b"hi"}))}, {}, 400, "input_error"),
    ("HTML in the file name", {"site": (XSS + ".txt", b"<script>alert(1)</script>")}, {}, 400, "input_error"),
    ("two sites", None, {"lonlat": "121.52,31.62", "wkt": "POINT (121.5 31.6)"}, 400, "input_error"),
    ("no site", None, {"industry": "3731"}, 400, "input_error"),
    ("bad number", None, {"lonlat": "121.52,31.62", "land_m2": "lots"}, 400, "input_error"),
    ("bad datum", None, {"lonlat": "121.52,31.62", "datum": "wgs72"}, 400, "input_error"),
    ("bad industry", None, {"lonlat": "121.52,31.62", "industry": "9x"}, 400, "field_error"),
    ("CRS that is a path", None, {"wkt": "POINT (1 2)", "assume_crs": "/etc/passwd"}, 400, "input_error"),
    ("lonlat that is HTML", None, {"lonlat": XSS}, 400, "input_error"),
    ("WKT garbage", None, {"wkt": "POLYGON ((1 2"}, 400, "input_error"),
]


@pytest.mark.parametrize("what, files, data, status, code", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_site_check(client, what, files, data, status, code):
    r = client.post("/api/site-check", files=files, data=data)
    err = _is_error(r, status, code)
    assert "/tmp" not in str(err) and "upload." not in str(err), "no server path in a message"
    _still_answers(client)


def test_html_in_a_name_stays_text_in_json(client):
    r = client.post("/api/site-check", files={"site": (XSS + ".txt", b"junk")})
    err = _is_error(r, 400)
    assert XSS + ".txt" in err["message_en"] or "onerror" in err["message_en"]
    assert r.headers["content-type"].startswith("application/json")  # never rendered as HTML
    assert r.headers["x-content-type-options"] == "nosniff"


def test_too_large(client):
    big = b"0" * (3 * 1024 * 1024)  # the client fixture allows 2 MB per site
    _is_error(client.post("/api/site-check", files={"site": ("big.txt", big)}), 413, "too_large")
    _is_error(client.post("/api/jobs/parks", content=b"x" * (1024 * 1024),
                          headers={"content-type": "application/x-www-form-urlencoded"}), 413, "too_large")
    _still_answers(client)


def test_other_refusals(client):
    _is_error(client.get("/api/nothing-here"), 404, "not_found")
    _is_error(client.get("/api/site-check"), 405, "method_not_allowed")
    _is_error(client.get("/static/..%2F..%2Fapi.py"), 404, "not_found")
    _is_error(client.get("/static/index.html"), 404, "not_found")
    _is_error(client.post("/api/site-check", content=b"--x\r\nbroken",
                          headers={"content-type": "multipart/form-data; boundary=x"}), 400)
    _is_error(client.post("/api/classify", data={"id_field": "parcel_id"}), 400, "bad_request")
    _is_error(client.get("/api/health", headers={"host": "evil.example"}), 403, "bad_host")
    _still_answers(client)


def test_classify_errors_are_json(client, tmp_path):
    with open(COORDTXT / "xian80.txt", "rb") as fh:
        r = client.post("/api/classify", files={"parcels": ("xian80.txt", fh)})
    err = _is_error(r, 400)
    assert "xian80.txt" in err["message_en"] and "/tmp" not in err["message_en"]
    r = client.post("/api/classify", files={"parcels": ("p.csv", b"a,b\n1,2\n")})
    _is_error(r, 400, "input_error")
    _still_answers(client)


# --------------------------------------------------------------------------- token


@pytest.fixture(scope="module")
def token_client():
    with make_client(host="0.0.0.0", token="s3cret-token-1234") as c:
        yield c


def test_token_is_required_for_the_api(token_client):
    c = token_client
    assert c.get("/api/health").status_code == 200  # for monitoring
    assert c.get("/").status_code == 200 and c.get("/static/site.js").status_code == 200  # pages hold no data
    _is_error(c.post("/api/site-check", data={"lonlat": "121.52,31.62"}), 401, "unauthorized")
    _is_error(c.get("/api/layers"), 401, "unauthorized")
    _is_error(c.post("/api/site-check", data={"lonlat": "121.52,31.62"},
                     headers={"Authorization": "Bearer wrong-token"}), 401, "unauthorized")
    ok = c.post("/api/site-check", data={"lonlat": "121.52,31.62"},
                headers={"Authorization": "Bearer s3cret-token-1234"})
    assert ok.status_code == 200
    ok = c.post("/api/site-check", data={"lonlat": "121.52,31.62"}, headers={"X-Parkgis-Token": "s3cret-token-1234"})
    assert ok.status_code == 200
    assert c.get("/api/health", headers={"host": "planning-pc.local:8765"}).status_code == 200


def test_serve_refuses_an_open_address_without_token():
    r = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0"])
    assert r.exit_code == 2
    assert "--token" in r.stderr and "口令" in r.stderr
    r = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--token", "short"])
    assert r.exit_code == 2 and "8" in r.stderr


# --------------------------------------------------------------------------- workers: time limit and crash


def _sleep(seconds: float) -> str:
    time.sleep(seconds)
    return "slept"


def _crash() -> None:
    os._exit(3)  # as a reader crashing in C would


def test_workers_stop_slow_work_and_survive_crashes():
    from gis.web.workers import Workers

    workers = Workers(None, site_workers=1, job_workers=1)

    async def scenario():
        with pytest.raises(WebError) as slow:
            await workers.run("site", 0.5, _sleep, 30)
        assert slow.value.status == 408 and slow.value.code == "timeout"
        with pytest.raises(WebError) as crashed:
            await workers.run("site", 10, _crash)
        assert crashed.value.status == 422 and crashed.value.code == "worker_stopped"
        assert await workers.run("site", 10, _sleep, 0) == "slept"  # a fresh worker took over
        results = await asyncio.gather(*(workers.run("jobs", 10, _sleep, 0.2) for _ in range(4)))
        assert results == ["slept"] * 4

    try:
        t0 = time.monotonic()
        # In a thread of its own: an earlier test (Playwright's sync API) may leave an event loop in this one.
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            pool.submit(lambda: asyncio.run(scenario())).result()
        assert time.monotonic() - t0 < 20
    finally:
        workers.close()


class _Unpicklable(Exception):
    """An error that pickles but does not unpickle (as some of GDAL's, raised through pyogrio)."""

    def __init__(self, a, b):
        super().__init__(f"{a}{b}")


def _raise_unpicklable():
    raise _Unpicklable("GDAL", " failed")


def _raise_chained():
    from gis.errors import InputError

    try:
        _raise_unpicklable()
    except _Unpicklable as exc:
        raise InputError("读不了", "cannot read") from exc


def test_worker_errors_reach_the_server_as_errors():
    """A user error chained onto a library error arrives whole; an unpicklable error arrives as its text.

    Importing :mod:`dask.multiprocessing` registers ``tblib``'s pickling for every exception class defined by
    then, our errors among them, so that an error travels with its causes: a cause whose class was defined later
    (or is not registered) and does not unpickle broke the pool. The worker must send its errors without causes.
    """
    import copyreg

    from tblib import pickling_support

    from gis.errors import InputError
    from gis.web.workers import Workers

    saved = dict(copyreg.dispatch_table)
    pickling_support.install(InputError)  # as dask.multiprocessing's import does for the classes defined by then
    workers = Workers(None, site_workers=1, job_workers=1)

    async def scenario():
        with pytest.raises(InputError) as err:
            await workers.run("site", 30, _raise_chained)
        assert err.value.message_en == "cannot read"
        with pytest.raises(RuntimeError, match="_Unpicklable: GDAL failed"):
            await workers.run("site", 30, _raise_unpicklable)
        assert await workers.run("site", 30, _sleep, 0) == "slept"

    try:
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            pool.submit(lambda: asyncio.run(scenario())).result()
    finally:
        workers.close()
        copyreg.dispatch_table.clear()
        copyreg.dispatch_table.update(saved)
