"""Classification: parcels in, one row per parcel out (DESIGN §4).

:func:`classify` normalises the parcels (CRS, datum, validity), runs the
overlay engine (:mod:`gis.engine.overlay_table`) against a :class:`~gis.layers.layerset.LayerSet`,
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

from gis.engine.normalise import prepare_geometries, to_wgs84
from gis.engine.overlay_table import engine_indexes, frame_over, overlay_arrays
from gis.errors import FieldError
from gis.layers.layerset import LayerSet, load_layers
from gis.parallel import serial, slices, workers
from gis.rules import RuleSet, apply_classification, load_rules

__all__ = ["classify", "RESULT_COLUMNS", "FLAGS"]

log = logging.getLogger(__name__)

#: DESIGN §4 columns, in output order.
RESULT_COLUMNS = [
    "parcel_id", "area_m2", "share_104", "share_195", "share_198", "share_outside", "zone", "action",
    "rule", "park_id", "town", "riverbank_m", "yangtze_1km", "yangtze_1km_share", "in_reserve", "flags",
    "reason_zh", "reason_en",
]
FLAGS = ("straddles_zone", "partly_outside_district", "outside_district", "geometry_repaired",
         "no_geometry", "duplicate_id", "not_polygon")

#: Parcels are processed in chunks of at most this many rows (bounded memory, progress bar).
CHUNK = 200_000
#: From this many parcels on, chunks run side by side in threads.
PARALLEL_MIN = 50_000


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
    geoms, crs = to_wgs84(parcels, datum, assume_crs)
    n = len(parcels)

    parts: list[dict[str, np.ndarray]] = []
    bar = None
    if progress and n > CHUNK:
        from gis.progress import progress_bar

        bar = progress_bar(total=n, desc="分类 classify")
    engine_indexes(layers)  # built once, before any thread uses it
    chunks = _chunks(n, workers())
    ids = parcels[id_field].reset_index(drop=True)
    id_values = ids.to_numpy()
    attrs = pd.DataFrame(parcels.drop(columns=parcels.geometry.name)).reset_index(drop=True)
    clash = [c for c in attrs.columns if c in RESULT_COLUMNS and not (c == "parcel_id" and id_field == "parcel_id")]
    attrs = attrs.rename(columns={c: f"{c}_input" for c in clash})
    if id_field == "parcel_id":
        attrs = attrs.drop(columns=["parcel_id"])

    def run(sl: slice) -> dict[str, np.ndarray]:
        g, no_geom, repaired, not_poly = prepare_geometries(geoms[sl], crs)
        out = overlay_arrays(g, layers)
        for c in ("area_m2", "share_104", "share_195", "share_198", "share_outside", "riverbank_m",
                  "yangtze_1km_share"):
            out[c][no_geom] = np.nan
        out["zone"][no_geom] = None
        out["parcel_id"] = id_values[sl]
        # Rules see the overlay columns and the parcels' own attributes (industry, output…);
        # they decide each row from that row alone, so a chunk at a time.
        rule_table = pd.concat([frame_over({k: v for k, v in out.items() if not k.startswith("_")}),
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
    out = pd.concat([frame_over({c: cols[c] for c in RESULT_COLUMNS}), attrs], axis=1)
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
