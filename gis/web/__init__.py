"""The planners' web app (``parkgis serve``, DESIGN §9): check a site, classify a file, see the parks.

:func:`gis.web.app.create_app` builds the ASGI application and
:func:`gis.web.app.serve` runs it with uvicorn; :class:`gis.web.settings.WebSettings`
holds the address, the token and the limits. Needs the ``web`` extra
(``pip install 'parkgis[web]'``).
"""

from __future__ import annotations

__all__ = ["WebSettings", "create_app", "serve"]


def __getattr__(name: str):
    # Starlette and uvicorn load only when the web app is used.
    if name in ("create_app", "serve"):
        from gis.web import app

        return getattr(app, name)
    if name == "WebSettings":
        from gis.web.settings import WebSettings

        return WebSettings
    raise AttributeError(f"module 'gis.web' has no attribute {name!r}")
