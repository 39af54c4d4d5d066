"""Columns of the density tables: their order (DESIGN §4b) and their bilingual headers with units.

Every table a planner reads carries three header rows (Chinese, English, unit);
:mod:`gis.io.tables` writes them from these mappings.
"""

from __future__ import annotations

__all__ = ["CATEGORY_HEADERS", "DENSITY_COLUMNS", "DENSITY_HEADERS", "ZONE_NAMES"]

ZONE_NAMES = {"104": ("104 产业区块", "104 industrial blocks"),
              "195": ("195 区域", "195 areas"), "198": ("198 区域", "198 areas")}

#: Column order of the density table (DESIGN §4b, then the further columns).
DENSITY_COLUMNS = [
    "unit_type", "unit_id", "name_zh", "name_en", "parcels", "land_km2", "unit_area_km2", "output_yi",
    "density_yi_per_km2", "unit_density_yi_per_km2", "target_yi_per_km2", "gap_yi_per_km2", "meets_target",
    "land_mu", "tax_yi", "value_added_yi", "employees", "labour_productivity_wan_per_person",
    "energy_tce_per_wan",
    "output_target_yi", "output_gap_yi", "meets_output_target",
    "labour_productivity_target_wan_per_person", "meets_labour_productivity",
    "energy_target_tce_per_wan", "energy_gap_tce_per_wan", "meets_energy_target",
    "revenue_yi", "rd_yi", "rd_share_pct", "rd_share_target_pct", "meets_rd_share",
    "high_tech_enterprises", "high_tech_target", "meets_high_tech_target", "energy_tce",
    "base_year", "projection_year", "projected_density_yi_per_km2", "projected_meets_target",
    "target_reached_year", "not_evaluated",
]

DENSITY_HEADERS = {
    "parcels": ("地块数", "Parcels", "个 count"), "land_km2": ("工业用地面积", "Industrial land", "km²"),
    "unit_area_km2": ("单元面积", "Unit area", "km²"), "output_yi": ("产值", "Output", "亿元"),
    "density_yi_per_km2": ("地均产出（按地块用地）", "Output density (on parcel land)", "亿元/km²"),
    "unit_density_yi_per_km2": ("地均产出（按单元面积）", "Output density (on unit area)", "亿元/km²"),
    "target_yi_per_km2": ("地均产出目标", "Density target", "亿元/km²"),
    "gap_yi_per_km2": ("距目标差距", "Gap to density target", "亿元/km²"),
    "meets_target": ("达到地均产出目标", "Meets density target", "是/否 yes/no"),
    "land_mu": ("工业用地面积", "Industrial land", "亩"), "tax_yi": ("税收", "Tax", "亿元"),
    "value_added_yi": ("增加值", "Value added", "亿元"), "employees": ("从业人员", "Employees", "人 persons"),
    "labour_productivity_wan_per_person": ("全员劳动生产率", "Labour productivity", "万元/人"),
    "energy_tce_per_wan": ("万元增加值能耗", "Energy intensity", "tce/万元"),
    "output_target_yi": ("产值目标", "Output target", "亿元"),
    "output_gap_yi": ("距产值目标差距", "Gap to output target", "亿元"),
    "meets_output_target": ("达到产值目标", "Meets output target", "是/否 yes/no"),
    "labour_productivity_target_wan_per_person": ("劳动生产率目标", "Labour productivity target", "万元/人"),
    "meets_labour_productivity": ("达到劳动生产率目标", "Meets labour productivity target", "是/否 yes/no"),
    "energy_target_tce_per_wan": ("能耗目标", "Energy intensity target", "tce/万元"),
    "energy_gap_tce_per_wan": ("超出能耗目标", "Energy intensity above target", "tce/万元"),
    "meets_energy_target": ("达到能耗目标", "Meets energy target", "是/否 yes/no"),
    "revenue_yi": ("营业收入", "Revenue", "亿元"), "rd_yi": ("研发投入", "R&D spending", "亿元"),
    "rd_share_pct": ("研发投入占营收比重", "R&D share of revenue", "%"),
    "rd_share_target_pct": ("研发投入比重目标", "R&D share target", "%"),
    "meets_rd_share": ("达到研发投入目标", "Meets R&D target", "是/否 yes/no"),
    "high_tech_enterprises": ("高新技术企业数", "High-tech enterprises", "家 count"),
    "high_tech_target": ("高新技术企业目标", "High-tech enterprise target", "家 count"),
    "meets_high_tech_target": ("达到高企目标", "Meets high-tech target", "是/否 yes/no"),
    "energy_tce": ("综合能耗", "Energy use", "tce"), "base_year": ("基准年", "Base year", "年 year"),
    "projection_year": ("目标年", "Target year", "年 year"),
    "projected_density_yi_per_km2": ("目标年预测地均产出", "Projected density in target year", "亿元/km²"),
    "projected_meets_target": ("目标年预测达标", "Projected to meet target", "是/否 yes/no"),
    "target_reached_year": ("预计达标年份", "Year target reached", "年 year"),
    "not_evaluated": ("未评估指标（缺数据）", "Not evaluated (data missing)", ""),
}

CATEGORY_HEADERS = {
    "category": ("产业类别（1+3+X）", "Category (1+3+X)", ""), "parcels": ("地块数", "Parcels", "个 count"),
    "output_yi": ("产值", "Output", "亿元"),
    "share_of_district_pct": ("占全区产值比重", "Share of district output", "%"),
    "target_yi": ("2025 产值目标", "Output target 2025", "亿元"), "gap_yi": ("距目标差距", "Gap to target", "亿元"),
    "meets_target": ("达到目标", "Meets target", "是/否 yes/no"),
}
