"""Tests of gis/io/geopackage.py: the fast GeoPackage writer writes what GeoDataFrame.to_file writes."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from sample_frames import frame

from gis.io.vector import read_vector, write_vector


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


def test_a_geopackage_with_other_layers_is_not_replaced(tmp_path):
    from gis.errors import OutputError
    from gis.io.geopackage import gpkg_layers, refuse_replacing_layers

    p = tmp_path / "project.gpkg"
    assert not refuse_replacing_layers(p, "x", False)  # no file: nothing to keep
    frame().to_file(p, layer="project", engine="pyogrio")
    assert not refuse_replacing_layers(p, "project", False)  # only its own layer: replaced
    frame().to_file(p, layer="roads", engine="pyogrio")
    assert gpkg_layers(p) == ["project", "roads"]
    with pytest.raises(OutputError, match="roads") as exc:
        refuse_replacing_layers(p, "project", False)
    assert "--out-layer" in exc.value.hint_en
    assert refuse_replacing_layers(p, "new", True)  # asked: written into it
    assert not refuse_replacing_layers(p, ("project", "roads"), False)
    (tmp_path / "junk.gpkg").write_bytes(b"junk")
    assert gpkg_layers(tmp_path / "junk.gpkg") is None
    with pytest.raises(OutputError, match="not a GeoPackage"):
        refuse_replacing_layers(tmp_path / "junk.gpkg", "x", True)
