"""A Simplified Chinese font for the print maps (matplotlib).

matplotlib's default font (DejaVu Sans) has no Chinese glyphs: labels come out
as empty boxes ("tofu"). Debian's ``fonts-noto-cjk`` ships a ``.ttc`` whose
first face is the Japanese one, so matplotlib would draw Japanese glyph shapes.
parkgis therefore uses **Noto Sans SC** (SIL Open Font License 1.1) — the
region-specific Simplified Chinese subset of Noto Sans CJK, complete for
GB 2312 / GB 18030 text — installed from PyPI with the ``pylopdf-fonts-zh-cn``
package (a data-only wheel: ``NotoSansSC-Regular.otf``). Without it, an
installed font whose family names Simplified Chinese (``Noto Sans SC``,
``Source Han Sans SC``, ``Noto Sans CJK SC`` as a single-face file) is used.
No proprietary font (SimHei, Microsoft YaHei) is ever shipped or required.
"""

from __future__ import annotations

import functools
from pathlib import Path

from gis.errors import ParkgisError

__all__ = ["PLAIN_TEXT_RC", "SC_FAMILIES", "cjk_font_path", "cjk_font_family", "cjk_rc"]

#: Family names accepted as a Simplified Chinese face, best first.
SC_FAMILIES = ("Noto Sans SC", "Source Han Sans SC", "Noto Sans CJK SC", "Source Han Sans CN",
               "Noto Serif SC", "Source Han Serif SC")


#: matplotlib reads text between two ``$`` as TeX math (mathtext): names come from the data, so every label
#: is drawn as plain text (a ``$`` in a name is a dollar sign).
PLAIN_TEXT_RC = {"text.parse_math": False}


class FontError(ParkgisError):
    """No Simplified Chinese font is available for the print maps."""


@functools.cache
def cjk_font_path() -> Path:
    """Path of the Simplified Chinese font used for print maps.

    Returns
    -------
    pathlib.Path
        An OpenType/TrueType file (not a collection: matplotlib would take its
        first, often Japanese, face).

    Raises
    ------
    FontError
        When no Simplified Chinese font is installed.
    """
    try:
        import pylopdf_fonts_zh_cn

        path = Path(pylopdf_fonts_zh_cn.sans_path())
        if path.is_file():
            return path
    except ImportError:
        pass
    from matplotlib import font_manager

    by_family = {f.name: Path(f.fname) for f in font_manager.fontManager.ttflist
                 if not f.fname.lower().endswith((".ttc", ".otc"))}
    for family in SC_FAMILIES:
        if family in by_family:
            return by_family[family]
    raise FontError(
        "找不到简体中文字体，地图上的中文会显示为方框。",
        "No Simplified Chinese font found: Chinese labels would print as empty boxes.",
        "安装字体包：pip install pylopdf-fonts-zh-cn（Noto Sans SC，OFL 许可），或 pip install 'parkgis[maps]'。",
        "Install the font package: pip install pylopdf-fonts-zh-cn (Noto Sans SC, OFL), "
        "or pip install 'parkgis[maps]'.",
    )


@functools.cache
def cjk_font_family() -> str:
    """Register the Simplified Chinese font with matplotlib; return its family name."""
    from matplotlib import font_manager

    path = cjk_font_path()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def cjk_rc() -> dict:
    """matplotlib rc settings for Chinese text (use with ``matplotlib.rc_context``).

    PDF text is written as Type 3 fonts (matplotlib's default): poppler and
    other readers render and extract it cleanly, whereas Type 42 embedding of
    this CFF-flavoured OpenType font draws warnings from some readers.

    Every drawn text is plain text (:data:`PLAIN_TEXT_RC`): a park or project
    named ``$x^$`` must not crash the drawing, nor ``$5 and $6`` come out as math.
    """
    return {
        **PLAIN_TEXT_RC,
        "font.family": [cjk_font_family(), "DejaVu Sans"],
        "axes.unicode_minus": False,  # U+2212 is in the font, but keep "-" for plain-text extraction
        "pdf.fonttype": 3,
        "svg.fonttype": "path",
    }
