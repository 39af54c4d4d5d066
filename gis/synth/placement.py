"""Where synthetic parcels go: rotated boxes drawn in strata (parks, town edges, countryside), kept apart.

A :class:`Stratum` says where one kind of parcel is drawn and how big it is;
:func:`fill_stratum` draws a stratum's quota inside the district by rejection
rounds, each round vectorised over all its candidates (numpy and shapely 2),
and keeps parcels from overlapping as long as the space allows. All geometry
here is in the working CRS (metres, :mod:`gis.geodesy.crs`).
"""

from __future__ import annotations

import logging

import geopandas as gpd
import numpy as np
import shapely

from gis.errors import InputError
from gis.geodesy.crs import WGS84, to_work

__all__ = ["MAX_COVERAGE", "SIDE_MEDIAN_M", "SIDE_MEDIAN_PARK_M", "Stratum", "fill_stratum", "sample_points_in",
           "union_work"]

log = logging.getLogger(__name__)

#: Median parcel side (m) per stratum; the Changxing base has shipyard-sized lots.
SIDE_MEDIAN_M = {"park": 66.0, "town": 60.0, "country": 52.0}
SIDE_MEDIAN_PARK_M = {"changxing_marine": 95.0}
_SIDE_MIN_M, _SIDE_MAX_M = 40.0, 300.0
_SIDE_SIGMA = 0.4  # lognormal spread of a parcel's first side
_ASPECT_SIGMA = 0.3  # lognormal spread of the second side relative to the first
_GRID_MAX_RAD = np.radians(15.0)  # orientation of a park's / village's street grid
_JITTER_DEG = 3.0  # each parcel's rotation about its grid
#: Share of a stratum's area its parcels may cover and still be packed without
#: overlaps by random sequential placement (the jamming limit of rectangles is
#: ≈ 0.55; beyond ≈ 0.45 the rejection rounds become slow).
MAX_COVERAGE = 0.45
_MAX_ROUNDS = 40
_MIN_YIELD = 0.1  # below this share of free candidates a round is not worth it
_KIND_ZH = {"park": "园区", "town": "镇区边缘（195）", "country": "农村（198）"}


def union_work(gdf: gpd.GeoDataFrame | None) -> shapely.Geometry | None:
    if gdf is None or len(gdf) == 0:
        return None
    return shapely.union_all(to_work(gdf.geometry.to_numpy(), crs=gdf.crs or WGS84))


def sample_points_in(geoms: np.ndarray, idx: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Uniform random points in ``geoms[idx]`` (bounding-box rejection, vectorised)."""
    shapely.prepare(geoms)
    x = np.empty(len(idx))
    y = np.empty(len(idx))
    todo = np.arange(len(idx))
    bounds = shapely.bounds(geoms)
    for _ in range(200):
        if todo.size == 0:
            break
        b = bounds[idx[todo]]
        px = b[:, 0] + rng.random(todo.size) * (b[:, 2] - b[:, 0])
        py = b[:, 1] + rng.random(todo.size) * (b[:, 3] - b[:, 1])
        ok = shapely.contains_xy(geoms[idx[todo]], px, py)
        x[todo[ok]], y[todo[ok]] = px[ok], py[ok]
        todo = todo[~ok]
    if todo.size:  # pathological slivers: fall back on a point surely inside
        pt = shapely.point_on_surface(geoms[idx[todo]])
        x[todo], y[todo] = shapely.get_x(pt), shapely.get_y(pt)
    return x, y


def _boxes(x, y, w, h, angle_rad) -> np.ndarray:
    """Rotated rectangles centred on (x, y) with sides w × h (metres)."""
    c, s = np.cos(angle_rad), np.sin(angle_rad)
    dx = np.array([-0.5, 0.5, 0.5, -0.5, -0.5])[None, :] * w[:, None]
    dy = np.array([-0.5, -0.5, 0.5, 0.5, -0.5])[None, :] * h[:, None]
    px = x[:, None] + dx * c[:, None] - dy * s[:, None]
    py = y[:, None] + dx * s[:, None] + dy * c[:, None]
    return shapely.polygons(np.stack([px, py], axis=-1))


def _free_of(cands: np.ndarray, placed: list[np.ndarray]) -> np.ndarray:
    """Mask of candidates overlapping neither a placed parcel nor an earlier candidate."""
    ok = np.ones(len(cands), dtype=bool)
    if placed:
        tree = shapely.STRtree(np.concatenate(placed))
        hit, _ = tree.query(cands, predicate="intersects")
        ok[hit] = False
    tree = shapely.STRtree(cands)
    i, j = tree.query(cands, predicate="intersects")
    later = j[(i < j) & ok[i]]
    ok[later] = False
    return ok


# --------------------------------------------------------------------------- strata


class Stratum:
    """Where and how one kind of parcel is drawn: parks, town edges or countryside."""

    def __init__(self, kind, groups, weights, area_m2, side_median, rng, land=None, exclude=None):
        self.kind = kind
        self.groups = groups  # polygons (work CRS) the centres are drawn in / around
        self.weights = weights / weights.sum()
        self.area_m2 = area_m2
        self.side_median = side_median  # per group
        self.angle0 = rng.uniform(-_GRID_MAX_RAD, _GRID_MAX_RAD, len(groups))
        self.land = land
        self.exclude = exclude

    def coverage(self, quota: int) -> float:
        """Share of the stratum's area ``quota`` parcels would cover."""
        # E[w·h] = median² · exp(2σw²) · exp(σh²/2) for the lognormal sides drawn below.
        spread = np.exp(2 * _SIDE_SIGMA**2 + _ASPECT_SIGMA**2 / 2)
        mean_area = float(np.sum(self.weights * self.side_median**2)) * spread
        return quota * mean_area / max(self.area_m2, 1.0)

    def draw(self, m: int, rng: np.random.Generator):
        g = rng.choice(len(self.groups), size=m, p=self.weights)
        if self.kind == "country":  # village clusters: scatter around the seed points
            x = shapely.get_x(self.groups[g]) + rng.normal(0, 350.0, m)
            y = shapely.get_y(self.groups[g]) + rng.normal(0, 350.0, m)
        else:
            x, y = sample_points_in(self.groups, g, rng)
        ok = np.ones(m, dtype=bool)
        if self.land is not None:
            ok &= shapely.contains_xy(self.land, x, y)
        if self.exclude is not None:
            ok &= ~shapely.contains_xy(self.exclude, x, y)
        med = self.side_median[g]
        w = np.clip(med * np.exp(rng.normal(0, _SIDE_SIGMA, m)), _SIDE_MIN_M, _SIDE_MAX_M)
        h = np.clip(w * np.exp(rng.normal(0, _ASPECT_SIGMA, m)), _SIDE_MIN_M, _SIDE_MAX_M)
        ang = self.angle0[g] + np.radians(rng.normal(0, _JITTER_DEG, m))
        return g[ok], x[ok], y[ok], w[ok], h[ok], ang[ok]


def fill_stratum(stratum: Stratum, quota: int, inner: shapely.Geometry, placed: list[np.ndarray],
          rng: np.random.Generator, avoid: bool) -> tuple[np.ndarray, np.ndarray]:
    """Draw ``quota`` parcels of a stratum inside ``inner``; overlap-free if ``avoid``."""
    geoms, groups = [], []
    need = quota
    for rnd in range(_MAX_ROUNDS + 100):
        if need <= 0:
            break
        g, x, y, w, h, a = stratum.draw(int(need * (2.0 if avoid else 1.2)) + 64, rng)
        c = shapely.contains_xy(inner, x, y)  # cheap pre-filter before building boxes
        g, x, y, w, h, a = g[c], x[c], y[c], w[c], h[c], a[c]
        boxes = _boxes(x, y, w, h, a)
        ok = shapely.contains(inner, boxes)
        if avoid and rnd < _MAX_ROUNDS:
            inside = int(ok.sum())
            ok[ok] = _free_of(boxes[ok], placed + geoms)
            if ok.sum() < _MIN_YIELD * max(inside, 1):  # locally full: stop checking
                avoid = False
                log.info("synth: %s parcels: space locally full; remaining overlaps allowed", stratum.kind)
        take = np.flatnonzero(ok)[:need]
        geoms.append(boxes[take])
        groups.append(g[take])
        need -= take.size
    if need > 0:
        raise InputError(
            f"无法在区界内生成 {quota} 个“{_KIND_ZH[stratum.kind]}”地块。",
            f"Could not place {quota} {stratum.kind} parcels inside the district.",
            "请检查区界、园区和建设区图层是否相交。",
            "Check that the district, parks and construction areas overlap.",
        )
    out = np.concatenate(geoms) if geoms else np.empty(0, dtype=object)
    placed.append(out)
    return out, (np.concatenate(groups) if groups else np.empty(0, dtype=int))
