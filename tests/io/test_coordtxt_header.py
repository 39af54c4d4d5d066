"""Tests of gis/io/coordtxt/header.py: datum, zone, zone width and Helmert parameters from a file's header."""

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

from gis.errors import CRSError, InputError
from gis.io.coordtxt import read_coordtxt
from gis.io.coordtxt.header import resolve_zone
from gis.io.coordtxt.text import parse_text


def test_prefix_contradicting_zone_is_refused():
    with pytest.raises(InputError) as exc:
        read_coordtxt(DATA / "prefix_conflict.txt")
    err = exc.value
    assert "line 14" in err.message_en and "第 14 行" in err.message_zh
    assert "41" in err.message_en and "带号=40" in err.message_en


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


def test_six_degree_zone(tmp_path):
    tr = pyproj.Transformer.from_crs(4490, 4510, always_xy=True)  # CGCS2000 6° CM 123° E (zone 21)
    ring = [(n, e) for e, n in tr.itransform(SITES["east"][0])]
    text = header(zone="21", width="6") + samples.block([ring], zone=21, bid="S", name="六度带")
    gdf, warnings = read_coordtxt(write(tmp_path, text))
    assert warnings == [] and gdf.crs.to_epsg() == 4510
    assert lonlat_error_m(gdf, SITES["east"]) < 0.001


def test_xian80_without_parameters_is_refused():
    with pytest.raises(CRSError) as exc:
        read_coordtxt(DATA / "xian80.txt")
    assert "--helmert" in exc.value.hint_en and "转换参数" in exc.value.hint_zh


def test_file_parameters_are_used_and_helmert_overrides(tmp_path):
    text = header(datum="1980西安坐标系", params="-35.2,118.7,1.35,-4.2,,,") + west_block()
    gdf, _ = read_coordtxt(write(tmp_path, text))
    assert "转换参数" in gdf.attrs["coordtxt_crs"]["helmert"]
    gdf2, _ = read_coordtxt(write(tmp_path, text, "u.txt"), helmert="0,0,0,0")
    assert "--helmert" in gdf2.attrs["coordtxt_crs"]["helmert"]
    assert not gdf.geometry.iloc[0].equals_exact(gdf2.geometry.iloc[0], 1.0)


def test_bad_helmert_is_refused():
    with pytest.raises(CRSError):
        read_coordtxt(DATA / "xian80.txt", helmert="1,2,3")


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


def _resolve(text: str):
    p = parse_text(text + "1,0,A,a,面,@\nJ1,1,3500000,40500000\n", "h.txt")
    notes: list = []
    return resolve_zone(p, p.x, p.y, notes), notes


def test_resolve_zone_from_a_complete_header():
    (datum, width, zone, prefixed), notes = _resolve(header())
    assert (datum, width, zone, prefixed, notes) == ("cgcs2000", 3, 40, True, [])


@pytest.mark.parametrize("key, value, words", [
    ("计量单位", "千米", "not metres"),
    ("投影类型", "UTM", "not Gauss"),
    ("几度分带", "4", "not 3 or 6"),
])
def test_header_values_that_cannot_be_used_are_refused_with_their_line(key, value, words):
    text = header().replace("[地块坐标]", f"{key}={value}\n[地块坐标]")
    with pytest.raises(CRSError) as exc:
        _resolve(text.replace("几度分带=3\n", "") if key == "几度分带" else text)
    assert words in exc.value.message_en and "line" in exc.value.message_en


def test_all_zero_parameters_mean_none_given():
    """Many exporters write 转换参数=0,0,0,0,0,0,0 as a placeholder: refused like an empty one, and said so."""
    with pytest.raises(CRSError) as exc:
        read_coordtxt(DATA / "xian80_zero_params.txt")
    assert "all zeros" in exc.value.message_en and "全为 0" in exc.value.message_zh
    gdf, warnings = read_coordtxt(DATA / "xian80_zero_params.txt", helmert="-35.2,118.7,1.35,-4.2")
    assert "--helmert" in gdf.attrs["coordtxt_crs"]["helmert"]


@pytest.mark.parametrize("params", ["nan,1,2,3", "1,2,inf,4"])
def test_non_finite_parameters_are_refused(params):
    with pytest.raises(CRSError, match="finite"):
        read_coordtxt(DATA / "xian80.txt", helmert=params)
