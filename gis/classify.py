"""Classification: parcels in, one row per parcel out (DESIGN §4).

:func:`classify` normalises the parcels (CRS, datum, validity), runs the
overlay engine (:mod:`gis.overlay`) against a :class:`~gis.layers.LayerSet`,
sets the flags, and lets the rule modules decide ``action``. Every input
feature appears in the output exactly once, with its attributes and its
original geometry (in its own CRS).
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gis._threads import serial, slices, workers
from gis._threads import threaded as _threaded
from gis.crs import WGS84, check_crs, convert_geometries, needs_densify, to_work
from gis.errors import DatumError, FieldError
from gis.geomarrays import present
from gis.convex_overlap import convex_single_polygons
from gis.layers import LayerSet, load_layers
from gis.bank_distance import build_line_index, nearest_distance
from gis.overlay import (
    build_coverage,
    build_group,
    coverage_contacts,
    coverage_shares,
    intersects_any,
    locate,
    measure,
)
from gis.rules import RuleSet, apply_classification, load_rules

__all__ = ["classify", "overlay_table", "RESULT_COLUMNS", "FLAGS"]

log = logging.getLogger(__name__)

#: DESIGN §4 columns, in output order.
RESULT_COLUMNS = [
    "parcel_id", "area_m2", "share_104", "share_195", "share_198", "share_outside", "zone", "action",
    "rule", "park_id", "town", "riverbank_m", "yangtze_1km", "yangtze_1km_share", "in_reserve", "flags",
    "reason_zh", "reason_en",
]
FLAGS = ("straddles_zone", "partly_outside_district", "outside_district", "geometry_repaired",
         "no_geometry", "duplicate_id", "not_polygon")

#: A share below this (of the parcel's own area) is treated as an edge touch, not a part.
SHARE_TOL = 1e-6
#: Parcels are processed in chunks of at most this many rows (bounded memory, progress bar).
CHUNK = 200_000
#: From this many parcels on, chunks run side by side in threads.
PARALLEL_MIN = 50_000

_POLY_T = (3, 6)
_NON_POLY_T = (0, 1, 2, 4, 5)


def _engine(layers: LayerSet) -> dict:
    """Coverages and indexes of a LayerSet, built once and cached on it."""
    cache = layers._engine
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
    cache["y1km"] = build_coverage(layers.work("yangtze_1km"), np.array(["y1km"], dtype=object))
    if layers.strategic_reserve is not None:
        cache["reserve"] = build_coverage(layers.work("strategic_reserve"),
                                          np.zeros(len(layers.strategic_reserve), dtype=object))
    else:
        cache["reserve"] = None
    cache["river"] = build_line_index(layers.work("riverbank"))
    # The coverages whose shares are computed, located together in one query each.
    names = [k for k in ("zones", "district", "towns", "y1km") if cache[k] is not None]
    cache["group"] = build_group([cache[k] for k in names])
    cache["group_index"] = {k: i for i, k in enumerate(names)}
    return cache


def _repair(g: np.ndarray, tid: np.ndarray) -> np.ndarray:
    """Mask of invalid geometries, repaired in place with ``make_valid``."""
    ok = present(g)
    invalid = np.zeros(len(g), dtype=bool)
    invalid[ok] = ~_threaded(shapely.is_valid, g[ok])
    if invalid.any():
        fixed = shapely.make_valid(g[invalid])
        # A repaired polygon keeps only its polygonal parts (make_valid may add lines).
        was_poly = np.isin(tid[invalid], _POLY_T)
        fixed[was_poly] = _dominant_parts(fixed[was_poly])
        g[invalid] = fixed
    return invalid


def _prepare_geometries(geoms: np.ndarray, crs) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Project to the working CRS with repairs.

    Returns (geometries in metres, no_geometry, repaired, not_polygon). Validity
    is judged on the projected geometry the engine computes with: an invalid
    input stays invalid when projected (the projection moves no vertex across
    another), and an edge that bends when projected can, rarely, make a valid
    input touch itself — that one is repaired too. Geometries large enough to
    be densified are checked before projecting as well, since GEOS rebuilds an
    invalid polygon while densifying it.
    """
    g = np.asarray(geoms, dtype=object).copy()
    missing = shapely.is_missing(g)
    missing[~missing] = shapely.is_empty(g[~missing])
    tid = np.full(len(g), -1)
    tid[~missing] = shapely.get_type_id(g[~missing])
    # Geometry collections: keep their polygonal parts, else lines, else points.
    gc = tid == 7
    if gc.any():
        g[gc] = _dominant_parts(g[gc])
        tid[gc] = shapely.get_type_id(g[gc])
    big = np.zeros(len(g), dtype=bool)
    big[~missing] = needs_densify(g[~missing], crs)
    repaired = np.zeros(len(g), dtype=bool)
    if big.any():
        sub = g[big]
        repaired[big] = _repair(sub, tid[big])
        g[big] = sub
    w = to_work(g, crs)
    repaired |= _repair(w, tid)
    present = ~missing
    empty_now = present & shapely.is_empty(w)
    not_poly = present & np.isin(tid, _NON_POLY_T)
    return w, missing | empty_now, repaired, not_poly


def _dominant_parts(geoms: np.ndarray) -> np.ndarray:
    """Keep the highest-dimension parts of each geometry (polygons, else lines, else points)."""
    out = geoms.copy()
    parts, idx = shapely.get_parts(geoms, return_index=True)
    if len(parts) == 0:
        return out
    dim = shapely.get_dimensions(parts)
    best = np.full(len(geoms), -1)
    np.maximum.at(best, idx, dim)
    keep = dim == best[idx]
    for d, maker in ((2, shapely.multipolygons), (1, shapely.multilinestrings), (0, shapely.multipoints)):
        sel = keep & (dim == d)
        if sel.any():
            present, dense = np.unique(idx[sel], return_inverse=True)
            out[present] = maker(parts[sel], indices=dense)
    return out


def _lonlat(parcels: gpd.GeoDataFrame, datum: str, assume_crs: str | None):
    crs = check_crs(parcels.crs, "parcels", assume_crs)
    geoms = parcels.geometry.to_numpy()
    d = (datum or "wgs84").lower()
    if d in ("wgs84", "cgcs2000"):
        return geoms, crs
    if not crs.is_geographic:
        raise DatumError(
            f"--datum {datum} 只适用于经纬度坐标，而输入的坐标系为 {crs.name}（投影坐标）。",
            f"--datum {datum} applies to lon/lat coordinates, but the input is in {crs.name} (projected).",
            "高德/百度坐标是经纬度；投影坐标（如 CGCS2000 高斯投影）请去掉 --datum。",
            "Amap/Baidu coordinates are lon/lat; for projected files (e.g. CGCS2000 Gauss–Krüger) drop --datum.",
        )
    lonlat = gpd.GeoSeries(geoms, crs=crs).to_crs(WGS84).to_numpy() if not crs.equals(WGS84) else geoms
    return convert_geometries(lonlat, d, "wgs84"), WGS84


def overlay_table(geoms_w: np.ndarray, layers: LayerSet) -> pd.DataFrame:
    """The geometric columns of DESIGN §4 for geometries in the working CRS.

    Parameters
    ----------
    geoms_w : numpy.ndarray of shapely.Geometry
        Valid parcels in :data:`gis.crs.WORK_CRS` (None/empty allowed).
    layers : LayerSet

    Returns
    -------
    pandas.DataFrame
        ``area_m2``, ``share_104/195/198/outside``, ``zone``, ``park_id``,
        ``town``, ``riverbank_m``, ``yangtze_1km``, ``yangtze_1km_share``,
        ``in_reserve`` and the internal ``_measure``, ``_straddles``,
        ``_partly_out``, ``_outside``.
    """
    return _frame(overlay_arrays(geoms_w, layers))


def _frame(cols: dict[str, np.ndarray]) -> pd.DataFrame:
    """A DataFrame over the arrays, not a copy of them; text stays ``object`` (no conversion to Arrow strings)."""
    return pd.DataFrame({k: pd.Series(v, dtype=object, copy=False) if v.dtype == object else v
                         for k, v in cols.items()}, copy=False)


def overlay_arrays(geoms_w: np.ndarray, layers: LayerSet) -> dict[str, np.ndarray]:
    """:func:`overlay_table`'s columns as a dict of numpy arrays (same parameters)."""
    eng = _engine(layers)
    n = len(geoms_w)
    own = measure(geoms_w)
    tid = np.full(n, -1)
    ok = present(geoms_w)
    tid[ok] = shapely.get_type_id(geoms_w[ok])
    area = np.where(np.isin(tid, _POLY_T), own, 0.0)

    crossing, inner_label, contacts = locate(geoms_w, eng["group"], return_contacts=True, valid=ok)
    # which crossing parcels can take the numpy overlap path (checked once for all coverages)
    convex = np.zeros(n, dtype=bool)
    any_cross = np.flatnonzero(crossing.any(axis=1))
    convex[any_cross] = convex_single_polygons(geoms_w[any_cross])

    def loc(name: str) -> tuple:
        j = eng["group_index"][name]
        return crossing[:, j], inner_label[:, j], coverage_contacts(eng["group"], contacts, j)

    def shares(name: str) -> np.ndarray:
        return coverage_shares(geoms_w, own, eng[name], located=loc(name), valid=ok, convex=convex)

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

    town = np.full(n, None, dtype=object)
    if eng["towns"] is not None:
        ts = shares("towns")
        tbest = np.argmax(ts, axis=1)
        has = ts.max(axis=1) > SHARE_TOL
        town[has] = np.array(eng["towns"].names, dtype=object)[tbest[has]]

    river = nearest_distance(geoms_w, eng["river"], valid=ok)
    y1 = shares("y1km")[:, 0]
    reserve = intersects_any(geoms_w, eng["reserve"], valid=ok) if eng["reserve"] is not None else np.zeros(n, bool)
    return {
        "area_m2": area,
        "share_104": s104, "share_195": s195, "share_198": s198, "share_outside": s_out,
        "zone": zone, "park_id": park_id, "town": town,
        "riverbank_m": river,
        "yangtze_1km": np.nan_to_num(river, nan=np.inf) <= layers.buffer_m,
        "yangtze_1km_share": y1,
        "in_reserve": reserve,
        "_measure": own,
        "_straddles": (stack > SHARE_TOL).sum(axis=1) > 1,
        "_partly_out": in_district & (s_out > SHARE_TOL),
        "_outside": ok & ~in_district,
    }


def _duplicate_ids(ids: pd.Series) -> np.ndarray:
    """Mask of features whose (non-null) id another feature shares."""
    return ids.duplicated(keep=False).to_numpy() & ids.notna().to_numpy()


def _chunks(n: int, k: int) -> list[slice]:
    """Row ranges of at most :data:`CHUNK` rows; a multiple of ``k`` of them for ``k`` threads."""
    m = -(-max(n, 1) // CHUNK)
    if k > 1 and n >= PARALLEL_MIN:
        m = -(-max(m, k) // k) * k
    return slices(max(n, 1), m)


def _flags(cols: dict[str, np.ndarray], n: int) -> np.ndarray:
    out = np.full(n, "", dtype=object)
    for name in FLAGS:
        m = cols[name]
        if m.any():
            out[m] = np.where(out[m] == "", name, out[m] + ";" + name)
    return out


def classify(
    parcels: gpd.GeoDataFrame,
    layers: LayerSet | None = None,
    rules: RuleSet | str | dict | None = None,
    *,
    id_field: str = "parcel_id",
    datum: str = "wgs84",
    assume_crs: str | None = None,
    progress: bool = False,
) -> gpd.GeoDataFrame:
    """Classify parcels as upgrade / transform / reduce (DESIGN §4).

    Parameters
    ----------
    parcels : geopandas.GeoDataFrame
        Industrial parcels (polygons; points and lines are kept and located).
    layers : LayerSet, optional
        Default: the embedded Chongming layers.
    rules : RuleSet, path or dict, optional
        Classification rules (default: ``zoning_rules/default.toml``), or a user
        configuration applied over the defaults.
    id_field : str
        The parcels' id field (copied into ``parcel_id``).
    datum : {"wgs84", "gcj02", "bd09"}
        Datum of the parcels' lon/lat coordinates.
    assume_crs : str, optional
        CRS to use when the parcels declare none.
    progress : bool
        Show a progress bar on stderr for large inputs.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per input feature in input order: the DESIGN §4 columns, then the
        input attributes (a clashing input column is kept as ``<name>_input``),
        with the input geometry in the input CRS.
    """
    if id_field not in parcels.columns:
        fields = [c for c in parcels.columns if c != parcels.geometry.name]
        raise FieldError(
            f"地块数据没有编号字段“{id_field}”；现有字段：{', '.join(map(str, fields)) or '无'}。",
            f"The parcels have no id field '{id_field}'; available fields: {', '.join(map(str, fields)) or 'none'}.",
            "用 --id-field 指定编号字段。",
            "Name the id field with --id-field.",
        )
    layers = layers if layers is not None else load_layers()
    ruleset = rules if isinstance(rules, RuleSet) else load_rules(rules, kind="classify")
    geoms, crs = _lonlat(parcels, datum, assume_crs)
    n = len(parcels)

    parts: list[dict[str, np.ndarray]] = []
    bar = None
    if progress and n > CHUNK:
        from gis._progress import progress_bar

        bar = progress_bar(total=n, desc="分类 classify")
    _engine(layers)  # built once, before any thread uses it
    chunks = _chunks(n, workers())
    ids = parcels[id_field].reset_index(drop=True)
    id_values = ids.to_numpy()
    attrs = pd.DataFrame(parcels.drop(columns=parcels.geometry.name)).reset_index(drop=True)
    clash = [c for c in attrs.columns if c in RESULT_COLUMNS and not (c == "parcel_id" and id_field == "parcel_id")]
    attrs = attrs.rename(columns={c: f"{c}_input" for c in clash})
    if id_field == "parcel_id":
        attrs = attrs.drop(columns=["parcel_id"])

    def run(sl: slice) -> dict[str, np.ndarray]:
        g, no_geom, repaired, not_poly = _prepare_geometries(geoms[sl], crs)
        out = overlay_arrays(g, layers)
        for c in ("area_m2", "share_104", "share_195", "share_198", "share_outside", "riverbank_m",
                  "yangtze_1km_share"):
            out[c][no_geom] = np.nan
        out["zone"][no_geom] = None
        out["parcel_id"] = id_values[sl]
        # Rules see the overlay columns and the parcels' own attributes (industry, output…);
        # they decide each row from that row alone, so a chunk at a time.
        rule_table = pd.concat([_frame({k: v for k, v in out.items() if not k.startswith("_")}),
                                attrs.iloc[sl].reset_index(drop=True)], axis=1)
        decided = apply_classification(rule_table, ruleset)
        for c in ("action", "rule", "reason_zh", "reason_en"):
            # rules' texts come from outside the engine: missing values as None, not NaN
            out[c] = _none_for_nan(np.array(decided[c], dtype=object))
        out.update(_no_geom=no_geom, _repaired=repaired, _not_poly=not_poly)
        return out

    def run_serial(sl: slice) -> dict[str, np.ndarray]:
        with serial():
            return run(sl)

    if len(chunks) > 1 and workers() > 1:
        # Whole chunks side by side: numpy, GEOS and PROJ release the GIL, and
        # the Python glue between them then overlaps too (so does the id check).
        with ThreadPoolExecutor(workers()) as pool:
            dup_future = pool.submit(_duplicate_ids, ids)
            for sl, cols in zip(chunks, pool.map(run_serial, chunks)):
                parts.append(cols)
                if bar is not None:
                    bar.update(sl.stop - sl.start)
            dup = dup_future.result()
    else:
        for sl in chunks:
            parts.append(run(sl))
            if bar is not None:
                bar.update(sl.stop - sl.start)
        dup = _duplicate_ids(ids)
    if bar is not None:
        bar.close()
    cols = {k: np.concatenate([p[k] for p in parts])[:n] for k in parts[0]}
    no_geom = cols.pop("_no_geom")

    if dup.any():
        examples = ", ".join(map(str, ids[dup].drop_duplicates().head(5)))
        log.warning("重复编号 %d 个要素（如 %s）/ %d features share an id (e.g. %s): kept and flagged duplicate_id",
                    int(dup.sum()), examples, int(dup.sum()), examples)
    cols["parcel_id"] = _none_for_nan(cols["parcel_id"])
    action, rule_id, reason_zh, reason_en = (cols[c] for c in ("action", "rule", "reason_zh", "reason_en"))
    undecided = pd.isna(action)
    outside = cols["_outside"]
    for mask, zh, en in (
        (outside, "地块完全位于区界之外，未分类。", "The parcel lies wholly outside the district; not classified."),
        (no_geom, "地块没有几何，无法定位，未分类。", "The parcel has no geometry; not classified."),
        (~outside & ~no_geom, "没有启用的规则适用于该地块。", "No enabled rule applies to this parcel."),
    ):
        m = mask & undecided
        reason_zh[m], reason_en[m] = zh, en
        undecided &= ~m
    # Outside the district there is no zone, action, rule or park (DESIGN §4).
    gone = outside | no_geom
    for arr in (cols["zone"], action, rule_id, cols["park_id"]):
        arr[gone] = None
    cols.update(action=action, rule=rule_id, reason_zh=reason_zh, reason_en=reason_en)
    cols["flags"] = _flags({
        "straddles_zone": cols["_straddles"],
        "partly_outside_district": cols["_partly_out"],
        "outside_district": outside,
        "geometry_repaired": cols["_repaired"],
        "no_geometry": no_geom,
        "duplicate_id": dup,
        "not_polygon": cols["_not_poly"],
    }, n)
    out = pd.concat([_frame({c: cols[c] for c in RESULT_COLUMNS}), attrs], axis=1)
    out_crs = parcels.crs if parcels.crs is not None else crs
    if "geometry" in out.columns:
        return gpd.GeoDataFrame(out, geometry=parcels.geometry.reset_index(drop=True).to_numpy(), crs=out_crs)
    # Adding the column and naming it is much cheaper than geometry=<array> (no re-validation, no copy).
    out["geometry"] = gpd.GeoSeries(parcels.geometry.array, crs=out_crs)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=out_crs, copy=False)


def _none_for_nan(arr: np.ndarray) -> np.ndarray:
    """Missing text as None (not NaN) in object columns."""
    if arr.dtype == object:
        na = pd.isna(arr)
        if na.any():
            arr = arr.copy()
            arr[na] = None
    return arr
