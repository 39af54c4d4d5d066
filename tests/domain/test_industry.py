"""Tests of gis/domain/industry.py: GB/T 4754-2017 codes parsed, validated, looked up and matched."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gis.domain import industry as ind
from gis.domain.industry_categories import category
from gis.errors import FieldError

# --- division names and sections ----------------------------------------------


@pytest.mark.parametrize(
    "code, name_zh, name_en",
    [
        ("13", "农副食品加工业", "Processing of Food from Agricultural Products"),
        ("36", "汽车制造业", "Manufacture of Automobiles"),
        ("37", "铁路、船舶、航空航天和其他运输设备制造业",
         "Manufacture of Railway, Ship, Aerospace and Other Transport Equipment"),
        ("26", "化学原料和化学制品制造业", "Manufacture of Raw Chemical Materials and Chemical Products"),
        ("65", "软件和信息技术服务业", "Software and Information Technology Services"),
        ("79", "土地管理业", "Land Management"),
        ("0511", "农、林、牧、渔专业及辅助性活动",
         "Professional and Support Activities for Agriculture, Forestry, Animal Husbandry and Fishery"),
    ],
)
def test_division_names(code, name_zh, name_en):
    assert ind.division_name(code) == name_zh
    assert ind.division_name(code, lang="en") == name_en


@pytest.mark.parametrize("code, section", [("0511", "A"), ("12", "B"), ("3731", "C"), ("65", "I"), ("97", "T")])
def test_section(code, section):
    assert ind.section(code) == section


# --- normalising one code ----------------------------------------------------


@pytest.mark.parametrize(
    "raw, code",
    [
        ("3731", "3731"),
        ("0511", "0511"),  # leading zero kept
        ("051", "051"),
        (" 36 ", "36"),
        ("３７３１", "3731"),  # full-width digits
        ("C3731", "3731"),  # section letter as registers print it
        ("c 37", "37"),
        (13, "13"),
        (5, "05"),  # '05' stored as a number
        (3731, "3731"),
        (13.0, "13"),  # Excel float
        (np.float64(3670.0), "3670"),
        (np.int64(36), "36"),
        ("3670.0", "3670"),  # float column written out as text
        ("0511.0", "0511"),
    ],
)
def test_normalise_code(raw, code):
    assert ind.normalise_code(raw) == code


@pytest.mark.parametrize(
    "raw, reason_en",
    [
        ("ABC", "not a numeric code"),
        ("98", "98 is not a division"),
        ("1", "1 digit"),
        ("12345", "5 digits"),
        ("00", "00 is not a division"),
        ("0011", "00 is not a division"),
        (511, "ambiguous"),  # 0511 without its zero, or group 511
        ("511.0", "ambiguous"),
        (3670.5, "not a whole number"),
        (-13, "negative"),
        (True, "boolean"),
        ("B36", "section letter B"),
        ("3731 金属船舶制造", "not a numeric code"),
    ],
)
def test_malformed_code_raises_bilingual(raw, reason_en):
    with pytest.raises(FieldError) as err:
        ind.normalise_code(raw)
    e = err.value
    assert reason_en in e.message_en
    assert "01–97" in e.message_en and "01–97" in e.message_zh  # says what a valid code looks like
    assert "无效" in e.message_zh
    assert e.hint_zh and e.hint_en


@pytest.mark.parametrize("raw", [None, "", "  ", np.nan, pd.NA])
def test_missing_code_raises_when_one_is_required(raw):
    with pytest.raises(FieldError, match="empty"):
        ind.normalise_code(raw)


# --- columns -------------------------------------------------------------------


def test_validate_codes_flags_instead_of_raising():
    raw = pd.Series(["3731", None, "", "ABC", 13.0, np.nan, "0511", 511, pd.NA, "nan"],
                    index=[f"p{i}" for i in range(10)], name="industry")
    codes, errors = ind.validate_codes(raw)
    assert codes.dtype == "string" and errors.dtype == bool
    assert list(codes.index) == list(raw.index)
    assert codes.tolist() == ["3731", pd.NA, pd.NA, pd.NA, "13", pd.NA, "0511", pd.NA, pd.NA, pd.NA]
    assert errors[errors].index.tolist() == ["p3", "p7"]  # ABC and the ambiguous 511


def test_validate_codes_duplicate_index_and_plain_list():
    codes, errors = ind.validate_codes(pd.Series(["13", "x"], index=[7, 7]))
    assert codes.tolist() == ["13", pd.NA] and errors.tolist() == [False, True]
    codes, errors = ind.validate_codes(["36", 36, 36.0])
    assert codes.tolist() == ["36"] * 3 and not errors.any()


def test_vectorised_functions_name_bad_rows():
    with pytest.raises(FieldError) as err:
        category(pd.Series(["13", "ABC", 98], index=["a", "b", "c"]))
    assert "b: 'ABC'" in err.value.message_en and "c: 98" in err.value.message_en
    assert "2 个" in err.value.message_zh


def test_vectorised_na_handling():
    codes = pd.Series(["3731", None, np.nan, "12", "13", "43", "44"], index=list("abcdefg"))
    assert ind.division(codes).tolist() == ["37", pd.NA, pd.NA, "12", "13", "43", "44"]
    man = ind.is_manufacturing(codes)
    assert man.dtype == "boolean" and list(man.index) == list("abcdefg")
    assert man.tolist() == [True, pd.NA, pd.NA, False, True, True, False]
    assert category(codes).isna().tolist() == [False, True, True, False, False, False, False]
    assert ind.matches_any(codes, ["37"]).tolist() == [True, pd.NA, pd.NA, False, False, False, False]
    assert ind.division_name(codes, "en").iloc[1] is pd.NA
    assert ind.is_manufacturing(None) is pd.NA
    assert category(pd.Series([], dtype=object)).empty


# --- manufacturing ---------------------------------------------------------------


@pytest.mark.parametrize("code, expected", [("12", False), ("13", True), ("1310", True), ("43", True),
                                            ("4342", True), ("44", False), ("0511", False), (36, True)])
def test_manufacturing_boundaries(code, expected):
    assert ind.is_manufacturing(code) is expected


# --- matches_any ------------------------------------------------------------------

CHEMICAL = ["25", "26", "28", "2710"]  # e.g. a siting rule's chemical projects


@pytest.mark.parametrize(
    "code, listed, expected",
    [
        ("2710", CHEMICAL, True),  # the listed class itself
        ("2720", CHEMICAL, False),  # a sibling class of the listed one
        ("27", CHEMICAL, False),  # the bare division may or may not be 2710
        ("2710", ["27"], True),  # a listed division covers its classes
        ("2720", ["27"], True),
        ("27", ["27"], True),
        ("2614", CHEMICAL, True),
        ("261", CHEMICAL, True),
        ("2500", CHEMICAL, True),
        ("3731", ["3730"], True),  # padded group 373
        ("3731", ["3700"], True),  # padded division 37
        ("3731", ["3732"], False),
        ("0511", ["05"], True),
        ("13", [], False),
    ],
)
def test_matches_any(code, listed, expected):
    assert ind.matches_any(code, listed) is expected


def test_matches_any_listed_as_text_and_vectorised():
    codes = pd.Series(["2710", "27", "2720", "2614", None, 3731.0], index=[10, 11, 12, 13, 14, 15])
    got = ind.matches_any(codes, "25, 26，28；2710")
    assert got.dtype == "boolean" and list(got.index) == list(codes.index)
    assert got.tolist() == [True, False, False, True, pd.NA, False]


def test_matches_any_rejects_a_bad_listed_code():
    with pytest.raises(FieldError) as err:
        ind.matches_any("13", "25, 2x")
    assert "'2x'" in err.value.message_en


def test_parse_code_list():
    assert ind.parse_code_list("3731, 3737、36；0511 3731") == ("3731", "3737", "36", "0511")
    assert ind.parse_code_list([13, "C36", None]) == ("13", "36")
    assert ind.parse_code_list("") == ()
    with pytest.raises(FieldError) as err:
        ind.parse_code_list("13,98", what_zh="园区主导产业", what_en="park leading_industries")
    assert "园区主导产业" in err.value.message_zh and "park leading_industries" in err.value.message_en
