"""Tables for planners: CSV and formatted Excel with bilingual headers and units.

Every table parkgis hands on (density, grading, classification summaries…) goes
through :func:`write_table` or :func:`write_tables`, so all of them look alike:

* **CSV** (UTF-8 with a byte-order mark, so Excel opens the Chinese text
  correctly): one header row with the machine column names, which carry their
  unit (``density_yi_per_km2``), as DESIGN §4b names them.
* **Excel** (``.xlsx``, openpyxl): three header rows — Chinese name with unit,
  English name with unit, the machine column name (small, grey) — frozen, bold,
  filled and wrapped; numbers formatted by kind; booleans shown as ``是 yes`` /
  ``否 no``; an auto-filter; an optional notes sheet (说明 Notes).

Writes are atomic (:func:`gis.io.safe_write.atomic_output`): a failed write never leaves a
half-written file behind.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from gis.errors import OutputError
from gis.io.rounding import rounded_for_people
from gis.io.safe_write import atomic_output

__all__ = ["COMMON_HEADERS", "TABLE_SUFFIXES", "Header", "header_labels", "write_table", "write_tables"]

#: (Chinese name, English name, unit) of a column; unit may be "".
Header = tuple[str, str, str]

TABLE_SUFFIXES = (".csv", ".xlsx")

#: Headers of the DESIGN §4 classification columns, which many tables repeat.
COMMON_HEADERS: dict[str, Header] = {
    "parcel_id": ("地块编号", "Parcel ID", ""),
    "area_m2": ("地块面积", "Parcel area", "m²"),
    "share_104": ("104 区块占比", "Share in 104", "0–1"),
    "share_195": ("195 区域占比", "Share in 195", "0–1"),
    "share_198": ("198 区域占比", "Share in 198", "0–1"),
    "share_outside": ("区外占比", "Share outside district", "0–1"),
    "zone": ("区域类型", "Zone", "104/195/198"),
    "action": ("处置方向", "Action", ""),
    "rule": ("判定规则", "Rule", ""),
    "park_id": ("园区编号", "Park ID", ""),
    "town": ("乡镇", "Town", ""),
    "riverbank_m": ("距长江岸线", "Distance to riverbank", "m"),
    "yangtze_1km": ("位于长江 1 公里范围", "Within Yangtze 1 km", "是/否 yes/no"),
    "yangtze_1km_share": ("长江 1 公里范围内占比", "Share within Yangtze 1 km", "0–1"),
    "in_reserve": ("位于战略预留区", "In strategic reserve", "是/否 yes/no"),
    "flags": ("标记", "Flags", ""),
    "reason_zh": ("理由（中文）", "Reason (Chinese)", ""),
    "reason_en": ("理由（英文）", "Reason (English)", ""),
    "enterprise_zh": ("企业名称", "Enterprise", ""),
    "industry": ("行业代码", "Industry code", "GB/T 4754-2017"),
    "name_zh": ("名称（中文）", "Name (Chinese)", ""),
    "name_en": ("名称（英文）", "Name (English)", ""),
    "unit_type": ("单元类型", "Unit type", ""),
    "unit_id": ("单元编号", "Unit ID", ""),
}

_HEADER_FILL = "DDEBF7"
_MAX_WIDTH = 40


def header_labels(col: str, headers: Mapping[str, Header] | None = None) -> tuple[str, str]:
    """Return the (Chinese, English) header text of a column, units in brackets.

    Columns not in ``headers`` nor in :data:`COMMON_HEADERS` use the column name.
    """
    spec = (headers or {}).get(col) or COMMON_HEADERS.get(col)
    if spec is None:
        return str(col), str(col)
    zh, en, unit = spec
    if unit:
        return f"{zh}（{unit}）", f"{en} ({unit})"
    return zh, en


def _check_suffix(path: Path) -> str:
    sfx = path.suffix.lower()
    if sfx not in TABLE_SUFFIXES:
        raise OutputError(
            f"不支持的表格格式“{path.suffix}”（{path}）。",
            f"Unsupported table format '{path.suffix}' ({path}).",
            "请用 .csv 或 .xlsx。",
            "Use .csv or .xlsx.",
        )
    return sfx


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """Drop a geometry column (tables are attributes only)."""
    geom = [c for c in df.columns if str(getattr(df[c], "dtype", "")) == "geometry"]
    return pd.DataFrame(df.drop(columns=geom))


def write_table(df: pd.DataFrame, path, *, sheet: str = "table", headers: Mapping[str, Header] | None = None,
                notes: Sequence[str] = (), title: str | None = None) -> Path:
    """Write one table as CSV or formatted Excel (format from the suffix).

    Parameters
    ----------
    df : pandas.DataFrame
        The table; a geometry column is dropped.
    path : str or Path
        ``.csv`` or ``.xlsx``.
    sheet : str
        Sheet name (Excel only).
    headers : mapping of column → (zh, en, unit), optional
        Header texts; unknown columns fall back to :data:`COMMON_HEADERS`, then
        to the column name.
    notes : sequence of str
        Lines for a "说明 Notes" sheet (Excel) — provenance, not-evaluated
        measures, targets used. Ignored for CSV.
    title : str, optional
        A title line above the headers (Excel only).

    Returns
    -------
    Path
        The written file.
    """
    p = Path(path)
    if _check_suffix(p) == ".csv":
        with atomic_output(p) as tmp:
            rounded_for_people(_plain(df)).to_csv(tmp, index=False, encoding="utf-8-sig")
        return p
    return write_tables({sheet: (df, headers)}, p, notes=notes, titles={sheet: title} if title else None)


def write_tables(sheets: Mapping[str, tuple[pd.DataFrame, Mapping[str, Header] | None]], path, *,
                 notes: Sequence[str] = (), titles: Mapping[str, str] | None = None) -> Path:
    """Write several tables to one Excel workbook, one formatted sheet each.

    Parameters
    ----------
    sheets : mapping of sheet name → (DataFrame, headers or None)
        In sheet order. Names longer than 31 characters are cut (an Excel limit).
    path : str or Path
        An ``.xlsx`` file. (A ``.csv`` path writes the first table only.)
    notes : sequence of str
        Lines for a last sheet "说明 Notes".
    titles : mapping of sheet name → str, optional
        A title line above a sheet's headers.

    Returns
    -------
    Path
    """
    p = Path(path)
    if _check_suffix(p) == ".csv":
        name, (df, headers) = next(iter(sheets.items()))
        return write_table(df, p, sheet=name, headers=headers)
    try:
        from openpyxl import Workbook
    except ImportError as exc:  # pragma: no cover - openpyxl is in the [excel] extra
        raise OutputError("写 Excel 需要 openpyxl。", "Writing Excel needs openpyxl.",
                          "请安装：pip install 'parkgis[excel]'，或改用 .csv。",
                          "Install it: pip install 'parkgis[excel]', or write .csv.") from exc
    wb = Workbook()
    wb.remove(wb.active)
    for name, (df, headers) in sheets.items():
        ws = wb.create_sheet(_sheet_name(name, wb.sheetnames))
        _fill_sheet(ws, _plain(df), headers, (titles or {}).get(name))
    if notes:
        ws = wb.create_sheet(_sheet_name("说明 Notes", wb.sheetnames))
        ws.column_dimensions["A"].width = 120
        from openpyxl.styles import Alignment, Font

        ws.cell(row=1, column=1, value="说明 Notes").font = Font(bold=True)
        for i, line in enumerate(notes, start=2):
            c = ws.cell(row=i, column=1, value=str(line))
            c.alignment = Alignment(wrap_text=True, vertical="top")
    with atomic_output(p) as tmp:
        wb.save(tmp)
    return p


def _sheet_name(name: str, taken: list[str]) -> str:
    # Excel forbids []:*?/\ in sheet names and cuts at 31 characters.
    clean = "".join("_" if ch in '[]:*?/\\' else ch for ch in str(name))[:31] or "sheet"
    base, k = clean, 2
    while clean in taken:
        clean = f"{base[:28]}_{k}"
        k += 1
    return clean


def _number_format(col: str, s: pd.Series) -> str | None:
    if pd.api.types.is_bool_dtype(s) or not pd.api.types.is_numeric_dtype(s):
        return None
    if col.endswith("_year") or col == "year":
        return "0"  # 2025, not 2,025
    if pd.api.types.is_integer_dtype(s) or col in ("parcels", "employees") or col.endswith("_count"):
        return "#,##0"
    if col.startswith("share_") or col.endswith("_share"):
        return "0.000"
    if col.endswith("_pct"):
        return "0.0"
    return "#,##0.00" if col.endswith(("_m2", "_mu", "_wan", "_m")) else "#,##0.000"


def _cell_value(v):
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, (bool, np.bool_)):
        return "是 yes" if v else "否 no"
    if isinstance(v, float) and not np.isfinite(v):
        return None
    if isinstance(v, np.generic):
        v = v.item()
        if isinstance(v, float) and not np.isfinite(v):
            return None
    if isinstance(v, (list, tuple, set, dict)):
        return str(v)
    return v


def _fill_sheet(ws, df: pd.DataFrame, headers, title: str | None) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    top = 1
    if title:
        ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=12)
        top = 2
    fill = PatternFill("solid", fgColor=_HEADER_FILL)
    thin = Side(style="thin", color="9BB7D4")
    wrap = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for j, col in enumerate(df.columns, start=1):
        zh, en = header_labels(col, headers)
        for k, (text, font) in enumerate(((zh, Font(bold=True)), (en, Font(italic=True)),
                                          (str(col), Font(size=8, color="808080")))):
            c = ws.cell(row=top + k, column=j, value=text)
            c.font, c.fill, c.alignment = font, fill, wrap
            c.border = Border(bottom=thin) if k == 2 else Border()
        width = max(len(str(col)), len(en), 2 * len(zh)) + 2
        ws.column_dimensions[get_column_letter(j)].width = min(max(width, 10), _MAX_WIDTH)
    first = top + 3
    formats = {col: _number_format(str(col), df[col]) for col in df.columns}
    values = df.astype(object).to_numpy()
    for i, row in enumerate(values, start=first):
        for j, v in enumerate(row, start=1):
            c = ws.cell(row=i, column=j, value=_cell_value(v))
            if c.data_type == "f":
                c.data_type = "s"  # text from the data ("=…") is text, never a formula
            fmt = formats[df.columns[j - 1]]
            if fmt and isinstance(c.value, (int, float)):
                c.number_format = fmt
    ws.freeze_panes = ws.cell(row=first, column=1)
    if len(df.columns):
        last = get_column_letter(len(df.columns))
        ws.auto_filter.ref = f"A{top + 2}:{last}{max(first - 1 + len(df), top + 2)}"
