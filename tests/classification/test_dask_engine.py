"""The dask engine writes exactly what the in-memory engine writes (gis.classification.dask_engine)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely
from click.testing import CliRunner
from conftest import require

try:
    import distributed
except ImportError:  # pragma: no cover - the dask extra is part of the test set-up
    distributed = None

from gis.classification.classify import classify
from gis.classification.summary import classification_summary
from gis.io.vector import read_vector, write_vector
from gis.layers.layerset import load_layers
from gis.synth.parcels import synth_parcels


@pytest.fixture(scope="module")
def layers():
    return load_layers()


def _parcels(n: int, layers, seed: int = 3):
    return synth_parcels(n, layers.district, layers.parks, layers.construction_areas, seed=seed)


def _awkward(gdf):
    """What only a whole-file view gets right: ids duplicated across chunks, nulls in a later chunk."""
    gdf = gdf.copy()
    gdf.loc[1500, "parcel_id"] = gdf.loc[5, "parcel_id"]       # duplicate id in chunks 1 and 3
    gdf["employees"] = gdf["employees"].astype("Int64")
    gdf.loc[1800, "employees"] = pd.NA                         # an integer field with one null, chunk 3
    gdf["high_tech"] = gdf["high_tech"].astype("boolean")
    gdf.loc[1900, "high_tech"] = pd.NA                         # a boolean field with one null
    gdf.loc[900, "geometry"] = None                            # a parcel without geometry
    return gdf


def _assert_same_file(a_path, b_path):
    a, b = read_vector(a_path), read_vector(b_path)
    assert a.crs.equals(b.crs)
    pd.testing.assert_frame_equal(pd.DataFrame(a.drop(columns=a.geometry.name)),
                                  pd.DataFrame(b.drop(columns=b.geometry.name)))
    ga, gb = a.geometry.to_numpy(), b.geometry.to_numpy()
    assert (shapely.is_missing(ga) == shapely.is_missing(gb)).all()
    ok = ~shapely.is_missing(ga)
    assert (shapely.to_wkb(ga[ok]) == shapely.to_wkb(gb[ok])).all()


def test_same_output_as_memory_engine(tmp_path, layers):
    require(distributed is not None, "dask.distributed (pip install 'parkgis[dask]')")
    from gis.classification.dask_engine import classify_file

    src = tmp_path / "parcels.gpkg"
    write_vector(_awkward(_parcels(2_000, layers)), src)
    mem = classify(read_vector(src), layers)
    assert "duplicate_id" in mem.loc[1500, "flags"] and "no_geometry" in mem.loc[900, "flags"]
    # A whole-file read turns these fields to float / object; every chunk must do the same.
    assert mem["employees"].dtype == "float64" and mem["high_tech"].dtype == object
    for suffix in (".gpkg", ".parquet"):
        write_vector(mem, tmp_path / f"mem{suffix}")
        # Threads, not processes: quick to start, and it exercises the per-thread layer copies.
        stats = classify_file(src, tmp_path / f"dask{suffix}", layers=layers, chunk_rows=700, n_workers=2,
                              processes=False, summary=True)
        assert stats.rows == 2_000 and stats.chunks == 3
        assert stats.flagged == int(mem["flags"].str.len().gt(0).sum())
        assert stats.actions == {(k if isinstance(k, str) else None): v
                                 for k, v in mem["action"].value_counts(dropna=False).items()}
        pd.testing.assert_frame_equal(stats.summary, classification_summary(mem))
        _assert_same_file(tmp_path / f"mem{suffix}", tmp_path / f"dask{suffix}")


def test_gpkg_spatial_index_as_gdal_builds_it(tmp_path, layers):
    require(distributed is not None, "dask.distributed (pip install 'parkgis[dask]')")
    import sqlite3

    import pyogrio

    from gis.classification.dask_engine import classify_file

    src = tmp_path / "p.gpkg"
    write_vector(_parcels(600, layers), src)
    write_vector(classify(read_vector(src), layers), tmp_path / "out.gpkg")
    (tmp_path / "d").mkdir()
    classify_file(src, tmp_path / "d" / "out.gpkg", layers=layers, chunk_rows=250, n_workers=1, processes=False)

    def index(path):
        with sqlite3.connect(path) as c:
            rows = c.execute("SELECT id, minx, maxx, miny, maxy FROM rtree_out_geom ORDER BY id").fetchall()
            trig = sorted(r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                                  "AND name LIKE 'rtree_out_geom_%'"))
            ext = c.execute("SELECT * FROM gpkg_extensions").fetchall()
        return rows, trig, ext

    assert index(tmp_path / "out.gpkg") == index(tmp_path / "d" / "out.gpkg")
    bbox = tuple(read_vector(src).total_bounds)
    assert len(pyogrio.read_dataframe(tmp_path / "d" / "out.gpkg", bbox=bbox)) == 600


def test_cli_engine_dask_on_a_scheduler(tmp_path, layers):
    require(distributed is not None, "dask.distributed (pip install 'parkgis[dask]')")
    from distributed import LocalCluster

    from gis.cli.main import cli

    src = tmp_path / "p.gpkg"
    write_vector(_parcels(500, layers), src)
    write_vector(classify(read_vector(src), layers), tmp_path / "mem.gpkg")
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=":0") as cluster:
        res = CliRunner().invoke(cli, ["-q", "classify", str(src), "-o", str(tmp_path / "dask.gpkg"),
                                       "--scheduler", cluster.scheduler_address,
                                       "--summary", str(tmp_path / "s.csv")])
    assert res.exit_code == 0, res.output
    assert "classified 500 parcels" in res.output
    _assert_same_file(tmp_path / "mem.gpkg", tmp_path / "dask.gpkg")
    assert (tmp_path / "s.csv").exists()


def test_cli_engine_dask_refuses_unappendable_output(tmp_path, layers):
    from gis.cli.main import cli

    src = tmp_path / "p.gpkg"
    write_vector(_parcels(20, layers), src)
    res = CliRunner().invoke(cli, ["classify", str(src), "-o", str(tmp_path / "o.csv"), "--engine", "dask"])
    assert res.exit_code != 0
    assert ".gpkg" in res.output and "--engine memory" in res.output


def test_missing_id_field_is_reported_before_any_work(tmp_path, layers):
    from gis.classification.dask_engine import classify_file
    from gis.errors import FieldError

    src = tmp_path / "p.gpkg"
    write_vector(_parcels(20, layers).rename(columns={"parcel_id": "pid"}), src)
    with pytest.raises(FieldError, match="pid"):
        classify_file(src, tmp_path / "o.gpkg", layers=layers, client=object())


@pytest.mark.slow
def test_dask_equals_memory_on_200k_parcels(tmp_path, layers):
    require(distributed is not None, "dask.distributed (pip install 'parkgis[dask]')")
    from gis.classification.dask_engine import classify_file

    src = tmp_path / "parcels.gpkg"
    parcels = _parcels(200_000, layers, seed=11)
    # Realistic input order (not spatially sorted): ids as a planner's register lists them.
    parcels = parcels.iloc[np.random.default_rng(0).permutation(len(parcels))].reset_index(drop=True)
    write_vector(parcels, src)
    del parcels
    write_vector(classify(read_vector(src), layers), tmp_path / "mem.gpkg")
    stats = classify_file(src, tmp_path / "dask.gpkg", layers=layers)  # LocalCluster, worker processes
    assert stats.rows == 200_000 and stats.chunks == 2
    _assert_same_file(tmp_path / "mem.gpkg", tmp_path / "dask.gpkg")
