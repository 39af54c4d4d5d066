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

import warnings
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from gis.layers.layerset import LayerSet
from gis.planning.density import categories, density
from gis.planning.grading import grade, grade_summary
from gis.planning.targets import Targets, load_targets
from gis.report.methods import layer_table, rules_table
from gis.report.summaries import ACTION_ORDER, action_summary
from gis.rules import load_rules
from gis.siting.batch import check_sites
from gis.units import M2_PER_MU
from gis.wording import bilingual

__all__ = ["ReportData", "build"]

NOT_EVALUATED = ("地均产出与亩均评价未评估：地块缺少产值字段 output_wan（万元） / output density and land-efficiency "
                 "grades not evaluated: the parcels have no output_wan field (万元)")


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


def _density_tables(classified, layers, t: Targets) -> tuple[pd.DataFrame, pd.DataFrame]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the same messages are kept in attrs["notes"]
        d = density(classified, layers, by=["park", "zone", "town", "district"], targets=t)
        c = categories(classified, t)
    return d, c


def _candidates(graded: pd.DataFrame) -> pd.DataFrame:
    cols = [c for c in ("parcel_id", "enterprise_zh", "park_zh", "park_id", "land_mu", "output_wan_per_mu",
                        "tax_wan_per_mu", "value_added_wan_per_tce", "score", "grade", "note_zh", "note_en")
            if c in graded.columns]
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
    key = {"parcels": int(len(c)), "land_km2": float(area.sum()) / 1e6, "land_mu": float(area.sum()) / M2_PER_MU,
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
    key["illustrative_note"] = data["layers"].illustrative_note()
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
        Projects to check (:func:`gis.siting.batch.check_sites` input).
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
        graded = grade(classified, t, layers=layers)
        grades = grade_summary(graded, layers, targets=t)
        cands = _candidates(graded)
        all_notes += d.attrs.get("notes", []) + cats.attrs.get("notes", []) + graded.attrs.get("notes", [])
    else:
        all_notes.append(NOT_EVALUATED)
    sites = None
    if projects is not None:
        sites = check_sites(projects, layers=layers, rules=rules, datum=datum)
    if layers.illustrative:
        all_notes.insert(0, bilingual(layers.illustrative_note()))
    all_notes += layers.notes
    all_notes.append("面积与距离在以崇明为中心的横轴墨卡托投影（中央经线 121.68°E，WGS84）中计算，"
                     "比例误差小于十万分之二 / "
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
