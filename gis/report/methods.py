"""The report's methods: the rules with their basis and parameters, and where each layer comes from."""

from __future__ import annotations

import pandas as pd

from gis.layers.layerset import LayerSet
from gis.rules import load_rules

__all__ = ["LAYER_HEADERS", "RULE_HEADERS", "layer_table", "rules_table"]

RULE_HEADERS = {
    "id": ("规则编号", "Rule id", ""), "kind": ("类型", "Kind", "classify/site"),
    "enabled": ("启用", "Enabled", "是/否 yes/no"),
    "priority": ("优先级", "Priority", ""), "title_zh": ("名称（中文）", "Title (Chinese)", ""),
    "title_en": ("名称（英文）", "Title (English)", ""), "basis_zh": ("依据（中文）", "Basis (Chinese)", ""),
    "basis_en": ("依据（英文）", "Basis (English)", ""), "params": ("参数", "Parameters", ""),
}

LAYER_HEADERS = {
    "role": ("图层角色", "Role", ""), "features": ("要素数", "Features", "个 count"),
    "area_km2": ("面积", "Area", "km²"),
    "length_km": ("长度", "Length", "km"), "crs": ("坐标系", "CRS", ""), "datum": ("基准", "Datum", ""),
    "illustrative": ("示意数据", "Illustrative", "是/否 yes/no"), "derived": ("派生图层", "Derived", "是/否 yes/no"),
    "source": ("来源", "Source", ""), "licence": ("许可", "Licence", ""),
    "attribution": ("署名", "Attribution", ""), "accuracy": ("精度", "Accuracy", ""),
}


def _param_text(value) -> str:
    """A rule parameter as short readable text (tables of bans as one line per entry)."""
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        keys = ("label_zh", "label_en", "industries", "facility", "distance_m", "level")
        return "; ".join(", ".join(f"{k}={_param_text(d[k])}" for k in keys if k in d) for d in value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(map(str, value)) + "]"
    if isinstance(value, float) and value.is_integer():
        return f"{value:g}"
    return str(value)


def rules_table(config=None) -> pd.DataFrame:
    """Classification and siting rules (enabled or not) with titles, basis and parameters."""
    parts = []
    for kind in ("classify", "site"):
        d = load_rules(config, kind=kind).describe()
        d["params"] = [("; ".join(f"{k} = {_param_text(v)}" for k, v in p.items()) or "—")[:600] for p in d["params"]]
        parts.append(d)
    return pd.concat(parts, ignore_index=True)


def layer_table(layers: LayerSet) -> pd.DataFrame:
    """:meth:`LayerSet.summary` with each layer's licence, attribution (ODbL asks for it) and accuracy."""
    t = layers.summary()
    t["licence"] = [str(layers.meta.get(r, {}).get("licence", "") or "") for r in t["role"]]
    t["attribution"] = [str(layers.meta.get(r, {}).get("attribution", "") or "") for r in t["role"]]
    t["accuracy"] = [str(layers.meta.get(r, {}).get("accuracy", "") or "") for r in t["role"]]
    return t
