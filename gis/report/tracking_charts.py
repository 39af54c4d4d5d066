"""Charts of plan monitoring (``parkgis track --charts`` and the report's monitoring chapter).

* each park's output density per year against its target path and the 2025 target;
* the reduction ledger by year: 198 industrial land, and the hectares reduced,
  added and net since the baseline.

Bare :class:`matplotlib.figure.Figure` objects drawn with the Simplified Chinese
font of :mod:`gis.maps.fonts` (the same set-up as :mod:`gis.report.charts`), PNG bytes out.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path

import numpy as np
import pandas as pd

from gis.maps.fonts import cjk_rc

__all__ = ["ledger_chart", "park_path_chart", "parks_path_chart", "tracking_charts", "write_tracking_charts"]

_DPI = 200
ACTUAL, PATH, TARGET = "#2166ac", "#b2182b", "#4d4d4d"
REDUCED, ADDED, NET, LAND = "#1b7837", "#d7301f", "#2166ac", "#bdbdbd"


def _chinese(draw):
    """Draw with the Simplified Chinese font: each chart is public and may be called on its own."""

    @functools.wraps(draw)
    def wrapper(*args, **kwargs):
        import matplotlib

        with matplotlib.rc_context(cjk_rc()):
            return draw(*args, **kwargs)

    return wrapper


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=_DPI, facecolor="white", bbox_inches="tight", pad_inches=0.08,
                metadata={"Software": None})
    return buf.getvalue()


def _draw_path(ax, rows: pd.DataFrame, *, legend: bool) -> None:
    years = rows["year"].to_numpy(dtype=int)
    d = rows["density_yi_per_km2"].to_numpy(dtype=float)
    path = rows["target_path_yi_per_km2"].to_numpy(dtype=float)
    target = rows["target_2025_yi_per_km2"].to_numpy(dtype=float)
    ax.plot(years, d, color=ACTUAL, marker="o", markersize=3.5, linewidth=1.6, label="实际 actual")
    if np.isfinite(path).any():
        ax.plot(years, path, color=PATH, linestyle="--", linewidth=1.2, label="目标路径 target path")
    if np.isfinite(target).any():
        t = float(np.nanmax(target))
        ax.axhline(t, color=TARGET, linestyle=":", linewidth=1, label=f"2025 目标 target {t:g}")
    behind = rows["on_track"].astype("boolean").fillna(True).to_numpy(dtype=bool) == False  # noqa: E712
    if behind.any():
        ax.scatter(years[behind], d[behind], s=28, facecolor="white", edgecolor=PATH, linewidth=1.2, zorder=5,
                   label="落后于路径 behind the path")
    if np.isfinite(d).any():
        last = np.flatnonzero(np.isfinite(d))[-1]
        ax.annotate(f"{d[last]:.1f}", (years[last], d[last]), xytext=(4, 0), textcoords="offset points",
                    fontsize=7.5, va="center", color=ACTUAL)
    ax.set_xticks(years, [str(y) for y in years], fontsize=7.5)
    ax.tick_params(axis="y", labelsize=7.5)
    top = np.nanmax(np.concatenate([d, path, target, [1.0]]))
    ax.set_ylim(0, top * 1.15)
    ax.grid(axis="y", color="#e0e0e0", linewidth=0.6)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if legend:
        ax.legend(fontsize=7, frameon=False, loc="lower right")


@_chinese
def park_path_chart(units: pd.DataFrame, unit_id: str) -> bytes | None:
    """One park's density per year against its path (PNG), or None when the park has no rows."""
    from matplotlib.figure import Figure

    rows = units[(units["unit_type"] == "park") & (units["unit_id"].astype(str) == str(unit_id))]
    if rows.empty:
        return None
    r = rows.iloc[0]
    fig = Figure(figsize=(5.2, 3.2))
    ax = fig.add_subplot(1, 1, 1)
    _draw_path(ax, rows, legend=True)
    ax.set_ylabel("地均产出 output density (亿元/km²)", fontsize=8)
    ax.set_title(f"{r['name_zh']} {r['name_en']}", fontsize=9.5, loc="left")
    return _png(fig)


@_chinese
def parks_path_chart(units: pd.DataFrame) -> bytes | None:
    """Every park's density per year against its path, one small panel each (PNG)."""
    from matplotlib.figure import Figure

    parks = units[units["unit_type"] == "park"]
    ids = list(dict.fromkeys(parks["unit_id"].astype(str)))
    if not ids or parks["density_yi_per_km2"].isna().all():
        return None
    cols = 2 if len(ids) > 1 else 1
    nrows = -(-len(ids) // cols)
    fig = Figure(figsize=(7.2, 2.5 * nrows + 0.4))
    for i, uid in enumerate(ids):
        ax = fig.add_subplot(nrows, cols, i + 1)
        rows = parks[parks["unit_id"].astype(str) == uid]
        _draw_path(ax, rows, legend=(i == 0))
        ax.set_title(str(rows["name_zh"].iloc[0]), fontsize=9, loc="left")
        if i % cols == 0:
            ax.set_ylabel("亿元/km²", fontsize=7.5)
    fig.suptitle("各园区地均产出与目标路径 Park output density against the plan's path", fontsize=10, x=0.02,
                 ha="left")
    fig.tight_layout(rect=(0, 0, 1, 0.97))
    return _png(fig)


@_chinese
def ledger_chart(ledger: pd.DataFrame) -> bytes | None:
    """The district's 198 industrial land per year, and hectares reduced, added and net since the baseline (PNG)."""
    from matplotlib.figure import Figure

    tot = ledger[ledger["unit_type"] == "district"].sort_values("year")
    if tot.empty:
        return None
    years = tot["year"].to_numpy(dtype=int)
    x = np.arange(len(years))
    fig = Figure(figsize=(7.2, 3.4))
    ax1, ax2 = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    land = tot["land_198_ha"].to_numpy(dtype=float)
    ax1.bar(x, land, color=LAND, edgecolor="#737373", linewidth=0.5, width=0.6)
    ax1.axhline(land[0], color=TARGET, linestyle="--", linewidth=1)
    ax1.text(x[-1] + 0.4, land[0], f"基准年 baseline {years[0]}", fontsize=6.5, ha="right", va="bottom", color=TARGET)
    for xi, v in zip(x, land, strict=True):
        ax1.text(xi, v, f"{v:,.1f}", ha="center", va="bottom", fontsize=7)
    ax1.set_title("198 区域工业用地 industrial land in 198 (ha)", fontsize=9, loc="left")
    w = 0.27
    bars = (("reduced_ha", REDUCED, "减量 reduced"), ("added_ha", ADDED, "新增 added"),
            ("net_reduced_ha", NET, "净减量 net reduced"))
    for k, (col, colour, label) in enumerate(bars):
        ax2.bar(x + (k - 1) * w, tot[col].to_numpy(dtype=float), width=w, color=colour, label=label)
    ax2.axhline(0, color="#737373", linewidth=0.6)
    ax2.set_title("基准年以来 since the baseline (ha)", fontsize=9, loc="left")
    ax2.legend(fontsize=7, frameon=False, loc="upper left")
    for ax in (ax1, ax2):
        ax.set_xticks(x, [str(y) for y in years], fontsize=7.5)
        ax.tick_params(axis="y", labelsize=7.5)
        ax.grid(axis="y", color="#e0e0e0", linewidth=0.6)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    fig.suptitle("减量化台账 Reduction ledger", fontsize=10, x=0.02, ha="left")
    fig.tight_layout(rect=(0, 0, 1, 0.95))
    return _png(fig)


def tracking_charts(result) -> dict[str, bytes]:
    """The monitoring charts of a :class:`gis.planning.tracking.TrackResult`, name → PNG (missing when empty)."""
    out = {"parks_path": parks_path_chart(result.units), "ledger": ledger_chart(result.ledger)}
    return {k: v for k, v in out.items() if v is not None}


def write_tracking_charts(result, out_dir) -> list[Path]:
    """Write the charts as PNG into ``out_dir``: ``parks_path.png``, ``ledger.png`` and one ``park_NN_<id>.png`` each.

    Returns
    -------
    list of Path
        The files written.
    """
    from gis.io.safe_write import atomic_output

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, bytes | None] = dict(tracking_charts(result))
    ids = list(dict.fromkeys(result.units.loc[result.units["unit_type"] == "park", "unit_id"].astype(str)))
    for i, uid in enumerate(ids, start=1):
        safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in uid)
        files[f"park_{i:02d}_{safe}"] = park_path_chart(result.units, uid)
    written = []
    for name, png in files.items():
        if png is None:
            continue
        p = out / f"{name}.png"
        with atomic_output(p) as tmp:
            tmp.write_bytes(png)
        written.append(p)
    return written
