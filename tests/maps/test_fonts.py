"""The Simplified Chinese font of the print maps (gis.maps.fonts): the right face, no tofu."""

from __future__ import annotations

import warnings

import matplotlib
from fontTools.ttLib import TTFont
from matplotlib import font_manager
from matplotlib.figure import Figure

from gis.maps.fonts import SC_FAMILIES, cjk_font_family, cjk_font_path, cjk_rc

# Names the maps print: the district's parks, towns and terms (DESIGN §1), and odd user text.
CHINESE = ("长兴海洋装备产业基地 崇明工业园区 富盛经济开发区 智慧岛数据产业园 崇明现代农业园区农产品加工区 "
           "城桥镇 新河镇 堡镇 长兴镇 横沙乡 陈家镇 庙镇 港西镇 竖新镇 向化镇 三星镇 绿华镇 建设镇 中兴镇 "
           "港沿镇 东平镇 新村乡 升级 转型 减量化 亿元/km² 示意数据 战略预留区 长江岸线 图例 北 "
           "（）、，：；“”—·…① 鑫淼犇琦璟骉")


def _gb2312_face(path) -> TTFont:
    return TTFont(str(path), fontNumber=0, lazy=True)


def test_font_is_simplified_chinese():
    path = cjk_font_path()
    assert path.is_file() and path.suffix.lower() in (".otf", ".ttf")  # a single face, not a .ttc
    family = cjk_font_family()
    assert family in SC_FAMILIES
    font = _gb2312_face(path)
    # OS/2 code page bit 18 = "Chinese: Simplified chars — PRC and Singapore" (GB 2312)
    assert font["OS/2"].ulCodePageRange1 >> 18 & 1
    cmap = font.getBestCmap()
    missing = sorted({ch for ch in CHINESE if not ch.isspace() and ord(ch) not in cmap})
    assert missing == []
    # matplotlib resolves the family to that very file (no silent fallback to DejaVu)
    with matplotlib.rc_context(cjk_rc()):
        found = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    assert found == str(path)


def test_chinese_renders_without_missing_glyphs(tmp_path):
    with warnings.catch_warnings(record=True) as caught, matplotlib.rc_context(cjk_rc()):
        warnings.simplefilter("always")
        fig = Figure(figsize=(6, 2))
        fig.text(0.02, 0.5, CHINESE, fontsize=8, wrap=True)
        fig.savefig(tmp_path / "t.png", dpi=80)
        fig.savefig(tmp_path / "t.pdf")
    assert [str(w.message) for w in caught if "missing from" in str(w.message).lower()] == []
