"""Assemble the report's content: every table and key figure of one run.

:func:`build` takes classified parcels and the layers and computes, with the
same library calls a planner would make, the summaries (parcels and land by
action per zone, park and town), the density table against the targets, the
1+3+X categories, the land-efficiency grades, the siting checks of the given
projects, and the methods (rules with their basis, layer provenance). The
result, a :class:`ReportData`, is what the HTML/PDF templates and the Excel
workbook are made from, so the three cannot disagree.

Nothing here depends on the clock or on dict/set iteration order of the input,
so two runs on the same input give identical tables.
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass, field
import geopandas as gpd
import numpy as np
import pandas as pd

from gis.planning.density import CATEGORY_HEADERS, DENSITY_HEADERS, categories, density
from gis.planning.grading import GRADE_HEADERS, grade, grade_summary
from gis.layers.layerset import LayerSet
from gis.rules import load_rules
from gis.classification.summary import MU_M2
from gis.planning.targets import Targets, load_targets

__all__ = ["ACTION_ORDER", "ReportData", "build", "workbook_sheets", "SHEET_TITLES"]

ACTION_ORDER = ("upgrade", "transform", "reduce")
ACTION_NAMES = {"upgrade": ("升级", "upgrade"), "transform": ("转型", "transform"),
                "reduce": ("减量化", "reduce")}
UNIT_NAMES = {"zone": ("区域类型", "zone"), "park": ("园区", "park"), "town": ("乡镇", "town")}
NONE_LABEL = {"zone": ("区外", "outside the district"), "park": ("园区外", "outside the parks"),
              "town": ("集中建设区外", "outside the construction areas")}

NOT_EVALUATED = ("地均产出与亩均评价未评估：地块缺少产值字段 output_wan（万元） / output density and land-efficiency "
                 "grades not evaluated: the parcels have no output_wan field (万元)")

#: Headers of the per-unit action summaries (see :func:`action_summary`).
SUMMARY_HEADERS = {
    "unit_type": ("单元类型", "Unit type", ""), "unit_id": ("单元编号", "Unit ID", ""),
    "parcels": ("地块数", "Parcels", "个 count"), "area_km2": ("用地面积", "Land", "km²"),
    "area_mu": ("用地面积", "Land", "亩 mu"), "share_of_area": ("面积占比", "Share of land", "0–1"),
    **{f"parcels_{a}": (f"{zh}地块数", f"Parcels: {en}", "个 count") for a, (zh, en) in ACTION_NAMES.items()},
    **{f"area_km2_{a}": (f"{zh}用地", f"Land: {en}", "km²") for a, (zh, en) in ACTION_NAMES.items()},
    "parcels_unclassified": ("未分类地块数", "Parcels: unclassified", "个 count"),
}

SITE_HEADERS = {
    "project_id": ("项目编号", "Project ID", ""), "name": ("项目名称", "Project", ""),
    "industry": ("行业代码", "Industry", "GB/T 4754"), "verdict": ("结论", "Verdict", ""),
    "verdict_zh": ("结论（中文）", "Verdict (Chinese)", ""), "nearest_park_id": ("最近匹配园区", "Nearest matching park", ""),
    "nearest_park_zh": ("最近匹配园区名称", "Nearest matching park (name)", ""),
    "nearest_park_m": ("距最近匹配园区", "Distance to it", "m"), "land_m2": ("用地面积", "Land", "m²"),
    "findings_zh": ("问题（中文）", "Findings (Chinese)", ""), "findings_en": ("问题（英文）", "Findings (English)", ""),
    "not_evaluated": ("未评估规则", "Rules not evaluated", ""), "error_zh": ("错误（中文）", "Error (Chinese)", ""),
    "error_en": ("错误（英文）", "Error (English)", ""), "lon": ("经度", "Longitude", "°"), "lat": ("纬度", "Latitude", "°"),
}

RULE_HEADERS = {
    "id": ("规则编号", "Rule id", ""), "kind": ("类型", "Kind", "classify/site"), "enabled": ("启用", "Enabled", "是/否 yes/no"),
    "priority": ("优先级", "Priority", ""), "title_zh": ("名称（中文）", "Title (Chinese)", ""),
    "title_en": ("名称（英文）", "Title (English)", ""), "basis_zh": ("依据（中文）", "Basis (Chinese)", ""),
    "basis_en": ("依据（英文）", "Basis (English)", ""), "params": ("参数", "Parameters", ""),
}

LAYER_HEADERS = {
    "role": ("图层角色", "Role", ""), "features": ("要素数", "Features", "个 count"), "area_km2": ("面积", "Area", "km²"),
    "length_km": ("长度", "Length", "km"), "crs": ("坐标系", "CRS", ""), "datum": ("基准", "Datum", ""),
    "illustrative": ("示意数据", "Illustrative", "是/否 yes/no"), "derived": ("派生图层", "Derived", "是/否 yes/no"),
    "source": ("来源", "Source", ""), "licence": ("许可", "Licence", ""), "accuracy": ("精度", "Accuracy", ""),
}

#: Sheet name → title line of the workbook (order = sheet order).
SHEET_TITLES = {
    "zones 分区汇总": "按区域类型的地块与用地 Parcels and land by zone and action",
    "parks 园区汇总": "按园区的地块与用地 Parcels and land by park and action",
    "towns 乡镇汇总": "按乡镇的地块与用地 Parcels and land by town and action",
    "density 地均产出": "地均产出与规划目标 Output density against the plan's targets",
    "1+3+X 产业类别": "1+3+X 产业类别产值 Output by 1+3+X category",
    "grades 亩均评价": "亩均效益评价汇总 Land-efficiency grades",
    "candidates 提质增效": "提质增效候选地块 Upgrade candidates (low-grade parcels in parks)",
    "siting 选址检查": "项目选址检查 Siting checks of the projects",
    "rules 规则": "启用的规则及依据 Rules and their basis",
    "layers 图层": "图层来源与基准 Layer provenance and datum",
}


@dataclass
class ReportData:
    """Everything the report shows (tables are plain DataFrames, figures are numbers)."""

    layers: LayerSet
    classified: gpd.GeoDataFrame
    summaries: dict[str, pd.DataFrame]
    density: pd.DataFrame | None        # None: the parcels have no output_wan (not evaluated)
    categories: pd.DataFrame | None
    graded: pd.DataFrame | None
    grades: pd.DataFrame | None
    candidates: pd.DataFrame | None
    sites: gpd.GeoDataFrame | None
    site_rules: list[tuple[str, str, str]]
    rules: pd.DataFrame
    layer_table: pd.DataFrame
    targets: Targets
    key: dict
    notes: list[str]
    sources: dict[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------- summaries


def _unit_key(classified: pd.DataFrame, kind: str) -> pd.Series:
    col = {"zone": "zone", "park": "park_id", "town": "town"}[kind]
    s = classified[col].astype(object)
    return s.where(s.notna(), None).map(lambda v: None if v is None else str(v))


def action_summary(classified: pd.DataFrame, kind: str, layers: LayerSet) -> pd.DataFrame:
    """Parcels and land (total and per action) per zone, park or town, with a total row.

    Parameters
    ----------
    classified : pandas.DataFrame
        Output of :func:`gis.classify`.
    kind : {"zone", "park", "town"}
    layers : LayerSet
        For the unit names and the units without parcels.

    Returns
    -------
    pandas.DataFrame
        ``unit_type, unit_id, name_zh, name_en, parcels, area_km2, area_mu,
        share_of_area``, then ``parcels_<action>`` and ``area_km2_<action>``
        for upgrade/transform/reduce and ``parcels_unclassified``. Parcels in
        no unit form one row ("园区外 outside the parks" …); the last row is the total.
    """
    key = _unit_key(classified, kind)
    area = pd.to_numeric(classified["area_m2"], errors="coerce").fillna(0.0).to_numpy(dtype="float64")
    action = classified["action"].astype(object).where(classified["action"].notna(), None).to_numpy()
    f = pd.DataFrame({"unit": key.fillna("\uffff").to_numpy(dtype=object), "area": area, "action": action})
    ids, names = _unit_names(kind, layers)
    present = sorted(set(f["unit"]) - set(ids) - {"\uffff"})
    order = ids + present + (["\uffff"] if (f["unit"] == "\uffff").any() else [])
    g = f.groupby("unit", sort=False)
    out = pd.DataFrame(index=pd.Index(order, name="unit"))
    out["parcels"] = g.size().reindex(order).fillna(0).astype("int64")
    out["area_km2"] = g["area"].sum().reindex(order).fillna(0.0) / 1e6
    for a in ACTION_ORDER:
        sub = f[f["action"] == a].groupby("unit", sort=False)
        out[f"parcels_{a}"] = sub.size().reindex(order).fillna(0).astype("int64")
        out[f"area_km2_{a}"] = sub["area"].sum().reindex(order).fillna(0.0) / 1e6
    out["parcels_unclassified"] = out["parcels"] - out[[f"parcels_{a}" for a in ACTION_ORDER]].sum(axis=1)
    total = out.sum(axis=0).to_frame().T
    total.index = ["\ufffftotal"]
    out = pd.concat([out, total])
    none_zh, none_en = NONE_LABEL[kind]
    zh = [names.get(u, (u, u))[0] if u not in ("\uffff", "\ufffftotal") else
          (none_zh if u == "\uffff" else "合计") for u in out.index]
    en = [names.get(u, (u, u))[1] if u not in ("\uffff", "\ufffftotal") else
          (none_en if u == "\uffff" else "total") for u in out.index]
    uid = [u if u not in ("\uffff", "\ufffftotal") else ("—" if u == "\uffff" else "合计 total") for u in out.index]
    total_km2 = float(area.sum()) / 1e6
    out.insert(0, "name_en", en)
    out.insert(0, "name_zh", zh)
    out.insert(0, "unit_id", uid)
    out.insert(0, "unit_type", kind)
    out.insert(out.columns.get_loc("area_km2") + 1, "area_mu", out["area_km2"] * 1e6 / MU_M2)
    out.insert(out.columns.get_loc("area_mu") + 1, "share_of_area",
               out["area_km2"] / total_km2 if total_km2 > 0 else np.nan)
    for c in [c for c in out.columns if c.startswith("parcels")]:
        out[c] = out[c].astype("int64")
    return out.reset_index(drop=True)


def _unit_names(kind: str, layers: LayerSet) -> tuple[list[str], dict[str, tuple[str, str]]]:
    if kind == "zone":
        return ["104", "195", "198"], {"104": ("104 产业区块", "104 industrial blocks"),
                                       "195": ("195 区域", "195 areas"), "198": ("198 区域", "198 areas")}
    if kind == "park":
        p = layers.parks
        ids = p["park_id"].astype(str).tolist()
        zh = p["name_zh"].astype(str).tolist() if "name_zh" in p else ids
        en = p["name_en"].astype(str).tolist() if "name_en" in p else ids
        return list(dict.fromkeys(ids)), dict(zip(ids, zip(zh, en)))
    gdf = layers.towns if layers.towns is not None else layers.construction_areas
    zh = gdf["town_zh"].astype(object).tolist() if "town_zh" in gdf else [None] * len(gdf)
    en = gdf["town_en"].astype(object).tolist() if "town_en" in gdf else [None] * len(gdf)
    ids = [str(z if z is not None and z == z else e) for z, e in zip(zh, en)]
    return list(dict.fromkeys(ids)), {i: (str(z), str(e) if e is not None and e == e else str(z))
                                      for i, z, e in zip(ids, zh, en)}


# --------------------------------------------------------------------------- methods


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
    """:meth:`LayerSet.summary` with each layer's licence and accuracy."""
    t = layers.summary()
    t["licence"] = [str(layers.meta.get(r, {}).get("licence", "") or "") for r in t["role"]]
    t["accuracy"] = [str(layers.meta.get(r, {}).get("accuracy", "") or "") for r in t["role"]]
    return t


# --------------------------------------------------------------------------- build


def _density_tables(classified, layers, t: Targets) -> tuple[pd.DataFrame, pd.DataFrame]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the same messages are kept in attrs["notes"]
        d = density(classified, layers, by=["park", "zone", "town", "district"], targets=t)
        c = categories(classified, t)
    return d, c


def _candidates(graded: pd.DataFrame) -> pd.DataFrame:
    cols = [c for c in ("parcel_id", "enterprise_zh", "park_id", "land_mu", "output_wan_per_mu", "tax_wan_per_mu",
                        "value_added_wan_per_tce", "score", "grade", "note_zh", "note_en") if c in graded.columns]
    sel = graded.loc[graded["upgrade_candidate"].astype(bool), cols]
    sel = pd.DataFrame(sel).assign(_pid=sel["parcel_id"].astype(str))
    return sel.sort_values(["score", "_pid"], kind="mergesort").drop(columns="_pid").reset_index(drop=True)


def _site_rules(sites: gpd.GeoDataFrame | None, config) -> list[tuple[str, str, str]]:
    if sites is None:
        return []
    rs = load_rules(config, kind="site")
    return [(r.id, r.title_zh, r.title_en) for r in rs.rules if r.id in sites.columns]


def _key_figures(data: dict) -> dict:
    c = data["classified"]
    area = pd.to_numeric(c["area_m2"], errors="coerce").fillna(0.0)
    key = {"parcels": int(len(c)), "land_km2": float(area.sum()) / 1e6, "land_mu": float(area.sum()) / MU_M2,
           "outside": int(c["zone"].isna().sum())}
    for a in ACTION_ORDER:
        m = c["action"].astype(object).eq(a).to_numpy()
        key[f"parcels_{a}"] = int(m.sum())
        key[f"land_km2_{a}"] = float(area[m].sum()) / 1e6
    key["density_target"] = data["targets"].number("density.target_yi_per_km2")
    key["target_year"] = data["targets"].target_year
    key["base_year"] = data["targets"].base_year
    d = data["density"]
    key["evaluated"] = d is not None
    if d is not None:
        dist = d[d["unit_type"] == "district"]
        key["district_density"] = float(dist["density_yi_per_km2"].iloc[0]) if len(dist) else float("nan")
        key["district_output_yi"] = float(dist["output_yi"].iloc[0]) if len(dist) else float("nan")
        z104 = d[(d["unit_type"] == "zone") & (d["unit_id"].astype(str) == "104")]
        key["zone104_density"] = float(z104["density_yi_per_km2"].iloc[0]) if len(z104) else float("nan")
        parks = d[d["unit_type"] == "park"]
        key["parks"] = int(len(parks))
        key["parks_meeting"] = int(parks["meets_target"].fillna(False).astype(bool).sum())
        g = data["graded"]
        key["graded"] = int(g["grade"].notna().sum())
        for gr in "ABCD":
            key[f"grade_{gr}"] = int((g["grade"] == gr).sum())
        key["candidates"] = int(len(data["candidates"]))
    s = data["sites"]
    key["projects"] = 0 if s is None else int(len(s))
    for v in ("allowed", "review", "prohibited"):
        key[f"sites_{v}"] = 0 if s is None else int((s["verdict"] == v).sum())
    key["sites_error"] = 0 if s is None else int(s["verdict"].isna().sum())
    key["illustrative"] = bool(data["layers"].illustrative)
    return key


def build(classified: gpd.GeoDataFrame, layers: LayerSet, *, projects: gpd.GeoDataFrame | None = None,
          rules=None, targets=None, datum: str = "wgs84", sources: dict | None = None,
          notes: list[str] | None = None) -> ReportData:
    """Compute every table of the report.

    Parameters
    ----------
    classified : geopandas.GeoDataFrame
        Output of :func:`gis.classify` (with ``output_wan`` for density and grading).
    layers : LayerSet
    projects : geopandas.GeoDataFrame, optional
        Projects to check (:func:`gis.siting.check.check_sites` input).
    rules : path or dict, optional
        Rule configuration (classification and siting rules), shown in the methods.
    targets : path or Targets, optional
        Targets TOML merged over the defaults.
    datum : str
        Datum of the projects' lon/lat.
    sources : dict, optional
        Where the inputs came from (shown in the report).
    notes : list of str, optional
        Notes gathered while reading the inputs.

    Returns
    -------
    ReportData
    """
    t = load_targets(targets)
    all_notes = list(notes or [])
    d = cats = graded = grades = cands = None
    if "output_wan" in classified.columns:
        d, cats = _density_tables(classified, layers, t)
        graded = grade(classified, t)
        grades = grade_summary(graded, layers, targets=t)
        cands = _candidates(graded)
        all_notes += d.attrs.get("notes", []) + cats.attrs.get("notes", []) + graded.attrs.get("notes", [])
    else:
        all_notes.append(NOT_EVALUATED)
    sites = None
    if projects is not None:
        from gis.siting.check import check_sites

        sites = check_sites(projects, layers=layers, rules=rules, datum=datum)
    if layers.illustrative:
        all_notes.insert(0, "示意数据：园区与乡镇集中建设区边界为示意，非官方数据，结论仅供参考 / ILLUSTRATIVE data: "
                            "park and construction-area outlines are not official boundaries; results are indicative")
    all_notes += layers.notes
    all_notes.append("面积与距离在以崇明为中心的横轴墨卡托投影（中央经线 121.68°E，WGS84）中计算，比例误差小于十万分之二 / "
                     "areas and distances are computed in a transverse Mercator centred on Chongming (central "
                     "meridian 121.68° E, WGS84), scale error below 2e-5")
    data = {
        "layers": layers, "classified": classified, "density": d, "categories": cats, "graded": graded,
        "grades": grades, "candidates": cands, "sites": sites, "targets": t,
    }
    return ReportData(
        layers=layers, classified=classified,
        summaries={k: action_summary(classified, k, layers) for k in ("zone", "park", "town")},
        density=d, categories=cats, graded=graded, grades=grades, candidates=cands, sites=sites,
        site_rules=_site_rules(sites, rules), rules=rules_table(rules), layer_table=layer_table(layers),
        targets=t, key=_key_figures(data), notes=list(dict.fromkeys(all_notes)), sources=dict(sources or {}),
    )


# --------------------------------------------------------------------------- workbook


def site_table(sites: gpd.GeoDataFrame, rule_ids: list[str]) -> pd.DataFrame:
    """The siting results as a plain table (lon/lat of the site's representative point)."""
    df = pd.DataFrame(sites.drop(columns=sites.geometry.name))
    pts = sites.geometry.representative_point()
    df["lon"] = np.where(pts.is_empty | pts.isna(), np.nan, pts.x.round(6))
    df["lat"] = np.where(pts.is_empty | pts.isna(), np.nan, pts.y.round(6))
    first = [c for c in ("project_id", "name", "industry", "verdict", "verdict_zh", "zone", "park_id", "town",
                         "riverbank_m", "yangtze_1km", "in_reserve", "land_m2") if c in df.columns]
    rest = [c for c in df.columns if c not in first]
    return df[first + [c for c in rule_ids if c in rest] + [c for c in rest if c not in rule_ids]]


def workbook_sheets(data: ReportData) -> dict[str, tuple[pd.DataFrame, dict]]:
    """Every table of the report, one sheet each (sheet name → (table, headers))."""
    names = list(SHEET_TITLES)
    sheets = {
        names[0]: (data.summaries["zone"], SUMMARY_HEADERS),
        names[1]: (data.summaries["park"], SUMMARY_HEADERS),
        names[2]: (data.summaries["town"], SUMMARY_HEADERS),
    }
    if data.density is not None:
        sheets[names[3]] = (data.density, DENSITY_HEADERS)
        sheets[names[4]] = (data.categories, CATEGORY_HEADERS)
        sheets[names[5]] = (data.grades, GRADE_HEADERS)
        sheets[names[6]] = (data.candidates, GRADE_HEADERS)
    if data.sites is not None:
        ids = [r[0] for r in data.site_rules]
        heads = dict(SITE_HEADERS)
        heads.update({rid: (zh, en, "") for rid, zh, en in data.site_rules})
        sheets[names[7]] = (site_table(data.sites, ids), heads)
    sheets[names[8]] = (data.rules, RULE_HEADERS)
    sheets[names[9]] = (data.layer_table, LAYER_HEADERS)
    return sheets


def provenance_lines(data: ReportData) -> list[str]:
    """Where the inputs came from, one line each (for the notes sheet)."""
    lines = [f"{k}: {v}" for k, v in data.sources.items()]
    lines.append("目标 targets: " + str(data.targets.source))
    lines.append("目标参数 target parameters: " + json.dumps(
        {"density_yi_per_km2": data.targets.number("density.target_yi_per_km2"),
         "growth_rate": data.targets.number("density.growth_rate"),
         "base_year": data.targets.base_year, "target_year": data.targets.target_year}, ensure_ascii=False))
    return lines
