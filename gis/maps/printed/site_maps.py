"""Print maps of siting checks: one site with its surroundings, and the projects of a report by verdict.

:func:`site_map` draws one checked site (:class:`gis.siting.result.SiteResult`)
over the district, the 195/198 zones, the parks, the Yangtze 1 km zone, the
strategic reserve and the riverbank, with the distance to the riverbank and to
the nearest park whose leading industries match. :func:`project_sites_figure`
draws the sites of a batch check coloured by verdict, for the report.

Both are drawn in the metric working CRS with the furniture of every print map
(:mod:`gis.maps.printed.furniture`). The site map works without a Chinese font
(its labels are then English only), so a site check never fails for a font.
"""

from __future__ import annotations

import io

import numpy as np
import shapely

from gis.geodesy.crs import to_work
from gis.maps.printed.furniture import (
    add_path,
    attribution_text,
    font_rc,
    halo,
    line_path,
    north_arrow,
    polygon_path,
    scale_bar,
)
from gis.maps.style import BADGE_COLOURS, ROLE_STYLE, VERDICT_COLOURS
from gis.siting.present import distance_text, verdict_label
from gis.siting.result import VERDICT_NAMES

__all__ = ["project_sites_figure", "site_map"]

_SITE_RED = "#e31a1c"
_RIVER_BLUE = "#08306b"
_PARK_PURPLE = "#54278f"


def _colours(role: str, default: dict) -> dict:
    """The role's colours from the shared style (web map keys: ``color``, ``fillColor``)."""
    return {**default, **ROLE_STYLE.get(role, ("", "", {}))[2]}


def _draw(ax, geoms, **kw) -> None:
    """Fill (multi)polygons, whatever collections clipping left them in."""
    parts = shapely.get_parts(np.asarray([g for g in geoms if g is not None], dtype=object))
    add_path(ax, polygon_path(parts), **kw)


def _window(r, site, layers, size_in: tuple[float, float]) -> tuple[tuple, tuple]:
    """The map's extent (x0, y0, x1, y1) in metres, fitted to the page, and a clip box 5 % wider.

    The site plus 3 km (at least 6 km across), and the nearest matching park if within 15 km.
    """
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
    return (x0, y0, x1, y1), (x0 - pad, y0 - pad, x1 + pad, y1 + pad)


def _clipped(layers, role: str, clip: tuple) -> list:
    g = layers.work(role)
    if len(g) == 0:
        return []
    c = shapely.clip_by_rect(np.asarray(g, dtype=object), *clip)
    return [x for x in c if x is not None and not x.is_empty]


def _draw_layers(ax, layers, clip: tuple, lab) -> list:
    """District, zones, parks, the 1 km zone, the reserve and the riverbank; return legend handles."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = []
    _draw(ax, _clipped(layers, "district", clip), facecolor="#ffffff", edgecolor="none", zorder=1)
    if layers.water is not None:  # the district seaward of the shore (river, tidal flats): over zone 198
        sw = _colours("water", {"fillColor": "#c6dbef", "color": "#4292c6"})
        _draw(ax, _clipped(layers, "water", clip), facecolor=sw["fillColor"], edgecolor="none", zorder=4.5)
        handles.append(Patch(facecolor=sw["fillColor"], edgecolor=sw["color"],
                             label=lab("水域或滩涂（距岸线 0 米）", "river or tidal flats (0 m from the bank)")))
    for role, default, lw, z, label in (
        ("zone_198", {"fillColor": "#e7e1ef", "color": "#bdbdbd"}, 0.4, 2, lab("198 区域", "zone 198")),
        ("zone_195", {"fillColor": "#fee391", "color": "#d6a10f"}, 0.6, 3, lab("195 区域", "zone 195")),
    ):
        s = _colours(role, default)
        _draw(ax, _clipped(layers, role, clip), facecolor=s["fillColor"], edgecolor=s["color"], lw=lw, alpha=0.8,
              zorder=z)
        handles.append(Patch(facecolor=s["fillColor"], edgecolor=s["color"], label=label))
    sp = _colours("parks", {"fillColor": "#9e9ac8", "color": _PARK_PURPLE})
    _draw(ax, _clipped(layers, "parks", clip), facecolor=sp["fillColor"], edgecolor=sp["color"], lw=1.4, alpha=0.75,
          zorder=4)
    handles.append(Patch(facecolor=sp["fillColor"], edgecolor=sp["color"],
                         label=lab("园区（104 区块）", "parks (104)")))
    sy = _colours("yangtze_1km", {"fillColor": "#6baed6", "color": "#2171b5"})
    _draw(ax, _clipped(layers, "yangtze_1km", clip), facecolor=sy["fillColor"], edgecolor=sy["color"], lw=0.8,
          alpha=0.35, linestyle="--", zorder=5)
    handles.append(Patch(facecolor=sy["fillColor"], edgecolor=sy["color"], alpha=0.5, linestyle="--",
                         label=lab(f"长江岸线 {layers.buffer_m:,.0f} 米范围",
                                   f"Yangtze {layers.buffer_m:,.0f} m zone")))
    if layers.strategic_reserve is not None:
        sr = _colours("strategic_reserve", {"color": "#8c510a"})
        _draw(ax, _clipped(layers, "strategic_reserve", clip), facecolor="none", edgecolor=sr["color"], lw=1.5,
              hatch="//", linestyle="--", zorder=6)
        handles.append(Patch(facecolor="none", edgecolor=sr["color"], hatch="//",
                             label=lab("战略预留区", "strategic reserve")))
    add_path(ax, line_path(np.asarray(_clipped(layers, "riverbank", clip), dtype=object)), facecolor="none",
             edgecolor=_RIVER_BLUE, lw=1.6, zorder=7)
    handles.append(Line2D([], [], color=_RIVER_BLUE, lw=1.6, label=lab("长江岸线", "riverbank")))
    s = _colours("district", {"color": "#252525"})
    _draw(ax, _clipped(layers, "district", clip), facecolor="none", edgecolor=s["color"], lw=1.2, zorder=8)
    return handles


def _label_parks(ax, layers, site, extent: tuple, clip: tuple, chinese: bool) -> None:
    """Park names inside the window, moved off the site when they would cover it."""
    names = layers.parks["name_zh" if chinese else "name_en"].fillna(layers.parks["park_id"]).astype(str).to_numpy()
    near = 0.08 * (extent[2] - extent[0])
    for g, nm in zip(layers.work("parks"), names, strict=True):
        p = shapely.point_on_surface(g)
        if shapely.distance(p, site) < near:  # keep the site visible: label the park away from it
            away = shapely.difference(g, shapely.buffer(site, 2 * near))
            p = shapely.point_on_surface(away) if not away.is_empty else p
        if clip[0] < p.x < clip[2] and clip[1] < p.y < clip[3]:
            ax.text(p.x, p.y, nm, fontsize=8, color="#3f007d", ha="center", va="center", zorder=9,
                    bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.7})


def _draw_site(ax, site, label: str):
    """The site: a filled polygon, a line or a star; return its legend handle."""
    from matplotlib.lines import Line2D

    tid = shapely.get_type_id(site)
    if tid in (3, 6):
        _draw(ax, [site], facecolor=_SITE_RED, edgecolor="#67000d", lw=1.5, alpha=0.55, zorder=10)
    elif tid in (1, 2, 5):
        add_path(ax, line_path(np.array([site], dtype=object)), facecolor="none", edgecolor=_SITE_RED, lw=2.5,
                 zorder=10)
    else:
        pts = shapely.get_coordinates(site)
        ax.plot(pts[:, 0], pts[:, 1], marker="*", ms=16, color=_SITE_RED, mec="#67000d", ls="none", zorder=10)
    return Line2D([], [], marker="*", ms=12, color=_SITE_RED, ls="none", label=label)


def _distance_line(ax, site, target, text: str, colour: str, lw: float, ls: str, offset: tuple) -> None:
    xy = np.asarray(shapely.shortest_line(site, target).coords)
    ax.plot(xy[:, 0], xy[:, 1], color=colour, lw=lw, ls=ls, zorder=9)
    ax.annotate(text, xy=xy.mean(axis=0), fontsize=8, color=colour, xytext=offset, textcoords="offset points",
                zorder=11)


def _draw_distances(ax, r, site, layers) -> None:
    """Shortest lines, with their lengths, to the riverbank and to the nearest matching park."""
    river_u = layers.work_union("riverbank")
    if "in_water" in r.flags:  # seaward of the shore: 0 m, no line to draw
        c = shapely.centroid(site)
        ax.annotate("江中或滩涂：距岸线 0 米 / in the river or on tidal flats: 0 m", xy=(c.x, c.y), fontsize=8,
                    color=_RIVER_BLUE, xytext=(8, -14), textcoords="offset points", zorder=11, path_effects=halo())
    elif not river_u.is_empty:
        _distance_line(ax, site, river_u, distance_text(r.riverbank_m), _RIVER_BLUE, 1.0, ":", (4, 4))
    if r.nearest_park:
        pk = layers.parks["park_id"].astype(str).to_numpy() == str(r.nearest_park["park_id"])
        if pk.any():
            _distance_line(ax, site, shapely.union_all(layers.work("parks")[pk]),
                           distance_text(r.nearest_park["distance_m"]), _PARK_PURPLE, 1.2, "--", (4, -10))


def site_map(r, layers, *, dpi: int = 150, size_in: tuple[float, float] = (8.0, 7.0)) -> bytes:
    """Draw a checked site with the 1 km zone, the zones and the parks around it; return PNG bytes.

    Parameters
    ----------
    r : gis.siting.result.SiteResult
    layers : gis.layers.layerset.LayerSet
        The layers the site was checked against.
    dpi : int
        Resolution, dots per inch.
    size_in : (width, height)
        Page size, inches.
    """
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    rc, chinese = font_rc(chinese_required=False)

    def lab(zh, en):
        return f"{zh} {en}" if chinese else en

    site = to_work(np.array([r.geometry], dtype=object))[0]
    extent, clip = _window(r, site, layers, size_in)
    with rc_context(rc):
        fig = Figure(figsize=size_in, dpi=dpi)
        FigureCanvasAgg(fig)
        ax = fig.add_axes((0.02, 0.02, 0.96, 0.86))
        ax.set_facecolor("#dbe9f6")  # water: outside the district polygon
        handles = _draw_layers(ax, layers, clip, lab)
        _label_parks(ax, layers, site, extent, clip, chinese)
        handles.append(_draw_site(ax, site, lab("项目场地", "project site")))
        _draw_distances(ax, r, site, layers)
        ax.set_xlim(extent[0], extent[2])
        ax.set_ylim(extent[1], extent[3])
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
        north_arrow(ax, "北 N" if chinese else "N", x=0.05)
        scale_bar(ax)
        ax.legend(handles=handles, loc="lower right", fontsize=7, framealpha=0.9)
        v = verdict_label(r.verdict)
        fig.text(0.02, 0.955, r.name or ("选址检查" if chinese else "Site check"), fontsize=13, va="center")
        fig.text(0.02, 0.905, f"{v[0]} {v[1]}" if chinese else v[1], fontsize=12, color=BADGE_COLOURS[r.verdict],
                 va="center")
        credits = attribution_text(layers)
        if credits:
            fig.text(0.02, 0.003, credits if chinese else credits.replace("数据署名 ", ""), fontsize=5.5,
                     color="#555", ha="left", va="bottom")
        if r.illustrative:
            ax.text(0.99, 0.99, lab("示意图层", "Illustrative layers"), transform=ax.transAxes, ha="right",
                    va="top", fontsize=8, color="#6b4e00", zorder=12,
                    bbox={"fc": "#fff3cd", "ec": "#d39e00", "boxstyle": "round,pad=0.3"})
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def project_sites_figure(layers, sites):
    """The project sites on the district, construction areas, 1 km zone and parks, coloured by verdict.

    Parameters
    ----------
    layers : gis.layers.layerset.LayerSet
    sites : geopandas.GeoDataFrame
        :func:`gis.siting.batch.check_sites` output.

    Returns
    -------
    matplotlib.figure.Figure or None
        None when no site was checked. Draw it inside the Chinese font's rc
        context (:func:`gis.maps.printed.furniture.font_rc`).
    """
    import geopandas as gpd
    from matplotlib.figure import Figure

    ok = sites["verdict"].notna().to_numpy() & ~sites.geometry.is_empty.to_numpy() & sites.geometry.notna().to_numpy()
    if not ok.any():
        return None
    fig = Figure(figsize=(7.2, 5.6))
    ax = fig.add_subplot(1, 1, 1)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for role, z in (("district", 1), ("water", 1.5), ("construction_areas", 2), ("yangtze_1km", 3), ("parks", 4)):
        geoms = layers.work(role)
        if not len(geoms):
            continue
        style = ROLE_STYLE.get(role if role != "construction_areas" else "zone_195")[2]
        fill = style.get("fillColor", "none") if role != "district" else "#f4f3ee"
        gpd.GeoSeries(geoms).plot(ax=ax, facecolor=fill, edgecolor=style.get("color", "#333"),
                                  linewidth=0.5 if role != "district" else 0.8,
                                  alpha=0.9 if role != "yangtze_1km" else 0.55, zorder=z)
    reps = gpd.GeoSeries(to_work(sites.geometry.to_numpy()[ok], sites.crs)).representative_point()
    verdict = sites["verdict"].to_numpy(dtype=object)[ok]
    ids = sites["project_id"].astype(str).to_numpy()[ok]
    for v, colour in VERDICT_COLOURS.items():
        m = verdict == v
        if m.any():
            ax.scatter(reps.x[m], reps.y[m], s=46, color=colour, edgecolor="#222", linewidth=0.7, zorder=10,
                       label=" ".join(VERDICT_NAMES[v]))
    for x, y_, text in zip(reps.x, reps.y, ids, strict=True):
        ax.annotate(text, (x, y_), xytext=(5, 4), textcoords="offset points", fontsize=7.5, zorder=11,
                    path_effects=halo())
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_title("项目选址检查结果 Project sites by verdict（蓝色：长江 1 公里范围 blue: Yangtze 1 km zone）",
                 fontsize=9.5, loc="left")
    ax.legend(fontsize=7.5, frameon=True, loc="lower right")
    return fig
