"""Text on print maps that must stay whole: labels that do not hide one another, a source line cut at words.

:func:`place_labels` puts each label at its anchor, or — where it would overlap
a label already placed — at the nearest free position around it with a thin
leader line, so every park keeps its name on the district overview.
:func:`wrap_source` fits a long source line into the page width by words,
never inside a word.
"""

from __future__ import annotations

from gis.wording import display_width

__all__ = ["place_labels", "shorten_words", "wrap_source"]

#: Offsets tried for a label that overlaps another, in points (x, y), nearest first.
_OFFSETS = [(0, 0), (0, 13), (0, -13), (0, 24), (0, -24), (60, 0), (-60, 0), (40, 22), (-40, 22), (40, -22),
            (-40, -22), (0, 36), (0, -36), (80, 14), (-80, 14), (80, -14), (-80, -14)]


def place_labels(ax, items, **text_kw) -> list:
    """Label anchors without overlaps (greedy, in the order given).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Its limits must be set (the figure is drawn once to measure the texts).
    items : iterable of (x, y, text)
        Anchors in data coordinates.
    **text_kw
        Passed to ``ax.annotate`` (font size, colour, halo, z-order…).

    Returns
    -------
    list of matplotlib.text.Annotation
    """
    fig = ax.figure
    renderer = fig.canvas.get_renderer() if hasattr(fig.canvas, "get_renderer") else None
    if renderer is None:  # pragma: no cover - every Agg/PDF canvas has one
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        renderer = FigureCanvasAgg(fig).get_renderer()
    placed, boxes = [], []
    for x, y, text in items:
        ann = None
        for dx, dy in _OFFSETS:
            cand = ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points", ha="center",
                               va="center", **text_kw)
            box = cand.get_window_extent(renderer).expanded(1.04, 1.15)
            if not any(box.overlaps(b) for b in boxes):
                ann = cand
                break
            cand.remove()
        if ann is None:  # nowhere free: keep it at its anchor rather than lose the name
            ann = ax.annotate(text, (x, y), ha="center", va="center", **text_kw)
            box = ann.get_window_extent(renderer)
        elif (dx, dy) != (0, 0):  # a thin leader line from the label back to its place
            ax.annotate("", (x, y), xytext=(dx, dy), textcoords="offset points",
                        arrowprops={"arrowstyle": "-", "lw": 0.5, "color": text_kw.get("color", "#333"),
                                    "shrinkA": 4, "shrinkB": 0}, zorder=text_kw.get("zorder", 40) - 1)
        boxes.append(box)
        placed.append(ann)
    return placed


def shorten_words(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` display columns at a word boundary, with "…" when cut."""
    if display_width(text) <= width:
        return text
    out = ""
    for word in text.split(" "):
        nxt = f"{out} {word}" if out else word
        if display_width(nxt) > width - 1:
            break
        out = nxt
    if not out:  # one long word (a path, Chinese text without spaces): cut at a character
        for ch in text:
            if display_width(out + ch) > width - 1:
                break
            out += ch
    return out.rstrip(" ,;:，；…") + "…"  # one ellipsis, also after a part that was cut already


def wrap_source(text: str, width: int, max_lines: int = 3) -> str:
    """A source line wrapped to ``width`` display columns by words, at most ``max_lines`` lines.

    A text longer than that keeps its first lines and ends, at a word boundary, with "…";
    a single word wider than a line (a long path) is shortened on its own line.
    """
    lines: list[str] = []
    cur = ""
    for word in text.split():
        nxt = f"{cur} {word}" if cur else word
        if display_width(nxt) <= width or not cur:
            cur = nxt
        else:
            lines.append(cur)
            cur = word
    lines.append(cur)
    lines = [shorten_words(ln, width) for ln in lines]
    if len(lines) > max_lines:
        lines = lines[:max_lines - 1] + [shorten_words(" ".join(lines[max_lines - 1:]), width)]
    return "\n".join(lines)
