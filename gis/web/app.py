"""The planners' web app (DESIGN §9): an ASGI application on Starlette, served by uvicorn.

:func:`create_app` builds the application; its start-up loads the layers and
rules once (:func:`gis.web.tasks.prepare`), computes the page data, and forks
the worker processes (:class:`gis.web.workers.Workers`). :func:`serve` runs it
with uvicorn. Pages and their assets (Leaflet included) are served from the
package, from a fixed table of names: the server reaches nothing on the
internet and no request names a file.
"""

from __future__ import annotations

import logging
import time
from contextlib import asynccontextmanager
from dataclasses import asdict
from importlib.metadata import PackageNotFoundError, version
from importlib.resources import files
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import Route

from gis.errors import ParkgisError
from gis.web import api, tasks
from gis.web.errors import error_response, internal_error, not_allowed, not_found
from gis.web.guard import Guard
from gis.web.jobs import JobStore
from gis.web.page_data import industries_json, layers_json
from gis.web.settings import WebSettings
from gis.web.workers import Workers

__all__ = ["app_version", "create_app", "serve"]

log = logging.getLogger(__name__)

_PAGES = {"/": "index.html", "/classify": "classify.html", "/parks": "parks.html"}
_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
          ".css": "text/css; charset=utf-8", ".png": "image/png", ".svg": "image/svg+xml"}
_LEAFLET = ("leaflet.js", "leaflet.css", "marker-icon.png", "marker-icon-2x.png", "marker-shadow.png")


def app_version() -> str:
    try:
        return version("parkgis")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0.0.0"


def _static_table() -> dict[str, tuple[bytes, str]]:
    """Name → (content, media type) of every file the pages load: the app's own and Leaflet's."""
    table: dict[str, tuple[bytes, str]] = {}
    for f in files("gis.web").joinpath("static").iterdir():
        suffix = Path(f.name).suffix
        if suffix in _TYPES:
            table[f.name] = (f.read_bytes(), _TYPES[suffix])
    leaflet = files("gis.maps.web").joinpath("assets", "leaflet")
    for name in _LEAFLET:
        table[name] = (leaflet.joinpath(name).read_bytes(), _TYPES[Path(name).suffix])
    try:  # the Chinese font of the print maps (Noto Sans SC, OFL), for machines without a Chinese font
        from gis.maps.fonts import cjk_font_path

        table["font-cjk.otf"] = (cjk_font_path().read_bytes(), "font/otf")
    except (ImportError, ParkgisError):
        pass
    return table


async def _page(request) -> Response:
    content, media = request.app.state.static[_PAGES[request.url.path]]
    return Response(content, media_type=media, headers={"Cache-Control": "no-cache"})


async def _static(request) -> Response:
    got = request.app.state.static.get(request.path_params["name"])
    if got is None or got[1].startswith("text/html"):
        raise not_found()
    cache = "max-age=86400" if got[1].startswith("font/") else "no-cache"
    return Response(got[0], media_type=got[1], headers={"Cache-Control": cache})


async def _health(request) -> Response:
    return Response(f'{{"status": "ok", "version": "{app_version()}"}}', media_type="application/json")


async def _layers(request) -> Response:
    return Response(request.app.state.layers_json, media_type="application/json; charset=utf-8")


async def _industries(request) -> Response:
    return Response(request.app.state.industries_json, media_type="application/json; charset=utf-8")


async def _user_error(request, exc: ParkgisError) -> Response:
    return error_response(exc)


async def _http_error(request, exc: HTTPException) -> Response:
    if exc.status_code == 404:
        return error_response(not_found())
    if exc.status_code == 405:
        return error_response(not_allowed())
    return error_response(internal_error() if exc.status_code >= 500 else not_found())


async def _unexpected(request, exc: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return error_response(internal_error())


def _limits(s: WebSettings) -> dict:
    keys = ("site_upload_mb", "classify_upload_mb", "site_timeout_s", "report_timeout_s", "job_timeout_s")
    return {k: v for k, v in asdict(s).items() if k in keys}


def _lifespan(settings: WebSettings):
    @asynccontextmanager
    async def lifespan(app):
        t0 = time.perf_counter()
        state = tasks.prepare(settings.layers_src)  # once, before the workers are forked from this process
        app.state.layers_json = layers_json(state["layers"], _limits(settings), app_version())
        app.state.industries_json = industries_json()
        app.state.workers = Workers(settings.layers_src, settings.site_workers, settings.job_workers)
        app.state.jobs = JobStore(settings.job_keep_s, settings.max_jobs)
        app.state.sample_parks = None
        app.state.startup_s = time.perf_counter() - t0
        log.info("parkgis web app ready in %.1f s (layers: %s)", app.state.startup_s, state["layers"].source)
        try:
            yield
        finally:
            app.state.workers.close()
            app.state.jobs.close()

    return lifespan


def create_app(settings: WebSettings | None = None):
    """The ASGI application, wrapped in its :class:`~gis.web.guard.Guard`.

    Parameters
    ----------
    settings : WebSettings, optional
        Default: loopback, the embedded layers, no token.

    Returns
    -------
    ASGI application
        The Starlette app is at ``.app`` (its ``state`` holds the layers' page data, the workers and the jobs).
    """
    settings = settings or WebSettings()
    routes = [Route(path, _page) for path in _PAGES]
    routes += [
        Route("/static/{name}", _static),
        Route("/api/health", _health),
        Route("/api/layers", _layers),
        Route("/api/industries", _industries),
        Route("/api/site-check", api.site_check, methods=["POST"]),
        Route("/api/site-report", api.site_report, methods=["POST"]),
        Route("/api/classify", api.classify_now, methods=["POST"]),
        Route("/api/jobs/classify", api.start_classify, methods=["POST"]),
        Route("/api/jobs/parks", api.start_parks, methods=["POST"]),
        Route("/api/jobs/{job_id}", api.job_status),
        Route("/api/jobs/{job_id}/files/{name}", api.job_file),
    ]
    app = Starlette(routes=routes, lifespan=_lifespan(settings),
                    exception_handlers={ParkgisError: _user_error, HTTPException: _http_error,
                                        Exception: _unexpected})
    app.state.settings = settings
    app.state.static = _static_table()
    return Guard(app, settings)


def serve(settings: WebSettings, *, echo=print) -> None:
    """Run the app with uvicorn until interrupted (Ctrl+C).

    Parameters
    ----------
    settings : WebSettings
        Must carry a token when ``host`` is not a loopback address (checked by the CLI).
    echo : callable
        Where the address is printed.
    """
    import uvicorn

    app = create_app(settings)
    echo(f"parkgis {app_version()} — 规划选址与分类网页 planners' web app: {settings.url}")
    if settings.token:
        echo("访问需要口令（--token）；在页面中输入一次即可。 "
             "The API needs the token (--token); enter it once in the page.")
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info", timeout_keep_alive=5,
                limit_concurrency=64, server_header=False, proxy_headers=False)
