"""Siting check: is a proposed project's site allowed, to be reviewed, or prohibited? (DESIGN §6)

Flow (one vectorised pass for one site or ten thousand)::

    sites (lon/lat, WKT, file, table) → datum → WGS84 → working CRS (circles)
        → overlay engine (zone, park, town, riverbank distance, reserve)      gis.engine.overlay_table.overlay_table
        → site table (+ industry, figures, park positioning, nearest park)  site_table
        → siting rules (zoning_rules/site_*.py)                             evaluate
        → verdict = worst level; not_evaluated is listed but never decides

:func:`check_site` checks one site and returns a :class:`SiteResult` (its
``to_dict()`` is the DESIGN §6 JSON); :func:`check_sites` checks a table of
projects and returns one row per project, with an error message on the rows
that could not be checked instead of stopping.

Distances are measured in the metric working CRS (:data:`gis.geodesy.crs.WORK_CRS`, a
transverse Mercator centred on the district whose scale error is below 2e-5
here, so a 1,000 m distance is good to 2 cm); ``riverbank_m`` is the shortest
distance from any part of the site to the riverbank.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gis.engine.overlay_table import overlay_table
from gis.geodesy.crs import WGS84, from_work
from gis.errors import InputError, RuleError
from gis.domain.industry import (
    division_name,
    is_manufacturing,
    matches_any,
    normalise_code,
    parse_code_list,
)
from gis.layers.layerset import LayerSet, load_layers
from gis.rules import RuleSet, as_column, load_rules
from gis.siting.result import _LEVELS_ALL, _RANK, _VERDICT_OF, LEVEL_NAMES, VERDICT_NAMES, CheckResult, SiteResult
from gis.siting.sites import (
    ATTRIBUTES,
    RowErrors,
    prepare_sites,
    project_attributes,
    site_geometry,
)

__all__ = [
    "BATCH_COLUMNS",
    "LEVEL_NAMES",
    "VERDICT_NAMES",
    "CheckResult",
    "SiteResult",
    "check_site",
    "check_sites",
    "evaluate",
    "site_table",
]

log = logging.getLogger(__name__)

#: Result columns of a batch, in order (then one column per rule, then the input's).
BATCH_COLUMNS = ["project_id", "verdict", "verdict_zh", "zone", "park_id", "town", "riverbank_m", "yangtze_1km",
                 "yangtze_1km_share", "in_reserve", "nearest_park_id", "nearest_park_zh", "nearest_park_m",
                 "land_m2"]
_BATCH_TAIL = ["findings_zh", "findings_en", "not_evaluated", "flags", "error_zh", "error_en"]

#: Projects are checked in chunks of this many rows (bounded memory).
CHUNK = 100_000


# --------------------------------------------------------------------------- site table


def _park_attrs(layers: LayerSet) -> pd.DataFrame:
    parks = layers.parks
    df = pd.DataFrame({
        "park_id": parks["park_id"].astype(str).to_numpy(),
        "name_zh": parks["name_zh"].to_numpy(dtype=object) if "name_zh" in parks else None,
        "name_en": parks["name_en"].to_numpy(dtype=object) if "name_en" in parks else None,
        "leading": parks["leading_industries"].to_numpy(dtype=object) if "leading_industries" in parks else None,
    })
    df["name_zh"] = df["name_zh"].where(df["name_zh"].notna(), df["park_id"])
    df["name_en"] = df["name_en"].where(df["name_en"].notna(), df["name_zh"])
    return df


def _nearest_matching_park(geoms_w: np.ndarray, industry: pd.Series, park_id: np.ndarray,
                           layers: LayerSet, parks: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Index (into the parks) and distance of the nearest park whose leading industries match.

    Only for sites with an industry that are not already in a matching park.
    """
    n = len(geoms_w)
    best = np.full(n, -1)
    best_d = np.full(n, np.inf)
    parks_w = layers.work("parks")
    codes = industry.astype(object)
    has = industry.notna().to_numpy()
    uniq = pd.Series(pd.unique(codes[has]), dtype=object)
    if not has.any() or len(uniq) == 0:
        return best, np.full(n, np.nan)
    match = np.zeros((n, len(parks)), dtype=bool)
    for k, leading in enumerate(parks["leading"]):  # one pass per park (few)
        if leading is None or (not isinstance(leading, str) and pd.isna(leading)):
            continue
        listed = parse_code_list(leading, what_zh="园区主导产业", what_en="park leading_industries")
        if not listed:
            continue
        table = dict(zip(uniq, matches_any(uniq, listed).fillna(False).to_numpy(dtype=bool)))
        match[has, k] = codes[has].map(table).to_numpy(dtype=bool)
    own = np.array([p if isinstance(p, str) else None for p in park_id], dtype=object)
    pid = parks["park_id"].to_numpy(dtype=object)
    in_matching = np.zeros(n, dtype=bool)
    for k in range(len(parks)):
        in_matching |= (own == pid[k]) & match[:, k]
    todo = has & ~in_matching & ~shapely.is_missing(geoms_w)
    for k in range(len(parks)):
        rows = np.flatnonzero(todo & match[:, k])
        if not len(rows):
            continue
        d = shapely.distance(geoms_w[rows], parks_w[k])
        closer = d < best_d[rows]
        best[rows[closer]] = k
        best_d[rows[closer]] = d[closer]
    return best, np.where(best >= 0, best_d, np.nan)


def site_table(geoms_w: np.ndarray, attrs: pd.DataFrame, layers: LayerSet,
               overlay: pd.DataFrame | None = None) -> pd.DataFrame:
    """The table the siting rules read: one row per site (columns in ``zoning_rules/_site.py``).

    Parameters
    ----------
    geoms_w : numpy.ndarray of shapely.Geometry
        Sites in the working CRS.
    attrs : pandas.DataFrame
        Normalised project attributes (:func:`gis.siting.sites.project_attributes`).
    layers : LayerSet
    overlay : pandas.DataFrame, optional
        :func:`gis.engine.overlay_table.overlay_table` of ``geoms_w`` when already computed.

    Returns
    -------
    pandas.DataFrame
    """
    t = (overlay if overlay is not None else overlay_table(geoms_w, layers)).reset_index(drop=True).copy()
    a = attrs.reset_index(drop=True)
    for col in ("name", "facility", "land_m2", "output_wan", "value_added_wan", "energy_tce", "investment_wan"):
        t[col] = a[col].to_numpy()
    ind = a["industry"].astype("string")
    t["industry"] = ind
    t["manufacturing"] = is_manufacturing(ind) if len(t) else pd.Series(dtype="boolean")
    has = ind.notna().to_numpy()
    zh = np.full(len(t), None, dtype=object)
    en = np.full(len(t), None, dtype=object)
    if has.any():
        code = ind[has].astype(str)
        zh[has] = (code + " " + division_name(ind[has], "zh").astype(str)).to_numpy(dtype=object)
        en[has] = (code + " " + division_name(ind[has], "en").astype(str)).to_numpy(dtype=object)
    t["industry_zh"], t["industry_en"] = zh, en

    # Land: the given area, else the polygon site's own area.
    given = t["land_m2"].to_numpy(dtype="float64")
    own = t["area_m2"].to_numpy(dtype="float64")
    use_own = np.isnan(given) & (own > 0)
    t["land_m2"] = np.where(use_own, own, given)
    t["land_source"] = np.where(~np.isnan(given), "given", np.where(use_own, "site", None))

    parks = _park_attrs(layers)
    by_id = parks.set_index("park_id")
    pid = t["park_id"].astype(object).where(t["park_id"].notna(), None)
    t["park_id"] = pid.to_numpy(dtype=object)
    t["park_name_zh"] = pid.map(by_id["name_zh"]).to_numpy(dtype=object)
    t["park_name_en"] = pid.map(by_id["name_en"]).to_numpy(dtype=object)
    t["park_leading_industries"] = pid.map(by_id["leading"]).to_numpy(dtype=object)

    k, d = _nearest_matching_park(geoms_w, ind, t["park_id"].to_numpy(dtype=object), layers, parks)
    found = k >= 0
    for col, src in (("nearest_park_id", "park_id"), ("nearest_park_zh", "name_zh"), ("nearest_park_en", "name_en")):
        v = np.full(len(t), None, dtype=object)
        v[found] = parks[src].to_numpy(dtype=object)[k[found]]
        t[col] = v
    t["nearest_park_m"] = d
    return t


# --------------------------------------------------------------------------- rules


def evaluate(table: pd.DataFrame, ruleset: RuleSet) -> tuple[np.ndarray, dict[str, dict[str, np.ndarray]]]:
    """Run the enabled siting rules over the site table.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`site_table`.
    ruleset : RuleSet
        Siting rules (``load_rules(kind="site")``).

    Returns
    -------
    verdict : numpy.ndarray of str
        ``allowed`` / ``review`` / ``prohibited`` per row.
    checks : dict
        Rule id → ``level``, ``message_zh``, ``message_en``, ``basis_zh``,
        ``basis_en`` arrays (level None where the rule does not apply).
    """
    n = len(table)
    worst = np.zeros(n, dtype=np.int64)
    checks: dict[str, dict[str, np.ndarray]] = {}
    for rule in ruleset.rules:
        res = rule(table, ruleset.params.get(rule.id, {}))
        level = as_column(res.level, n)
        present = pd.Series(level, dtype=object).dropna().unique()
        unknown = set(present) - set(_LEVELS_ALL)
        if unknown:
            raise RuleError(
                f"规则“{rule.id}”返回了未知级别：{', '.join(map(str, unknown))}。",
                f"Rule '{rule.id}' returned unknown levels: {', '.join(map(str, unknown))}.",
                f"级别须为 {', '.join(_LEVELS_ALL)} 或 None。", f"Levels are {', '.join(_LEVELS_ALL)} or None.",
            )
        bz = getattr(res, "basis_zh", None)
        be = getattr(res, "basis_en", None)
        basis_zh = as_column(bz, n) if bz is not None else np.full(n, None, dtype=object)
        basis_en = as_column(be, n) if be is not None else np.full(n, None, dtype=object)
        basis_zh = np.where(pd.isna(pd.Series(basis_zh, dtype=object)).to_numpy(), rule.basis_zh, basis_zh)
        basis_en = np.where(pd.isna(pd.Series(basis_en, dtype=object)).to_numpy(), rule.basis_en, basis_en)
        checks[rule.id] = {"level": level, "message_zh": as_column(res.message_zh, n),
                           "message_en": as_column(res.message_en, n), "basis_zh": basis_zh, "basis_en": basis_en}
        for lv, r in _RANK.items():
            if r:
                worst = np.where(level == lv, np.maximum(worst, r), worst)
    verdict = np.array([_VERDICT_OF[0], _VERDICT_OF[1], _VERDICT_OF[2]], dtype=object)[worst]
    return verdict, checks


_DEFAULT_LAYERS: list[LayerSet] = []


def _layers(layers: LayerSet | None) -> LayerSet:
    """The given layers, or the embedded default, loaded once per session (its indexes are reused)."""
    if layers is not None:
        return layers
    if not _DEFAULT_LAYERS:
        _DEFAULT_LAYERS.append(load_layers())
    return _DEFAULT_LAYERS[0]


def _ruleset(rules) -> RuleSet:
    rs = rules if isinstance(rules, RuleSet) else load_rules(rules, kind="site")
    wrong = [r.id for r in rs.rules if r.kind != "site"]
    if wrong:
        raise RuleError(f"选址检查只能使用选址规则；{', '.join(wrong)} 是分类规则。",
                        f"A siting check takes siting rules only; {', '.join(wrong)} are classification rules.",
                        "用 load_rules(..., kind=\"site\") 载入规则。", "Load them with load_rules(..., kind=\"site\").")
    return rs


def known_facilities(ruleset: RuleSet) -> list[str]:
    """Facility types the siting rules know: the ``facility`` keys of their tables (enabled or not)."""
    found: list[str] = []
    for params in ruleset.params.values():
        for v in params.values():
            if isinstance(v, list):
                for e in v:
                    if isinstance(e, dict) and "facility" in e:
                        f = str(e["facility"]).strip().lower()
                        if f not in found:
                            found.append(f)
    return found


# --------------------------------------------------------------------------- the run


@dataclass
class _Run:
    """What one vectorised pass produced (rows aligned with the input)."""

    table: pd.DataFrame            # site table of the rows checked (``rows``)
    rows: np.ndarray               # input positions of the checked rows
    verdict: np.ndarray
    checks: dict
    errs: RowErrors
    geoms_w: np.ndarray
    circle: np.ndarray
    repaired: np.ndarray
    outside_m: np.ndarray          # distance to the district of rows outside it (NaN otherwise)


def _run(geoms: np.ndarray, crs, datum: str, attrs: pd.DataFrame, layers: LayerSet, ruleset: RuleSet,
         errs: RowErrors) -> _Run:
    n = len(geoms)
    w, repaired, circle = prepare_sites(geoms, crs, datum, attrs["radius_m"].to_numpy(dtype="float64"), errs)
    known = known_facilities(ruleset)
    fac = attrs["facility"].to_numpy(dtype=object)
    bad_fac = ~pd.isna(pd.Series(fac, dtype=object)).to_numpy() & ~np.isin(fac.astype(str), known)
    if bad_fac.any():
        listed = ", ".join(known) or "—"
        errs.add(bad_fac, "设施类型“" + fac.astype(str).astype(object) + "”未知（已知：" + listed + "）",
                 "facility type '" + fac.astype(str).astype(object) + "' is unknown (known: " + listed + ")")
    has_geom = ~shapely.is_missing(w)
    ov = overlay_table(w[has_geom], layers)
    outside = np.zeros(n, dtype=bool)
    outside[has_geom] = ov["_outside"].to_numpy(dtype=bool)
    outside_m = np.full(n, np.nan)
    if outside.any():
        outside_m[outside] = shapely.distance(w[outside], layers.work_union("district"))
        errs.add(outside, "场地位于区界之外（距区界 " + pd.Series(outside_m).round(0).map("{:,.0f}".format)
                 .to_numpy(dtype=object) + " 米）",
                 "the site lies outside the district (" + pd.Series(outside_m).round(0).map("{:,.0f}".format)
                 .to_numpy(dtype=object) + " m from it)")
    good = ~errs.any
    rows = np.flatnonzero(good)
    ov_pos = np.cumsum(has_geom) - 1                      # row → position in ``ov``
    ov_good = ov.iloc[ov_pos[rows]].reset_index(drop=True)
    table = site_table(w[rows], attrs.iloc[rows].reset_index(drop=True), layers, overlay=ov_good)
    partly = table["_partly_out"].to_numpy(dtype=bool)
    straddles = table["_straddles"].to_numpy(dtype=bool)
    flags = np.full(len(rows), "", dtype=object)
    for mask, name in ((straddles, "straddles_zone"), (partly, "partly_outside_district"),
                       (repaired[rows], "geometry_repaired"), (circle[rows], "circle")):
        flags = np.where(mask, np.where(flags == "", name, flags + ";" + name), flags)
    table["flags"] = flags
    verdict, checks = evaluate(table, ruleset)
    return _Run(table=table, rows=rows, verdict=verdict, checks=checks, errs=errs, geoms_w=w, circle=circle,
                repaired=repaired, outside_m=outside_m)


# --------------------------------------------------------------------------- single site


def _clean_number(name: str, value) -> float | None:
    if value is None:
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        zh, en = ATTRIBUTES[name][:2]
        raise InputError(f"{zh}“{value}”不是数字。", f"The {en} '{value}' is not a number.") from None
    if not np.isfinite(f) or f < 0:
        zh, en = ATTRIBUTES[name][:2]
        raise InputError(f"{zh}“{value}”须为非负的有限数。", f"The {en} '{value}' must be a finite number ≥ 0.")
    return f


def check_site(
    site,
    *,
    layers: LayerSet | None = None,
    rules: RuleSet | str | dict | None = None,
    datum: str = "wgs84",
    crs=None,
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
    site : tuple, str, shapely geometry or pathlib.Path
        ``(lon, lat)`` or ``"LON,LAT"`` (a point), WKT, a shapely geometry, or a
        vector file (``Path``; several features are one site).
    layers : LayerSet, optional
        Default: the embedded Chongming layers.
    rules : RuleSet, path or dict, optional
        Siting rules (default ``zoning_rules/default.toml``) or a user
        configuration applied over them.
    datum : {"wgs84", "gcj02", "bd09"}
        Datum of the site's lon/lat (Amap/Tencent: gcj02; Baidu: bd09).
    crs : optional
        CRS of a WKT/geometry site (default WGS84 lon/lat) or of a file without one.
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
    layers = _layers(layers)
    ruleset = _ruleset(rules)
    geom, gcrs, file_attrs = site_geometry(site, crs=crs)
    values = dict(file_attrs)
    given = {"name": name, "industry": industry, "facility": facility, "land_m2": land_m2,
             "output_wan": output_wan, "value_added_wan": value_added_wan, "energy_tce": energy_tce,
             "investment_wan": investment_wan}
    values.update({k: v for k, v in given.items() if v is not None})
    if values.get("industry") is not None:
        values["industry"] = normalise_code(values["industry"])  # FieldError with the standard's format
    for k in ("land_m2", "output_wan", "value_added_wan", "energy_tce", "investment_wan"):
        values[k] = _clean_number(k, values.get(k))
    r = _clean_number("radius_m", radius_m)
    if r is not None and r > 0 and shapely.get_type_id(geom) not in (0, 4):
        raise InputError("--radius-m 只适用于点状场地；面状场地已有自身范围。",
                         "--radius-m applies to a point site only; a polygon site has its own extent.",
                         "去掉 --radius-m，或改用 --lonlat 给出中心点。", "Drop --radius-m, or give the centre with --lonlat.")
    values["radius_m"] = r
    frame = pd.DataFrame([{k: values.get(k) for k in ATTRIBUTES}])
    errs = RowErrors(1)
    attrs = project_attributes(frame, errs)
    run = _run(np.array([geom], dtype=object), gcrs, datum, attrs, layers, ruleset, errs)
    if errs.any[0]:
        hint_zh, hint_en = "", ""
        if not np.isnan(run.outside_m[0]):
            hint_zh = ("请核对坐标：经度在前、纬度在后；高德/腾讯坐标加 --datum gcj02，百度坐标加 --datum bd09"
                       "（偏移约 0.5 公里）；或用 --layers 指定覆盖该处的图层。")
            hint_en = ("Check the coordinates: longitude first; add --datum gcj02 for Amap/Tencent or --datum bd09 "
                       "for Baidu coordinates (offset ≈ 0.5 km); or use --layers covering the place.")
        elif bad_facility(values.get("facility"), ruleset):
            hint_zh = "设施类型由规则配置中的岸线禁建表定义（facility 键）。"
            hint_en = "Facility types are defined by the riverbank-ban table of the rule configuration (facility keys)."
        raise InputError(f"无法检查该场地：{errs.zh[0]}。", f"Cannot check the site: {errs.en[0]}.", hint_zh, hint_en)
    return _result(run, 0, ruleset, layers, datum)


def bad_facility(facility, ruleset: RuleSet) -> bool:
    """True when ``facility`` is given but no enabled rule knows it."""
    if facility is None:
        return False
    from gis.siting.sites import _facility

    return _facility(facility) not in known_facilities(ruleset)


def _opt(v):
    if v is None:
        return None
    if not isinstance(v, str) and pd.isna(v):
        return None
    return v


def _result(run: _Run, i: int, ruleset: RuleSet, layers: LayerSet, datum: str) -> SiteResult:
    t = run.table.iloc[i]
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
    nearest = None
    if _opt(t["nearest_park_id"]) is not None:
        nearest = {"park_id": t["nearest_park_id"], "name_zh": _opt(t["nearest_park_zh"]),
                   "name_en": _opt(t["nearest_park_en"]), "distance_m": float(t["nearest_park_m"])}
    land = _opt(t["land_m2"])
    figures = {k: float(t[k]) for k in ("output_wan", "value_added_wan", "energy_tce", "investment_wan")
               if not pd.isna(t[k])}
    if land and "output_wan" in figures:
        figures["density_yi_per_km2"] = (figures["output_wan"] / 1e4) / (float(land) / 1e6)
    if "energy_tce" in figures and figures.get("value_added_wan"):
        figures["energy_tce_per_wan"] = figures["energy_tce"] / figures["value_added_wan"]
    row = run.rows[i]
    return SiteResult(
        verdict=str(run.verdict[i]),
        zone=_opt(t["zone"]),
        park_id=_opt(t["park_id"]),
        town=_opt(t["town"]),
        riverbank_m=float(t["riverbank_m"]),
        yangtze_1km=bool(t["yangtze_1km"]),
        in_reserve=bool(t["in_reserve"]),
        checks=checks,
        name=_opt(t["name"]),
        industry=_opt(t["industry"]),
        industry_zh=_opt(t["industry_zh"]),
        industry_en=_opt(t["industry_en"]),
        facility=_opt(t["facility"]),
        land_m2=None if land is None else float(land),
        land_source=_opt(t["land_source"]),
        figures=figures,
        area_m2=float(t["area_m2"]),
        shares={z: float(t[f"share_{z}"]) for z in ("104", "195", "198", "outside")},
        yangtze_1km_share=float(t["yangtze_1km_share"]),
        park_name_zh=_opt(t["park_name_zh"]),
        park_name_en=_opt(t["park_name_en"]),
        nearest_park=nearest,
        flags=[f for f in str(t["flags"]).split(";") if f],
        datum=datum,
        geometry=from_work(np.array([run.geoms_w[row]], dtype=object))[0],
        layers_source=layers.source,
        illustrative=layers.illustrative,
        buffer_m=layers.buffer_m,
    )


# --------------------------------------------------------------------------- batch


def check_sites(
    projects: gpd.GeoDataFrame,
    *,
    layers: LayerSet | None = None,
    rules: RuleSet | str | dict | None = None,
    datum: str = "wgs84",
    id_field: str = "project_id",
    progress: bool = False,
) -> gpd.GeoDataFrame:
    """Check many project sites at once (vectorised); a bad row gets an error, not an abort.

    Parameters
    ----------
    projects : geopandas.GeoDataFrame
        One row per project: its site (points, optionally with a ``radius_m``
        column; or polygons) and the attributes of :data:`gis.siting.sites.ATTRIBUTES`
        (``industry``, ``land_m2``, ``output_wan``, ``value_added_wan``,
        ``energy_tce``, ``investment_wan``, ``name``, ``facility``), any of
        them optional. Rows read by :func:`gis.siting.sites.read_projects` may
        carry read errors.
    layers : LayerSet, optional
    rules : RuleSet, path or dict, optional
    datum : {"wgs84", "gcj02", "bd09"}
        Datum of the sites' lon/lat coordinates.
    id_field : str
        The projects' id field (default ``project_id``; the row number, from 1,
        when the field is absent).
    progress : bool
        Show a progress bar on stderr for large inputs.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per project in input order: :data:`BATCH_COLUMNS`, one column
        per enabled rule (its level), ``findings_zh``/``findings_en`` (the
        review and prohibited messages), ``not_evaluated`` (rule ids),
        ``flags``, ``error_zh``/``error_en`` (why a row was not checked), then
        the input attributes (a clashing name gets ``_input``). The geometry is
        the site as checked, in WGS84.
    """
    layers = _layers(layers)
    ruleset = _ruleset(rules)
    n = len(projects)
    df = pd.DataFrame(projects.drop(columns=projects.geometry.name)).reset_index(drop=True)
    read_zh = df.pop("_read_error_zh").to_numpy(dtype=object) if "_read_error_zh" in df else None
    read_en = df.pop("_read_error_en").to_numpy(dtype=object) if "_read_error_en" in df else None
    geoms = projects.geometry.to_numpy()
    crs = projects.crs
    if crs is None:
        from gis.geodesy.crs import check_crs

        crs = check_crs(None, "projects")
    ids = df[id_field].to_numpy(dtype=object) if id_field in df.columns else np.arange(1, n + 1)
    rule_ids = [r.id for r in ruleset.rules]
    parts = []
    bar = None
    if progress and n > CHUNK:
        from gis.progress import progress_bar

        bar = progress_bar(total=n, desc="选址 site-check")
    for s in range(0, max(n, 1), CHUNK):
        e = min(s + CHUNK, n)
        errs = RowErrors(e - s)
        if read_zh is not None:
            errs.add(~pd.isna(pd.Series(read_zh[s:e], dtype=object)).to_numpy(), read_zh[s:e], read_en[s:e])
        attrs = project_attributes(df.iloc[s:e], errs)
        run = _run(geoms[s:e], crs, datum, attrs, layers, ruleset, errs)
        parts.append(_batch_frame(run, e - s, rule_ids))
        if bar is not None:
            bar.update(e - s)
    if bar is not None:
        bar.close()
    out = pd.concat(parts, ignore_index=True) if parts else _batch_frame(None, 0, rule_ids)
    out = out.iloc[:n].reset_index(drop=True)
    geom_w = out.pop("_geom_w").to_numpy(dtype=object)
    out.insert(0, "project_id", ids)
    taken = set(out.columns)
    attrs_in = df.drop(columns=[id_field]) if id_field in df.columns else df
    attrs_in = attrs_in.rename(columns={c: f"{c}_input" for c in attrs_in.columns if c in taken})
    result = pd.concat([out, attrs_in.reset_index(drop=True)], axis=1)
    return gpd.GeoDataFrame(result, geometry=from_work(geom_w), crs=WGS84)


def _batch_frame(run: _Run | None, n: int, rule_ids: list[str]) -> pd.DataFrame:
    cols = BATCH_COLUMNS[1:] + rule_ids + _BATCH_TAIL + ["_geom_w"]
    out = pd.DataFrame({c: np.full(n, None, dtype=object) for c in cols})
    if run is None:
        return out
    rows, t = run.rows, run.table
    out["_geom_w"] = run.geoms_w
    out.loc[rows, "verdict"] = run.verdict
    out.loc[rows, "verdict_zh"] = pd.Series(run.verdict, dtype=object).map(
        {k: v[0] for k, v in VERDICT_NAMES.items()}).to_numpy(dtype=object)
    for c in ("zone", "park_id", "town", "nearest_park_id", "nearest_park_zh", "flags"):
        out.loc[rows, c] = t[c].to_numpy(dtype=object)
    for c in ("riverbank_m", "yangtze_1km_share", "nearest_park_m", "land_m2"):
        v = np.full(n, np.nan)
        v[rows] = t[c].to_numpy(dtype="float64")
        out[c] = v
    for c in ("yangtze_1km", "in_reserve"):
        v = pd.Series(pd.NA, index=range(n), dtype="boolean")
        v.iloc[rows] = t[c].to_numpy(dtype=bool)
        out[c] = v
    f_zh = np.full(len(rows), "", dtype=object)
    f_en = np.full(len(rows), "", dtype=object)
    not_ev = np.full(len(rows), "", dtype=object)
    for rid in rule_ids:
        c = run.checks[rid]
        out.loc[rows, rid] = c["level"]
        bad = np.isin(c["level"], ["review", "prohibited"])
        f_zh = np.where(bad, f_zh + c["message_zh"].astype(str).astype(object), f_zh)
        f_en = np.where(bad, f_en + np.where(f_en == "", "", " ") + c["message_en"].astype(str).astype(object), f_en)
        ne = c["level"] == "not_evaluated"
        not_ev = np.where(ne, not_ev + np.where(not_ev == "", "", ";") + rid, not_ev)
    out.loc[rows, "findings_zh"] = f_zh
    out.loc[rows, "findings_en"] = f_en
    out.loc[rows, "not_evaluated"] = not_ev
    out["error_zh"] = run.errs.zh
    out["error_en"] = run.errs.en
    return out
