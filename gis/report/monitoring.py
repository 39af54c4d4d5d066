"""The report's monitoring chapter (``parkgis report --snapshots …``): plan tracking across years.

:func:`monitoring_context` turns a :class:`gis.planning.tracking.TrackResult`
into what the template ``_monitoring.html.j2`` lays out: key figures, the parks
against their path (one row per park, one column per year), the 1+3+X output by
year against the 2025 targets, the reduction ledger, the new 198 land of the
last year and the changes per pair of years; :func:`monitoring_sheets` gives the
workbook's sheets (the change list without the unchanged parcels, which the
report's workbook does not need).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from gis.planning.changes import CHANGES, change_summary
from gis.planning.tracking_output import (
    ADDED_HEADERS,
    LEDGER_HEADERS,
    SHEET_TITLES,
    track_sheets,
)
from gis.report.html import table_view

__all__ = ["MONITORING_UNITS", "Monitoring", "monitoring_context", "monitoring_sheets", "monitoring_summary",
           "run_monitoring"]

#: Units of the chapter's unit table.
MONITORING_UNITS = ("park", "district", "category")
_CHANGE_NAMES = {"added": ("新增", "added"), "removed": ("移除", "removed"), "reshaped": ("形状变化", "reshaped"),
                 "action_changed": ("处置方向变化", "action changed"), "unchanged": ("未变化", "unchanged")}


def monitoring_sheets(result) -> tuple[dict, dict]:
    """(sheets, titles) of the monitoring tables for the report's workbook."""
    changed = result.changes[result.changes["change"] != "unchanged"]
    sheets = track_sheets(result, changed)
    sheets.pop("snapshots 快照", None)
    titles = {k: v for k, v in SHEET_TITLES.items() if k in sheets}
    titles["changes 变化清单"] = "有变化的地块（相邻年份；未变化者从略） Parcels that changed between consecutive years"
    return sheets, titles


def _by_year(units: pd.DataFrame, kind: str, value: str, years: list[int]) -> pd.DataFrame:
    rows = units[units["unit_type"] == kind]
    if rows.empty:
        return pd.DataFrame()
    wide = rows.pivot_table(index="unit_id", columns="year", values=value, aggfunc="first", dropna=False, sort=False)
    first = rows.drop_duplicates("unit_id").set_index("unit_id")
    last = rows[rows["year"] == years[-1]].set_index("unit_id")
    out = first[["name_zh", "name_en"]].copy()
    for y in years:
        out[f"y{y}"] = wide[y] if y in wide.columns else float("nan")
    for c in ("target_path_yi_per_km2", "on_track", "cagr", "output_yi", "output_target_2025_yi"):
        out[c] = last[c]
    return out.reset_index()


def _pairs(result) -> pd.DataFrame:
    s = change_summary(result.changes)
    if s.empty:
        return s
    wide = s.pivot_table(index=["year_from", "year_to"], columns="change", values="parcels", aggfunc="sum",
                         fill_value=0, observed=False)
    wide = wide.reindex(columns=list(CHANGES), fill_value=0)
    oc = s.groupby(["year_from", "year_to"])["output_changed"].sum()
    wide["output_changed"] = oc
    wide = wide.reset_index()
    wide["pair"] = wide["year_from"].astype(str) + "–" + wide["year_to"].astype(str)
    return wide


def monitoring_context(result, charts: dict[str, bytes] | None = None) -> dict:
    """Key figures and table views of the monitoring chapter (for :func:`gis.report.html.render_html`)."""
    from gis.report.html import data_uri

    years, last = result.years, result.years[-1]
    u = result.units
    year_cols = {f"y{y}": (str(y), str(y), "") for y in years}  # the unit is in the heading
    parks = _by_year(u, "park", "density_yi_per_km2", years)
    heads = {**year_cols, "target_path_yi_per_km2": (f"{last} 年目标路径", f"Path {last}", "亿元/km²"),
             "on_track": ("达到路径", "On track", ""), "cagr": ("年均增长率", "CAGR", "%"),
             "output_yi": (f"{last} 年产值", f"Output {last}", "亿元"),
             "output_target_2025_yi": ("2025 年产值目标", "Output target 2025", "亿元")}
    spec = [("_name", "text")] + [(f"y{y}", "2") for y in years] + [
        ("target_path_yi_per_km2", "2"), ("on_track", "bool"), ("cagr", "pct"), ("output_yi", "2"),
        ("output_target_2025_yi", "1")]
    cats = _by_year(u, "category", "output_yi", years)
    cat_heads = {**{f"y{y}": (str(y), str(y), "") for y in years},
                 "output_target_2025_yi": ("2025 年产值目标", "Output target 2025", "亿元")}
    cat_spec = [("_name", "text")] + [(f"y{y}", "2") for y in years] + [("output_target_2025_yi", "1")]
    led = result.ledger
    total = led[led["unit_type"] == "district"]
    towns = led[(led["unit_type"] == "town") & (led["year"] == last)]
    led_spec = [("year", "year"), ("parcels_198", "int"), ("land_198_ha", "2"), ("reduced_ha", "2"),
                ("added_ha", "2"), ("net_reduced_ha", "2"), ("net_reduced_share", "pct")]
    added = result.added[result.added["year"] == last]
    pair_heads = {"pair": ("年份", "Years", ""), "output_changed": ("产值变化地块", "Output changed", "个 count"),
                  **{k: (zh, en, "个 count") for k, (zh, en) in _CHANGE_NAMES.items()}}
    pairs = _pairs(result)
    on = parks["on_track"].astype("boolean") if len(parks) else pd.Series(dtype="boolean")
    tot_last = total[total["year"] == last].iloc[0] if len(total) else None
    return {
        "years": years, "baseline": result.baseline_year, "last": last,
        "synthetic": bool(result.snapshots["synthetic"].any()),
        "parks_on_track": int(on.fillna(False).sum()), "parks": int(len(parks)),
        "parks_behind": [str(n) for n, o in zip(parks.get("name_zh", []), on.tolist(), strict=True)
                         if o is not pd.NA and not o],
        "ledger_last": None if tot_last is None else {k: float(tot_last[k]) for k in
                                                       ("land_198_ha", "reduced_ha", "added_ha", "net_reduced_ha")},
        "added_count": int(added["parcel_id"].nunique()) if len(added) else 0,
        "changes": {k: int((result.changes["change"] == k).sum()) for k in CHANGES},
        "tables": {
            "parks": table_view(parks, spec, heads) if len(parks) else None,
            "categories": table_view(cats, cat_spec, cat_heads) if len(cats) else None,
            "ledger": table_view(total, led_spec, LEDGER_HEADERS),
            "towns": table_view(towns, [("_name", "text")] + led_spec[1:], LEDGER_HEADERS),
            "added": table_view(added, [("parcel_id", "text"), ("town", "text"), ("added_ha", "2"),
                                        ("since_year", "year"), ("how_zh", "+how_en"), ("enterprise_zh", "text"),
                                        ("industry", "text")], ADDED_HEADERS, max_rows=30),
            "pairs": table_view(pairs, [("pair", "text")] + [(k, "int") for k in CHANGES] +
                                [("output_changed", "int")], pair_heads) if len(pairs) else None,
        },
        "charts": {k: data_uri(v) for k, v in (charts or {}).items()},
        "notes": list(result.notes),
    }


def monitoring_summary(result) -> list[str]:
    """One or two lines for the CLI's summary."""
    ctx_last = result.years[-1]
    parks = result.units[(result.units["unit_type"] == "park") & (result.units["year"] == ctx_last)]
    on = int(parks["on_track"].fillna(False).astype(bool).sum())
    tot = result.ledger[(result.ledger["unit_type"] == "district") & (result.ledger["year"] == ctx_last)]
    line = (f"跟踪监测 monitoring {result.years[0]}–{ctx_last}：园区达到路径 parks on track {on}/{len(parks)}")
    if len(tot):
        t = tot.iloc[0]
        line += f"；198 区域净减量 net reduced {t['net_reduced_ha']:.2f} ha（新增 added {t['added_ha']:.2f} ha）"
    return [line]


@dataclass
class Monitoring:
    """The monitoring chapter of one report: the track result and everything the report writes of it."""

    result: object
    sheets: dict
    titles: dict
    changes_path: Path
    context: dict
    summary: list[str]


def run_monitoring(snapshots, layers, out_dir, *, years=None, targets=None, rules=None, id_field="parcel_id",
                   datum="wgs84", assume_crs=None, encoding=None, engine="pyogrio", inputs=()) -> Monitoring:
    """Track the snapshots for the report: tables, sheets, charts, and ``changes.gpkg`` in ``out_dir``."""
    from gis.planning.snapshots import snapshot_files
    from gis.planning.tracking import track
    from gis.planning.tracking_output import write_changes_gpkg
    from gis.report.tracking_charts import tracking_charts

    snapshots = list(snapshots) if years else snapshot_files(snapshots)
    result = track(snapshots, layers, MONITORING_UNITS, targets, years=years, rules=rules, id_field=id_field,
                   datum=datum, assume_crs=assume_crs, encoding=encoding, engine=engine)
    sheets, titles = monitoring_sheets(result)
    path = write_changes_gpkg(result, Path(out_dir) / "changes.gpkg", inputs=[*inputs, *snapshots])
    return Monitoring(result, sheets, titles, path, monitoring_context(result, tracking_charts(result)),
                      monitoring_summary(result))
