"""Check one project site: :func:`check_site` → a :class:`~gis.siting.result.SiteResult` (DESIGN §6).

The site's own figures are checked first (a single site raises the error a
batch row would only carry); then it goes through the same vectorised pass as
a batch (:func:`gis.siting.run.run_checks`), and its row becomes the result.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from gis.domain.industry import normalise_code
from gis.errors import InputError
from gis.geodesy.crs import from_work
from gis.layers.layerset import LayerSet
from gis.rules import RuleSet
from gis.siting.evaluate import bad_facility, siting_rules
from gis.siting.projects import ATTRIBUTES, MAX_FIGURE, NUMBER_LIMITS, project_attributes
from gis.siting.result import CheckResult, SiteResult
from gis.siting.row_errors import RowErrors
from gis.siting.run import CheckRun, default_layers, run_checks
from gis.siting.site_geometry import site_geometry

__all__ = ["check_site"]

_FIGURES = ("land_m2", "output_wan", "value_added_wan", "energy_tce", "investment_wan")


def _clean_number(name: str, value) -> float | None:
    if value is None:
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        zh, en = ATTRIBUTES[name][:2]
        raise InputError(f"{zh}“{value}”不是数字。", f"The {en} '{value}' is not a number.",
                         "请给出数字，如 --output-wan 12000。", "Give a number, e.g. --output-wan 12000.") from None
    if not np.isfinite(f) or f < 0 or f > NUMBER_LIMITS.get(name, MAX_FIGURE):
        zh, en = ATTRIBUTES[name][:2]
        limit = NUMBER_LIMITS.get(name, MAX_FIGURE)
        raise InputError(f"{zh}“{value}”须为 0 到 {limit:g} 之间的有限数。",
                         f"The {en} '{value}' must be a finite number from 0 to {limit:g}.",
                         "金额以万元、能耗以吨标准煤、面积以平方米、半径以米计，均不为负。",
                         "Money is in 万元, energy in tce, areas in m² and the radius in metres; none is negative.")
    return f


def _site_values(geom, file_attrs: dict, given: dict, radius_m) -> dict:
    """The project's attributes: the site file's, overridden by those given; checked and normalised."""
    values = dict(file_attrs)
    values.update({k: v for k, v in given.items() if v is not None})
    if values.get("industry") is not None:
        values["industry"] = normalise_code(values["industry"])  # FieldError with the standard's format
    for k in _FIGURES:
        values[k] = _clean_number(k, values.get(k))
    r = _clean_number("radius_m", radius_m)
    if r is not None and r > 0 and shapely.get_type_id(geom) not in (0, 4):
        raise InputError("--radius-m 只适用于点状场地；面状场地已有自身范围。",
                         "--radius-m applies to a point site only; a polygon site has its own extent.",
                         "去掉 --radius-m，或改用 --lonlat 给出中心点。",
                         "Drop --radius-m, or give the centre with --lonlat.")
    values["radius_m"] = r
    return values


def _site_error(run: CheckRun, facility, ruleset: RuleSet) -> InputError:
    """The error of a site that could not be checked, with a hint for the common causes."""
    hint_zh, hint_en = "请核对场地的坐标（经度在前、十进制度）与所给数值。", \
        "Check the site's coordinates (longitude first, decimal degrees) and the figures given."
    unit = run.outside_in[0] if run.outside_in is not None else None
    if unit is not None:
        hint_zh = (f"该处属{unit}，不在崇明区的图层范围内；若坐标取自高德/腾讯或百度地图，请加 --datum gcj02 或 "
                   "--datum bd09（偏移约 0.5 公里）后再核对。")
        hint_en = ("That place belongs to a neighbouring unit, not to the district of these layers; if the "
                   "coordinates come from Amap/Tencent or Baidu, add --datum gcj02 or --datum bd09 (offset ≈ 0.5 km) "
                   "and check again.")
    elif not np.isnan(run.outside_m[0]):
        hint_zh = ("请核对坐标：经度在前、纬度在后；高德/腾讯坐标加 --datum gcj02，百度坐标加 --datum bd09"
                   "（偏移约 0.5 公里）；或用 --layers 指定覆盖该处的图层。")
        hint_en = ("Check the coordinates: longitude first; add --datum gcj02 for Amap/Tencent or --datum bd09 "
                   "for Baidu coordinates (offset ≈ 0.5 km); or use --layers covering the place.")
    elif bad_facility(facility, ruleset):
        hint_zh = "设施类型由规则配置中的岸线禁建表定义（facility 键）。"
        hint_en = "Facility types are defined by the riverbank-ban table of the rule configuration (facility keys)."
    return InputError(f"无法检查该场地：{run.errs.zh[0]}。", f"Cannot check the site: {run.errs.en[0]}.",
                      hint_zh, hint_en)


def check_site(
    site=None,
    *,
    wkt: str | None = None,
    layers: LayerSet | None = None,
    rules: RuleSet | str | dict | None = None,
    datum: str = "wgs84",
    crs=None,
    layer: str | None = None,
    encoding: str | None = None,
    radius_m: float | None = None,
    industry: str | int | None = None,
    land_m2: float | None = None,
    output_wan: float | None = None,
    value_added_wan: float | None = None,
    energy_tce: float | None = None,
    investment_wan: float | None = None,
    name: str | None = None,
    facility: str | None = None,
) -> SiteResult:
    """Check one project site against the layers and the siting rules (DESIGN §6).

    Parameters
    ----------
    site : tuple, str, shapely geometry or pathlib.Path, optional
        ``(lon, lat)`` in decimal degrees or ``"LON,LAT"`` (a point), WKT, a
        shapely geometry, or a vector file (``Path``; several features are one
        site; its attributes are used where not given here).
    wkt : str, optional
        The site as WKT text instead of ``site`` (lon/lat unless ``crs``).
    layers : LayerSet, optional
        Default: the embedded Chongming layers.
    rules : RuleSet, path or dict, optional
        Siting rules (default ``zoning_rules/default.toml``) or a user
        configuration applied over them.
    datum : {"wgs84", "gcj02", "bd09"}
        Datum of the site's lon/lat (Amap/Tencent: gcj02; Baidu: bd09).
    crs : optional
        CRS of a WKT/geometry site (default WGS84 lon/lat) or of a file without one.
    layer, encoding : str, optional
        Layer and text encoding of a site file.
    radius_m : float, optional
        Make a point site a circle of this radius, metres.
    industry : str or int, optional
        GB/T 4754-2017 code of the project.
    land_m2 : float, optional
        Project land area, m² (density check only; never changes the geometry;
        default: a polygon site's own area).
    output_wan, value_added_wan, investment_wan : float, optional
        Planned annual output, value added and investment, 万元.
    energy_tce : float, optional
        Planned annual energy use, tce.
    name, facility : str, optional
        Project name; facility type (e.g. ``"tailings_pond"``).

    Returns
    -------
    SiteResult

    Raises
    ------
    InputError
        Malformed coordinates or figures, a site outside the district, a radius
        on a polygon, an unknown facility type.
    FieldError
        An invalid industry code.
    """
    layers = default_layers(layers)
    ruleset = siting_rules(rules)
    geom, gcrs, file_attrs = site_geometry(site, wkt=wkt, crs=crs, layer=layer, encoding=encoding)
    given = {"name": name, "industry": industry, "facility": facility, "land_m2": land_m2,
             "output_wan": output_wan, "value_added_wan": value_added_wan, "energy_tce": energy_tce,
             "investment_wan": investment_wan}
    values = _site_values(geom, file_attrs, given, radius_m)
    errs = RowErrors(1)
    attrs = project_attributes(pd.DataFrame([{k: values.get(k) for k in ATTRIBUTES}]), errs)
    run = run_checks(np.array([geom], dtype=object), gcrs, datum, attrs, layers, ruleset, errs)
    if errs.any[0]:
        raise _site_error(run, values.get("facility"), ruleset)
    return _result(run, 0, ruleset, layers, datum)


def _opt(v):
    if v is None:
        return None
    if not isinstance(v, str) and pd.isna(v):
        return None
    return v


def _checks(run: CheckRun, i: int, ruleset: RuleSet) -> list[CheckResult]:
    titles = {r.id: r for r in ruleset.rules}
    checks = []
    for rid, c in run.checks.items():
        lv = c["level"][i]
        if lv is None:
            continue
        checks.append(CheckResult(rule=rid, level=str(lv), message_zh=str(c["message_zh"][i]),
                                  message_en=str(c["message_en"][i]), basis=str(c["basis_zh"][i]),
                                  basis_en=str(c["basis_en"][i]), title_zh=titles[rid].title_zh,
                                  title_en=titles[rid].title_en))
    return checks


def _figures(t: pd.Series) -> dict:
    """The project's figures, with the output density (亿元/km²) and energy intensity (tce/万元) they give."""
    land = _opt(t["land_m2"])
    figures = {k: float(t[k]) for k in ("output_wan", "value_added_wan", "energy_tce", "investment_wan")
               if not pd.isna(t[k])}
    if land and "output_wan" in figures:
        figures["density_yi_per_km2"] = (figures["output_wan"] / 1e4) / (float(land) / 1e6)
    if "energy_tce" in figures and figures.get("value_added_wan"):
        figures["energy_tce_per_wan"] = figures["energy_tce"] / figures["value_added_wan"]
    return figures


def _result(run: CheckRun, i: int, ruleset: RuleSet, layers: LayerSet, datum: str) -> SiteResult:
    t = run.table.iloc[i]
    nearest = None
    if _opt(t["nearest_park_id"]) is not None:
        nearest = {"park_id": t["nearest_park_id"], "name_zh": _opt(t["nearest_park_zh"]),
                   "name_en": _opt(t["nearest_park_en"]), "distance_m": float(t["nearest_park_m"])}
    land = _opt(t["land_m2"])
    return SiteResult(
        verdict=str(run.verdict[i]),
        zone=_opt(t["zone"]),
        park_id=_opt(t["park_id"]),
        town=_opt(t["town"]),
        riverbank_m=float(t["riverbank_m"]),
        yangtze_1km=bool(t["yangtze_1km"]),
        in_reserve=bool(t["in_reserve"]),
        checks=_checks(run, i, ruleset),
        name=_opt(t["name"]),
        industry=_opt(t["industry"]),
        industry_zh=_opt(t["industry_zh"]),
        industry_en=_opt(t["industry_en"]),
        facility=_opt(t["facility"]),
        land_m2=None if land is None else float(land),
        land_source=_opt(t["land_source"]),
        figures=_figures(t),
        area_m2=float(t["area_m2"]),
        shares={z: float(t[f"share_{z}"]) for z in ("104", "195", "198", "outside")},
        yangtze_1km_share=float(t["yangtze_1km_share"]),
        park_name_zh=_opt(t["park_name_zh"]),
        park_name_en=_opt(t["park_name_en"]),
        nearest_park=nearest,
        flags=[f for f in str(t["flags"]).split(";") if f],
        datum=datum,
        geometry=from_work(np.array([run.geoms_w[run.rows[i]]], dtype=object))[0],
        layers_source=layers.source,
        illustrative=layers.illustrative,
        buffer_m=layers.buffer_m,
    )
