"""Shared cases of the boundary-coordinate TXT tests (tests/io/test_coordtxt_*.py).

Sample files are built by ``tests/data/coordtxt/make_samples.py`` (projected with
pyproj directly, independently of the reader); the sites are in its ``SITES``.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyproj
import shapely

DATA = Path(__file__).resolve().parents[1] / "data" / "coordtxt"
GEOD = pyproj.Geod(ellps="GRS80")

_spec = importlib.util.spec_from_file_location("make_samples", DATA / "make_samples.py")
samples = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(samples)
SITES = samples.SITES


def lonlat_error_m(gdf: gpd.GeoDataFrame, rings) -> float:
    """Largest distance (m) between the frame's first feature's vertices and the site's corners."""
    geo = gdf.to_crs(4490)
    poly = geo.geometry.iloc[0]
    got = [shapely.get_coordinates(poly.exterior)[:-1]]
    got += [shapely.get_coordinates(r)[:-1] for r in poly.interiors]
    err = 0.0
    for g, r in zip(got, rings, strict=True):
        r = np.asarray(r)
        err = max(err, float(np.max(GEOD.inv(g[:, 0], g[:, 1], r[:, 0], r[:, 1])[2])))
    return err


def header(zone="40", datum="2000国家大地坐标系", width="3", params=",,,,,,") -> str:
    lines = ["[属性描述]", f"坐标系={datum}"]
    if width is not None:
        lines.append(f"几度分带={width}")
    lines += ["投影类型=高斯克吕格", "计量单位=米"]
    if zone is not None:
        lines.append(f"带号={zone}")
    lines += [f"转换参数={params}", "[地块坐标]"]
    return "\n".join(lines) + "\n"


def west_block(prefix=True, swap_line=None, bid="T-01") -> str:
    ring = samples.project(SITES["west"][0], 40)
    text = samples.block([ring], zone=40, bid=bid, name="测试", prefix=prefix)
    if swap_line is not None:  # swap X and Y on one point line only
        lines = text.splitlines()
        name, ring_no, x, y = lines[swap_line].split(",")
        lines[swap_line] = f"{name},{ring_no},{y},{x}"
        text = "\n".join(lines) + "\n"
    return text


def write(tmp_path, text, name="t.txt", encoding="utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p
