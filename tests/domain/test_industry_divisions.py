"""Tests of gis/domain/industry_divisions.py: the GB/T 4754-2017 sections and divisions table."""

from __future__ import annotations

from gis.domain.industry import MANUFACTURING_DIVISIONS
from gis.domain.industry_divisions import DIVISIONS, SECTIONS


def test_table_covers_every_division_01_to_97():
    assert [d.code for d in DIVISIONS] == [f"{n:02d}" for n in range(1, 98)]
    assert {d.section for d in DIVISIONS} == {s.letter for s in SECTIONS}
    assert MANUFACTURING_DIVISIONS == {f"{n}" for n in range(13, 44)}


def test_sections_are_a_to_t_in_order_and_named():
    assert "".join(s.letter for s in SECTIONS) == "ABCDEFGHIJKLMNOPQRST"
    assert all(s.name_zh and s.name_en for s in SECTIONS)
    assert all(d.name_zh and d.name_en for d in DIVISIONS)


def test_divisions_run_through_their_sections_in_order():
    letters = [d.section for d in DIVISIONS]
    assert letters == sorted(letters)
