"""Presenting a siting check: bilingual text, a PNG map and a self-contained HTML page.

:func:`format_text` is what ``parkgis site-check`` prints; :func:`write_report`
writes ``site.png`` (matplotlib: the site, the 1 km riverbank zone, the zones and
the parks) and ``site.html`` (that map embedded as base64, the facts and the table
of checks; no script, no web font, no network: it opens offline).
"""

from __future__ import annotations

import base64
import datetime as _dt
import html
import io
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np
import shapely

from gis.geodesy.crs import to_work
from gis.errors import ParkgisError
from gis.io.safe_write import atomic_output

__all__ = ["format_text", "render_html", "render_png", "write_report"]

_VERDICT = {"allowed": ("可准入", "ALLOWED", "#1b7837"), "review": ("需审查", "REVIEW", "#d98c00"),
            "prohibited": ("禁止", "PROHIBITED", "#c0151b")}
_LEVEL = {"ok": ("符合", "ok", "#1b7837"), "review": ("需审查", "review", "#d98c00"),
          "prohibited": ("禁止", "prohibited", "#c0151b"), "not_evaluated": ("未评估", "not evaluated", "#6b6b6b")}
_ZONE = {"104": ("104 产业区块", "104 industrial block"),
         "195": ("195 区域（集中建设区内、园区外）", "195 area (construction area outside the parks)"),
         "198": ("198 区域（园区和集中建设区外）", "198 area (outside parks and construction areas)")}
_LAND_SOURCE = {"given": ("给定", "given"), "site": ("取自场地面积", "the site's own area")}


def _km(m: float) -> str:
    return f"{m / 1000:,.1f} km" if m >= 1000 else f"{m:,.0f} m"


def _facts(r) -> list[tuple[str, str, str]]:
    """(label zh, label en, value) rows shared by the text and the HTML."""
    zone = _ZONE.get(r.zone, (r.zone or "—", r.zone or "—"))
    park = "—"
    if r.park_id:
        park = f"{r.park_name_zh or r.park_id} / {r.park_name_en or r.park_id} ({r.park_id})"
    inside = r.riverbank_m <= r.buffer_m
    river = (f"{r.riverbank_m:,.1f} m（在 {r.buffer_m:,.0f} 米范围{'内' if inside else '外'} / "
             f"{'within' if inside else 'beyond'} the {r.buffer_m:,.0f} m zone）")
    rows = [
        ("区域", "Zone", f"{zone[0]} / {zone[1]}"),
        ("园区", "Park", park),
        ("乡镇", "Town", r.town or "—"),
        ("距长江岸线", "Distance to the riverbank", river),
        ("战略预留区", "Strategic reserve", "是 / yes" if r.in_reserve else "否 / no"),
        ("行业", "Industry", f"{r.industry_zh} / {r.industry_en}" if r.industry else "未给出 / not given"),
    ]
    if r.facility:
        rows.append(("设施类型", "Facility", r.facility))
    if r.land_m2:
        src = _LAND_SOURCE.get(r.land_source or "", ("", ""))
        rows.append(("用地面积", "Land area", f"{r.land_m2:,.0f} m²（{r.land_m2 / 666.67:,.1f} 亩；{src[0]} / {src[1]}）"))
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
        where = f"{n['name_zh'] or n['park_id']} / {n['name_en'] or n['park_id']} ({n['park_id']})"
        rows.append(("最近的定位相符园区", "Nearest park with matching positioning",
                     f"{where}，{_km(n['distance_m'])}"))
    if r.flags:
        rows.append(("标记", "Flags", ", ".join(r.flags)))
    return rows


def _notes(r) -> list[tuple[str, str]]:
    notes = []
    if r.illustrative:
        notes.append(("图层含示意数据（园区、集中建设区位置为示意），结论仅供参考，请以官方图层复核。",
                      ("The layers include illustrative data (park and construction-area outlines); verify the "
                       "result against the official layers.")))
    if r.datum != "wgs84":
        notes.append((f"输入坐标为 {r.datum.upper()}，已转换为 WGS84 后检查。",
                      f"The input coordinates were {r.datum.upper()}, converted to WGS84 before checking."))
    return notes


def format_text(r) -> str:
    """The bilingual plain-text summary of a :class:`gis.siting.check.SiteResult`."""
    v = _VERDICT[r.verdict]
    title = r.name or "未命名项目 / unnamed project"
    lines = [f"选址检查 Site check：{title}", f"结论 Verdict：{v[0]} {v[1]}", ""]
    for zh, en, val in _facts(r):
        lines.append(f"{zh} {en}：{val}")
    lines += ["", "检查 Checks："]
    for c in r.checks:
        lz, le, _ = _LEVEL[c.level]
        lines.append(f"  [{lz} {le}] {c.title_zh} / {c.title_en}  ({c.rule})")
        lines.append(f"      {c.message_zh}")
        lines.append(f"      {c.message_en}")
        lines.append(f"      依据 Basis：{c.basis}")
    for zh, en in _notes(r):
        lines += ["", f"注意：{zh}", f"Note: {en}"]
    return "\n".join(lines)


# --------------------------------------------------------------------------- map


def _cjk_rc() -> dict | None:
    """matplotlib settings for Chinese labels (:mod:`gis.maps.fonts`), or None: labels then in English only."""
    try:
        from gis.maps.fonts import cjk_rc

        return cjk_rc()
    except (ImportError, ParkgisError):
        return None


def _style(role: str, default: dict) -> dict:
    try:
        from gis.maps.style import ROLE_STYLE

        return {**default, **ROLE_STYLE.get(role, ("", "", {}))[2]}
    except ImportError:  # pragma: no cover - the print style is optional here
        return default


def _patches(geoms, **kw):
    """Matplotlib patches of (multi)polygons (holes kept)."""
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as MPath

    out = []
    parts = shapely.get_parts(np.asarray([g for g in geoms if g is not None], dtype=object))
    parts = parts[np.isin(shapely.get_type_id(parts), (3,)) & ~shapely.is_empty(parts)]
    for p in parts:
        verts, codes = [], []
        for ring in [p.exterior, *p.interiors]:
            xy = np.asarray(ring.coords)
            if len(xy) < 3:
                continue
            verts.append(xy)
            codes.append(np.r_[MPath.MOVETO, np.full(len(xy) - 2, MPath.LINETO), MPath.CLOSEPOLY])
        if verts:
            out.append(PathPatch(MPath(np.concatenate(verts), np.concatenate(codes)), **kw))
    return out


def _draw(ax, geoms, **kw) -> None:
    for patch in _patches(geoms, **kw):
        ax.add_patch(patch)


def _nice(length_m: float) -> float:
    for v in (100, 200, 500, 1000, 2000, 5000, 10000, 20000):
        if v >= length_m:
            return v
    return 50000


def render_png(r, layers, *, dpi: int = 150, size_in: tuple[float, float] = (8.0, 7.0)) -> bytes:
    """Draw the site, the 1 km zone, the zones and the parks; return PNG bytes.

    Parameters
    ----------
    r : gis.siting.check.SiteResult
    layers : gis.layers.layerset.LayerSet
        The layers the site was checked against.
    dpi : int
    size_in : (width, height) in inches
    """
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    cjk = _cjk_rc()
    zh_ok = cjk is not None
    site = to_work(np.array([r.geometry], dtype=object))[0]
    # Window: the site plus 3 km (at least 6 km across), and the nearest matching park if within 15 km.
    frame = shapely.buffer(site, 3000.0)
    if r.nearest_park and r.nearest_park["distance_m"] < 15000:
        pk = layers.parks["park_id"].astype(str).to_numpy() == str(r.nearest_park["park_id"])
        if pk.any():
            frame = shapely.union(frame, shapely.buffer(shapely.union_all(layers.work("parks")[pk]), 500.0))
    x0, y0, x1, y1 = shapely.bounds(frame)
    w, h = x1 - x0, y1 - y0
    aspect = size_in[0] / (size_in[1] * 0.9)
    if w / h < aspect:
        cx = (x0 + x1) / 2
        x0, x1 = cx - h * aspect / 2, cx + h * aspect / 2
    else:
        cy = (y0 + y1) / 2
        y0, y1 = cy - w / aspect / 2, cy + w / aspect / 2
    pad = 0.05 * (x1 - x0)
    clip = (x0 - pad, y0 - pad, x1 + pad, y1 + pad)

    def clipped(role):
        g = layers.work(role)
        if len(g) == 0:
            return []
        c = shapely.clip_by_rect(np.asarray(g, dtype=object), *clip)
        return [x for x in c if x is not None and not x.is_empty]

    rc = cjk or {"font.family": ["DejaVu Sans"], "axes.unicode_minus": False}
    with rc_context(rc):
        fig = Figure(figsize=size_in, dpi=dpi)
        FigureCanvasAgg(fig)
        ax = fig.add_axes((0.02, 0.02, 0.96, 0.86))
        ax.set_facecolor("#dbe9f6")  # water: outside the district polygon
        handles = []

        def lab(zh, en):
            return f"{zh} {en}" if zh_ok else en

        s = _style("district", {"color": "#252525"})
        _draw(ax, clipped("district"), facecolor="#ffffff", edgecolor="none", zorder=1)
        s198 = _style("zone_198", {"fillColor": "#e7e1ef", "color": "#bdbdbd"})
        _draw(ax, clipped("zone_198"), facecolor=s198["fillColor"], edgecolor=s198["color"], lw=0.4, alpha=0.8,
              zorder=2)
        handles.append(Patch(facecolor=s198["fillColor"], edgecolor=s198["color"], label=lab("198 区域", "zone 198")))
        s195 = _style("zone_195", {"fillColor": "#fee391", "color": "#d6a10f"})
        _draw(ax, clipped("zone_195"), facecolor=s195["fillColor"], edgecolor=s195["color"], lw=0.6, alpha=0.8,
              zorder=3)
        handles.append(Patch(facecolor=s195["fillColor"], edgecolor=s195["color"], label=lab("195 区域", "zone 195")))
        sp = _style("parks", {"fillColor": "#9e9ac8", "color": "#54278f"})
        _draw(ax, clipped("parks"), facecolor=sp["fillColor"], edgecolor=sp["color"], lw=1.4, alpha=0.75, zorder=4)
        handles.append(Patch(facecolor=sp["fillColor"], edgecolor=sp["color"], label=lab("园区（104 区块）",
                                                                                          "parks (104)")))
        sy = _style("yangtze_1km", {"fillColor": "#6baed6", "color": "#2171b5"})
        _draw(ax, clipped("yangtze_1km"), facecolor=sy["fillColor"], edgecolor=sy["color"], lw=0.8, alpha=0.35,
              linestyle="--", zorder=5)
        handles.append(Patch(facecolor=sy["fillColor"], edgecolor=sy["color"], alpha=0.5, linestyle="--",
                             label=lab(f"长江岸线 {layers.buffer_m:,.0f} 米范围", f"Yangtze {layers.buffer_m:,.0f} m zone")))
        if layers.strategic_reserve is not None:
            sr = _style("strategic_reserve", {"color": "#8c510a"})
            _draw(ax, clipped("strategic_reserve"), facecolor="none", edgecolor=sr["color"], lw=1.5, hatch="//",
                  linestyle="--", zorder=6)
            handles.append(Patch(facecolor="none", edgecolor=sr["color"], hatch="//",
                                 label=lab("战略预留区", "strategic reserve")))
        for line in clipped("riverbank"):
            for part in shapely.get_parts(line):
                xy = np.asarray(part.coords) if part.geom_type in ("LineString", "LinearRing") else None
                if xy is not None and len(xy) > 1:
                    ax.plot(xy[:, 0], xy[:, 1], color="#08306b", lw=1.6, zorder=7)
        handles.append(Line2D([], [], color="#08306b", lw=1.6, label=lab("长江岸线", "riverbank")))
        _draw(ax, clipped("district"), facecolor="none", edgecolor=s["color"], lw=1.2, zorder=8)

        # Park labels inside the window.
        parks_w = layers.work("parks")
        names = layers.parks["name_zh" if zh_ok else "name_en"].fillna(layers.parks["park_id"]).astype(str).to_numpy()
        near = 0.08 * (x1 - x0)
        for g, nm in zip(parks_w, names):
            p = shapely.point_on_surface(g)
            if shapely.distance(p, site) < near:  # keep the site visible: label the park away from it
                away = shapely.difference(g, shapely.buffer(site, 2 * near))
                p = shapely.point_on_surface(away) if not away.is_empty else p
            if clip[0] < p.x < clip[2] and clip[1] < p.y < clip[3]:
                ax.text(p.x, p.y, nm, fontsize=8, color="#3f007d", ha="center", va="center", zorder=9,
                        bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.7})

        # The site.
        red = "#e31a1c"
        tid = shapely.get_type_id(site)
        if tid in (3, 6):
            _draw(ax, [site], facecolor=red, edgecolor="#67000d", lw=1.5, alpha=0.55, zorder=10)
        elif tid in (1, 2, 5):
            for part in shapely.get_parts(site):
                xy = np.asarray(part.coords)
                ax.plot(xy[:, 0], xy[:, 1], color=red, lw=2.5, zorder=10)
        else:
            pts = shapely.get_coordinates(site)
            ax.plot(pts[:, 0], pts[:, 1], marker="*", ms=16, color=red, mec="#67000d", ls="none", zorder=10)
        handles.append(Line2D([], [], marker="*", ms=12, color=red, ls="none", label=lab("项目场地", "project site")))

        # The riverbank distance and the nearest matching park.
        river_u = layers.work_union("riverbank")
        if not river_u.is_empty:
            sl = shapely.shortest_line(site, river_u)
            xy = np.asarray(sl.coords)
            ax.plot(xy[:, 0], xy[:, 1], color="#08306b", lw=1, ls=":", zorder=9)
            ax.annotate(_km(r.riverbank_m), xy=xy.mean(axis=0), fontsize=8, color="#08306b", zorder=11,
                        xytext=(4, 4), textcoords="offset points")
        if r.nearest_park:
            pk = layers.parks["park_id"].astype(str).to_numpy() == str(r.nearest_park["park_id"])
            if pk.any():
                target = shapely.union_all(parks_w[pk])
                sl = shapely.shortest_line(site, target)
                xy = np.asarray(sl.coords)
                ax.plot(xy[:, 0], xy[:, 1], color="#54278f", lw=1.2, ls="--", zorder=9)
                ax.annotate(_km(r.nearest_park["distance_m"]), xy=xy.mean(axis=0), fontsize=8, color="#54278f",
                            xytext=(4, -10), textcoords="offset points", zorder=11)

        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])

        # Scale bar (metres in the working CRS are ground metres to 2e-5) and north arrow.
        bar = _nice((x1 - x0) / 5)
        bx, by = x0 + 0.04 * (x1 - x0), y0 + 0.05 * (y1 - y0)
        ax.plot([bx, bx + bar], [by, by], color="black", lw=3, solid_capstyle="butt", zorder=12)
        ax.text(bx + bar / 2, by + 0.015 * (y1 - y0), _km(bar), ha="center", va="bottom", fontsize=8, zorder=12)
        ax.annotate("N", xy=(0.04, 0.95), xytext=(0.04, 0.86), xycoords="axes fraction", ha="center",
                    fontsize=11, arrowprops={"arrowstyle": "-|>", "color": "black"}, zorder=12)
        ax.legend(handles=handles, loc="lower right", fontsize=7, framealpha=0.9)

        v = _VERDICT[r.verdict]
        title = r.name or ("选址检查" if zh_ok else "Site check")
        fig.text(0.02, 0.955, title, fontsize=13, va="center")
        fig.text(0.02, 0.905, f"{v[0]} {v[1]}" if zh_ok else v[1], fontsize=12, color=v[2],
                 va="center")
        if r.illustrative:
            ax.text(0.99, 0.99, lab("示意图层", "Illustrative layers"), transform=ax.transAxes, ha="right",
                    va="top", fontsize=8, color="#6b4e00", zorder=12,
                    bbox={"fc": "#fff3cd", "ec": "#d39e00", "boxstyle": "round,pad=0.3"})
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


# --------------------------------------------------------------------------- HTML


_CSS = """
body{font:14px/1.5 "Noto Sans SC","Microsoft YaHei","PingFang SC","Helvetica Neue",Arial,sans-serif;color:#222;
  margin:24px auto;max-width:1040px;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}
.verdict{display:inline-block;padding:4px 12px;border-radius:4px;color:#fff;font-weight:700;font-size:16px}
table{border-collapse:collapse;width:100%;margin:12px 0}
th,td{border:1px solid #ddd;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f4f4f4;white-space:nowrap}
.level{display:inline-block;padding:1px 8px;border-radius:3px;color:#fff;font-weight:600;white-space:nowrap}
.en{color:#555}
.basis{font-size:12px;color:#555}
.note{background:#fff3cd;border:1px solid #d39e00;padding:8px 12px;border-radius:4px;margin:12px 0}
img{max-width:100%;border:1px solid #ccc}
footer{font-size:12px;color:#777;margin-top:24px}
"""


def render_html(r, png: bytes) -> str:
    """The self-contained HTML page of a siting check, the map embedded as base64 PNG."""
    e = html.escape
    v = _VERDICT[r.verdict]
    title = r.name or "未命名项目 / unnamed project"
    facts = "\n".join(f"<tr><th>{e(zh)}<br><span class='en'>{e(en)}</span></th><td>{e(val)}</td></tr>"
                      for zh, en, val in _facts(r))
    rows = []
    for c in r.checks:
        lz, le, col = _LEVEL[c.level]
        rows.append(
            f"<tr><td><span class='level' style='background:{col}'>{e(lz)} {e(le)}</span></td>"
            f"<td>{e(c.title_zh)}<br><span class='en'>{e(c.title_en)}</span><br><code>{e(c.rule)}</code></td>"
            f"<td>{e(c.message_zh)}<br><span class='en'>{e(c.message_en)}</span></td>"
            f"<td class='basis'>{e(c.basis)}<br>{e(c.basis_en)}</td></tr>")
    notes = "\n".join(f"<div class='note'>{e(zh)}<br><span class='en'>{e(en)}</span></div>" for zh, en in _notes(r))
    img = base64.b64encode(png).decode("ascii")
    try:
        ver = version("parkgis")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        ver = ""
    stamp = _dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(f"选址检查 Site check：{title}")}</title>
<style>{_CSS}</style></head>
<body>
<h1>选址检查 Site check：{e(title)}</h1>
<p>结论 Verdict：<span class="verdict" style="background:{v[2]}">{e(v[0])} {e(v[1])}</span></p>
{notes}
<table>{facts}</table>
<h2>地图 Map</h2>
<img alt="{e('场地、长江岸线 1 公里范围、区域与园区 / site, 1 km riverbank zone, zones and parks')}"
 src="data:image/png;base64,{img}">
<h2>检查 Checks</h2>
<table>
<tr><th>级别 Level</th><th>规则 Rule</th><th>结果 Finding</th><th>依据 Basis</th></tr>
{''.join(rows)}
</table>
<p class="basis">结论取各项检查中最严的级别（符合 &lt; 需审查 &lt; 禁止）；“未评估”列出但不影响结论。<br>
The verdict is the worst level among the checks (ok &lt; review &lt; prohibited); "not evaluated" is listed but
does not change it.</p>
<footer>parkgis {e(ver)} · {e(stamp)} · 图层 layers: {e(r.layers_source)} · 坐标 WGS84
{'· 输入基准 input datum ' + e(r.datum) if r.datum != 'wgs84' else ''}</footer>
</body></html>
"""


def write_report(r, layers, out_dir) -> dict[str, Path]:
    """Write ``site.png`` and ``site.html`` into ``out_dir`` (created if needed; atomic writes).

    Parameters
    ----------
    r : gis.siting.check.SiteResult
    layers : gis.layers.layerset.LayerSet
        The layers the site was checked against.
    out_dir : str or Path

    Returns
    -------
    dict
        ``{"png": path, "html": path}``.
    """
    d = Path(out_dir)
    d.mkdir(parents=True, exist_ok=True)
    png = render_png(r, layers)
    paths = {"png": d / "site.png", "html": d / "site.html"}
    with atomic_output(paths["png"]) as tmp:
        tmp.write_bytes(png)
    with atomic_output(paths["html"]) as tmp:
        tmp.write_text(render_html(r, png), encoding="utf-8")
    return paths
