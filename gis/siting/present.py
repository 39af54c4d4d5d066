"""A siting check in words: the bilingual text ``parkgis site-check`` prints, and the facts it lists.

:func:`format_text` is the summary of one site; :func:`facts` and
:func:`notes` are the rows and notes shared with the site's HTML page
(:mod:`gis.report.site_page`); :func:`batch_summary` is the account of a batch.
The site map is drawn in :mod:`gis.maps.printed.site_maps`.
"""

from __future__ import annotations

from gis.siting.result import LEVEL_NAMES, VERDICT_NAMES
from gis.units import M2_PER_MU
from gis.wording import ILLUSTRATIVE_NOTE, flag_words, rate_text

__all__ = ["batch_summary", "distance_text", "facts", "format_text", "notes", "verdict_label"]

_ZONE = {"104": ("104 产业区块", "104 industrial block"),
         "195": ("195 区域（集中建设区内、园区外）", "195 area (construction area outside the parks)"),
         "198": ("198 区域（园区和集中建设区外）", "198 area (outside parks and construction areas)")}
_LAND_SOURCE = {"given": ("给定", "given"), "site": ("取自场地面积", "the site's own area")}


def distance_text(m: float) -> str:
    """A distance for people: ``850 m``, ``1.2 km`` (from metres)."""
    return f"{m / 1000:,.1f} km" if m >= 1000 else f"{m:,.0f} m"


def verdict_label(verdict: str) -> tuple[str, str]:
    """(zh, EN) of a verdict as the summary shows it: ``("禁止", "PROHIBITED")``."""
    zh, en = VERDICT_NAMES[verdict]
    return zh, en.upper()


def facts(r) -> list[tuple[str, str, str]]:
    """(label zh, label en, value) rows of a :class:`~gis.siting.result.SiteResult`, shared by the text and the HTML."""
    zone = _ZONE.get(r.zone, (r.zone or "—", r.zone or "—"))
    park = "—"
    if r.park_id:
        park = f"{r.park_name_zh or r.park_id} / {r.park_name_en or r.park_id}"
    inside = r.riverbank_m <= r.buffer_m
    river = (f"{r.riverbank_m:,.1f} m（在 {r.buffer_m:,.0f} 米范围{'内' if inside else '外'} / "
             f"{'within' if inside else 'beyond'} the {r.buffer_m:,.0f} m zone）")
    rows = [
        ("区域", "Zone", f"{zone[0]} / {zone[1]}"),
        ("园区", "Park", park),
        ("乡镇", "Town", r.town or "—"),
        ("距长江岸线", "Distance to the riverbank", river),
        *([("岸线以外", "Seaward of the shoreline",
            "场地（部分）在江中或滩涂上，距岸线按 0 米计 / (partly) in the river or on tidal flats: 0 m from the bank")]
          if "in_water" in r.flags else []),
        ("战略预留区", "Strategic reserve", "是 / yes" if r.in_reserve else "否 / no"),
        ("行业", "Industry", f"{r.industry_zh} / {r.industry_en}" if r.industry else "未给出 / not given"),
    ]
    if r.facility:
        rows.append(("设施类型", "Facility", r.facility))
    if r.land_m2:
        src = _LAND_SOURCE.get(r.land_source or "", ("", ""))
        rows.append(("用地面积", "Land area",
                     f"{r.land_m2:,.0f} m²（{r.land_m2 / M2_PER_MU:,.1f} 亩；{src[0]} / {src[1]}）"))
    f = r.figures
    if "output_wan" in f:
        rows.append(("计划产值", "Planned output", f"{f['output_wan']:,.0f} 万元（{f['output_wan'] / 1e4:,.2f} 亿元）"))
    if "density_yi_per_km2" in f:
        rows.append(("单位土地产出", "Output density", f"{f['density_yi_per_km2']:,.1f} 亿元/km²"))
    if "value_added_wan" in f:
        rows.append(("计划增加值", "Planned value added", f"{f['value_added_wan']:,.0f} 万元"))
    if "energy_tce" in f:
        rows.append(("计划综合能耗", "Planned energy use", f"{f['energy_tce']:,.1f} tce"))
    if "energy_tce_per_wan" in f:
        rows.append(("万元增加值能耗", "Energy intensity", f"{f['energy_tce_per_wan']:,.3f} tce/万元"))
    if "investment_wan" in f:
        rows.append(("计划投资", "Planned investment", f"{f['investment_wan']:,.0f} 万元"))
    if r.nearest_park:
        n = r.nearest_park
        where = f"{n['name_zh'] or n['park_id']} / {n['name_en'] or n['park_id']}"
        rows.append(("最近的定位相符园区", "Nearest park with matching positioning",
                     f"{where}，{distance_text(n['distance_m'])}"))
    if r.flags:
        zh, en = flag_words(r.flags)
        rows.append(("说明", "Notes on the site", f"{zh} / {en}"))
    return rows


def notes(r) -> list[tuple[str, str]]:
    """(zh, en) notes of a :class:`~gis.siting.result.SiteResult`: illustrative layers, a converted datum."""
    out = []
    if r.illustrative:
        out.append(ILLUSTRATIVE_NOTE)
    if r.datum != "wgs84":
        out.append((f"输入坐标为 {r.datum.upper()}，已转换为 WGS84 后检查。",
                    f"The input coordinates were {r.datum.upper()}, converted to WGS84 before checking."))
    return out


def format_text(r) -> str:
    """The bilingual plain-text summary of a :class:`gis.siting.result.SiteResult`."""
    v = verdict_label(r.verdict)
    title = r.name or "未命名项目 / unnamed project"
    lines = [f"选址检查 Site check：{title}", f"结论 Verdict：{v[0]} {v[1]}", ""]
    for zh, en, val in facts(r):
        lines.append(f"{zh} {en}：{val}")
    lines += ["", "检查 Checks："]
    for c in r.checks:
        lz, le = LEVEL_NAMES[c.level]
        lines.append(f"  [{lz} {le}] {c.title_zh} / {c.title_en}  ({c.rule})")
        lines.append(f"      {c.message_zh}")
        lines.append(f"      {c.message_en}")
        lines.append(f"      依据 Basis：{c.basis}")
    for zh, en in notes(r):
        lines += ["", f"注意：{zh}", f"Note: {en}"]
    return "\n".join(lines)


def batch_summary(result, out, seconds: float) -> list[str]:
    """What a batch check did, for stderr: how many projects, how fast, the verdicts and the rows not checked.

    Parameters
    ----------
    result : geopandas.GeoDataFrame
        :func:`gis.siting.batch.check_sites` output.
    out : str or Path
        Where it was written.
    seconds : float
        Time the check took.
    """
    n = len(result)
    counts = result["verdict"].value_counts()
    errors = int(result["error_zh"].notna().sum())
    lines = [f"已检查 {n} 个项目 → {out} / checked {n} projects → {out}（{rate_text(n, seconds)}）"]
    lines += [f"  {zh} {en}: {int(counts.get(v, 0))}" for v, (zh, en) in VERDICT_NAMES.items()]
    if errors:
        lines.append(f"  无法检查 not checked: {errors}（见 error_zh/error_en 列 / see the error_zh/error_en columns）")
    return lines
