"""Shared pieces of the siting rules (``site_*`` modules).

A siting rule is a :class:`gis.rules.Rule` with ``kind="site"`` whose function
takes the site table (one row per project) and returns a :class:`SiteCheck`:
per row a level (``ok`` / ``review`` / ``prohibited`` / ``not_evaluated``, or
None where the rule does not apply), a Chinese and an English message, and —
optionally — a per-row basis (when the basis depends on what matched, as in the
riverbank-ban table). The verdict is the worst level over the rules
(:func:`gis.siting.evaluate.evaluate`).

Columns of the site table (built by :func:`gis.siting.site_table.site_table`)
-------------------------------------------------------------------------
* the overlay columns of DESIGN §4: ``area_m2``, ``share_104/195/198/outside``,
  ``zone``, ``park_id``, ``town``, ``riverbank_m``, ``yangtze_1km``,
  ``yangtze_1km_share``, ``in_reserve``, ``in_water`` (a part lies seaward of the
  shoreline: in the river or on tidal flats);
* ``land_layer`` (the layers have a ``land`` layer, so ``in_water`` was judged);
* ``industry`` (normalised GB/T 4754 code, string dtype, NA when not given),
  ``manufacturing`` (boolean, NA when no industry), ``industry_zh``,
  ``industry_en`` (the code with its division's name, for messages);
* ``facility`` (e.g. ``"tailings_pond"``, None when not given);
* ``land_m2`` (given, else the polygon site's own area, else NaN),
  ``output_wan``, ``value_added_wan``, ``energy_tce``, ``investment_wan``
  (floats, NaN when not given);
* ``park_name_zh``, ``park_name_en``, ``park_leading_industries`` (of the park
  in ``park_id``), ``nearest_park_id``, ``nearest_park_zh``,
  ``nearest_park_en``, ``nearest_park_m`` (the nearest park whose leading
  industries match the project, for sites not already in one);
* ``flags`` (``;``-separated: ``straddles_zone``, ``partly_outside_district``,
  ``in_water``, ``geometry_repaired``, ``circle``).

Rules must not read files or draw; they only read these columns and their
parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from gis.errors import RuleError
from gis.lookup import map_values
from gis.rules import Check

__all__ = ["RANK", "SITE_LEVELS", "Levels", "SiteCheck", "check_level", "fmt_num", "missing_figures", "na_mask", "rank",
           "text"]

#: Every level a siting rule may report.
SITE_LEVELS = ("ok", "review", "prohibited", "not_evaluated")

#: Severity used when one rule combines several findings of its own (worst wins).
#: ``not_evaluated`` ranks above ``ok``: a partly unchecked rule is not "ok".
RANK = {None: -1, "ok": 0, "not_evaluated": 1, "review": 2, "prohibited": 3}


@dataclass
class SiteCheck(Check):
    """A siting rule's result; ``basis_zh``/``basis_en`` (per row or scalar) override
    the rule's own basis where they are not None."""

    basis_zh: Any = None
    basis_en: Any = None


def rank(levels) -> np.ndarray:
    """Severity of each level (:data:`RANK`; None is -1)."""
    ranks = map_values(np.asarray(levels, dtype=object), RANK)
    ranks[pd.isna(ranks)] = -1  # missing or unknown
    return ranks.astype(np.int64)


def check_level(level: str, rule_id: str, param: str) -> str:
    """Validate a level given in a rule's parameters."""
    if level not in SITE_LEVELS:
        raise RuleError(
            f"规则“{rule_id}”的参数 {param} = “{level}” 不是有效级别；可用：{', '.join(SITE_LEVELS)}。",
            f"Rule '{rule_id}': parameter {param} = '{level}' is not a level; use one of "
            f"{', '.join(SITE_LEVELS)}.",
        )
    return level


def _pick(value: Any, m: np.ndarray, n: int, k: int) -> np.ndarray:
    """``value`` for the ``k`` rows of mask ``m``: a scalar, a full-length array or a masked-length one."""
    if isinstance(value, (pd.Series, pd.Index)):
        value = value.to_numpy(dtype=object)
    if isinstance(value, np.ndarray):
        if len(value) == n:
            return value[m].astype(object)
        if len(value) == k:
            return value.astype(object)
        raise ValueError(f"array of length {len(value)} for {k} of {n} rows")
    return np.full(k, value, dtype=object)


class Levels:
    """Per-row level, messages and basis, filled mask by mask.

    ``set`` overwrites; ``worsen`` keeps the worse of the existing and the new
    level and joins the messages (for a rule with several findings per row).
    Messages may be given for the masked rows only (``text[mask]``), so a rule
    builds the text of the rows a finding concerns and no other.
    """

    def __init__(self, n: int):
        self.n = n
        self.level = np.full(n, None, dtype=object)
        self.zh = np.full(n, None, dtype=object)
        self.en = np.full(n, None, dtype=object)
        self.basis_zh = np.full(n, None, dtype=object)
        self.basis_en = np.full(n, None, dtype=object)

    def set(self, mask, level, zh, en, basis_zh=None, basis_en=None) -> None:
        m = np.asarray(mask, dtype=bool)
        k = int(m.sum())
        if not k:
            return
        self.level[m] = _pick(level, m, self.n, k)
        self.zh[m] = _pick(zh, m, self.n, k)
        self.en[m] = _pick(en, m, self.n, k)
        if basis_zh is not None:
            self.basis_zh[m] = _pick(basis_zh, m, self.n, k)
            self.basis_en[m] = _pick(basis_en, m, self.n, k)

    def worsen(self, mask, level: str, zh, en, basis_zh=None, basis_en=None) -> None:
        """Add a finding; the row keeps the worst level, its message comes first."""
        m = np.asarray(mask, dtype=bool)
        k = int(m.sum())
        if not k:
            return
        idx = np.flatnonzero(m)
        cur = self.level[idx]
        worse = rank(cur) < RANK[level]
        new = {
            "zh": _pick(zh, m, self.n, k), "en": _pick(en, m, self.n, k),
            "basis_zh": _pick(basis_zh, m, self.n, k), "basis_en": _pick(basis_en, m, self.n, k),
        }
        for attr, sep in (("zh", ""), ("en", " "), ("basis_zh", "；"), ("basis_en", "; ")):
            old = getattr(self, attr)[idx]
            # The worse finding is told first.
            first = np.where(worse, new[attr], old)
            second = np.where(worse, old, new[attr])
            getattr(self, attr)[idx] = _cat(first, second, sep)
        self.level[idx] = np.where(worse, level, cur)

    def check(self) -> SiteCheck:
        has_basis = any(v is not None for v in self.basis_zh)
        return SiteCheck(self.level, self.zh, self.en,
                         self.basis_zh if has_basis else None, self.basis_en if has_basis else None)


def _cat(a: np.ndarray, b: np.ndarray, sep: str) -> np.ndarray:
    """Join two text arrays element-wise (None skipped, an identical second part dropped)."""
    a, b = np.asarray(a, dtype=object), np.asarray(b, dtype=object)
    has_a, has_b = ~pd.isna(a), ~pd.isna(b)
    out = np.where(has_a, a, b).astype(object)  # a writable copy
    both = has_a & has_b
    both[both] = a[both] != b[both]
    if both.any():
        out[both] = a[both] + sep + b[both]
    return out


def fmt_num(values, decimals: int = 1) -> np.ndarray:
    """Numbers as text with thousands separators (``1,234.5``); NaN as ``—`` (object array)."""
    a = np.asarray(pd.Series(values).astype("float64"), dtype="float64")
    fmt = f"{{:,.{decimals}f}}"
    out = np.full(len(a), "—", dtype=object)
    ok = ~np.isnan(a)
    if ok.any():
        # Few distinct values in practice; format each distinct one once.
        u, inv = np.unique(a[ok], return_inverse=True)
        out[ok] = np.array([fmt.format(v) for v in u], dtype=object)[inv]
    return out


def text(values) -> np.ndarray:
    """Values as text, None/NA as ``—`` (object array, positions as given)."""
    s = pd.Series(values, dtype=object).reset_index(drop=True)
    miss = s.isna().to_numpy()
    out = s.astype(str).to_numpy(dtype=object)
    out[miss] = "—"
    return out


def na_mask(values) -> np.ndarray:
    """True where a value is missing (None, NaN, NA)."""
    return np.asarray(pd.isna(np.asarray(values, dtype=object)), dtype=bool)


def missing_figures(has_a: np.ndarray, has_b: np.ndarray, a: tuple[str, str], b: tuple[str, str],
                    both: tuple[str, str]) -> tuple[np.ndarray, np.ndarray]:
    """Per row, which of two figures a rule needs is missing, as (Chinese, English) object arrays.

    ``a`` and ``b`` name each figure alone, ``both`` names the two together (zh, en).
    """
    zh = np.where(~has_a & ~has_b, both[0], np.where(~has_a, a[0], b[0])).astype(object)
    en = np.where(~has_a & ~has_b, both[1], np.where(~has_a, a[1], b[1])).astype(object)
    return zh, en
