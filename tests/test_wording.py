"""Recurring texts are worded once (gis/wording.py) and unit factors defined once (gis/units.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gis.units import M2_PER_MU, YI_PER_WAN
from gis.wording import ILLUSTRATIVE_LABEL, ILLUSTRATIVE_NOTE, bilingual, illustrative_layers_note, wrapped

GIS = Path(__file__).resolve().parents[1] / "gis"
SOURCES = [p for p in GIS.rglob("*") if p.suffix in (".py", ".j2", ".js", ".html") and "assets" not in p.parts]


@pytest.mark.parametrize("phrase", ["非官方", "not official", "仅供参考"])
def test_illustrative_note_is_worded_once(phrase):
    where = [str(p.relative_to(GIS)) for p in SOURCES if phrase in p.read_text(encoding="utf-8")]
    assert where == ["wording.py"], f"'{phrase}' worded outside gis/wording.py: {where}"


@pytest.mark.parametrize("literal", [r"666\.6", r"10_?000\.0 / 15", r"MU_M2"])
def test_unit_factors_are_defined_once(literal):
    where = [str(p.relative_to(GIS)) for p in SOURCES if re.search(literal, p.read_text(encoding="utf-8"))]
    assert where in ([], ["units.py"]), f"unit factor {literal} defined outside gis/units.py: {where}"


def test_factors():
    assert YI_PER_WAN * 10_000 == pytest.approx(1.0)
    assert 15 * M2_PER_MU == pytest.approx(10_000.0)


def test_texts():
    assert bilingual(ILLUSTRATIVE_LABEL) == "示意数据 / illustrative data"
    zh, en = illustrative_layers_note([("园区", "parks"), ("乡镇集中建设区", "construction areas")])
    assert zh.startswith("示意图层（非官方边界）：园区、乡镇集中建设区。") and "结论仅供参考" in zh
    assert en.startswith("Illustrative layers, not official boundaries: parks, construction areas.")
    assert illustrative_layers_note([]) == ILLUSTRATIVE_NOTE
    lines = wrapped(("一二三四五六", "one two three four"), zh_width=4, en_width=9).splitlines()
    assert lines == ["一二三四", "五六", "one two", "three", "four"]


def test_no_text_for_people_points_at_internal_documents():
    """Messages, help and data files never say "DESIGN §4": planners do not have that document."""
    import ast

    found = []
    for p in [q for q in SOURCES if q.suffix == ".py"]:
        tree = ast.parse(p.read_text(encoding="utf-8"))
        docs = {id(n.body[0].value) for n in ast.walk(tree)
                if isinstance(n, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                and ast.get_docstring(n) is not None}
        found += [f"{p.relative_to(GIS)}:{n.lineno}" for n in ast.walk(tree)
                  if isinstance(n, ast.Constant) and isinstance(n.value, str) and "DESIGN" in n.value
                  and id(n) not in docs]
    found += [str(p.relative_to(GIS)) for p in GIS.rglob("*.toml") if "DESIGN" in p.read_text(encoding="utf-8")]
    assert found == []


def test_the_layer_set_names_its_illustrative_layers():
    """The embedded default's note names the parks, construction areas and towns, not the real layers."""
    from gis.layers.layerset import load_layers

    ls = load_layers()
    assert ls.illustrative_roles() == ["parks", "construction_areas", "towns"]
    zh, en = ls.illustrative_note()
    assert zh.startswith("示意图层（非官方边界）：产业园区（104 区块）、乡镇集中建设区、乡镇。") and "区界" not in zh
    assert "towns" in en.lower() and ". The results are indicative" in en
