"""Names of GB/T 4754-2017 codes at their own level: a class by its class name, a group by its group's.

``3731`` is 金属船舶制造 (a class), not its division 铁路、船舶、航空航天和其他运输设备制造业.
A code is named at the most specific level the standard knows
(:mod:`gis.domain.industry_classes`, :mod:`gis.domain.industry_divisions`):

* a class: its name (``3731 金属船舶制造``);
* a group (3 digits, or 4 digits ending in 0 for a subdivided group, as
  registers pad it: ``1310`` means group 131 since 2017): the group's name, marked
  中类 / group;
* a code below a real division whose class or group the standard does not list
  (``3738``): the nearest level that exists, and the label says so;
* a division: its name.

The English label has the division's official English name (there is none for
groups and classes) after the Chinese name of the group or class.
"""

from __future__ import annotations

from typing import Any

from gis.domain.industry import map_codes, prefix_key
from gis.domain.industry_classes import parse
from gis.domain.industry_divisions import DIVISIONS

__all__ = ["industry_label", "code_level"]

_DIVISIONS = {d.code: d for d in DIVISIONS}


def code_level(code: str) -> tuple[str, str, str]:
    """(level, code at that level, Chinese name) of a normalised code: level is class/group/division.

    Parameters
    ----------
    code : str
        A normalised code (:func:`gis.domain.industry.normalise_code`).
    """
    groups, classes = parse()
    if len(code) == 4 and code in classes:
        return "class", code, classes[code]
    short = prefix_key(code)
    if len(short) >= 3 and short[:3] in groups:
        return "group", short[:3], groups[short[:3]]
    return "division", code[:2], _DIVISIONS[code[:2]].name_zh


def _label(code: str, lang: str) -> str:
    level, at, name = code_level(code)
    div = _DIVISIONS[code[:2]]
    if level == "division" and len(prefix_key(code)) == 2:
        return f"{code} {div.name_zh if lang == 'zh' else div.name_en}"
    if level == "class":
        tag_zh = tag_en = ""
    elif level == "group" and (code == at or prefix_key(code) == at):
        tag_zh, tag_en = f"（中类 {at}）", f" (group {at})"
    else:  # not in the standard: say which level stands in for it
        what = {"group": ("中类", "group"), "division": ("大类", "division")}[level]
        missing_zh = "小类" if len(code) == 4 else "中类"
        missing_en = "class" if len(code) == 4 else "group"
        tag_zh = f"（{what[0]} {at}；{missing_zh} {code} 不在标准中）"
        tag_en = f" ({what[1]} {at}; {missing_en} {code} is not in the standard)"
    if lang == "zh":
        return f"{code} {name}{tag_zh}"
    return f"{code} {name}{tag_en}, in {div.name_en}"


def industry_label(codes: Any, lang: str = "zh") -> Any:
    """Each code with the name of its own level, for people (zh or en).

    Parameters
    ----------
    codes : scalar, Series or array-like
        Codes in any form :func:`gis.domain.industry.normalise_code` accepts.
    lang : {"zh", "en"}

    Returns
    -------
    str or Series of dtype ``"string"``
        ``industry_label("3731")`` → ``'3731 金属船舶制造'``; in English
        ``'3731 金属船舶制造, in Manufacture of Railway, Ship, Aerospace and Other Transport
        Equipment'``; ``industry_label("3738")`` → ``'3738 船舶及相关装置制造（中类 373；小类 3738
        不在标准中）'``. NA stays NA.
    """
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    return map_codes(codes, lambda c: _label(c, lang), "string")
