"""One validator for every configuration: rules, targets, grading weights, layer manifests, numeric options.

A planner's TOML file — and a number typed on the command line on its way into
the library — is checked here before anything uses it, so that a slip is an
error naming the key and the file in Chinese and English, never a silently
different result:

* **types** — ``enabled = "false"`` is text, not a boolean (any non-empty text
  would count as *true*): refused, with "write false without quotes";
* **finiteness and ranges** — no NaN or infinity anywhere; no negative
  distance, area, money or energy: a key whose name carries such a unit
  (``distance_m``, ``land_m2``, ``target_yi_per_km2``, ``energy_tce``… — names
  carry their unit, DESIGN §5) is ≥ 0;
* **units** — a rate or a share (``growth_rate``, ``…_share``) is a fraction:
  ``4.5`` is refused with "write 0.045 for 4.5 %", and the text ``"4.5%"`` is
  read as 0.045; a percentage (``…_pct``) lies in 0–100; a year is a whole
  number between 1900 and 2100;
* **encodings** — a file that is not UTF-8 is refused, naming the line (a UTF-8
  byte-order mark, as Windows Notepad writes it, is fine);
* **unknown keys** — refused with the keys that exist there (a typo must not
  fall back to a default).

The packaged defaults are the schema: :func:`like` checks a value against the
default it replaces (same kind of value; the range its name implies).
"""

from __future__ import annotations

import difflib
import math
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from gis.errors import ConfigError, ParkgisError

__all__ = ["Where", "boolean", "choice", "fraction", "key_text", "like", "number", "option_number", "read_toml",
           "table", "text", "value_range"]

#: Units that may not be negative when a key's name ends with them (DESIGN §5: names carry units).
_NON_NEGATIVE_UNITS = ("m", "m2", "km", "km2", "mu", "ha", "wan", "yi", "tce", "person", "persons", "enterprises",
                       "count")
_PERCENT_TEXT = re.compile(r"^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*[%％]\s*$")


@dataclass(frozen=True)
class Where:
    """Where values come from, for the messages: a file (or an option) of some kind, and the error to raise.

    Parameters
    ----------
    source : str
        The file's path, or the option (``"--cell"``) a value came from.
    what_zh, what_en : str
        What the source is ("目标文件" / "targets file").
    error : type of ParkgisError
        The error raised (:class:`gis.errors.ConfigError` unless the caller's stage has its own).
    hint_zh, hint_en : str
        The hint when a check has none of its own (e.g. "compare with the default file").
    """

    source: str
    what_zh: str = "配置文件"
    what_en: str = "configuration file"
    error: type[ParkgisError] = ConfigError
    hint_zh: str = ""
    hint_en: str = ""

    def fail(self, key, value, why_zh: str, why_en: str, hint_zh: str = "", hint_en: str = "") -> ParkgisError:
        """The error for ``key`` (a path of keys or a text) holding ``value`` (None: not shown), naming key and file."""
        k = key_text(key)
        shown = "" if value is None else f" = {_shown(value)}"
        if self.source.startswith("-"):
            zh, en = f"选项 {self.source}{shown}：{why_zh}。", f"Option {self.source}{shown}: {why_en}."
        else:
            zh = f"{self.what_zh}“{self.source}”中 {k}{shown}：{why_zh}。"
            en = f"In {self.what_en} '{self.source}', {k}{shown}: {why_en}."
        return self.error(zh, en, hint_zh or self.hint_zh, hint_en or self.hint_en)


def key_text(key) -> str:
    """A key as the TOML file shows it: ``("plan", "growth_rate")`` → ``"[plan].growth_rate"``."""
    if isinstance(key, str):
        return key
    parts = [str(p) for p in key]
    if len(parts) == 1:
        return parts[0]
    return f"[{'.'.join(parts[:-1])}].{parts[-1]}"


def _shown(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, float) and math.isfinite(value):
        return f"{value:g}"
    return str(value)


# --------------------------------------------------------------------------- reading


def read_toml(path, where: Where) -> dict:
    """Read a TOML file: UTF-8 (a byte-order mark allowed), else a bilingual error naming the file and the line.

    ``where`` says what the file is (its ``source`` is replaced by ``path``);
    its ``error`` is raised for a missing or unreadable file, text that is not
    UTF-8, or text that is not valid TOML.
    """
    p = Path(path)
    w = Where(str(p), where.what_zh, where.what_en, where.error, where.hint_zh, where.hint_en)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise w.error(f"找不到{w.what_zh}“{p}”。", f"{w.what_en[:1].upper()}{w.what_en[1:]} not found: '{p}'.",
                      w.hint_zh or "请检查路径。", w.hint_en or "Check the path.") from None
    except OSError as exc:
        raise w.error(f"无法读取{w.what_zh}“{p}”：{exc.strerror or exc}。",
                      f"Cannot read {w.what_en} '{p}': {exc.strerror or exc}.",
                      "请检查路径与读取权限。", "Check the path and the permission to read it.") from None
    try:
        text_ = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        gbk = _decodes(raw, "gb18030")
        raise w.error(
            f"{w.what_zh}“{p}”第 {line} 行不是 UTF-8 编码{'（似为 GBK）' if gbk else ''}。",
            f"{w.what_en[:1].upper()}{w.what_en[1:]} '{p}' is not UTF-8 text (line {line}"
            f"{', it looks like GBK' if gbk else ''}).",
            "请用 UTF-8 编码另存该文件（记事本：另存为 → 编码 UTF-8）。",
            "Save the file as UTF-8 (Notepad: Save as → Encoding UTF-8).",
        ) from None
    try:
        return tomllib.loads(text_)
    except tomllib.TOMLDecodeError as exc:
        raise w.error(f"{w.what_zh}“{p}”不是有效的 TOML：{exc}。", f"{w.what_en[:1].upper()}{w.what_en[1:]} "
                      f"'{p}' is not valid TOML: {exc}.",
                      "文本须加引号（name = \"值\"），表头写作 [表名]；可对照默认文件。",
                      "Text needs quotes (name = \"value\") and tables are written [name]; compare with the "
                      "default file.") from None


def _decodes(raw: bytes, encoding: str) -> bool:
    try:
        raw.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


# --------------------------------------------------------------------------- single values


def boolean(value, key, where: Where) -> bool:
    """``true`` or ``false`` — not the text ``"false"`` (non-empty text would count as true), not 0/1."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false", "yes", "no", "是", "否"):
        plain = "true" if value.strip().lower() in ("true", "yes", "是") else "false"
        raise where.fail(key, value, "是文本，不是布尔值（带引号的 \"false\" 会被当作“是”）",
                         "is text, not a boolean (a quoted \"false\" would count as true)",
                         f"去掉引号：{key_text(key)} = {plain}。", f"Drop the quotes: {key_text(key)} = {plain}.")
    raise where.fail(key, value, "须为 true 或 false", "must be true or false",
                     "写 true 或 false（不加引号）。", "Write true or false (no quotes).")


def number(value, key, where: Where, *, minimum: float | None = None, maximum: float | None = None,
           above: float | None = None, integer: bool = False) -> float | int:
    """A finite number within the given bounds (an integer when ``integer``), else a bilingual error.

    ``minimum``/``maximum`` are inclusive bounds, ``above`` an exclusive lower
    bound; ``integer`` asks for a whole number (2024.0 is accepted as 2024).
    ``key`` (a text or a path of keys) is named in the message.
    """
    if isinstance(value, bool):
        raise where.fail(key, value, "是布尔值，不是数", "is a boolean, not a number")
    if isinstance(value, str):
        raise where.fail(key, value, "是文本，不是数", "is text, not a number",
                         "数字不加引号，如 distance_m = 1000。",
                         "Write numbers without quotes, e.g. distance_m = 1000.")
    if not isinstance(value, (int, float)):
        raise where.fail(key, value, "须为数", "must be a number")
    if not math.isfinite(value):
        raise where.fail(key, value, "不是有限的数（NaN 或无穷大）", "is not a finite number (NaN or infinity)")
    if integer:
        if float(value) != int(value):
            raise where.fail(key, value, "须为整数", "must be a whole number")
        value = int(value)
    _bounds(value, key, where, minimum, maximum, above)
    return value


def _bounds(value, key, where: Where, minimum, maximum, above) -> None:
    if above is not None and not value > above:
        raise where.fail(key, value, f"须大于 {above:g}", f"must be greater than {above:g}")
    if minimum is not None and value < minimum:
        why = ("不能为负", "cannot be negative") if minimum == 0 else \
            (f"须不小于 {minimum:g}", f"must be at least {minimum:g}")
        raise where.fail(key, value, *why)
    if maximum is not None and value > maximum:
        raise where.fail(key, value, f"须不大于 {maximum:g}", f"must be at most {maximum:g}")


def fraction(value, key, where: Where) -> float:
    """A rate or share as a fraction in [0, 1]; the text ``"4.5%"`` is read as 0.045, ``4.5`` is refused."""
    if isinstance(value, str):
        m = _PERCENT_TEXT.match(value)
        if m is None:
            raise where.fail(key, value, "是文本，不是比例", "is text, not a fraction",
                             "写小数（0.045）或百分数文本（\"4.5%\"）。", "Write a fraction (0.045) or a percentage "
                             "as text (\"4.5%\").")
        value = float(m.group(1)) / 100.0
    v = number(value, key, where, minimum=0)
    if v > 1:
        raise where.fail(key, value, "是比例（0–1 之间的小数），不是百分数", "is a fraction between 0 and 1, not a "
                         "percentage", f"写 {_g(v / 100)} 表示 {_g(v)} %（或写 \"{_g(v)}%\"）。",
                         f"Write {_g(v / 100)} for {_g(v)} % (or \"{_g(v)}%\").")
    return float(v)


def _g(v: float) -> str:
    return f"{v:.10g}"


def text(value, key, where: Where, *, empty: bool = True) -> str:
    """A text value (not a number or a table); ``empty=False`` refuses blank text."""
    if not isinstance(value, str):
        raise where.fail(key, value, "须为文本（加引号）", "must be text (in quotes)")
    if not empty and not value.strip():
        raise where.fail(key, value, "不能为空", "cannot be empty")
    return value


def choice(value, key, where: Where, choices: Iterable[str]) -> str:
    """One of ``choices`` (compared case-insensitively; returned as listed)."""
    options = list(choices)
    if isinstance(value, str):
        for c in options:
            if value.strip().lower() == c.lower():
                return c
    listed = ", ".join(options)
    raise where.fail(key, value, f"须为以下之一：{listed}", f"must be one of: {listed}")


def table(value, key, where: Where, allowed: Iterable[str] | None = None) -> dict:
    """A table (TOML ``[name]``) whose keys are all in ``allowed`` (when given); unknown keys name the near ones."""
    if not isinstance(value, Mapping):
        raise where.fail(key, value, "须为表（[表名] 或 {…}）", "must be a table ([name] or {…})")
    if allowed is not None:
        known = list(allowed)
        unknown = [k for k in value if k not in known]
        if unknown:
            near = {k: difflib.get_close_matches(str(k), known, n=1) for k in unknown}
            guess = [f"{k} → {m[0]}" for k, m in near.items() if m]
            listed = ", ".join(known) or "—"
            path = tuple(key) if not isinstance(key, str) else (key,)
            raise where.fail(path + (str(unknown[0]),), None, f"是未知的键；此处可用：{listed}",
                             f"is not a known key; known here: {listed}",
                             ("是否想写：" + "、".join(guess) + "？") if guess else "请检查拼写。",
                             ("Did you mean: " + ", ".join(guess) + "?") if guess else "Check the spelling.")
    return dict(value)


# --------------------------------------------------------------------------- by example


def value_range(name: str) -> dict:
    """The range a key's name implies (DESIGN §5: names carry their unit), as :func:`number` keywords.

    ``…_rate``/``…_share`` → a fraction (see :func:`fraction`); ``…_pct`` → 0–100;
    ``year``/``…_year`` → a whole number 1900–2100; ``priority`` → a whole number;
    a name ending in a unit of distance, area, money, energy or persons (or with
    ``_per_``) → ≥ 0; anything else: any finite number.
    """
    n = str(name).lower()
    if n.endswith(("_rate", "_share")) or n.startswith("share_") or n in ("rate", "share"):
        return {"fraction": True}
    if n.endswith("_pct"):
        return {"minimum": 0, "maximum": 100}
    if n == "year" or n.endswith("_year"):
        return {"integer": True, "minimum": 1900, "maximum": 2100}
    if n == "priority":
        return {"integer": True}
    if n.rsplit("_", 1)[-1] in _NON_NEGATIVE_UNITS or "_per_" in n:
        return {"minimum": 0}
    return {}


Custom = Mapping[tuple, Callable]


def like(value, default, key: tuple, where: Where, *, free: Iterable[tuple] = (), custom: Custom | None = None):
    """Check ``value`` against the ``default`` it replaces: the same kind of value, the range its name implies.

    Parameters
    ----------
    value
        The value from a planner's file.
    default
        The packaged default at the same key: a boolean, number, text, list
        (its items like the default's first item) or table (recursively; keys
        not in the default are refused unless the table is in ``free``).
    key : tuple of str
        The key's path (``("plan", "growth_rate")``).
    where : Where
    free : iterable of tuple
        Paths of tables that accept new keys (e.g. park names), their values like the existing ones.
    custom : mapping of path → callable, optional
        ``check(value, key, where)`` for keys with a rule of their own (e.g. a number or ``"median"``).

    Returns
    -------
    The value, normalised (``"4.5%"`` → 0.045, 2024.0 → 2024).
    """
    key = tuple(key)
    if custom and key in custom:
        return custom[key](value, key, where)
    if isinstance(default, bool):
        return boolean(value, key, where)
    if isinstance(default, (int, float)):
        # An entry of a free table (a park's name) takes the range of the table's name (``targets_yi``).
        spec = value_range(key[-1]) or (value_range(key[-2]) if len(key) > 1 else {})
        if spec.pop("fraction", False):
            return fraction(value, key, where)
        integer = spec.pop("integer", False) or isinstance(default, int)
        return number(value, key, where, integer=integer, **spec)
    if isinstance(default, str):
        return text(value, key, where)
    if isinstance(default, list):
        return _list_like(value, default, key, where, free, custom)
    if isinstance(default, Mapping):
        return _table_like(value, default, key, where, free, custom)
    return value


def _list_like(value, default: list, key: tuple, where: Where, free, custom) -> list:
    if not isinstance(value, list):
        hint = (f"写成列表：{key_text(key)} = [{_shown(value)}]。", f"Write a list: {key_text(key)} = "
                f"[{_shown(value)}].") if isinstance(value, (str, int, float)) else ("", "")
        raise where.fail(key, value, "须为列表 [ … ]", "must be a list [ … ]", *hint)
    if default and isinstance(default[0], Mapping):
        # A list of tables whose entries differ (e.g. bans by industry or by facility): each a table, its
        # values checked by their names; the entries' keys are the owner's to check.
        return [_loose_table(v, key[:-1] + (f"{key[-1]}[{i}]",), where) for i, v in enumerate(value, start=1)]
    if default and not str(key[-1]).endswith("industries"):
        return [like(v, default[0], key[:-1] + (f"{key[-1]}[{i}]",), where, free=free, custom=custom)
                for i, v in enumerate(value, start=1)]
    for i, v in enumerate(value, start=1):  # industry codes (written 25 or "25"), or an empty default's items
        if isinstance(v, bool) or not isinstance(v, (str, int)):
            raise where.fail(key[:-1] + (f"{key[-1]}[{i}]",), v, "须为文本或整数", "must be text or a whole number")
    return list(value)


def _loose_table(value, key: tuple, where: Where) -> dict:
    """A table of any keys: numbers finite and in the range their names imply, lists of texts or codes."""
    out = {}
    for k, v in table(value, key, where).items():
        sub = key + (str(k),)
        if isinstance(v, bool):
            out[k] = v
        elif isinstance(v, (int, float)):
            out[k] = like(v, v, sub, where)
        elif isinstance(v, list):
            out[k] = _list_like(v, [], sub, where, (), None)
        else:
            out[k] = v
    return out


def _table_like(value, default: Mapping, key: tuple, where: Where, free, custom) -> dict:
    is_free = key in set(map(tuple, free))
    t = table(value, key, where, None if is_free else list(default))
    sample = next(iter(default.values()), None)
    out = {}
    for k, v in t.items():
        base = default.get(k, sample) if is_free else default[k]
        out[k] = like(v, base, key + (str(k),), where, free=free, custom=custom) if base is not None else v
    return out


def option_number(value, option: str, *, minimum: float | None = None, maximum: float | None = None,
                  above: float | None = None, integer: bool = False, unit_zh: str = "", unit_en: str = ""):
    """A command-line number where it reaches the library: as :func:`number`, the ``option`` named, its unit hinted."""
    hint = (f"单位：{unit_zh}。", f"Unit: {unit_en}.") if unit_zh else ("", "")
    where = Where(option, error=ConfigError, hint_zh=hint[0], hint_en=hint[1])
    return number(value, option, where, minimum=minimum, maximum=maximum, above=above, integer=integer)
