"""The plan's targets: a TOML file planners can edit, projections, 1+3+X categories.

The defaults live in ``gis/data/targets.toml`` (documented there, from DESIGN §1:
the district's manufacturing plan 2021–2025 and the Zhangjiang Chongming park
action plan 2023–2025). A planner's file holds only the keys they change; it is
merged over the defaults, and an unknown key is refused (a typo must not
silently fall back to a default).
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from importlib.resources import files
from pathlib import Path

import numpy as np
import pandas as pd

from gis.errors import FieldError, RuleError

__all__ = [
    "CATEGORY_KEYS",
    "Targets",
    "apply_targets",
    "category_table",
    "default_targets_path",
    "load_targets",
    "park_output_targets",
    "project_density",
]

#: The 1+3+X categories in the plan's order (gis.domain.industry keys).
CATEGORY_KEYS = ("marine_equipment", "agri_food", "auto_parts", "light_kitchen", "emerging_x",
                 "other_manufacturing", "other")

YI_PER_WAN = 1e-4  # 1 亿元 = 10,000 万元


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


def park_output_targets(parks: pd.DataFrame, targets: Targets) -> tuple[pd.Series, list[str]]:
    """Each park's 2025 output target (亿元): the layer's field and the TOML, per ``prefer``.

    Returns
    -------
    targets : pandas.Series
        Indexed by ``park_id`` (str); NaN where neither source gives one.
    notes : list of str
        Where a TOML value and a layer value disagree.
    """
    ids = parks["park_id"].astype(str).to_numpy()
    layer = pd.to_numeric(parks.get("target_output_2025_yi", pd.Series(np.nan, index=parks.index)),
                          errors="coerce").to_numpy(dtype="float64")
    table = {str(k): float(v) for k, v in targets.get("park_output.targets_yi").items()}
    names = parks.get("name_zh", pd.Series([None] * len(parks), index=parks.index)).to_numpy()
    toml = np.array([table.get(i, table.get(str(n), np.nan)) for i, n in zip(ids, names)], dtype="float64")
    prefer_toml = targets.get("park_output.prefer") == "toml"
    first, second = (toml, layer) if prefer_toml else (layer, toml)
    out = np.where(np.isfinite(first), first, second)
    notes = []
    differ = np.isfinite(layer) & np.isfinite(toml) & ~np.isclose(layer, toml)
    for i in np.flatnonzero(differ):
        used = "TOML" if prefer_toml else "layer"
        notes.append(f"园区 {ids[i]} 产出目标：图层 {layer[i]:g} 亿元，目标文件 {toml[i]:g} 亿元，采用{used} / "
                     f"park {ids[i]} output target: layer {layer[i]:g} 亿元, targets file {toml[i]:g} 亿元; "
                     f"using the {used} value")
    return pd.Series(out, index=pd.Index(ids, name="park_id")), notes


def category_table(parcels: pd.DataFrame, targets: Targets, *, weights=None) -> tuple[pd.DataFrame, list[str]]:
    """Output per 1+3+X category against the plan's targets, and its share of the district's output.

    Parameters
    ----------
    parcels : pandas.DataFrame
        Parcels inside the district with ``output_wan`` and ``industry`` (GB/T 4754 codes).
    targets : Targets
    weights : array_like, optional
        Fraction of each parcel's output to count (the district share when
        apportioning by area); default 1.

    Returns
    -------
    table : pandas.DataFrame
        ``category, name_zh, name_en, parcels, output_yi, share_of_district_pct,
        target_yi, gap_yi, meets_target``; an ``unknown`` row for parcels without a code.
    notes : list of str

    Raises
    ------
    FieldError
        When codes are malformed (naming the parcels).
    """
    from gis.domain import industry, industry_categories

    cols = ["category", "name_zh", "name_en", "parcels", "output_yi", "share_of_district_pct",
            "target_yi", "gap_yi", "meets_target"]
    if "industry" not in parcels.columns:
        return pd.DataFrame(columns=cols), ["1+3+X：缺少 industry 字段，未评估 / 1+3+X: no 'industry' field, not evaluated"]
    codes, bad = industry.validate_codes(parcels["industry"].reset_index(drop=True))
    if bad.any():
        ids = parcels["parcel_id"].astype(str).to_numpy()[bad.to_numpy()]
        vals = parcels["industry"].to_numpy(dtype=object)[bad.to_numpy()]
        shown = ", ".join(f"{i}: {v!r}" for i, v in list(zip(ids, vals))[:10])
        raise FieldError(
            f"行业代码无效（地块: 值）：{shown}{' …' if len(ids) > 10 else ''}。",
            f"Malformed industry codes (parcel: value): {shown}{' …' if len(ids) > 10 else ''}.",
            "行业代码须为 GB/T 4754-2017 的 2–4 位代码（保留前导零，如 \"0610\"）。",
            "Industry codes are GB/T 4754-2017 codes of 2 to 4 digits (keep leading zeros, e.g. \"0610\").",
        )
    missing = codes.isna().to_numpy()
    cat = np.array(industry_categories.category(codes).astype(object).to_numpy(), dtype=object)
    cat[missing] = "unknown"
    w = np.ones(len(parcels)) if weights is None else np.asarray(weights, dtype="float64")
    out_yi = pd.to_numeric(parcels["output_wan"], errors="coerce").to_numpy(dtype="float64") * w * YI_PER_WAN
    total = float(np.nansum(out_yi))
    frame = pd.DataFrame({"category": cat, "output_yi": out_yi, "n": (w > 0).astype(int)})
    agg = frame.groupby("category").agg(parcels=("n", "sum"), output_yi=("output_yi", "sum"))
    order = [k for k in CATEGORY_KEYS] + (["unknown"] if (cat == "unknown").any() else [])
    agg = agg.reindex(order).fillna({"parcels": 0, "output_yi": 0.0})
    tgt = targets.get("categories.targets_yi")
    rows = []
    for key, r in agg.iterrows():
        if key == "unknown":
            zh, en, t = "未填行业代码", "no industry code", None
        else:
            info = industry_categories.category_info(key)
            zh, en = info["name_zh"], info["name_en"]
            t = tgt.get(key, info.get("target_yi"))
        t = float(t) if t is not None else np.nan
        rows.append({
            "category": key, "name_zh": zh, "name_en": en, "parcels": int(r["parcels"]),
            "output_yi": float(r["output_yi"]),
            "share_of_district_pct": 100.0 * float(r["output_yi"]) / total if total > 0 else np.nan,
            "target_yi": t, "gap_yi": t - float(r["output_yi"]) if np.isfinite(t) else np.nan,
            "meets_target": (float(r["output_yi"]) >= t) if np.isfinite(t) else pd.NA,
        })
    table = pd.DataFrame(rows, columns=cols)
    table["meets_target"] = table["meets_target"].astype("boolean")
    notes = []
    if missing.any():
        notes.append(f"1+3+X：{int(missing.sum())} 个地块无行业代码，列为 unknown / "
                     f"{int(missing.sum())} parcels have no industry code (row 'unknown')")
    return table, notes


def apply_targets(t: pd.DataFrame, kind: str, targets: Targets, parks: pd.DataFrame | None = None) -> list[str]:
    """Add the target, gap, yes/no and projection columns to a density table (in place).

    Parameters
    ----------
    t : pandas.DataFrame
        Density table with ``unit_id`` and the measured columns of :mod:`gis.density`.
    kind : str
        ``park``, ``zone``, ``town``, ``district`` or ``user`` (for ``applies_to``).
    targets : Targets
    parks : pandas.DataFrame, optional
        The parks layer (``park_id``, ``name_zh``, ``target_output_2025_yi``) when ``kind == "park"``.

    Returns
    -------
    list of str
        Notes (targets used, conflicting park targets).
    """
    notes = []
    ids = t["unit_id"].to_numpy()

    def where(key: str, value: float) -> np.ndarray:
        return np.where(targets.applies(key, kind, ids), value, np.nan)

    def meets(actual, target, lower_is_better=False) -> pd.array:
        a, b = np.asarray(actual, dtype="float64"), np.asarray(target, dtype="float64")
        ok = np.isfinite(a) & np.isfinite(b)
        res = (a <= b) if lower_is_better else (a >= b)
        return pd.array(np.where(ok, res, None), dtype="boolean")

    t["target_yi_per_km2"] = where("density.applies_to", targets.number("density.target_yi_per_km2"))
    t["gap_yi_per_km2"] = t["target_yi_per_km2"] - t["density_yi_per_km2"]
    t["meets_target"] = meets(t["density_yi_per_km2"], t["target_yi_per_km2"])
    if kind == "park" and parks is not None:
        pt, pnotes = park_output_targets(parks, targets)
        notes += pnotes
        t["output_target_yi"] = pt.reindex(t["unit_id"].astype(str)).to_numpy()
    else:
        t["output_target_yi"] = np.nan
    t["output_gap_yi"] = t["output_target_yi"] - t["output_yi"]
    t["meets_output_target"] = meets(t["output_yi"], t["output_target_yi"])
    lp = where("zhangjiang.labour_productivity_applies_to",
               targets.number("zhangjiang.labour_productivity_wan_per_person"))
    t["labour_productivity_target_wan_per_person"] = lp
    t["meets_labour_productivity"] = meets(t["labour_productivity_wan_per_person"], lp)
    en = where("energy.applies_to", targets.number("energy.target_tce_per_wan"))
    t["energy_target_tce_per_wan"] = en
    t["energy_gap_tce_per_wan"] = t["energy_tce_per_wan"] - en
    t["meets_energy_target"] = meets(t["energy_tce_per_wan"], en, lower_is_better=True)
    rd = where("zhangjiang.rd_share_applies_to", targets.number("zhangjiang.rd_share_pct"))
    t["rd_share_target_pct"] = rd
    t["meets_rd_share"] = meets(t["rd_share_pct"], rd)
    ht = where("zhangjiang.high_tech_applies_to", targets.number("zhangjiang.high_tech_enterprises"))
    t["high_tech_target"] = ht
    t["meets_high_tech_target"] = meets(t["high_tech_enterprises"], ht)
    g = targets.number("density.growth_rate")
    y0, y1 = targets.base_year, targets.target_year
    proj, reached = project_density(t["density_yi_per_km2"], t["target_yi_per_km2"], g, y0, y1)
    has = np.isfinite(t["target_yi_per_km2"].to_numpy(dtype="float64"))
    t["base_year"] = pd.array(np.where(has, y0, None), dtype="Int64")
    t["projection_year"] = pd.array(np.where(has, y1, None), dtype="Int64")
    t["projected_density_yi_per_km2"] = np.where(has, proj, np.nan)
    t["projected_meets_target"] = meets(t["projected_density_yi_per_km2"], t["target_yi_per_km2"])
    t["target_reached_year"] = reached
    notes.append(f"目标：{targets.source}；地均产出目标 {targets.number('density.target_yi_per_km2'):g} 亿元/km²，"
                 f"年增长 {100 * g:g}%，基准年 {y0}，目标年 {y1} / targets: {targets.source}; density target "
                 f"{targets.number('density.target_yi_per_km2'):g} 亿元/km², growth {100 * g:g} %/year, "
                 f"base year {y0}, target year {y1}")
    return notes
