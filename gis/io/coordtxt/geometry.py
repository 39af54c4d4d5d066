"""Geometries from the parsed points of a boundary-coordinate file, and their checks.

One feature per block: 面 blocks become (multi)polygons — 圈号 1 is the outer
ring, higher numbers holes or further parts, told apart by nesting —, 线 blocks
(multi)linestrings and 点 blocks multipoints. Unclosed rings are closed,
self-intersections repaired (``geometry_repaired``), and point counts and areas
compared with the block headers; every finding is a warning that names its line.
All of it works on whole arrays of points and rings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gis.errors import InputError
from gis.io.coordtxt.text import FIELDS, ParsedFile, line_note

__all__ = ["AREA_TOLERANCE", "build_blocks"]

#: Relative difference between declared and computed area that is reported.
AREA_TOLERANCE = 0.01


def _kind(shape: str) -> str:
    s = (shape or "").strip().lower()
    if s in ("线", "line", "l"):
        return "line"
    if s in ("点", "point", "p"):
        return "point"
    return "polygon"  # 面, or left empty


@dataclass
class _Rings:
    """The rings of a file as arrays: one entry per point or per ring."""

    of_point: np.ndarray  # ring index of each point
    block: np.ndarray  # block index of each ring
    number: np.ndarray  # 圈号 of each ring
    closed: np.ndarray  # the ring's last point repeats its first
    points: np.ndarray  # point lines of each ring
    kinds: np.ndarray  # per block: "polygon", "line" or "point"

    @classmethod
    def of(cls, p: ParsedFile) -> _Rings:
        ring_of_pt = np.asarray(p.pt_ring, dtype=int)
        return cls(
            of_point=ring_of_pt,
            block=np.array([r[0] for r in p.rings], dtype=int),
            number=np.array([r[1] for r in p.rings], dtype=int),
            closed=np.array([r[2] for r in p.rings], dtype=bool),
            points=np.bincount(ring_of_pt, minlength=len(p.rings)),
            kinds=np.array([_kind(f[4] if len(f) > 4 else "") for _, f in p.blocks]),
        )


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


def _check_rings(p: ParsedFile, r: _Rings, notes: list) -> None:
    """Refuse rings too short to draw; note the unclosed polygon rings (they get closed)."""
    is_poly = r.kinds[r.block] == "polygon"
    short = np.flatnonzero(is_poly & (r.points - r.closed < 3) | ~is_poly & (r.points < 1))
    if short.size:
        ring = p.rings[short[0]]
        raise InputError(
            f"“{p.path}”第 {ring[3]} 行起的第 {ring[1]} 圈少于 3 个不同的点，不能构成面。",
            f"'{p.path}' ring {ring[1]} starting at line {ring[3]} has fewer than 3 distinct points.",
        )
    for i in np.flatnonzero(is_poly & ~r.closed):
        notes.append(line_note(p.rings[i][4], f"第 {r.number[i]} 圈未闭合（末点与首点不同），已自动闭合。",
                               f"ring {r.number[i]} is not closed (last point differs from the first); closed."))


def _polygons(p: ParsedFile, r: _Rings, coords: np.ndarray, geoms: np.ndarray, notes: list) -> None:
    """Fill ``geoms`` for the 面 blocks: shells with their holes, several shells a multipolygon."""
    nb = len(p.blocks)
    is_poly = r.kinds[r.block] == "polygon"
    pr = np.flatnonzero(is_poly)
    if not pr.size:
        return
    mask = is_poly[r.of_point]
    local = np.searchsorted(pr, r.of_point[mask])
    lr = shapely.linearrings(coords[mask], indices=local)
    shell = np.ones(pr.size, dtype=bool)
    parent = np.arange(pr.size)
    blocks_pr = r.block[pr]
    for b in np.flatnonzero(np.bincount(blocks_pr, minlength=nb) > 1):
        idx = np.flatnonzero(blocks_pr == b)
        sh, par = _nesting(lr[idx])
        shell[idx], parent[idx] = sh, idx[par]
        for k in idx[sh & (r.number[pr[idx]] > 1)]:
            n = r.number[pr[k]]
            notes.append(line_note(p.rings[pr[k]][3], f"第 {n} 圈不是第 1 圈的内洞，按地块的另一部分读取。",
                                   f"ring {n} is not a hole of ring 1; read as a further part of the block."))
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


def _lines_and_points(r: _Rings, coords: np.ndarray, geoms: np.ndarray) -> None:
    """Fill ``geoms`` for 线 blocks (one linestring per ring) and 点 blocks (all points of the block)."""
    nb = len(geoms)
    has_points = np.bincount(r.block, minlength=nb) > 0
    for kind in ("line", "point"):
        sel = np.flatnonzero((r.kinds == kind) & has_points)
        if not sel.size:
            continue
        mask = np.isin(r.block[r.of_point], sel)
        block_idx = np.searchsorted(sel, r.block[r.of_point[mask]])
        if kind == "point":
            geoms[sel] = shapely.multipoints(coords[mask], indices=block_idx)
            continue
        rings_used, ring_idx = np.unique(r.of_point[mask], return_inverse=True)
        lines = shapely.linestrings(coords[mask], indices=ring_idx)
        geoms[sel] = shapely.multilinestrings(lines, indices=np.searchsorted(sel, r.block[rings_used]))


def _repair(p: ParsedFile, kinds: np.ndarray, geoms: np.ndarray, notes: list) -> np.ndarray:
    """Note empty blocks; repair invalid polygons in place, naming where they fail. Returns the repaired mask."""
    repaired = np.zeros(len(geoms), dtype=bool)
    for b in np.flatnonzero(shapely.is_missing(geoms)):
        notes.append(line_note(p.blocks[b][0], "地块没有坐标点，几何为空。",
                               "the block has no points; its geometry is empty."))
    poly_blocks = np.flatnonzero((kinds == "polygon") & ~shapely.is_missing(geoms))
    invalid = poly_blocks[~shapely.is_valid(geoms[poly_blocks])]
    for b, reason in zip(invalid, shapely.is_valid_reason(geoms[invalid]), strict=True):
        # GEOS gives the place as [x y] = [easting northing]; the file's X is the northing.
        m = re.search(r"\[([-\d.eE+]+) ([-\d.eE+]+)\]", reason)
        where = f" X={float(m.group(2)):.3f}, Y={float(m.group(1)):.3f}" if m else ""
        notes.append(line_note(p.blocks[b][0], f"地块自相交或无效（{reason.split('[')[0]}{where}），已修复。",
                               f"block geometry invalid ({reason.split('[')[0]}{where}); repaired."))
    if invalid.size:
        geoms[invalid] = shapely.make_valid(geoms[invalid], method="structure", keep_collapsed=False)
        repaired[invalid] = True
    return repaired


def _header_frame(p: ParsedFile) -> pd.DataFrame:
    """The block headers as columns (:data:`FIELDS`, then ``extra_1``…), numbers parsed."""
    fields = [f for _, f in p.blocks]
    width = max(len(FIELDS), max(len(f) for f in fields))
    names = [c for c, _ in FIELDS] + [f"extra_{i}" for i in range(1, width - len(FIELDS) + 1)]
    df = pd.DataFrame([f + [""] * (width - len(f)) for f in fields], columns=names).replace("", None)
    df["n_points"] = pd.to_numeric(df["n_points"], errors="coerce").astype("Int64")
    df["area_ha"] = pd.to_numeric(df["area_ha"], errors="coerce")
    return df


def _check_counts(p: ParsedFile, r: _Rings, df: pd.DataFrame, notes: list) -> None:
    nb = len(p.blocks)
    lines = np.bincount(r.block, weights=r.points, minlength=nb).astype(int)
    n_closed = np.bincount(r.block, weights=r.closed, minlength=nb).astype(int)
    n_open = np.bincount(r.block, weights=~r.closed, minlength=nb).astype(int)
    declared = df["n_points"].to_numpy(dtype="float64", na_value=np.nan)
    # Files count either every point line or only distinct points; both are fine.
    ok = np.isnan(declared) | (declared == lines) | (declared == lines - n_closed) | (declared == lines + n_open)
    for b in np.flatnonzero(~ok):
        notes.append(line_note(p.blocks[b][0], f"声明界址点数 {int(declared[b])}，实际 {lines[b]} 个。",
                               f"header declares {int(declared[b])} points, the block has {lines[b]}."))


def _check_areas(p: ParsedFile, df: pd.DataFrame, geoms: np.ndarray, kinds: np.ndarray, notes: list) -> None:
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
        notes.append(line_note(p.blocks[b][0],
                               f"声明面积 {declared[b]:.4f} 公顷，按坐标计算 {computed[b]:.4f} 公顷，"
                               f"相差 {rel[b]:.1%}{hint_zh}。",
                               f"declared area {declared[b]:.4f} ha, computed {computed[b]:.4f} ha "
                               f"({rel[b]:.1%} apart){hint_en}."))


def build_blocks(p: ParsedFile, northing: np.ndarray, easting: np.ndarray, notes: list) -> gpd.GeoDataFrame:
    """One feature per block, with the header fields as columns and ``geometry_repaired``.

    Parameters
    ----------
    p : ParsedFile
        The parsed file.
    northing, easting : numpy.ndarray
        Per point, metres in the file's zone (prefix removed, X/Y order fixed).
    notes : list
        ``(line, message)`` warnings are appended here.

    Returns
    -------
    geopandas.GeoDataFrame
        Without CRS; the caller sets the zone's.

    Raises
    ------
    InputError
        A ring with fewer than 3 distinct points.
    """
    r = _Rings.of(p)
    coords = np.column_stack([easting, northing])
    geoms = np.full(len(p.blocks), None, dtype=object)
    _check_rings(p, r, notes)
    _polygons(p, r, coords, geoms, notes)
    _lines_and_points(r, coords, geoms)
    repaired = _repair(p, r.kinds, geoms, notes)
    df = _header_frame(p)
    df["geometry_repaired"] = repaired
    _check_counts(p, r, df, notes)
    _check_areas(p, df, geoms, r.kinds, notes)
    return gpd.GeoDataFrame(df, geometry=geoms)
