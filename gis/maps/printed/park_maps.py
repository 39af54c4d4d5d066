"""Print-quality park maps (PNG 300 dpi and PDF) with Chinese labels.

:func:`park_maps` draws a district overview and one map per park: the zones
(104 parks, 195, 198), the Yangtze 1 km zone, the strategic reserve, towns and
the parcels coloured by action, with a title, a legend, a north arrow, a scale
bar, a source line and — when the layers are illustrative — a
"示意数据 illustrative" note. Fonts, layer styles, paths, north arrow and
scale bar are those of every print map (:mod:`gis.maps.printed.furniture`):
drawn in the metric working CRS, Chinese text in the Simplified Chinese font.
"""

from __future__ import annotations

import datetime as _dt
import logging
import re
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from gis.errors import OutputError
from gis.geodesy.crs import WGS84, check_crs, to_work
from gis.io.safe_write import atomic_output
from gis.maps.printed.furniture import (
    add_path,
    attribution_text,
    font_rc,
    halo,
    line_path,
    north_arrow,
    polygon_path,
    role_style,
    scale_bar,
)
from gis.maps.printed.labels import place_labels, shorten_words, wrap_source
from gis.maps.style import ACTIONS, OTHER, ROLE_STYLE, VERDICT_COLOURS
from gis.wording import ILLUSTRATIVE_LABEL, ILLUSTRATIVE_NOTE, bilingual, wrapped

__all__ = ["park_maps", "FORMATS"]

log = logging.getLogger(__name__)

FORMATS = ("png", "pdf", "svg")
#: A4 landscape, inches.
PAGE = (11.69, 8.27)
#: Display columns of one line of the source text (6.5 pt across the page's width, with a margin).
SOURCE_COLUMNS = 190


# --------------------------------------------------------------------------- layers in the working CRS


def _work_geoms(layers, role: str) -> np.ndarray:
    """A role's geometries in WORK_CRS (LayerSet.work when there, else projected here)."""
    gdf = getattr(layers, role, None)
    if gdf is None or len(gdf) == 0:
        return np.array([], dtype=object)
    if hasattr(layers, "work"):
        return np.asarray(layers.work(role), dtype=object)
    return _project(gdf)


def _project(gdf) -> np.ndarray:
    crs = check_crs(gdf.crs, "layer")
    return np.asarray(to_work(gdf.geometry.to_numpy(), crs=crs if not crs.equals(WGS84) else WGS84), dtype=object)


# --------------------------------------------------------------------------- page text


def _source_line(layers) -> str:
    """Two lines: where the layers come from, and how the map was made."""
    meta = getattr(layers, "meta", {}) or {}
    sources = []
    for role in ("district", "parks", "construction_areas", "riverbank", "land", "strategic_reserve", "towns"):
        src = shorten_words(str((meta.get(role) or {}).get("source") or "").strip(), 90)
        if src and src not in sources:
            sources.append(src)
    text = "数据来源 Sources: " + ("; ".join(sources) if sources else str(getattr(layers, "source", "") or "—"))
    text = wrap_source(text, SOURCE_COLUMNS, max_lines=2)  # cut at words, never inside one
    try:
        from gis import __version__
    except ImportError:  # pragma: no cover
        __version__ = ""
    credits = attribution_text(layers)  # ODbL: OpenStreetMap's credit on every map drawn from its data
    return (f"{text}\n制图 Made with parkgis {__version__}, {_dt.date.today().isoformat()}；"
            "坐标 CRS：崇明横轴墨卡托 Chongming transverse Mercator (WGS84)" + (f"\n{credits}" if credits else ""))


def _illustrative(layers) -> bool:
    meta = getattr(layers, "meta", {}) or {}
    return bool(getattr(layers, "illustrative", False)) or any(
        isinstance(m, dict) and m.get("illustrative") for m in meta.values())


def _illustrative_text(layers) -> str:
    """The illustrative label and the note naming the layers that are (generic for a bare layer object)."""
    note = layers.illustrative_note() if hasattr(layers, "illustrative_note") else ILLUSTRATIVE_NOTE
    return bilingual(ILLUSTRATIVE_LABEL, " ") + "\n" + wrapped(note, 20, 40)


# --------------------------------------------------------------------------- drawing


def _draw(ax, layers, parcels_w: np.ndarray | None, parcel_action: np.ndarray | None, extent=None) -> list:
    """Draw every layer; return the legend handles of those that show within ``extent``."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = []
    z = 1
    for role in ("zone_198", "zone_195", "water", "yangtze_1km", "towns", "parks", "district", "strategic_reserve"):
        geoms = _work_geoms(layers, role)
        if not len(geoms):
            continue
        kw = role_style(role)
        if role == "yangtze_1km":
            kw.update(hatch="////", facecolor="none", alpha=None)
        elif role == "strategic_reserve":  # its outline is the shore: a hatch tells it apart inside
            kw.update(hatch="\\\\", facecolor="none", alpha=None, linewidth=1.4)
        add_path(ax, polygon_path(geoms), zorder=z, **{k: v for k, v in kw.items() if v is not None})
        z += 1
        if extent is not None and not shapely.intersects(shapely.box(*extent), geoms).any():
            continue  # a legend lists only what the map shows
        zh, en, _ = ROLE_STYLE[role]
        label = f"{zh} {en}"
        if kw["facecolor"] == "none" and role not in ("yangtze_1km", "strategic_reserve"):
            handles.append(Line2D([], [], color=kw["edgecolor"], lw=max(kw["linewidth"], 1),
                                  linestyle=kw.get("linestyle", "-"), label=label))
        else:
            handles.append(Patch(facecolor=kw["facecolor"], edgecolor=kw["edgecolor"], alpha=kw.get("alpha"),
                                 hatch=kw.get("hatch"), label=label))
    river = _work_geoms(layers, "riverbank")
    if len(river):
        add_path(ax, line_path(river), facecolor="none", edgecolor="#08519c", linewidth=1.2, zorder=z)
        if extent is None or shapely.intersects(shapely.box(*extent), river).any():
            handles.append(Line2D([], [], color="#08519c", lw=1.2, label="长江岸线 Yangtze riverbank"))
    if parcels_w is not None and len(parcels_w):
        acts = np.asarray(parcel_action, dtype=object)
        for key, (zh, en, fill, edge) in list(ACTIONS.items()) + [("", OTHER)]:
            sel = (acts == key) if key else ~np.isin(acts, list(ACTIONS))
            if not sel.any():
                continue
            add_path(ax, polygon_path(parcels_w[sel]), facecolor=fill, edgecolor=edge, linewidth=0.25, zorder=20)
            handles.append(Patch(facecolor=fill, edgecolor=edge, label=f"地块：{zh} parcels: {en}"))
    return handles


def _label_parks(ax, layers, extent) -> None:
    parks = getattr(layers, "parks", None)
    if parks is None or not len(parks):
        return
    geoms = _work_geoms(layers, "parks")
    pts = shapely.point_on_surface(geoms)
    x, y = shapely.get_x(pts), shapely.get_y(pts)
    names = parks["name_zh"].astype(str).to_numpy() if "name_zh" in parks else parks["park_id"].astype(str).to_numpy()
    x0, y0, x1, y1 = extent
    inside = [(xi, yi, name) for xi, yi, name in zip(x, y, names, strict=True)
              if x0 <= xi <= x1 and y0 <= yi <= y1]
    # every park keeps its name: a label that would hide another moves aside on a leader line
    place_labels(ax, inside, fontsize=8, color="#3f007d", zorder=40, path_effects=halo())


def _label_towns(ax, layers, extent) -> None:
    towns = getattr(layers, "towns", None)
    if towns is None or not len(towns) or "town_zh" not in towns:
        return
    pts = shapely.point_on_surface(_work_geoms(layers, "towns"))
    x0, y0, x1, y1 = extent
    for xi, yi, name in zip(shapely.get_x(pts), shapely.get_y(pts), towns["town_zh"].astype(str), strict=True):
        if x0 <= xi <= x1 and y0 <= yi <= y1:
            ax.text(xi, yi, name, ha="center", va="center", fontsize=7, color="#525252", zorder=39,
                    path_effects=halo())


def _page(title: str, subtitle: str, layers):
    # A bare Figure (no pyplot): no global backend or figure-manager state is touched.
    from matplotlib.figure import Figure

    fig = Figure(figsize=PAGE)
    ax = fig.add_axes([0.03, 0.09, 0.64, 0.80])
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for s in ax.spines.values():
        s.set_linewidth(0.6)
    # The shipped face is Regular only: size, not weight, sets the title apart.
    fig.text(0.03, 0.955, title, fontsize=16, va="top")
    if subtitle:
        fig.text(0.03, 0.915, subtitle, fontsize=9.5, color="#333", va="top")
    fig.text(0.03, 0.02, _source_line(layers), fontsize=6.5, color="#555", va="bottom", linespacing=1.5)
    if _illustrative(layers):
        fig.text(0.69, 0.10, _illustrative_text(layers), fontsize=8, color="#8a5a00", va="bottom", linespacing=1.4,
                 bbox={"boxstyle": "round,pad=0.4", "facecolor": "#fff3cd", "edgecolor": "#d39e00"})
    return fig, ax


def _safe_name(text: str) -> str:
    return re.sub(r"[^\w.-]+", "_", str(text)).strip("_") or "park"


def _save(fig, path: Path, fmt: str, dpi: int) -> Path:
    with atomic_output(path) as tmp:
        fig.savefig(tmp, format=fmt, dpi=dpi if fmt == "png" else None, facecolor="white")
    return path


def park_maps(
    layers,
    parcels=None,
    out_dir="maps",
    *,
    formats=("png", "pdf"),
    dpi: int = 300,
    density: pd.DataFrame | None = None,
    parks: list[str] | None = None,
    sites=None,
) -> list[Path]:
    """Write a district overview and one map per park as PNG/PDF files.

    Parameters
    ----------
    layers : LayerSet or similar
        Role attributes as in :class:`gis.layers.layerset.LayerSet` (EPSG:4326
        GeoDataFrames); ``work(role)`` is used when present.
    parcels : geopandas.GeoDataFrame, optional
        Classified parcels (``action`` colours them; geometry required).
    out_dir : str or Path
        Folder for ``overview.<fmt>`` and ``park_<park_id>.<fmt>``.
    formats : sequence of {"png", "pdf", "svg"}
    dpi : int
        Resolution of PNG output (dots per inch).
    density : pandas.DataFrame, optional
        Density table (DESIGN §4b); a park's density and target go into its subtitle.
    parks : list of str, optional
        Only these park ids (default: all).
    sites : geopandas.GeoDataFrame, optional
        Checked project sites (:func:`gis.siting.batch.check_sites`): drawn by verdict, labelled by
        ``project_id``, on every map they fall in.

    Returns
    -------
    list of Path
        The files written (atomically: temporary file, then rename).
    """
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise OutputError(f"不支持的图片格式：{', '.join(bad)}。", f"Unsupported map format(s): {', '.join(bad)}.",
                          f"可选：{', '.join(FORMATS)}。", f"Choose from: {', '.join(FORMATS)}.")
    import matplotlib

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    parcels_w = action = None
    if parcels is not None and len(parcels):
        parcels_w = _project(parcels)
        action = (parcels["action"].astype(object).to_numpy() if "action" in parcels
                  else np.full(len(parcels), None, dtype=object))
    rc, _ = font_rc(chinese_required=True)
    written: list[Path] = []
    marks = _site_marks(sites)
    with matplotlib.rc_context(rc):
        fig = _overview(layers, parcels_w, action, marks)
        written += [_save(fig, out / f"overview.{fmt}", fmt, dpi) for fmt in formats]
        for pid, fig in _park_pages(layers, parcels, parcels_w, action, density, parks, marks):
            written += [_save(fig, out / f"park_{_safe_name(pid)}.{fmt}", fmt, dpi) for fmt in formats]
    log.info("%d map files written to %s", len(written), out)
    return written


def _site_marks(sites) -> tuple | None:
    """(x, y in WORK_CRS, verdict, label) of the checked sites that have a verdict, or None."""
    if sites is None or not len(sites):
        return None
    ok = sites["verdict"].notna().to_numpy() & sites.geometry.notna().to_numpy()
    if not ok.any():
        return None
    reps = shapely.point_on_surface(_project(sites[ok]))
    labels = (sites["project_id"] if "project_id" in sites else pd.Series(range(1, len(sites) + 1), index=sites.index))
    return (shapely.get_x(reps), shapely.get_y(reps), sites["verdict"].to_numpy(dtype=object)[ok],
            labels.astype(str).to_numpy()[ok])


def _draw_sites(ax, marks, extent) -> list:
    """The checked sites as diamonds coloured by verdict, with their ids; legend handles."""
    from matplotlib.lines import Line2D

    from gis.siting.result import VERDICT_NAMES

    if marks is None:
        return []
    x, y, verdict, labels = marks
    x0, y0, x1, y1 = extent
    shown = (x >= x0) & (x <= x1) & (y >= y0) & (y <= y1)
    handles = []
    for v, colour in VERDICT_COLOURS.items():
        m = shown & (verdict == v)
        if m.any():
            ax.scatter(x[m], y[m], s=60, marker="D", color=colour, edgecolor="#111", linewidth=0.8, zorder=45)
            zh, en = VERDICT_NAMES[v]
            handles.append(Line2D([], [], marker="D", linestyle="none", markersize=7, markerfacecolor=colour,
                                  markeredgecolor="#111", label=f"项目选址：{zh} sites: {en}"))
    for xi, yi, text in zip(x[shown], y[shown], labels[shown], strict=True):
        ax.annotate(text, (xi, yi), xytext=(6, 5), textcoords="offset points", fontsize=7.5, zorder=46,
                    path_effects=halo())
    return handles


def _overview(layers, parcels_w, action, marks=None):
    """The district overview page: every zone and parcel."""
    x0, y0, x1, y1 = shapely.total_bounds(_work_geoms(layers, "district"))
    pad = 0.03 * max(x1 - x0, y1 - y0)
    extent = (x0 - pad, y0 - pad, x1 + pad, y1 + pad)
    name = ""
    d = getattr(layers, "district", None)
    if d is not None and "name_zh" in d and len(d):
        name = str(d["name_zh"].iloc[0])
    counts = _action_counts(action)
    fig, ax = _page(f"{name or '崇明区'}产业用地分区与地块处置方向",
                    "Industrial land zones and parcel actions (104 upgrade · 195 transform · 198 reduce)"
                    + (f"    {counts}" if counts else ""), layers)
    _render(ax, layers, parcels_w, action, extent, marks)
    return fig


def _park_pages(layers, parcels, parcels_w, action, density, parks, marks=None):
    """(park_id, page) for each park (of ``parks`` when given): the park with a margin, its figures in the subtitle."""
    park_gdf = getattr(layers, "parks", None)
    if park_gdf is None or not len(park_gdf):
        return
    pgeoms = _work_geoms(layers, "parks")
    ids = park_gdf["park_id"].astype(str).to_numpy() if "park_id" in park_gdf else \
        np.array([str(i) for i in range(len(park_gdf))])
    bounds = shapely.bounds(parcels_w) if parcels_w is not None else None
    for i, pid in enumerate(ids):
        if parks is not None and pid not in parks:
            continue
        bx0, by0, bx1, by1 = shapely.bounds(pgeoms[i])
        pad = max(0.25 * max(bx1 - bx0, by1 - by0), 800.0)
        ext = (bx0 - pad, by0 - pad, bx1 + pad, by1 + pad)
        row = park_gdf.iloc[i]
        zh = str(row.get("name_zh", pid))
        en = str(row.get("name_en", "") or "")
        sel = None
        if bounds is not None:
            b = bounds
            sel = (b[:, 2] >= ext[0]) & (b[:, 0] <= ext[2]) & (b[:, 3] >= ext[1]) & (b[:, 1] <= ext[3])
        in_park = None
        if action is not None and "park_id" in parcels:
            in_park = action[(parcels["park_id"].astype(str) == pid).to_numpy()]
        sub = [en, _density_text(density, pid), _action_counts(in_park)]
        fig, ax = _page(f"{zh}", "    ".join(s for s in sub if s), layers)
        _render(ax, layers, parcels_w[sel] if sel is not None else None,
                action[sel] if sel is not None else None, ext, marks)
        yield pid, fig


def _render(ax, layers, parcels_w, action, extent, marks=None) -> None:
    handles = _draw(ax, layers, parcels_w, action, extent)
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    handles += _draw_sites(ax, marks, extent)
    _label_parks(ax, layers, extent)
    _label_towns(ax, layers, extent)
    north_arrow(ax)
    scale_bar(ax)
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=7.5, frameon=False,
              title="图例 Legend", title_fontsize=9, alignment="left")


def _action_counts(action) -> str:
    if action is None or not len(action):
        return ""
    s = pd.Series(action, dtype=object)
    parts = [f"{zh} {en} {int((s == k).sum()):,}" for k, (zh, en, _, _) in ACTIONS.items() if (s == k).any()]
    return f"地块 parcels {len(s):,}：" + "，".join(parts) if parts else f"地块 parcels {len(s):,}"


def _density_text(density, park_id: str) -> str:
    if density is None or not {"unit_type", "unit_id", "density_yi_per_km2"} <= set(density.columns):
        return ""
    row = density[(density["unit_type"].astype(str) == "park") & (density["unit_id"].astype(str) == park_id)]
    if row.empty or pd.isna(row["density_yi_per_km2"].iloc[0]):
        return ""
    text = f"产出密度 output density {float(row['density_yi_per_km2'].iloc[0]):.1f} 亿元/km²"
    if "target_yi_per_km2" in row and pd.notna(row["target_yi_per_km2"].iloc[0]):
        text += f"（目标 target {float(row['target_yi_per_km2'].iloc[0]):.1f}）"
    return text
