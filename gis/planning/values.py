"""Checking the parcels' value fields (DESIGN §5) before any figure is computed.

Shared by density, grading and the density grid. The rules:

* a **required** field that is missing is an error naming it (and the fields the
  file has); a missing **optional** field is reported as not evaluated;
* a value that is not a number, is negative, infinite or absurdly large (beyond
  :data:`MAX_VALUE`: a units slip or a corrupt cell, never a real figure) is an
  error naming the parcels — it would otherwise make a density of 10³⁰⁵ that
  "meets the target";
  NaN in a required field is an error naming the parcels; NaN in an optional
  field leaves every figure that needs it empty for the units holding that parcel
  (reported, never filled in);
* a units mix-up (元 or 亿元 where 万元 is meant) is guessed from the output per m²
  of land and warned about — a warning, not an error, since a real figure may
  be extreme.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from gis.errors import FieldError
from gis.units import (  # re-exported: the planning stage's unit factors
    M2_PER_MU,
    YI_PER_WAN,
)

__all__ = ["MAX_VALUE", "M2_PER_MU", "VALUE_FIELDS", "YI_PER_WAN", "UnitsWarning", "ids_text", "parcel_values",
           "parse_bool", "require_columns"]

log = logging.getLogger(__name__)


#: Value fields of DESIGN §5: name → (Chinese, English, unit).
VALUE_FIELDS: dict[str, tuple[str, str, str]] = {
    "output_wan": ("产值", "output", "万元"),
    "tax_wan": ("税收", "tax", "万元"),
    "value_added_wan": ("增加值", "value added", "万元"),
    "revenue_wan": ("营业收入", "revenue", "万元"),
    "rd_wan": ("研发投入", "R&D spending", "万元"),
    "energy_tce": ("综合能耗", "energy use", "tce"),
    "employees": ("从业人员", "employees", "人 persons"),
}


#: No real figure reaches this in any value field (10¹² 万元 is a hundred times the world's output; 10¹² tce,
#: 10¹² persons): a larger value is a slip or a corrupt cell.
MAX_VALUE = 1e12


class UnitsWarning(UserWarning):
    """A value field whose magnitude suggests the wrong unit (元/亿元 for 万元)."""


def ids_text(ids: Iterable, limit: int = 20) -> str:
    """A short list of ids for a message ("a, b, c … (+12)")."""
    ids = [str(i) for i in ids]
    more = len(ids) - limit
    return ", ".join(ids[:limit]) + (f" … (+{more})" if more > 0 else "")


def require_columns(df: pd.DataFrame, cols: Sequence[str], what_zh: str, what_en: str,
                    hint_zh: str = "", hint_en: str = "") -> None:
    """Raise a FieldError naming the columns of ``cols`` that ``df`` lacks."""
    missing = [c for c in cols if c not in df.columns]
    if missing:
        have = ", ".join(map(str, [c for c in df.columns if c != "geometry"])) or "—"
        raise FieldError(
            f"{what_zh}缺少字段：{', '.join(missing)}；现有字段：{have}。",
            f"{what_en} lacks the fields {', '.join(missing)}; it has: {have}.",
            hint_zh, hint_en,
        )


_TRUE = {"true", "t", "yes", "y", "1", "是", "对", "√"}
_FALSE = {"false", "f", "no", "n", "0", "否", "不是", "×", ""}


def parse_bool(values: pd.Series, field: str, ids: np.ndarray) -> pd.Series:
    """Parse a yes/no field (bool, 0/1, true/false, 是/否) to a nullable boolean."""
    if pd.api.types.is_bool_dtype(values):
        return values.astype("boolean")
    out = pd.Series(pd.NA, index=values.index, dtype="boolean")
    s = values.astype(object)
    present = s.notna().to_numpy()
    text = s[present].map(lambda v: str(v).strip().lower())
    t = text.isin(_TRUE).to_numpy()
    f = text.isin(_FALSE).to_numpy()
    bad = ~(t | f)
    if bad.any():
        pos = np.flatnonzero(present)[bad]
        raise FieldError(
            f"字段 {field} 的值无法识别为是/否（地块 {ids_text(ids[pos])}）：{ids_text(s.iloc[pos].tolist(), 5)}。",
            f"Field '{field}' has values that are not yes/no (parcels {ids_text(ids[pos])}): "
            f"{ids_text(s.iloc[pos].tolist(), 5)}.",
            "请用 true/false、1/0 或 是/否。", "Use true/false, 1/0 or 是/否.",
        )
    vals = np.full(len(s), pd.NA, dtype=object)
    vals[np.flatnonzero(present)[t]] = True
    vals[np.flatnonzero(present)[f]] = False
    out[:] = vals
    return out


def parcel_values(parcels: pd.DataFrame, *, required: Sequence[str] = ("output_wan",),
                  fields: Sequence[str] | None = None, checks: dict | None = None,
                  id_field: str = "parcel_id") -> tuple[pd.DataFrame, list[str]]:
    """Check the value fields and return them as floats.

    Parameters
    ----------
    parcels : pandas.DataFrame
        Parcels with ``id_field`` and the value fields of DESIGN §5.
    required : sequence of str
        Fields that must exist and hold a number for every parcel.
    fields : sequence of str, optional
        Fields to check (default: all of :data:`VALUE_FIELDS`).
    checks : dict, optional
        The ``[checks]`` table of the targets (units heuristic thresholds).
    id_field : str

    Returns
    -------
    values : pandas.DataFrame
        One float column per present field (same index as ``parcels``); absent
        optional fields are absent here too.
    notes : list of str
        Bilingual notes: fields not evaluated, NaN values in optional fields,
        zero-area parcels, units warnings.

    Raises
    ------
    FieldError
        A required field is missing or has NaN; a value is not a number, negative, infinite or beyond
        :data:`MAX_VALUE`.
    """
    fields = list(fields or VALUE_FIELDS)
    require_columns(
        parcels, list(required), "地块数据", "The parcels",
        "产值字段为 output_wan（万元）；可在读入前改名或在图层清单中映射。",
        "Output is the field output_wan (万元); rename the field or map it before reading.",
    )
    ids = (parcels[id_field].astype(str).to_numpy() if id_field in parcels.columns
           else np.array([f"#{i}" for i in range(len(parcels))], dtype=object))
    notes: list[str] = []
    out = pd.DataFrame(index=parcels.index)
    absent = [f for f in fields if f not in parcels.columns]
    if absent:
        names = ", ".join(f"{f}（{VALUE_FIELDS[f][0]}）" if f in VALUE_FIELDS else f for f in absent)
        notes.append(f"未评估（缺少字段）：{names} / not evaluated (fields missing): {', '.join(absent)}")
    for f in fields:
        if f in parcels.columns:
            out[f], note = _checked_field(parcels[f], f, ids, required=f in required)
            notes += note
    if "area_m2" in parcels.columns:
        area = pd.to_numeric(parcels["area_m2"], errors="coerce").to_numpy(dtype="float64")
        zero = ~(area > 0)
        if zero.any():
            notes.append(f"地块 {ids_text(ids[zero])} 面积为 0 或缺失：不计入用地面积 / parcels "
                         f"{ids_text(ids[zero])} have zero or no area: no land counted for them")
        if "output_wan" in out.columns:
            notes += _units_heuristic(out["output_wan"].to_numpy(), area, ids, checks or {})
    if "output_wan" in out.columns:
        notes += _ratio_heuristic(out, ids)
    return out, notes


def _checked_field(raw: pd.Series, f: str, ids: np.ndarray, *, required: bool) -> tuple[pd.Series, list[str]]:
    """One value field as floats, refused when it holds text or negatives (or NaN where required)."""
    num = pd.to_numeric(raw, errors="coerce").astype("float64")
    text = raw.notna().to_numpy() & num.isna().to_numpy()
    if pd.api.types.is_object_dtype(raw):
        text &= raw.astype(str).str.strip().ne("").to_numpy()
    if text.any():
        raise FieldError(
            f"字段 {f} 含非数值（地块 {ids_text(ids[text])}）。",
            f"Field '{f}' holds values that are not numbers (parcels {ids_text(ids[text])}).",
            "请修正这些值，或留空表示缺失。", "Correct them, or leave them empty when unknown.",
        )
    inf = (~np.isfinite(num) & num.notna()).to_numpy() | (num.abs() > MAX_VALUE).to_numpy()
    if inf.any():
        raise FieldError(
            f"字段 {f} 含无穷大或大得不可能的值（> {MAX_VALUE:g}；地块 {ids_text(ids[inf])}）。",
            f"Field '{f}' holds infinite or impossibly large values (> {MAX_VALUE:g}; parcels {ids_text(ids[inf])}).",
            "请核对这些值与单位（金额以万元计）；未知时留空。",
            "Check these values and their unit (money in 万元); leave them empty when unknown.",
        )
    neg = (num < 0).to_numpy()
    if neg.any():
        raise FieldError(
            f"字段 {f} 含负值（地块 {ids_text(ids[neg])}）。",
            f"Field '{f}' has negative values (parcels {ids_text(ids[neg])}).",
            "产值、税收、能耗、人数不能为负；请修正后重试。",
            "Output, tax, energy and employees cannot be negative; correct them and retry.",
        )
    nan = num.isna().to_numpy()
    if not nan.any():
        return num, []
    if required:
        raise FieldError(
            f"必需字段 {f} 有空值（地块 {ids_text(ids[nan])}）。",
            f"Required field '{f}' is empty or NaN for parcels {ids_text(ids[nan])}.",
            "请补齐；无产出的地块填 0。", "Fill them in; a parcel with no output has 0.",
        )
    return num, [f"字段 {f} 在地块 {ids_text(ids[nan])} 为空：含这些地块的单元不评估相关指标 / "
                 f"'{f}' is empty for parcels {ids_text(ids[nan])}: figures needing it are not "
                 f"evaluated for the units holding them"]


def _units_heuristic(output_wan: np.ndarray, area_m2: np.ndarray, ids: np.ndarray, checks: dict) -> list[str]:
    """Warn when output per m² looks like 元 or 亿元 instead of 万元."""
    hi = float(checks.get("max_median_output_wan_per_m2", 10.0))
    lo = float(checks.get("min_median_output_wan_per_m2", 1e-4))
    big = float(checks.get("max_parcel_output_wan", 1e7))
    msgs = []
    ok = (output_wan > 0) & (area_m2 > 0) & np.isfinite(output_wan)
    if ok.any():
        med = float(np.median(output_wan[ok] / area_m2[ok]))
        if med > hi:
            msgs.append(
                f"单位疑误：产值中位数为每平方米 {med:,.1f} 万元（= {med * 100:,.0f} 亿元/km²），远高于常见水平，"
                f"output_wan 是否以“元”填报？应为万元 / units? median output is {med:,.1f} 万元 per m² "
                f"(= {med * 100:,.0f} 亿元/km²), far above any real park: is output_wan in 元 instead of 万元?")
        elif med < lo:
            msgs.append(
                f"单位疑误：产值中位数为每平方米 {med:.2e} 万元，过低，output_wan 是否以“亿元”填报？应为万元 / "
                f"units? median output is {med:.2e} 万元 per m², implausibly low: is output_wan in 亿元 "
                f"instead of 万元?")
    huge = np.isfinite(output_wan) & (output_wan > big)
    if huge.any():
        msgs.append(f"单位疑误：地块 {ids_text(ids[huge])} 产值超过 {big:,.0f} 万元，是否以“元”填报？ / units? "
                    f"parcels {ids_text(ids[huge])} have output above {big:,.0f} 万元: in 元 instead of 万元?")
    for m in msgs:
        warnings.warn(m, UnitsWarning, stacklevel=3)
    return msgs


def _ratio_heuristic(vals: pd.DataFrame, ids: np.ndarray) -> list[str]:
    """Warn when tax, value added or R&D exceed output for most parcels (one field in 元?)."""
    msgs = []
    out = vals["output_wan"].to_numpy()
    for f in ("tax_wan", "value_added_wan", "rd_wan"):
        if f not in vals.columns:
            continue
        x = vals[f].to_numpy()
        ok = (out > 0) & np.isfinite(x)
        if ok.sum() >= 3 and float(np.median(x[ok] / out[ok])) > 1.0:
            zh, en, _ = VALUE_FIELDS[f]
            msgs.append(f"单位疑误：多数地块的{zh}（{f}）大于产值，是否以“元”填报？应为万元 / units? {en} ({f}) "
                        f"exceeds output for most parcels: is it in 元 instead of 万元?")
    for m in msgs:
        warnings.warn(m, UnitsWarning, stacklevel=3)
    return msgs
