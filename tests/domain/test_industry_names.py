"""Industry labels at the code's own level, with the fallback said."""

from __future__ import annotations

import pandas as pd
import pytest

from gis.domain.industry_names import code_level, industry_label


@pytest.mark.parametrize("code, zh", [
    ("3731", "3731 金属船舶制造"),
    ("1310", "1310 谷物磨制（中类 131）"),           # a padded group (2011's class): the group since 2017
    ("3610", "3610 汽车整车制造（中类 361）"),
    ("373", "373 船舶及相关装置制造（中类 373）"),
    ("37", "37 铁路、船舶、航空航天和其他运输设备制造业"),
    ("3738", "3738 船舶及相关装置制造（中类 373；小类 3738 不在标准中）"),
    ("318", "318 黑色金属冶炼和压延加工业（大类 31；中类 318 不在标准中）"),
    ("C3731", "3731 金属船舶制造"),
])
def test_label_names_the_codes_own_level(code, zh):
    assert industry_label(code) == zh


def test_english_label_adds_the_division():
    en = industry_label("3731", "en")
    assert en == "3731 金属船舶制造, in Manufacture of Railway, Ship, Aerospace and Other Transport Equipment"
    assert "class 3738 is not in the standard" in industry_label("3738", "en")
    assert industry_label("26", "en") == "26 Manufacture of Raw Chemical Materials and Chemical Products"


def test_series_and_missing():
    s = industry_label(pd.Series(["3731", None, "2614"]))
    assert s.tolist()[0] == "3731 金属船舶制造" and pd.isna(s.iloc[1]) and s.iloc[2] == "2614 有机化学原料制造"
    assert code_level("3620") == ("class", "3620", "汽车用发动机制造")
