"""The boundary-coordinate TXT format (建设项目用地红线坐标 / 勘测定界界址点坐标).

Land administration exchanges project sites in this text format (用地预审,
land approval). A file looks like::

    [属性描述]
    格式版本号=1.01版本
    数据产生单位=崇明区规划和自然资源局
    数据产生日期=2024-05-01
    坐标系=2000国家大地坐标系
    几度分带=3
    投影类型=高斯克吕格
    计量单位=米
    带号=40
    精度=0.01
    转换参数=,,,,,,
    [地块坐标]
    5,1.2000,A-01,地块1,面,,工业用地,0601,@
    J1,1,3505000.000,40640000.000
    J2,1,3505000.000,40640100.000
    J3,1,3504880.000,40640100.000
    J4,1,3504880.000,40640000.000
    J1,1,3505000.000,40640000.000

Each block starts with a header line ending in ``@`` (界址点数, 地块面积 in
hectares, 地块编号, 地块名称, 记录图形属性 面/线/点, 图幅号, 地块用途, 地类编码,
…) followed by point lines ``点号,圈号,X,Y``. **X is the northing and Y the
easting** (often with the zone number prefixed), the reverse of GIS x/y. 圈号 1
is the outer ring; higher numbers are holes (or further parts, told apart by
nesting). Files come as GBK/GB18030 or UTF-8 (with or without BOM), CRLF or LF.

Reading returns one feature per block in the CGCS2000 Gauss–Krüger zone of the
file (e.g. EPSG:4549 for zone 40, whatever the prefix), plus bilingual warnings
that name the line: point count or area differing from the header, unclosed
rings (closed), self-intersections (repaired, ``geometry_repaired``), swapped
X/Y (detected per block and fixed). Zone logic lives in :mod:`gis.geodesy.gauss_kruger`.

1980 西安 / 1954 北京 files need Helmert parameters, from the file's
``转换参数`` or from ``helmert=``, e.g. a 4-parameter plane transformation::

    gdf, warnings = read_coordtxt("site_xian80.txt", helmert="-35.2,118.7,1.35,-4.2")
    # parkgis convert site_xian80.txt -o site.gpkg --helmert "-35.2,118.7,1.35,-4.2"

or 7 Bursa–Wolf parameters ``"dx,dy,dz,rx,ry,rz,s_ppm"`` (see :mod:`gis.geodesy.gauss_kruger`).
The result is then in the CGCS2000 zone of the same number.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gis.geodesy import gauss_kruger as gk
from gis.errors import CRSError, InputError, OutputError
from gis.geomarrays import present

__all__ = ["FIELDS", "is_coordtxt", "output_zone", "read_coordtxt", "write_coordtxt"]

#: Block header fields in file order: (column, Chinese name).
FIELDS: tuple[tuple[str, str], ...] = (
    ("n_points", "界址点数"),
    ("area_ha", "地块面积"),
    ("block_id", "地块编号"),
    ("name", "地块名称"),
    ("shape_type", "记录图形属性"),
    ("sheet", "图幅号"),
    ("use", "地块用途"),
    ("land_class", "地类编码"),
)
_ATTR, _COORDS = "属性描述", "地块坐标"
_MARKERS = tuple(
    f"[{s}]".encode(enc) for s in (_ATTR, _COORDS) for enc in ("utf-8", "gb18030", "utf-16-le", "utf-16-be")
)
#: Relative difference between declared and computed area that is reported.
AREA_TOLERANCE = 0.01


def _w(line: int, zh: str, en: str) -> tuple[int, str]:
    return line, f"第 {line} 行：{zh} / Line {line}: {en}"


def is_coordtxt(path) -> bool:
    """Whether ``path`` looks like a boundary-coordinate TXT file (checks the first KB)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(1024)
    except OSError:
        return False
    return any(m in head for m in _MARKERS)


# --------------------------------------------------------------------------- reading


def _decode(raw: bytes, encoding: str | None, path) -> tuple[str, str]:
    if encoding:
        enc = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
        try:
            return raw.decode(enc), enc
        except (UnicodeDecodeError, LookupError) as exc:
            raise InputError(
                f"无法按 {encoding} 解码“{path}”。",
                f"Cannot decode '{path}' as {encoding}: {exc}.",
                "去掉 --encoding 自动识别（GBK/GB18030 或 UTF-8）。",
                "Drop --encoding to detect GBK/GB18030 or UTF-8.",
            ) from exc
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Windows Notepad's "Unicode"
        return raw.decode("utf-16"), "utf-16"
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:  # GB18030 is a superset of GBK and GB2312
        return raw.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise InputError(
            f"“{path}”既不是 UTF-8 也不是 GBK/GB18030 编码。",
            f"'{path}' is neither UTF-8 nor GBK/GB18030 text.",
            "请用 --encoding 指定编码。",
            "Pass --encoding.",
        ) from exc


def _section(s: str) -> str | None:
    m = re.fullmatch(r"[\[【]\s*(.+?)\s*[\]】]", s)
    return m.group(1) if m else None


class _Parsed:
    """Raw content of a file: header keys, block headers and points (file order)."""

    def __init__(self) -> None:
        self.header: dict[str, str] = {}
        self.key_line: dict[str, int] = {}  # header key → its line number
        self.blocks: list[tuple[int, list[str]]] = []  # (line, fields)
        self.pt_line: list[int] = []
        self.pt_ring: list[int] = []  # global ring id (0, 1, …)
        self.x: list[float] = []
        self.y: list[float] = []
        # per ring: block index, 圈号, closed?, first line, last line
        self.rings: list[list] = []
        self.notes: list[tuple[int, str]] = []


def _parse(text: str, path) -> _Parsed:
    out = _Parsed()
    section = None
    seen: set[str] = set()
    start = None  # (x, y) of the current ring's first point
    count = 0
    for no, line in enumerate(text.splitlines(), start=1):
        s = line.strip().lstrip("\ufeff")
        if not s:
            continue
        sec = _section(s)
        if sec is not None:
            section = sec
            seen.add(sec)
            continue
        if section == _ATTR:
            key, sep, value = s.replace("＝", "=").partition("=")
            if sep:
                out.header[key.strip()] = value.strip()
                out.key_line[key.strip()] = no
        elif section == _COORDS:
            if s.endswith("@"):
                body = s[:-1]
                fields = [f.strip() for f in body.split(",")]
                if body.endswith(","):
                    fields.pop()
                out.blocks.append((no, fields))
                start = None
                continue
            parts = [p.strip() for p in s.replace("，", ",").split(",")]
            try:
                ring_no, x, y = int(float(parts[1])), float(parts[2]), float(parts[3])
            except (IndexError, ValueError):
                if not out.blocks and not re.search(r"\d", parts[0] if parts else ""):
                    out.notes.append(_w(no, "无法识别的标题行，已忽略。", "unrecognised caption line ignored."))
                    continue
                raise InputError(
                    f"“{path}”第 {no} 行不是“点号,圈号,X,Y”：{s!r}",
                    f"'{path}' line {no} is not 'point,ring,X,Y': {s!r}",
                    "坐标须为数字，用英文逗号分隔。",
                    "Coordinates must be numbers separated by ASCII commas.",
                ) from None
            if not out.blocks:
                raise InputError(
                    f"“{path}”第 {no} 行：坐标点出现在第一个地块头行（以 @ 结尾）之前。",
                    f"'{path}' line {no}: a point comes before the first block header (a line ending in @).",
                )
            block = len(out.blocks) - 1
            ring = out.rings[-1] if out.rings else None
            # A new ring starts with a new block, a new 圈号, or after the ring closed.
            if ring is None or ring[0] != block or ring[1] != ring_no or ring[2]:
                out.rings.append([block, ring_no, False, no, no])
                start = (x, y)
                count = 0
            ring = out.rings[-1]
            count += 1
            ring[4] = no
            if count > 3 and (x, y) == start:
                ring[2] = True
            out.pt_line.append(no)
            out.pt_ring.append(len(out.rings) - 1)
            out.x.append(x)
            out.y.append(y)
    if _COORDS not in seen or not out.blocks:
        raise InputError(
            f"“{path}”中没有地块：缺少 [地块坐标] 段或以 @ 结尾的地块头行。",
            f"'{path}' holds no block: no [地块坐标] section or no header line ending in @.",
        )
    return out


def _kind(shape: str) -> str:
    s = (shape or "").strip().lower()
    if s in ("线", "line", "l"):
        return "line"
    if s in ("点", "point", "p"):
        return "point"
    return "polygon"  # 面, or left empty


def _nesting(rings: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For the rings of one block: is each a shell, and its parent shell (index)."""
    polys = shapely.polygons(rings)
    rep = shapely.point_on_surface(polys)
    area = shapely.area(polys)
    # inside[j, i]: ring i lies within ring j. A point inside ring i lies inside
    # every ring enclosing it; the area test drops the rings nested in i itself.
    inside = shapely.contains(polys[:, None], rep[None, :]) & (area[:, None] > area[None, :])
    depth = inside.sum(axis=0)
    shell = depth % 2 == 0
    parent = np.arange(len(rings))
    for i in np.flatnonzero(~shell):
        # the innermost containing shell
        cands = np.flatnonzero(inside[:, i] & shell)
        parent[i] = cands[np.argmax(depth[cands])] if cands.size else i
    return shell, parent


def _build(p: _Parsed, path, northing: np.ndarray, easting: np.ndarray, notes: list) -> gpd.GeoDataFrame:
    nb = len(p.blocks)
    ring_of_pt = np.asarray(p.pt_ring, dtype=int)
    ring_block = np.array([r[0] for r in p.rings], dtype=int)
    ring_no = np.array([r[1] for r in p.rings], dtype=int)
    closed = np.array([r[2] for r in p.rings], dtype=bool)
    npts = np.bincount(ring_of_pt, minlength=len(p.rings))
    kinds = np.array([_kind(f[4] if len(f) > 4 else "") for _, f in p.blocks])
    ring_kind = kinds[ring_block]
    coords = np.column_stack([easting, northing])
    geoms = np.full(nb, None, dtype=object)
    repaired = np.zeros(nb, dtype=bool)

    is_poly = ring_kind == "polygon"
    short = np.flatnonzero(is_poly & (npts - closed < 3) | ~is_poly & (npts < 1))
    if short.size:
        r = p.rings[short[0]]
        raise InputError(
            f"“{path}”第 {r[3]} 行起的第 {r[1]} 圈少于 3 个不同的点，不能构成面。",
            f"'{path}' ring {r[1]} starting at line {r[3]} has fewer than 3 distinct points.",
        )
    for i in np.flatnonzero(is_poly & ~closed):
        notes.append(_w(p.rings[i][4], f"第 {ring_no[i]} 圈未闭合（末点与首点不同），已自动闭合。",
                        f"ring {ring_no[i]} is not closed (last point differs from the first); closed."))

    pr = np.flatnonzero(is_poly)
    if pr.size:
        mask = is_poly[ring_of_pt]
        local = np.searchsorted(pr, ring_of_pt[mask])
        lr = shapely.linearrings(coords[mask], indices=local)
        shell = np.ones(pr.size, dtype=bool)
        parent = np.arange(pr.size)
        blocks_pr = ring_block[pr]
        for b in np.flatnonzero(np.bincount(blocks_pr, minlength=nb) > 1):
            idx = np.flatnonzero(blocks_pr == b)
            sh, par = _nesting(lr[idx])
            shell[idx], parent[idx] = sh, idx[par]
            for k in idx[sh & (ring_no[pr[idx]] > 1)]:
                notes.append(_w(p.rings[pr[k]][3], f"第 {ring_no[pr[k]]} 圈不是第 1 圈的内洞，按地块的另一部分读取。",
                                f"ring {ring_no[pr[k]]} is not a hole of ring 1; read as a further part of the block."))
        # Shell first, then its holes: polygons() takes the first ring per index as shell.
        order = np.lexsort((~shell, parent))
        poly_of_ring = np.unique(parent, return_inverse=True)[1]
        polys = shapely.polygons(lr[order], indices=poly_of_ring[order])
        poly_block = blocks_pr[np.unique(parent)]
        multi = np.bincount(poly_block, minlength=nb) > 1
        single = ~multi[poly_block]
        geoms[poly_block[single]] = polys[single]
        if multi.any():
            mp = shapely.multipolygons(polys[~single], indices=np.searchsorted(
                np.flatnonzero(multi), poly_block[~single]))
            geoms[np.flatnonzero(multi)] = mp
    # Lines (线): one linestring per ring; points (点): all points of the block.
    has_points = np.bincount(ring_block, minlength=nb) > 0
    for kind in ("line", "point"):
        sel = np.flatnonzero((kinds == kind) & has_points)
        if not sel.size:
            continue
        mask = np.isin(ring_block[ring_of_pt], sel)
        block_idx = np.searchsorted(sel, ring_block[ring_of_pt[mask]])
        if kind == "point":
            geoms[sel] = shapely.multipoints(coords[mask], indices=block_idx)
            continue
        rings_used, ring_idx = np.unique(ring_of_pt[mask], return_inverse=True)
        lines = shapely.linestrings(coords[mask], indices=ring_idx)
        geoms[sel] = shapely.multilinestrings(lines, indices=np.searchsorted(sel, ring_block[rings_used]))

    for b in np.flatnonzero(shapely.is_missing(geoms)):
        notes.append(_w(p.blocks[b][0], "地块没有坐标点，几何为空。",
                        "the block has no points; its geometry is empty."))
    poly_blocks = np.flatnonzero((kinds == "polygon") & ~shapely.is_missing(geoms))
    invalid = poly_blocks[~shapely.is_valid(geoms[poly_blocks])]
    for b, reason in zip(invalid, shapely.is_valid_reason(geoms[invalid]), strict=True):
        m = re.search(r"\[([-\d.eE+]+) ([-\d.eE+]+)\]", reason)
        where = f" X={float(m.group(2)):.3f}, Y={float(m.group(1)):.3f}" if m else ""
        notes.append(_w(p.blocks[b][0], f"地块自相交或无效（{reason.split('[')[0]}{where}），已修复。",
                        f"block geometry invalid ({reason.split('[')[0]}{where}); repaired."))
    if invalid.size:
        geoms[invalid] = shapely.make_valid(geoms[invalid], method="structure", keep_collapsed=False)
        repaired[invalid] = True

    fields = [f for _, f in p.blocks]
    width = max(len(FIELDS), max(len(f) for f in fields))
    names = [c for c, _ in FIELDS] + [f"extra_{i}" for i in range(1, width - len(FIELDS) + 1)]
    df = pd.DataFrame([f + [""] * (width - len(f)) for f in fields], columns=names).replace("", None)
    df["n_points"] = pd.to_numeric(df["n_points"], errors="coerce").astype("Int64")
    df["area_ha"] = pd.to_numeric(df["area_ha"], errors="coerce")
    df["geometry_repaired"] = repaired
    _check_counts(p, df, ring_block, closed, npts, notes)
    _check_areas(p, df, geoms, kinds, notes)
    return gpd.GeoDataFrame(df, geometry=geoms)


def _check_counts(p, df, ring_block, closed, npts, notes) -> None:
    nb = len(p.blocks)
    lines = np.bincount(ring_block, weights=npts, minlength=nb).astype(int)
    n_closed = np.bincount(ring_block, weights=closed, minlength=nb).astype(int)
    n_open = np.bincount(ring_block, weights=~closed, minlength=nb).astype(int)
    declared = df["n_points"].to_numpy(dtype="float64", na_value=np.nan)
    # Files count either every point line or only distinct points; both are fine.
    ok = np.isnan(declared) | (declared == lines) | (declared == lines - n_closed) | (declared == lines + n_open)
    for b in np.flatnonzero(~ok):
        notes.append(_w(p.blocks[b][0], f"声明界址点数 {int(declared[b])}，实际 {lines[b]} 个。",
                        f"header declares {int(declared[b])} points, the block has {lines[b]}."))


def _check_areas(p, df, geoms, kinds, notes) -> None:
    declared = df["area_ha"].to_numpy(dtype="float64", na_value=np.nan)
    computed = shapely.area(geoms.astype(object)) / 1e4
    with np.errstate(invalid="ignore", divide="ignore"):
        rel = np.abs(computed - declared) / declared
    for b in np.flatnonzero((kinds == "polygon") & (declared > 0) & (rel > AREA_TOLERANCE)):
        hint_zh = hint_en = ""
        if abs(declared[b] / 1e4 - computed[b]) <= AREA_TOLERANCE * computed[b]:
            hint_zh, hint_en = "（声明值似乎以平方米计）", " (the declared value looks like m²)"
        elif abs(declared[b] / 15 - computed[b]) <= AREA_TOLERANCE * computed[b]:
            hint_zh, hint_en = "（声明值似乎以亩计）", " (the declared value looks like mu)"
        notes.append(_w(p.blocks[b][0],
                        f"声明面积 {declared[b]:.4f} 公顷，按坐标计算 {computed[b]:.4f} 公顷，"
                        f"相差 {rel[b]:.1%}{hint_zh}。",
                        f"declared area {declared[b]:.4f} ha, computed {computed[b]:.4f} ha "
                        f"({rel[b]:.1%} apart){hint_en}."))


def read_coordtxt(path, *, encoding: str | None = None, helmert: str | None = None):
    """Read a boundary-coordinate TXT file.

    Parameters
    ----------
    path : str or Path
        The file.
    encoding : str, optional
        Text encoding; default: UTF-8 (with or without BOM), else GB18030/GBK.
    helmert : str, optional
        ``"dX,dY,rot_arcsec,scale_ppm"`` or ``"dx,dy,dz,rx,ry,rz,s_ppm"`` (see
        :mod:`gis.geodesy.gauss_kruger`); overrides the file's 转换参数. Required for 1980 西安,
        1954 北京 and local city systems when the file carries none.

    Returns
    -------
    gdf : geopandas.GeoDataFrame
        One feature per block with columns ``n_points``, ``area_ha`` (both as
        declared; hectares), ``block_id``, ``name``, ``shape_type``, ``sheet``,
        ``use``, ``land_class`` (``extra_1``… for further header fields) and
        ``geometry_repaired``; CRS: the CGCS2000 Gauss–Krüger zone without prefix
        (e.g. EPSG:4549). ``gdf.attrs["coordtxt"]`` holds the [属性描述] keys,
        ``gdf.attrs["coordtxt_crs"]`` the zone, encoding and any Helmert applied.
    warnings : list of str
        Bilingual (zh / en), each naming its line, in line order.

    Raises
    ------
    InputError
        Unreadable or malformed file, a zone prefix contradicting 带号,
        coordinates impossible for the zone even with X/Y swapped.
    CRSError
        Unknown coordinate system or zone; 1980 西安 / 1954 北京 / local systems
        without parameters.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"找不到文件“{path}”。", f"File not found: '{path}'.")
    text, used_enc = _decode(path.read_bytes(), encoding, path)
    p = _parse(text, path)
    notes: list[tuple[int, str]] = list(p.notes)
    if not p.x:
        raise InputError(f"“{path}”的地块没有坐标点。", f"'{path}': its blocks have no points.")
    X, Y = np.asarray(p.x), np.asarray(p.y)
    datum, width, zone, prefixed = gk.resolve_zone(p.header, X, Y, p.pt_line, path, notes, p.key_line)
    params = gk.parse_helmert(helmert, "--helmert") if helmert else None
    if params is None:
        params = gk.parse_helmert(p.header.get("转换参数"), "转换参数")
    if params is None and datum in gk.NEEDS_PARAMETERS:
        raise CRSError(
            f"“{path}”为{p.header.get('坐标系')}，需要转换参数才能转到 CGCS2000。",
            f"'{path}' is in {p.header.get('坐标系')} ({datum}): it needs Helmert parameters to reach "
            "CGCS2000 (PROJ's default transformation for it is only approximate).",
            "在文件的“转换参数=”中填写，或用 --helmert 给出四参数 dX,dY,旋转角(秒),尺度(ppm) 或七参数。",
            "Fill 转换参数= in the file, or pass --helmert with 4 (dX,dY,rot_arcsec,scale_ppm) or 7 parameters.",
        )
    to_plane = None
    if params is not None:
        if datum in ("cgcs2000", "wgs84"):
            line = p.key_line.get("转换参数", p.key_line.get("坐标系", 1))
            notes.append(_w(line, "文件为 CGCS2000，仍按给定转换参数转换。",
                            "the file is CGCS2000; the given Helmert parameters are applied anyway."))

        def to_plane(n, e):
            return gk.apply_helmert(n, e, params, datum, width, zone)
    elif datum == "wgs84":
        notes.append(_w(p.key_line.get("坐标系", 1), "坐标系为 WGS84，按 CGCS2000 分带处理（差异 < 0.1 m）。",
                        "coordinate system WGS84 read as the CGCS2000 zone (they differ by < 0.1 m)."))

    block_of_pt = np.array([p.rings[r][0] for r in p.pt_ring], dtype=int)
    northing, easting, swapped, bad = gk.orient(X, Y, block_of_pt, datum, width, zone, to_plane)
    if bad is not None:
        no, cm = p.pt_line[bad], gk.central_meridian(width, zone)
        raise InputError(
            f"“{path}”第 {no} 行：坐标 X={X[bad]:.3f}, Y={Y[bad]:.3f} 不可能位于 {width}° 分带第 {zone} 带"
            f"（中央经线 {cm}°E），X/Y 互换后也不行。",
            f"'{path}' line {no}: X={X[bad]:.3f}, Y={Y[bad]:.3f} cannot lie in {width}-degree zone {zone} "
            f"(central meridian {cm}° E), not even with X and Y swapped.",
            "X 应为北坐标（崇明约 3 500 000），Y 为东坐标（可带带号前缀）；请核对带号、坐标与转换参数。",
            "X must be the northing (about 3,500,000 in Chongming) and Y the easting (optionally with "
            "the zone prefix); check the zone, the coordinates and any Helmert parameters.",
        )
    for b in np.flatnonzero(swapped):
        line, f = p.blocks[b]
        label = f[2] if len(f) > 2 and f[2] else str(b + 1)
        notes.append(_w(line, f"地块 {label} 的 X/Y 互换了（X 应为北坐标、Y 为东坐标），已按互换读取，请核对。",
                        f"block {label} has X and Y swapped (X must be the northing, Y the easting); "
                        "read swapped back — please check."))
    if to_plane is not None:
        northing, easting = to_plane(northing, easting)

    gdf = _build(p, path, northing, easting, notes).set_crs(gk.zone_crs("cgcs2000", width, zone))
    gdf.attrs["coordtxt"] = dict(p.header)
    gdf.attrs["coordtxt_crs"] = {
        "datum": datum, "width": width, "zone": zone, "prefixed": prefixed, "encoding": used_enc,
        "epsg": gdf.crs.to_epsg(), "helmert": params.describe() if params else None,
        "swapped_blocks": [int(b) for b in np.flatnonzero(swapped)],
    }
    return gdf, [msg for _, msg in sorted(notes, key=lambda t: t[0])]


# --------------------------------------------------------------------------- writing

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
    known = gk.zone_of_crs(gdf.crs)
    if known and known[0] == "cgcs2000" and known[1] == 3:
        return known[2]
    geo = gdf.to_crs(4326) if not gdf.crs.is_geographic else gdf
    west, _, east, _ = geo.total_bounds
    return gk.zone_for_lon((west + east) / 2, 3)


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


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
    from gis.geodesy.crs import check_crs, transform_geometries

    path = Path(path)
    src = check_crs(gdf.crs, str(path))
    zone = output_zone(gdf, zone)
    dst = gk.zone_crs("cgcs2000", 3, zone)
    # Boundary points are surveyed corners: do not densify (that would invent points).
    geoms = transform_geometries(gdf.geometry.to_numpy(), src, dst, densify=False)
    warnings: list[str] = []
    keep = present(geoms)
    if (~keep).any():
        n = int((~keep).sum())
        warnings.append(f"{n} 个要素没有几何，未写出。 / {n} features without geometry skipped.")
    xy = shapely.get_coordinates(geoms[keep])
    if xy.size:
        ok = gk.plausible(xy[:, 1], xy[:, 0], "cgcs2000", 3, zone)
        if not ok.all():
            raise OutputError(
                f"数据超出 3° 分带第 {zone} 带的可用范围。",
                f"The data lie too far from 3-degree zone {zone} to be written in it.",
                "请用 --zone 选择数据所在的带（崇明为 40 或 41）。",
                "Choose the zone of the data with --zone (40 or 41 in Chongming).",
            )
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
    lines = [f"[{_ATTR}]"] + [f"{k}={v}" for k, v in header.items()] + [f"[{_COORDS}]"]
    extras = sorted((c for c in gdf.columns if re.fullmatch(r"extra_\d+", str(c))), key=lambda c: int(c[6:]))
    cols = {k: next((c for c in srcs if c in gdf.columns), None) for k, srcs in _SOURCES.items()}
    fmt = f"{{:.{decimals}f}}"
    offset = zone * 1e6 if prefix_zone else 0.0

    def column(key: str, default) -> list[str]:
        col = cols[key]
        return [_clean(v) for v in gdf[col]] if col else [default(i) for i in range(len(gdf))]

    ids = column("block_id", lambda i: str(i + 1))
    names = column("name", lambda i: f"地块{i + 1}")
    rest = [column(c, lambda i: "") for c in ("sheet", "use", "land_class")]
    rest += [[_clean(v) for v in gdf[c]] for c in extras]
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
    text = newline.join(lines) + newline
    enc = encoding.lower().replace("_", "-")
    try:
        data = text.encode("utf-8" if enc in ("utf8", "utf-8") else encoding)
    except (UnicodeEncodeError, LookupError) as exc:
        raise OutputError(
            f"无法用 {encoding} 编码写出（{exc}）。",
            f"Cannot write the file as {encoding}: {exc}.",
            "请改用 --out-encoding utf-8。",
            "Use --out-encoding utf-8.",
        ) from exc
    _atomic_write(path, data)
    return warnings
