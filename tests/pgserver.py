"""A throw-away PostgreSQL + PostGIS server (for the tests and the benchmarks).

:func:`running_server` ``initdb``s a cluster in a temporary folder, starts it
with ``pg_ctl`` on a Unix socket in that folder plus a free loopback TCP port
(127.0.0.1 only, trust authentication), creates a database with the
``postgis`` extension and yields a :class:`PostgisServer` whose ``url`` is a
SQLAlchemy URL (``postgresql+psycopg://parkgis@127.0.0.1:PORT/parkgis_test``).
On exit the server is stopped and the folder removed.

``initdb`` refuses to run as root, so as root the server runs as the
``postgres`` system user (``runuser``), and the temporary folder is handed to
that user.

Two exceptions tell the caller what went wrong: :class:`ServerUnavailable`
(binaries, the ``postgres`` user or the PostGIS extension are missing — the
tests skip, or fail in CI) and :class:`ServerError` (installed but it did not
start; the message carries the server log). Set ``PARKGIS_PG_BINDIR`` to pick
the server binaries.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shlex
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = ["PostgisServer", "ServerUnavailable", "ServerError", "find_bindir", "running_server", "WHAT",
           "DB_USER", "DB_NAME"]

#: What is missing when the server cannot be had.
WHAT = "PostgreSQL+PostGIS server (apt: postgresql-15-postgis-3)"

START_TIMEOUT_S = 60
DB_USER = "parkgis"
DB_NAME = "parkgis_test"


class ServerUnavailable(RuntimeError):
    """A component the server needs is not installed (the message names it)."""


class ServerError(RuntimeError):
    """The server is installed but could not be started or set up."""


@dataclass
class PostgisServer:
    """A running server (or an external one given by URL)."""

    url: str
    port: int | None = None
    base_dir: Path | None = None
    bindir: Path | None = None
    start_seconds: float = 0.0

    @property
    def log_path(self) -> Path | None:
        return None if self.base_dir is None else self.base_dir / "server.log"


def find_bindir() -> Path | None:
    """Return a folder holding ``initdb``, ``pg_ctl`` and ``postgres``, or None."""
    candidates: list[str] = []
    if os.environ.get("PARKGIS_PG_BINDIR"):
        candidates.append(os.environ["PARKGIS_PG_BINDIR"])
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            out = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, timeout=10, check=True
            )
            candidates.append(out.stdout.strip())
        except (OSError, subprocess.SubprocessError):
            pass

    def version(path: str) -> float:
        try:
            return float(Path(path).parent.name)
        except ValueError:
            return 0.0

    # Debian/Ubuntu keep each major version apart; prefer the newest.
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=version, reverse=True)
    candidates += ["/usr/local/pgsql/bin", "/usr/pgsql/bin"]
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(str(Path(initdb).parent))
    for cand in candidates:
        d = Path(cand)
        if all((d / exe).is_file() for exe in ("initdb", "pg_ctl", "postgres")):
            return d
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _clean_env() -> dict[str, str]:
    # PG* variables of the caller's shell (PGDATA, PGPORT, PGHOST…) must not steer our cluster.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["LC_ALL"] = "C"
    env["LANG"] = "C"
    return env


class _Runner:
    """Run server commands as the current user, or as ``postgres`` when root."""

    def __init__(self, base: Path):
        self.base = base
        self.as_user: pwd.struct_passwd | None = None
        if os.geteuid() == 0:
            try:
                self.as_user = pwd.getpwnam("postgres")
            except KeyError:
                raise ServerUnavailable(f"{WHAT}; running as root needs a 'postgres' system user") from None
            os.chown(base, self.as_user.pw_uid, self.as_user.pw_gid)

    def mkdir(self, path: Path) -> Path:
        path.mkdir(mode=0o700)
        if self.as_user is not None:
            os.chown(path, self.as_user.pw_uid, self.as_user.pw_gid)
        return path

    def run(self, args: list[str], timeout: float) -> subprocess.CompletedProcess:
        kwargs: dict = {}
        if self.as_user is not None:
            runuser = shutil.which("runuser")
            if runuser:
                args = [runuser, "-u", "postgres", "--", *args]
            else:  # no util-linux: let Python drop privileges itself
                kwargs = {"user": self.as_user.pw_uid, "group": self.as_user.pw_gid, "extra_groups": []}
        return subprocess.run(
            args,
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=self.base,  # postgres must be able to enter its working directory
            env=_clean_env(),
            **kwargs,
        )


def _log_tail(path: Path, limit: int = 4000) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return "(no server log)"
    return text[-limit:]


def _fail(msg: str, proc: subprocess.CompletedProcess | None, log: Path | None) -> ServerError:
    parts = [msg]
    if proc is not None:
        parts.append(f"exit {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
    if log is not None:
        parts.append(f"server log ({log}):\n{_log_tail(log)}")
    return ServerError("\n".join(parts))


def _wait_ready(port: int, deadline: float, log: Path) -> None:
    """Poll until the server accepts a TCP connection (pg_ctl -w watches the socket only)."""
    import psycopg

    last = ""
    while time.monotonic() < deadline:
        try:
            with psycopg.connect(
                host="127.0.0.1", port=port, user=DB_USER, dbname="postgres", connect_timeout=5
            ):
                return
        except psycopg.OperationalError as exc:
            last = str(exc)
            time.sleep(0.1)
    raise _fail(f"PostgreSQL did not accept connections within {START_TIMEOUT_S} s: {last}", None, log)


def _start(bindir: Path, base: Path, runner: _Runner, settings: dict[str, str]) -> tuple[int, float]:
    """initdb + pg_ctl start; return (port, seconds taken)."""
    t0 = time.monotonic()
    data = base / "data"
    sock = runner.mkdir(base / "sock")
    log = base / "server.log"
    proc = runner.run(
        [str(bindir / "initdb"), "-D", str(data), "-U", DB_USER, "--auth=trust",
         "-E", "UTF8", "--locale=C", "--no-sync"],
        timeout=START_TIMEOUT_S,
    )
    if proc.returncode != 0:
        raise _fail("initdb failed", proc, None)
    for attempt in range(3):
        port = _free_port()
        # A throw-away cluster: durability settings off for speed.
        opts = " ".join([
            "-c listen_addresses=127.0.0.1",
            f"-p {port}",
            f"-k {shlex.quote(str(sock))}",
            "-c fsync=off",
            "-c synchronous_commit=off",
            "-c full_page_writes=off",
            *(f"-c {k}={shlex.quote(str(v))}" for k, v in settings.items()),
        ])
        proc = runner.run(
            [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w",
             "-t", str(START_TIMEOUT_S), "-o", opts, "start"],
            timeout=START_TIMEOUT_S + 10,
        )
        if proc.returncode == 0:
            _wait_ready(port, t0 + START_TIMEOUT_S, log)
            return port, time.monotonic() - t0
        # Another process may have taken the port between our probe and the bind.
        if "Address already in use" not in _log_tail(log) or attempt == 2:
            raise _fail("pg_ctl start failed", proc, log)
    raise AssertionError("unreachable")


def _stop(bindir: Path, base: Path, runner: _Runner) -> None:
    data = str(base / "data")
    proc = runner.run([str(bindir / "pg_ctl"), "-D", data, "-m", "fast", "-w", "-t", "30", "stop"], 40)
    if proc.returncode != 0 and (base / "data" / "postmaster.pid").exists():
        runner.run([str(bindir / "pg_ctl"), "-D", data, "-m", "immediate", "-w", "-t", "30", "stop"], 40)


def _create_database(port: int, log: Path, db_name: str) -> None:
    import psycopg

    with psycopg.connect(host="127.0.0.1", port=port, user=DB_USER, dbname="postgres",
                         autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {db_name} TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'")
        available = conn.execute(
            "SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'"
        ).fetchone()
    if not available:
        raise ServerUnavailable(f"{WHAT}; the server has no 'postgis' extension")
    with psycopg.connect(host="127.0.0.1", port=port, user=DB_USER, dbname=db_name,
                         autocommit=True) as conn:
        try:
            conn.execute("CREATE EXTENSION postgis")
        except psycopg.Error as exc:
            raise _fail(f"CREATE EXTENSION postgis failed: {exc}", None, log) from exc


@contextlib.contextmanager
def running_server(bindir: Path | None = None, *, db_name: str = DB_NAME,
                   settings: dict[str, str] | None = None) -> Iterator[PostgisServer]:
    """Start a throw-away PostgreSQL+PostGIS server; stop it and remove its folder on exit.

    Parameters
    ----------
    bindir : Path, optional
        Folder of ``initdb``/``pg_ctl``/``postgres`` (default: :func:`find_bindir`).
    db_name : str
        Database created with the ``postgis`` extension.
    settings : dict, optional
        Extra server settings (``-c name=value``), e.g. ``{"work_mem": "256MB"}``.

    Raises
    ------
    ServerUnavailable
        psycopg, the binaries, the ``postgres`` user (as root) or PostGIS is missing.
    ServerError
        The server did not start or could not be set up (message has its log).
    """
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise ServerUnavailable("psycopg 3 (pip install 'parkgis[postgis]')") from None
    bindir = bindir if bindir is not None else find_bindir()
    if bindir is None:
        raise ServerUnavailable(f"{WHAT}; no initdb/pg_ctl found")
    # Short path under /tmp: Unix socket paths are limited to ~100 bytes, and the
    # postgres user must be able to reach it (root's own temp dirs are 0700).
    tmp_root = "/tmp" if os.geteuid() == 0 or len(tempfile.gettempdir()) > 40 else None
    base = Path(tempfile.mkdtemp(prefix="parkgis-pg-", dir=tmp_root))
    runner = None
    started = False
    try:
        runner = _Runner(base)
        port, seconds = _start(bindir, base, runner, settings or {})
        started = True
        _create_database(port, base / "server.log", db_name)
        yield PostgisServer(
            url=f"postgresql+psycopg://{DB_USER}@127.0.0.1:{port}/{db_name}",
            port=port,
            base_dir=base,
            bindir=bindir,
            start_seconds=seconds,
        )
    finally:
        if started:
            _stop(bindir, base, runner)
        shutil.rmtree(base, ignore_errors=True)
