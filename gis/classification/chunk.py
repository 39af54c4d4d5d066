"""One chunk of parcels through the engine, into rows of the classification table (DESIGN §4).

:func:`classify_chunk` is the work every classification does per chunk of
parcels; :func:`gis.classification.classify.classify_in_chunks` runs it over
the chunks of a frame, side by side in threads, for the in-memory engine and
for each task of the dask engine on its workers:

1. normalise (:mod:`gis.engine.normalise`): the geometries in the metric
   working CRS, repaired where invalid, with what was missing or not a polygon;
2. the overlay table (:mod:`gis.engine.overlay_table`): shares, zone, park,
   town, riverbank distance, 1 km zone, strategic reserve;
3. the rules (:mod:`gis.rules`): ``action``, ``rule`` and the reasons, each row
   decided from its own overlay columns and the parcel's attributes;
4. a reason for every parcel no rule decided, and no zone, action or park for a
   parcel outside the district or without geometry;
5. the flags.

The helpers beside it give both engines the same table around those columns:
the input attributes (:func:`input_attributes`), the output frame
(:func:`result_frame`), the id check and the duplicate-id report.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gis.engine.normalise import offset_input, prepare_geometries
from gis.engine.overlay_table import frame_over, overlay_arrays
from gis.errors import FieldError
from gis.geodesy.offset_crs import offset_columns, resolve_datum
from gis.layers.layerset import LayerSet
from gis.lookup import map_values
from gis.rules import RuleSet, apply_classification
from gis.wording import SWAPPED_REASON

__all__ = ["classify_chunk", "RESULT_COLUMNS", "FLAGS", "Duplicates", "input_attributes", "result_frame",
           "classified_frame", "missing_id_field", "duplicate_ids", "log_duplicates", "flag_text", "add_flag",
           "none_for_nan", "swapped_lonlat"]

log = logging.getLogger(__name__)

#: DESIGN §4 columns, in output order.
RESULT_COLUMNS = [
    "parcel_id", "area_m2", "share_104", "share_195", "share_198", "share_outside", "zone", "action",
    "rule", "park_id", "town", "riverbank_m", "yangtze_1km", "yangtze_1km_share", "in_reserve", "flags",
    "reason_zh", "reason_en",
]
#: The flags, in the order they are listed in ``flags``.
FLAGS = ("straddles_zone", "partly_outside_district", "outside_district", "geometry_repaired",
         "no_geometry", "duplicate_id", "not_polygon", "in_water", "invalid_coordinates", "id_generated")

#: Which parcels share their id with another parcel of the whole input: a mask, or a
#: function giving it (called once the geometry work is done, so that the whole
#: input's ids may still be being checked meanwhile).
Duplicates = np.ndarray | Callable[[], np.ndarray]

#: Measured columns, NaN for a parcel without geometry.
_MEASURED = ("area_m2", "share_104", "share_195", "share_198", "share_outside", "riverbank_m", "yangtze_1km_share")
#: Why a parcel has no action when no rule decided it, most specific first.
_UNDECIDED = (
    ("swapped", *SWAPPED_REASON),
    ("outside", "地块完全位于区界之外，未分类。", "The parcel lies wholly outside the district; not classified."),
    ("invalid_coordinates", "地块坐标无效（NaN、无穷大或超出范围），无法定位，未分类。",
     "The parcel's coordinates are not valid (NaN, infinite or out of range); not located, not classified."),
    ("no_geometry", "地块没有几何，无法定位，未分类。", "The parcel has no geometry; not classified."),
    ("located", "没有启用的规则适用于该地块。", "No enabled rule applies to this parcel."),
)


def classify_chunk(geoms: np.ndarray, crs, ids: np.ndarray, attrs: pd.DataFrame, layers: LayerSet,
                   rules: RuleSet, duplicate: Duplicates) -> dict[str, np.ndarray]:
    """The DESIGN §4 columns of one chunk of parcels (see the module notes for the steps).

    Parameters
    ----------
    geoms : numpy.ndarray of shapely.Geometry
        The parcels' geometries in ``crs`` (offset datums already converted:
        :func:`gis.engine.normalise.to_wgs84`).
    crs : pyproj.CRS
    ids : numpy.ndarray
        The parcels' ids (``parcel_id``), missing ones as None or NaN.
    attrs : pandas.DataFrame
        The parcels' attributes (:func:`input_attributes`), index 0 … n − 1: the
        rules read them (industry, output…).
    layers : LayerSet
    rules : RuleSet
    duplicate : numpy.ndarray of bool, or a function returning it
        Which parcels share their id with another parcel of the whole input
        (:data:`Duplicates`).

    Returns
    -------
    dict of str to numpy.ndarray
        :data:`RESULT_COLUMNS`, one value per parcel in input order.
    """
    # Coordinates out of range (a parcel drawn with lon/lat swapped: latitude 121°, NaN, infinity) are set aside
    # by the normalise step and flagged invalid_coordinates; the engine never sees them.
    g, no_geom, repaired, not_poly, bad_xy = prepare_geometries(geoms, crs)
    unplaced = no_geom | bad_xy
    cols = overlay_arrays(g, layers)
    for c in _MEASURED:
        cols[c][unplaced] = np.nan
    cols["zone"][unplaced] = None
    cols["parcel_id"] = ids
    cols.update(_decide(cols, attrs, rules, layers))
    outside = cols["_outside"]
    # DESIGN §4 has no flag for swapped coordinates: such a parcel is outside_district (or, with a latitude of
    # 121°, invalid_coordinates), and its reason says why.
    swapped = swapped_lonlat(geoms, crs, layers) & (outside | bad_xy)
    _explain_undecided(cols, {"swapped": swapped, "outside": outside, "invalid_coordinates": bad_xy,
                              "no_geometry": no_geom, "located": ~outside & ~unplaced})
    # Outside the district there is no zone, action, rule or park (DESIGN §4).
    for c in ("zone", "action", "rule", "park_id"):
        cols[c][outside | unplaced] = None
    cols["parcel_id"] = none_for_nan(ids)
    cols["flags"] = flag_text({
        "straddles_zone": cols["_straddles"],
        "partly_outside_district": cols["_partly_out"],
        "outside_district": outside,
        "geometry_repaired": repaired,
        "no_geometry": no_geom,
        "duplicate_id": duplicate() if callable(duplicate) else duplicate,
        "not_polygon": not_poly,
        "in_water": cols["in_water"],  # (partly) seaward of the shoreline: in the river or on tidal flats
        "invalid_coordinates": bad_xy,
        "id_generated": np.zeros(len(outside), dtype=bool),  # set for the whole input by the caller
    })
    return {c: cols[c] for c in RESULT_COLUMNS}


def _decide(cols: dict[str, np.ndarray], attrs: pd.DataFrame, rules: RuleSet,
            layers: LayerSet) -> dict[str, np.ndarray]:
    """``action``, ``rule`` and the reasons from the rules, over the overlay columns beside the attributes.

    The rules also see each parcel's park by name (``park_name_zh``, ``park_name_en``): their
    reasons are for people, who know the parks by name, not by id.
    """
    # Rules decide each row from that row alone, so a chunk at a time is the same as all at once.
    over = frame_over({k: v for k, v in cols.items() if not k.startswith("_")})
    for lang in ("zh", "en"):
        names = map_values(over["park_id"].to_numpy(dtype=object), layers.park_names(lang))
        over[f"park_name_{lang}"] = pd.Series(names, index=over.index, dtype=object, copy=False)
    table = pd.concat([over, attrs.drop(columns=["park_name_zh", "park_name_en"], errors="ignore")], axis=1)
    decided = apply_classification(table, rules)
    # The rules' texts come from outside the engine: missing values as None, not NaN.
    return {c: none_for_nan(np.array(decided[c], dtype=object)) for c in ("action", "rule", "reason_zh", "reason_en")}


def _explain_undecided(cols: dict[str, np.ndarray], why: dict[str, np.ndarray]) -> None:
    """Give every parcel without an action the reason (zh/en) it has none (in place)."""
    undecided = pd.isna(cols["action"])
    for name, zh, en in _UNDECIDED:
        m = why[name] & undecided
        cols["reason_zh"][m], cols["reason_en"][m] = zh, en
        undecided &= ~m


def flag_text(masks: dict[str, np.ndarray]) -> np.ndarray:
    """The ``flags`` column: the names of the set masks, ``;``-separated, in :data:`FLAGS` order."""
    n = len(next(iter(masks.values())))
    out = np.full(n, "", dtype=object)
    for name in FLAGS:
        m = masks[name]
        if m.any():
            out[m] = np.where(out[m] == "", name, out[m] + ";" + name)
    return out


def add_flag(flags: np.ndarray, mask: np.ndarray, name: str) -> np.ndarray:
    """``flags`` with ``name`` appended where ``mask`` is set."""
    flags = np.asarray(flags, dtype=object)
    return np.where(mask, np.where(flags == "", name, flags + ";" + name), flags).astype(object)


def swapped_lonlat(geoms: np.ndarray, crs, layers: LayerSet) -> np.ndarray:
    """Which lon/lat parcels lie in the district only with their coordinates swapped (drawn as lat, lon).

    As the siting check does for a point: a parcel whose x/y, exchanged, falls
    inside the district's bounds while as given it does not. Only geographic
    CRSs are checked (a metric file cannot be read the wrong way round like this).
    """
    n = len(geoms)
    if crs is None or not getattr(crs, "is_geographic", False) or n == 0:
        return np.zeros(n, dtype=bool)
    with np.errstate(invalid="ignore"):
        b = shapely.bounds(geoms)
        x, y = (b[:, 0] + b[:, 2]) / 2, (b[:, 1] + b[:, 3]) / 2
        x0, y0, x1, y1 = layers.district.total_bounds

        def inside(px, py):
            return (px >= x0) & (px <= x1) & (py >= y0) & (py <= y1)

        return np.asarray(inside(y, x) & ~inside(x, y), dtype=bool)


def none_for_nan(arr: np.ndarray) -> np.ndarray:
    """Missing text as None (not NaN) in object columns."""
    if arr.dtype == object:
        na = pd.isna(arr)
        if na.any():
            arr = arr.copy()
            arr[na] = None
    return arr


def input_attributes(parcels: gpd.GeoDataFrame, id_field: str) -> pd.DataFrame:
    """The parcels' attributes as they follow the DESIGN §4 columns, index 0 … n − 1.

    An input column named like a result column is kept as ``<name>_input``; the
    id field keeps its name, except ``parcel_id`` itself, which the result holds.
    """
    attrs = pd.DataFrame(parcels.drop(columns=parcels.geometry.name)).reset_index(drop=True)
    clash = [c for c in attrs.columns if c in RESULT_COLUMNS and not (c == "parcel_id" and id_field == "parcel_id")]
    attrs = attrs.rename(columns={c: f"{c}_input" for c in clash})
    if id_field == "parcel_id":
        attrs = attrs.drop(columns=["parcel_id"], errors="ignore")
    return attrs


def result_frame(cols: dict[str, np.ndarray], attrs: pd.DataFrame, parcels: gpd.GeoDataFrame,
                 crs, shifted: np.ndarray | None = None) -> gpd.GeoDataFrame:
    """The classification table: the DESIGN §4 columns, the attributes, the input geometry in its own CRS.

    ``crs`` is the CRS assumed for parcels that declare none. ``shifted``: the
    geometries of parcels given in an offset datum (GCJ-02, BD-09), converted to
    WGS84 (``crs``): an output never carries offset coordinates under an EPSG
    label (DESIGN §7).
    """
    out = pd.concat([frame_over({c: cols[c] for c in RESULT_COLUMNS}), attrs], axis=1)
    if shifted is not None:
        return gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(shifted, crs=crs).array, crs=crs)
    out_crs = parcels.crs if parcels.crs is not None else crs
    if "geometry" in out.columns:
        return gpd.GeoDataFrame(out, geometry=parcels.geometry.reset_index(drop=True).to_numpy(), crs=out_crs)
    # Adding the column and naming it is much cheaper than geometry=<array> (no re-validation, no copy).
    out["geometry"] = gpd.GeoSeries(parcels.geometry.array, crs=out_crs)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=out_crs, copy=False)


def classified_frame(cols: dict[str, np.ndarray], attrs: pd.DataFrame, parcels: gpd.GeoDataFrame,
                     geoms: np.ndarray, crs, datum: str) -> gpd.GeoDataFrame:
    """:func:`result_frame` of parcels given in ``datum``: the input geometry, or — for an offset datum — the
    WGS84 geometry the engine used (``geoms``, ``crs`` of :func:`gis.engine.normalise.to_wgs84`), with their
    ``lon``/``lat`` attributes renamed to say the datum (``lon_gcj02``): no offset coordinates under an EPSG
    label (DESIGN §7)."""
    if not offset_input(parcels.crs, datum):
        return result_frame(cols, attrs, parcels, crs)
    d = resolve_datum(parcels.crs, datum, "parcels")
    return result_frame(cols, attrs.rename(columns=offset_columns(attrs.columns, d)), parcels, crs, shifted=geoms)


def missing_id_field(id_field: str, fields: Sequence) -> FieldError:
    """The error for parcels without their id field, naming the fields they have."""
    listed = ", ".join(map(str, fields))
    return FieldError(
        f"地块数据没有编号字段“{id_field}”；现有字段：{listed or '无'}。",
        f"The parcels have no id field '{id_field}'; available fields: {listed or 'none'}.",
        "用 --id-field 指定编号字段。",
        "Name the id field with --id-field.",
    )


def duplicate_ids(ids: pd.Series) -> np.ndarray:
    """Mask of features whose (non-null) id another feature shares."""
    return ids.duplicated(keep=False).to_numpy() & ids.notna().to_numpy()


def log_duplicates(count: int, examples: Sequence) -> None:
    """Warn, once per input, that ``count`` features share an id (a few of the ids as examples)."""
    if count:
        listed = ", ".join(map(str, examples))
        log.warning("重复编号 %d 个要素（如 %s）/ %d features share an id (e.g. %s): kept and flagged duplicate_id",
                    count, listed, count, listed)
