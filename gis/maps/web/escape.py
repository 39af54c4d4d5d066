"""HTML escaping of attribute values before they reach a web map.

folium's ``GeoJsonTooltip``/``GeoJsonPopup`` (and our own parcel layer, which
builds popups with ``innerHTML``) put property values into the page as HTML. A
parcel or enterprise named ``<img src=x onerror=alert(1)>`` would then run
script in the planner's browser. Every value — ids included — is therefore
escaped here, in Python, before it is written into the page; the page only
ever sees ``&lt;img …&gt;`` and shows it as text.
"""

from __future__ import annotations

import html
import json
import math

import numpy as np
import pandas as pd

__all__ = ["escape_text", "escape_series", "display_values", "js_literal", "escape_html"]

_BRACES = str.maketrans({"{": "&#123;", "}": "&#125;"})


def escape_html(text: str) -> str:
    """``html.escape`` (quotes included) plus braces, see the module docstring."""
    return html.escape(text, quote=True).translate(_BRACES)


def escape_text(value) -> str:
    """Escape one value for HTML text or attribute context ("" for missing)."""
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if value is pd.NA or value is pd.NaT:
        return ""
    return escape_html(str(value))


def display_values(series: pd.Series, fmt: str | None = None) -> pd.Series:
    """Values of ``series`` as display strings (missing → ""), not yet escaped.

    ``fmt`` formats numbers (e.g. ``"{:,.0f}"``); non-numeric values are shown
    with ``str``.
    """
    s = pd.Series(series, copy=False)
    out = pd.Series("", index=s.index, dtype=object)
    present = s.notna().to_numpy()
    if not present.any():
        return out
    vals = s[present]
    if fmt is not None and pd.api.types.is_numeric_dtype(vals.dtype) and not pd.api.types.is_bool_dtype(vals.dtype):
        out[present] = [fmt.format(v) for v in vals.to_numpy(dtype=float)]
    else:
        out[present] = vals.astype(str).to_numpy()
    return out


def escape_series(series: pd.Series, fmt: str | None = None) -> pd.Series:
    """Display strings of ``series``, HTML-escaped.

    Escaping is done on the distinct values only (``pandas.factorize``), so a
    column of 100,000 parcels with a few hundred distinct reasons costs a few
    hundred escapes.
    """
    disp = display_values(series, fmt)
    codes, uniques = pd.factorize(disp, sort=False)
    escaped = np.array([escape_html(u) for u in uniques], dtype=object)
    return pd.Series(escaped[codes] if len(codes) else np.array([], dtype=object), index=disp.index, dtype=object)


def js_literal(obj) -> str:
    """``obj`` as a JSON/JavaScript literal that is safe inside a ``<script>`` element.

    ``<``, ``>`` and ``&`` are written as ``\\u003c`` etc. so no string can close
    the script element, and U+2028/U+2029 are escaped for older JS parsers.
    """
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
