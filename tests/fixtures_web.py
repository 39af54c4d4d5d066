"""Fixtures of the web app's tests (a pytest plugin module, loaded by conftest): an in-process client and a real server.

``client`` runs the app in this process (its worker processes forked from it);
``live_server`` starts ``parkgis serve`` as a separate process on a free
loopback port, as a planner would, for the browser and concurrency tests.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path

import geopandas as gpd
import httpx
import pytest

REPO = Path(__file__).resolve().parents[1]
COORDTXT = REPO / "tests" / "data" / "coordtxt"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_client(**settings):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # starlette's note about httpx vs httpx2
        from starlette.testclient import TestClient
    from gis.web.app import create_app
    from gis.web.settings import WebSettings

    return TestClient(create_app(WebSettings(**settings)), base_url="http://127.0.0.1:8765",
                      raise_server_exceptions=False)


@pytest.fixture(scope="module")
def client():
    with make_client(site_upload_mb=2.0, classify_upload_mb=8.0) as c:
        yield c


@pytest.fixture(scope="session")
def small_parcels(tmp_path_factory) -> Path:
    """200 parcels of the embedded synthetic sample, as a GeoPackage."""
    from gis.classification.parcels import sample_parcels

    path, layer = sample_parcels()
    gdf = gpd.read_file(path, layer=layer).head(200)
    out = tmp_path_factory.mktemp("parcels") / "parcels.gpkg"
    gdf.to_file(out, layer="parcels")
    return out


@pytest.fixture(scope="session")
def live_server():
    """``parkgis serve`` on a free port; yields its base URL; stopped at the end."""
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "gis.cli", "serve", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/api/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
        if proc.poll() is not None:
            raise RuntimeError("parkgis serve stopped:\n" + proc.stdout.read())
    else:
        proc.kill()
        raise RuntimeError("parkgis serve did not start within 60 s")
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
