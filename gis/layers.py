"""Layers: the roles of DESIGN §3, their validation and the derived zones.

:func:`load_layers` reads a layer source — a GeoPackage (layer names = roles), a
folder of files named like the roles, or a TOML manifest mapping roles to files
and field names — validates every layer, and derives the planning zones:

* ``104 = parks ∩ district``
* ``195 = (construction_areas ∩ district) − parks``
* ``198 = district − parks − construction_areas``
* ``yangtze_1km = district ∩ buffer(riverbank, 1000 m)`` (distance configurable)

Everything is held in EPSG:4326 (WGS84) for output and drawing, and in the metric
working CRS (:data:`gis.crs.WORK_CRS`) for computing; the derived zones are
computed in metres and are exact there.
"""

from __future__ import annotations

import logging
import sqlite3
import tomllib
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gis.crs import WGS84, WORK_CRS, convert_geometries, from_work, to_work
from gis.errors import FieldError, LayerError
from gis.io import read_vector

__all__ = ["LayerSet", "load_layers", "default_source", "ROLES", "DEFAULT_RIVERBANK_BUFFER_M"]

log = logging.getLogger(__name__)

#: Role → (geometry kind, required, fields used).
ROLES: dict[str, tuple[str, bool, tuple[str, ...]]] = {
    "district": ("polygon", True, ("name_zh", "name_en")),
    "parks": ("polygon", True, ("park_id", "name_zh", "name_en", "leading_industries", "target_output_2025_yi")),
    "construction_areas": ("polygon", True, ("town_zh", "town_en")),
    "riverbank": ("line", False, ()),
    "strategic_reserve": ("polygon", False, ("name_zh",)),
    "towns": ("polygon", False, ("town_zh", "town_en")),
    "zone_195": ("polygon", False, ()),
    "zone_198": ("polygon", False, ()),
}

ROLE_NAMES = {
    "district": ("区界", "district"),
    "parks": ("产业园区（104 区块）", "parks (104 blocks)"),
    "construction_areas": ("乡镇集中建设区", "town construction areas"),
    "riverbank": ("长江岸线", "Yangtze riverbank"),
    "strategic_reserve": ("战略预留区", "strategic reserve"),
    "towns": ("乡镇", "towns"),
    "zone_104": ("104 区块", "zone 104"),
    "zone_195": ("195 区域", "zone 195"),
    "zone_198": ("198 区域", "zone 198"),
    "yangtze_1km": ("长江岸线 1 公里范围", "Yangtze 1 km zone"),
}

DEFAULT_RIVERBANK_BUFFER_M = 1000.0


def default_source() -> Path:
    """Path of the embedded Chongming manifest."""
    return Path(str(files("parkgis_layers").joinpath("chongming", "manifest.toml")))


@dataclass
class LayerSet:
    """The layers of one source, validated, with the derived zones.

    Attributes
    ----------
    district, parks, construction_areas, riverbank : geopandas.GeoDataFrame
        EPSG:4326. ``riverbank`` is derived from the district boundary when the
        source has none (``meta["riverbank"]["derived"]`` is then True).
    strategic_reserve, towns : geopandas.GeoDataFrame or None
    zone_104, zone_195, zone_198, yangtze_1km : geopandas.GeoDataFrame
        Derived zones, clipped to the district, EPSG:4326. ``zone_104`` has one
        row per park (``park_id``).
    meta : dict
        Role → provenance (``source``, ``licence``, ``datum``, ``accuracy``,
        ``illustrative``, ``method``, ``file``).
    notes : list of str
        Validation notes (bilingual), e.g. repaired geometries, clipped parks.
    source : str
        Where the layers came from.
    buffer_m : float
        Width of the riverbank zone in metres.
    """

    district: gpd.GeoDataFrame
    parks: gpd.GeoDataFrame
    construction_areas: gpd.GeoDataFrame
    riverbank: gpd.GeoDataFrame
    strategic_reserve: gpd.GeoDataFrame | None
    towns: gpd.GeoDataFrame | None
    zone_104: gpd.GeoDataFrame
    zone_195: gpd.GeoDataFrame
    zone_198: gpd.GeoDataFrame
    yangtze_1km: gpd.GeoDataFrame
    meta: dict[str, dict] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    source: str = ""
    buffer_m: float = DEFAULT_RIVERBANK_BUFFER_M
    source_info: dict = field(default_factory=dict)
    _work: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    @property
    def illustrative(self) -> bool:
        """True when any layer is marked illustrative."""
        return any(bool(m.get("illustrative")) for m in self.meta.values())

    def layer(self, role: str) -> gpd.GeoDataFrame | None:
        """The GeoDataFrame of a role (input or derived)."""
        return getattr(self, role)

    def work(self, role: str) -> np.ndarray:
        """Geometries of ``role`` in :data:`gis.crs.WORK_CRS` (metres), cached."""
        if role not in self._work:
            gdf = self.layer(role)
            if gdf is None:
                self._work[role] = np.array([], dtype=object)
            else:
                self._work[role] = to_work(gdf.geometry.to_numpy())
        return self._work[role]

    def work_union(self, role: str):
        """Union of ``role``'s geometries in the working CRS (one geometry)."""
        key = f"{role}__union"
        if key not in self._work:
            geoms = self.work(role)
            self._work[key] = np.array(
                [shapely.union_all(geoms) if len(geoms) else shapely.Polygon()], dtype=object
            )
        return self._work[key][0]

    def summary(self) -> pd.DataFrame:
        """One row per layer: features, area km² or length km, CRS, datum, provenance."""
        rows = []
        roles = ["district", "parks", "construction_areas", "riverbank", "strategic_reserve", "towns",
                 "zone_104", "zone_195", "zone_198", "yangtze_1km"]
        for role in roles:
            gdf = self.layer(role)
            if gdf is None:
                continue
            geoms = self.work(role)
            meta = self.meta.get(role, {})
            is_line = role == "riverbank"
            rows.append({
                "role": role,
                "name_zh": ROLE_NAMES[role][0],
                "name_en": ROLE_NAMES[role][1],
                "features": len(gdf),
                "area_km2": None if is_line else float(shapely.area(shapely.union_all(geoms))) / 1e6,
                "length_km": float(shapely.length(geoms).sum()) / 1e3 if is_line else None,
                "crs": "EPSG:4326",
                "datum": meta.get("datum", "wgs84"),
                "illustrative": bool(meta.get("illustrative", False)),
                "derived": bool(meta.get("derived", False)),
                "source": meta.get("source", ""),
            })
        return pd.DataFrame(rows)

    def island_areas(self) -> pd.DataFrame:
        """Parts of the district polygon with their areas (km²), largest first."""
        parts = shapely.get_parts(self.work("district"))
        areas = shapely.area(parts) / 1e6
        order = np.argsort(-areas)
        reps = from_work(shapely.point_on_surface(parts[order]))
        return pd.DataFrame({
            "part": np.arange(1, len(order) + 1),
            "name_zh": self._part_names(parts[order]),
            "area_km2": areas[order],
            "lon": shapely.get_x(reps),
            "lat": shapely.get_y(reps),
        })

    def _part_names(self, parts: np.ndarray) -> list:
        """Name each district part after the riverbank island that runs along it, if the layer says."""
        if self.riverbank is None or "island" not in self.riverbank.columns:
            return [None] * len(parts)
        lines = self.work("riverbank")
        islands = self.riverbank["island"].astype(object).to_numpy()
        names = []
        for part in parts:  # a handful of islands, not a per-feature loop
            # the island whose shore lies most (as a fraction of its length) along this part
            near = shapely.length(shapely.intersection(lines, shapely.buffer(part, 1000.0)))
            frac = near / np.maximum(shapely.length(lines), 1e-9)
            names.append(islands[int(np.argmax(frac))] if frac.max() > 0.5 else None)
        return names


# --------------------------------------------------------------------------- reading


def _read_manifest(path: Path) -> tuple[dict, dict]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        kind = "不是有效的 TOML / is not valid TOML" if isinstance(exc, tomllib.TOMLDecodeError) else "I/O"
        raise LayerError(
            f"无法读取图层清单“{path}”（{kind.split(' / ')[0]}）：{exc}",
            f"Cannot read layer manifest '{path}' ({kind.split(' / ')[-1]}): {exc}",
            "清单须为 TOML，每个角色一节 [layers.<角色>]，含 file（及 layer）。",
            "A manifest is TOML with one [layers.<role>] table per role, each with file (and layer).",
        ) from exc
    layers = data.get("layers", {})
    if not isinstance(layers, dict) or not layers:
        raise LayerError(f"图层清单“{path}”没有 [layers.*] 节。", f"Layer manifest '{path}' has no [layers.*] tables.")
    specs = {}
    for role, spec in layers.items():
        if "file" not in spec:
            raise LayerError(f"清单“{path}”中 [layers.{role}] 缺少 file。",
                             f"[layers.{role}] in '{path}' has no 'file'.")
        specs[role] = dict(spec, file=str((path.parent / spec["file"]).resolve()))
    return specs, data.get("source", {})


def _gpkg_provenance(path: Path) -> dict[str, dict]:
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = con.execute("SELECT * FROM layer_provenance").fetchall()
            cols = [d[0] for d in con.execute("SELECT * FROM layer_provenance LIMIT 0").description]
        finally:
            con.close()
    except sqlite3.Error:
        return {}
    out = {}
    for r in rows:
        rec = dict(zip(cols, r))
        rec["illustrative"] = bool(rec.get("illustrative"))
        out[rec.get("role")] = rec
    return out


def _source_specs(source) -> tuple[dict[str, dict], dict, str]:
    """Resolve a source to {role: spec} (spec has file, layer, datum, fields, provenance)."""
    if source is None:
        source = default_source()
    p = Path(source)
    if not p.exists():
        raise LayerError(f"找不到图层来源“{p}”。", f"Layer source not found: '{p}'.",
                         "请给出 GeoPackage、文件夹或 TOML 清单的路径。",
                         "Give the path of a GeoPackage, a folder or a TOML manifest.")
    if p.suffix.lower() == ".toml":
        specs, info = _read_manifest(p)
        return specs, info, str(p)
    if p.is_dir():
        if (p / "manifest.toml").exists():
            specs, info = _read_manifest(p / "manifest.toml")
            return specs, info, str(p)
        specs = {}
        for f in sorted(p.iterdir()):
            role = f.stem
            if role in ROLES and f.suffix.lower() in (".gpkg", ".shp", ".geojson", ".json", ".fgb",
                                                       ".parquet", ".zip"):
                specs.setdefault(role, {"file": str(f)})
        return specs, {}, str(p)
    if p.suffix.lower() == ".gpkg":
        from gis.io import list_layers

        prov = _gpkg_provenance(p)
        specs = {}
        for name in list_layers(p):
            if name in ROLES:
                specs[name] = dict(prov.get(name, {}), file=str(p), layer=name)
        return specs, {}, str(p)
    raise LayerError(
        f"无法识别的图层来源“{p}”。",
        f"Unrecognised layer source '{p}'.",
        "图层来源须为 GeoPackage（图层名即角色）、文件夹（文件名即角色）或 TOML 清单。",
        "A layer source is a GeoPackage (layer names = roles), a folder (file names = roles) or a TOML manifest.",
    )


_GEOM_KIND = {
    "polygon": ("Polygon", "MultiPolygon"),
    "line": ("LineString", "MultiLineString", "LinearRing"),
}


def _load_role(role: str, spec: dict, notes: list[str]) -> gpd.GeoDataFrame:
    kind, _required, fields = ROLES[role]
    gdf = read_vector(spec["file"], layer=spec.get("layer"), encoding=spec.get("encoding"),
                      assume_crs=spec.get("crs"))
    mapping = spec.get("fields") or {}
    if mapping:
        missing = [theirs for theirs in mapping.values() if theirs not in gdf.columns]
        if missing:
            raise FieldError(
                f"图层“{role}”缺少清单所映射的字段：{', '.join(missing)}；现有字段：{', '.join(map(str, gdf.columns))}。",
                f"Layer '{role}' lacks the mapped fields {', '.join(missing)}; it has: {', '.join(map(str, gdf.columns))}.",
            )
        gdf = gdf.rename(columns={theirs: ours for ours, theirs in mapping.items()})
    where = f"{role} ({Path(spec['file']).name}{'#' + spec['layer'] if spec.get('layer') else ''})"
    if len(gdf) == 0:
        raise LayerError(f"图层 {where} 没有要素。", f"Layer {where} has no features.",
                         "请检查图层内容。", "Check the layer's content.")
    geoms = gdf.geometry.to_numpy()
    empty = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    if empty.any():
        notes.append(f"{where}: 删除 {int(empty.sum())} 个空几何 / dropped {int(empty.sum())} empty geometries")
        gdf = gdf.loc[~empty].copy()
        geoms = gdf.geometry.to_numpy()
        if len(gdf) == 0:
            raise LayerError(f"图层 {where} 只有空几何。", f"Layer {where} has only empty geometries.")
    type_names = set(gdf.geometry.geom_type.unique())
    if not type_names <= set(_GEOM_KIND[kind]):
        want = "面（Polygon）" if kind == "polygon" else "线（LineString）"
        raise LayerError(
            f"图层 {where} 的几何类型为 {', '.join(sorted(type_names))}，应为{want}。",
            f"Layer {where} has geometry type {', '.join(sorted(type_names))}; the role needs "
            f"{'polygons' if kind == 'polygon' else 'lines'}.",
            "请检查清单中的角色与文件是否对应。",
            "Check that the manifest maps this role to the right file.",
        )
    # Datum of the stored coordinates: converted to WGS84 before any geometry work.
    datum = str(spec.get("datum", "wgs84")).lower()
    gdf = gdf.to_crs(WGS84) if not gdf.crs.equals(WGS84) else gdf
    if datum not in ("wgs84", "cgcs2000"):
        gdf = gdf.set_geometry(convert_geometries(gdf.geometry.to_numpy(), datum, "wgs84"), crs=WGS84)
        notes.append(f"{where}: {datum} → WGS84 已转换 / converted from {datum} to WGS84")
    if kind == "polygon":
        valid = shapely.is_valid(gdf.geometry.to_numpy())
        if not valid.all():
            n = int((~valid).sum())
            fixed = shapely.make_valid(gdf.geometry.to_numpy()[~valid])
            fixed = _polygonal(fixed)
            g = gdf.geometry.to_numpy().copy()
            g[~valid] = fixed
            gdf = gdf.set_geometry(g, crs=WGS84)
            notes.append(f"{where}: 修复 {n} 个无效几何 / repaired {n} invalid geometries (make_valid)")
    if role == "parks":
        if "park_id" not in gdf.columns:
            raise FieldError(
                f"园区图层 {where} 缺少字段 park_id；现有字段：{', '.join(map(str, gdf.columns))}。",
                f"Parks layer {where} has no 'park_id' field; it has: {', '.join(map(str, gdf.columns))}.",
                "请在清单 [layers.parks.fields] 中映射，如 park_id = \"园区编号\"。",
                "Map it in the manifest's [layers.parks.fields], e.g. park_id = \"ID\".",
            )
        gdf["park_id"] = gdf["park_id"].astype(str)
        dup = gdf["park_id"].duplicated(keep=False)
        if dup.any():
            ids = sorted(set(gdf.loc[dup, "park_id"]))
            raise FieldError(f"园区编号重复：{', '.join(ids)}。", f"Duplicate park_id values: {', '.join(ids)}.",
                             "每个园区须有唯一编号。", "Give every park a unique park_id.")
    for f in fields:
        if f not in gdf.columns:
            if role in ("parks", "construction_areas", "towns", "district") and f in ("name_zh", "town_zh"):
                notes.append(f"{where}: 缺少字段 {f} / field '{f}' missing")
            gdf[f] = None
    return gdf.reset_index(drop=True)


def _polygonal(geoms: np.ndarray) -> np.ndarray:
    """Keep only the polygonal parts of (repaired) geometries."""
    parts, idx = shapely.get_parts(geoms, return_index=True)
    keep = np.isin(shapely.get_type_id(parts), (3, 6))
    out = np.empty(len(geoms), dtype=object)
    out[:] = shapely.MultiPolygon()
    if keep.any():
        # multipolygons() needs contiguous indices: renumber the present ones.
        present, dense = np.unique(idx[keep], return_inverse=True)
        out[present] = shapely.multipolygons(parts[keep], indices=dense)
    return out


def _to_gdf(geoms_work: np.ndarray, data: dict | None = None) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(data or {}, geometry=from_work(geoms_work), crs=WGS84)


def load_layers(source=None, *, buffer_m: float = DEFAULT_RIVERBANK_BUFFER_M) -> LayerSet:
    """Load, validate and derive the layers of a source.

    Parameters
    ----------
    source : str or Path, optional
        A GeoPackage, a folder or a TOML manifest; default the embedded
        Chongming layers.
    buffer_m : float
        Width of the Yangtze riverbank zone in metres (default 1000).

    Returns
    -------
    LayerSet

    Raises
    ------
    LayerError, FieldError, CRSError
        With a bilingual message naming the layer and what to do.
    """
    specs, info, where = _source_specs(source)
    missing = [r for r, (_, req, _) in ROLES.items() if req and r not in specs]
    if missing:
        raise LayerError(
            f"图层来源“{where}”缺少必需的图层：{', '.join(missing)}；现有：{', '.join(specs) or '无'}。",
            f"Layer source '{where}' lacks the required roles {', '.join(missing)}; it has: "
            f"{', '.join(specs) or 'none'}.",
            "必需角色：district（区界）、parks（园区）、construction_areas（乡镇集中建设区）。",
            "Required roles: district, parks, construction_areas.",
        )
    notes: list[str] = []
    loaded: dict[str, gpd.GeoDataFrame] = {}
    meta: dict[str, dict] = {}
    for role, spec in specs.items():
        if role not in ROLES:
            continue
        loaded[role] = _load_role(role, spec, notes)
        meta[role] = {k: spec.get(k, "") for k in ("source", "licence", "accuracy", "method")}
        meta[role]["datum"] = str(spec.get("datum", "wgs84"))
        meta[role]["illustrative"] = bool(spec.get("illustrative", False))
        meta[role]["file"] = spec["file"]

    district_w = to_work(loaded["district"].geometry.to_numpy())
    dist_u = shapely.union_all(district_w)
    shapely.prepare(dist_u)

    def clip(role: str) -> tuple[gpd.GeoDataFrame, np.ndarray]:
        gdf = loaded[role]
        w = to_work(gdf.geometry.to_numpy())
        inside = shapely.contains(dist_u, w)
        if not inside.all():
            a0 = shapely.area(w[~inside])
            cw = _polygonal(shapely.intersection(w[~inside], dist_u))
            lost = float((a0 - shapely.area(cw)).sum()) / 1e6
            if lost > 1e-6:
                notes.append(
                    f"{role}: {int((~inside).sum())} 个要素超出区界，已裁剪（{lost:.3f} km²）/ "
                    f"{int((~inside).sum())} features reached outside the district and were clipped ({lost:.3f} km²)"
                )
            w = w.copy()
            w[~inside] = cw
            keep = ~shapely.is_empty(w)
            gdf, w = gdf.loc[keep].reset_index(drop=True), w[keep]
            gdf = gdf.set_geometry(from_work(w), crs=WGS84)
        return gdf, w

    parks, parks_w = clip("parks")
    cons, cons_w = clip("construction_areas")
    reserve = reserve_w = None
    if "strategic_reserve" in loaded:
        reserve, reserve_w = clip("strategic_reserve")
    towns = None
    towns_w = None
    if "towns" in loaded:
        towns, towns_w = clip("towns")

    parks_u = shapely.union_all(parks_w)
    cons_u = shapely.union_all(cons_w)
    if "zone_195" in loaded:
        z195 = shapely.intersection(shapely.union_all(to_work(loaded["zone_195"].geometry.to_numpy())), dist_u)
    else:
        z195 = shapely.difference(shapely.intersection(cons_u, dist_u), parks_u)
    if "zone_198" in loaded:
        z198 = shapely.intersection(shapely.union_all(to_work(loaded["zone_198"].geometry.to_numpy())), dist_u)
    else:
        z198 = shapely.difference(shapely.difference(dist_u, parks_u), cons_u)
    z195 = _polygonal(np.array([z195], dtype=object))[0]
    z198 = _polygonal(np.array([z198], dtype=object))[0]

    if "zone_195" in loaded or "zone_198" in loaded:
        # Given zones must partition the district with the parks, or parcels fall between them.
        covered = shapely.union_all([parks_u, z195, z198])
        gap = float(shapely.area(shapely.difference(dist_u, covered))) / 1e6
        overlap = float(shapely.area(shapely.intersection(z195, z198))) / 1e6
        if gap > 0.01 or overlap > 0.01:
            notes.append(
                f"zones: 给定的 195/198 区域与园区未能恰好覆盖区界（未覆盖 {gap:.2f} km²，重叠 {overlap:.2f} km²），"
                f"未覆盖处的地块将被视为区外 / the given 195/198 zones and the parks do not partition the district "
                f"({gap:.2f} km² uncovered, {overlap:.2f} km² overlapping); parcels in the gaps count as outside"
            )

    if "riverbank" in loaded:
        river = loaded["riverbank"]
        river_w = to_work(river.geometry.to_numpy())
    else:
        river_w = np.array([shapely.boundary(dist_u)], dtype=object)
        river = _to_gdf(river_w, {"name_zh": ["由区界推导的岸线"], "name_en": ["riverbank derived from the district boundary"]})
        meta["riverbank"] = {
            "source": "derived from the district boundary",
            "licence": meta["district"].get("licence", ""),
            "datum": "wgs84",
            "accuracy": "approximation: an administrative line is not a shore",
            "illustrative": False,
            "derived": True,
            "method": "boundary(district)",
        }
        notes.append(
            "riverbank: 未提供岸线，已由区界推导（近似；请用官方岸线图层替换）/ "
            "no riverbank layer: derived from the district boundary (an approximation; "
            "replace it with an official shoreline layer)"
        )
    river_u = shapely.union_all(river_w)
    y1km = shapely.intersection(shapely.buffer(river_u, buffer_m, quad_segs=16), dist_u)
    y1km = _polygonal(np.array([y1km], dtype=object))[0]

    for role, m in (("zone_104", "parks"), ("zone_195", "construction_areas"), ("zone_198", "district"),
                    ("yangtze_1km", "riverbank")):
        if role in meta:  # given by the source (zone_195/zone_198), not derived
            meta[role]["derived"] = False
            continue
        meta[role] = {"source": f"derived ({m})", "derived": True, "datum": "wgs84",
                      "illustrative": bool(meta.get(m, {}).get("illustrative", False)),
                      "licence": "", "accuracy": "", "method": ""}
    # A derived 195/198 is illustrative when the parks or construction areas it comes from are.
    for role in ("zone_195", "zone_198"):
        if meta[role]["derived"]:
            meta[role]["illustrative"] = meta["construction_areas"]["illustrative"] or meta["parks"]["illustrative"]

    ls = LayerSet(
        district=loaded["district"],
        parks=parks,
        construction_areas=cons,
        riverbank=river,
        strategic_reserve=reserve,
        towns=towns,
        zone_104=gpd.GeoDataFrame({"park_id": parks["park_id"].to_numpy(), "zone": "104"},
                                  geometry=parks.geometry.to_numpy(), crs=WGS84),
        zone_195=_to_gdf(np.array([z195], dtype=object), {"zone": ["195"]}),
        zone_198=_to_gdf(np.array([z198], dtype=object), {"zone": ["198"]}),
        yangtze_1km=_to_gdf(np.array([y1km], dtype=object), {"buffer_m": [buffer_m]}),
        meta=meta,
        notes=notes,
        source=where,
        buffer_m=buffer_m,
        source_info=info,
    )
    # Seed the work cache with the exact metric geometries (no WGS84 round trip).
    ls._work.update({
        "district": district_w,
        "parks": parks_w,
        "zone_104": parks_w,
        "construction_areas": cons_w,
        "zone_195": np.array([z195], dtype=object),
        "zone_198": np.array([z198], dtype=object),
        "riverbank": river_w,
        "yangtze_1km": np.array([y1km], dtype=object),
    })
    if reserve_w is not None:
        ls._work["strategic_reserve"] = reserve_w
    if towns_w is not None:
        ls._work["towns"] = towns_w
    for n in notes:
        log.info(n)
    return ls
