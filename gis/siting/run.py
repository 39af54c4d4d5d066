"""One vectorised pass of the siting check, shared by the single site and the batch.

sites → datum → WGS84 → working CRS (circles) → overlay table (the engine) →
site table → siting rules → verdicts. Rows that cannot be checked (no
geometry, outside the district, an unknown facility…) collect an error in
:class:`~gis.siting.row_errors.RowErrors` and are left out of the table.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from gis.engine.overlay_table import overlay_table
from gis.layers.layerset import LayerSet, load_layers
from gis.rules import RuleSet
from gis.siting.evaluate import evaluate, known_facilities
from gis.siting.row_errors import RowErrors
from gis.siting.site_geometry import prepare_sites
from gis.siting.site_table import site_table

__all__ = ["CheckRun", "default_layers", "run_checks"]

_DEFAULT_LAYERS: list[LayerSet] = []


def default_layers(layers: LayerSet | None) -> LayerSet:
    """The given layers, or the embedded default, loaded once per session (its indexes are reused)."""
    if layers is not None:
        return layers
    if not _DEFAULT_LAYERS:
        _DEFAULT_LAYERS.append(load_layers())
    return _DEFAULT_LAYERS[0]


@dataclass
class CheckRun:
    """What one vectorised pass produced (rows aligned with the input)."""

    table: pd.DataFrame            # site table of the rows checked (``rows``)
    rows: np.ndarray               # input positions of the checked rows
    verdict: np.ndarray
    checks: dict
    errs: RowErrors
    geoms_w: np.ndarray
    circle: np.ndarray
    repaired: np.ndarray
    outside_m: np.ndarray          # distance to the district of rows outside it, metres (NaN otherwise)
    outside_in: np.ndarray | None = None  # the neighbouring unit (zh) an outside row lies in, else None


def _check_facilities(attrs: pd.DataFrame, ruleset: RuleSet, errs: RowErrors) -> None:
    known = known_facilities(ruleset)
    fac = attrs["facility"].to_numpy(dtype=object)
    bad_fac = ~pd.isna(pd.Series(fac, dtype=object)).to_numpy() & ~np.isin(fac.astype(str), known)
    if bad_fac.any():
        listed = ", ".join(known) or "—"
        errs.add(bad_fac, "设施类型“" + fac.astype(str).astype(object) + "”未知（已知：" + listed + "）",
                 "facility type '" + fac.astype(str).astype(object) + "' is unknown (known: " + listed + ")")


def _outside(w: np.ndarray, has_geom: np.ndarray, ov: pd.DataFrame, layers: LayerSet,
             errs: RowErrors) -> tuple[np.ndarray, np.ndarray]:
    """Distance in metres to the district of the sites outside it (an error for them), NaN for the others;
    and the neighbouring unit each of them lies in (None where none or not known)."""
    n = len(w)
    outside = np.zeros(n, dtype=bool)
    outside[has_geom] = ov["_outside"].to_numpy(dtype=bool)
    outside_m = np.full(n, np.nan)
    unit_zh = np.full(n, None, dtype=object)
    if outside.any():
        outside_m[outside] = shapely.distance(w[outside], layers.work_union("district"))
        metres = pd.Series(outside_m).round(0).map("{:,.0f}".format).to_numpy(dtype=object)
        unit_zh, unit_en = _neighbour_names(w, outside, layers)
        named = ~pd.isna(pd.Series(unit_zh, dtype=object)).to_numpy()
        errs.add(outside & named, "场地位于" + unit_zh.astype(str) + "，不在本区（距区界 " + metres + " 米）",
                 "the site lies in " + unit_en.astype(str) + ", not in the district (" + metres + " m from it)")
        errs.add(outside & ~named, "场地位于区界之外（距区界 " + metres + " 米）",
                 "the site lies outside the district (" + metres + " m from it)")
    return outside_m, unit_zh


def _neighbour_names(w: np.ndarray, rows: np.ndarray, layers: LayerSet) -> tuple[np.ndarray, np.ndarray]:
    """For the sites of ``rows``: the neighbouring unit holding the largest part of each (zh, en), else None."""
    n = len(w)
    zh, en = np.full(n, None, dtype=object), np.full(n, None, dtype=object)
    nb = layers.neighbours
    if nb is None or not len(nb) or not rows.any():
        return zh, en
    names_zh = nb["name_zh"].fillna("").astype(str)
    if "province_zh" in nb:
        names_zh = nb["province_zh"].fillna("").astype(str) + names_zh
    names_en = nb["name_en"].where(nb["name_en"].notna(), nb["name_zh"]).fillna("").astype(str)
    if "province_en" in nb:
        names_en = names_en + " (" + nb["province_en"].fillna("").astype(str) + ")"
    idx = np.flatnonzero(rows)
    nw = layers.work("neighbours")
    si, nj = shapely.STRtree(nw).query(w[idx], predicate="intersects")
    if not len(si):
        return zh, en
    # The unit holding the largest part of the site (its measure: area, length or points).
    part = shapely.intersection(w[idx[si]], nw[nj])
    size = np.where(shapely.area(part) > 0, shapely.area(part), shapely.length(part) + 1e-9)
    order = np.lexsort((-size, si))
    first = order[np.r_[True, si[order][1:] != si[order][:-1]]]
    zh[idx[si[first]]] = names_zh.to_numpy(dtype=object)[nj[first]]
    en[idx[si[first]]] = names_en.to_numpy(dtype=object)[nj[first]]
    return zh, en


def _flags(table: pd.DataFrame, repaired: np.ndarray, circle: np.ndarray) -> np.ndarray:
    partly = table["_partly_out"].to_numpy(dtype=bool)
    straddles = table["_straddles"].to_numpy(dtype=bool)
    wet = table["in_water"].to_numpy(dtype=bool)
    flags = np.full(len(table), "", dtype=object)
    for mask, name in ((straddles, "straddles_zone"), (partly, "partly_outside_district"), (wet, "in_water"),
                       (repaired, "geometry_repaired"), (circle, "circle")):
        flags = np.where(mask, np.where(flags == "", name, flags + ";" + name), flags)
    return flags


def run_checks(geoms: np.ndarray, crs, datum: str, attrs: pd.DataFrame, layers: LayerSet, ruleset: RuleSet,
               errs: RowErrors) -> CheckRun:
    """Check sites: prepare their geometry, overlay them, build the site table and run the rules.

    Parameters
    ----------
    geoms : numpy.ndarray of shapely.Geometry
        The sites in ``crs`` (None for rows without coordinates).
    crs : pyproj.CRS
    datum : {"wgs84", "gcj02", "bd09"}
        Datum of lon/lat coordinates.
    attrs : pandas.DataFrame
        :func:`gis.siting.projects.project_attributes` of the same rows.
    layers : LayerSet
    ruleset : RuleSet
        Siting rules.
    errs : RowErrors
        Errors found so far; receives the rows that cannot be checked.

    Returns
    -------
    CheckRun
    """
    w, repaired, circle = prepare_sites(geoms, crs, datum, attrs["radius_m"].to_numpy(dtype="float64"), errs)
    _check_facilities(attrs, ruleset, errs)
    has_geom = ~shapely.is_missing(w)
    ov = overlay_table(w[has_geom], layers)
    outside_m, outside_in = _outside(w, has_geom, ov, layers, errs)
    rows = np.flatnonzero(~errs.any)
    ov_pos = np.cumsum(has_geom) - 1                      # row → position in ``ov``
    ov_good = ov.iloc[ov_pos[rows]].reset_index(drop=True)
    table = site_table(w[rows], attrs.iloc[rows].reset_index(drop=True), layers, overlay=ov_good)
    table["flags"] = _flags(table, repaired[rows], circle[rows])
    verdict, checks = evaluate(table, ruleset)
    return CheckRun(table=table, rows=rows, verdict=verdict, checks=checks, errs=errs, geoms_w=w, circle=circle,
                    repaired=repaired, outside_m=outside_m, outside_in=outside_in)
