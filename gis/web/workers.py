"""Worker processes: CPU work off the event loop, with time limits, and crashes contained.

Two pools of processes (:mod:`pebble`): a few for siting checks (short, many)
and one or more for the longer jobs (classification, density, site reports),
so a classification of 100,000 parcels never delays a planner's siting check.
The workers are forked from the server after :func:`gis.web.tasks.prepare`
has loaded the layers, so they start with the layers and their indexes in
memory. A task that runs past its time limit has its worker stopped and
replaced (the request gets HTTP 408); a worker that dies — a reader crashing on
a hostile file — is replaced too (HTTP 422); the server goes on serving.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import multiprocessing

from pebble import ProcessExpired, ProcessPool

from gis.errors import ParkgisError
from gis.web import tasks
from gis.web.errors import too_slow, worker_stopped

__all__ = ["Workers"]

log = logging.getLogger(__name__)


def call_plainly(fn, *args) -> tuple[str, object]:
    """Run ``fn(*args)`` in a worker; return ``("ok", result)`` or the error as plain data.

    The outcome travels to the server pickled. An error raised there would travel
    with its chain of causes whenever a library has registered traceback pickling
    for all exceptions (:mod:`dask.multiprocessing` does so through ``tblib`` on
    import), and a cause that does not unpickle (some of GDAL's, through pyogrio)
    would break the pool: the planner would get an internal error instead of the
    bilingual message. So no exception leaves the worker: a :class:`ParkgisError`
    comes back as ``("error", copy)`` — a fresh copy built from its texts, with no
    cause, context or traceback — and anything else as ``("crash", text)``.
    """
    try:
        return "ok", fn(*args)
    except ParkgisError as exc:
        rebuild, texts = exc.__reduce__()[:2]
    except Exception as exc:  # unexpected errors keep their text, not their (perhaps unpicklable) class
        return "crash", f"{type(exc).__name__}: {exc}"
    return "error", rebuild(*texts)  # built outside the handler: no __context__


def _result(outcome: tuple[str, object]):
    """The value of a :func:`call_plainly` outcome, or its error raised in the server."""
    kind, value = outcome
    if kind == "error":
        raise value
    if kind == "crash":
        raise RuntimeError(value)
    return value


class Workers:
    """The two worker pools of one server.

    Parameters
    ----------
    layers_src : str or None
        Layer source (loaded by :func:`gis.web.tasks.prepare` in each worker if not inherited).
    site_workers, job_workers : int
        Processes in each pool.
    """

    def __init__(self, layers_src: str | None, site_workers: int = 2, job_workers: int = 1):
        # fork: the workers inherit the layers loaded by the server (no second load, instant restarts).
        ctx = multiprocessing.get_context("fork")
        self.site = ProcessPool(max_workers=site_workers, initializer=tasks.prepare_site, initargs=(layers_src,),
                                context=ctx)
        self.jobs = ProcessPool(max_workers=job_workers, initializer=tasks.prepare_jobs, initargs=(layers_src,),
                                context=ctx)

    async def run(self, pool: str, timeout_s: float, fn, *args, what: tuple[str, str] = ("请求", "the request")):
        """Run ``fn(*args)`` in a worker of ``pool`` ("site" or "jobs"); await its result.

        Raises
        ------
        WebError
            408 past ``timeout_s`` (the worker is stopped), 422 when the worker died.
        ParkgisError
            The task's own user error, as raised in the worker.
        """
        future = getattr(self, pool).schedule(call_plainly, args=(fn, *args), timeout=timeout_s)
        try:
            outcome = await asyncio.wrap_future(future)
        except concurrent.futures.TimeoutError:
            raise too_slow(timeout_s, *what) from None
        except ProcessExpired as exc:
            log.warning("worker stopped (exit code %s) while running %s", exc.exitcode, fn.__name__)
            raise worker_stopped() from None
        except asyncio.CancelledError:
            future.cancel()  # the client went away: stop the work (pebble ends that worker)
            raise
        return _result(outcome)

    def close(self) -> None:
        for pool in (self.site, self.jobs):
            pool.stop()
        for pool in (self.site, self.jobs):
            pool.join(timeout=10)
