"""A raster of boundary cells: which parcels can meet a coverage boundary, in numpy.

Most parcels lie far from every zone, town and 1 km-zone boundary. Asking an
STRtree about each of them costs about a microsecond per parcel and coverage;
this grid answers the same question for a whole array of bounding boxes with a
few numpy operations:

* every cell that a coverage's true boundary passes through (or touches) is
  *marked* for that coverage — conservatively, so a boundary is never missed;
* a summed-area table per coverage gives, for any parcel's bounding box, the
  number of marked cells it overlaps in O(1);
* a parcel whose box overlaps no marked cell of a coverage cannot meet that
  coverage's boundary: it lies wholly inside one label (or outside all), and
  that label is the label of any of its cells — looked up once per distinct
  cell, not per parcel.

Parcels whose box does overlap a marked cell are only *candidates*: the caller
checks them exactly (STRtree with the ``intersects`` predicate).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

__all__ = ["CellGrid", "build_cell_grid", "CELL_M"]

#: Default cell size (metres); grown for very large extents (see MAX_CELLS).
CELL_M = 50.0
#: Upper bound on the number of cells (memory: 8 bytes each in the summed-area table).
MAX_CELLS = 4_000_000
#: Tolerance (metres) by which boxes are widened before finding their cells, so
#: that a boundary lying exactly on a cell line marks the cells on both sides.
_EPS = 1e-3


@dataclass
class CellGrid:
    """Summed-area tables of boundary cells for K coverages on one grid.

    Attributes
    ----------
    x0, y0 : float
        Lower-left corner of the grid (metres).
    cell : float
        Cell size (metres).
    nx, ny : int
        Columns and rows.
    sat : numpy.ndarray of int64, shape (ny + 1, nx + 1)
        Summed-area table of the marked cells, the K coverages packed into
        ``bits``-wide fields (coverage ``k`` in bits ``bits·k`` to
        ``bits·k + bits − 1``): ``sat[j, i]`` holds, per coverage, the number of
        marked cells in rows ``< j`` and columns ``< i``, modulo 2**bits. The
        inclusion–exclusion sum over a box is linear, so it gives each
        coverage's exact count as long as no box holds 2**bits cells; boxes that
        large are reported as near every boundary without looking.
    bits : int
        Width of a coverage's field: 16 for up to 4 coverages, 64 // K beyond
        (12 for 5: boxes up to 4,095 cells, ≈ 3 km square at 50 m cells).
    """

    x0: float
    y0: float
    cell: float
    nx: int
    ny: int
    k: int
    sat: np.ndarray
    bits: int = 16

    def _span(self, lo: np.ndarray, hi: np.ndarray, origin: float, n: int) -> tuple[np.ndarray, np.ndarray]:
        # The two outer rings of cells are never marked, so clamping a span that
        # leaves the grid onto them adds nothing.
        a = np.clip(np.floor((lo - _EPS - origin) / self.cell), 0, n - 1).astype(np.int64)
        b = np.clip(np.floor((hi + _EPS - origin) / self.cell), 0, n - 1).astype(np.int64)
        return a, b

    def marked_in_boxes(self, bounds: np.ndarray) -> np.ndarray:
        """Whether each box overlaps a marked cell, per coverage.

        Parameters
        ----------
        bounds : numpy.ndarray, shape (n, 4)
            ``xmin, ymin, xmax, ymax`` of each box (no NaN).

        Returns
        -------
        numpy.ndarray of bool, shape (n, K)
        """
        i0, i1 = self._span(bounds[:, 0], bounds[:, 2], self.x0, self.nx)
        j0, j1 = self._span(bounds[:, 1], bounds[:, 3], self.y0, self.ny)
        s = self.sat
        packed = (s[j1 + 1, i1 + 1] - s[j0, i1 + 1] - s[j1 + 1, i0] + s[j0, i0]).view(np.uint64)
        k, bits = self.k, self.bits
        mask = np.uint64((1 << bits) - 1)
        out = np.empty((len(bounds), k), dtype=bool)
        for c in range(k):
            out[:, c] = (packed >> np.uint64(bits * c)) & mask != 0
        huge = (i1 - i0 + 1) * (j1 - j0 + 1) >= 1 << bits
        out[huge] = True
        return out

    def cell_of(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Flat cell index of each point (``-1`` off the grid)."""
        i = np.floor((x - self.x0) / self.cell)
        j = np.floor((y - self.y0) / self.cell)
        on = (i >= 0) & (i < self.nx) & (j >= 0) & (j < self.ny)
        out = np.full(len(x), -1, dtype=np.int64)
        out[on] = j[on].astype(np.int64) * self.nx + i[on].astype(np.int64)
        return out

    def cell_centres(self, flat: np.ndarray) -> np.ndarray:
        """Centre points of flat cell indices."""
        j, i = np.divmod(flat, self.nx)
        return shapely.points(self.x0 + (i + 0.5) * self.cell, self.y0 + (j + 0.5) * self.cell)


def build_cell_grid(edges: list[np.ndarray], extent: tuple[float, float, float, float],
                    cell: float = CELL_M) -> CellGrid:
    """Mark the cells that each coverage's boundary segments pass through.

    Parameters
    ----------
    edges : list of numpy.ndarray of shapely.LineString
        For each coverage, the segments of its true boundaries (metres).
    extent : (xmin, ymin, xmax, ymax)
        Area the grid must cover: everything that any coverage labels.
    cell : float
        Cell size (metres); grown when the extent would need more than
        :data:`MAX_CELLS` cells.
    """
    xmin, ymin, xmax, ymax = extent
    w, h = max(xmax - xmin, cell), max(ymax - ymin, cell)
    cell = max(cell, float(np.sqrt(w * h / MAX_CELLS)))
    x0, y0 = xmin - 2 * cell, ymin - 2 * cell
    nx = int(np.ceil(w / cell)) + 4
    ny = int(np.ceil(h / cell)) + 4
    k = len(edges)
    if k > 8:
        raise ValueError("a CellGrid packs at most 8 coverages")
    bits = min(16, 64 // max(k, 1))
    marks = np.zeros((k, ny, nx), dtype=np.uint8)
    for c, segs in enumerate(edges):
        if segs is None or len(segs) == 0:
            continue
        xy = shapely.get_coordinates(segs).reshape(-1, 2, 2)
        a, b = xy[:, 0], xy[:, 1]
        # Split each segment into pieces no longer than half a cell: each piece's
        # box then spans at most two cells in x and in y.
        m = np.maximum(np.ceil(np.hypot(*(b - a).T) / (cell / 2)), 1).astype(np.int64)
        seg = np.repeat(np.arange(len(a)), m)
        step = np.arange(len(seg)) - np.repeat(np.cumsum(m) - m, m)
        t0 = (step / m[seg])[:, None]
        t1 = ((step + 1) / m[seg])[:, None]
        p = a[seg] + (b[seg] - a[seg]) * t0
        q = a[seg] + (b[seg] - a[seg]) * t1
        lo, hi = np.minimum(p, q), np.maximum(p, q)
        ia = np.clip(np.floor((lo[:, 0] - _EPS - x0) / cell), 0, nx - 1).astype(np.int64)
        ib = np.clip(np.floor((hi[:, 0] + _EPS - x0) / cell), 0, nx - 1).astype(np.int64)
        ja = np.clip(np.floor((lo[:, 1] - _EPS - y0) / cell), 0, ny - 1).astype(np.int64)
        jb = np.clip(np.floor((hi[:, 1] + _EPS - y0) / cell), 0, ny - 1).astype(np.int64)
        for ii in (ia, ib):
            for jj in (ja, jb):
                marks[c, jj, ii] = 1
    packed = np.zeros((ny, nx), dtype=np.int64)
    for c in range(k):
        packed |= marks[c].astype(np.int64) << (bits * c)
    sat = np.zeros((ny + 1, nx + 1), dtype=np.int64)
    # int64 wraps on overflow; the fields stay exact modulo 2**bits (see CellGrid.sat).
    sat[1:, 1:] = packed.cumsum(axis=0).cumsum(axis=1)
    return CellGrid(x0=x0, y0=y0, cell=cell, nx=nx, ny=ny, k=k, sat=sat, bits=bits)
