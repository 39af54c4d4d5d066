"""The rule mechanism: rule objects, their configuration and how they decide.

A rule lives in its own module (in :mod:`zoning_rules`, in a user's file, or in
a package registered under the ``parkgis.rules`` entry point) and exports one
:class:`Rule` named ``RULE``. Rules are pure: a vectorised function over the
overlay table (one row per parcel or project) and the rule's parameters. They
never read files or draw. A rule decides each row from that row's values alone
(no statistics over the whole table): the classification hands the rules one chunk of
parcels at a time (:func:`gis.classification.chunk.classify_chunk`): up to 200,000 parcels,
several chunks in parallel threads, or one chunk per task on the dask engine's workers.

Configuration (TOML; the packaged defaults are ``zoning_rules/default.toml``)::

    modules = ["my_rules/chemical_ban.py", "mypackage.rules.flood"]   # extra rule modules

    [rules.zone_104_upgrade]
    enabled = true
    priority = 10            # classification precedence: higher decides first

    [rules.riverbank_chemical_reduce]
    enabled = true
    distance_m = 1000

Precedence (classification): for each parcel, the enabled rule with the highest
``priority`` whose mask is true decides ``action``; ties are broken by rule id.
Siting rules do not compete: every enabled siting rule reports a level and the
verdict is the worst of them.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from importlib.metadata import entry_points
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from gis.config import Where, boolean, like, number, read_toml, table, text
from gis.errors import RuleError
from gis.io.safe_write import note_read

__all__ = ["Rule", "Decision", "Check", "RuleSet", "load_rules", "apply_classification",
           "LEVELS", "default_config_path", "as_column"]

#: Where a configuration given as a dict comes from, for messages.
_DICT_SOURCE = "（配置字典 configuration dict）"

#: Siting levels, from best to worst (``not_evaluated`` never changes a verdict).
LEVELS = ("ok", "review", "prohibited")


@dataclass
class Decision:
    """What a classification rule decides for the rows where ``mask`` is true.

    ``action``, ``reason_zh`` and ``reason_en`` are a scalar or an array aligned
    with the table.
    """

    mask: np.ndarray
    action: Any
    reason_zh: Any
    reason_en: Any


@dataclass
class Check:
    """A siting rule's result per row: ``level`` is ``ok``/``review``/``prohibited``/
    ``not_evaluated``, or None where the rule does not apply (then not listed)."""

    level: Any
    message_zh: Any
    message_en: Any


@dataclass(frozen=True)
class Rule:
    """A rule module's description and function.

    Attributes
    ----------
    id : str
        Stable identifier (written into the ``rule`` column).
    kind : {"classify", "site"}
    title_zh, title_en : str
    basis_zh, basis_en : str
        The legal or plan basis (document, article, year).
    func : callable
        ``func(table: DataFrame, params: Mapping) -> Decision | Check``.
    params : Mapping
        Parameter defaults (documented in ``param_docs``).
    param_docs : Mapping
        Parameter name → description with unit.
    priority : int
        Classification precedence (higher first).
    default_enabled : bool
        Whether the rule is on when no configuration mentions it.
    """

    id: str
    kind: Literal["classify", "site"]
    title_zh: str
    title_en: str
    basis_zh: str
    basis_en: str
    func: Callable[[pd.DataFrame, Mapping], Any]
    params: Mapping = field(default_factory=dict)
    param_docs: Mapping = field(default_factory=dict)
    priority: int = 0
    default_enabled: bool = True

    def __call__(self, table: pd.DataFrame, params: Mapping | None = None):
        merged = dict(self.params)
        merged.update(params or {})
        return self.func(table, merged)


@dataclass
class RuleSet:
    """The enabled rules of one kind, in precedence order, with their parameters."""

    rules: list[Rule]
    params: dict[str, dict]
    available: dict[str, Rule]
    config_path: str | None = None

    def describe(self) -> pd.DataFrame:
        """One row per available rule: id, enabled, priority, titles, basis, parameters."""
        enabled = {r.id for r in self.rules}
        rows = []
        for r in sorted(self.available.values(), key=lambda r: (-self.priority(r), r.id)):
            rows.append({
                "id": r.id, "kind": r.kind, "enabled": r.id in enabled, "priority": self.priority(r),
                "title_zh": r.title_zh, "title_en": r.title_en,
                "basis_zh": r.basis_zh, "basis_en": r.basis_en,
                "params": {k: self.params.get(r.id, {}).get(k, v) for k, v in r.params.items()},
            })
        return pd.DataFrame(rows)

    def priority(self, rule: Rule) -> int:
        return int(self.params.get(rule.id, {}).get("priority", rule.priority))


def default_config_path() -> Path:
    """The packaged default rule configuration."""
    return Path(str(files("zoning_rules").joinpath("default.toml")))


def _rule_from_module(mod, origin: str) -> Rule:
    rule = getattr(mod, "RULE", None)
    if not isinstance(rule, Rule):
        raise RuleError(
            f"规则模块“{origin}”没有导出 RULE（gis.rules.Rule 对象）。",
            f"Rule module '{origin}' does not export RULE (a gis.rules.Rule).",
            "在模块末尾定义 RULE = Rule(id=..., kind=..., ...)。",
            "Define RULE = Rule(id=..., kind=..., ...) in the module.",
        )
    return rule


def _load_module(spec: str, base: Path | None):
    path = Path(spec)
    if base is not None and not path.is_absolute():
        path = base / path
    if spec.endswith(".py"):
        if not path.exists():
            raise RuleError(f"找不到规则模块文件“{path}”。", f"Rule module file not found: '{path}'.")
        modspec = importlib.util.spec_from_file_location(f"parkgis_user_rule_{path.stem}", path)
        mod = importlib.util.module_from_spec(modspec)
        modspec.loader.exec_module(mod)  # type: ignore[union-attr]
        return mod
    try:
        return importlib.import_module(spec)
    except ImportError as exc:
        raise RuleError(f"无法导入规则模块“{spec}”：{exc}", f"Cannot import rule module '{spec}': {exc}") from exc


def _discover(extra_modules: list[str], base: Path | None) -> dict[str, Rule]:
    found: dict[str, Rule] = {}
    import zoning_rules

    for info in sorted(pkgutil.iter_modules(zoning_rules.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"zoning_rules.{info.name}")
        if hasattr(mod, "RULE"):
            rule = _rule_from_module(mod, f"zoning_rules.{info.name}")
            found[rule.id] = rule
    for ep in entry_points(group="parkgis.rules"):
        obj = ep.load()
        rule = obj if isinstance(obj, Rule) else _rule_from_module(obj, ep.value)
        found[rule.id] = rule
    for spec in extra_modules:
        rule = _rule_from_module(_load_module(spec, base), spec)
        found[rule.id] = rule
    return found


def _where(source: str) -> Where:
    return Where(source, "规则配置", "rule configuration", RuleError,
                 "可对照默认配置 zoning_rules/default.toml（parkgis rules --all 列出各规则的参数）。",
                 "Compare with the default zoning_rules/default.toml (parkgis rules --all lists the parameters).")


def _read_config(path: Path) -> dict:
    note_read(path)  # no output of the command may overwrite it
    cfg = read_toml(path, _where(str(path)))
    return _checked_top(cfg, str(path))


def _checked_top(cfg: Mapping, source: str) -> dict:
    """The top level of a rule configuration: ``modules`` (a list of texts) and the ``[rules.*]`` tables."""
    w = _where(source)
    out = table(cfg, (), w, ["modules", "rules"])
    if "modules" in out:
        out["modules"] = [text(m, ("modules",), w, empty=False) for m in like(out["modules"], [""], ("modules",), w)]
    if "rules" in out:
        out["rules"] = {rid: table(v, ("rules", str(rid)), w) for rid, v in table(out["rules"], ("rules",), w).items()}
    return out


def _checked_settings(rid: str, values: Mapping, rule: Rule, source: str) -> dict:
    """One rule's settings: ``enabled`` a boolean, ``priority`` a whole number, each parameter like its default."""
    w = _where(source)
    allowed = [*rule.params, "enabled", "priority"]
    out = {}
    for k, v in table(values, ("rules", rid), w, allowed).items():
        key = ("rules", rid, k)
        if k == "enabled":
            out[k] = boolean(v, key, w)
        elif k == "priority":
            out[k] = number(v, key, w, integer=True)
        else:
            out[k] = like(v, rule.params[k], key, w)
    return out


def load_rules(config=None, kind: str = "classify") -> RuleSet:
    """Load the rules of one kind with the default configuration and a user's overrides.

    Parameters
    ----------
    config : str, Path or dict, optional
        A user configuration (TOML path or parsed dict) applied over
        ``zoning_rules/default.toml``: enable/disable rules, change parameters
        and priorities, add rule modules (``modules = [...]``).
    kind : {"classify", "site"}

    Returns
    -------
    RuleSet

    Raises
    ------
    RuleError
        Unknown rule ids or parameters, unreadable configuration or modules.
    """
    base_cfg = _read_config(default_config_path())
    user_cfg: dict = {}
    base_dir: Path | None = None
    cfg_path = None
    if isinstance(config, Mapping):
        user_cfg = _checked_top(config, _DICT_SOURCE)
    elif config is not None:
        cfg_path = Path(config)
        user_cfg = _read_config(cfg_path)
        base_dir = cfg_path.parent
    modules = list(base_cfg.get("modules", [])) + list(user_cfg.get("modules", []))
    available_all = _discover(modules, base_dir)
    settings: dict[str, dict] = {}
    sources = ((base_cfg, str(default_config_path())), (user_cfg, str(cfg_path) if cfg_path else _DICT_SOURCE))
    for source, where in sources:
        for rid, values in (source.get("rules") or {}).items():
            if rid not in available_all:
                raise _where(where).fail(
                    ("rules", rid), None, f"规则不存在；可用规则：{', '.join(sorted(available_all))}",
                    f"this rule does not exist; available: {', '.join(sorted(available_all))}",
                    "检查拼写，或在 modules = [...] 中加入定义它的模块。",
                    "Check the spelling, or add the module that defines it to modules = [...].",
                )
            values = _checked_settings(rid, values, available_all[rid], where)
            settings.setdefault(rid, {}).update(values)
    available = {k: v for k, v in available_all.items() if v.kind == kind}
    params = {rid: {**r.params, **{k: v for k, v in settings.get(rid, {}).items()
                                   if k not in ("enabled",)}} for rid, r in available.items()}
    enabled = [r for rid, r in available.items() if settings.get(rid, {}).get("enabled", r.default_enabled)]
    ruleset = RuleSet(rules=[], params=params, available=available,
                      config_path=str(cfg_path) if cfg_path else None)
    ruleset.rules = sorted(enabled, key=lambda r: (-ruleset.priority(r), r.id))
    return ruleset


def as_column(value, n: int) -> np.ndarray:
    """A rule's scalar-or-array result as an object array of length ``n``."""
    if isinstance(value, pd.Series):
        return value.to_numpy(dtype=object)
    if isinstance(value, np.ndarray):
        return value.astype(object)
    return np.full(n, value, dtype=object)


def apply_classification(table: pd.DataFrame, ruleset: RuleSet) -> pd.DataFrame:
    """Decide ``action``, ``rule``, ``reason_zh`` and ``reason_en`` for every row.

    Parameters
    ----------
    table : pandas.DataFrame
        The overlay table (DESIGN §4 columns plus the input attributes).
    ruleset : RuleSet
        Classification rules in precedence order.

    Returns
    -------
    pandas.DataFrame
        Four columns aligned with ``table``; rows no rule decides stay null.
    """
    n = len(table)
    action = np.full(n, None, dtype=object)
    rule_id = np.full(n, None, dtype=object)
    rzh = np.full(n, None, dtype=object)
    ren = np.full(n, None, dtype=object)
    open_ = np.ones(n, dtype=bool)
    for rule in ruleset.rules:
        if not open_.any():
            break
        dec = rule(table, ruleset.params.get(rule.id, {}))
        mask = np.asarray(dec.mask, dtype=bool) & open_
        if not mask.any():
            continue
        for arr, value in ((action, dec.action), (rzh, dec.reason_zh), (ren, dec.reason_en)):
            arr[mask] = value if np.ndim(value) == 0 else as_column(value, n)[mask]
        rule_id[mask] = rule.id
        open_ &= ~mask
    # Explicit object dtype: letting pandas infer Arrow strings costs ≈0.3 s a column per million rows.
    return pd.DataFrame({k: pd.Series(v, index=table.index, dtype=object)
                         for k, v in (("action", action), ("rule", rule_id), ("reason_zh", rzh), ("reason_en", ren))})


def with_params(rule: Rule, **params) -> Rule:
    """A copy of ``rule`` with other parameter defaults (for tests and plugins)."""
    return replace(rule, params={**rule.params, **params})
