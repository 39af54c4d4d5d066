"""The server's gate (an ASGI middleware): address, token, body size and upload time, security headers.

Every request passes here before any route:

* **Host** — bound to a loopback address, the server answers only requests
  whose ``Host`` is a loopback name, so a web page elsewhere cannot reach it
  through DNS rebinding.
* **Token** — with a token set, every ``/api/`` request except ``/api/health``
  carries it (``Authorization: Bearer …`` or ``X-Parkgis-Token``), compared in
  constant time. A job's download links carry the job's own key instead (an
  ``<iframe>`` cannot send a header); the route checks that key.
* **Size and time** — a body larger than the route's limit is refused from its
  ``Content-Length`` or as soon as it grows past the limit (HTTP 413); a body
  that takes longer than the upload time limit to arrive is cut off (HTTP 408).
* **Headers** — a Content-Security-Policy that lets the pages load nothing but
  this server's own files (no inline script), ``nosniff``, no referrer, no caching
  of API answers.
"""

from __future__ import annotations

import re
import secrets
import time

import anyio

from gis.web.errors import (
    WebError,
    bad_host,
    error_response,
    too_large,
    too_slow,
    unauthorized,
)
from gis.web.settings import WebSettings, is_loopback

__all__ = ["MAP_CSP", "PAGE_CSP", "Guard"]

#: Policy of the pages: scripts, styles and images from this server only (Leaflet sets inline styles).
PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
            "connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            "frame-ancestors 'none'")
#: Policy of a generated map page (self-contained: inline scripts and styles, no network at all, sandboxed).
MAP_CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
           "font-src data:; frame-ancestors 'self'; sandbox allow-scripts")
_JOB_FILE = re.compile(r"^/api/jobs/[^/]+/files/[^/]+$")
_SMALL_BODY_MB = 0.25


class Guard:
    """ASGI middleware applying the rules of the module docstring.

    Parameters
    ----------
    app : ASGI application
    settings : WebSettings
    """

    def __init__(self, app, settings: WebSettings):
        self.app = app
        self.settings = settings
        self.loopback = is_loopback(settings.host)
        self.token = settings.token.encode("utf-8") if settings.token else None

    def limit_mb(self, path: str) -> float:
        if path in ("/api/site-check", "/api/site-report"):
            return self.settings.site_upload_mb
        if path in ("/api/classify", "/api/jobs/classify"):
            return self.settings.classify_upload_mb
        return _SMALL_BODY_MB

    def _host_ok(self, host: str | None) -> bool:
        if not self.loopback:
            return True  # reached over the network: the token protects it
        name = (host or "").strip().lower()
        name = name[1:name.index("]")] if name.startswith("[") and "]" in name else name.rsplit(":", 1)[0]
        return is_loopback(name)

    def _token_ok(self, headers: dict[str, str]) -> bool:
        given = headers.get("x-parkgis-token", "")
        auth = headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            given = auth[7:].strip()
        return secrets.compare_digest(given.encode("utf-8"), self.token)

    def _refusal(self, scope, headers: dict[str, str]) -> WebError | None:
        path = scope["path"]
        if not self._host_ok(headers.get("host")):
            return bad_host()
        if self.token and path.startswith("/api/") and path != "/api/health":
            with_key = _JOB_FILE.match(path) and b"key=" in scope.get("query_string", b"")
            if not with_key and not self._token_ok(headers):
                return unauthorized()
        limit = self.limit_mb(path)
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > limit * 1024 * 1024:
            return too_large(limit)
        return None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        refusal = self._refusal(scope, headers)
        if refusal is not None:
            return await error_response(refusal)(scope, receive, send)
        limit = int(self.limit_mb(scope["path"]) * 1024 * 1024)
        deadline = time.monotonic() + self.settings.upload_timeout_s
        seen = 0

        async def limited_receive():
            nonlocal seen
            try:
                with anyio.fail_after(max(deadline - time.monotonic(), 0.001)):
                    message = await receive()
            except TimeoutError:
                raise too_slow(self.settings.upload_timeout_s, "上传", "the upload") from None
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise too_large(limit / 1024 / 1024)
            return message

        started = False

        async def send_with_headers(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
                         (b"cross-origin-opener-policy", b"same-origin")]
                if b"content-security-policy" not in names:
                    extra.append((b"content-security-policy", PAGE_CSP.encode()))
                message = {**message, "headers": list(message.get("headers", [])) + extra}
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_headers)
        except WebError as exc:  # raised by the body limits outside a route's own handling
            if not started:
                await error_response(exc)(scope, receive, send_with_headers)
