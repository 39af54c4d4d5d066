"""Writing a :class:`gis.planning.tracking.TrackResult`: the workbook, the changes GeoPackage, a summary.

* **Workbook** (``.xlsx``, through :mod:`gis.io.tables`, so the three-row
  bilingual headers match every other table): the unit table, the reduction
  ledger, the new 198 land, the changes, a change summary, the snapshots, notes.
  Excel holds at most ~10⁶ rows a sheet and a change list of 10⁵ parcels over six
  years is unreadable anyway: above :data:`EXCEL_MAX_CHANGE_ROWS` rows the
  changes sheet lists the rows whose ``change`` is not ``unchanged`` and the
  whole list goes to a CSV beside the workbook (said so in the notes).
* **GeoPackage** for QGIS: layer ``changes`` (every parcel whose change is not
  ``unchanged``, its later outline; the earlier one when removed) and layer
  ``reshaped_before`` (the earlier outline of the reshaped parcels).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from gis.errors import OutputError
from gis.io.geopackage import GPKG_DATASET_OPTIONS
from gis.io.safe_write import atomic_output, check_not_input
from gis.io.tables import write_table, write_tables
from gis.planning.changes import change_summary

__all__ = ["ADDED_HEADERS", "CHANGE_HEADERS", "EXCEL_MAX_CHANGE_ROWS", "LEDGER_HEADERS", "SHEET_TITLES",
           "SUMMARY_HEADERS", "UNIT_HEADERS", "track_sheets", "write_changes_gpkg", "write_track_workbook"]

#: Above this many change rows the workbook lists only the changed ones (all go to a CSV).
EXCEL_MAX_CHANGE_ROWS = 20_000

_YEAR = ("年份", "Year", "年 year")
UNIT_HEADERS = {
    "year": _YEAR, "parcels": ("地块数", "Parcels", "个 count"), "land_km2": ("工业用地面积", "Industrial land", "km²"),
    "output_yi": ("产值", "Output", "亿元"), "density_yi_per_km2": ("地均产出", "Output density", "亿元/km²"),
    "target_path_yi_per_km2": ("目标路径", "Target path", "亿元/km²"),
    "target_2025_yi_per_km2": ("2025 年地均产出目标", "Density target 2025", "亿元/km²"),
    "on_track": ("达到目标路径", "On track", "是/否 yes/no"),
    "cagr": ("基准年以来年均增长率", "Annual growth since baseline (CAGR)", "比例 fraction"),
    "output_target_2025_yi": ("2025 年产值目标", "Output target 2025", "亿元"),
}
LEDGER_HEADERS = {
    "year": _YEAR, "parcels_198": ("198 区域工业地块数", "Industrial parcels in 198", "个 count"),
    "land_198_ha": ("198 区域工业用地", "Industrial land in 198", "公顷 ha"),
    "reduced_ha": ("基准年以来减量", "Reduced since baseline", "公顷 ha"),
    "added_ha": ("基准年以来新增", "Added since baseline", "公顷 ha"),
    "net_reduced_ha": ("净减量", "Net reduction", "公顷 ha"),
    "net_reduced_share": ("净减量占基准年比例", "Net reduction as share of baseline", "0–1"),
}
ADDED_HEADERS = {
    "year": _YEAR, "added_ha": ("较基准年新增", "Added since baseline", "公顷 ha"),
    "parcel_198_ha": ("当年 198 区域用地", "198 land this year", "公顷 ha"),
    "since_year": ("首次出现年份", "First year added", "年 year"), "how_zh": ("新增方式", "How (Chinese)", ""),
    "how_en": ("新增方式（英文）", "How", ""), "output_wan": ("产值", "Output", "万元"),
    "note_zh": ("说明", "Note (Chinese)", ""), "note_en": ("说明（英文）", "Note", ""),
}
CHANGE_HEADERS = {
    "year_from": ("起始年份", "From year", "年 year"), "year_to": ("终止年份", "To year", "年 year"),
    "change": ("变化类型", "Change", "added/removed/reshaped/action_changed/unchanged"),
    "action_from": ("原处置方向", "Action before", ""), "action_to": ("现处置方向", "Action after", ""),
    "output_wan_from": ("原产值", "Output before", "万元"), "output_wan_to": ("现产值", "Output after", "万元"),
    "zone_from": ("原区域类型", "Zone before", "104/195/198"), "zone_to": ("现区域类型", "Zone after", "104/195/198"),
    "park_zh": ("园区", "Park", ""), "area_m2_from": ("原面积", "Area before", "m²"),
    "area_m2_to": ("现面积", "Area after", "m²"),
    "moved_share": ("几何变化比例", "Geometry moved (share of area)", "0–1"),
    "note_zh": ("提示", "Hint (Chinese)", ""), "note_en": ("提示（英文）", "Hint", ""),
}
SUMMARY_HEADERS = {
    "year_from": CHANGE_HEADERS["year_from"], "year_to": CHANGE_HEADERS["year_to"],
    "change": CHANGE_HEADERS["change"], "parcels": ("地块数", "Parcels", "个 count"),
    "land_ha": ("用地面积", "Land", "公顷 ha"), "output_change_yi": ("产值变化", "Change in output", "亿元"),
    "output_changed": ("产值有变化的地块数", "Parcels whose output changed", "个 count"),
}
SNAPSHOT_HEADERS = {
    "year": _YEAR, "source": ("来源", "Source", ""), "year_source": ("年份依据", "Year from", ""),
    "parcels": ("地块数", "Parcels", "个 count"),
    "industrial_parcels": ("工业地块数", "Industrial parcels", "个 count"),
    "duplicate_ids": ("编号重复的地块", "Parcels with shared ids", "个 count"), "crs": ("坐标系", "CRS", ""),
    "synthetic": ("合成数据", "Synthetic", "是/否 yes/no"),
}
#: Sheet name → title line.
SHEET_TITLES = {
    "units 单元指标": "各单元逐年地均产出与目标路径 Each unit's density per year against the plan's path",
    "ledger 减量化台账": "减量化台账（198 区域工业用地） Reduction ledger of industrial land in 198 areas",
    "added 198 新增": "198 区域新增工业用地（与规划不符） New industrial land in 198 areas (against the plan)",
    "changes 变化清单": "地块变化清单（相邻年份） Parcel changes between consecutive years",
    "change summary 变化汇总": "地块变化汇总 Changes by pair of years",
    "snapshots 快照": "快照 Snapshots",
}


def track_sheets(result, changes: pd.DataFrame | None = None) -> dict[str, tuple[pd.DataFrame, dict]]:
    """Every table of a track result, sheet name → (table, headers) for :func:`gis.io.tables.write_tables`."""
    names = list(SHEET_TITLES)
    ch = result.changes if changes is None else changes
    return {
        names[0]: (result.units, UNIT_HEADERS), names[1]: (result.ledger, LEDGER_HEADERS),
        names[2]: (result.added, ADDED_HEADERS), names[3]: (pd.DataFrame(ch.drop(columns="geometry",
                                                                                   errors="ignore")), CHANGE_HEADERS),
        names[4]: (change_summary(result.changes), SUMMARY_HEADERS), names[5]: (result.snapshots, SNAPSHOT_HEADERS),
    }


def write_track_workbook(result, path, *, inputs=(), notes=(), max_change_rows: int = EXCEL_MAX_CHANGE_ROWS
                         ) -> list[Path]:
    """Write the workbook (and, for a long change list, its CSV); return the files written.

    Parameters
    ----------
    result : gis.planning.tracking.TrackResult
    path : str or Path
        An ``.xlsx`` file.
    inputs : iterable of paths
        The snapshots and layers read: never overwritten.
    notes : iterable of str
        Further lines for the notes sheet (the result's own notes come first).
    max_change_rows : int
        Above this many change rows, the sheet lists the changed rows only and all go to ``<stem>_changes.csv``.
    """
    p = Path(path)
    if p.suffix.lower() != ".xlsx":
        raise OutputError(f"跟踪结果须写为 .xlsx（现为 {p.name}）。",
                          f"The tracking workbook must be .xlsx ({p.name}).",
                          "三张表各占一个工作表：请用 -o track.xlsx。",
                          "The three tables take a sheet each: use -o track.xlsx.")
    check_not_input(p, inputs)
    lines = list(result.notes) + list(notes)
    written = []
    ch = result.changes
    if len(ch) > max_change_rows:
        csv = p.with_name(p.stem + "_changes.csv")
        check_not_input(csv, inputs)
        write_table(pd.DataFrame(ch.drop(columns="geometry")), csv)
        written.append(csv)
        ch = ch[ch["change"] != "unchanged"]
        lines.append(f"变化清单共 {len(result.changes):,} 行，工作表只列出有变化的 {len(ch):,} 行；"
                     f"完整清单见 {csv.name} / "
                     f"the change list has {len(result.changes):,} rows: this sheet lists the {len(ch):,} changed "
                     f"ones, all rows are in {csv.name}")
    titles = dict(SHEET_TITLES)
    titles[list(SHEET_TITLES)[0]] += f"（基准年 baseline {result.baseline_year}）"
    write_tables(track_sheets(result, ch), p, notes=list(dict.fromkeys(lines)), titles=titles)
    return [p, *written]


def write_changes_gpkg(result, path, *, inputs=()) -> Path:
    """Write the changes for QGIS: layers ``changes`` and ``reshaped_before`` (see the module notes)."""
    import pyogrio

    p = Path(path)
    if p.suffix.lower() != ".gpkg":
        raise OutputError(f"变化图层须写为 .gpkg（现为 {p.name}）。", f"The changes layer must be a .gpkg ({p.name}).",
                          "请用 --changes changes.gpkg。", "Use --changes changes.gpkg.")
    check_not_input(p, inputs)
    ch = result.changes
    changed = ch[ch["change"] != "unchanged"]
    reshaped = (ch["change"] == "reshaped").to_numpy()
    before = gpd.GeoDataFrame(pd.DataFrame(ch.loc[reshaped, ["parcel_id", "year_from", "year_to", "area_m2_from",
                                                             "area_m2_to", "moved_share"]]),
                              geometry=result.previous[reshaped].to_numpy(), crs=ch.crs)
    with atomic_output(p) as tmp:
        pyogrio.write_dataframe(changed, tmp, layer="changes", driver="GPKG", dataset_options=GPKG_DATASET_OPTIONS,
                                layer_options={
            "DESCRIPTION": f"parkgis track {result.years[0]}–{result.years[-1]}: parcels that changed between "
                           "consecutive years (style by 'change')"})
        pyogrio.write_dataframe(before, tmp, layer="reshaped_before", driver="GPKG", layer_options={
            "DESCRIPTION": "earlier outline of the reshaped parcels"})
    return p


def summary_lines(result) -> list[str]:
    """A short bilingual account for the terminal: parks against their path, the ledger, the changes."""
    last = result.years[-1]
    u = result.units
    lines = [f"年份 years {', '.join(map(str, result.years))}；基准年 baseline {result.baseline_year}"]
    parks = u[(u["unit_type"] == "park") & (u["year"] == last)]
    for _, r in parks.iterrows():  # a handful of parks
        d, path = r["density_yi_per_km2"], r["target_path_yi_per_km2"]
        verdict = "—" if pd.isna(r["on_track"]) else ("达到路径 on track" if bool(r["on_track"]) else "落后 behind")
        dtext = "—" if pd.isna(d) else f"{d:.2f}"
        ptext = "—" if pd.isna(path) else f"{path:.2f}"
        lines.append(f"  {r['name_zh']}：{last} 年地均产出 {dtext} 亿元/km²，路径 path {ptext}：{verdict}")
    tot = result.ledger[(result.ledger["unit_type"] == "district") & (result.ledger["year"] == last)]
    if len(tot):
        t = tot.iloc[0]
        lines.append(f"  减量化台账 ledger {last}：198 区域工业用地 {t['land_198_ha']:.2f} ha，"
                     f"减量 reduced {t['reduced_ha']:.2f} ha，新增 added {t['added_ha']:.2f} ha，"
                     f"净减量 net {t['net_reduced_ha']:.2f} ha")
    counts = result.changes["change"].value_counts()
    lines.append("  变化 changes: " + ", ".join(f"{k} {int(counts.get(k, 0)):,}" for k in
                                                  ("added", "removed", "reshaped", "action_changed", "unchanged")))
    return lines
