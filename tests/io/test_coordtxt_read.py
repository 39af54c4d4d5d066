"""Tests of gis/io/coordtxt/read.py: whole files read into features in the right zone, X/Y order fixed."""

from __future__ import annotations

import numpy as np
import pyproj
import pytest
import shapely
from coordtxt_samples import (
    DATA,
    SITES,
    header,
    lonlat_error_m,
    samples,
    west_block,
    write,
)

from gis.errors import InputError
from gis.io.coordtxt import read_coordtxt


def _same_sample(committed: bytes, fresh: bytes, encoding: str) -> bool:
    """Equal bytes, up to last-digit rounding of coordinates by another PROJ version."""
    if committed == fresh:
        return True
    a, b = committed.decode(encoding).split("\n"), fresh.decode(encoding).split("\n")
    if len(a) != len(b):
        return False
    for la, lb in zip(a, b, strict=True):
        fa, fb = la.split(","), lb.split(",")
        if la != lb and (len(fa) != len(fb) or any(
                x != y and abs(float(x) - float(y)) > 2e-4 for x, y in zip(fa, fb, strict=True))):
            return False
    return True


def test_committed_samples_match_the_script():
    for name, (text, enc, nl) in samples.samples().items():
        fresh = samples.render(text, enc, nl)
        assert _same_sample((DATA / name).read_bytes(), fresh, enc), f"{name}: rerun make_samples.py"


def test_one_block_gbk_crlf():
    raw = (DATA / "one_block_gbk_crlf.txt").read_bytes()
    assert b"\r\n" in raw and "城桥".encode("gbk") in raw
    gdf, warnings = read_coordtxt(DATA / "one_block_gbk_crlf.txt")
    assert warnings == []
    assert len(gdf) == 1 and gdf.crs.to_epsg() == 4549
    row = gdf.iloc[0]
    assert (row["block_id"], row["name"], row["shape_type"], row["use"], row["land_class"]) == (
        "A-01", "城桥地块", "面", "工业用地", "0601")
    assert row["n_points"] == 5 and not row["geometry_repaired"]
    assert row["area_ha"] == pytest.approx(gdf.geometry.area.iloc[0] / 1e4, abs=1e-4)
    assert lonlat_error_m(gdf, SITES["west"]) < 0.001
    assert gdf.attrs["coordtxt"]["带号"] == "40"
    assert gdf.attrs["coordtxt_crs"]["prefixed"] and gdf.attrs["coordtxt_crs"]["encoding"] == "gb18030"


@pytest.mark.parametrize(
    ("name", "site", "epsg"),
    [
        ("east_zone41_bom.txt", "east", 4550),  # east of 121.5° E: zone 41, CM 123° E
        ("west_zone40_noprefix.txt", "west", 4549),  # west: zone 40, CM 120° E, no prefix
        ("edge_zone40.txt", "edge", 4549),  # east of 121.5° E but drawn in zone 40
    ],
)
def test_zones_place_the_site(name, site, epsg):
    gdf, warnings = read_coordtxt(DATA / name)
    assert warnings == []
    assert gdf.crs.to_epsg() == epsg
    assert lonlat_error_m(gdf, SITES[site]) < 0.001


def test_gross_error_is_refused_with_its_line():
    with pytest.raises(InputError) as exc:
        read_coordtxt(DATA / "gross_error.txt")
    assert "line 14" in exc.value.message_en and "第 14 行" in exc.value.message_zh
    assert "northing" in exc.value.hint_en


@pytest.mark.parametrize("name", ["swapped.txt", "swapped_noprefix.txt"])
def test_swapped_xy_is_detected_and_fixed(name):
    gdf, warnings = read_coordtxt(DATA / name)
    (w,) = warnings
    assert w.startswith("第 13 行") and "X/Y" in w and "swapped" in w
    assert gdf.attrs["coordtxt_crs"]["swapped_blocks"] == [0]
    # the site lands where it belongs, not 3,000 km away
    assert lonlat_error_m(gdf, SITES["west"]) < 0.001


def test_swap_is_per_block(tmp_path):
    ring = samples.project(SITES["west"][0], 40)
    text = header() + samples.block([ring], zone=40, bid="OK", name="a") + samples.block(
        [ring], zone=40, bid="SW", name="b", swap=True)
    gdf, warnings = read_coordtxt(write(tmp_path, text))
    assert len(warnings) == 1 and "SW" in warnings[0]
    assert gdf.geometry.iloc[0].equals_exact(gdf.geometry.iloc[1], 1e-6)


def test_one_swapped_point_is_refused_not_guessed(tmp_path):
    text = header() + west_block(swap_line=3)
    with pytest.raises(InputError) as exc:
        read_coordtxt(write(tmp_path, text))
    assert "line 12" in exc.value.message_en  # header on line 9, the third point on 12


def _site_at(lon: float, lat: float = 31.6, size: float = 0.004) -> list[tuple[float, float]]:
    return [(lon, lat), (lon + size, lat), (lon + size, lat + size), (lon, lat + size)]


@pytest.mark.parametrize(
    ("lon", "ok"),
    [
        (121.49, True),  # inside zone 40 (nominally 118.5°–121.5° E)
        (121.90, True),  # 0.4° past the edge: a project drawn in its neighbour zone
        (122.60, True),  # 2.6° from the central meridian: still accepted
        (123.50, False),  # 3.5° from it: a gross error (wrong zone?), refused
    ],
)
def test_zone_tolerance(tmp_path, lon, ok):
    ring = [tuple(xy) for xy in pyproj.Transformer.from_crs(4490, 4549, always_xy=True).itransform(_site_at(lon))]
    ring = [(n, e) for e, n in ring]
    text = header() + samples.block([ring], zone=40, bid="Z", name="z")
    path = write(tmp_path, text)
    if ok:
        gdf, warnings = read_coordtxt(path)
        assert warnings == [] and lonlat_error_m(gdf, [_site_at(lon)]) < 0.001
    else:
        with pytest.raises(InputError):
            read_coordtxt(path)


def four_param(n, e, dx, dy, rot_arcsec, ppm):
    """The Chinese surveying formula, written out (X north, Y east)."""
    a, k = np.radians(rot_arcsec / 3600), 1 + ppm * 1e-6
    return dx + k * (n * np.cos(a) - e * np.sin(a)), dy + k * (n * np.sin(a) + e * np.cos(a))


def test_xian80_with_four_parameters(tmp_path):
    params = "-35.2,118.7,1.35,-4.2"
    gdf, _ = read_coordtxt(DATA / "xian80.txt", helmert=params)
    assert gdf.crs.to_epsg() == 4549
    ring = np.asarray(samples.project(SITES["west"][0], 40))
    want_n, want_e = four_param(ring[:, 0], ring[:, 1], -35.2, 118.7, 1.35, -4.2)
    got = shapely.get_coordinates(gdf.geometry.iloc[0].exterior)[:-1]
    np.testing.assert_allclose(got[:, 1], want_n, atol=1e-4)
    np.testing.assert_allclose(got[:, 0], want_e, atol=1e-4)
    assert "4-parameter" in gdf.attrs["coordtxt_crs"]["helmert"]
