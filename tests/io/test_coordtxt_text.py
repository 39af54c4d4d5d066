"""Tests of gis/io/coordtxt/text.py: recognising, decoding and parsing a boundary-coordinate file."""

from __future__ import annotations

import pytest
from coordtxt_samples import DATA, header, samples, west_block, write

from gis.errors import InputError
from gis.io.coordtxt import read_coordtxt
from gis.io.coordtxt.text import decode_text, is_coordtxt, parse_text


def test_is_coordtxt(tmp_path):
    for name in samples.samples():
        assert is_coordtxt(DATA / name), name
    assert not is_coordtxt(write(tmp_path, '{"type": "FeatureCollection"}', "a.geojson"))
    assert not is_coordtxt(tmp_path / "missing.txt")


def test_utf8_bom_and_lf():
    raw = (DATA / "east_zone41_bom.txt").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" not in raw
    gdf, _ = read_coordtxt(DATA / "east_zone41_bom.txt")
    assert gdf["name"].iloc[0] == "陈家镇地块"


def test_wrong_encoding_is_refused():
    with pytest.raises(InputError):
        read_coordtxt(DATA / "two_blocks_hole.txt", encoding="ascii")


def test_malformed_point_line_names_its_line(tmp_path):
    text = header() + west_block().replace("J3,1,", "J3,1,abc", 1)
    with pytest.raises(InputError) as exc:
        read_coordtxt(write(tmp_path, text))
    assert "line 12" in exc.value.message_en  # header on line 9, J3 on 12


def test_no_blocks_is_refused(tmp_path):
    with pytest.raises(InputError):
        read_coordtxt(write(tmp_path, header()))


SMALL = """[属性描述]
坐标系＝2000国家大地坐标系
带号=40
【地块坐标】
4,0.0100,A,甲,面,@
J1,1,3500000,40500000
J2,1，3500000,40500010
J3,1,3500010,40500010
J1,1,3500000,40500000
"""


def test_parse_keeps_lines_and_reads_full_width_forms():
    p = parse_text(SMALL, "small.txt")
    assert p.header == {"坐标系": "2000国家大地坐标系", "带号": "40"} and p.key_line["带号"] == 3
    assert p.blocks == [(5, ["4", "0.0100", "A", "甲", "面"])]
    assert p.pt_line == [6, 7, 8, 9] and p.x == [3500000.0] * 2 + [3500010.0, 3500000.0]
    assert p.rings == [[0, 1, True, 6, 9]]  # block 0, 圈号 1, closed, lines 6–9


def test_a_caption_before_the_first_block_is_skipped_with_a_note():
    text = SMALL.replace("4,0.0100", "点号,圈号,X坐标,Y坐标\n4,0.0100")
    p = parse_text(text, "small.txt")
    assert [line for line, _ in p.notes] == [5] and len(p.blocks) == 1


def test_a_point_before_the_first_block_is_refused():
    text = SMALL.replace("4,0.0100,A,甲,面,@\n", "")
    with pytest.raises(InputError, match="line 5"):
        parse_text(text, "small.txt")


@pytest.mark.parametrize("encoding, used", [("utf-16", "utf-16"), ("gbk", "gb18030"), ("utf-8", "utf-8")])
def test_decode_detects_the_encoding(encoding, used):
    assert decode_text(SMALL.encode(encoding), None, "x.txt") == (SMALL, used)


@pytest.mark.parametrize("name", ["long_project_header.txt", "fullwidth_brackets.txt"])
def test_sections_late_or_in_full_width_brackets_are_recognised(name):
    """The sniff used to read 1 KB and look for ASCII brackets only; the reader parses both files."""
    from gis.io.vector import read_vector

    raw = (DATA / name).read_bytes()
    assert name != "long_project_header.txt" or raw.index("[属性描述]".encode("gbk")) > 1024
    assert is_coordtxt(DATA / name)
    assert len(read_vector(DATA / name)) == 1


def test_a_text_without_sections_is_not_one(tmp_path):
    assert not is_coordtxt(write(tmp_path, "[项目信息]\n名称=x\n" * 50, "other.txt"))
