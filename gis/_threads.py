"""Element-wise GEOS and PROJ calls split over threads.

GEOS (through shapely's array functions) and PROJ (through pyproj) release the
GIL, so on a machine with several cores a large array is processed in one
slice per thread. Only plain (unprepared) geometries may be shared between
threads: a prepared geometry's lazily built index is not safe to share, and a
pyproj ``Transformer`` is not either (each thread gets its own).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Callable

import numpy as np

__all__ = ["THREADS", "threaded", "slices"]

#: Threads for the element-wise calls.
THREADS = min(4, os.cpu_count() or 1)
#: Below this many elements a single thread is faster.
THREAD_MIN = 20_000


def slices(n: int, parts: int) -> list[slice]:
    """``parts`` contiguous slices covering ``range(n)``."""
    bounds = np.linspace(0, n, parts + 1).astype(int)
    return [slice(bounds[i], bounds[i + 1]) for i in range(parts)]


def threaded(func: Callable[..., np.ndarray], *arrays: np.ndarray) -> np.ndarray:
    """``func(*arrays)`` element-wise, split over :data:`THREADS` threads.

    ``func`` must return one value per element (an array as long as the inputs).
    """
    n = len(arrays[0])
    if THREADS <= 1 or n < THREAD_MIN:
        return func(*arrays)
    with ThreadPoolExecutor(THREADS) as pool:
        parts = list(pool.map(lambda s: func(*(a[s] for a in arrays)), slices(n, THREADS)))
    return np.concatenate(parts)
