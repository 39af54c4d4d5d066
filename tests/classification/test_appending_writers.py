"""Writing chunk by chunk (gis.classification.appending_writers): the file a whole-frame write gives."""

from __future__ import annotations

import json
import sqlite3

import geopandas as gpd
import pandas as pd
import pyarrow.parquet as pq
import pytest
import shapely

from gis.classification.appending_writers import (
    GpkgAppender,
    ParquetAppender,
    open_appender,
)
from gis.io.vector import read_vector, write_vector


def _frame(n: int = 9) -> gpd.GeoDataFrame:
    df = gpd.GeoDataFrame({
        "parcel_id": [f"p{i}" for i in range(n)],
        "town": [None] * 3 + ["甲镇"] * (n - 3),   # all null in the first chunk
        "area_m2": [float(i) for i in range(n)],
    }, geometry=[shapely.box(121.5 + i / 1000, 31.6, 121.5005 + i / 1000, 31.6005) for i in range(n)], crs=4326)
    df.loc[4, "geometry"] = None
    return df


def _append(writer, df, step=3):
    for s in range(0, len(df), step):
        part = df.iloc[s:s + step].copy()
        part.index = pd.RangeIndex(s, s + len(part))
        writer.write(part)
    writer.close()


def _same(a, b):
    pd.testing.assert_frame_equal(pd.DataFrame(a.drop(columns="geometry")), pd.DataFrame(b.drop(columns="geometry")))
    assert shapely.equals(a.geometry.to_numpy()[a.geometry.notna()], b.geometry.to_numpy()[b.geometry.notna()]).all()


def test_parquet_parts_join_into_one_file(tmp_path):
    df = _frame()
    write_vector(df, tmp_path / "whole.parquet")
    (tmp_path / "w").mkdir()
    _append(ParquetAppender(tmp_path / "chunks.parquet", tmp_path / "w"), df)
    _same(read_vector(tmp_path / "whole.parquet"), read_vector(tmp_path / "chunks.parquet"))
    geo = json.loads(pq.ParquetFile(tmp_path / "chunks.parquet").schema_arrow.metadata[b"geo"])
    bbox = geo["columns"]["geometry"]["bbox"]
    assert bbox == pytest.approx(list(df.total_bounds))  # over all parts, not the first one's


@pytest.mark.parametrize("index", [True, False])
def test_gpkg_appends_and_indexes_once(tmp_path, index):
    df = _frame()
    write_vector(df, tmp_path / "whole.gpkg", spatial_index=index)
    (tmp_path / "w").mkdir()
    _append(GpkgAppender(tmp_path / "chunks.gpkg", "chunks", index, "Polygon", tmp_path / "w"), df)
    _same(read_vector(tmp_path / "whole.gpkg"), read_vector(tmp_path / "chunks.gpkg"))
    with sqlite3.connect(tmp_path / "chunks.gpkg") as c:
        tables = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert ("rtree_chunks_geom" in tables) == index
        if index:  # one box per feature with a geometry
            assert c.execute("SELECT count(*) FROM rtree_chunks_geom").fetchone()[0] == len(df) - 1


def test_open_appender_by_suffix(tmp_path):
    w = tmp_path / "w"
    w.mkdir()
    assert isinstance(open_appender(tmp_path / "t", tmp_path / "o.geoparquet", w, spatial_index=None,
                                    geometry_type=None), ParquetAppender)
    g = open_appender(tmp_path / "t", tmp_path / "out.gpkg", w, spatial_index=None, geometry_type="Unknown")
    assert isinstance(g, GpkgAppender) and g.layer == "out" and g.spatial_index and g.geometry_type is None
    g.close()  # nothing written: no file, no index
    assert not (tmp_path / "t").exists()
    assert not open_appender(tmp_path / "t2", tmp_path / "out.gpkg", w, spatial_index=False,
                             geometry_type=None).spatial_index
