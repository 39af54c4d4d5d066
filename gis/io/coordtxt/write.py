"""Writing features as a boundary-coordinate TXT file in a CGCS2000 3° Gauss–Krüger zone."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gis.errors import DatumError, OutputError
from gis.geodesy.crs import check_crs, transform_geometries
from gis.geodesy.gauss_kruger import plausible, zone_crs, zone_for_lon, zone_of_crs
from gis.geodesy.offset_crs import offset_datum_of
from gis.geomarrays import present
from gis.io.coordtxt.text import ATTRIBUTES, COORDINATES
from gis.io.safe_write import atomic_output

__all__ = ["output_zone", "write_coordtxt"]

#: Columns the writer takes each header field from (first present wins).
_SOURCES = {
    "block_id": ("block_id", "parcel_id", "id", "地块编号"),
    "name": ("name", "name_zh", "地块名称"),
    "sheet": ("sheet", "图幅号"),
    "use": ("use", "地块用途"),
    "land_class": ("land_class", "地类编码"),
}


def _clean(v) -> str:
    if v is None or (np.ndim(v) == 0 and pd.isna(v)):
        return ""
    # Commas and @ would break the line structure; full-width forms keep the meaning.
    return re.sub(r"[\r\n]+", " ", str(v)).replace(",", "，").replace("@", "＠").strip()


def output_zone(gdf: gpd.GeoDataFrame, zone: int | None = None) -> int:
    """The 3° zone :func:`write_coordtxt` writes ``gdf`` in (``zone`` when given)."""
    if zone is not None:
        return int(zone)
    known = zone_of_crs(gdf.crs)
    if known and known[0] == "cgcs2000" and known[1] == 3:
        return known[2]
    geo = gdf.to_crs(4326) if not gdf.crs.is_geographic else gdf
    west, _, east, _ = geo.total_bounds
    return zone_for_lon((west + east) / 2, 3)


def _block_body(geom, fmt: str, offset: float) -> tuple[str | None, list[str]]:
    """The point lines of one feature: (面/线/点, lines); ``(None, [])`` for collections."""
    gtype = shapely.get_type_id(geom)
    if gtype in (3, 6):  # (multi)polygon: each part's exterior, then its holes
        shape, rings = "面", []
        for part in shapely.get_parts(geom):
            rings.append(shapely.get_coordinates(shapely.get_exterior_ring(part)))
            holes = shapely.get_interior_ring(part, range(shapely.get_num_interior_rings(part)))
            rings += [shapely.get_coordinates(h) for h in holes]
    elif gtype in (1, 2, 5):
        shape, rings = "线", [shapely.get_coordinates(g) for g in shapely.get_parts(geom)]
    elif gtype in (0, 4):
        shape, rings = "点", [shapely.get_coordinates(geom)]
    else:
        return None, []
    body, k = [], 0
    for ring_no, ring in enumerate(rings, start=1):
        # A polygon ring's closing point repeats the first point's name (J1 … J1).
        closing = shape == "面" and len(ring) > 1 and (ring[0] == ring[-1]).all()
        first = k + 1
        for j, (e, n) in enumerate(ring):
            if closing and j == len(ring) - 1:
                name = first
            else:
                k += 1
                name = k
            body.append(f"J{name},{ring_no},{fmt.format(n)},{fmt.format(e + offset)}")
    return shape, body


def _zone_geometries(gdf: gpd.GeoDataFrame, src, zone: int, warnings: list) -> tuple[np.ndarray, np.ndarray]:
    """The geometries in the zone's plane (metres) and which are present; refuses data far from the zone."""
    dst = zone_crs("cgcs2000", 3, zone)
    # Boundary points are surveyed corners: do not densify (that would invent points).
    geoms = transform_geometries(gdf.geometry.to_numpy(), src, dst, densify=False)
    keep = present(geoms)
    if (~keep).any():
        n = int((~keep).sum())
        warnings.append(f"{n} 个要素没有几何，未写出。 / {n} features without geometry skipped.")
    xy = shapely.get_coordinates(geoms[keep])
    if xy.size:
        ok = plausible(xy[:, 1], xy[:, 0], "cgcs2000", 3, zone)
        if not ok.all():
            raise OutputError(
                f"数据超出 3° 分带第 {zone} 带的可用范围。",
                f"The data lie too far from 3-degree zone {zone} to be written in it.",
                "请用 --zone 选择数据所在的带（崇明为 40 或 41）。",
                "Choose the zone of the data with --zone (40 or 41 in Chongming).",
            )
    return geoms, keep


def _header_lines(gdf: gpd.GeoDataFrame, zone: int, producer: str | None) -> list[str]:
    """The [属性描述] section; keys read from a file (``gdf.attrs["coordtxt"]``) are kept where they still hold."""
    attrs = dict(gdf.attrs.get("coordtxt", {}))
    header = {
        "格式版本号": attrs.get("格式版本号", "1.01版本"),
        "数据产生单位": producer if producer is not None else attrs.get("数据产生单位", ""),
        "数据产生日期": attrs.get("数据产生日期") or pd.Timestamp.now().strftime("%Y-%m-%d"),
        "坐标系": "2000国家大地坐标系",
        "几度分带": "3",
        "投影类型": "高斯克吕格",
        "计量单位": "米",
        "带号": str(zone),
        "精度": attrs.get("精度", ""),
        "转换参数": ",,,,,,",
    }
    return [f"[{ATTRIBUTES}]"] + [f"{k}={v}" for k, v in header.items()]


def _block_lines(gdf: gpd.GeoDataFrame, geoms: np.ndarray, keep: np.ndarray, fmt: str, offset: float,
                 warnings: list) -> list[str]:
    """The [地块坐标] section: per feature a header line ending in ``@``, then its point lines."""
    extras = sorted((c for c in gdf.columns if re.fullmatch(r"extra_\d+", str(c))), key=lambda c: int(c[6:]))
    cols = {k: next((c for c in srcs if c in gdf.columns), None) for k, srcs in _SOURCES.items()}

    def column(key: str, default) -> list[str]:
        col = cols[key]
        return [_clean(v) for v in gdf[col]] if col else [default(i) for i in range(len(gdf))]

    ids = column("block_id", lambda i: str(i + 1))
    names = column("name", lambda i: f"地块{i + 1}")
    rest = [column(c, lambda i: "") for c in ("sheet", "use", "land_class")]
    rest += [[_clean(v) for v in gdf[c]] for c in extras]
    lines = [f"[{COORDINATES}]"]
    for i in np.flatnonzero(keep):
        shape, body = _block_body(geoms[i], fmt, offset)
        if shape is None:
            warnings.append(f"第 {i + 1} 个要素是几何集合，未写出。 / "
                            f"feature {i + 1} is a geometry collection; skipped.")
            continue
        area_ha = shapely.area(geoms[i]) / 1e4 if shape == "面" else 0.0
        vals = [str(len(body)), f"{area_ha:.4f}", ids[i], names[i], shape] + [r[i] for r in rest]
        lines.append(",".join(vals) + ",@")
        lines += body
    return lines


def _encode(text: str, encoding: str) -> bytes:
    enc = encoding.lower().replace("_", "-")
    try:
        return text.encode("utf-8" if enc in ("utf8", "utf-8") else encoding)
    except (UnicodeEncodeError, LookupError) as exc:
        raise OutputError(
            f"无法用 {encoding} 编码写出（{exc}）。",
            f"Cannot write the file as {encoding}: {exc}.",
            "请改用 --out-encoding utf-8。",
            "Use --out-encoding utf-8.",
        ) from exc


def write_coordtxt(
    gdf: gpd.GeoDataFrame,
    path,
    *,
    zone: int | None = None,
    encoding: str = "gbk",
    prefix_zone: bool = True,
    newline: str = "\r\n",
    decimals: int = 4,
    producer: str | None = None,
) -> list[str]:
    """Write features as a boundary-coordinate TXT file in a CGCS2000 3° zone.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Features in any CRS (polygons → 面, lines → 线, points → 点). Header
        fields come from ``block_id``/``parcel_id``, ``name``/``name_zh``,
        ``sheet``, ``use``, ``land_class`` and ``extra_*`` when present; the
        point count and the area (hectares, in the zone's plane) are computed.
    path : str or Path
        Output file, written atomically.
    zone : int, optional
        3° zone number (40 or 41 in Chongming). Default: the zone of ``gdf``'s
        CRS when it is a CGCS2000 3° zone, else the zone of the data's centre.
    encoding : str
        ``"gbk"`` (what most land-administration systems read) or ``"utf-8"``.
    prefix_zone : bool
        Write eastings with the zone number in front (``40512345.6789``).
    newline : str
        Line ending, CRLF by default.
    decimals : int
        Decimals of the coordinates, metres (4: 0.1 mm).
    producer : str, optional
        数据产生单位.

    Returns
    -------
    list of str
        Bilingual warnings (features skipped, characters replaced).
    """
    path = Path(path)
    src = check_crs(gdf.crs, str(path))
    if offset_datum_of(src):  # offset lon/lat would become a mislabelled CGCS2000 file
        raise DatumError(
            f"要写入界址点坐标文件的要素为 {offset_datum_of(src).upper()} 偏移坐标，不能写成 CGCS2000 平面坐标。",
            f"The features for the boundary-coordinate file are in {offset_datum_of(src).upper()} offset lon/lat: "
            "they cannot be written as CGCS2000 plane coordinates.",
            "先转回 WGS84（parkgis convert … --datum gcj02），再写 .txt。",
            "Convert them back to WGS84 first (parkgis convert … --datum gcj02), then write the .txt.",
        )
    zone = output_zone(gdf, zone)
    warnings: list[str] = []
    geoms, keep = _zone_geometries(gdf, src, zone, warnings)
    lines = _header_lines(gdf, zone, producer)
    lines += _block_lines(gdf, geoms, keep, f"{{:.{decimals}f}}", zone * 1e6 if prefix_zone else 0.0, warnings)
    data = _encode(newline.join(lines) + newline, encoding)
    with atomic_output(path) as tmp:
        tmp.write_bytes(data)
    return warnings
