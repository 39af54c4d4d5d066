"""The boundary-coordinate TXT format: reading, validation, zones, Helmert, writing.

Sample files are built by ``tests/data/coordtxt/make_samples.py`` (projected with
pyproj directly, independently of the reader); the sites are in its ``SITES``.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyproj
import pytest
import shapely

from gis.geodesy import gauss_kruger as gk
from gis.io.coordtxt import is_coordtxt, output_zone, read_coordtxt, write_coordtxt
from gis.errors import CRSError, InputError, OutputError

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


# --------------------------------------------------------------------------- samples


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


def test_is_coordtxt(tmp_path):
    for name in samples.samples():
        assert is_coordtxt(DATA / name), name
    assert not is_coordtxt(write(tmp_path, '{"type": "FeatureCollection"}', "a.geojson"))
    assert not is_coordtxt(tmp_path / "missing.txt")


# --------------------------------------------------------------------------- reading


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


def test_two_blocks_one_with_a_hole():
    gdf, warnings = read_coordtxt(DATA / "two_blocks_hole.txt")
    assert warnings == []
    assert gdf["block_id"].tolist() == ["B-01", "B-02"]
    holed, plain = gdf.geometry
    assert holed.geom_type == "Polygon" and len(holed.interiors) == 1 and len(plain.interiors) == 0
    assert lonlat_error_m(gdf.iloc[[0]], SITES["holed"]) < 0.001
    assert gdf["area_ha"].tolist() == pytest.approx((gdf.geometry.area / 1e4).tolist(), abs=1e-4)
    assert gdf["use"].tolist() == ["工业用地", "仓储用地"]


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


def test_zone_crs_comes_from_the_database():
    assert gk.zone_crs("cgcs2000", 3, 40).to_epsg() == 4549
    assert gk.zone_crs("cgcs2000", 3, 41).to_epsg() == 4550
    assert gk.zone_crs("cgcs2000", 6, 21).to_epsg() == 4510  # 6° zone 21, CM 123° E
    assert gk.zone_crs("xian80", 3, 40).to_epsg() == 2385
    assert gk.zone_of_crs(4550) == ("cgcs2000", 3, 41)
    with pytest.raises(CRSError):
        gk.zone_crs("cgcs2000", 3, 21)  # CM 63° E: not a zone over China


def test_utf8_bom_and_lf():
    raw = (DATA / "east_zone41_bom.txt").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" not in raw
    gdf, _ = read_coordtxt(DATA / "east_zone41_bom.txt")
    assert gdf["name"].iloc[0] == "陈家镇地块"


def test_wrong_encoding_is_refused():
    with pytest.raises(InputError):
        read_coordtxt(DATA / "two_blocks_hole.txt", encoding="ascii")


# --------------------------------------------------------------------------- validation


def test_validation_messages_name_their_lines():
    gdf, warnings = read_coordtxt(DATA / "validation.txt")
    assert len(gdf) == 4 and len(warnings) == 4
    count, area, unclosed, selfint = warnings
    assert count.startswith("第 13 行") and "Line 13" in count and "9" in count and "5" in count
    assert area.startswith("第 19 行") and "Line 19" in area and "ha" in area and "公顷" in area
    assert unclosed.startswith("第 29 行") and "not closed" in unclosed and "未闭合" in unclosed
    assert selfint.startswith("第 30 行") and "Self-intersection" in selfint and "修复" in selfint
    assert gdf["geometry_repaired"].tolist() == [False, False, False, True]
    assert shapely.is_valid(gdf.geometry.to_numpy()).all()
    # the unclosed ring was closed and the block is the full site
    assert lonlat_error_m(gdf.iloc[[2]], SITES["west"]) < 0.001


def test_area_within_one_percent_is_quiet(tmp_path):
    ring = samples.project(SITES["west"][0], 40)
    text = header() + samples.block([ring], zone=40, bid="Q", name="q", area=samples.area_ha([ring]) * 1.009)
    assert read_coordtxt(write(tmp_path, text))[1] == []


def test_area_in_square_metres_is_recognised(tmp_path):
    ring = samples.project(SITES["west"][0], 40)
    text = header() + samples.block([ring], zone=40, bid="Q", name="q", area=samples.area_ha([ring]) * 1e4)
    (w,) = read_coordtxt(write(tmp_path, text))[1]
    assert "平方米" in w and "m²" in w


def test_point_count_without_closing_points_is_accepted(tmp_path):
    ring = samples.project(SITES["west"][0], 40)
    text = header() + samples.block([ring], zone=40, bid="Q", name="q", n_points=4)
    assert read_coordtxt(write(tmp_path, text))[1] == []


def test_prefix_contradicting_zone_is_refused():
    with pytest.raises(InputError) as exc:
        read_coordtxt(DATA / "prefix_conflict.txt")
    err = exc.value
    assert "line 14" in err.message_en and "第 14 行" in err.message_zh
    assert "41" in err.message_en and "带号=40" in err.message_en


def test_gross_error_is_refused_with_its_line():
    with pytest.raises(InputError) as exc:
        read_coordtxt(DATA / "gross_error.txt")
    assert "line 14" in exc.value.message_en and "第 14 行" in exc.value.message_zh
    assert "northing" in exc.value.hint_en


def test_malformed_point_line_names_its_line(tmp_path):
    text = header() + west_block().replace("J3,1,", "J3,1,abc", 1)
    with pytest.raises(InputError) as exc:
        read_coordtxt(write(tmp_path, text))
    assert "line 12" in exc.value.message_en  # header on line 9, J3 on 12


def test_no_blocks_is_refused(tmp_path):
    with pytest.raises(InputError):
        read_coordtxt(write(tmp_path, header()))


# --------------------------------------------------------------------------- X/Y swap


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


# --------------------------------------------------------------------------- zone inference


def test_missing_zone_is_taken_from_the_prefix(tmp_path):
    gdf, warnings = read_coordtxt(write(tmp_path, header(zone=None) + west_block()))
    assert gdf.crs.to_epsg() == 4549 and len(warnings) == 1 and "zone 40" in warnings[0]


def test_missing_zone_without_prefix_is_refused(tmp_path):
    with pytest.raises(CRSError) as exc:
        read_coordtxt(write(tmp_path, header(zone=None) + west_block(prefix=False)))
    assert "带号=40" in exc.value.hint_zh


def test_missing_width_is_inferred_from_the_zone(tmp_path):
    gdf, warnings = read_coordtxt(write(tmp_path, header(width=None) + west_block()))
    assert gdf.crs.to_epsg() == 4549 and "3°" in warnings[0]


def test_unknown_datum_is_refused(tmp_path):
    with pytest.raises(CRSError):
        read_coordtxt(write(tmp_path, header(datum="火星坐标系") + west_block()))


# --------------------------------------------------------------------------- Helmert


def test_xian80_without_parameters_is_refused():
    with pytest.raises(CRSError) as exc:
        read_coordtxt(DATA / "xian80.txt")
    assert "--helmert" in exc.value.hint_en and "转换参数" in exc.value.hint_zh


def four_param(n, e, dx, dy, rot_arcsec, ppm):
    """The Chinese surveying formula, written out (X north, Y east)."""
    a, k = np.radians(rot_arcsec / 3600), 1 + ppm * 1e-6
    return dx + k * (n * np.cos(a) - e * np.sin(a)), dy + k * (n * np.sin(a) + e * np.cos(a))


def test_four_parameter_helmert_follows_the_surveying_formula():
    n, e = np.array([3500567.69, 3512000.0]), np.array([632839.09, 598000.0])
    h = gk.parse_helmert("-35.2,118.7,1.35,-4.2")
    got = gk.apply_helmert(n, e, h, "xian80", 3, 40)
    want = four_param(n, e, -35.2, 118.7, 1.35, -4.2)
    np.testing.assert_allclose(got, want, atol=1e-6)


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


def test_file_parameters_are_used_and_helmert_overrides(tmp_path):
    text = header(datum="1980西安坐标系", params="-35.2,118.7,1.35,-4.2,,,") + west_block()
    gdf, _ = read_coordtxt(write(tmp_path, text))
    assert "转换参数" in gdf.attrs["coordtxt_crs"]["helmert"]
    gdf2, _ = read_coordtxt(write(tmp_path, text, "u.txt"), helmert="0,0,0,0")
    assert "--helmert" in gdf2.attrs["coordtxt_crs"]["helmert"]
    assert not gdf.geometry.iloc[0].equals_exact(gdf2.geometry.iloc[0], 1.0)


def test_seven_parameter_helmert_is_position_vector_bursa_wolf():
    """Check against the Bursa–Wolf formula evaluated here in geocentric coordinates."""
    n, e = np.array([3500567.69, 3501000.0]), np.array([632839.09, 633500.0])
    p = (15.8, -154.4, -82.3, 2.1, -1.3, 3.5, 4.2)
    got_n, got_e = gk.apply_helmert(n, e, gk.Helmert(p, "test"), "xian80", 3, 40)
    lon, lat = pyproj.Transformer.from_crs(2385, 4610, always_xy=True).transform(e, n)
    a, f = 6378140.0, 1 / 298.257  # Xian 1980 (IAG-75)
    es = f * (2 - f)
    phi, lam = np.radians(lat), np.radians(lon)
    nu = a / np.sqrt(1 - es * np.sin(phi) ** 2)
    xyz = np.stack([nu * np.cos(phi) * np.cos(lam), nu * np.cos(phi) * np.sin(lam), nu * (1 - es) * np.sin(phi)])
    rx, ry, rz = np.radians(np.array(p[3:6]) / 3600)
    rot = np.array([[1, -rz, ry], [rz, 1, -rx], [-ry, rx, 1]])
    xyz2 = np.array(p[:3])[:, None] + (1 + p[6] * 1e-6) * rot @ xyz
    lon2, lat2, _ = pyproj.Transformer.from_crs(4978, 4979, always_xy=True).transform(*xyz2)
    want_e, want_n = pyproj.Transformer.from_crs(4490, 4549, always_xy=True).transform(lon2, lat2)
    np.testing.assert_allclose(got_n, want_n, atol=1e-4)
    np.testing.assert_allclose(got_e, want_e, atol=1e-4)


def test_bad_helmert_is_refused():
    with pytest.raises(CRSError):
        read_coordtxt(DATA / "xian80.txt", helmert="1,2,3")


# --------------------------------------------------------------------------- writing


def test_round_trip_reproduces_coordinates(tmp_path):
    gdf, _ = read_coordtxt(DATA / "two_blocks_hole.txt")
    out = tmp_path / "out.txt"
    assert write_coordtxt(gdf, out) == []
    raw = out.read_bytes()
    assert b"\r\n" in raw and "含保留建筑地块".encode("gbk") in raw
    back, warnings = read_coordtxt(out)
    assert warnings == []
    assert back.crs.equals(gdf.crs)
    a = shapely.get_coordinates(gdf.geometry.to_numpy())
    b = shapely.get_coordinates(back.geometry.to_numpy())
    assert np.abs(a - b).max() < 0.001
    for col in ("block_id", "name", "use", "land_class", "n_points"):
        assert back[col].tolist() == gdf[col].tolist()
    assert back["area_ha"].tolist() == pytest.approx(gdf["area_ha"].tolist(), abs=1e-4)
    assert back.attrs["coordtxt"]["数据产生单位"] == gdf.attrs["coordtxt"]["数据产生单位"]


def test_round_trip_from_lonlat_within_a_millimetre(tmp_path):
    polys = [shapely.Polygon(r[0], r[1:]) for r in (SITES["west"], SITES["holed"])]
    gdf = gpd.GeoDataFrame({"parcel_id": ["P1", "P2"], "name_zh": ["甲", "乙"]}, geometry=polys, crs=4490)
    out = tmp_path / "ll.txt"
    write_coordtxt(gdf, out, encoding="utf-8", prefix_zone=False)
    back, warnings = read_coordtxt(out)
    assert warnings == [] and back.crs.to_epsg() == 4549
    assert back["block_id"].tolist() == ["P1", "P2"] and back["name"].tolist() == ["甲", "乙"]
    a = shapely.get_coordinates(gdf.geometry.to_numpy())
    b = shapely.get_coordinates(back.to_crs(4490).geometry.to_numpy())
    assert np.max(GEOD.inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])[2]) < 0.001


def test_multipolygon_with_island_in_hole_round_trips(tmp_path):
    big = shapely.box(632000, 3500000, 633000, 3501000).difference(shapely.box(632200, 3500200, 632800, 3500800))
    island = shapely.box(632400, 3500400, 632600, 3500600)
    far = shapely.box(634000, 3500000, 634100, 3500100)
    geom = shapely.MultiPolygon([big, island, far])
    gdf = gpd.GeoDataFrame({"block_id": ["M"]}, geometry=[geom], crs=4549)
    out = tmp_path / "m.txt"
    write_coordtxt(gdf, out)
    back, warnings = read_coordtxt(out)
    assert back.geometry.iloc[0].equals(geom)
    assert all("further part" in w for w in warnings)


def test_write_chooses_the_zone_from_the_data(tmp_path):
    east = gpd.GeoDataFrame(geometry=[shapely.Polygon(SITES["east"][0])], crs=4326)
    west = gpd.GeoDataFrame(geometry=[shapely.Polygon(SITES["west"][0])], crs=4326)
    assert output_zone(east) == 41 and output_zone(west) == 40 and output_zone(east, 40) == 40
    write_coordtxt(east, tmp_path / "e.txt")
    assert "带号=41" in (tmp_path / "e.txt").read_text(encoding="gbk")
    # an explicit zone wins, and a site past the zone edge still writes
    write_coordtxt(east, tmp_path / "e40.txt", zone=40)
    back, _ = read_coordtxt(tmp_path / "e40.txt")
    assert back.crs.to_epsg() == 4549 and lonlat_error_m(back, SITES["east"]) < 0.001


def test_write_refuses_a_zone_far_from_the_data(tmp_path):
    gdf = gpd.GeoDataFrame(geometry=[shapely.Polygon(SITES["east"][0])], crs=4326)
    with pytest.raises(OutputError):
        write_coordtxt(gdf, tmp_path / "x.txt", zone=38)
    assert not (tmp_path / "x.txt").exists()


def test_write_keeps_separators_out_of_fields(tmp_path):
    gdf = gpd.GeoDataFrame({"block_id": ["A,1"], "name": ["甲@乙"]},
                           geometry=[shapely.Polygon(SITES["west"][0])], crs=4326)
    write_coordtxt(gdf, tmp_path / "s.txt")
    back, _ = read_coordtxt(tmp_path / "s.txt")
    assert back["block_id"].iloc[0] == "A，1" and back["name"].iloc[0] == "甲＠乙"


def test_write_unencodable_text_fails_cleanly(tmp_path):
    out = tmp_path / "u.txt"
    out.write_text("old", encoding="utf-8")
    gdf = gpd.GeoDataFrame({"name": ["🏭"]}, geometry=[shapely.Polygon(SITES["west"][0])], crs=4326)
    with pytest.raises(OutputError) as exc:
        write_coordtxt(gdf, out, encoding="gbk")
    assert "utf-8" in exc.value.hint_en
    assert out.read_text(encoding="utf-8") == "old"  # untouched
    assert os.listdir(tmp_path) == ["u.txt"]  # no temporary file left


def test_write_lines_and_points(tmp_path):
    line = shapely.LineString(SITES["west"][0])
    pts = shapely.MultiPoint(SITES["west"][0])
    gdf = gpd.GeoDataFrame(geometry=[line, pts, None], crs=4326)
    warnings = write_coordtxt(gdf, tmp_path / "lp.txt")
    assert len(warnings) == 1  # the empty feature
    back, _ = read_coordtxt(tmp_path / "lp.txt")
    assert back["shape_type"].tolist() == ["线", "点"]
    assert back.geometry.geom_type.tolist() == ["MultiLineString", "MultiPoint"]


def test_read_vector_reads_the_format():
    from gis.io.vector import read_vector

    gdf = read_vector(DATA / "east_zone41_bom.txt")
    assert gdf.crs.to_epsg() == 4550 and len(gdf) == 1


# --------------------------------------------------------------------------- zone edges and widths


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


def test_six_degree_zone(tmp_path):
    tr = pyproj.Transformer.from_crs(4490, 4510, always_xy=True)  # CGCS2000 6° CM 123° E (zone 21)
    ring = [(n, e) for e, n in tr.itransform(SITES["east"][0])]
    text = header(zone="21", width="6") + samples.block([ring], zone=21, bid="S", name="六度带")
    gdf, warnings = read_coordtxt(write(tmp_path, text))
    assert warnings == [] and gdf.crs.to_epsg() == 4510
    assert lonlat_error_m(gdf, SITES["east"]) < 0.001


def test_beijing54_with_seven_parameters_in_the_file(tmp_path):
    text = header(datum="1954北京坐标系", params="-12.5,130.2,48.1,0,0,0,0") + west_block()
    gdf, _ = read_coordtxt(write(tmp_path, text))
    assert gdf.crs.to_epsg() == 4549 and "7-parameter" in gdf.attrs["coordtxt_crs"]["helmert"]
    # a metre-level shift, not a misplacement
    plain, _ = read_coordtxt(write(tmp_path, header() + west_block(), "c.txt"))
    shift = shapely.hausdorff_distance(gdf.geometry.iloc[0], plain.geometry.iloc[0])
    assert 1 < shift < 200


def test_local_city_system_with_four_parameters(tmp_path):
    dx, dy, rot, ppm = 3_450_000.0, 600_000.0, 10.0, 2.0
    ring = np.asarray(samples.project(SITES["west"][0], 40))  # (N, E) in CGCS2000 zone 40
    # local plane coordinates that the 4 parameters map onto the CGCS2000 zone
    a, k = np.radians(rot / 3600), 1 + ppm * 1e-6
    dn, de = (ring[:, 0] - dx) / k, (ring[:, 1] - dy) / k
    local = np.column_stack([dn * np.cos(a) + de * np.sin(a), -dn * np.sin(a) + de * np.cos(a)])
    text = header(datum="上海城市坐标系") + samples.block([list(map(tuple, local))], zone=40, bid="L",
                                                          name="地方坐标", prefix=False)
    path = write(tmp_path, text)
    with pytest.raises(CRSError):
        read_coordtxt(path)
    gdf, _ = read_coordtxt(path, helmert=f"{dx},{dy},{rot},{ppm}")
    assert gdf.crs.to_epsg() == 4549 and lonlat_error_m(gdf, SITES["west"]) < 0.001
