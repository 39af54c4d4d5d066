"""Recurring texts for people, worded once (Chinese and English).

Every map, table, report and message that says the layers are illustrative, or
names a unit, takes its words from here, so that the tool says the same thing
the same way everywhere. Texts are ``(zh, en)`` pairs; :func:`bilingual` joins
a pair for one-line output.
"""

from __future__ import annotations

import textwrap

__all__ = [
    "ILLUSTRATIVE_LABEL",
    "ILLUSTRATIVE_NOTE",
    "bilingual",
    "illustrative_layers_note",
    "wrapped",
]

#: The short label on maps and covers.
ILLUSTRATIVE_LABEL = ("示意数据", "illustrative data")

#: The one sentence that says what "illustrative" means for the results.
ILLUSTRATIVE_NOTE = (
    "图层含示意数据：园区与乡镇集中建设区边界为示意，非官方数据；结论仅供参考，请以规划部门正式图层复核。",
    "The layers include illustrative data: park and construction-area outlines are not official boundaries; "
    "the results are indicative — verify them against the planning office's official layers.",
)


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
    return (f"示意图层（非官方边界）：{zh}。{ILLUSTRATIVE_NOTE[0].split('；', 1)[1]}",
            f"Illustrative layers, not official boundaries: {en}. {ILLUSTRATIVE_NOTE[1].split('; ', 1)[1]}")


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
