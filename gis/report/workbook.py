"""The report's workbook: every table of :class:`~gis.report.build.ReportData`, one sheet each, and the notes."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd

from gis.planning.density import CATEGORY_HEADERS, DENSITY_HEADERS
from gis.planning.grading import GRADE_HEADERS
from gis.report.build import ReportData
from gis.report.methods import LAYER_HEADERS, RULE_HEADERS
from gis.report.summaries import SUMMARY_HEADERS

__all__ = ["SHEET_TITLES", "SITE_HEADERS", "provenance_lines", "site_sheet", "workbook_sheets"]

SITE_HEADERS = {
    "project_id": ("项目编号", "Project ID", ""), "name": ("项目名称", "Project", ""),
    "industry": ("行业代码", "Industry", "GB/T 4754"), "verdict": ("结论", "Verdict", ""),
    "verdict_zh": ("结论（中文）", "Verdict (Chinese)", ""),
    "park_zh": ("园区", "Park", ""),
    "nearest_park_id": ("最近匹配园区", "Nearest matching park", ""),
    "nearest_park_zh": ("最近匹配园区名称", "Nearest matching park (name)", ""),
    "nearest_park_m": ("距最近匹配园区", "Distance to it", "m"), "land_m2": ("用地面积", "Land", "m²"),
    "findings_zh": ("问题（中文）", "Findings (Chinese)", ""),
    "findings_en": ("问题（英文）", "Findings (English)", ""),
    "not_evaluated": ("未评估规则", "Rules not evaluated", ""), "error_zh": ("错误（中文）", "Error (Chinese)", ""),
    "error_en": ("错误（英文）", "Error (English)", ""), "lon": ("经度", "Longitude", "°"),
    "lat": ("纬度", "Latitude", "°"),
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


def site_sheet(sites: gpd.GeoDataFrame, rule_ids: list[str]) -> pd.DataFrame:
    """The siting results as a plain table (lon/lat of the site's representative point)."""
    df = pd.DataFrame(sites.drop(columns=sites.geometry.name))
    pts = sites.geometry.representative_point()
    df["lon"] = np.where(pts.is_empty | pts.isna(), np.nan, pts.x.round(6))
    df["lat"] = np.where(pts.is_empty | pts.isna(), np.nan, pts.y.round(6))
    first = [c for c in ("project_id", "name", "industry", "verdict", "verdict_zh", "zone", "park_zh", "park_id",
                         "town", "riverbank_m", "yangtze_1km", "in_reserve", "land_m2") if c in df.columns]
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
        sheets[names[7]] = (site_sheet(data.sites, ids), heads)
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
