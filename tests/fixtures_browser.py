"""Headless Chromium for the map tests (a pytest plugin module).

Debian's ``chromium`` driven by Playwright (no browser download): every request
that is not ``file:`` or ``data:`` is aborted by a route and recorded, so a map
that tries to reach the network fails its test instead of hanging. Console
errors, page errors and dialogs (``alert`` from injected script) are recorded
too.

Use: ``pytest -p fixtures_browser`` (or list it in conftest ``pytest_plugins``),
then request the ``open_map`` fixture::

    def test_x(open_map, tmp_path):
        page = open_map(tmp_path / "map.html")
        assert not page.blocked and not page.console_errors
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import require

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-default-apps", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def chromium_path() -> str | None:
    """The Chromium binary to drive: ``$PARKGIS_CHROMIUM``, Debian's, or one on PATH."""
    for cand in (os.environ.get("PARKGIS_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                 shutil.which("chromium-browser")):
        if cand and Path(cand).exists():
            return cand
    return None


@dataclass
class MapPage:
    """An opened page and what it did while loading."""

    page: object
    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    load_s: float = 0.0

    def eval(self, js: str, arg=None):
        return self.page.evaluate(js, arg) if arg is not None else self.page.evaluate(js)

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        out = ARTIFACTS / name
        self.page.screenshot(path=str(out))
        return out


@pytest.fixture(scope="session")
def chromium_browser():
    """A headless Chromium (session-wide); skipped — or failed in CI — when missing."""
    exe = chromium_path()
    require(exe is not None, "Chromium (Debian package `chromium`)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - depends on the environment
        require(False, "Python package playwright")
    pw = sync_playwright().start()
    try:
        browser = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS, headless=True)
    except Exception as exc:  # pragma: no cover - depends on the environment
        pw.stop()
        require(False, f"Chromium could not start: {exc}")
    yield browser
    browser.close()
    pw.stop()


@pytest.fixture
def open_map(chromium_browser):
    """Open a local HTML file with the network blocked; returns a :class:`MapPage`.

    ``open_map(path, wait_for="window.parkgis", viewport=(1200, 800), timeout_s=60)``
    waits for the ``load`` event and then until ``wait_for`` is truthy.
    """
    contexts = []

    def _open(path, wait_for: str | None = "window.parkgis", viewport=(1200, 800), timeout_s: float = 60):
        ctx = chromium_browser.new_context(viewport={"width": viewport[0], "height": viewport[1]},
                                           service_workers="block")
        contexts.append(ctx)
        page = ctx.new_page()
        mp = MapPage(page)

        def route(r):
            url = r.request.url
            if url.startswith(("file:", "data:", "blob:", "about:")):
                r.continue_()
            else:
                mp.blocked.append(url)
                r.abort()

        page.route("**/*", route)
        page.on("console", lambda msg: mp.console_errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: mp.page_errors.append(str(exc)))

        def dialog(d):
            mp.dialogs.append(f"{d.type}: {d.message}")
            d.dismiss()

        page.on("dialog", dialog)
        t0 = time.perf_counter()
        page.goto(Path(path).resolve().as_uri(), wait_until="load", timeout=timeout_s * 1000)
        if wait_for:
            page.wait_for_function(f"() => !!({wait_for})", timeout=timeout_s * 1000)
            page.wait_for_function("() => !(window.parkgis && window.parkgis.map._animatingZoom)",
                                   timeout=timeout_s * 1000)
        # Two animation frames: the first canvas draw has happened.
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        mp.load_s = time.perf_counter() - t0
        return mp

    yield _open
    for ctx in contexts:
        ctx.close()
