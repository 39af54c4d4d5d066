"""What synthetic parcels carry: enterprise names, GB/T 4754 industries and the DESIGN §5 figures.

Industries follow the place: a park's parcels mostly carry its leading
industries, town edges (195) light manufacturing, the countryside (198)
agri-food, wood, plastics and metal workshops. Output follows the calibrated
density on parcel land (亿元/km²); value added, tax, R&D, energy and employees
follow from output by division, with mean-one lognormal noise. Money is in 万元.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

__all__ = ["parcel_attributes"]

# Output density on parcel land, 亿元/km² (DESIGN §1: park target ≈ 25 by 2025).
_DENSITY_PARK = {"changxing_marine": 35.0, "chongming_industrial": 25.0, "smart_island_data": 22.0,
                 "fusheng": 15.0, "modern_agri": 12.0}
_DENSITY_PARK_DEFAULT = 20.0
_DENSITY_TOWN = 6.5
_DENSITY_COUNTRY = 4.0
_HIGH_TECH_P = {"park": 0.22, "town": 0.08, "country": 0.03}
_HIGH_TECH_PARK = {"smart_island_data": 0.5, "changxing_marine": 0.3}

# GB/T 4754-2017 classes used here (4-digit codes; the 2-digit prefix is the division).
_MANUFACTURING = [
    "1311", "1331", "1353", "1361", "1371", "1372", "1373", "1392", "1399",  # 13 农副食品加工
    "1411", "1432", "1441", "1453", "1462", "1491", "1495",  # 14 食品制造
    "1512", "1514", "1524", "1529", "1711", "1819", "2011", "2039",  # 15 酒饮料, 17 纺织, 18 服装, 20 木材
    "2110", "2130", "2231", "2319", "2411", "2431",  # 21 家具, 22 纸制品, 23 印刷, 24 文教工美
    "2641", "2669", "2913", "2922", "2926", "2927", "2929", "3021", "3022", "3099",  # 26 化学, 29 橡塑, 30 建材
    "3311", "3312", "3324", "3331", "3340", "3351", "3360", "3381", "3382", "3389", "3391", "3399",  # 33 金属制品
    "3412", "3432", "3441", "3443", "3453", "3464", "3467", "3484", "3489", "3491", "3499",  # 34 通用设备
    "3513", "3531", "3572", "3591", "3599", "3660", "3670",  # 35 专用设备, 36 汽车
    "3731", "3734", "3737", "3739",  # 373 船舶及相关装置
    "3812", "3823", "3825", "3831", "3841", "3854", "3872",  # 38 电气机械
    "3914", "3921", "3962", "3976", "3982", "3983", "3990", "4011", "4210",  # 39 电子, 40 仪表, 42 再生
]
_SERVICES = ["0514", "5821", "5920", "5930", "6450", "6513", "6531", "6550", "7320"]
_DATA_SERVICES = ["6311", "6319", "6410", "6429", "6431", "6450", "6513", "6520", "6531", "6550", "6560"]
_ALL_CLASSES = np.array(sorted(set(_MANUFACTURING) | set(_SERVICES) | set(_DATA_SERVICES)))

# Divisions drawn at town edges (195) and in the countryside (198).
_TOWN_LIGHT = ("13", "14", "17", "18", "21", "23", "24", "29", "33", "34", "38")
_COUNTRY_MAIN = ("13", "14", "20", "29", "33")
_COUNTRY_OTHER = ("26", "30", "42", "21", "34")

_TRADE = {
    "05": ["农业服务", "农产品"], "13": ["食品", "农产品", "粮油"], "14": ["食品", "乳业"], "15": ["酒业", "饮料"],
    "17": ["纺织"], "18": ["服饰"], "20": ["木业"], "21": ["家具"], "22": ["纸业"], "23": ["印务", "包装印刷"],
    "24": ["文体用品", "工艺品"], "26": ["化工", "涂料"], "29": ["塑胶", "橡塑制品"], "30": ["建材", "混凝土制品"],
    "33": ["金属制品", "五金", "厨具"], "34": ["机械", "机电设备"], "35": ["装备", "专用设备"],
    "36": ["汽车零部件", "汽车配件"], "37": ["船舶", "海洋工程", "船舶配套"], "38": ["电气", "电器", "新能源"],
    "39": ["电子", "智能科技"], "40": ["仪器仪表"], "42": ["再生资源"], "58": ["货运代理"],
    "59": ["物流", "仓储"], "63": ["通信技术", "数据服务"], "64": ["网络科技", "互联网科技"],
    "65": ["信息技术", "软件", "数据科技"], "73": ["科技", "技术研究"],
}
_BRAND = list("瀛东海长兴华瑞恒鑫宏嘉丰盛德信达源利通泰安新明远博诚富祥永金润汇洲沙岛江帆舟航旭晨蓝绿")
_SUFFIX = np.array(["有限公司", "股份有限公司", "有限责任公司"])
_SUFFIX_P = np.array([0.86, 0.09, 0.05])

# Value added / output, energy (tce per 万元 of value added) by division.
_VA_RATIO = {"13": 0.18, "14": 0.22, "37": 0.22, "36": 0.2, "63": 0.5, "64": 0.5, "65": 0.55, "59": 0.45,
             "58": 0.4, "73": 0.55, "05": 0.3}
_ENERGY = {"13": 0.15, "14": 0.12, "26": 0.3, "29": 0.12, "30": 0.35, "33": 0.16, "42": 0.2, "37": 0.06,
           "63": 0.35, "64": 0.25, "65": 0.04, "59": 0.03, "58": 0.02, "73": 0.03, "05": 0.05}
_VA_DEFAULT, _ENERGY_DEFAULT = 0.25, 0.07
_M1_DIVISIONS = {"13", "14", "15", "17", "18", "21", "23", "24", "38", "39", "40", "63", "64", "65", "73", "05"}



def _expand(codes: str) -> tuple[np.ndarray, np.ndarray]:
    """4-digit classes under a comma list of GB/T 4754 codes (2–4 digits), with weights.

    Each listed code gets an equal share, split evenly over its classes, so that
    "373,34,35" gives ships a third of the parcels although 34 has more classes.
    """
    classes: list[str] = []
    weights: list[float] = []
    tokens = [c.strip() for c in str(codes or "").replace("，", ",").split(",") if c.strip()]
    for c in tokens:
        under = [c] if len(c) == 4 else [k for k in _ALL_CLASSES if k.startswith(c)]
        classes.extend(under)
        weights.extend([1.0 / len(under)] * len(under))
    w = np.array(weights)
    return np.array(classes), (w / w.sum() if w.size else w)


def _pool(prefixes) -> np.ndarray:
    return np.array([k for k in _MANUFACTURING if k[:2] in prefixes])


def _industries(kind: np.ndarray, group: np.ndarray, parks: gpd.GeoDataFrame | None,
                rng: np.random.Generator) -> np.ndarray:
    n = len(kind)
    out = np.empty(n, dtype=object)
    mfg = np.array(_MANUFACTURING)
    services = np.array(_SERVICES)
    u = rng.random(n)
    # Parks: mostly their leading industries.
    park_codes = parks["leading_industries"].astype(str).tolist() if (
        parks is not None and "leading_industries" in parks) else []
    for p in range(0 if parks is None else len(parks)):
        sel = np.flatnonzero((kind == 0) & (group == p))
        lead, lw = _expand(park_codes[p]) if p < len(park_codes) else (np.array([]), None)
        if lead.size == 0:
            lead, lw = mfg, None
        r = u[sel]
        out[sel] = np.where(r < 0.75, rng.choice(lead, sel.size, p=lw),
                            np.where(r < 0.9, rng.choice(mfg, sel.size), rng.choice(services, sel.size)))
    sel = np.flatnonzero(kind == 1)
    r = u[sel]
    out[sel] = np.where(r < 0.55, rng.choice(_pool(_TOWN_LIGHT), sel.size),
                        np.where(r < 0.7, rng.choice(mfg, sel.size), rng.choice(services, sel.size)))
    sel = np.flatnonzero(kind == 2)
    r = u[sel]
    out[sel] = np.where(r < 0.6, rng.choice(_pool(_COUNTRY_MAIN), sel.size),
                        np.where(r < 0.72, rng.choice(_pool(_COUNTRY_OTHER), sel.size),
                                 np.where(r < 0.85, rng.choice(mfg, sel.size),
                                          rng.choice(np.array(["0514", "5920", "5930", "5821"]), sel.size))))
    return out.astype(str)


def _lookup(div: np.ndarray, table: dict, default: float) -> np.ndarray:
    return pd.Series(div).map(table).fillna(default).to_numpy(dtype="float64")


def _lognorm(rng, n, sigma):
    # Mean-one multiplicative noise.
    return np.exp(rng.normal(-0.5 * sigma * sigma, sigma, n))


def _names(div: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    n = len(div)
    brand = rng.choice(np.array(_BRAND), n).astype(object) + rng.choice(np.array(_BRAND), n).astype(object)
    trade = _trade_vec(div, rng.random(n))
    form = rng.random(n)
    suffix = rng.choice(_SUFFIX, n, p=_SUFFIX_P).astype(object)
    name = np.where(form < 0.8, "上海" + brand + trade,
                    np.where(form < 0.9, "上海崇明" + brand + trade, brand + "（上海）" + trade))
    return (name + suffix).astype(object)


def _trade_vec(div: np.ndarray, pick: np.ndarray) -> np.ndarray:
    # One vectorised pass per division (a few dozen), not per parcel.
    out = np.full(len(div), "实业", dtype=object)
    for d, words in _TRADE.items():
        sel = div == d
        if sel.any():
            out[sel] = np.array(words, dtype=object)[(pick[sel] * len(words)).astype(int)]
    return out


def parcel_attributes(kind: np.ndarray, group: np.ndarray, area_m2: np.ndarray, parks: gpd.GeoDataFrame | None,
                      rng: np.random.Generator) -> pd.DataFrame:
    """The DESIGN §5 attributes of synthetic parcels, vectorised over all of them.

    Parameters
    ----------
    kind : numpy.ndarray of int
        Stratum per parcel: 0 park, 1 town edge (195), 2 countryside (198).
    group : numpy.ndarray of int
        For a park parcel, the row of its park in ``parks``.
    area_m2 : numpy.ndarray
        Parcel areas, m² (output is density × area).
    parks : geopandas.GeoDataFrame or None
        With ``park_id`` (calibrated densities) and ``leading_industries``.
    rng : numpy.random.Generator

    Returns
    -------
    pandas.DataFrame
        ``enterprise_zh, industry, land_use, output_wan, revenue_wan, value_added_wan,
        tax_wan, rd_wan`` (万元), ``energy_tce`` (tce), ``employees``, ``high_tech``.
    """
    n = len(kind)
    industry = _industries(kind, group, parks, rng)
    div = industry.astype("U2")
    manufacturing = (div >= "13") & (div <= "43")

    park_ids = parks["park_id"].astype(str).to_numpy() if parks is not None and "park_id" in parks else np.array([])
    density = np.where(kind == 1, _DENSITY_TOWN, _DENSITY_COUNTRY).astype("float64")
    ht_p = np.where(kind == 1, _HIGH_TECH_P["town"], _HIGH_TECH_P["country"]).astype("float64")
    for p, pid in enumerate(park_ids):
        sel = (kind == 0) & (group == p)
        density[sel] = _DENSITY_PARK.get(pid, _DENSITY_PARK_DEFAULT)
        ht_p[sel] = _HIGH_TECH_PARK.get(pid, _HIGH_TECH_P["park"])
    if len(park_ids) == 0:
        density[kind == 0] = _DENSITY_PARK_DEFAULT
        ht_p[kind == 0] = _HIGH_TECH_P["park"]
    density = density * np.where(manufacturing, 1.0, 0.7)
    # 亿元/km² × m² → 万元: 1 亿元/km² = 1e4 万元 / 1e6 m² = 0.01 万元/m².
    output = density * area_m2 * 0.01 * _lognorm(rng, n, 0.5)
    revenue = output * rng.uniform(1.0, 1.15, n)
    va = output * np.clip(_lookup(div, _VA_RATIO, _VA_DEFAULT) * _lognorm(rng, n, 0.25), 0.06, 0.8)
    tax = revenue * np.clip(0.045 * _lognorm(rng, n, 0.4), 0.004, 0.15)
    high_tech = (rng.random(n) < ht_p) & (manufacturing | np.isin(div, ["63", "64", "65", "73"]))
    rd = revenue * np.clip(np.where(high_tech, 0.045, 0.012) * _lognorm(rng, n, 0.4), 0.0, 0.2)
    lp = np.where(manufacturing, 120.0, 80.0) * np.where(div == "37", 1.6, 1.0) * _lognorm(rng, n, 0.4)
    employees = np.maximum(2, np.rint(output / lp)).astype("int64")
    energy = va * _lookup(div, _ENERGY, _ENERGY_DEFAULT) * _lognorm(rng, n, 0.5)

    land_use = np.where(np.isin(div, list(_M1_DIVISIONS)), "M1", "M2").astype(object)
    land_use[div == "26"] = "M3"
    land_use[np.isin(div, ["59", "58"])] = "W1"
    generic = ((kind == 2) & (rng.random(n) < 0.08)) | ((kind == 1) & (rng.random(n) < 0.04))
    land_use[generic] = "工业用地"  # records without a land-use subclass, as often in registers

    return pd.DataFrame({
        "enterprise_zh": _names(div, rng),
        "industry": industry,
        "land_use": land_use,
        "output_wan": np.round(output, 1),
        "revenue_wan": np.round(revenue, 1),
        "value_added_wan": np.round(va, 1),
        "tax_wan": np.round(tax, 1),
        "rd_wan": np.round(rd, 1),
        "energy_tce": np.round(energy, 1),
        "employees": employees,
        "high_tech": high_tech,
    })
