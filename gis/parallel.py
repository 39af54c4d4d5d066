"""Element-wise GEOS and PROJ calls split over threads.

GEOS (through shapely's array functions) and PROJ (through pyproj) release the
GIL, so on a machine with several cores a large array is processed in one
slice per thread. Only plain (unprepared) geometries may be shared between
threads: a prepared geometry's lazily built index is not safe to share, and a
pyproj ``Transformer`` is not either (each thread gets its own).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Callable

import numpy as np

__all__ = ["THREADS", "threaded", "slices", "serial", "workers"]

#: Threads for the element-wise calls.
THREADS = min(4, os.cpu_count() or 1)
#: Below this many elements a single thread is faster.
THREAD_MIN = 20_000


_local = threading.local()


@contextmanager
def serial() -> Iterator[None]:
    """Within this block (in this thread) element-wise calls run in one thread.

    For callers that already run several blocks of work in parallel threads.
    """
    before = getattr(_local, "serial", False)
    _local.serial = True
    try:
        yield
    finally:
        _local.serial = before


def workers() -> int:
    """Threads an element-wise call may use here and now (1 inside :func:`serial`)."""
    return 1 if getattr(_local, "serial", False) else THREADS


def slices(n: int, parts: int) -> list[slice]:
    """``parts`` contiguous slices covering ``range(n)``."""
    bounds = np.linspace(0, n, parts + 1).astype(int)
    return [slice(bounds[i], bounds[i + 1]) for i in range(parts)]


def threaded(func: Callable[..., np.ndarray], *arrays: np.ndarray) -> np.ndarray:
    """``func(*arrays)`` element-wise, split over :data:`THREADS` threads.

    ``func`` must return one value per element (an array as long as the inputs).
    """
    n = len(arrays[0])
    k = workers()
    if k <= 1 or n < THREAD_MIN:
        return func(*arrays)
    with ThreadPoolExecutor(k) as pool:
        parts = list(pool.map(lambda s: func(*(a[s] for a in arrays)), slices(n, k)))
    return np.concatenate(parts)
