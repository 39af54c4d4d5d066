"""Check many project sites at once: :func:`check_sites` → one row per project.

Projects are checked in chunks of :data:`CHUNK` rows, each one vectorised pass
(:func:`gis.siting.run.run_checks`); a row that cannot be checked carries its
error in ``error_zh``/``error_en`` instead of stopping the batch.
:func:`write_batch_results` writes the result table (Excel, CSV or any vector
format).
"""

from __future__ import annotations

import logging
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from gis.errors import ParkgisError
from gis.geodesy.crs import WGS84, check_crs, from_work
from gis.geodesy.offset_crs import offset_columns, resolve_datum
from gis.io.safe_write import check_not_input
from gis.io.tables import write_table
from gis.io.vector import check_vector_output, write_vector
from gis.layers.layerset import LayerSet
from gis.progress import progress_bar
from gis.rules import RuleSet
from gis.siting.evaluate import siting_rules
from gis.siting.projects import project_attributes
from gis.siting.result import VERDICT_NAMES
from gis.siting.row_errors import RowErrors
from gis.siting.run import CheckRun, default_layers, run_checks
from gis.wording import ILLUSTRATIVE_NOTE, bilingual

__all__ = ["BATCH_COLUMNS", "CHUNK", "check_batch_output", "check_sites", "write_batch_results"]

#: Result columns of a batch, in order (then one column per rule, then the input's).
BATCH_COLUMNS = ["project_id", "verdict", "verdict_zh", "zone", "park_id", "park_zh", "town", "riverbank_m",
                 "yangtze_1km",
                 "yangtze_1km_share", "in_reserve", "nearest_park_id", "nearest_park_zh", "nearest_park_m",
                 "land_m2"]
_BATCH_TAIL = ["findings_zh", "findings_en", "not_evaluated", "flags", "error_zh", "error_en"]

log = logging.getLogger(__name__)

#: Projects are checked in chunks of this many rows (bounded memory).
CHUNK = 100_000


def check_sites(
    projects: gpd.GeoDataFrame,
    *,
    layers: LayerSet | None = None,
    rules: RuleSet | str | dict | None = None,
    datum: str = "wgs84",
    id_field: str = "project_id",
    progress: bool = False,
) -> gpd.GeoDataFrame:
    """Check many project sites at once (vectorised); a bad row gets an error, not an abort.

    Parameters
    ----------
    projects : geopandas.GeoDataFrame
        One row per project: its site (points, optionally with a ``radius_m``
        column in metres; or polygons) and the attributes of
        :data:`gis.siting.projects.ATTRIBUTES` (``industry``, ``land_m2``,
        ``output_wan``, ``value_added_wan``, ``energy_tce``, ``investment_wan``,
        ``name``, ``facility``), any of them optional. Rows read by
        :func:`gis.siting.projects.read_projects` may carry read errors.
    layers : LayerSet, optional
    rules : RuleSet, path or dict, optional
    datum : {"wgs84", "gcj02", "bd09"}
        Datum of the sites' lon/lat coordinates.
    id_field : str
        The projects' id field (default ``project_id``; the row number, from 1,
        when the field is absent).
    progress : bool
        Show a progress bar on stderr for large inputs.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per project in input order: :data:`BATCH_COLUMNS`, one column
        per enabled rule (its level), ``findings_zh``/``findings_en`` (the
        review and prohibited messages), ``not_evaluated`` (rule ids),
        ``flags``, ``error_zh``/``error_en`` (why a row was not checked), then
        the input attributes (a clashing name gets ``_input``; ``lon``/``lat``
        of an offset datum get it in their name, ``lon_gcj02``). The geometry is
        the site as checked, in WGS84.
    """
    layers = default_layers(layers)
    ruleset = siting_rules(rules)
    n = len(projects)
    df = pd.DataFrame(projects.drop(columns=projects.geometry.name)).reset_index(drop=True)
    read_zh = df.pop("_read_error_zh").to_numpy(dtype=object) if "_read_error_zh" in df else None
    read_en = df.pop("_read_error_en").to_numpy(dtype=object) if "_read_error_en" in df else None
    geoms = projects.geometry.to_numpy()
    crs = projects.crs if projects.crs is not None else check_crs(None, "projects")
    ids = df[id_field].to_numpy(dtype=object) if id_field in df.columns else np.arange(1, n + 1)
    rule_ids = [r.id for r in ruleset.rules]
    parts = []
    bar = progress_bar(total=n, desc="选址 site-check") if progress and n > CHUNK else None
    for s in range(0, max(n, 1), CHUNK):
        e = min(s + CHUNK, n)
        errs = RowErrors(e - s)
        if read_zh is not None:
            errs.add(~pd.isna(pd.Series(read_zh[s:e], dtype=object)).to_numpy(), read_zh[s:e], read_en[s:e])
        attrs = project_attributes(df.iloc[s:e], errs)
        parts += _guarded_frames(geoms[s:e], crs, datum, attrs, layers, ruleset, errs, rule_ids)
        if bar is not None:
            bar.update(e - s)
    if bar is not None:
        bar.close()
    out = pd.concat(parts, ignore_index=True) if parts else _batch_frame(None, 0, rule_ids)
    out = out.iloc[:n].reset_index(drop=True)
    geom_w = out.pop("_geom_w").to_numpy(dtype=object)
    out.insert(0, "project_id", ids)
    taken = set(out.columns)
    attrs_in = df.drop(columns=[id_field]) if id_field in df.columns else df
    attrs_in = attrs_in.rename(columns={c: f"{c}_input" for c in attrs_in.columns if c in taken})
    # lon/lat columns of a GCJ-02/BD-09 table say their datum beside the WGS84 geometry (DESIGN §7)
    attrs_in = attrs_in.rename(columns=offset_columns(attrs_in.columns, resolve_datum(crs, datum, "projects")))
    result = pd.concat([out, attrs_in.reset_index(drop=True)], axis=1)
    return gpd.GeoDataFrame(result, geometry=from_work(geom_w), crs=WGS84)


def _guarded_frames(geoms: np.ndarray, crs, datum: str, attrs: pd.DataFrame, layers: LayerSet, ruleset: RuleSet,
                    errs: RowErrors, rule_ids: list[str]) -> list[pd.DataFrame]:
    """The rows checked in one vectorised pass; should the pass fail unexpectedly, halves until the row that fails.

    A row that makes the engine fail (a defect, never the planner's fault) gets
    its error in ``error_zh``/``error_en`` and the other rows are checked: one bad
    row never stops a batch. A user error (:class:`ParkgisError`) is not a row's
    and stops the batch with its message.
    """
    try:
        return [_batch_frame(run_checks(geoms, crs, datum, attrs, layers, ruleset, errs), len(geoms), rule_ids)]
    except ParkgisError:
        raise
    except Exception as exc:  # isolated to the row that causes it, and reported there
        if len(geoms) > 1:
            mid = len(geoms) // 2
            halves = [(slice(0, mid)), (slice(mid, len(geoms)))]
            return [f for h in halves for f in _guarded_frames(
                geoms[h], crs, datum, attrs.iloc[h].reset_index(drop=True), layers, ruleset, errs.part(h), rule_ids)]
        log.warning("选址检查内部错误（已跳过该行）/ internal error in a siting check (row skipped): %s: %s",
                    type(exc).__name__, exc)
        errs.add(np.ones(1, dtype=bool), f"内部错误，未能检查（{type(exc).__name__}）；请报告此问题",
                 f"internal error, not checked ({type(exc).__name__}: {exc}); please report it")
        out = _batch_frame(None, 1, rule_ids)
        out["error_zh"], out["error_en"] = errs.zh, errs.en
        return [out]


def _findings(run: CheckRun, rule_ids: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per checked row: the review/prohibited messages (zh, en) and the ids of the rules not evaluated."""
    n = len(run.rows)
    f_zh = np.full(n, "", dtype=object)
    f_en = np.full(n, "", dtype=object)
    not_ev = np.full(n, "", dtype=object)
    for rid in rule_ids:
        c = run.checks[rid]
        bad = np.isin(c["level"], ["review", "prohibited"])
        f_zh = np.where(bad, f_zh + c["message_zh"].astype(str).astype(object), f_zh)
        f_en = np.where(bad, f_en + np.where(f_en == "", "", " ") + c["message_en"].astype(str).astype(object), f_en)
        ne = c["level"] == "not_evaluated"
        not_ev = np.where(ne, not_ev + np.where(not_ev == "", "", ";") + rid, not_ev)
    return f_zh, f_en, not_ev


def _batch_frame(run: CheckRun | None, n: int, rule_ids: list[str]) -> pd.DataFrame:
    cols = BATCH_COLUMNS[1:] + rule_ids + _BATCH_TAIL + ["_geom_w"]
    out = pd.DataFrame({c: np.full(n, None, dtype=object) for c in cols})
    if run is None:
        return out
    rows, t = run.rows, run.table
    out["_geom_w"] = run.geoms_w
    out.loc[rows, "verdict"] = run.verdict
    out.loc[rows, "verdict_zh"] = pd.Series(run.verdict, dtype=object).map(
        {k: v[0] for k, v in VERDICT_NAMES.items()}).to_numpy(dtype=object)
    for c in ("zone", "park_id", "town", "nearest_park_id", "nearest_park_zh", "flags"):
        out.loc[rows, c] = t[c].to_numpy(dtype=object)
    out.loc[rows, "park_zh"] = t["park_name_zh"].where(t["park_id"].notna(), None).to_numpy(dtype=object)
    for c in ("riverbank_m", "yangtze_1km_share", "nearest_park_m", "land_m2"):
        v = np.full(n, np.nan)
        v[rows] = t[c].to_numpy(dtype="float64")
        out[c] = v
    for c in ("yangtze_1km", "in_reserve"):
        v = pd.Series(pd.NA, index=range(n), dtype="boolean")
        v.iloc[rows] = t[c].to_numpy(dtype=bool)
        out[c] = v
    for rid in rule_ids:
        out.loc[rows, rid] = run.checks[rid]["level"]
    f_zh, f_en, not_ev = _findings(run, rule_ids)
    out.loc[rows, "findings_zh"] = f_zh
    out.loc[rows, "findings_en"] = f_en
    out.loc[rows, "not_evaluated"] = not_ev
    out["error_zh"] = run.errs.zh
    out["error_en"] = run.errs.en
    return out


def check_batch_output(out, inputs: list) -> None:
    """Check a batch's result path before the work: a table or vector format, no input, no GeoPackage layer lost."""
    if Path(out).suffix.lower() in (".xlsx", ".xls"):
        check_not_input(out, inputs)
    else:
        check_vector_output(out, inputs=inputs)


def write_batch_results(result: gpd.GeoDataFrame, out, *, inputs: list, illustrative: bool,
                        illustrative_note: tuple[str, str] | None = None) -> Path:
    """Write the result of :func:`check_sites`: an Excel sheet, or any vector format by the file's suffix.

    Parameters
    ----------
    result : geopandas.GeoDataFrame
        :func:`check_sites` output.
    out : str or Path
        ``.xlsx`` / ``.xls`` for a formatted sheet ``sites``; else ``.csv``,
        ``.gpkg``, ``.geojson``… (:func:`gis.io.vector.write_vector`).
    inputs : list
        The input files, never overwritten.
    illustrative : bool
        The layers hold illustrative data (a note on the sheet).
    illustrative_note : (str, str), optional
        That note naming the illustrative layers (:meth:`gis.layers.LayerSet.illustrative_note`);
        default: the general wording.

    Returns
    -------
    Path
    """
    check_batch_output(out, inputs)
    if Path(out).suffix.lower() in (".xlsx", ".xls"):
        notes = [bilingual(illustrative_note or ILLUSTRATIVE_NOTE)] if illustrative else []
        write_table(result.drop(columns=result.geometry.name), out, sheet="sites", notes=notes,
                    title="选址检查 Site check")
    else:
        write_vector(result, out, inputs=inputs)
    return Path(out)
