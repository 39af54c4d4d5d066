"""A real PostgreSQL + PostGIS server for the test session (pytest plugin).

The ``postgis_url`` fixture ``initdb``s a throw-away cluster in a temporary
folder, starts it with ``pg_ctl`` on a Unix socket in that folder plus a free
loopback TCP port (127.0.0.1 only, trust authentication), creates a database
with the ``postgis`` extension and yields its SQLAlchemy URL
(``postgresql+psycopg://parkgis@127.0.0.1:PORT/parkgis_test``). At the end of
the session the server is stopped and the folder removed.

``initdb`` refuses to run as root, so when the tests run as root (as in the
CI container) the server runs as the ``postgres`` system user (``runuser``),
and the temporary folder is handed to that user.

Missing server binaries or a missing PostGIS extension go through
``conftest.require``: the tests are skipped on a developer's machine and fail
in CI (``PARKGIS_REQUIRE_ALL=1``). A server that is installed but does not
start is always a failure, with the server log in the message.

Set ``PARKGIS_PG_BINDIR`` to pick the server binaries, or
``PARKGIS_TEST_POSTGIS_URL`` to use an existing PostGIS database instead of
starting one (its contents are then left behind by the tests).
"""

from __future__ import annotations

import os

import pytest

# The server logic is shared with the benchmarks (benchmarks/baseline_postgis.py).
from pgserver import (  # noqa: F401  (re-exported for the tests)
    DB_NAME,
    DB_USER,
    START_TIMEOUT_S,
    WHAT,
    PostgisServer,
    ServerError,
    ServerUnavailable,
    find_bindir,
    running_server,
)

__all__ = ["PostgisServer", "postgis_server", "postgis_url"]


def _require(ok: bool, what: str) -> None:
    # Imported late: conftest is importable only once pytest has loaded it.
    from conftest import require

    require(ok, what)


@pytest.fixture(scope="session")
def postgis_server() -> PostgisServer:
    """Start a throw-away PostgreSQL+PostGIS server for the session (see module doc)."""
    external = os.environ.get("PARKGIS_TEST_POSTGIS_URL")
    if external:
        yield PostgisServer(url=external)
        return
    # Missing components skip (fail under PARKGIS_REQUIRE_ALL=1); a server that is
    # installed but does not start is always a failure, with its log.
    try:
        with running_server() as server:
            yield server
    except ServerUnavailable as exc:
        _require(False, str(exc))
    except ServerError as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="session")
def postgis_url(postgis_server: PostgisServer) -> str:
    """SQLAlchemy URL of the session's PostGIS database (``postgresql+psycopg://…``)."""
    return postgis_server.url
