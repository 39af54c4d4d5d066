"""What every print map has besides its data: fonts, layer styles, geometry paths, north arrow, scale bar, halo.

Used by the park maps (:mod:`gis.maps.printed.park_maps`) and the site maps
(:mod:`gis.maps.printed.site_maps`), so they look alike. Maps are drawn in the
metric working CRS (:data:`gis.geodesy.crs.WORK_CRS`, a transverse Mercator
centred on the district): one data unit is one metre on the ground to 2e-5,
and grid north is within 0.3° of true north here.

Geometry goes to matplotlib as one compound path per style, built with
shapely's array functions, so 100,000 parcels draw in seconds.
"""

from __future__ import annotations

import numpy as np
import shapely

from gis.errors import ParkgisError
from gis.maps.fonts import PLAIN_TEXT_RC, cjk_rc
from gis.maps.style import ROLE_STYLE

__all__ = ["add_path", "font_rc", "halo", "line_path", "north_arrow", "polygon_path", "role_style", "scale_bar"]

#: Without a Chinese font: English labels in matplotlib's own font.
_ENGLISH_RC = {"font.family": ["DejaVu Sans"], "axes.unicode_minus": False, **PLAIN_TEXT_RC}


def font_rc(*, chinese_required: bool = True) -> tuple[dict, bool]:
    """matplotlib rc settings for a print map, and whether Chinese labels can be drawn.

    Parameters
    ----------
    chinese_required : bool
        Raise :class:`gis.maps.fonts.FontError` when no Simplified Chinese font
        is installed; otherwise fall back to English labels.

    Returns
    -------
    rc : dict
        For ``matplotlib.rc_context``.
    chinese : bool
        True when the Simplified Chinese font is set up (:func:`gis.maps.fonts.cjk_rc`).
    """
    if chinese_required:
        return cjk_rc(), True
    try:
        return cjk_rc(), True
    except (ImportError, ParkgisError):
        return dict(_ENGLISH_RC), False


def attribution_text(layers) -> str:
    """The data credits of a map's layers, one line (ODbL needs OpenStreetMap's on every map drawn from it)."""
    meta = getattr(layers, "meta", {}) or {}
    parts = [p.strip() for m in meta.values() if isinstance(m, dict)
             for p in str(m.get("attribution") or "").split(";")]
    parts = [p for p in dict.fromkeys(parts) if p]
    return ("数据署名 Credits: " + "; ".join(parts)) if parts else ""


def role_style(role: str) -> dict:
    """A layer role's print style (matplotlib patch keywords) from the colours shared with the web map."""
    s = ROLE_STYLE[role][2]
    kw = {"edgecolor": s.get("color", "none"), "linewidth": s.get("weight", 1) * 0.6}
    if s.get("fill", True) and "fillColor" in s:
        kw["facecolor"] = s["fillColor"]
        kw["alpha"] = min(1.0, s.get("fillOpacity", 0.3) + 0.25)
    else:
        kw["facecolor"] = "none"
    if "dashArray" in s:
        kw["linestyle"] = (0, tuple(float(v) for v in s["dashArray"].split()))
    return kw


# --------------------------------------------------------------------------- geometry → paths


def polygon_path(geoms: np.ndarray):
    """One matplotlib Path for all (multi)polygons (holes oriented opposite to shells), or None."""
    from matplotlib.path import Path as MPath

    g = np.asarray(geoms, dtype=object)
    g = g[np.isin(shapely.get_type_id(g), (3, 6)) & ~shapely.is_empty(g)] if len(g) else g
    if not len(g):
        return None
    g = shapely.orient_polygons(g)
    parts = shapely.get_parts(g)
    rings = shapely.get_rings(parts)
    xy, ring = shapely.get_coordinates(rings, return_index=True)
    codes = np.full(len(xy), MPath.LINETO, dtype=np.uint8)
    start = np.r_[True, ring[1:] != ring[:-1]]
    end = np.r_[ring[1:] != ring[:-1], True]
    codes[start] = MPath.MOVETO
    codes[end] = MPath.CLOSEPOLY
    return MPath(xy, codes)


def line_path(geoms: np.ndarray):
    """One matplotlib Path for all (multi)lines, or None."""
    from matplotlib.path import Path as MPath

    g = np.asarray(geoms, dtype=object)
    if not len(g):
        return None
    g = g[~shapely.is_empty(g)]
    lines = shapely.get_parts(g)
    lines = lines[np.isin(shapely.get_type_id(lines), (1, 2))]
    if not len(lines):
        return None
    xy, idx = shapely.get_coordinates(lines, return_index=True)
    codes = np.full(len(xy), MPath.LINETO, dtype=np.uint8)
    codes[np.r_[True, idx[1:] != idx[:-1]]] = MPath.MOVETO
    return MPath(xy, codes)


def add_path(ax, path, **kw) -> None:
    """Draw a path from :func:`polygon_path` / :func:`line_path` (nothing when None)."""
    from matplotlib.patches import PathPatch

    if path is not None:
        ax.add_patch(PathPatch(path, **kw))


# --------------------------------------------------------------------------- furniture


def north_arrow(ax, label: str = "北 N", x: float = 0.95, y: float = 0.93, size: float = 0.07) -> None:
    """A north arrow in axes coordinates (grid north of WORK_CRS ≈ true north here).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    label : str
        Text above the arrow ("N" when the map has no Chinese font).
    x, y : float
        The arrow's tip, as fractions of the axes.
    size : float
        Its length, as a fraction of the axes.
    """
    from matplotlib.patches import Polygon

    w = size * 0.35
    ax.add_patch(Polygon([(x, y), (x - w, y - size), (x, y - size * 0.72)], closed=True, transform=ax.transAxes,
                         facecolor="#222", edgecolor="#222", lw=0.8, zorder=30))
    ax.add_patch(Polygon([(x, y), (x + w, y - size), (x, y - size * 0.72)], closed=True, transform=ax.transAxes,
                         facecolor="white", edgecolor="#222", lw=0.8, zorder=30))
    ax.text(x, y + 0.012, label, transform=ax.transAxes, ha="center", va="bottom", fontsize=10, zorder=30)


def scale_bar(ax) -> None:
    """A metric scale bar in the lower left (axes in WORK_CRS metres)."""
    from matplotlib_scalebar.scalebar import ScaleBar

    # dx=1: one data unit of WORK_CRS is one metre.
    ax.add_artist(ScaleBar(1.0, "m", location="lower left", box_alpha=0.85, length_fraction=0.22,
                           border_pad=0.8, scale_loc="top"))


def halo() -> list:
    """Path effects drawing a white halo around text, so labels stay readable over any fill."""
    from matplotlib import patheffects

    return [patheffects.withStroke(linewidth=2.5, foreground="white")]
