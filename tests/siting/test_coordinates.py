"""Typed coordinates (gis.siting.coordinates): "LON,LAT" → two numbers, or a bilingual error."""

from __future__ import annotations

import pytest

from gis.errors import InputError
from gis.siting.coordinates import parse_lonlat


@pytest.mark.parametrize("bad", ["121.4", "121.4,abc", "31.6,121.5", "200,31", "121.4,31.6,5", "nan,31"])
def test_malformed_coordinates(bad):
    with pytest.raises(InputError):
        parse_lonlat(bad)


def test_parse_lonlat_forms():
    assert parse_lonlat("121.5,31.6") == (121.5, 31.6)
    assert parse_lonlat(" 121.5，31.6 ") == (121.5, 31.6)     # full-width comma
    assert parse_lonlat("121.5 31.6") == (121.5, 31.6)
    assert parse_lonlat((121.5, 31.6)) == (121.5, 31.6)


def test_letters_are_not_a_number():
    with pytest.raises(InputError) as e:
        parse_lonlat("abc,def")
    assert "含非数字内容" in e.value.message_zh and "not a number" in e.value.message_en
    assert "WKT" not in e.value.message_en


def test_swapped_pair_says_so_and_gives_the_right_order():
    with pytest.raises(InputError) as e:
        parse_lonlat("31.6,121.5")
    assert "写反" in e.value.message_zh and "swapped" in e.value.message_en
    assert "--lonlat 121.5,31.6" in e.value.hint_en


def test_projected_metres_point_to_wkt():
    with pytest.raises(InputError) as e:
        parse_lonlat("350000,3500000")
    assert "--wkt" in e.value.hint_en
