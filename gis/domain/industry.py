"""Industry codes: GB/T 4754-2017 (国民经济行业分类) parsed, validated and looked up.

DESIGN §1: any valid code is accepted — 2 to 4 digits whose first two digits are
a division (大类) 01–97; a 4-digit class (小类) belongs to its 3-digit group
(中类) and 2-digit division; manufacturing is divisions 13–43; a malformed code
is an error. A well-formed 3/4-digit code under a real division is accepted even
if the class does not exist in the standard: its label
(:func:`gis.domain.industry_names.industry_label`) falls back to the nearest level
the standard lists (:mod:`gis.domain.industry_classes`) and says so.

Input forms accepted by :func:`normalise_code` (all give the digits as text):

* text ``'3731'``, ``'0511'``, ``' 36 '``, full-width ``'３７３１'``: kept as
  typed (leading zeros kept); 2–4 digits;
* text with its section letter, ``'C3731'`` / ``'C 37'``, as statistical
  registers print it; the letter must be the division's section;
* integers and integral floats (Excel stores ``0511`` as the number 511):
  1–2 digits are a division (``5`` → ``'05'``, ``13.0`` → ``'13'``), 4 digits a
  class (``3731`` → ``'3731'``). A **3-digit number is refused**: 511 is either
  the class ``'0511'`` that lost its leading zero or the group ``'511'`` (a
  wholesale group), and guessing would silently file a farm service under
  wholesale. ``'13.0'`` as text (a float column written out as text) follows
  the number rules unless it keeps a leading zero (``'0511.0'`` → ``'0511'``).

Missing values (None, NaN, ``pd.NA``, blank text, and the text ``'nan'``,
``'None'``, ``'<NA>'`` left by a careless ``astype(str)``) are missing, not
errors, in :func:`validate_codes` and the vectorised functions (they give NA).
The plan's 1+3+X categories of the codes are :mod:`gis.domain.industry_categories`.
"""

from __future__ import annotations

import math
import numbers
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from gis.domain.industry_divisions import DIVISIONS, Division
from gis.errors import FieldError

__all__ = [
    "MANUFACTURING_DIVISIONS",
    "normalise_code",
    "validate_codes",
    "ensure_codes",
    "parse_code_list",
    "prefix_key",
    "map_codes",
    "division",
    "section",
    "division_name",
    "is_manufacturing",
    "matches_any",
]

#: Divisions of section C 制造业 (DESIGN §1: manufacturing is 13–43).
MANUFACTURING_DIVISIONS: frozenset[str] = frozenset(d.code for d in DIVISIONS if d.section == "C")

_DIVISION_BY_CODE: dict[str, Division] = {d.code: d for d in DIVISIONS}

_FORMAT_ZH = "应为 2–4 位数字、前两位为 01–97 的行业大类（如 '13'、'373'、'3731'、'0511'）"
_FORMAT_EN = "expected 2 to 4 digits starting with a division 01–97 (e.g. '13', '373', '3731', '0511')"
_HINT_ZH = "请按 GB/T 4754-2017 填写行业代码，并以文本格式保存，以免表格软件去掉前导零（0511 变成 511）。"
_HINT_EN = ("Write GB/T 4754-2017 codes and store the column as text, so that spreadsheet software "
            "does not drop leading zeros (0511 becomes 511).")

_MISSING_TEXT = frozenset({"", "nan", "none", "<na>"})
_TEXT_RE = re.compile(r"(?P<letter>[A-Za-z])?\s*(?P<digits>\d+)")
_FLOAT_TEXT_RE = re.compile(r"(?P<digits>\d+)\.0*")


class _Bad(NamedTuple):
    """Why a value is not a code (zh, en)."""

    zh: str
    en: str


_MISSING = object()  # sentinel: a missing value (not an error)


def _check_digits(digits: str, letter: str | None = None) -> str | _Bad:
    if not 2 <= len(digits) <= 4:
        n = len(digits)
        return _Bad(f"位数为 {n}", f"it has {n} digit{'s' if n > 1 else ''}")
    div = _DIVISION_BY_CODE.get(digits[:2])
    if div is None:
        return _Bad(f"前两位 {digits[:2]} 不是 01–97 的行业大类", f"{digits[:2]} is not a division 01–97")
    if letter is not None and letter.upper() != div.section:
        return _Bad(f"门类字母 {letter} 与大类 {div.code} 所属门类 {div.section} 不符",
                    f"section letter {letter} does not match division {div.code}, which is in section {div.section}")
    return digits


def _from_number(n: int) -> str | _Bad:
    if n < 0:
        return _Bad("为负数", "it is negative")
    digits = str(n)
    if len(digits) == 1:  # '05' stored as a number: the only reading
        digits = "0" + digits
    elif len(digits) == 3:
        return _Bad(f"数值 {n} 有歧义：可能是去掉前导零的小类 0{n}，也可能是中类 {n}",
                    f"the number {n} is ambiguous: the class 0{n} without its leading zero, or the group {n}")
    return _check_digits(digits)


def _parse(value: Any) -> str | _Bad | object:
    """Return the normalised code, ``_MISSING`` or a :class:`_Bad` reason."""
    if isinstance(value, (bool, np.bool_)):
        return _Bad("是布尔值", "it is a boolean")
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        if text.lower() in _MISSING_TEXT:
            return _MISSING
        m = _FLOAT_TEXT_RE.fullmatch(text)
        if m:  # a float written out as text: number rules unless a leading zero survived
            digits = m["digits"]
            return _check_digits(digits) if digits.startswith("0") else _from_number(int(digits))
        m = _TEXT_RE.fullmatch(text)
        if m is None:
            return _Bad("不是数字代码", "it is not a numeric code")
        return _check_digits(m["digits"], m["letter"])
    if isinstance(value, numbers.Integral):
        return _from_number(int(value))
    if isinstance(value, numbers.Real):
        x = float(value)
        if math.isnan(x):
            return _MISSING
        if not x.is_integer():
            return _Bad(f"{x:g} 不是整数", f"{x:g} is not a whole number")
        return _from_number(int(x))
    if value is None or value is pd.NA or value is pd.NaT:
        return _MISSING
    return _Bad(f"类型 {type(value).__name__} 不是代码", f"a {type(value).__name__} is not a code")


def _error(value: Any, bad: _Bad, where_zh: str = "", where_en: str = "") -> FieldError:
    return FieldError(
        f"{where_zh}行业代码“{value}”无效（{bad.zh}）：{_FORMAT_ZH}。",
        f"Industry code {value!r}{where_en} is not valid ({bad.en}): {_FORMAT_EN}.",
        _HINT_ZH,
        _HINT_EN,
    )


def normalise_code(code: Any) -> str:
    """Return a GB/T 4754-2017 code as its 2–4 digits (text, leading zeros kept).

    Parameters
    ----------
    code : str, int or float
        ``'3731'``, ``'0511'``, ``' 36 '``, ``'C3731'``, ``13``, ``13.0``, ``3731``…
        (the accepted forms are listed in the module docstring).

    Returns
    -------
    str
        The code, e.g. ``'0511'``.

    Raises
    ------
    FieldError
        For a missing or malformed code (``'ABC'``, ``'98'``, ``'1'``, ``'12345'``,
        ``'00'``, the ambiguous number ``511``), in Chinese and English.
    """
    result = _parse(code)
    if result is _MISSING:
        raise FieldError("行业代码为空。", "The industry code is empty.", _HINT_ZH, _HINT_EN)
    if isinstance(result, _Bad):
        raise _error(code, result)
    return result  # type: ignore[return-value]


def _as_series(values: Any) -> pd.Series:
    if isinstance(values, pd.Series):
        return values
    if pd.api.types.is_scalar(values):  # one code, not the characters of a string
        values = [values]
    return pd.Series(list(values) if not hasattr(values, "dtype") else values, dtype=object)


def validate_codes(values: Iterable[Any]) -> tuple[pd.Series, pd.Series]:
    """Normalise a column of codes, flagging malformed ones instead of raising.

    Parameters
    ----------
    values : Series or array-like
        Raw codes (text, numbers, missing values).

    Returns
    -------
    codes : Series of dtype ``"string"``
        Normalised codes; NA where the value is missing or malformed.
    errors : Series of bool
        True where the value is present but malformed (so callers can report the
        row ids). Both keep the index of ``values``.
    """
    s = _as_series(values)
    # Parse each distinct value once (a column has few distinct codes) and spread
    # the results with one take; missing values factorize to -1 (the last slot).
    labels, uniques = pd.factorize(s.to_numpy(dtype=object), use_na_sentinel=True)
    parsed = [_parse(u) for u in uniques]
    good = np.array([r if isinstance(r, str) else None for r in parsed] + [None], dtype=object)
    bad = np.array([isinstance(r, _Bad) for r in parsed] + [False], dtype=bool)
    codes = pd.Series(pd.array(good[labels], dtype="string"), index=s.index)
    errors = pd.Series(bad[labels], index=s.index, dtype=bool)
    return codes, errors.rename(s.name)


def ensure_codes(values: Iterable[Any], *, field: str = "industry") -> pd.Series:
    """Normalise a column of codes, raising for any malformed one.

    Parameters
    ----------
    values : Series or array-like
        Raw codes; missing values are allowed and stay NA.
    field : str
        Column name used in the message.

    Returns
    -------
    Series of dtype ``"string"``
        The normalised codes, index kept.

    Raises
    ------
    FieldError
        Naming up to five offending rows (index label and value).
    """
    s = _as_series(values)
    codes, errors = validate_codes(s)
    if errors.any():
        bad = s[errors]
        pairs = [f"{i}: {v!r}" for i, v in list(bad.items())[:5]]
        more = f" (+{len(bad) - 5})" if len(bad) > 5 else ""
        raise FieldError(
            f"字段 {field} 有 {len(bad)} 个无效的行业代码（行: 值）：{'、'.join(pairs)}{more}；{_FORMAT_ZH}。",
            f"Field {field} has {len(bad)} invalid industry codes (row: value): {', '.join(pairs)}{more}; "
            f"{_FORMAT_EN}.",
            _HINT_ZH,
            _HINT_EN,
        )
    return codes


def parse_code_list(listed: str | Iterable[Any], *, what_zh: str = "列表", what_en: str = "list") -> tuple[str, ...]:
    """Parse a list of codes, e.g. a park's ``leading_industries`` (``"3731, 3737；36"``).

    Parameters
    ----------
    listed : str or iterable
        Codes; a string is split on commas, semicolons, 、 and spaces (half- or full-width).
    what_zh, what_en : str
        What the list is (e.g. ``"园区主导产业"``, ``"park leading_industries"``), for messages.

    Returns
    -------
    tuple of str
        The normalised codes, in order, duplicates removed.

    Raises
    ------
    FieldError
        For a malformed code in the list.
    """
    if isinstance(listed, str):
        items: list[Any] = [p for p in re.split(r"[,，;；、\s]+", unicodedata.normalize("NFKC", listed)) if p]
    else:
        items = list(listed)
    out: list[str] = []
    for item in items:
        result = _parse(item)
        if isinstance(result, _Bad):
            raise _error(item, result, f"{what_zh}中的", f" in the {what_en}")
        if isinstance(result, str) and result not in out:
            out.append(result)
    return tuple(out)


def prefix_key(code: str) -> str:
    """Drop padding zeros: '3730' means group 373 and '3700' division 37.

    In GB/T 4754 a class ending in 0 exists only for a group that is not
    subdivided (2710 = group 271), so the padded and the short form cover the
    same classes; statistical registers often write groups and divisions padded.
    """
    while len(code) > 2 and code.endswith("0"):
        code = code[:-1]
    return code


def map_codes(values: Any, func: Callable[[str], Any], dtype: str) -> Any:
    """Apply ``func`` (normalised code → value) once per distinct code; scalars in, scalar out.

    Missing values give NA; a malformed code raises :class:`FieldError`. A Series
    result has the pandas ``dtype`` given (e.g. ``"string"``, ``"boolean"``).
    """
    if pd.api.types.is_scalar(values):
        result = _parse(values)
        if result is _MISSING:
            return pd.NA
        if isinstance(result, _Bad):
            raise _error(values, result)
        return func(result)  # type: ignore[arg-type]
    codes = ensure_codes(values)
    labels, uniques = pd.factorize(codes.to_numpy(dtype=object, na_value=None), use_na_sentinel=True)
    mapped = np.array([func(c) for c in uniques] + [pd.NA], dtype=object)
    return pd.Series(pd.array(mapped[labels], dtype=dtype), index=codes.index)


def division(codes: Any) -> Any:
    """Return the 2-digit division of each code (``'3731'`` → ``'37'``); NA stays NA.

    Parameters
    ----------
    codes : scalar, Series or array-like
        Codes in any form :func:`normalise_code` accepts.

    Returns
    -------
    str or Series of dtype ``"string"``
    """
    return map_codes(codes, lambda c: c[:2], "string")


def section(codes: Any) -> Any:
    """Return the section letter (门类 A–T) of each code; NA stays NA."""
    return map_codes(codes, lambda c: _DIVISION_BY_CODE[c[:2]].section, "string")


def division_name(codes: Any, lang: str = "zh") -> Any:
    """Return the official name of each code's division.

    Parameters
    ----------
    codes : scalar, Series or array-like
        Codes in any accepted form.
    lang : {"zh", "en"}
        Chinese (official) or English name.

    Returns
    -------
    str or Series of dtype ``"string"``
        E.g. ``division_name("3731")`` → ``'铁路、船舶、航空航天和其他运输设备制造业'``.
    """
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    attr = "name_zh" if lang == "zh" else "name_en"
    return map_codes(codes, lambda c: getattr(_DIVISION_BY_CODE[c[:2]], attr), "string")


def is_manufacturing(codes: Any) -> Any:
    """Return whether each code is manufacturing (divisions 13–43); NA stays NA.

    Returns
    -------
    bool or Series of dtype ``"boolean"``
    """
    return map_codes(codes, lambda c: c[:2] in MANUFACTURING_DIVISIONS, "boolean")


def matches_any(codes: Any, listed: str | Iterable[Any]) -> Any:
    """Return whether each code falls under any listed code; NA stays NA.

    A listed division covers all its groups and classes (``27`` covers ``2710``
    and ``2720``); a listed class covers only itself (``2710`` covers neither
    ``2720`` nor the bare division ``27``, which may or may not be 2710). A
    padded form means the short one: ``3730`` lists group 373, ``3700`` division
    37 (see :func:`prefix_key`).

    Parameters
    ----------
    codes : scalar, Series or array-like
        Codes in any accepted form.
    listed : str or iterable
        The listed codes, e.g. ``["25", "26", "28", "2710"]`` or ``"25,26,28,2710"``.

    Returns
    -------
    bool or Series of dtype ``"boolean"``

    Raises
    ------
    FieldError
        For a malformed code among ``codes`` or ``listed``.
    """
    prefixes = tuple({prefix_key(c) for c in parse_code_list(listed)})
    return map_codes(codes, lambda c: c.startswith(prefixes) if prefixes else False, "boolean")
