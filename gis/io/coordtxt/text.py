"""The text of a boundary-coordinate TXT file: recognising it, decoding it, parsing its lines.

Parsing keeps the file's content as written (header keys, block headers, point
columns X/Y, ring numbers) with the line number of each item, so that every
later check can name its line. Nothing here knows about zones or geometry.
"""

from __future__ import annotations

import re

from gis.errors import InputError

__all__ = ["ATTRIBUTES", "COORDINATES", "FIELDS", "ParsedFile", "decode_text", "is_coordtxt", "line_note",
           "parse_text"]

#: Block header fields in file order: (column, Chinese name).
FIELDS: tuple[tuple[str, str], ...] = (
    ("n_points", "界址点数"),
    ("area_ha", "地块面积"),
    ("block_id", "地块编号"),
    ("name", "地块名称"),
    ("shape_type", "记录图形属性"),
    ("sheet", "图幅号"),
    ("use", "地块用途"),
    ("land_class", "地类编码"),
)
#: The two section names: the header keys and the blocks of coordinates.
ATTRIBUTES, COORDINATES = "属性描述", "地块坐标"
#: A section line as the parser reads it (:func:`_section`): half- or full-width brackets, spaces allowed.
_SECTION = re.compile(r"^\s*[\[【]\s*(?:属性描述|地块坐标)\s*[\]】]\s*$", re.MULTILINE)
#: How far into a file its sections are looked for: a long [项目信息] header may come first.
SNIFF_BYTES = 1 << 18


def line_note(line: int, zh: str, en: str) -> tuple[int, str]:
    """A bilingual warning about one line: ``(line, "第 n 行：… / Line n: …")``, sortable by line."""
    return line, f"第 {line} 行：{zh} / Line {line}: {en}"


def is_coordtxt(path) -> bool:
    """Whether ``path`` looks like a boundary-coordinate TXT file.

    It does when a ``[属性描述]`` or ``[地块坐标]`` section line (also with
    full-width 【】 brackets, as the parser accepts) occurs in its first
    :data:`SNIFF_BYTES` bytes, in any of the encodings the reader decodes.
    """
    try:
        with open(path, "rb") as fh:
            head = fh.read(SNIFF_BYTES)
    except OSError:
        return False
    for enc in ("utf-16", "utf-8-sig", "gb18030"):
        if enc == "utf-16" and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        text = head.decode(enc, errors="ignore")  # a cut multi-byte character at the end is dropped
        if _SECTION.search(text):
            return True
    return False


def decode_text(raw: bytes, encoding: str | None, path) -> tuple[str, str]:
    """Decode a file's bytes: ``encoding`` when given, else UTF-16 (BOM), UTF-8 (with or without BOM), GB18030.

    Returns
    -------
    text, encoding : str
        The text and the encoding used.

    Raises
    ------
    InputError
        When the bytes are not text in the given or any detected encoding.
    """
    if encoding:
        enc = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
        try:
            return raw.decode(enc), enc
        except (UnicodeDecodeError, LookupError) as exc:
            raise InputError(
                f"无法按 {encoding} 解码“{path}”。",
                f"Cannot decode '{path}' as {encoding}: {exc}.",
                "去掉 --encoding 自动识别（GBK/GB18030 或 UTF-8）。",
                "Drop --encoding to detect GBK/GB18030 or UTF-8.",
            ) from exc
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Windows Notepad's "Unicode"
        return raw.decode("utf-16"), "utf-16"
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":  # valid UTF-8 up to a character cut off at the end
            raise InputError(f"“{path}”在一个字符中间结束：文件不完整。", f"'{path}' ends in the middle of a "
                             "character: the file is incomplete.", "请重新复制完整的文件。",
                             "Copy the complete file again.") from exc
    try:  # GB18030 is a superset of GBK and GB2312
        return raw.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise InputError(
            f"“{path}”既不是 UTF-8 也不是 GBK/GB18030 编码。",
            f"'{path}' is neither UTF-8 nor GBK/GB18030 text.",
            "请用 --encoding 指定编码。",
            "Pass --encoding.",
        ) from exc


def _section(s: str) -> str | None:
    m = re.fullmatch(r"[\[【]\s*(.+?)\s*[\]】]", s)
    return m.group(1) if m else None


class ParsedFile:
    """Raw content of a file: header keys, block headers and points (file order).

    Attributes
    ----------
    header : dict
        The [属性描述] keys and values; ``key_line`` gives each key's line.
    blocks : list of (int, list of str)
        Each block header's line and fields.
    pt_line, pt_ring, x, y : list
        Per point: its line, its ring (0, 1, … over the file), X and Y as written
        (X should be the northing, Y the easting).
    rings : list of list
        Per ring: block index, 圈号, closed?, first line, last line.
    notes : list of (int, str)
        Warnings with their line numbers.
    """

    def __init__(self, path) -> None:
        self.path = path
        self.header: dict[str, str] = {}
        self.key_line: dict[str, int] = {}
        self.blocks: list[tuple[int, list[str]]] = []
        self.pt_line: list[int] = []
        self.pt_ring: list[int] = []
        self.x: list[float] = []
        self.y: list[float] = []
        self.rings: list[list] = []
        self.notes: list[tuple[int, str]] = []
        self._start: tuple[float, float] | None = None  # the current ring's first point
        self._count = 0  # points in the current ring

    def add_header(self, no: int, s: str) -> None:
        """Read a ``key=value`` line of [属性描述]."""
        key, sep, value = s.replace("＝", "=").partition("=")
        if sep:
            self.header[key.strip()] = value.strip()
            self.key_line[key.strip()] = no

    def add_block(self, no: int, s: str) -> None:
        """Read a block header line (it ends in ``@``)."""
        body = s[:-1]
        fields = [f.strip() for f in body.split(",")]
        if body.endswith(","):
            fields.pop()
        self.blocks.append((no, fields))
        self._start = None

    def add_point(self, no: int, s: str) -> None:
        """Read a point line ``点号,圈号,X,Y``; a caption line before the first block is skipped."""
        parts = [p.strip() for p in s.replace("，", ",").split(",")]
        try:
            ring_no, x, y = int(float(parts[1])), float(parts[2]), float(parts[3])
        except (IndexError, ValueError):
            if not self.blocks and not re.search(r"\d", parts[0] if parts else ""):
                self.notes.append(line_note(no, "无法识别的标题行，已忽略。", "unrecognised caption line ignored."))
                return
            raise InputError(
                f"“{self.path}”第 {no} 行不是“点号,圈号,X,Y”：{s!r}",
                f"'{self.path}' line {no} is not 'point,ring,X,Y': {s!r}",
                "坐标须为数字，用英文逗号分隔。",
                "Coordinates must be numbers separated by ASCII commas.",
            ) from None
        if not self.blocks:
            raise InputError(
                f"“{self.path}”第 {no} 行：坐标点出现在第一个地块头行（以 @ 结尾）之前。",
                f"'{self.path}' line {no}: a point comes before the first block header (a line ending in @).",
            )
        block = len(self.blocks) - 1
        ring = self.rings[-1] if self.rings else None
        # A new ring starts with a new block, a new 圈号, or after the ring closed.
        if ring is None or ring[0] != block or ring[1] != ring_no or ring[2]:
            self.rings.append([block, ring_no, False, no, no])
            self._start = (x, y)
            self._count = 0
        ring = self.rings[-1]
        self._count += 1
        ring[4] = no
        if self._count > 3 and (x, y) == self._start:
            ring[2] = True
        self.pt_line.append(no)
        self.pt_ring.append(len(self.rings) - 1)
        self.x.append(x)
        self.y.append(y)


def parse_text(text: str, path) -> ParsedFile:
    """Parse a decoded file into its header, block headers and points.

    Raises
    ------
    InputError
        A malformed point line, a point before the first block, or no block at all.
    """
    out = ParsedFile(path)
    section = None
    seen: set[str] = set()
    for no, line in enumerate(text.splitlines(), start=1):
        s = line.strip().lstrip("\ufeff")
        if not s:
            continue
        sec = _section(s)
        if sec is not None:
            section = sec
            seen.add(sec)
        elif section == ATTRIBUTES:
            out.add_header(no, s)
        elif section == COORDINATES:
            if s.endswith("@"):
                out.add_block(no, s)
            else:
                out.add_point(no, s)
    if COORDINATES not in seen or not out.blocks:
        raise InputError(
            f"“{path}”中没有地块：缺少 [地块坐标] 段或以 @ 结尾的地块头行。",
            f"'{path}' holds no block: no [地块坐标] section or no header line ending in @.",
        )
    return out
