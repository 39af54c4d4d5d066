"""The plan's 1+3+X industry categories (DESIGN §1) of GB/T 4754-2017 codes.

1 marine equipment; 3 green agri-food processing, automobiles & parts, light
industry & kitchenware; X emerging industries (5G, online economy, AI, producer
services, environmental/low-carbon) — with their 2025 output targets. Any other
code is other manufacturing or other.

The 1+3+X categories (:func:`category`) are decided by the longest code prefix
in :data:`CATEGORY_PREFIXES`, whose comments give the reason for each entry; a
planner with a finer view passes ``overrides`` rather than editing the table.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from gis.domain.industry import (
    MANUFACTURING_DIVISIONS,
    map_codes,
    normalise_code,
    prefix_key,
)
from gis.errors import FieldError

__all__ = ["CATEGORIES", "CATEGORY_PREFIXES", "Category", "category", "category_info"]


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

_CATEGORY_BY_KEY: dict[str, Category] = {c.key: c for c in CATEGORIES}


def _unknown(key: str) -> FieldError:
    return FieldError(
        f"未知的产业类别“{key}”；可用：{', '.join(_CATEGORY_BY_KEY)}。",
        f"Unknown industry category {key!r}; known: {', '.join(_CATEGORY_BY_KEY)}.",
    )


def _category_table(overrides: Mapping[str, str] | None) -> dict[str, str]:
    table = {prefix_key(p): k for p, k in CATEGORY_PREFIXES}
    for prefix, key in (overrides or {}).items():
        if key not in _CATEGORY_BY_KEY:
            raise _unknown(key)
        table[prefix_key(normalise_code(prefix))] = key
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

    return map_codes(codes, one, "string")


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
        raise _unknown(cat)
    return {"key": c.key, "group": c.group, "name_zh": c.name_zh, "name_en": c.name_en,
            "target_yi": c.target_2025_yi, "target_year": 2025}
