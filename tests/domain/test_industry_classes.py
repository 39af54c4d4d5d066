"""The GB/T 4754-2017 groups and classes table: counts per level, known entries, structure."""

from __future__ import annotations

from collections import Counter

import pytest

from gis.domain.industry_classes import parse
from gis.domain.industry_divisions import DIVISIONS, SECTIONS


def test_counts_per_level():
    groups, classes = parse()
    assert (len(SECTIONS), len(DIVISIONS), len(groups), len(classes)) == (20, 97, 473, 1381)
    undivided = [g for g in groups if f"{g}0" in classes and not any(c[:3] == g and c[3] != "0" for c in classes)]
    assert len(undivided) == 199


def test_every_code_sits_under_its_parent():
    groups, classes = parse()
    divisions = {d.code for d in DIVISIONS}
    assert all(g[:2] in divisions for g in groups)
    assert all(c[:3] in groups for c in classes)
    assert set(Counter(g[:2] for g in groups)) == divisions  # every division has groups
    assert all(len(n) >= 2 and " " not in n for n in list(groups.values()) + list(classes.values()))


@pytest.mark.parametrize("code, name", [
    ("3731", "金属船舶制造"), ("3737", "海洋工程装备制造"), ("3734", "船用配套设备制造"),
    ("1311", "稻谷加工"), ("1371", "蔬菜加工"), ("3611", "汽柴油车整车制造"), ("3612", "新能源车整车制造"),
    ("3670", "汽车零部件及配件制造"), ("3311", "金属结构制造"), ("2614", "有机化学原料制造"),
    ("2710", "化学药品原料药制造"), ("0391", "兔的饲养"), ("0511", "种子种苗培育活动"),
    ("3445", "液力动力机械元件制造"),
    ("3973", "集成电路制造"), ("6450", "互联网数据服务"), ("7289", "其他会议、会展及相关服务"), ("9700", "国际组织"),
])
def test_known_classes(code, name):
    assert parse()[1][code] == name


@pytest.mark.parametrize("code, name", [("131", "谷物磨制"), ("361", "汽车整车制造"), ("373", "船舶及相关装置制造"),
                                        ("203", "木质制品制造"), ("905", "文化体育娱乐活动与经纪代理服务")])
def test_known_groups(code, name):
    assert parse()[0][code] == name


def test_2011_classes_split_in_2017_are_groups_now():
    groups, classes = parse()
    assert "1310" not in classes and "3610" not in classes  # 2011's 谷物磨制 and 汽车整车制造 classes
    assert {c for c in classes if c.startswith("131")} == {"1311", "1312", "1313", "1314", "1319"}
