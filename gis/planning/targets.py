"""The plan's targets: a TOML file planners can edit, and the density path they set.

The defaults live in ``gis/data/targets.toml`` (documented there, from DESIGN §1:
the district's manufacturing plan 2021–2025 and the Zhangjiang Chongming park
action plan 2023–2025). A planner's file holds only the keys they change; it is
merged over the defaults, and an unknown key is refused (a typo must not
silently fall back to a default).

How the targets are applied to a density table: :mod:`gis.planning.target_gaps`;
the 1+3+X category targets: :mod:`gis.planning.categories`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from importlib.resources import files
from pathlib import Path

import numpy as np
import pandas as pd

from gis.config import Where, choice, like, number, read_toml, table
from gis.errors import RuleError
from gis.io.safe_write import note_read

__all__ = [
    "Targets",
    "default_targets_path",
    "load_targets",
    "project_density",
]


def default_targets_path() -> Path:
    """Path of the packaged default targets file."""
    return Path(str(files("gis").joinpath("data", "targets.toml")))


#: Tables of free keys (park names, category keys): they accept new entries, valued like the existing ones.
_FREE = (("park_output", "targets_yi"), ("categories", "targets_yi"))


def _where(source: str) -> Where:
    return Where(source, "目标文件", "targets file", RuleError, "请对照默认文件 gis/data/targets.toml 修改。",
                 "Compare with the default gis/data/targets.toml.")


def _benchmark(value, key, where: Where):
    """A grading benchmark: a positive number or ``"median"``."""
    if value == "median":
        return value
    if isinstance(value, str):
        raise where.fail(key, value, "须为正数或 \"median\"", "must be a positive number or \"median\"")
    return number(value, key, where, above=0)


def _checked(data: Mapping, defaults: dict, source: str) -> dict:
    """A planner's keys checked against the defaults (:func:`gis.config.like`): kinds, ranges, units, unknown keys."""
    custom = {("grading", "benchmarks", k): _benchmark for k in defaults["grading"]["benchmarks"]}
    custom[("grading", "score_cap")] = lambda v, k, w: number(v, k, w, above=0)
    custom.update({("grading", "classes", c): (lambda v, k, w: number(v, k, w, minimum=0)) for c in "ABC"})
    custom[("park_output", "prefer")] = lambda v, k, w: choice(v, k, w, ("layer", "toml"))
    custom[("grading", "upgrade", "grades")] = lambda v, k, w: [
        choice(g, k, w, ("A", "B", "C", "D")) for g in like(v, ["A"], k, w)]
    out = {}
    for key, val in table(data, (), _where(source), list(defaults)).items():
        out[key] = like(val, defaults[key], (key,), _where(source), free=_FREE, custom=custom)
    return out


def _merge(base: dict, over: Mapping) -> dict:
    out = dict(base)
    for key, val in over.items():
        if isinstance(base.get(key), dict) and isinstance(val, Mapping):
            out[key] = _merge(base[key], val)
        else:
            out[key] = val
    return out


class Targets:
    """The merged targets (defaults + a planner's file).

    Attributes
    ----------
    data : dict
        The merged TOML content.
    source : str
        Where the overrides came from ("defaults" when none).
    """

    def __init__(self, data: dict, source: str = "defaults"):
        self.data = data
        self.source = source
        self._validate()

    # -- access -------------------------------------------------------------------------
    def get(self, dotted: str):
        """Value at a dotted key, e.g. ``"density.target_yi_per_km2"``."""
        node = self.data
        for part in dotted.split("."):
            node = node[part]
        return node

    def number(self, dotted: str) -> float:
        return float(self.get(dotted))

    @property
    def base_year(self) -> int:
        return int(self.get("plan.base_year"))

    @property
    def target_year(self) -> int:
        return int(self.get("plan.target_year"))

    def applies(self, dotted: str, unit_type: str, unit_ids) -> np.ndarray:
        """Boolean mask: which units (of one type) a target's ``applies_to`` list covers."""
        spec = [str(s) for s in self.get(dotted)]
        ids = np.asarray([str(u) for u in unit_ids], dtype=object)
        if "*" in spec or unit_type in spec:
            return np.ones(len(ids), dtype=bool)
        return np.isin(np.array([f"{unit_type}:{u}" for u in ids], dtype=object), spec)

    # -- validation ---------------------------------------------------------------------
    def _bad(self, key: str, why_zh: str, why_en: str) -> RuleError:
        return RuleError(f"目标文件“{self.source}”中 {key} {why_zh}。",
                         f"In targets file '{self.source}', {key} {why_en}.",
                         "请对照默认文件 gis/data/targets.toml 修改。",
                         "Compare with the default gis/data/targets.toml.")

    def _validate(self) -> None:
        """What no single key shows: the grading tables agree, the classes are ordered, the years too.

        Kinds, ranges and units of every key were checked on reading (:func:`_checked`).
        """
        if set(self.get("grading.benchmarks")) != set(self.get("grading.weights")):
            raise self._bad("grading.benchmarks", "须与 grading.weights 的指标一致",
                            "must name the same indicators as grading.weights")
        if sum(self.get("grading.weights").values()) <= 0:
            raise self._bad("grading.weights", "之和须大于 0", "must sum to more than 0")
        c = self.get("grading.classes")
        if not c["A"] >= c["B"] >= c["C"]:
            raise self._bad("grading.classes", "须满足 A ≥ B ≥ C", "must satisfy A >= B >= C")
        if self.target_year < self.base_year:
            raise self._bad("plan.target_year", "早于 plan.base_year", "is before plan.base_year")


def _read_toml(path: Path) -> dict:
    note_read(path)  # no output of the command may overwrite it
    return read_toml(path, Where(str(path), "目标文件", "targets file", RuleError,
                                 "复制 gis/data/targets.toml 后修改，再用 --targets 指定。",
                                 "Copy gis/data/targets.toml, edit it and pass it with --targets."))


def load_targets(path=None, *, overrides: Mapping | None = None) -> Targets:
    """Load the targets: the packaged defaults, a planner's file merged over them.

    Parameters
    ----------
    path : str or Path or Targets, optional
        A TOML file holding the keys to change. A :class:`Targets` is returned as is.
    overrides : mapping, optional
        Further nested overrides (e.g. ``{"plan": {"base_year": 2023}}`` from the CLI).

    Returns
    -------
    Targets
    """
    defaults = _defaults()
    if isinstance(path, Targets):
        t = path
        if overrides:
            t = Targets(_merge(t.data, _checked(overrides, defaults, _OPTIONS)), t.source)
        return t
    data = defaults
    source = "defaults"
    if path is not None:
        data = _merge(data, _checked(_read_toml(Path(path)), defaults, str(path)))
        source = str(path)
    if overrides:
        data = _merge(data, _checked(overrides, defaults, _OPTIONS))
    return Targets(data, source)


#: Where command-line overrides (``--base-year``…) come from, for messages.
_OPTIONS = "命令行选项 command-line options"


def _defaults() -> dict:
    """The packaged defaults (read once per call: a planner may edit them between runs)."""
    return _read_toml(default_targets_path())


def project_density(density, target, growth_rate: float, base_year: int, target_year: int):
    """Project densities to ``target_year`` and find the year each reaches ``target``.

    Density grows at ``growth_rate`` per year from ``base_year`` (compound):
    ``d(t) = d₀ · (1 + g)^(t − t₀)``. The target is reached in the first whole year
    ``t₀ + ⌈log(T / d₀) / log(1 + g)⌉``; a unit already at or above it reached it in
    ``base_year``; with zero density or no growth it is never reached (empty).

    Parameters
    ----------
    density, target : array_like
        亿元/km²; NaN where not evaluated.
    growth_rate : float
        Per year (0.045 = 4.5 %).
    base_year, target_year : int

    Returns
    -------
    projected : numpy.ndarray
        Density in ``target_year``, 亿元/km².
    reached_year : pandas array of Int64
        Year the target is reached; <NA> when never or not evaluated.
    """
    d = np.asarray(density, dtype="float64")
    t = np.broadcast_to(np.asarray(target, dtype="float64"), d.shape)
    projected = d * (1.0 + growth_rate) ** (target_year - base_year)
    years = np.full(d.shape, np.nan)
    ok = np.isfinite(d) & np.isfinite(t)
    already = ok & (d >= t)
    years[already] = base_year
    grow = ok & ~already & (d > 0) & (growth_rate > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        n = np.log(t[grow] / d[grow]) / math.log1p(growth_rate)
    # A hair of tolerance so an exact multiple is not pushed a year on by rounding.
    years[grow] = base_year + np.ceil(n - 1e-9)
    return projected, pd.array(np.where(np.isfinite(years), years, np.nan), dtype="Int64")

