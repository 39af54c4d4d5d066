"""Tests of gis/domain/industry.py: GB/T 4754-2017 codes and the plan's 1+3+X categories."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gis.domain import industry as ind
from gis.errors import FieldError

# --- the division table ------------------------------------------------------


def test_table_covers_every_division_01_to_97():
    assert [d.code for d in ind.DIVISIONS] == [f"{n:02d}" for n in range(1, 98)]
    assert {d.section for d in ind.DIVISIONS} == {s.letter for s in ind.SECTIONS}
    assert ind.MANUFACTURING_DIVISIONS == {f"{n}" for n in range(13, 44)}


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
        ind.category(pd.Series(["13", "ABC", 98], index=["a", "b", "c"]))
    assert "b: 'ABC'" in err.value.message_en and "c: 98" in err.value.message_en
    assert "2 个" in err.value.message_zh


def test_vectorised_na_handling():
    codes = pd.Series(["3731", None, np.nan, "12", "13", "43", "44"], index=list("abcdefg"))
    assert ind.division(codes).tolist() == ["37", pd.NA, pd.NA, "12", "13", "43", "44"]
    man = ind.is_manufacturing(codes)
    assert man.dtype == "boolean" and list(man.index) == list("abcdefg")
    assert man.tolist() == [True, pd.NA, pd.NA, False, True, True, False]
    assert ind.category(codes).isna().tolist() == [False, True, True, False, False, False, False]
    assert ind.matches_any(codes, ["37"]).tolist() == [True, pd.NA, pd.NA, False, False, False, False]
    assert ind.division_name(codes, "en").iloc[1] is pd.NA
    assert ind.is_manufacturing(None) is pd.NA
    assert ind.category(pd.Series([], dtype=object)).empty


# --- manufacturing and categories ------------------------------------------------


@pytest.mark.parametrize("code, expected", [("12", False), ("13", True), ("1310", True), ("43", True),
                                            ("4342", True), ("44", False), ("0511", False), (36, True)])
def test_manufacturing_boundaries(code, expected):
    assert ind.is_manufacturing(code) is expected


@pytest.mark.parametrize(
    "code, cat",
    [
        ("3731", "marine_equipment"),  # 金属船舶制造
        ("3737", "marine_equipment"),  # 海洋工程装备制造
        ("373", "marine_equipment"),
        ("3730", "marine_equipment"),  # group 373 written padded
        ("3513", "marine_equipment"),  # 深海石油钻探设备制造
        ("4342", "marine_equipment"),  # 船舶修理
        ("3710", "other_manufacturing"),  # railway: division 37 is not marine as a whole
        ("37", "other_manufacturing"),
        ("3512", "other_manufacturing"),
        ("1310", "agri_food"),
        ("15", "agri_food"),
        ("16", "other_manufacturing"),  # tobacco
        ("36", "auto_parts"),
        ("3670", "auto_parts"),
        ("3381", "light_kitchen"),  # 金属制厨房用器具制造
        ("3854", "light_kitchen"),  # 家用厨房电器具制造
        ("21", "light_kitchen"),
        ("3851", "light_kitchen"),
        ("38", "other_manufacturing"),
        ("3921", "emerging_x"),  # 通信系统设备制造 (5G)
        ("3491", "emerging_x"),  # 工业机器人制造
        ("64", "emerging_x"),
        ("6513", "emerging_x"),
        ("7720", "emerging_x"),
        ("26", "other_manufacturing"),
        ("51", "other"),
        ("0511", "other"),
    ],
)
def test_category(code, cat):
    assert ind.category(code) == cat


def test_every_manufacturing_division_has_a_category():
    cats = ind.category(pd.Series(sorted(ind.MANUFACTURING_DIVISIONS)))
    assert cats.notna().all() and not (cats == "other").any()


def test_category_prefixes_are_valid_and_unique():
    prefixes = [p for p, _ in ind.CATEGORY_PREFIXES]
    assert len(prefixes) == len(set(prefixes))
    assert all(ind.normalise_code(p) == p for p in prefixes)
    assert {k for _, k in ind.CATEGORY_PREFIXES} <= {c.key for c in ind.CATEGORIES}


def test_category_overrides():
    assert ind.category("4023") == "other_manufacturing"
    assert ind.category("4023", overrides={"4023": "marine_equipment"}) == "marine_equipment"
    with pytest.raises(FieldError, match="Unknown industry category"):
        ind.category("13", overrides={"13": "shipbuilding"})


@pytest.mark.parametrize(
    "cat, group, name_zh, target_yi",
    [
        ("marine_equipment", "1", "海洋装备", 1000),
        ("agri_food", "3", "绿色食品加工", 20),
        ("auto_parts", "3", "汽车及零部件", 30),
        ("light_kitchen", "3", "轻工及厨具", 20),
        ("emerging_x", "X", None, 30),
        ("other_manufacturing", None, None, None),
        ("other", None, None, None),
    ],
)
def test_category_info(cat, group, name_zh, target_yi):
    info = ind.category_info(cat)
    assert info["key"] == cat and info["group"] == group and info["target_year"] == 2025
    assert info["target_yi"] == target_yi
    assert info["name_zh"] and info["name_en"]
    if name_zh:
        assert info["name_zh"] == name_zh


def test_category_info_unknown():
    with pytest.raises(FieldError) as err:
        ind.category_info("steel")
    assert "marine_equipment" in err.value.message_en


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
