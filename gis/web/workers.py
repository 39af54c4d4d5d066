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
import pickle

from pebble import ProcessExpired, ProcessPool

from gis.errors import ParkgisError
from gis.web import tasks
from gis.web.errors import too_slow, worker_stopped

__all__ = ["Workers"]

log = logging.getLogger(__name__)


def call_plainly(fn, *args):
    """Run ``fn(*args)`` in a worker; an error comes back without its chain of causes.

    The error travels to the server pickled. An error of a class that does not
    unpickle (some of GDAL's, through pyogrio), or one chained onto such an error,
    would reach the server as a broken pickle, and the planner would get an internal
    error instead of the bilingual message: so a :class:`ParkgisError` is sent as a
    fresh copy of its four texts, anything else as a ``RuntimeError`` with its text
    (the server logs it and answers 500).
    """
    try:
        return fn(*args)
    except ParkgisError as exc:
        raise pickle.loads(pickle.dumps(exc)) from None
    except Exception as exc:  # unexpected errors keep their text, not their (perhaps unpicklable) class
        raise RuntimeError(f"{type(exc).__name__}: {exc}") from None


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
            return await asyncio.wrap_future(future)
        except concurrent.futures.TimeoutError:
            raise too_slow(timeout_s, *what) from None
        except ProcessExpired as exc:
            log.warning("worker stopped (exit code %s) while running %s", exc.exitcode, fn.__name__)
            raise worker_stopped() from None
        except asyncio.CancelledError:
            future.cancel()  # the client went away: stop the work (pebble ends that worker)
            raise

    def close(self) -> None:
        for pool in (self.site, self.jobs):
            pool.stop()
        for pool in (self.site, self.jobs):
            pool.join(timeout=10)
