"""Tests of gis/io/csv_geometry.py: CSV with lon/lat or WKT columns, encodings, codes with leading zeros."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from gis.errors import CRSError, InputError
from gis.io.csv_geometry import read_csv_geometry, read_csv_text, write_csv_geometry
from gis.io.vector import read_vector


def test_csv_lonlat_and_leading_zeros(tmp_path):
    p = tmp_path / "sites.csv"
    pd.DataFrame({"name": ["甲", "乙"], "lon": [121.4, 121.5], "lat": [31.6, 31.62],
                  "industry": ["0511", "3731"]}).to_csv(p, index=False, encoding="gbk")
    gdf = read_vector(p)
    assert gdf.crs.to_epsg() == 4326
    assert gdf["industry"].tolist() == ["0511", "3731"]
    assert gdf["name"].tolist() == ["甲", "乙"]


def test_wkt_column_needs_a_stated_crs(tmp_path):
    p = tmp_path / "parcels.csv"
    p.write_text('id,wkt\nA,"POLYGON ((0 0, 10 0, 10 10, 0 0))"\nB,\n', encoding="utf-8")
    with pytest.raises(CRSError):
        read_csv_geometry(p)
    gdf = read_csv_geometry(p, assume_crs="EPSG:4549")
    assert gdf.crs.to_epsg() == 4549 and "wkt" not in gdf.columns
    assert gdf.geometry.iloc[0].equals(shapely.from_wkt("POLYGON ((0 0, 10 0, 10 10, 0 0))"))
    assert gdf.geometry.iloc[1] is None


@pytest.mark.parametrize("text, words", [
    ('id,wkt\nA,"POLYGON ((0 0, 1"\n', "unreadable WKT"),
    ("id,name\nA,甲\n", "no geometry"),
])
def test_unusable_csv_is_refused(tmp_path, text, words):
    p = tmp_path / "x.csv"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=words):
        read_csv_geometry(p, assume_crs="EPSG:4326")


def test_lonlat_rows_without_numbers_have_no_geometry(tmp_path):
    p = tmp_path / "sites.csv"
    p.write_text("经度,纬度\n121.5,31.6\n,\n", encoding="utf-8-sig")
    gdf = read_csv_geometry(p)
    assert gdf.geometry.iloc[0].equals(shapely.Point(121.5, 31.6)) and gdf.geometry.iloc[1] is None


def test_read_csv_text_keeps_text_and_decodes_gbk(tmp_path):
    p = tmp_path / "t.csv"
    p.write_bytes("industry,name\n0511,崇明\n".encode("gbk"))
    df = read_csv_text(p)
    assert df.to_dict("records") == [{"industry": "0511", "name": "崇明"}]


def test_write_csv_geometry_writes_wkt_with_a_bom(tmp_path):
    gdf = gpd.GeoDataFrame({"id": ["A"]}, geometry=[shapely.Point(121.5, 31.6)], crs=4326)
    write_csv_geometry(gdf, tmp_path / "o.csv")
    raw = (tmp_path / "o.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"POINT (121.5 31.6)" in raw
