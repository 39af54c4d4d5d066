"""The report's charts (matplotlib, PNG bytes) with Chinese labels.

Bare :class:`matplotlib.figure.Figure` objects (no pyplot), drawn with the
Simplified Chinese font of :mod:`gis.maps.fonts`, so no global state is touched.
Colours are those of the maps (:mod:`gis.maps.style`); the map of the project
sites is drawn in :mod:`gis.maps.printed.site_maps`.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from gis.maps.fonts import cjk_rc
from gis.maps.printed.site_maps import project_sites_figure
from gis.maps.style import ACTIONS

__all__ = ["chart_figures", "charts"]

GRADE_COLOURS = {"A": "#1a9850", "B": "#91cf60", "C": "#fc8d59", "D": "#d73027"}
_DPI = 200


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=_DPI, facecolor="white", bbox_inches="tight", pad_inches=0.08,
                metadata={"Software": None})
    return buf.getvalue()


def _figure(w: float, h: float):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(w, h))
    ax = fig.add_subplot(1, 1, 1)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return fig, ax


def _legend_above(ax, title: str, ncols: int = 4) -> None:
    """The title, then the legend in one row above the plot: never over a bar or its value."""
    ax.legend(fontsize=7.5, frameon=False, ncols=ncols, loc="lower left", bbox_to_anchor=(0.0, 1.0),
              borderaxespad=0.2, handlelength=1.4, columnspacing=1.2)
    ax.set_title(title, fontsize=10, loc="left", pad=22)


def _stacked_actions(summary: pd.DataFrame, title: str, label_col: str = "name_zh"):
    """Horizontal bars of land (km²) per unit, stacked by action."""
    rows = summary[~summary["unit_id"].astype(str).str.startswith("合计")]
    if rows.empty:
        return None
    labels = [f"{z}" for z in rows[label_col].astype(str)]
    fig, ax = _figure(7.0, 0.42 * len(rows) + 1.2)
    y = np.arange(len(rows))[::-1]
    left = np.zeros(len(rows))
    for key, (zh, en, fill, edge) in ACTIONS.items():
        v = rows[f"area_km2_{key}"].to_numpy(dtype=float)
        ax.barh(y, v, left=left, color=fill, edgecolor=edge, linewidth=0.4, label=f"{zh} {en}", height=0.62)
        left += v
    for yi, tot in zip(y, left, strict=True):
        ax.text(tot, yi, f" {tot:,.2f}", va="center", fontsize=7.5, color="#333")
    ax.set_yticks(y, labels, fontsize=8.5)
    ax.set_xlabel("用地面积 land (km²)", fontsize=8.5)
    ax.set_xlim(0, max(left.max(), 1e-9) * 1.15)
    ax.tick_params(axis="x", labelsize=8)
    _legend_above(ax, title)
    return fig


def _density_chart(density: pd.DataFrame, target: float):
    parks = density[density["unit_type"] == "park"]
    if parks.empty or parks["density_yi_per_km2"].isna().all():
        return None
    names = parks["name_zh"].astype(str).tolist()
    vals = parks["density_yi_per_km2"].to_numpy(dtype=float)
    proj = parks["projected_density_yi_per_km2"].to_numpy(dtype=float)
    meets = parks["meets_target"].fillna(False).astype(bool).to_numpy()
    fig, ax = _figure(7.0, 0.5 * len(parks) + 1.3)
    y = np.arange(len(parks))[::-1]
    ax.barh(y + 0.18, np.nan_to_num(vals), height=0.36, color=np.where(meets, "#1b7837", "#d7301f"),
            label="现状 current")
    ax.barh(y - 0.18, np.nan_to_num(proj), height=0.36, color="#9e9ac8", label="目标年预测 projected")
    ax.axvline(target, color="#252525", linestyle="--", linewidth=1)
    ax.text(target, y.max() + 0.6, f" 目标 target {target:g}", fontsize=7.5, va="bottom")
    for yi, v in zip(y, vals, strict=True):
        if np.isfinite(v):
            ax.text(v, yi + 0.18, f" {v:,.1f}", va="center", fontsize=7.5)
    ax.set_yticks(y, names, fontsize=8.5)
    ax.set_xlabel("地均产出 output density (亿元/km²)", fontsize=8.5)
    ax.tick_params(axis="x", labelsize=8)
    ax.set_ylim(-0.7, y.max() + 1.2)
    _legend_above(ax, "各园区地均产出与目标 Park output density against the target")
    return fig


def _grade_chart(grades: pd.DataFrame):
    rows = grades[grades["unit_type"].isin(["park", "zone"])]
    if rows.empty or rows["parcels_graded"].sum() == 0:
        return None
    labels = [str(z) for z in rows["name_zh"].fillna(rows["unit_id"]).astype(str)]
    fig, ax = _figure(7.0, 0.38 * len(rows) + 1.2)
    y = np.arange(len(rows))[::-1]
    left = np.zeros(len(rows))
    land = rows[[f"land_mu_{g}" for g in "ABCD"]].to_numpy(dtype=float)
    tot = land.sum(axis=1)
    share = np.divide(land, tot[:, None], out=np.zeros_like(land), where=tot[:, None] > 0) * 100
    for j, g in enumerate("ABCD"):
        ax.barh(y, share[:, j], left=left, color=GRADE_COLOURS[g], label=f"{g} 类 grade {g}", height=0.62)
        left += share[:, j]
    ax.set_yticks(y, labels, fontsize=8.5)
    ax.set_xlim(0, 100)
    ax.set_xlabel("用地占比 share of graded land (%)", fontsize=8.5)
    ax.tick_params(axis="x", labelsize=8)
    _legend_above(ax, "亩均效益等级（按用地） Land-efficiency grades by land")
    return fig


def charts(data) -> dict[str, bytes]:
    """All charts of a :class:`gis.report.build.ReportData`, name → PNG bytes (missing when empty)."""
    import matplotlib

    with matplotlib.rc_context(cjk_rc()):
        return {k: _png(fig) for k, fig in chart_figures(data).items()}


def chart_figures(data) -> dict:
    """All charts of a :class:`gis.report.build.ReportData` as figures, name → Figure (missing when empty)."""
    import matplotlib

    out: dict = {}
    with matplotlib.rc_context(cjk_rc()):
        out["zones"] = _stacked_actions(data.summaries["zone"], "按区域类型的用地与处置方向 Land by zone and action")
        out["towns"] = _stacked_actions(data.summaries["town"], "按乡镇的用地与处置方向 Land by town and action")
        out["parks"] = _stacked_actions(data.summaries["park"], "按园区的用地与处置方向 Land by park and action")
        if data.density is not None:
            out["density"] = _density_chart(data.density, data.key["density_target"])
            out["grades"] = _grade_chart(data.grades)
        if data.sites is not None:
            out["sites"] = project_sites_figure(data.layers, data.sites)
    return {k: v for k, v in out.items() if v is not None}
