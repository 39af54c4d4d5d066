"""Classification: parcels in, one row per parcel out (DESIGN §4).

:func:`classify` checks the parcels' id field and CRS, converts an offset
datum (:func:`gis.engine.normalise.to_wgs84`), then runs the per-chunk work of
:func:`gis.classification.chunk.classify_chunk` — normalise, overlay table,
rules, reasons, flags — on chunks of the parcels, side by side in threads for
large inputs, while the whole input's ids are checked for duplicates. Every
input feature appears in the output exactly once, with its attributes and its
original geometry (in its own CRS; an offset datum's converted to WGS84).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import geopandas as gpd
import numpy as np
import pandas as pd

from gis.classification.chunk import (
    FLAGS,
    RESULT_COLUMNS,
    Duplicates,
    add_flag,
    classified_frame,
    classify_chunk,
    duplicate_ids,
    input_attributes,
    log_duplicates,
    missing_id_field,
)
from gis.engine.normalise import to_wgs84
from gis.engine.overlay_table import engine_indexes
from gis.layers.layerset import LayerSet, load_layers
from gis.parallel import serial, slices, workers
from gis.rules import RuleSet, load_rules
from gis.wording import SWAPPED_REASON

log = logging.getLogger(__name__)

# The table's columns and flags are defined beside the per-chunk work and offered here too.
__all__ = ["classify", "classify_in_chunks", "RESULT_COLUMNS", "FLAGS"]

#: Parcels are processed in chunks of at most this many rows (bounded memory, progress bar).
CHUNK = 200_000
#: From this many parcels on, chunks run side by side in threads.
PARALLEL_MIN = 50_000

#: One chunk's work: its rows and their duplicate-id mask → their DESIGN §4 columns.
ChunkRun = Callable[[slice, Duplicates], dict[str, np.ndarray]]


def classify(
    parcels: gpd.GeoDataFrame,
    layers: LayerSet | None = None,
    rules: RuleSet | str | dict | None = None,
    *,
    id_field: str | None = None,
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
    id_field : str, optional
        The parcels' id field (copied into ``parcel_id``); required when given.
        Default ``parcel_id``, and a file without that field (a hand-drawn one)
        is numbered 1 … n in feature order, flagged ``id_generated``.
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
        with the input geometry in the input CRS — except for parcels in an
        offset datum (GCJ-02, BD-09), which come back converted to WGS84
        (EPSG:4326), never as offset coordinates under an EPSG label (DESIGN §7);
        their ``lon``/``lat`` attributes, if any, are renamed ``lon_gcj02``…
    """
    generated = id_field is None and "parcel_id" not in parcels.columns
    id_field = id_field or "parcel_id"
    if id_field not in parcels.columns and not generated:
        raise missing_id_field(id_field, [c for c in parcels.columns if c != parcels.geometry.name])
    layers = layers if layers is not None else load_layers()
    ruleset = rules if isinstance(rules, RuleSet) else load_rules(rules, kind="classify")
    geoms, crs = to_wgs84(parcels, datum, assume_crs)  # an offset datum converted before any geometry work
    ids = generated_ids(len(parcels)) if generated else parcels[id_field].reset_index(drop=True)
    attrs = input_attributes(parcels, id_field)
    cols, dup = classify_in_chunks(geoms, crs, ids, attrs, layers, ruleset, progress=progress)
    if dup.any():
        log_duplicates(int(dup.sum()), ids[dup].drop_duplicates().head(5))
    if generated:
        cols["flags"] = add_flag(cols["flags"], np.ones(len(ids), dtype=bool), "id_generated")
        log.warning("输入没有编号字段 parcel_id：已按要素顺序编号 1…%d（标记 id_generated） / the input has no "
                    "parcel_id field: features numbered 1…%d in file order (flagged id_generated)",
                    len(ids), len(ids))
    _warn_swapped(cols["reason_en"])
    return classified_frame(cols, attrs, parcels, geoms, crs, datum)


def _warn_swapped(reason_en: np.ndarray) -> None:
    """A bilingual warning with a hint when parcels look drawn with lon and lat swapped (their reason says so)."""
    n = int((np.asarray(reason_en, dtype=object) == SWAPPED_REASON[1]).sum())
    if n:
        log.warning("%d 个地块的经纬度疑似写反（交换后位于区内），未分类（outside_district，原因列已说明）；"
                    "请检查坐标顺序（GeoJSON 为经度在前：[121.5, 31.6]） / "
                    "%d parcels look drawn with longitude and latitude swapped (they lie in the district when "
                    "exchanged): not classified (outside_district, the reason says so); check the coordinate "
                    "order (GeoJSON puts the longitude first: [121.5, 31.6])", n, n)


def generated_ids(n: int) -> pd.Series:
    """Ids for a file that has none: ``"1"`` … ``"n"``, the features' order in the file."""
    return pd.Series(np.arange(1, n + 1).astype(str), dtype=object)


def classify_in_chunks(geoms: np.ndarray, crs, ids: pd.Series, attrs: pd.DataFrame, layers: LayerSet,
                       rules: RuleSet, *, duplicate: np.ndarray | None = None,
                       progress: bool = False) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The per-chunk work (:func:`gis.classification.chunk.classify_chunk`) over all rows, chunk by chunk.

    Chunks hold at most :data:`CHUNK` rows; from :data:`PARALLEL_MIN` rows on
    they run side by side in threads.

    Parameters
    ----------
    geoms : numpy.ndarray of shapely.Geometry
        The parcels in ``crs`` (offset datums converted: :func:`gis.engine.normalise.to_wgs84`).
    crs : pyproj.CRS
    ids : pandas.Series
        The parcels' ids, index 0 … n − 1.
    attrs : pandas.DataFrame
        Their attributes (:func:`gis.classification.chunk.input_attributes`).
    layers : LayerSet
    rules : RuleSet
    duplicate : numpy.ndarray of bool, optional
        Which rows share their id with another feature, when the caller knows
        it (the dask engine knows it for the whole file); else the ids are
        checked here, alongside the chunks.
    progress : bool
        Show a progress bar on stderr for large inputs.

    Returns
    -------
    (dict of str to numpy.ndarray, numpy.ndarray of bool)
        The DESIGN §4 columns in input order, and the duplicate-id mask.
    """
    engine_indexes(layers)  # built once, before any thread uses it
    id_values = ids.to_numpy()

    def run(sl: slice, dup: Duplicates) -> dict[str, np.ndarray]:
        # normalise → overlay table → rules → reasons → flags, for the rows of one chunk
        return classify_chunk(geoms[sl], crs, id_values[sl], attrs.iloc[sl].reset_index(drop=True),
                              layers, rules, dup)

    def duplicates() -> np.ndarray:
        return duplicate if duplicate is not None else duplicate_ids(ids)

    return _run_chunks(run, len(ids), duplicates, progress)


def _chunks(n: int, k: int) -> list[slice]:
    """Row ranges of at most :data:`CHUNK` rows; a multiple of ``k`` of them for ``k`` threads."""
    m = -(-max(n, 1) // CHUNK)
    if k > 1 and n >= PARALLEL_MIN:
        m = -(-max(m, k) // k) * k
    return slices(max(n, 1), m)


def _run_chunks(run: ChunkRun, n: int, duplicates: Callable[[], np.ndarray],
                progress: bool) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Every chunk's columns, joined in input order, and the whole input's duplicate-id mask."""
    bar = None
    if progress and n > CHUNK:
        from gis.progress import progress_bar

        bar = progress_bar(total=n, desc="分类 classify")
    chunks = _chunks(n, workers())
    parts: list[dict[str, np.ndarray]] = []
    if len(chunks) > 1 and workers() > 1:
        # Whole chunks side by side: numpy, GEOS and PROJ release the GIL, and
        # the Python glue between them then overlaps too (so does the id check).
        with ThreadPoolExecutor(workers()) as pool:
            dup_future = pool.submit(duplicates)

            def run_serial(sl: slice) -> dict[str, np.ndarray]:
                with serial():
                    return run(sl, lambda: dup_future.result()[sl])

            for sl, cols in zip(chunks, pool.map(run_serial, chunks), strict=True):
                parts.append(cols)
                if bar is not None:
                    bar.update(sl.stop - sl.start)
            dup = dup_future.result()
    else:
        dup = duplicates()
        for sl in chunks:
            parts.append(run(sl, dup[sl]))
            if bar is not None:
                bar.update(sl.stop - sl.start)
    if bar is not None:
        bar.close()
    return {k: np.concatenate([p[k] for p in parts])[:n] for k in parts[0]}, dup
