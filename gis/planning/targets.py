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
import tomllib
from collections.abc import Mapping
from importlib.resources import files
from pathlib import Path

import numpy as np
import pandas as pd

from gis.errors import RuleError

__all__ = [
    "Targets",
    "default_targets_path",
    "load_targets",
    "project_density",
]


def default_targets_path() -> Path:
    """Path of the packaged default targets file."""
    return Path(str(files("gis").joinpath("data", "targets.toml")))


def _merge(base: dict, over: Mapping, where: str, path: str = "") -> dict:
    out = dict(base)
    for key, val in over.items():
        dotted = f"{path}{key}"
        # Tables of free keys (park names, category keys) accept new entries.
        free = path.rstrip(".") in ("park_output.targets_yi", "categories.targets_yi")
        if key not in base and not free:
            known = ", ".join(sorted(base)) or "—"
            raise RuleError(
                f"目标文件“{where}”中的键“{dotted}”无法识别；此处可用：{known}。",
                f"Unknown key '{dotted}' in targets file '{where}'; known here: {known}.",
                "请对照默认文件 gis/data/targets.toml 检查拼写。",
                "Check the spelling against the default gis/data/targets.toml.",
            )
        if isinstance(base.get(key), dict) and isinstance(val, Mapping):
            out[key] = _merge(base[key], val, where, dotted + ".")
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
        numbers = ["density.target_yi_per_km2", "density.growth_rate", "energy.target_tce_per_wan",
                   "zhangjiang.labour_productivity_wan_per_person", "zhangjiang.rd_share_pct",
                   "zhangjiang.high_tech_enterprises", "grading.score_cap", "grading.min_land_mu",
                   "checks.max_median_output_wan_per_m2", "checks.min_median_output_wan_per_m2",
                   "checks.max_parcel_output_wan"]
        numbers += [f"grading.weights.{k}" for k in self.get("grading.weights")]
        numbers += [f"grading.classes.{k}" for k in ("A", "B", "C")]
        numbers += [f"park_output.targets_yi.{k}" for k in self.get("park_output.targets_yi")]
        numbers += [f"categories.targets_yi.{k}" for k in self.get("categories.targets_yi")]
        for key in numbers:
            v = self.get(key)
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v < 0:
                raise self._bad(key, f"须为非负数，现为 {v!r}", f"must be a non-negative number, not {v!r}")
        for key, v in self.get("grading.benchmarks").items():
            if v != "median" and (isinstance(v, bool) or not isinstance(v, (int, float)) or v <= 0):
                raise self._bad(f"grading.benchmarks.{key}", f"须为正数或 \"median\"，现为 {v!r}",
                                f"must be a positive number or \"median\", not {v!r}")
        if set(self.get("grading.benchmarks")) != set(self.get("grading.weights")):
            raise self._bad("grading.benchmarks", "须与 grading.weights 的指标一致",
                            "must name the same indicators as grading.weights")
        if sum(self.get("grading.weights").values()) <= 0:
            raise self._bad("grading.weights", "之和须大于 0", "must sum to more than 0")
        c = self.get("grading.classes")
        if not c["A"] >= c["B"] >= c["C"]:
            raise self._bad("grading.classes", "须满足 A ≥ B ≥ C", "must satisfy A >= B >= C")
        if self.get("park_output.prefer") not in ("layer", "toml"):
            raise self._bad("park_output.prefer", "须为 \"layer\" 或 \"toml\"", "must be \"layer\" or \"toml\"")
        if self.target_year < self.base_year:
            raise self._bad("plan.target_year", "早于 plan.base_year", "is before plan.base_year")
        bad = set(self.get("grading.upgrade.grades")) - {"A", "B", "C", "D"}
        if bad:
            raise self._bad("grading.upgrade.grades", f"含未知等级 {sorted(bad)}", f"has unknown grades {sorted(bad)}")


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise RuleError(f"找不到目标文件“{path}”。", f"Targets file not found: '{path}'.",
                        "复制 gis/data/targets.toml 后修改，再用 --targets 指定。",
                        "Copy gis/data/targets.toml, edit it and pass it with --targets.") from exc
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RuleError(f"无法读取目标文件“{path}”：{exc}", f"Cannot read targets file '{path}': {exc}",
                        "目标文件须为 UTF-8 编码的 TOML。", "A targets file is TOML in UTF-8.") from exc


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
    if isinstance(path, Targets):
        t = path
        if overrides:
            t = Targets(_merge(t.data, overrides, "overrides"), t.source)
        return t
    data = _read_toml(default_targets_path())
    source = "defaults"
    if path is not None:
        data = _merge(data, _read_toml(Path(path)), str(path))
        source = str(path)
    if overrides:
        data = _merge(data, overrides, "overrides")
    return Targets(data, source)


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

