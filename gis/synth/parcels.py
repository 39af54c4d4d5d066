"""Synthetic industrial parcels for demos, tests and benchmarks.

:func:`synth_parcels` draws box-ish parcels (40–300 m sides, slightly rotated)
clustered in the parks, around the towns' construction areas and in village
clusters in the countryside, all inside the district, and gives them the
attributes of DESIGN §5 with plausible, location-dependent values. Every
output row has ``synthetic = True``: these are not real enterprises.

Calibration (output density on parcel land, 亿元/km²): parks 12–35 (the
Changxing marine base highest), town edges (195) ≈ 6.5, countryside (198) ≈ 4.
The park figures bracket the plan's 2025 target of ≈ 25 亿元/km².

Placement is in :mod:`gis.synth.placement`, attributes in
:mod:`gis.synth.attributes`. Everything is vectorised (numpy and shapely 2 array functions); the only Python
loops run over rejection rounds and over the handful of parks and towns. 10⁵
parcels take ≈ 1.5 s and 10⁶ ≈ 15 s (≈ 1.5 GB peak). Parcels do not overlap as long as the
requested number fits comfortably in the space (the default sample does); a
request that cannot fit (a scale test) is filled without the overlap check.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gis.errors import InputError, LayerError
from gis.geodesy.crs import WGS84, from_work, to_work
from gis.io.vector import write_vector
from gis.layers.layerset import LayerSet, load_layers
from gis.synth.attributes import parcel_attributes
from gis.synth.placement import (
    MAX_COVERAGE,
    SIDE_MEDIAN_M,
    SIDE_MEDIAN_PARK_M,
    Stratum,
    fill_stratum,
    sample_points_in,
    union_work,
)

__all__ = ["STRATUM_SHARES", "land_from_riverbank", "layer_land", "synth_parcels", "write_synth_parcels"]

log = logging.getLogger(__name__)

#: Share of parcels placed in parks, at town edges (195) and in the countryside (198).
STRATUM_SHARES = (0.56, 0.25, 0.19)
_EDGE_MARGIN_M = 5.0  # parcels stay this far inside the district outline


def land_from_riverbank(riverbank: gpd.GeoDataFrame | None, district: gpd.GeoDataFrame,
                        gap_m: float = 300.0) -> gpd.GeoDataFrame | None:
    """Land enclosed by a shoreline layer, or None when it encloses too little.

    The islands' shorelines (the embedded ``riverbank``) are rings, cut here and
    there where a stretch belongs to a neighbour; gaps narrower than ``gap_m``
    are closed by buffering the lines, taking the holes of the buffer and
    growing them back. The result ∩ district keeps synthetic parcels off the
    tidal flats. Returns None when it covers less than a fifth of the district.
    """
    if riverbank is None or len(riverbank) == 0:
        return None
    dist_w = union_work(district)
    r = gap_m / 2
    lines = shapely.buffer(shapely.union_all(to_work(riverbank.geometry.to_numpy(), crs=riverbank.crs or WGS84)), r)
    holes = [shapely.Polygon(ring) for part in shapely.get_parts(lines) for ring in part.interiors]
    if not holes:
        return None
    land = shapely.intersection(shapely.buffer(shapely.union_all(holes), r), dist_w)
    if shapely.area(land) < 0.2 * shapely.area(dist_w):
        return None
    return gpd.GeoDataFrame(geometry=from_work(np.array([land], dtype=object)), crs=WGS84)



def layer_land(layers: LayerSet) -> gpd.GeoDataFrame | None:
    """Where parcels may lie on a layer set: its ``land`` layer, else the land its shoreline encloses, else None."""
    return layers.land if layers.land is not None else land_from_riverbank(layers.riverbank, layers.district)


def synth_parcels(n: int, district: gpd.GeoDataFrame, parks: gpd.GeoDataFrame | None,
                  construction_areas: gpd.GeoDataFrame | None, seed: int = 0, *,
                  land: gpd.GeoDataFrame | None = None,
                  shares: tuple[float, float, float] = STRATUM_SHARES) -> gpd.GeoDataFrame:
    """Generate ``n`` synthetic industrial parcels (deterministic for a seed).

    Parameters
    ----------
    n : int
        Number of parcels.
    district, parks, construction_areas : geopandas.GeoDataFrame
        Layers in EPSG:4326 (``parks`` may carry ``park_id`` and
        ``leading_industries``; either of parks / construction areas may be
        None or empty, then its share goes to the others).
    seed : int
        Random seed; the same seed and inputs give the same parcels.
    land : geopandas.GeoDataFrame, optional
        Where parcels may lie (e.g. the islands' land without tidal flats);
        default the whole district.
    shares : (float, float, float)
        Shares of parcels in parks, at town edges (195) and in the countryside (198).

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326 polygons with ``parcel_id``, ``enterprise_zh``, ``industry``
        (GB/T 4754 class, string), ``land_use``, ``output_wan``, ``revenue_wan``,
        ``value_added_wan``, ``tax_wan``, ``rd_wan`` (万元), ``energy_tce`` (tce),
        ``employees``, ``high_tech``, ``synthetic`` (always True).
    """
    if int(n) != n or n < 0:
        raise InputError(f"地块数须为非负整数，而不是 {n}。",
                         f"The number of parcels must be a whole number ≥ 0, not {n}.")
    n = int(n)
    rng = np.random.default_rng(seed)
    space = _space(district, parks, construction_areas, land)
    w = np.where(space.areas > 0, np.asarray(shares, dtype="float64"), 0.0)
    if n and w.sum() <= 0:
        raise LayerError("区界内没有可放置地块的范围。", "There is no room for parcels inside the district.",
                         "请检查 land 与区界图层是否相交。", "Check that the land and district layers overlap.")
    quota = np.floor(w / max(w.sum(), 1e-12) * n).astype(int)
    quota[int(np.argmax(w))] += n - quota.sum()
    geom_w, kind, group = _place(_strata(space, parks, quota, rng), quota, space.inner, n, rng)

    # Shuffle so that ids say nothing about the stratum.
    order = rng.permutation(len(geom_w))
    geom_w, kind, group = geom_w[order], kind[order], group[order]
    # The boxes are built in WORK_CRS, so this is the same metric area the
    # overlay computes with to_work + shapely.area.
    attrs = parcel_attributes(kind, group, shapely.area(geom_w), parks if space.parks.size else None, rng)
    width = max(7, len(str(n)))
    ids = pd.Series(np.arange(1, n + 1)).astype(str).str.zfill(width)
    attrs.insert(0, "parcel_id", ("P" + ids).to_numpy())
    attrs["synthetic"] = True
    for col in ("parcel_id", "enterprise_zh", "industry", "land_use"):
        attrs[col] = attrs[col].astype(str)
    geom = from_work(geom_w)
    del geom_w
    return gpd.GeoDataFrame(attrs, geometry=geom, crs=WGS84)


def write_synth_parcels(n: int, path, layers: LayerSet | str | None = None, *, seed: int = 0) -> gpd.GeoDataFrame:
    """Synthetic parcels over a layer set, kept off the tidal flats, written to a file (``parkgis synth``).

    Parameters
    ----------
    n : int
        Number of parcels.
    path : str or Path
        Output file (.gpkg, .geojson, .shp, .parquet…); never the layer source
        or a file it points to.
    layers : LayerSet or layer source, optional
        Default: the embedded Chongming layers. Its ``land`` layer, else its
        ``riverbank`` shoreline when it encloses the land (:func:`land_from_riverbank`),
        keeps parcels on land.
    seed : int
        Random seed.

    Returns
    -------
    geopandas.GeoDataFrame
        The parcels written (:func:`synth_parcels`).
    """
    ls = layers if isinstance(layers, LayerSet) else load_layers(layers)
    gdf = synth_parcels(n, ls.district, ls.parks, ls.construction_areas, seed=seed, land=layer_land(ls))
    # Never write over the layer source or a file it points to.
    inputs = [layers] if layers and not isinstance(layers, LayerSet) else []
    inputs += [m["file"] for m in ls.meta.values() if m.get("file")]
    write_vector(gdf, path, inputs=inputs)
    return gdf


@dataclass
class _Space:
    """Where parcels may go, in the working CRS (metres)."""

    inner: shapely.Geometry  # the district shrunk by the edge margin
    land: shapely.Geometry  # land ∩ district: where centres may fall
    parks: np.ndarray  # park polygons
    park_grow: np.ndarray  # park polygons grown a little, on land
    town_grow: np.ndarray  # construction areas grown a little, on land
    parks_union: shapely.Geometry | None
    rural: shapely.Geometry  # land outside parks and construction areas
    areas: np.ndarray  # m² of the park, town-edge and countryside strata


def _work(gdf: gpd.GeoDataFrame | None) -> np.ndarray:
    if gdf is None or not len(gdf):
        return np.empty(0, dtype=object)
    return to_work(gdf.geometry.to_numpy(), crs=gdf.crs or WGS84)


def _space(district, parks, construction_areas, land) -> _Space:
    dist = union_work(district)
    if dist is None or dist.is_empty:
        raise LayerError("区界图层为空，无法生成地块。", "The district layer is empty: cannot place parcels.")
    land_w = dist if land is None else shapely.intersection(union_work(land), dist)
    # Parcels lie wholly inside the district and, when the land is given, on it (not in the river).
    inner = shapely.buffer(land_w, -_EDGE_MARGIN_M)
    for g in (inner, land_w):
        shapely.prepare(g)
    parks_w, cons_w = _work(parks), _work(construction_areas)
    parks_u = shapely.union_all(parks_w) if parks_w.size else None
    cons_u = shapely.union_all(cons_w) if cons_w.size else None
    # Where each stratum's centres are drawn (work CRS). Centres may fall up to
    # 40 m outside a park and 150 m outside a construction area, so some
    # parcels straddle zone edges.
    park_grow = shapely.intersection(shapely.buffer(parks_w, 40.0), land_w)
    town_grow = shapely.intersection(shapely.buffer(cons_w, 150.0), land_w)
    rural = land_w
    for u in (parks_u, cons_u):
        if u is not None:
            rural = shapely.difference(rural, u)
    town_area = float(shapely.area(shapely.union_all(town_grow))) if town_grow.size else 0.0
    if town_area and parks_u is not None:
        town_area = float(shapely.area(shapely.difference(shapely.union_all(town_grow), parks_u)))
    areas = np.array([float(shapely.area(park_grow).sum()) if park_grow.size else 0.0, town_area,
                      float(shapely.area(rural))])
    return _Space(inner, land_w, parks_w, park_grow, town_grow, parks_u, rural, areas)


def _strata(space: _Space, parks, quota: np.ndarray, rng: np.random.Generator) -> list[tuple[int, Stratum]]:
    """The strata with a quota, as (kind code, stratum): 0 parks, 1 town edges, 2 countryside."""
    strata = []
    if quota[0]:
        ids = parks["park_id"].astype(str).to_numpy() if "park_id" in parks else np.array([""] * len(parks))
        med = np.array([SIDE_MEDIAN_PARK_M.get(i, SIDE_MEDIAN_M["park"]) for i in ids])
        # Parcels per park ∝ area / parcel size, so every park is equally full.
        strata.append((0, Stratum("park", space.park_grow, shapely.area(space.park_grow) / med**2, space.areas[0],
                                  med, rng)))
    if quota[1]:
        if space.parks_union is not None:
            shapely.prepare(space.parks_union)
        strata.append((1, Stratum("town", space.town_grow, shapely.area(space.town_grow), space.areas[1],
                                  np.full(len(space.town_grow), SIDE_MEDIAN_M["town"]), rng,
                                  exclude=space.parks_union)))
    if quota[2]:
        # Village clusters: about six parcels per seed point.
        k = max(1, int(quota[2]) // 6)
        sx, sy = sample_points_in(np.array([space.rural], dtype=object), np.zeros(k, dtype=int), rng)
        strata.append((2, Stratum("country", shapely.points(sx, sy), np.ones(k), space.areas[2],
                                  np.full(k, SIDE_MEDIAN_M["country"]), rng, land=space.land)))
    return strata


def _place(strata, quota: np.ndarray, inner: shapely.Geometry, n: int, rng: np.random.Generator):
    """Parcel boxes (work CRS) of every stratum, with their kind codes and groups."""
    # Overlaps are avoided only when every stratum fits: a request that cannot
    # fit (a scale test) gets overlapping parcels anyway, and checking would cost
    # more than the rest of the generation.
    cover = {st.kind: st.coverage(int(quota[k])) for k, st in strata}
    avoid = all(c <= MAX_COVERAGE for c in cover.values())
    if not avoid:
        log.info("synth: %d parcels cannot all fit without overlaps (coverage %s); overlaps allowed", n,
                 ", ".join(f"{k} {c:.2f}" for k, c in cover.items()))
    placed: list[np.ndarray] = []
    geoms, kinds, groups = [], [], []
    for k, st in strata:
        g, grp = fill_stratum(st, int(quota[k]), inner, placed, rng, avoid)
        geoms.append(g)
        kinds.append(np.full(len(g), k))
        groups.append(grp)
    geom_w = np.concatenate(geoms) if geoms else np.empty(0, dtype=object)
    kind = np.concatenate(kinds) if kinds else np.empty(0, dtype=int)
    group = np.concatenate(groups) if groups else np.empty(0, dtype=int)
    return geom_w, kind, group
