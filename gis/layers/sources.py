"""Layer sources: GeoPackage, folder or TOML manifest → validated GeoDataFrames per role.

:func:`read_source` resolves a source to its roles (file, layer, datum, field
mapping, provenance) and reads each role with its checks: geometry type,
CRS, datum (converted to WGS84), validity (repaired and noted), required
fields. Deriving the zones is :mod:`gis.layers.zones`' job.
"""

from __future__ import annotations

import sqlite3
from importlib.resources import files
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gis.config import Where, boolean, choice, read_toml, table, text
from gis.errors import FieldError, LayerError
from gis.geodesy.crs import WGS84
from gis.geodesy.datums import convert_geometries
from gis.io.ogr import list_layers
from gis.io.safe_write import note_read
from gis.io.vector import read_vector
from gis.layers.roles import GEOMETRY_TYPES, ROLES

__all__ = ["default_source", "read_source", "polygonal"]


def default_source() -> Path:
    """Path of the embedded Chongming manifest."""
    return Path(str(files("parkgis_layers").joinpath("chongming", "manifest.toml")))


#: Keys of a manifest's [layers.<role>] table: where the data is, and its provenance (DESIGN §8).
_ROLE_KEYS = ("file", "layer", "datum", "crs", "encoding", "fields", "illustrative", "synthetic", "source",
              "attribution", "licence", "license", "accuracy", "method", "note", "notes", "name_zh", "name_en", "date",
              "url", "version")
#: Datums a layer file may be in (CGCS2000 is taken as WGS84 at this scale, DESIGN §7).
_LAYER_DATUMS = ("wgs84", "cgcs2000", "gcj02", "bd09")


def _manifest_where(path: Path) -> Where:
    return Where(str(path), "图层清单", "layer manifest", LayerError,
                 "清单须为 TOML，每个角色一节 [layers.<角色>]，含 file（及 layer）；见 README“图层”。",
                 "A manifest is TOML with one [layers.<role>] table per role, each with file (and layer); "
                 "see README, Layers.")


def _role_spec(role: str, spec, w: Where) -> dict:
    """One [layers.<role>] table, checked: its keys known, each value of the right kind."""
    key = ("layers", role)
    spec = table(spec, key, w, _ROLE_KEYS)
    if "file" not in spec:
        raise w.fail(key, None, "缺少 file", "has no 'file'")
    out = {k: text(v, key + (k,), w) for k, v in spec.items()
           if k not in ("fields", "illustrative", "synthetic", "datum")}
    out["file"] = text(spec["file"], key + ("file",), w, empty=False)
    if "datum" in spec:
        out["datum"] = choice(spec["datum"], key + ("datum",), w, _LAYER_DATUMS)
    if "illustrative" in spec:
        out["illustrative"] = boolean(spec["illustrative"], key + ("illustrative",), w)
    if "synthetic" in spec:  # true/false, or the text saying how it was made
        v = spec["synthetic"]
        out["synthetic"] = v if isinstance(v, str) else boolean(v, key + ("synthetic",), w)
    if "fields" in spec:
        fields = table(spec["fields"], key + ("fields",), w)
        out["fields"] = {ours: text(theirs, key + ("fields", ours), w, empty=False) for ours, theirs in fields.items()}
    return out


def _read_manifest(path: Path) -> tuple[dict, dict]:
    note_read(path)  # no output of the command may overwrite it (nor the files it names: read_vector)
    w = _manifest_where(path)
    data = table(read_toml(path, w), (), w)
    layers = data.get("layers", {})
    if not isinstance(layers, dict) or not layers:
        raise LayerError(f"图层清单“{path}”没有 [layers.*] 节。", f"Layer manifest '{path}' has no [layers.*] tables.",
                         w.hint_zh, w.hint_en)
    table(layers, ("layers",), w, list(ROLES))
    specs = {}
    for role, spec in layers.items():
        spec = _role_spec(role, spec, w)
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
        rec = dict(zip(cols, r, strict=True))
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


def _map_fields(role: str, gdf: gpd.GeoDataFrame, mapping: dict) -> gpd.GeoDataFrame:
    """Rename the source's fields to ours (manifest ``[layers.<role>.fields]``: ours = theirs)."""
    if not mapping:
        return gdf
    missing = [theirs for theirs in mapping.values() if theirs not in gdf.columns]
    if missing:
        have = ", ".join(map(str, gdf.columns))
        raise FieldError(
            f"图层“{role}”缺少清单所映射的字段：{', '.join(missing)}；现有字段：{have}。",
            f"Layer '{role}' lacks the mapped fields {', '.join(missing)}; it has: {have}.",
        )
    return gdf.rename(columns={theirs: ours for ours, theirs in mapping.items()})


def _drop_empty(gdf: gpd.GeoDataFrame, where: str, notes: list[str]) -> gpd.GeoDataFrame:
    """Drop features without geometry (noted); refuse a layer with no features or only empty ones."""
    if len(gdf) == 0:
        raise LayerError(f"图层 {where} 没有要素。", f"Layer {where} has no features.",
                         "请检查图层内容。", "Check the layer's content.")
    geoms = gdf.geometry.to_numpy()
    empty = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    if empty.any():
        notes.append(f"{where}: 删除 {int(empty.sum())} 个空几何 / dropped {int(empty.sum())} empty geometries")
        gdf = gdf.loc[~empty].copy()
        if len(gdf) == 0:
            raise LayerError(f"图层 {where} 只有空几何。", f"Layer {where} has only empty geometries.")
    return gdf


def _check_geometry_type(gdf: gpd.GeoDataFrame, kind: str, where: str) -> None:
    type_names = set(gdf.geometry.geom_type.unique())
    if not type_names <= set(GEOMETRY_TYPES[kind]):
        want = "面（Polygon）" if kind == "polygon" else "线（LineString）"
        raise LayerError(
            f"图层 {where} 的几何类型为 {', '.join(sorted(type_names))}，应为{want}。",
            f"Layer {where} has geometry type {', '.join(sorted(type_names))}; the role needs "
            f"{'polygons' if kind == 'polygon' else 'lines'}.",
            "请检查清单中的角色与文件是否对应。",
            "Check that the manifest maps this role to the right file.",
        )


def _to_wgs84(gdf: gpd.GeoDataFrame, datum: str, where: str, notes: list[str]) -> gpd.GeoDataFrame:
    """Project to EPSG:4326 and shift an offset datum (GCJ-02, BD-09) to WGS84, before any geometry work."""
    gdf = gdf.to_crs(WGS84) if not gdf.crs.equals(WGS84) else gdf
    if datum not in ("wgs84", "cgcs2000"):
        gdf = gdf.set_geometry(convert_geometries(gdf.geometry.to_numpy(), datum, "wgs84"), crs=WGS84)
        notes.append(f"{where}: {datum} → WGS84 已转换 / converted from {datum} to WGS84")
    return gdf


def _repair(gdf: gpd.GeoDataFrame, where: str, notes: list[str]) -> gpd.GeoDataFrame:
    """Repair invalid polygons (``make_valid``, polygonal parts kept), noted."""
    valid = shapely.is_valid(gdf.geometry.to_numpy())
    if valid.all():
        return gdf
    n = int((~valid).sum())
    fixed = polygonal(shapely.make_valid(gdf.geometry.to_numpy()[~valid]))
    g = gdf.geometry.to_numpy().copy()
    g[~valid] = fixed
    notes.append(f"{where}: 修复 {n} 个无效几何 / repaired {n} invalid geometries (make_valid)")
    return gdf.set_geometry(g, crs=WGS84)


def _check_park_ids(gdf: gpd.GeoDataFrame, where: str) -> None:
    """Every park needs a unique ``park_id`` (made text): zone 104 and the tables name parks by it."""
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


def _check_target_numbers(gdf: gpd.GeoDataFrame, where: str) -> None:
    """The parks' output targets (亿元): empty, or finite and not negative (an infinite target is never met)."""
    if "target_output_2025_yi" not in gdf.columns:
        return
    raw = gdf["target_output_2025_yi"]
    num = np.asarray(pd.to_numeric(raw, errors="coerce"), dtype="float64")
    text = raw.notna().to_numpy() & np.isnan(num) & raw.astype(str).str.strip().ne("").to_numpy()
    bad = text | np.isinf(num) | (num < 0)
    if bad.any():
        ids = ", ".join(gdf["park_id"].astype(str).to_numpy()[bad][:10])
        raise FieldError(
            f"园区图层 {where} 的 target_output_2025_yi（亿元）含非数、负数或无穷大（园区 {ids}）。",
            f"Parks layer {where}: target_output_2025_yi (亿元) holds values that are not finite non-negative "
            f"numbers (parks {ids}).",
            "请修正这些值，或留空（目标文件中的值将被采用）。",
            "Correct them, or leave them empty (the targets file's value is then used).",
        )


def _load_role(role: str, spec: dict, notes: list[str]) -> gpd.GeoDataFrame:
    """Read one role's layer and check it: fields mapped, empty features dropped, geometry type,
    WGS84, polygons repaired, park ids; fields the role uses but the layer lacks are added empty."""
    kind, _required, fields = ROLES[role]
    gdf = read_vector(spec["file"], layer=spec.get("layer"), encoding=spec.get("encoding"),
                      assume_crs=spec.get("crs"))
    gdf = _map_fields(role, gdf, spec.get("fields") or {})
    where = f"{role} ({Path(spec['file']).name}{'#' + spec['layer'] if spec.get('layer') else ''})"
    gdf = _drop_empty(gdf, where, notes)
    _check_geometry_type(gdf, kind, where)
    gdf = _to_wgs84(gdf, str(spec.get("datum", "wgs84")).lower(), where, notes)
    if kind == "polygon":
        gdf = _repair(gdf, where, notes)
    if role == "parks":
        _check_park_ids(gdf, where)
        _check_target_numbers(gdf, where)
    for f in fields:
        if f not in gdf.columns:
            if role in ("parks", "construction_areas", "towns", "district") and f in ("name_zh", "town_zh"):
                notes.append(f"{where}: 缺少字段 {f} / field '{f}' missing")
            gdf[f] = None
    return gdf.reset_index(drop=True)


def polygonal(geoms: np.ndarray) -> np.ndarray:
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


def read_source(source) -> tuple[dict[str, gpd.GeoDataFrame], dict[str, dict], dict, str, list[str]]:
    """Read every role of a layer source.

    Returns
    -------
    loaded : dict
        Role → GeoDataFrame in EPSG:4326 (WGS84), validated.
    specs : dict
        Role → its source spec (file, layer, datum, provenance).
    info : dict
        The manifest's ``[source]`` table (empty for other sources).
    where : str
        The source, for messages.
    notes : list of str
        Validation notes.
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
    loaded = {role: _load_role(role, spec, notes) for role, spec in specs.items() if role in ROLES}
    return loaded, specs, info, where, notes
