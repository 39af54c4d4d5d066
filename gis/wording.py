"""Recurring texts for people, worded once (Chinese and English).

Every map, table, report and message that says the layers are illustrative, or
names a unit, takes its words from here, so that the tool says the same thing
the same way everywhere. Texts are ``(zh, en)`` pairs; :func:`bilingual` joins
a pair for one-line output.
"""

from __future__ import annotations

import textwrap

__all__ = [
    "SWAPPED_REASON",
    "ACTION_WORDS",
    "FLAG_WORDS",
    "LEVEL_WORDS",
    "ILLUSTRATIVE_LABEL",
    "ILLUSTRATIVE_NOTE",
    "bilingual",
    "display_width",
    "flag_words",
    "illustrative_layers_note",
    "ljust_display",
    "rate_text",
    "wrapped",
]

#: The short label on maps and covers.
ILLUSTRATIVE_LABEL = ("示意数据", "illustrative data")

#: The one sentence that says what "illustrative" means for the results.
ILLUSTRATIVE_NOTE = (
    "图层含示意数据，其边界非官方数据；结论仅供参考，请以规划部门正式图层复核。",
    "The layers include illustrative data whose outlines are not official boundaries; "
    "the results are indicative — verify them against the planning office's official layers.",
)


#: The classification's actions in words.
ACTION_WORDS: dict[str, tuple[str, str]] = {
    "upgrade": ("升级", "upgrade"), "transform": ("转型", "transform"), "reduce": ("减量化", "reduce"),
}

#: Log levels as the console shows them.
LEVEL_WORDS: dict[str, str] = {"DEBUG": "调试 Debug", "INFO": "信息 Info", "WARNING": "注意 Warning",
                               "ERROR": "错误 Error", "CRITICAL": "严重错误 Critical"}

#: What each value of a ``flags`` column means, for people (the column keeps the values).
FLAG_WORDS: dict[str, tuple[str, str]] = {
    "straddles_zone": ("跨越多个分区", "straddles zones"),
    "partly_outside_district": ("部分位于区界之外", "partly outside the district"),
    "outside_district": ("完全位于区界之外", "wholly outside the district"),
    "geometry_repaired": ("几何无效，已自动修复", "invalid geometry, repaired"),
    "no_geometry": ("没有几何", "no geometry"),
    "duplicate_id": ("编号与其他要素重复", "id shared with another feature"),
    "not_polygon": ("不是面（点或线）", "not a polygon (a point or line)"),
    "in_water": ("部分位于岸线以外（水域或滩涂）", "partly seaward of the shoreline (water or tidal flat)"),
    "invalid_coordinates": ("坐标无效（空值或超出范围）", "invalid coordinates (missing or out of range)"),
    "id_generated": ("输入无编号，已自动编号", "no id in the input: numbered"),
    "circle": ("场地为按点和半径生成的圆", "the site is a circle drawn from a point and a radius"),
}


def flag_words(flags) -> tuple[str, str]:
    """A ``flags`` value (``"a;b"`` or a list) in words: ``("跨越多个分区；…", "straddles zones; …")``.

    An unknown flag is shown as it is.
    """
    names = [f for f in (flags.split(";") if isinstance(flags, str) else list(flags or [])) if f]
    words = [FLAG_WORDS.get(f, (f, f)) for f in names]
    return "；".join(w[0] for w in words), "; ".join(w[1] for w in words)


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: East Asian wide and full-width characters count two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in str(text))


def ljust_display(text: str, width: int) -> str:
    """``text`` padded with spaces to ``width`` terminal columns (Chinese characters count two)."""
    return str(text) + " " * max(0, width - display_width(text))


def rate_text(count: int, seconds: float, unit: tuple[str, str] = ("个", "")) -> str:
    """How long a batch took, for people: ``用时 took 0.8 s`` or ``用时 took 12.0 s，约 850 个/秒 per s``.

    A rate is given only when it means something (at least one second and 100 items).
    """
    text = f"用时 took {seconds:,.1f} s"
    if seconds >= 1.0 and count >= 100:
        text += f"，约 {count / seconds:,.0f} {unit[0]}/秒 per s"
    return text


def bilingual(pair: tuple[str, str], sep: str = " / ") -> str:
    """``"zh / en"`` on one line.

    Parameters
    ----------
    pair : (str, str)
        Chinese and English text.
    sep : str
        What stands between them.
    """
    return f"{pair[0]}{sep}{pair[1]}"


def illustrative_layers_note(names: list[tuple[str, str]]) -> tuple[str, str]:
    """The illustrative note naming the layers that are illustrative.

    Parameters
    ----------
    names : list of (str, str)
        Bilingual names of the illustrative layers (e.g. ``("园区", "parks")``);
        empty gives :data:`ILLUSTRATIVE_NOTE`.
    """
    if not names:
        return ILLUSTRATIVE_NOTE
    zh = "、".join(n[0] for n in names)
    en = ", ".join(n[1] for n in names)
    rest_en = ILLUSTRATIVE_NOTE[1].split("; ", 1)[1]
    return (f"示意图层（非官方边界）：{zh}。{ILLUSTRATIVE_NOTE[0].split('；', 1)[1]}",
            f"Illustrative layers, not official boundaries: {en}. {rest_en[:1].upper()}{rest_en[1:]}")


def wrapped(pair: tuple[str, str], zh_width: int = 22, en_width: int = 44) -> str:
    """A bilingual text as lines for a drawn box: Chinese lines of ``zh_width`` characters, then English.

    Parameters
    ----------
    pair : (str, str)
        Chinese and English text.
    zh_width, en_width : int
        Characters per line (a Chinese character is about two Latin ones wide).
    """
    zh = pair[0]
    zh_lines = [zh[i:i + zh_width] for i in range(0, len(zh), zh_width)]
    return "\n".join(zh_lines + textwrap.wrap(pair[1], en_width))


#: The reason of a parcel outside the district that lies inside it with lon and lat exchanged.
SWAPPED_REASON = (
    "地块完全位于区界之外，未分类；其经纬度疑似写反（交换后位于区内），请检查坐标顺序（经度在前，如 121.5, 31.6）。",
    "The parcel lies wholly outside the district; not classified. Its longitude and latitude look swapped "
    "(exchanged, it lies in the district): check the coordinate order (longitude first, e.g. 121.5, 31.6).",
)
