"""Synthetic industrial parcels for demos, tests and benchmarks.

:func:`synth_parcels` draws box-ish parcels (40–300 m sides, slightly rotated)
clustered in the parks, around the towns' construction areas and in village
clusters in the countryside, all inside the district, and gives them the
attributes of DESIGN §5 with plausible, location-dependent values. Every
output row has ``synthetic = True``: these are not real enterprises.

Calibration (output density on parcel land, 亿元/km²): parks 12–35 (the
Changxing marine base highest), town edges (195) ≈ 6.5, countryside (198) ≈ 4.
The park figures bracket the plan's 2025 target of ≈ 25 亿元/km².

Everything is vectorised (numpy and shapely 2 array functions); the only Python
loops run over rejection rounds and over the handful of parks and towns. 10⁵
parcels take ≈ 1.5 s and 10⁶ ≈ 15 s (≈ 1.5 GB peak). Parcels do not overlap as long as the
requested number fits comfortably in the space (the default sample does); a
request that cannot fit (a scale test) is filled without the overlap check.
"""

from __future__ import annotations

import logging

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gis.geodesy.crs import WGS84, from_work, to_work
from gis.errors import InputError, LayerError

__all__ = ["STRATUM_SHARES", "land_from_riverbank", "synth_parcels"]

log = logging.getLogger(__name__)

#: Share of parcels placed in parks, at town edges (195) and in the countryside (198).
STRATUM_SHARES = (0.56, 0.25, 0.19)

# Median parcel side (m) per stratum; the Changxing base has shipyard-sized lots.
_SIDE_MEDIAN_M = {"park": 66.0, "town": 60.0, "country": 52.0}
_SIDE_MEDIAN_PARK_M = {"changxing_marine": 95.0}
_SIDE_MIN_M, _SIDE_MAX_M = 40.0, 300.0
_SIDE_SIGMA = 0.4  # lognormal spread of a parcel's first side
_ASPECT_SIGMA = 0.3  # lognormal spread of the second side relative to the first
_GRID_MAX_RAD = np.radians(15.0)  # orientation of a park's / village's street grid
_JITTER_DEG = 3.0  # each parcel's rotation about its grid
# Output density on parcel land, 亿元/km² (DESIGN §1: park target ≈ 25 by 2025).
_DENSITY_PARK = {"changxing_marine": 35.0, "chongming_industrial": 25.0, "smart_island_data": 22.0,
                 "fusheng": 15.0, "modern_agri": 12.0}
_DENSITY_PARK_DEFAULT = 20.0
_DENSITY_TOWN = 6.5
_DENSITY_COUNTRY = 4.0
_HIGH_TECH_P = {"park": 0.22, "town": 0.08, "country": 0.03}
_HIGH_TECH_PARK = {"smart_island_data": 0.5, "changxing_marine": 0.3}
# Share of a stratum's area its parcels may cover and still be packed without
# overlaps by random sequential placement (the jamming limit of rectangles is
# ≈ 0.55; beyond ≈ 0.45 the rejection rounds become slow).
_MAX_COVERAGE = 0.45
_MAX_ROUNDS = 40
_MIN_YIELD = 0.1  # below this share of free candidates a round is not worth it
_EDGE_MARGIN_M = 5.0  # parcels stay this far inside the district outline
_KIND_ZH = {"park": "园区", "town": "镇区边缘（195）", "country": "农村（198）"}

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


# --------------------------------------------------------------------------- geometry helpers


def _union_work(gdf: gpd.GeoDataFrame | None) -> shapely.Geometry | None:
    if gdf is None or len(gdf) == 0:
        return None
    return shapely.union_all(to_work(gdf.geometry.to_numpy(), crs=gdf.crs or WGS84))


def _sample_in(geoms: np.ndarray, idx: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Uniform random points in ``geoms[idx]`` (bounding-box rejection, vectorised)."""
    shapely.prepare(geoms)
    x = np.empty(len(idx))
    y = np.empty(len(idx))
    todo = np.arange(len(idx))
    bounds = shapely.bounds(geoms)
    for _ in range(200):
        if todo.size == 0:
            break
        b = bounds[idx[todo]]
        px = b[:, 0] + rng.random(todo.size) * (b[:, 2] - b[:, 0])
        py = b[:, 1] + rng.random(todo.size) * (b[:, 3] - b[:, 1])
        ok = shapely.contains_xy(geoms[idx[todo]], px, py)
        x[todo[ok]], y[todo[ok]] = px[ok], py[ok]
        todo = todo[~ok]
    if todo.size:  # pathological slivers: fall back on a point surely inside
        pt = shapely.point_on_surface(geoms[idx[todo]])
        x[todo], y[todo] = shapely.get_x(pt), shapely.get_y(pt)
    return x, y


def _boxes(x, y, w, h, angle_rad) -> np.ndarray:
    """Rotated rectangles centred on (x, y) with sides w × h (metres)."""
    c, s = np.cos(angle_rad), np.sin(angle_rad)
    dx = np.array([-0.5, 0.5, 0.5, -0.5, -0.5])[None, :] * w[:, None]
    dy = np.array([-0.5, -0.5, 0.5, 0.5, -0.5])[None, :] * h[:, None]
    px = x[:, None] + dx * c[:, None] - dy * s[:, None]
    py = y[:, None] + dx * s[:, None] + dy * c[:, None]
    return shapely.polygons(np.stack([px, py], axis=-1))


def _free_of(cands: np.ndarray, placed: list[np.ndarray]) -> np.ndarray:
    """Mask of candidates overlapping neither a placed parcel nor an earlier candidate."""
    ok = np.ones(len(cands), dtype=bool)
    if placed:
        tree = shapely.STRtree(np.concatenate(placed))
        hit, _ = tree.query(cands, predicate="intersects")
        ok[hit] = False
    tree = shapely.STRtree(cands)
    i, j = tree.query(cands, predicate="intersects")
    later = j[(i < j) & ok[i]]
    ok[later] = False
    return ok


# --------------------------------------------------------------------------- strata


class _Stratum:
    """Where and how one kind of parcel is drawn: parks, town edges or countryside."""

    def __init__(self, kind, groups, weights, area_m2, side_median, rng, land=None, exclude=None):
        self.kind = kind
        self.groups = groups  # polygons (work CRS) the centres are drawn in / around
        self.weights = weights / weights.sum()
        self.area_m2 = area_m2
        self.side_median = side_median  # per group
        self.angle0 = rng.uniform(-_GRID_MAX_RAD, _GRID_MAX_RAD, len(groups))
        self.land = land
        self.exclude = exclude

    def coverage(self, quota: int) -> float:
        """Share of the stratum's area ``quota`` parcels would cover."""
        # E[w·h] = median² · exp(2σw²) · exp(σh²/2) for the lognormal sides drawn below.
        spread = np.exp(2 * _SIDE_SIGMA**2 + _ASPECT_SIGMA**2 / 2)
        mean_area = float(np.sum(self.weights * self.side_median**2)) * spread
        return quota * mean_area / max(self.area_m2, 1.0)

    def draw(self, m: int, rng: np.random.Generator):
        g = rng.choice(len(self.groups), size=m, p=self.weights)
        if self.kind == "country":  # village clusters: scatter around the seed points
            x = shapely.get_x(self.groups[g]) + rng.normal(0, 350.0, m)
            y = shapely.get_y(self.groups[g]) + rng.normal(0, 350.0, m)
        else:
            x, y = _sample_in(self.groups, g, rng)
        ok = np.ones(m, dtype=bool)
        if self.land is not None:
            ok &= shapely.contains_xy(self.land, x, y)
        if self.exclude is not None:
            ok &= ~shapely.contains_xy(self.exclude, x, y)
        med = self.side_median[g]
        w = np.clip(med * np.exp(rng.normal(0, _SIDE_SIGMA, m)), _SIDE_MIN_M, _SIDE_MAX_M)
        h = np.clip(w * np.exp(rng.normal(0, _ASPECT_SIGMA, m)), _SIDE_MIN_M, _SIDE_MAX_M)
        ang = self.angle0[g] + np.radians(rng.normal(0, _JITTER_DEG, m))
        return g[ok], x[ok], y[ok], w[ok], h[ok], ang[ok]


def _fill(stratum: _Stratum, quota: int, inner: shapely.Geometry, placed: list[np.ndarray],
          rng: np.random.Generator, avoid: bool) -> tuple[np.ndarray, np.ndarray]:
    """Draw ``quota`` parcels of a stratum inside ``inner``; overlap-free if ``avoid``."""
    geoms, groups = [], []
    need = quota
    for rnd in range(_MAX_ROUNDS + 100):
        if need <= 0:
            break
        g, x, y, w, h, a = stratum.draw(int(need * (2.0 if avoid else 1.2)) + 64, rng)
        c = shapely.contains_xy(inner, x, y)  # cheap pre-filter before building boxes
        g, x, y, w, h, a = g[c], x[c], y[c], w[c], h[c], a[c]
        boxes = _boxes(x, y, w, h, a)
        ok = shapely.contains(inner, boxes)
        if avoid and rnd < _MAX_ROUNDS:
            inside = int(ok.sum())
            ok[ok] = _free_of(boxes[ok], placed + geoms)
            if ok.sum() < _MIN_YIELD * max(inside, 1):  # locally full: stop checking
                avoid = False
                log.info("synth: %s parcels: space locally full; remaining overlaps allowed", stratum.kind)
        take = np.flatnonzero(ok)[:need]
        geoms.append(boxes[take])
        groups.append(g[take])
        need -= take.size
    if need > 0:
        raise InputError(
            f"无法在区界内生成 {quota} 个“{_KIND_ZH[stratum.kind]}”地块。",
            f"Could not place {quota} {stratum.kind} parcels inside the district.",
            "请检查区界、园区和建设区图层是否相交。",
            "Check that the district, parks and construction areas overlap.",
        )
    out = np.concatenate(geoms) if geoms else np.empty(0, dtype=object)
    placed.append(out)
    return out, (np.concatenate(groups) if groups else np.empty(0, dtype=int))


# --------------------------------------------------------------------------- attributes


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


def _attributes(kind: np.ndarray, group: np.ndarray, area_m2: np.ndarray, parks, rng) -> pd.DataFrame:
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


# --------------------------------------------------------------------------- public


def land_from_riverbank(riverbank: gpd.GeoDataFrame | None, district: gpd.GeoDataFrame,
                        gap_m: float = 300.0) -> gpd.GeoDataFrame | None:
    """Land enclosed by a shoreline layer, or None when it encloses too little.

    The islands' shorelines (the embedded ``riverbank``) are rings, cut here and
    there where a stretch belongs to a neighbour; gaps narrower than ``gap_m``
    are closed by buffering the lines, taking the holes of the buffer and
    growing them back. The result ∩ district keeps synthetic parcels off the
    tidal flats. Returns None when it covers less than a fifth of the district.
    """
    if riverbank is None or len(riverbank) == 0:
        return None
    dist_w = _union_work(district)
    r = gap_m / 2
    lines = shapely.buffer(shapely.union_all(to_work(riverbank.geometry.to_numpy(), crs=riverbank.crs or WGS84)), r)
    holes = [shapely.Polygon(ring) for part in shapely.get_parts(lines) for ring in part.interiors]
    if not holes:
        return None
    land = shapely.intersection(shapely.buffer(shapely.union_all(holes), r), dist_w)
    if shapely.area(land) < 0.2 * shapely.area(dist_w):
        return None
    return gpd.GeoDataFrame(geometry=from_work(np.array([land], dtype=object)), crs=WGS84)


def synth_parcels(n: int, district: gpd.GeoDataFrame, parks: gpd.GeoDataFrame | None,
                  construction_areas: gpd.GeoDataFrame | None, seed: int = 0, *,
                  land: gpd.GeoDataFrame | None = None,
                  shares: tuple[float, float, float] = STRATUM_SHARES) -> gpd.GeoDataFrame:
    """Generate ``n`` synthetic industrial parcels (deterministic for a seed).

    Parameters
    ----------
    n : int
        Number of parcels.
    district, parks, construction_areas : geopandas.GeoDataFrame
        Layers in EPSG:4326 (``parks`` may carry ``park_id`` and
        ``leading_industries``; either of parks / construction areas may be
        None or empty, then its share goes to the others).
    seed : int
        Random seed; the same seed and inputs give the same parcels.
    land : geopandas.GeoDataFrame, optional
        Where parcel centres may fall (e.g. the islands' land without tidal
        flats); default the whole district.
    shares : (float, float, float)
        Shares of parcels in parks, at town edges (195) and in the countryside (198).

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326 polygons with ``parcel_id``, ``enterprise_zh``, ``industry``
        (GB/T 4754 class, string), ``land_use``, ``output_wan``, ``revenue_wan``,
        ``value_added_wan``, ``tax_wan``, ``rd_wan`` (万元), ``energy_tce`` (tce),
        ``employees``, ``high_tech``, ``synthetic`` (always True).
    """
    if int(n) != n or n < 0:
        raise InputError(f"地块数须为非负整数，而不是 {n}。", f"The number of parcels must be a whole number ≥ 0, not {n}.")
    n = int(n)
    rng = np.random.default_rng(seed)
    dist = _union_work(district)
    if dist is None or dist.is_empty:
        raise LayerError("区界图层为空，无法生成地块。", "The district layer is empty: cannot place parcels.")
    inner = shapely.buffer(dist, -_EDGE_MARGIN_M)
    land_w = dist if land is None else shapely.intersection(_union_work(land), dist)
    for g in (inner, land_w):
        shapely.prepare(g)

    parks_w = (to_work(parks.geometry.to_numpy(), crs=parks.crs or WGS84) if parks is not None and len(parks)
               else np.empty(0, dtype=object))
    cons_w = (to_work(construction_areas.geometry.to_numpy(), crs=construction_areas.crs or WGS84)
              if construction_areas is not None and len(construction_areas) else np.empty(0, dtype=object))
    parks_u = shapely.union_all(parks_w) if parks_w.size else None
    cons_u = shapely.union_all(cons_w) if cons_w.size else None

    # Where each stratum's centres are drawn (work CRS). Centres may fall up to
    # 40 m outside a park and 150 m outside a construction area, so some
    # parcels straddle zone edges.
    park_grow = shapely.intersection(shapely.buffer(parks_w, 40.0), land_w)
    town_grow = shapely.intersection(shapely.buffer(cons_w, 150.0), land_w)
    rural = land_w
    for u in (parks_u, cons_u):
        if u is not None:
            rural = shapely.difference(rural, u)
    town_area = float(shapely.area(shapely.union_all(town_grow))) if town_grow.size else 0.0
    if town_area and parks_u is not None:
        town_area = float(shapely.area(shapely.difference(shapely.union_all(town_grow), parks_u)))
    areas = np.array([float(shapely.area(park_grow).sum()) if park_grow.size else 0.0, town_area,
                      float(shapely.area(rural))])

    w = np.where(areas > 0, np.asarray(shares, dtype="float64"), 0.0)
    if n and w.sum() <= 0:
        raise LayerError("区界内没有可放置地块的范围。", "There is no room for parcels inside the district.",
                         "请检查 land 与区界图层是否相交。", "Check that the land and district layers overlap.")
    quota = np.floor(w / max(w.sum(), 1e-12) * n).astype(int)
    quota[int(np.argmax(w))] += n - quota.sum()

    strata = []
    if quota[0]:
        ids = parks["park_id"].astype(str).to_numpy() if "park_id" in parks else np.array([""] * len(parks))
        med = np.array([_SIDE_MEDIAN_PARK_M.get(i, _SIDE_MEDIAN_M["park"]) for i in ids])
        # Parcels per park ∝ area / parcel size, so every park is equally full.
        strata.append((0, _Stratum("park", park_grow, shapely.area(park_grow) / med**2, areas[0], med, rng)))
    if quota[1]:
        if parks_u is not None:
            shapely.prepare(parks_u)
        strata.append((1, _Stratum("town", town_grow, shapely.area(town_grow), areas[1],
                                   np.full(len(town_grow), _SIDE_MEDIAN_M["town"]), rng, exclude=parks_u)))
    if quota[2]:
        # Village clusters: about six parcels per seed point.
        k = max(1, int(quota[2]) // 6)
        sx, sy = _sample_in(np.array([rural], dtype=object), np.zeros(k, dtype=int), rng)
        strata.append((2, _Stratum("country", shapely.points(sx, sy), np.ones(k), areas[2],
                                   np.full(k, _SIDE_MEDIAN_M["country"]), rng, land=land_w)))

    # Overlaps are avoided only when every stratum fits: a request that cannot
    # fit (a scale test) gets overlapping parcels anyway, and checking would cost
    # more than the rest of the generation.
    cover = {st.kind: st.coverage(int(quota[k])) for k, st in strata}
    avoid = all(c <= _MAX_COVERAGE for c in cover.values())
    if not avoid:
        log.info("synth: %d parcels cannot all fit without overlaps (coverage %s); overlaps allowed", n,
                 ", ".join(f"{k} {c:.2f}" for k, c in cover.items()))
    placed: list[np.ndarray] = []
    geoms, kinds, groups = [], [], []
    for k, st in strata:
        g, grp = _fill(st, int(quota[k]), inner, placed, rng, avoid)
        geoms.append(g)
        kinds.append(np.full(len(g), k))
        groups.append(grp)
    geom_w = np.concatenate(geoms) if geoms else np.empty(0, dtype=object)
    kind = np.concatenate(kinds) if kinds else np.empty(0, dtype=int)
    group = np.concatenate(groups) if groups else np.empty(0, dtype=int)

    # Shuffle so that ids say nothing about the stratum.
    order = rng.permutation(len(geom_w))
    geom_w, kind, group = geom_w[order], kind[order], group[order]
    # The boxes are built in WORK_CRS, so this is the same metric area the
    # overlay computes with to_work + shapely.area.
    attrs = _attributes(kind, group, shapely.area(geom_w), parks if parks_w.size else None, rng)
    width = max(7, len(str(n)))
    ids = pd.Series(np.arange(1, n + 1)).astype(str).str.zfill(width)
    attrs.insert(0, "parcel_id", ("P" + ids).to_numpy())
    attrs["synthetic"] = True
    for col in ("parcel_id", "enterprise_zh", "industry", "land_use"):
        attrs[col] = attrs[col].astype(str)
    geom = from_work(geom_w)
    del geom_w
    return gpd.GeoDataFrame(attrs, geometry=geom, crs=WGS84)
