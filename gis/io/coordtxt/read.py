"""Reading a boundary-coordinate TXT file: text → zone and datum → X/Y order → features."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from gis.errors import InputError
from gis.geodesy.gauss_kruger import central_meridian, orient, zone_crs
from gis.io.coordtxt.geometry import build_blocks
from gis.io.coordtxt.header import plane_shift, resolve_zone
from gis.io.coordtxt.text import ParsedFile, decode_text, line_note, parse_text

__all__ = ["read_coordtxt"]


def _orient(p: ParsedFile, X: np.ndarray, Y: np.ndarray, datum: str, width: int, zone: int, to_plane, notes: list):
    """Northing and easting per point, X/Y swapped back per block where the file swapped them."""
    block_of_pt = np.array([p.rings[r][0] for r in p.pt_ring], dtype=int)
    northing, easting, swapped, bad = orient(X, Y, block_of_pt, datum, width, zone, to_plane)
    if bad is not None:
        no, cm = p.pt_line[bad], central_meridian(width, zone)
        raise InputError(
            f"“{p.path}”第 {no} 行：坐标 X={X[bad]:.3f}, Y={Y[bad]:.3f} 不可能位于 {width}° 分带第 {zone} 带"
            f"（中央经线 {cm}°E），X/Y 互换后也不行。",
            f"'{p.path}' line {no}: X={X[bad]:.3f}, Y={Y[bad]:.3f} cannot lie in {width}-degree zone {zone} "
            f"(central meridian {cm}° E), not even with X and Y swapped.",
            "X 应为北坐标（崇明约 3 500 000），Y 为东坐标（可带带号前缀）；请核对带号、坐标与转换参数。",
            "X must be the northing (about 3,500,000 in Chongming) and Y the easting (optionally with "
            "the zone prefix); check the zone, the coordinates and any Helmert parameters.",
        )
    for b in np.flatnonzero(swapped):
        line, f = p.blocks[b]
        label = f[2] if len(f) > 2 and f[2] else str(b + 1)
        notes.append(line_note(line, f"地块 {label} 的 X/Y 互换了（X 应为北坐标、Y 为东坐标），已按互换读取，请核对。",
                               f"block {label} has X and Y swapped (X must be the northing, Y the easting); "
                               "read swapped back — please check."))
    return northing, easting, swapped


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
        :mod:`gis.geodesy.helmert`); overrides the file's 转换参数. Required for 1980 西安,
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
    text, used_enc = decode_text(path.read_bytes(), encoding, path)
    p = parse_text(text, path)
    notes: list[tuple[int, str]] = list(p.notes)
    if not p.x:
        raise InputError(f"“{path}”的地块没有坐标点。", f"'{path}': its blocks have no points.")
    X, Y = np.asarray(p.x), np.asarray(p.y)
    datum, width, zone, prefixed = resolve_zone(p, X, Y, notes)
    params, to_plane = plane_shift(p, helmert, datum, width, zone, notes)
    northing, easting, swapped = _orient(p, X, Y, datum, width, zone, to_plane, notes)
    if to_plane is not None:
        northing, easting = to_plane(northing, easting)

    gdf = build_blocks(p, northing, easting, notes).set_crs(zone_crs("cgcs2000", width, zone))
    gdf.attrs["coordtxt"] = dict(p.header)
    gdf.attrs["coordtxt_crs"] = {
        "datum": datum, "width": width, "zone": zone, "prefixed": prefixed, "encoding": used_enc,
        "epsg": gdf.crs.to_epsg(), "helmert": params.describe() if params else None,
        "swapped_blocks": [int(b) for b in np.flatnonzero(swapped)],
    }
    return gdf, [msg for _, msg in sorted(notes, key=lambda t: t[0])]
