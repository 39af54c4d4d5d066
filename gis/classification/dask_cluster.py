"""The dask.distributed client of the dask engine: a scheduler's, or a local cluster started and stopped here.

A local cluster runs one single-threaded worker process per usable core; a
running scheduler is reached by its address. Either way dask's INFO chatter
(start, stop, worker registration) stays out of the user's terminal.

Requires the ``dask`` extra: ``pip install 'parkgis[dask]'``.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator

from gis.errors import ParkgisError

__all__ = ["dask_client", "missing_dask", "usable_cores"]


def missing_dask() -> ParkgisError:
    """The error for a missing dask.distributed, naming the extra to install."""
    return ParkgisError(
        "--engine dask 需要 dask.distributed，当前环境未安装。",
        "--engine dask needs dask.distributed, which is not installed.",
        "安装：pip install 'parkgis[dask]'",
        "Install it: pip install 'parkgis[dask]'",
    )


def usable_cores() -> int:
    """Cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@contextlib.contextmanager
def _quiet_distributed() -> Iterator[None]:
    """Keep dask's INFO chatter (start, stop, worker registration) out of the user's terminal."""
    try:
        import distributed  # noqa: F401  (its import sets the "distributed" log level: set ours after)
    except ImportError as exc:
        raise missing_dask() from exc
    dlog = logging.getLogger("distributed")
    old = dlog.level
    dlog.setLevel(max(logging.WARNING, logging.getLogger().getEffectiveLevel()))
    try:
        yield
    finally:
        dlog.setLevel(old)


@contextlib.contextmanager
def dask_client(scheduler: str | None = None, n_workers: int | None = None, processes: bool = True):
    """A ``distributed.Client``: of the scheduler at ``scheduler``, else of a local cluster.

    Parameters
    ----------
    scheduler : str, optional
        Address of a running scheduler (``tcp://host:8786``).
    n_workers : int, optional
        Workers of the local cluster (default: :func:`usable_cores`), one thread each.
    processes : bool
        Local workers as processes (default) or threads.

    Yields
    ------
    distributed.Client
    """
    with _quiet_distributed():
        yield from _client(scheduler, n_workers, processes)


def _client(scheduler: str | None, n_workers: int | None, processes: bool):
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise missing_dask() from exc
    if scheduler:
        try:
            client = Client(scheduler, timeout="30s")
        except OSError as exc:
            raise ParkgisError(
                f"无法连接 dask 调度器 {scheduler}：{exc}",
                f"Cannot reach the dask scheduler {scheduler}: {exc}",
                "检查地址（如 tcp://10.0.0.5:8786）与网络；工作节点需安装同版本 parkgis。",
                "Check the address (e.g. tcp://10.0.0.5:8786) and the network; workers need the same parkgis.",
            ) from exc
        with client:
            yield client
        return
    # ":0": the scheduler's HTTP endpoint on a free port (8787 may be taken by another cluster).
    with LocalCluster(n_workers=n_workers or usable_cores(), threads_per_worker=1, processes=processes,
                      dashboard_address=":0", silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        yield client
