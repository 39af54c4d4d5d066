"""The report's charts: a legend never covers a bar or its value (the town chart's legend did)."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest

from gis.maps.fonts import cjk_rc
from gis.report import charts as ch


def _summary(names, upgrade, transform, reduce):
    return pd.DataFrame({"unit_id": names, "name_zh": names, "area_km2_upgrade": upgrade,
                         "area_km2_transform": transform, "area_km2_reduce": reduce})


TOWNS = _summary(["城桥镇", "新河镇", "堡镇", "陈家镇", "长兴镇", "横沙乡", "集中建设区外"],
                 [0.2, 0, 0, 0.2, 0, 0, 8.3], [0.8, 0.4, 0.5, 0.4, 0.4, 0.2, 0], [0.1, 0.01, 0.1, 0.1, 0.1, 0.04, 3.6])
DENSITY = pd.DataFrame({"unit_type": ["park"] * 3, "name_zh": ["甲园区", "乙园区", "丙园区"],
                        "density_yi_per_km2": [35.0, 22.9, 11.6], "projected_density_yi_per_km2": [36.6, 23.9, 12.1],
                        "meets_target": [True, False, False]})
GRADES = pd.DataFrame({"unit_type": ["park", "zone"], "unit_id": ["P1", "104"], "name_zh": ["甲园区", "104 产业区块"],
                       "parcels_graded": [10, 20], **{f"land_mu_{g}": [10.0, 20.0] for g in "ABCD"}})


@pytest.mark.parametrize("build", [lambda: ch._stacked_actions(TOWNS, "按乡镇 by town"),
                                   lambda: ch._density_chart(DENSITY, 25.0), lambda: ch._grade_chart(GRADES)],
                         ids=["towns", "density", "grades"])
def test_legend_covers_no_bar_and_no_value(build):
    with matplotlib.rc_context(cjk_rc()):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        fig = build()
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        renderer = canvas.get_renderer()
        ax = fig.axes[0]
        legend = ax.get_legend().get_window_extent(renderer)
        bars = [p.get_window_extent(renderer) for p in ax.patches if p.get_width() > 0]
        values = [t.get_window_extent(renderer) for t in ax.texts]
        title = ax.title.get_window_extent(renderer)
    assert bars and not any(legend.overlaps(b) for b in bars)
    assert not any(legend.overlaps(v) for v in values)
    assert not legend.overlaps(title)
    biggest = max(bars, key=lambda b: b.width)
    assert legend.y0 >= biggest.y1 or legend.x1 <= biggest.x0 or legend.y1 <= biggest.y0


def test_chart_png_bytes():
    data = type("D", (), {"summaries": {"zone": TOWNS, "town": TOWNS, "park": TOWNS}, "density": None,
                          "sites": None})()
    pngs = ch.charts(data)
    assert set(pngs) == {"zones", "towns", "parks"} and all(p[:4] == b"\x89PNG" for p in pngs.values())
    assert np.all([len(p) > 1000 for p in pngs.values()])
