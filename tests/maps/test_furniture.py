"""Print-map furniture (gis.maps.printed.furniture): paths from geometry, styles, fonts, arrow and scale bar."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.path import Path as MPath

from gis.maps.fonts import FontError
from gis.maps.printed import furniture
from gis.maps.printed.furniture import (
    add_path,
    font_rc,
    halo,
    line_path,
    north_arrow,
    polygon_path,
    role_style,
    scale_bar,
)

SQUARE_WITH_HOLE = "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 2 4, 4 4, 4 2, 2 2))"


def test_polygon_path_keeps_holes_and_skips_non_polygons():
    geoms = shapely.from_wkt([SQUARE_WITH_HOLE, "POINT (1 1)", "LINESTRING (0 0, 1 1)", "POLYGON EMPTY"])
    path = polygon_path(np.asarray(geoms, dtype=object))
    assert list(path.codes).count(MPath.MOVETO) == 2 and list(path.codes).count(MPath.CLOSEPOLY) == 2
    fig = Figure(figsize=(1, 1), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    add_path(ax, path, facecolor="black", edgecolor="none")
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    ax.axis("off")
    fig.canvas.draw()
    pixels = np.asarray(fig.canvas.buffer_rgba())[:, :, 0]
    assert pixels[20, 80] == 0 and pixels[70, 30] == 255           # filled at (8, 8); the hole at (3, 3) is not
    assert polygon_path(np.array([], dtype=object)) is None


def test_line_path_one_move_per_line():
    geoms = shapely.from_wkt(["MULTILINESTRING ((0 0, 1 0), (0 1, 1 1, 2 1))", "POLYGON ((0 0, 1 0, 1 1, 0 0))"])
    path = line_path(np.asarray(geoms, dtype=object))
    assert list(path.codes) == [MPath.MOVETO, MPath.LINETO, MPath.MOVETO, MPath.LINETO, MPath.LINETO]
    assert line_path(np.array([], dtype=object)) is None


@pytest.mark.parametrize("role, face, dashed", [("parks", "#9e9ac8", False), ("district", "none", False),
                                                ("strategic_reserve", "#bf812d", True)])
def test_role_style_from_the_shared_colours(role, face, dashed):
    kw = role_style(role)
    assert kw["facecolor"] == face and ("linestyle" in kw) is dashed


def test_font_falls_back_to_english_only_when_allowed(monkeypatch):
    def no_font():
        raise FontError("无字体", "no font")

    monkeypatch.setattr(furniture, "cjk_rc", no_font)
    rc, chinese = font_rc(chinese_required=False)
    assert chinese is False and rc["font.family"] == ["DejaVu Sans"]
    with pytest.raises(FontError):
        font_rc(chinese_required=True)


def test_furniture_draws_on_an_axes():
    fig = Figure()
    ax = fig.add_axes((0, 0, 1, 1))
    add_path(ax, polygon_path(np.array([shapely.box(0, 0, 1000, 1000)], dtype=object)), facecolor="red")
    add_path(ax, None)                                      # nothing to draw is not an error
    north_arrow(ax, "N", x=0.05)
    scale_bar(ax)
    ax.text(0.5, 0.5, "x", path_effects=halo())
    assert len(ax.patches) == 3 and ax.texts[0].get_text() == "N"


def test_attribution_text_credits_each_source_once():
    from types import SimpleNamespace

    from gis.maps.printed.furniture import attribution_text

    layers = SimpleNamespace(meta={
        "riverbank": {"attribution": "© OpenStreetMap contributors (ODbL); processed by geo-maps"},
        "land": {"attribution": "© OpenStreetMap contributors (ODbL)"},
        "parks": {"attribution": "parkgis (illustrative)"}, "zone_104": {"source": "derived"}})
    assert attribution_text(layers) == ("数据署名 Credits: © OpenStreetMap contributors (ODbL); processed by geo-maps; "
                                        "parkgis (illustrative)")
    assert attribution_text(SimpleNamespace(meta={})) == ""
