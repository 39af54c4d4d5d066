"""Numbers rounded to their meaning in the tables people read (CSV), by what the column holds.

A CSV is read by people (in Excel) as much as by programs: 4972.2118134840375 m
says nothing that 4972.2 m does not, and its 13 decimals look like an error.
The GeoPackage and other GIS outputs keep full precision; the CSV and console
tables round by the column's unit, as its name says (DESIGN: names carry units):

======================================  ==========================  ========
columns                                  unit                        decimals
======================================  ==========================  ========
``*_m`` (distances)                      metres                      1
``area_m2``, ``*_m2``                    m²                          1
``share_*``, ``*_share``, ``cagr``       fraction                    4
``*_wan``, ``*_wan_per_*``               万元 (money: 0.01 万元)     2
``*_yi``                                 亿元 (money: 0.01 万元)     6
``*_per_km2``, ``*_tce_per_wan``         densities, intensities      4
``*_km2``                                km²                         6
``*_ha``, ``*_mu``                       ha, 亩                      4
``*_pct``, ``score*``                    percent, points             2
``*_tce``                                tonnes of standard coal     2
``lon``, ``lat``                         degrees                     7
======================================  ==========================  ========

Other float columns keep at most 10 significant digits.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

__all__ = ["DECIMALS", "decimals_for", "rounded_for_people"]

#: (pattern on the column name, decimals), first match wins.
DECIMALS: list[tuple[re.Pattern, int]] = [(re.compile(p), d) for p, d in (
    (r"^(lon|lat|longitude|latitude)$", 7),
    (r"(_per_km2|_tce_per_wan)$", 4),
    (r"_wan(_per_\w+)?$", 2),
    (r"_yi$", 6),
    (r"(^share_|_share$|^cagr$)", 4),
    (r"_m2$", 1),
    (r"_km2$", 6),
    (r"_m$", 1),
    (r"_(ha|mu)$", 4),
    (r"(_pct$|^score|_score$)", 2),
    (r"_tce$", 2),
)]


def decimals_for(column: str) -> int | None:
    """Decimals a column's numbers are shown with (None: no unit rule, 10 significant digits)."""
    for pattern, d in DECIMALS:
        if pattern.search(str(column)):
            return d
    return None


def _significant(values: np.ndarray, digits: int = 10) -> np.ndarray:
    """Round to ``digits`` significant digits (NaN and inf kept)."""
    out = values.astype("float64", copy=True)
    finite = np.isfinite(out) & (out != 0)
    mag = np.floor(np.log10(np.abs(out[finite])))
    scale = 10.0 ** (digits - 1 - mag)
    out[finite] = np.round(out[finite] * scale) / scale
    return out


def rounded_for_people(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose float columns are rounded by unit (see the module table).

    Parameters
    ----------
    df : pandas.DataFrame
        A table about to be written as CSV or printed.

    Returns
    -------
    pandas.DataFrame
        Float columns rounded; every other column as it was.
    """
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if not pd.api.types.is_float_dtype(s.dtype):
            continue
        d = decimals_for(col)
        values = s.to_numpy(dtype="float64", na_value=np.nan)
        out[col] = np.round(values, d) if d is not None else _significant(values)
    return out
