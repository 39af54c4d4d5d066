"""Reading and writing: encodings, CRS refusal, corrupt files, atomic writes."""

from __future__ import annotations

import zipfile

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from gis.errors import CRSError, InputError, OutputError
from gis.io.safe_write import atomic_output
from gis.io.vector import detect_dbf_encoding, read_vector, write_vector

NAMES = ["崇明工业园区", "长兴海洋装备产业基地", "陈家镇智慧岛"]


def _frame(crs=4326):
    return gpd.GeoDataFrame(
        {"parcel_id": ["P1", "P2", "P3"], "name": NAMES, "output_wan": [1.5, 2.0, 3.25]},
        geometry=[shapely.box(121.4 + i * 0.01, 31.6, 121.405 + i * 0.01, 31.605) for i in range(3)],
        crs=crs,
    )


def _write_gbk_shapefile_without_cpg(path):
    _frame().to_file(path, driver="ESRI Shapefile", encoding="GBK", engine="pyogrio")
    cpg = path.with_suffix(".cpg")
    if cpg.exists():
        cpg.unlink()
    return path


def test_gbk_shapefile_without_cpg_reads_correct_chinese(tmp_path):
    shp = _write_gbk_shapefile_without_cpg(tmp_path / "gbk.shp")
    assert not shp.with_suffix(".cpg").exists()
    assert detect_dbf_encoding(shp.with_suffix(".dbf").read_bytes()) == "GB18030"
    gdf = read_vector(shp)
    assert gdf["name"].tolist() == NAMES


def test_gbk_zipped_shapefile_without_cpg(tmp_path):
    shp = _write_gbk_shapefile_without_cpg(tmp_path / "z.shp")
    zpath = tmp_path / "z.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        for sfx in (".shp", ".shx", ".dbf", ".prj"):
            zf.write(shp.with_suffix(sfx), arcname=f"z{sfx}")
    assert read_vector(zpath)["name"].tolist() == NAMES


def test_utf8_shapefile_without_cpg(tmp_path):
    shp = tmp_path / "u.shp"
    _frame().to_file(shp, driver="ESRI Shapefile", encoding="UTF-8", engine="pyogrio")
    shp.with_suffix(".cpg").unlink(missing_ok=True)
    assert detect_dbf_encoding(shp.with_suffix(".dbf").read_bytes()) == "UTF-8"
    assert read_vector(shp)["name"].tolist() == NAMES


def test_encoding_override(tmp_path):
    shp = _write_gbk_shapefile_without_cpg(tmp_path / "o.shp")
    assert read_vector(shp, encoding="GBK")["name"].tolist() == NAMES


def test_fiona_engine_reads_gbk_too(tmp_path):
    shp = _write_gbk_shapefile_without_cpg(tmp_path / "f.shp")
    assert read_vector(shp, engine="fiona")["name"].tolist() == NAMES


def test_file_without_crs_is_refused_with_hint(tmp_path):
    shp = tmp_path / "nocrs.shp"
    _frame().to_file(shp, driver="ESRI Shapefile", engine="pyogrio")
    shp.with_suffix(".prj").unlink()
    with pytest.raises(CRSError) as exc:
        read_vector(shp)
    assert "--assume-crs" in exc.value.hint_en and "--assume-crs" in exc.value.hint_zh
    assert "坐标参考系" in exc.value.message_zh
    gdf = read_vector(shp, assume_crs="EPSG:4326")
    assert gdf.crs.to_epsg() == 4326


def test_corrupt_file_gets_clear_error(tmp_path):
    bad = tmp_path / "bad.gpkg"
    bad.write_bytes(b"this is not a geopackage" * 10)
    with pytest.raises(InputError) as exc:
        read_vector(bad)
    assert "损坏" in exc.value.message_zh and "corrupt" in exc.value.message_en


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="not found"):
        read_vector(tmp_path / "nope.gpkg")


def test_multi_layer_gpkg_needs_layer(tmp_path):
    p = tmp_path / "m.gpkg"
    _frame().to_file(p, layer="a")
    _frame().to_file(p, layer="b")
    with pytest.raises(InputError) as exc:
        read_vector(p)
    assert "--layer" in exc.value.hint_en
    assert len(read_vector(p, layer="b")) == 3
    with pytest.raises(InputError, match="available"):
        read_vector(p, layer="zzz")


@pytest.mark.parametrize("suffix", [".gpkg", ".geojson", ".shp", ".fgb", ".parquet", ".csv"])
def test_round_trip_every_format(tmp_path, suffix):
    src = _frame()
    out = tmp_path / f"out{suffix}"
    write_vector(src, out)
    back = read_vector(out, assume_crs="EPSG:4326" if suffix == ".csv" else None)
    assert len(back) == 3
    assert back["name"].tolist() == NAMES
    assert back.crs.to_epsg() == 4326
    a, b = shapely.normalize(back.geometry.to_numpy()), shapely.normalize(src.geometry.to_numpy())
    assert shapely.equals_exact(a, b, tolerance=1e-9).all()


def test_gbk_shapefile_output_has_cpg(tmp_path):
    out = tmp_path / "g.shp"
    write_vector(_frame(), out, encoding="GBK")
    assert out.with_suffix(".cpg").read_text().strip() == "GBK"
    raw = out.with_suffix(".dbf").read_bytes()
    assert "崇明".encode("gbk") in raw
    assert read_vector(out)["name"].tolist() == NAMES


def test_shapefile_long_names_shortened(tmp_path):
    g = _frame()
    g["share_outside"] = 0.0
    g["yangtze_1km"] = [True, False, True]
    g["yangtze_1km_share"] = 0.5
    out = tmp_path / "long.shp"
    write_vector(g, out)
    back = read_vector(out)
    assert {"share_out", "yz_1km", "yz_1km_shr"} <= set(back.columns)
    assert back["yz_1km"].tolist() == [1, 0, 1]


def test_refuses_to_overwrite_input(tmp_path):
    p = tmp_path / "in.gpkg"
    write_vector(_frame(), p)
    before = p.read_bytes()
    with pytest.raises(OutputError) as exc:
        write_vector(_frame(), p, inputs=[p])
    assert "覆盖" in exc.value.message_zh
    assert p.read_bytes() == before


def test_failed_write_leaves_nothing(tmp_path):
    target = tmp_path / "x.gpkg"
    with pytest.raises(RuntimeError):
        with atomic_output(target) as tmp:
            tmp.write_bytes(b"half")
            raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


def test_failed_write_keeps_previous_output(tmp_path, monkeypatch):
    target = tmp_path / "keep.gpkg"
    write_vector(_frame(), target)
    before = target.read_bytes()

    def half_write(table, path, **kwargs):
        open(path, "wb").write(b"half a file")
        raise OSError("disk full")

    import pyogrio.raw

    monkeypatch.setattr(pyogrio.raw, "write_arrow", half_write)
    with pytest.raises(OSError):
        write_vector(_frame(), target)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.gpkg"]


def test_unknown_output_format(tmp_path):
    with pytest.raises(OutputError, match="Unsupported"):
        write_vector(_frame(), tmp_path / "x.dwg")


def test_csv_lonlat_and_leading_zeros(tmp_path):
    p = tmp_path / "sites.csv"
    pd.DataFrame({"name": ["甲", "乙"], "lon": [121.4, 121.5], "lat": [31.6, 31.62],
                  "industry": ["0511", "3731"]}).to_csv(p, index=False, encoding="gbk")
    gdf = read_vector(p)
    assert gdf.crs.to_epsg() == 4326
    assert gdf["industry"].tolist() == ["0511", "3731"]
    assert gdf["name"].tolist() == ["甲", "乙"]


def test_fast_gpkg_writer_equals_generic_writer(tmp_path):
    """gis.io.geopackage writes what GeoDataFrame.to_file writes: values, nulls, types, geometry type, CRS."""
    import numpy as np
    import pyogrio

    n = 300
    polys = [shapely.box(121.5 + i * 1e-4, 31.6, 121.5001 + i * 1e-4, 31.6001) for i in range(n)]
    polys[7] = shapely.MultiPolygon([polys[7], shapely.box(121.6, 31.7, 121.6001, 31.7001)])
    polys[9] = None
    gdf = gpd.GeoDataFrame({
        "id": [f"P{i:04d}" for i in range(n)],                              # unique text
        "zone": np.array((["104", "195", None] * n)[:n], dtype=object),     # few values, with nulls
        "reason": pd.Series((["甲：说明", "乙"] * n)[:n], dtype=object),
        "name": pd.Series((["上海", None] * n)[:n], dtype="string"),
        "share": np.where(np.arange(n) % 5 == 0, np.nan, np.linspace(0, 1, n)),
        "count": np.arange(n, dtype="int64"),
        "flag": np.arange(n) % 2 == 0,
        "empty": np.full(n, None, dtype=object),
    }, geometry=polys, crs=4326)
    fast, generic = tmp_path / "fast.gpkg", tmp_path / "generic.gpkg"
    write_vector(gdf, fast)
    gdf.to_file(generic, driver="GPKG", layer="generic", engine="pyogrio")
    a, b = pyogrio.read_info(fast), pyogrio.read_info(generic)
    assert a["geometry_type"] == b["geometry_type"] == "MultiPolygon"  # singles promoted, as GDAL wants
    assert a["crs"] == b["crs"] and a["features"] == b["features"] == n
    ra, rb = read_vector(fast), read_vector(generic)
    for c in ["id", "zone", "reason", "name", "share", "count", "flag", "empty"]:
        x, y = ra[c], rb[c]
        assert ((x == y) | (x.isna() & y.isna())).all(), c
    assert ra.geometry.equals(rb.geometry)


def test_fast_gpkg_writer_leaves_odd_columns_to_the_generic_writer(tmp_path):
    """A column Arrow cannot take as it is (here dates) still gets written, by the generic path."""
    gdf = gpd.GeoDataFrame({"when": pd.to_datetime(["2024-01-02", "2025-03-04"]).tz_localize("Asia/Shanghai"),
                            "mixed": pd.Series([1, "a"], dtype=object)},
                           geometry=[shapely.Point(121.5, 31.6), shapely.Point(121.6, 31.7)], crs=4326)
    from gis.io.geopackage import write_gpkg

    assert write_gpkg(gdf, tmp_path / "x.gpkg", layer="x") is False
    assert not (tmp_path / "x.gpkg").exists()
    write_vector(gdf, tmp_path / "y.gpkg")
    back = read_vector(tmp_path / "y.gpkg")
    assert len(back) == 2 and back["mixed"].astype(str).tolist() == ["1", "a"]


@pytest.mark.parametrize("geoms, expected", [
    ([shapely.Point(121.5, 31.6), shapely.box(121.5, 31.6, 121.6, 31.7)], "Unknown"),
    ([shapely.Point(121.5, 31.6), shapely.MultiPoint([(121.5, 31.6), (121.6, 31.7)])], "MultiPoint"),
    ([shapely.LineString([(121.5, 31.6, 1), (121.6, 31.7, 2)])], "LineString Z"),
])
def test_fast_gpkg_writer_layer_types(tmp_path, geoms, expected):
    import pyogrio

    gdf = gpd.GeoDataFrame({"a": range(len(geoms))}, geometry=geoms, crs=4326)
    write_vector(gdf, tmp_path / "f.gpkg")
    gdf.to_file(tmp_path / "g.gpkg", driver="GPKG", engine="pyogrio")
    assert (pyogrio.read_info(tmp_path / "f.gpkg")["geometry_type"]
            == pyogrio.read_info(tmp_path / "g.gpkg")["geometry_type"] == expected)
    assert read_vector(tmp_path / "f.gpkg").geometry.equals(read_vector(tmp_path / "g.gpkg").geometry)
