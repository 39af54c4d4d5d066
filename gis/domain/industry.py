"""Industry codes: GB/T 4754-2017 (国民经济行业分类) and the plan's 1+3+X categories.

DESIGN §1: any valid code is accepted — 2 to 4 digits whose first two digits are
a division (大类) 01–97; a 4-digit class (小类) belongs to its 3-digit group
(中类) and 2-digit division; manufacturing is divisions 13–43; a malformed code
is an error. The full table of ≈1,380 classes is not shipped: only the 97
divisions (with their section 门类 A–T and official names) are, so a well-formed
3/4-digit code under a real division is accepted even if the class does not
exist in the standard.

Every number 01–97 is a division of the 2017 edition (79 土地管理业 and the
renumbering of sections O–T filled the gaps of the 2011 edition), so "any code
01–97" and "a division of the standard" are the same set; the table below is
checked to be contiguous.

Input forms accepted by :func:`normalise_code` (all give the digits as text):

* text ``'3731'``, ``'0511'``, ``' 36 '``, full-width ``'３７３１'``: kept as
  typed (leading zeros kept); 2–4 digits;
* text with its section letter, ``'C3731'`` / ``'C 37'``, as statistical
  registers print it; the letter must be the division's section;
* integers and integral floats (Excel stores ``0511`` as the number 511):
  1–2 digits are a division (``5`` → ``'05'``, ``13.0`` → ``'13'``), 4 digits a
  class (``3731`` → ``'3731'``). A **3-digit number is refused**: 511 is either
  the class ``'0511'`` that lost its leading zero or the group ``'511'`` (a
  wholesale group), and guessing would silently file a farm service under
  wholesale. ``'13.0'`` as text (a float column written out as text) follows
  the number rules unless it keeps a leading zero (``'0511.0'`` → ``'0511'``).

Missing values (None, NaN, ``pd.NA``, blank text, and the text ``'nan'``,
``'None'``, ``'<NA>'`` left by a careless ``astype(str)``) are missing, not
errors, in :func:`validate_codes` and the vectorised functions (they give NA).

The 1+3+X categories (:func:`category`) are decided by the longest code prefix
in :data:`CATEGORY_PREFIXES`, whose comments give the reason for each entry; a
planner with a finer view passes ``overrides`` rather than editing the table.
"""

from __future__ import annotations

import math
import numbers
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from gis.errors import FieldError

__all__ = [
    "Section",
    "Division",
    "Category",
    "SECTIONS",
    "DIVISIONS",
    "CATEGORIES",
    "CATEGORY_PREFIXES",
    "MANUFACTURING_DIVISIONS",
    "normalise_code",
    "validate_codes",
    "ensure_codes",
    "parse_code_list",
    "division",
    "section",
    "division_name",
    "is_manufacturing",
    "category",
    "category_info",
    "matches_any",
]


class Section(NamedTuple):
    """A section (门类) of GB/T 4754-2017."""

    letter: str
    name_zh: str
    name_en: str


class Division(NamedTuple):
    """A division (大类) of GB/T 4754-2017: 2-digit code, its section, names."""

    code: str
    section: str
    name_zh: str
    name_en: str


class Category(NamedTuple):
    """A category of the plan's 1+3+X industry system (DESIGN §1).

    ``group`` is the plan's ``"1"``, ``"3"`` or ``"X"`` (None for the rest);
    ``target_2025_yi`` is the 2025 output target in 亿元 (None when the plan sets none).
    """

    key: str
    group: str | None
    name_zh: str
    name_en: str
    target_2025_yi: float | None


SECTIONS: tuple[Section, ...] = (
    Section("A", "农、林、牧、渔业", "Agriculture, Forestry, Animal Husbandry and Fishery"),
    Section("B", "采矿业", "Mining"),
    Section("C", "制造业", "Manufacturing"),
    Section("D", "电力、热力、燃气及水生产和供应业", "Production and Supply of Electricity, Heat, Gas and Water"),
    Section("E", "建筑业", "Construction"),
    Section("F", "批发和零售业", "Wholesale and Retail Trades"),
    Section("G", "交通运输、仓储和邮政业", "Transport, Storage and Post"),
    Section("H", "住宿和餐饮业", "Accommodation and Catering"),
    Section("I", "信息传输、软件和信息技术服务业", "Information Transmission, Software and Information Technology Services"),
    Section("J", "金融业", "Finance"),
    Section("K", "房地产业", "Real Estate"),
    Section("L", "租赁和商务服务业", "Leasing and Business Services"),
    Section("M", "科学研究和技术服务业", "Scientific Research and Technical Services"),
    Section("N", "水利、环境和公共设施管理业", "Management of Water Conservancy, Environment and Public Facilities"),
    Section("O", "居民服务、修理和其他服务业", "Resident, Repair and Other Services"),
    Section("P", "教育", "Education"),
    Section("Q", "卫生和社会工作", "Health and Social Work"),
    Section("R", "文化、体育和娱乐业", "Culture, Sports and Entertainment"),
    Section("S", "公共管理、社会保障和社会组织", "Public Management, Social Security and Social Organizations"),
    Section("T", "国际组织", "International Organizations"),
)

# Official Chinese names of GB/T 4754-2017 (with amendment No. 1, 2019, which
# changed no division); English as in the China Statistical Yearbook.
DIVISIONS: tuple[Division, ...] = (
    Division("01", "A", "农业", "Agriculture"),
    Division("02", "A", "林业", "Forestry"),
    Division("03", "A", "畜牧业", "Animal Husbandry"),
    Division("04", "A", "渔业", "Fishery"),
    Division("05", "A", "农、林、牧、渔专业及辅助性活动",
             "Professional and Support Activities for Agriculture, Forestry, Animal Husbandry and Fishery"),
    Division("06", "B", "煤炭开采和洗选业", "Mining and Washing of Coal"),
    Division("07", "B", "石油和天然气开采业", "Extraction of Petroleum and Natural Gas"),
    Division("08", "B", "黑色金属矿采选业", "Mining and Processing of Ferrous Metal Ores"),
    Division("09", "B", "有色金属矿采选业", "Mining and Processing of Non-ferrous Metal Ores"),
    Division("10", "B", "非金属矿采选业", "Mining and Processing of Non-metallic Mineral Ores"),
    Division("11", "B", "开采专业及辅助性活动", "Professional and Support Activities for Mining"),
    Division("12", "B", "其他采矿业", "Other Mining"),
    Division("13", "C", "农副食品加工业", "Processing of Food from Agricultural Products"),
    Division("14", "C", "食品制造业", "Manufacture of Foods"),
    Division("15", "C", "酒、饮料和精制茶制造业", "Manufacture of Liquor, Beverages and Refined Tea"),
    Division("16", "C", "烟草制品业", "Manufacture of Tobacco"),
    Division("17", "C", "纺织业", "Manufacture of Textiles"),
    Division("18", "C", "纺织服装、服饰业", "Manufacture of Textile Wearing Apparel and Clothing"),
    Division("19", "C", "皮革、毛皮、羽毛及其制品和制鞋业",
             "Manufacture of Leather, Fur, Feather and Related Products and Footwear"),
    Division("20", "C", "木材加工和木、竹、藤、棕、草制品业",
             "Processing of Timber, Manufacture of Wood, Bamboo, Rattan, Palm and Straw Products"),
    Division("21", "C", "家具制造业", "Manufacture of Furniture"),
    Division("22", "C", "造纸和纸制品业", "Manufacture of Paper and Paper Products"),
    Division("23", "C", "印刷和记录媒介复制业", "Printing and Reproduction of Recording Media"),
    Division("24", "C", "文教、工美、体育和娱乐用品制造业",
             "Manufacture of Articles for Culture, Education, Arts and Crafts, Sport and Entertainment Activities"),
    Division("25", "C", "石油、煤炭及其他燃料加工业", "Processing of Petroleum, Coal and Other Fuels"),
    Division("26", "C", "化学原料和化学制品制造业", "Manufacture of Raw Chemical Materials and Chemical Products"),
    Division("27", "C", "医药制造业", "Manufacture of Medicines"),
    Division("28", "C", "化学纤维制造业", "Manufacture of Chemical Fibers"),
    Division("29", "C", "橡胶和塑料制品业", "Manufacture of Rubber and Plastics Products"),
    Division("30", "C", "非金属矿物制品业", "Manufacture of Non-metallic Mineral Products"),
    Division("31", "C", "黑色金属冶炼和压延加工业", "Smelting and Pressing of Ferrous Metals"),
    Division("32", "C", "有色金属冶炼和压延加工业", "Smelting and Pressing of Non-ferrous Metals"),
    Division("33", "C", "金属制品业", "Manufacture of Metal Products"),
    Division("34", "C", "通用设备制造业", "Manufacture of General Purpose Machinery"),
    Division("35", "C", "专用设备制造业", "Manufacture of Special Purpose Machinery"),
    Division("36", "C", "汽车制造业", "Manufacture of Automobiles"),
    Division("37", "C", "铁路、船舶、航空航天和其他运输设备制造业",
             "Manufacture of Railway, Ship, Aerospace and Other Transport Equipment"),
    Division("38", "C", "电气机械和器材制造业", "Manufacture of Electrical Machinery and Apparatus"),
    Division("39", "C", "计算机、通信和其他电子设备制造业",
             "Manufacture of Computers, Communication and Other Electronic Equipment"),
    Division("40", "C", "仪器仪表制造业", "Manufacture of Measuring Instruments and Meters"),
    Division("41", "C", "其他制造业", "Other Manufacturing"),
    Division("42", "C", "废弃资源综合利用业", "Utilization of Waste Resources"),
    Division("43", "C", "金属制品、机械和设备修理业", "Repair of Metal Products, Machinery and Equipment"),
    Division("44", "D", "电力、热力生产和供应业", "Production and Supply of Electricity and Heat"),
    Division("45", "D", "燃气生产和供应业", "Production and Supply of Gas"),
    Division("46", "D", "水的生产和供应业", "Production and Supply of Water"),
    Division("47", "E", "房屋建筑业", "Construction of Buildings"),
    Division("48", "E", "土木工程建筑业", "Civil Engineering"),
    Division("49", "E", "建筑安装业", "Construction Installation"),
    Division("50", "E", "建筑装饰、装修和其他建筑业", "Building Decoration, Renovation and Other Construction"),
    Division("51", "F", "批发业", "Wholesale Trade"),
    Division("52", "F", "零售业", "Retail Trade"),
    Division("53", "G", "铁路运输业", "Rail Transport"),
    Division("54", "G", "道路运输业", "Road Transport"),
    Division("55", "G", "水上运输业", "Water Transport"),
    Division("56", "G", "航空运输业", "Air Transport"),
    Division("57", "G", "管道运输业", "Pipeline Transport"),
    Division("58", "G", "多式联运和运输代理业", "Multimodal Transport and Transport Agency"),
    Division("59", "G", "装卸搬运和仓储业", "Loading, Unloading, Handling and Storage"),
    Division("60", "G", "邮政业", "Postal Services"),
    Division("61", "H", "住宿业", "Accommodation"),
    Division("62", "H", "餐饮业", "Catering Services"),
    Division("63", "I", "电信、广播电视和卫星传输服务",
             "Telecommunications, Radio and Television and Satellite Transmission Services"),
    Division("64", "I", "互联网和相关服务", "Internet and Related Services"),
    Division("65", "I", "软件和信息技术服务业", "Software and Information Technology Services"),
    Division("66", "J", "货币金融服务", "Monetary and Financial Services"),
    Division("67", "J", "资本市场服务", "Capital Market Services"),
    Division("68", "J", "保险业", "Insurance"),
    Division("69", "J", "其他金融业", "Other Financial Services"),
    Division("70", "K", "房地产业", "Real Estate"),
    Division("71", "L", "租赁业", "Leasing"),
    Division("72", "L", "商务服务业", "Business Services"),
    Division("73", "M", "研究和试验发展", "Research and Experimental Development"),
    Division("74", "M", "专业技术服务业", "Professional Technical Services"),
    Division("75", "M", "科技推广和应用服务业", "Technology Promotion and Application Services"),
    Division("76", "N", "水利管理业", "Water Conservancy Management"),
    Division("77", "N", "生态保护和环境治理业", "Ecological Protection and Environmental Governance"),
    Division("78", "N", "公共设施管理业", "Public Facilities Management"),
    Division("79", "N", "土地管理业", "Land Management"),
    Division("80", "O", "居民服务业", "Resident Services"),
    Division("81", "O", "机动车、电子产品和日用产品修理业",
             "Repair of Motor Vehicles, Electronic Products and Household Goods"),
    Division("82", "O", "其他服务业", "Other Services"),
    Division("83", "P", "教育", "Education"),
    Division("84", "Q", "卫生", "Health"),
    Division("85", "Q", "社会工作", "Social Work"),
    Division("86", "R", "新闻和出版业", "News and Publishing"),
    Division("87", "R", "广播、电视、电影和录音制作业", "Radio, Television, Film and Sound Recording Production"),
    Division("88", "R", "文化艺术业", "Culture and Arts"),
    Division("89", "R", "体育", "Sports"),
    Division("90", "R", "娱乐业", "Entertainment"),
    Division("91", "S", "中国共产党机关", "Organs of the Communist Party of China"),
    Division("92", "S", "国家机构", "State Organs"),
    Division("93", "S", "人民政协、民主党派", "CPPCC and Democratic Parties"),
    Division("94", "S", "社会保障", "Social Security"),
    Division("95", "S", "群众团体、社会团体和其他成员组织",
             "Mass Organizations, Social Organizations and Other Membership Organizations"),
    Division("96", "S", "基层群众自治组织及其他组织", "Grassroots Self-governing Organizations and Other Organizations"),
    Division("97", "T", "国际组织", "International Organizations"),
)

#: Divisions of section C 制造业 (DESIGN §1: manufacturing is 13–43).
MANUFACTURING_DIVISIONS: frozenset[str] = frozenset(d.code for d in DIVISIONS if d.section == "C")

CATEGORIES: tuple[Category, ...] = (
    Category("marine_equipment", "1", "海洋装备", "Marine equipment", 1000.0),
    Category("agri_food", "3", "绿色食品加工", "Green agri-food processing", 20.0),
    Category("auto_parts", "3", "汽车及零部件", "Automobiles and parts", 30.0),
    Category("light_kitchen", "3", "轻工及厨具", "Light industry and kitchenware", 20.0),
    Category("emerging_x", "X", "新兴产业（5G、在线新经济、人工智能、生产性服务业、节能环保）",
             "Emerging industries (5G, online economy, AI, producer services, environmental/low-carbon)", 30.0),
    Category("other_manufacturing", None, "其他制造业（1+3+X 以外）", "Other manufacturing (outside 1+3+X)", None),
    Category("other", None, "其他行业（非制造业，1+3+X 以外）", "Other (non-manufacturing outside 1+3+X)", None),
)

# (code prefix, category): the longest prefix of a code decides (4 > 3 > 2 digits).
# Plan wording (DESIGN §1): "1 marine equipment; 3 green agri-food processing,
# automobiles & parts, light industry & kitchenware; X emerging industries (5G,
# online economy, AI, producer services, environmental/low-carbon)". A planner
# with a finer view passes ``overrides`` to :func:`category` instead of editing this.
CATEGORY_PREFIXES: tuple[tuple[str, str], ...] = (
    # 1 — marine equipment: the Changxing cluster is shipbuilding, offshore
    # engineering and port machinery. Division 37 as a whole is not marine
    # (railway, aircraft, motorcycles), so only its ship and diving groups are.
    ("373", "marine_equipment"),   # 船舶及相关装置制造 (incl. 3737 海洋工程装备制造)
    ("3513", "marine_equipment"),  # 深海石油钻探设备制造 (3512 is mostly onshore: not marine)
    ("3791", "marine_equipment"),  # 潜水装备制造
    ("3792", "marine_equipment"),  # 水下救捞装备制造
    ("4342", "marine_equipment"),  # 船舶修理
    # Port cranes are the Changxing cluster's second pillar after ships; 3432
    # also covers factory cranes, but in this district those are port machinery.
    ("3432", "marine_equipment"),  # 生产专用起重机制造
    # 3 — green agri-food processing: food, drink and tea; tobacco (16) is not
    # agri-food in the plan's sense and stays other_manufacturing.
    ("13", "agri_food"),  # 农副食品加工业
    ("14", "agri_food"),  # 食品制造业
    ("15", "agri_food"),  # 酒、饮料和精制茶制造业
    # 3 — automobiles & parts: the whole of 36 (3670 汽车零部件及配件制造 included).
    # Parts filed by material (tyres 2911, batteries 384x) keep their own category.
    ("36", "auto_parts"),
    # 3 — light industry & kitchenware: the consumer-goods divisions 17–24, and
    # the household-goods classes of the heavier divisions, kitchenware first.
    ("17", "light_kitchen"),  # 纺织业
    ("18", "light_kitchen"),  # 纺织服装、服饰业
    ("19", "light_kitchen"),  # 皮革、毛皮、羽毛及其制品和制鞋业
    ("20", "light_kitchen"),  # 木材加工和木、竹、藤、棕、草制品业
    ("21", "light_kitchen"),  # 家具制造业
    ("22", "light_kitchen"),  # 造纸和纸制品业
    ("23", "light_kitchen"),  # 印刷和记录媒介复制业
    ("24", "light_kitchen"),  # 文教、工美、体育和娱乐用品制造业
    ("268", "light_kitchen"),  # 日用化学产品制造
    ("2927", "light_kitchen"),  # 日用塑料制品制造
    ("3054", "light_kitchen"),  # 日用玻璃制品制造
    ("3056", "light_kitchen"),  # 玻璃保温容器制造
    ("3072", "light_kitchen"),  # 卫生陶瓷制品制造
    ("3074", "light_kitchen"),  # 日用陶瓷制品制造
    ("3324", "light_kitchen"),  # 刀剪及类似日用金属工具制造
    ("3373", "light_kitchen"),  # 搪瓷卫生洁具制造
    ("3379", "light_kitchen"),  # 搪瓷日用品及其他搪瓷制品制造
    ("338", "light_kitchen"),  # 金属制日用品制造 (3381 厨房用器具, 3382 餐具, 3383 卫生器具)
    ("3594", "light_kitchen"),  # 商业、饮食、服务专用设备制造 (commercial kitchens)
    ("385", "light_kitchen"),  # 家用电力器具制造 (3854 家用厨房电器具)
    ("386", "light_kitchen"),  # 非电力家用器具制造 (3861 燃气灶具)
    ("387", "light_kitchen"),  # 照明器具制造
    ("376", "light_kitchen"),  # 自行车和残疾人座车制造
    ("4030", "light_kitchen"),  # 钟表与计时仪器制造
    ("411", "light_kitchen"),  # 日用杂品制造
    # X — emerging: 5G/AI hardware, robots, environmental and low-carbon
    # equipment; in services, information (63–65), business (72) and science and
    # technology services (73–75) as the producer services, and 77 environment.
    # Transport, finance and leasing are producer services too, but not the
    # emerging ones the plan names: they stay "other".
    ("39", "emerging_x"),  # 计算机、通信和其他电子设备制造业
    ("3491", "emerging_x"),  # 工业机器人制造
    ("3492", "emerging_x"),  # 特殊作业机器人制造
    ("3415", "emerging_x"),  # 风能原动设备制造
    ("3825", "emerging_x"),  # 光伏设备及元器件制造
    ("3591", "emerging_x"),  # 环境保护专用设备制造
    ("4021", "emerging_x"),  # 环境监测专用仪器仪表制造
    ("2666", "emerging_x"),  # 环境污染处理专用药剂材料制造
    ("42", "emerging_x"),  # 废弃资源综合利用业
    ("63", "emerging_x"),  # 电信、广播电视和卫星传输服务
    ("64", "emerging_x"),  # 互联网和相关服务
    ("65", "emerging_x"),  # 软件和信息技术服务业
    ("72", "emerging_x"),  # 商务服务业
    ("73", "emerging_x"),  # 研究和试验发展
    ("74", "emerging_x"),  # 专业技术服务业
    ("75", "emerging_x"),  # 科技推广和应用服务业
    ("77", "emerging_x"),  # 生态保护和环境治理业
    # Not mapped, on purpose: 40 instruments (4023 导航、测绘、气象及海洋专用仪器
    # mixes land survey with marine), 3512 onshore oil equipment, 3841 batteries.
)

_DIVISION_BY_CODE: dict[str, Division] = {d.code: d for d in DIVISIONS}
_CATEGORY_BY_KEY: dict[str, Category] = {c.key: c for c in CATEGORIES}

_FORMAT_ZH = "应为 2–4 位数字、前两位为 01–97 的行业大类（如 '13'、'373'、'3731'、'0511'）"
_FORMAT_EN = "expected 2 to 4 digits starting with a division 01–97 (e.g. '13', '373', '3731', '0511')"
_HINT_ZH = "请按 GB/T 4754-2017 填写行业代码，并以文本格式保存，以免表格软件去掉前导零（0511 变成 511）。"
_HINT_EN = ("Write GB/T 4754-2017 codes and store the column as text, so that spreadsheet software "
            "does not drop leading zeros (0511 becomes 511).")

_MISSING_TEXT = frozenset({"", "nan", "none", "<na>"})
_TEXT_RE = re.compile(r"(?P<letter>[A-Za-z])?\s*(?P<digits>\d+)")
_FLOAT_TEXT_RE = re.compile(r"(?P<digits>\d+)\.0*")


class _Bad(NamedTuple):
    """Why a value is not a code (zh, en)."""

    zh: str
    en: str


_MISSING = object()  # sentinel: a missing value (not an error)


def _check_digits(digits: str, letter: str | None = None) -> str | _Bad:
    if not 2 <= len(digits) <= 4:
        n = len(digits)
        return _Bad(f"位数为 {n}", f"it has {n} digit{'s' if n > 1 else ''}")
    div = _DIVISION_BY_CODE.get(digits[:2])
    if div is None:
        return _Bad(f"前两位 {digits[:2]} 不是 01–97 的行业大类", f"{digits[:2]} is not a division 01–97")
    if letter is not None and letter.upper() != div.section:
        return _Bad(f"门类字母 {letter} 与大类 {div.code} 所属门类 {div.section} 不符",
                    f"section letter {letter} does not match division {div.code}, which is in section {div.section}")
    return digits


def _from_number(n: int) -> str | _Bad:
    if n < 0:
        return _Bad("为负数", "it is negative")
    digits = str(n)
    if len(digits) == 1:  # '05' stored as a number: the only reading
        digits = "0" + digits
    elif len(digits) == 3:
        return _Bad(f"数值 {n} 有歧义：可能是去掉前导零的小类 0{n}，也可能是中类 {n}",
                    f"the number {n} is ambiguous: the class 0{n} without its leading zero, or the group {n}")
    return _check_digits(digits)


def _parse(value: Any) -> str | _Bad | object:
    """Return the normalised code, ``_MISSING`` or a :class:`_Bad` reason."""
    if isinstance(value, (bool, np.bool_)):
        return _Bad("是布尔值", "it is a boolean")
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        if text.lower() in _MISSING_TEXT:
            return _MISSING
        m = _FLOAT_TEXT_RE.fullmatch(text)
        if m:  # a float written out as text: number rules unless a leading zero survived
            digits = m["digits"]
            return _check_digits(digits) if digits.startswith("0") else _from_number(int(digits))
        m = _TEXT_RE.fullmatch(text)
        if m is None:
            return _Bad("不是数字代码", "it is not a numeric code")
        return _check_digits(m["digits"], m["letter"])
    if isinstance(value, numbers.Integral):
        return _from_number(int(value))
    if isinstance(value, numbers.Real):
        x = float(value)
        if math.isnan(x):
            return _MISSING
        if not x.is_integer():
            return _Bad(f"{x:g} 不是整数", f"{x:g} is not a whole number")
        return _from_number(int(x))
    if value is None or value is pd.NA or value is pd.NaT:
        return _MISSING
    return _Bad(f"类型 {type(value).__name__} 不是代码", f"a {type(value).__name__} is not a code")


def _error(value: Any, bad: _Bad, where_zh: str = "", where_en: str = "") -> FieldError:
    return FieldError(
        f"{where_zh}行业代码“{value}”无效（{bad.zh}）：{_FORMAT_ZH}。",
        f"Industry code {value!r}{where_en} is not valid ({bad.en}): {_FORMAT_EN}.",
        _HINT_ZH,
        _HINT_EN,
    )


def normalise_code(code: Any) -> str:
    """Return a GB/T 4754-2017 code as its 2–4 digits (text, leading zeros kept).

    Parameters
    ----------
    code : str, int or float
        ``'3731'``, ``'0511'``, ``' 36 '``, ``'C3731'``, ``13``, ``13.0``, ``3731``…
        (the accepted forms are listed in the module docstring).

    Returns
    -------
    str
        The code, e.g. ``'0511'``.

    Raises
    ------
    FieldError
        For a missing or malformed code (``'ABC'``, ``'98'``, ``'1'``, ``'12345'``,
        ``'00'``, the ambiguous number ``511``), in Chinese and English.
    """
    result = _parse(code)
    if result is _MISSING:
        raise FieldError("行业代码为空。", "The industry code is empty.", _HINT_ZH, _HINT_EN)
    if isinstance(result, _Bad):
        raise _error(code, result)
    return result  # type: ignore[return-value]


def _as_series(values: Any) -> pd.Series:
    if isinstance(values, pd.Series):
        return values
    if pd.api.types.is_scalar(values):  # one code, not the characters of a string
        values = [values]
    return pd.Series(list(values) if not hasattr(values, "dtype") else values, dtype=object)


def validate_codes(values: Iterable[Any]) -> tuple[pd.Series, pd.Series]:
    """Normalise a column of codes, flagging malformed ones instead of raising.

    Parameters
    ----------
    values : Series or array-like
        Raw codes (text, numbers, missing values).

    Returns
    -------
    codes : Series of dtype ``"string"``
        Normalised codes; NA where the value is missing or malformed.
    errors : Series of bool
        True where the value is present but malformed (so callers can report the
        row ids). Both keep the index of ``values``.
    """
    s = _as_series(values)
    # Parse each distinct value once (a column has few distinct codes) and spread
    # the results with one take; missing values factorize to -1 (the last slot).
    labels, uniques = pd.factorize(s.to_numpy(dtype=object), use_na_sentinel=True)
    parsed = [_parse(u) for u in uniques]
    good = np.array([r if isinstance(r, str) else None for r in parsed] + [None], dtype=object)
    bad = np.array([isinstance(r, _Bad) for r in parsed] + [False], dtype=bool)
    codes = pd.Series(pd.array(good[labels], dtype="string"), index=s.index)
    errors = pd.Series(bad[labels], index=s.index, dtype=bool)
    return codes, errors.rename(s.name)


def ensure_codes(values: Iterable[Any], *, field: str = "industry") -> pd.Series:
    """Normalise a column of codes, raising for any malformed one.

    Parameters
    ----------
    values : Series or array-like
        Raw codes; missing values are allowed and stay NA.
    field : str
        Column name used in the message.

    Returns
    -------
    Series of dtype ``"string"``
        The normalised codes, index kept.

    Raises
    ------
    FieldError
        Naming up to five offending rows (index label and value).
    """
    s = _as_series(values)
    codes, errors = validate_codes(s)
    if errors.any():
        bad = s[errors]
        pairs = [f"{i}: {v!r}" for i, v in list(bad.items())[:5]]
        more = f" (+{len(bad) - 5})" if len(bad) > 5 else ""
        raise FieldError(
            f"字段 {field} 有 {len(bad)} 个无效的行业代码（行: 值）：{'、'.join(pairs)}{more}；{_FORMAT_ZH}。",
            f"Field {field} has {len(bad)} invalid industry codes (row: value): {', '.join(pairs)}{more}; "
            f"{_FORMAT_EN}.",
            _HINT_ZH,
            _HINT_EN,
        )
    return codes


def parse_code_list(listed: str | Iterable[Any], *, what_zh: str = "列表", what_en: str = "list") -> tuple[str, ...]:
    """Parse a list of codes, e.g. a park's ``leading_industries`` (``"3731, 3737；36"``).

    Parameters
    ----------
    listed : str or iterable
        Codes; a string is split on commas, semicolons, 、 and spaces (half- or full-width).
    what_zh, what_en : str
        What the list is (e.g. ``"园区主导产业"``, ``"park leading_industries"``), for messages.

    Returns
    -------
    tuple of str
        The normalised codes, in order, duplicates removed.

    Raises
    ------
    FieldError
        For a malformed code in the list.
    """
    if isinstance(listed, str):
        items: list[Any] = [p for p in re.split(r"[,，;；、\s]+", unicodedata.normalize("NFKC", listed)) if p]
    else:
        items = list(listed)
    out: list[str] = []
    for item in items:
        result = _parse(item)
        if isinstance(result, _Bad):
            raise _error(item, result, f"{what_zh}中的", f" in the {what_en}")
        if isinstance(result, str) and result not in out:
            out.append(result)
    return tuple(out)


def _prefix_key(code: str) -> str:
    """Drop padding zeros: '3730' means group 373 and '3700' division 37.

    In GB/T 4754 a class ending in 0 exists only for a group that is not
    subdivided (2710 = group 271), so the padded and the short form cover the
    same classes; statistical registers often write groups and divisions padded.
    """
    while len(code) > 2 and code.endswith("0"):
        code = code[:-1]
    return code


def _map_codes(values: Any, func: Callable[[str], Any], dtype: str) -> Any:
    """Apply ``func`` to each distinct normalised code; scalars in, scalar out."""
    if pd.api.types.is_scalar(values):
        result = _parse(values)
        if result is _MISSING:
            return pd.NA
        if isinstance(result, _Bad):
            raise _error(values, result)
        return func(result)  # type: ignore[arg-type]
    codes = ensure_codes(values)
    labels, uniques = pd.factorize(codes.to_numpy(dtype=object, na_value=None), use_na_sentinel=True)
    mapped = np.array([func(c) for c in uniques] + [pd.NA], dtype=object)
    return pd.Series(pd.array(mapped[labels], dtype=dtype), index=codes.index)


def division(codes: Any) -> Any:
    """Return the 2-digit division of each code (``'3731'`` → ``'37'``); NA stays NA.

    Parameters
    ----------
    codes : scalar, Series or array-like
        Codes in any form :func:`normalise_code` accepts.

    Returns
    -------
    str or Series of dtype ``"string"``
    """
    return _map_codes(codes, lambda c: c[:2], "string")


def section(codes: Any) -> Any:
    """Return the section letter (门类 A–T) of each code; NA stays NA."""
    return _map_codes(codes, lambda c: _DIVISION_BY_CODE[c[:2]].section, "string")


def division_name(codes: Any, lang: str = "zh") -> Any:
    """Return the official name of each code's division.

    Parameters
    ----------
    codes : scalar, Series or array-like
        Codes in any accepted form.
    lang : {"zh", "en"}
        Chinese (official) or English name.

    Returns
    -------
    str or Series of dtype ``"string"``
        E.g. ``division_name("3731")`` → ``'铁路、船舶、航空航天和其他运输设备制造业'``.
    """
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    attr = "name_zh" if lang == "zh" else "name_en"
    return _map_codes(codes, lambda c: getattr(_DIVISION_BY_CODE[c[:2]], attr), "string")


def is_manufacturing(codes: Any) -> Any:
    """Return whether each code is manufacturing (divisions 13–43); NA stays NA.

    Returns
    -------
    bool or Series of dtype ``"boolean"``
    """
    return _map_codes(codes, lambda c: c[:2] in MANUFACTURING_DIVISIONS, "boolean")


def _category_table(overrides: Mapping[str, str] | None) -> dict[str, str]:
    table = {_prefix_key(p): k for p, k in CATEGORY_PREFIXES}
    for prefix, key in (overrides or {}).items():
        if key not in _CATEGORY_BY_KEY:
            raise FieldError(
                f"未知的产业类别“{key}”；可用：{', '.join(_CATEGORY_BY_KEY)}。",
                f"Unknown industry category {key!r}; known: {', '.join(_CATEGORY_BY_KEY)}.",
            )
        table[_prefix_key(normalise_code(prefix))] = key
    return table


def category(codes: Any, overrides: Mapping[str, str] | None = None) -> Any:
    """Return the plan's 1+3+X category key of each code; NA stays NA.

    The longest matching prefix of :data:`CATEGORY_PREFIXES` decides (so 3731 is
    ``marine_equipment`` though division 37 is not); otherwise a manufacturing
    code is ``other_manufacturing`` and any other code ``other``.

    Parameters
    ----------
    codes : scalar, Series or array-like
        Codes in any accepted form.
    overrides : mapping of code prefix to category key, optional
        Extra or replacing entries, e.g. ``{"4023": "marine_equipment"}``.

    Returns
    -------
    str or Series of dtype ``"string"``
        One of the keys of :data:`CATEGORIES`.
    """
    table = _category_table(overrides)

    def one(code: str) -> str:
        for n in (4, 3, 2):
            key = table.get(code[:n]) if len(code) >= n else None
            if key is not None:
                return key
        return "other_manufacturing" if code[:2] in MANUFACTURING_DIVISIONS else "other"

    return _map_codes(codes, one, "string")


def category_info(cat: str) -> dict[str, Any]:
    """Return the names and 2025 output target of a 1+3+X category.

    Parameters
    ----------
    cat : str
        A category key, e.g. ``"marine_equipment"``.

    Returns
    -------
    dict
        ``key``, ``group`` ("1", "3", "X" or None), ``name_zh``, ``name_en``,
        ``target_yi`` (2025 output target in 亿元, None when the plan sets none)
        and ``target_year`` (2025).

    Raises
    ------
    FieldError
        For an unknown key.
    """
    c = _CATEGORY_BY_KEY.get(cat)
    if c is None:
        raise FieldError(
            f"未知的产业类别“{cat}”；可用：{', '.join(_CATEGORY_BY_KEY)}。",
            f"Unknown industry category {cat!r}; known: {', '.join(_CATEGORY_BY_KEY)}.",
        )
    return {"key": c.key, "group": c.group, "name_zh": c.name_zh, "name_en": c.name_en,
            "target_yi": c.target_2025_yi, "target_year": 2025}


def matches_any(codes: Any, listed: str | Iterable[Any]) -> Any:
    """Return whether each code falls under any listed code; NA stays NA.

    A listed division covers all its groups and classes (``27`` covers ``2710``
    and ``2720``); a listed class covers only itself (``2710`` covers neither
    ``2720`` nor the bare division ``27``, which may or may not be 2710). A
    padded form means the short one: ``3730`` lists group 373, ``3700`` division
    37 (see :func:`_prefix_key`).

    Parameters
    ----------
    codes : scalar, Series or array-like
        Codes in any accepted form.
    listed : str or iterable
        The listed codes, e.g. ``["25", "26", "28", "2710"]`` or ``"25,26,28,2710"``.

    Returns
    -------
    bool or Series of dtype ``"boolean"``

    Raises
    ------
    FieldError
        For a malformed code among ``codes`` or ``listed``.
    """
    prefixes = tuple({_prefix_key(c) for c in parse_code_list(listed)})
    return _map_codes(codes, lambda c: c.startswith(prefixes) if prefixes else False, "boolean")
