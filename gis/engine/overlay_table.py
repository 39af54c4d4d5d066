"""The overlay table: the geometric columns of DESIGN §4 for geometries in the working CRS.

:func:`overlay_table` is the engine's one entry point for the stages above it
(classification, the siting check, the dask engine): shares of the zones, the
park and town holding the largest part, the riverbank distance, the 1 km zone,
the strategic reserve and whether a part lies seaward of the shoreline, for a
whole array of geometries at once. The coverages and indexes it needs are built
once per :class:`~gis.layers.layerset.LayerSet` (:func:`engine_indexes`) and kept on it.

Land and water (DESIGN §4, §6): with a ``land`` layer, the district outside it
(``water``: the river and the tidal flats) is one more coverage. A parcel with a
part in it is ``in_water``: it lies (partly) seaward of the shore, so its
distance to the riverbank is 0 and it is in the 1 km zone; its
``yangtze_1km_share`` counts the water side as inside the zone (the ``yangtze_1km``
layer itself stays the band of DESIGN §3). Without a ``land`` layer nothing is
judged ``in_water``.

Towns: a parcel in a park takes the park's town (``parks.town_zh``) where the
parks layer gives one; else the town holding its largest part (``towns``, else
the construction areas).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import shapely

from gis.engine.convex_overlap import convex_single_polygons
from gis.engine.coverage import build_coverage, coverage_shares, intersects_any, measure
from gis.engine.locate import build_group, coverage_contacts, locate
from gis.engine.riverbank_distance import build_line_index, nearest_distance
from gis.geomarrays import POLYGON_TYPES, present
from gis.layers.layerset import LayerSet
from gis.lookup import map_values

__all__ = ["overlay_table", "overlay_arrays", "engine_indexes", "frame_over", "SHARE_TOL"]

#: A share below this (of the parcel's own area) is treated as an edge touch, not a part.
SHARE_TOL = 1e-6


def engine_indexes(layers: LayerSet) -> dict:
    """Coverages and indexes of a LayerSet, built once and cached on it."""
    cache = layers.engine_cache
    if cache:
        return cache
    park_ids = layers.parks["park_id"].astype(str).to_numpy()
    # When 195 and 198 are derived, 198 is exactly district − 104 − 195: its share
    # is then the parcel's in-district share minus the other two, and the 198
    # polygons (the largest, full of holes) need no intersections at all.
    complement = bool(layers.meta.get("zone_195", {}).get("derived")
                      and layers.meta.get("zone_198", {}).get("derived"))
    parts = [layers.work("zone_104"), layers.work("zone_195")] + ([] if complement else [layers.work("zone_198")])
    labels = [np.array([f"104:{p}" for p in park_ids], dtype=object), np.array(["195"], dtype=object)]
    if not complement:
        labels.append(np.array(["198"], dtype=object))
    cache["zones"] = build_coverage(np.concatenate(parts), np.concatenate(labels))
    cache["district"] = build_coverage(layers.work("district"),
                                       np.zeros(len(layers.work("district")), dtype=object)) if complement else None
    town_layer = layers.towns if layers.towns is not None else layers.construction_areas
    town_role = "towns" if layers.towns is not None else "construction_areas"
    names = town_layer["town_zh"].fillna("").astype(str).to_numpy() if "town_zh" in town_layer else None
    if names is not None and (names != "").any():
        keep = names != ""
        cache["towns"] = build_coverage(layers.work(town_role)[keep], names[keep])
    else:
        cache["towns"] = None
    # Seaward of the shore counts as 0 m from it: the water side is inside the 1 km zone too.
    y1 = np.concatenate([layers.work("yangtze_1km"), layers.work("water")])
    cache["y1km"] = build_coverage(y1, np.full(len(y1), "y1km", dtype=object))
    cache["water"] = build_coverage(layers.work("water"), np.zeros(1, dtype=object)) \
        if layers.water is not None else None
    cache["park_town"] = _park_towns(layers)
    if layers.strategic_reserve is not None:
        cache["reserve"] = build_coverage(layers.work("strategic_reserve"),
                                          np.zeros(len(layers.strategic_reserve), dtype=object))
    else:
        cache["reserve"] = None
    cache["river"] = build_line_index(layers.work("riverbank"))
    # The coverages whose shares are computed, located together in one query each.
    names = [k for k in ("zones", "district", "towns", "y1km", "water") if cache[k] is not None]
    cache["group"] = build_group([cache[k] for k in names])
    cache["group_index"] = {k: i for i, k in enumerate(names)}
    return cache


def overlay_table(geoms_w: np.ndarray, layers: LayerSet) -> pd.DataFrame:
    """The geometric columns of DESIGN §4 for geometries in the working CRS.

    Parameters
    ----------
    geoms_w : numpy.ndarray of shapely.Geometry
        Valid parcels in :data:`gis.geodesy.crs.WORK_CRS` (None/empty allowed).
    layers : LayerSet

    Returns
    -------
    pandas.DataFrame
        ``area_m2``, ``share_104/195/198/outside``, ``zone``, ``park_id``,
        ``town``, ``riverbank_m`` (metres), ``yangtze_1km``, ``yangtze_1km_share``,
        ``in_reserve``, ``in_water`` and the internal ``_measure``, ``_straddles``,
        ``_partly_out``, ``_outside``.
    """
    return frame_over(overlay_arrays(geoms_w, layers))


def frame_over(cols: dict[str, np.ndarray]) -> pd.DataFrame:
    """A DataFrame over the arrays, not a copy of them; text stays ``object`` (no conversion to Arrow strings)."""
    return pd.DataFrame({k: pd.Series(v, dtype=object, copy=False) if v.dtype == object else v
                         for k, v in cols.items()}, copy=False)


def overlay_arrays(geoms_w: np.ndarray, layers: LayerSet) -> dict[str, np.ndarray]:
    """:func:`overlay_table`'s columns as a dict of numpy arrays (same parameters)."""
    eng = engine_indexes(layers)
    n = len(geoms_w)
    own = measure(geoms_w)
    tid = np.full(n, -1)
    ok = present(geoms_w)
    tid[ok] = shapely.get_type_id(geoms_w[ok])
    area = np.where(np.isin(tid, POLYGON_TYPES), own, 0.0)
    shares = _shares_by_coverage(geoms_w, own, eng, ok)
    zones = _zone_columns(shares, eng, n)
    town = _town_column(shares, eng, zones["park_id"], n)
    in_water = ok & (shares("water")[:, 0] > SHARE_TOL) if eng["water"] is not None else np.zeros(n, dtype=bool)
    river = nearest_distance(geoms_w, eng["river"], valid=ok)
    river[in_water] = 0.0  # (partly) seaward of the shore: on the bank's water side
    y1 = shares("y1km")[:, 0]
    reserve = intersects_any(geoms_w, eng["reserve"], valid=ok) if eng["reserve"] is not None else np.zeros(n, bool)
    in_district = zones.pop("in_district")
    return {
        "area_m2": area,
        **{k: zones[k] for k in ("share_104", "share_195", "share_198", "share_outside", "zone", "park_id")},
        "town": town,
        "riverbank_m": river,
        "yangtze_1km": np.nan_to_num(river, nan=np.inf) <= layers.buffer_m,
        "yangtze_1km_share": y1,
        "in_reserve": reserve,
        "in_water": in_water,
        "_measure": own,
        "_straddles": zones["_straddles"],
        "_partly_out": in_district & (zones["share_outside"] > SHARE_TOL),
        "_outside": ok & ~in_district,
    }


def _park_towns(layers: LayerSet) -> dict[str, str]:
    """Park id → the park's town (``parks.town_zh``), for the parks that name one."""
    parks = layers.parks
    if "town_zh" not in parks.columns:
        return {}
    towns = parks["town_zh"].astype(object)
    has = towns.notna().to_numpy() & (towns.astype(str).str.strip() != "").to_numpy()
    return dict(zip(parks["park_id"].astype(str).to_numpy()[has], towns.astype(str).to_numpy()[has], strict=True))


def _town_column(shares: Callable[[str], np.ndarray], eng: dict, park_id: np.ndarray, n: int) -> np.ndarray:
    """The park's town for a parcel in a park that names one, else the town holding the largest part."""
    town = np.full(n, None, dtype=object)
    if eng["towns"] is not None:
        ts = shares("towns")
        tbest = np.argmax(ts, axis=1)
        has = ts.max(axis=1) > SHARE_TOL
        town[has] = np.array(eng["towns"].names, dtype=object)[tbest[has]]
    if eng["park_town"]:
        in_park = map_values(park_id, eng["park_town"])
        named = ~pd.isna(in_park)
        town[named] = in_park[named]
    return town


def _shares_by_coverage(geoms_w: np.ndarray, own: np.ndarray, eng: dict,
                        ok: np.ndarray) -> Callable[[str], np.ndarray]:
    """The shares of the parcels in a coverage of the group, by name; located once for all coverages."""
    crossing, inner_label, contacts = locate(geoms_w, eng["group"], return_contacts=True, valid=ok)
    # which crossing parcels can take the numpy overlap path (checked once for all coverages)
    convex = np.zeros(len(geoms_w), dtype=bool)
    any_cross = np.flatnonzero(crossing.any(axis=1))
    convex[any_cross] = convex_single_polygons(geoms_w[any_cross])

    def shares(name: str) -> np.ndarray:
        j = eng["group_index"][name]
        located = crossing[:, j], inner_label[:, j], coverage_contacts(eng["group"], contacts, j)
        return coverage_shares(geoms_w, own, eng[name], located=located, valid=ok, convex=convex)

    return shares


def _zone_columns(shares: Callable[[str], np.ndarray], eng: dict, n: int) -> dict[str, np.ndarray]:
    """Zone shares (104/195/198/outside), the zone, the park, and whether a parcel straddles zones."""
    zc = eng["zones"]
    zs = shares("zones")
    is_park = np.array([str(nm).startswith("104:") for nm in zc.names])
    s104 = zs[:, is_park].sum(axis=1)
    s195 = zs[:, zc.names.index("195")] if "195" in zc.names else np.zeros(n)
    if eng["district"] is not None:
        in_dist = shares("district")[:, 0]
        s198 = np.clip(in_dist - s104 - s195, 0.0, 1.0)
        s198[s198 < 1e-12] = 0.0  # rounding noise of a parcel wholly in 104/195
    else:
        s198 = zs[:, zc.names.index("198")] if "198" in zc.names else np.zeros(n)
    inside = s104 + s195 + s198
    over = inside > 1.0
    if over.any():  # numeric noise on shared edges
        s104[over], s195[over], s198[over] = (s104[over] / inside[over], s195[over] / inside[over],
                                              s198[over] / inside[over])
        inside = s104 + s195 + s198
    s_out = np.clip(1.0 - inside, 0.0, 1.0)
    s_out[s_out < 1e-12] = 0.0  # rounding noise of a parcel wholly inside
    stack = np.column_stack([s104, s195, s198])
    # argmax takes the first maximum: ties go 104 > 195 > 198 (DESIGN §4).
    best = np.argmax(stack, axis=1)
    in_district = inside > SHARE_TOL
    zone = np.where(in_district, np.array(["104", "195", "198"], dtype=object)[best], None)

    park_names = np.array([nm[4:] for nm in np.array(zc.names, dtype=object)[is_park]], dtype=object)
    park_id = np.full(n, None, dtype=object)
    if is_park.any():
        pz = zs[:, is_park]
        pbest = np.argmax(pz, axis=1)
        sel = (zone == "104") & (pz.max(axis=1) > 0)
        park_id[sel] = park_names[pbest[sel]]
    return {"share_104": s104, "share_195": s195, "share_198": s198, "share_outside": s_out, "zone": zone,
            "park_id": park_id, "in_district": in_district, "_straddles": (stack > SHARE_TOL).sum(axis=1) > 1}
