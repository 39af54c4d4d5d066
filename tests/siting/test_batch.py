"""Checking many sites at once (gis.siting.batch): the same verdicts as one by one, row errors, speed.

Toy layers as in test_check.py (tests/toylayers.py): the big island spans 0–20 × 0–10
units of 0.01° from (121.40 E, 31.55 N); its south edge is the riverbank.
"""

from __future__ import annotations

import time

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from toylayers import LAT0, LON0, write_toy_gpkg

from gis.layers.layerset import load_layers
from gis.siting.batch import BATCH_COLUMNS, check_sites
from gis.siting.check import check_site
from gis.siting.projects import read_projects


@pytest.fixture(scope="module")
def toy(tmp_path_factory):
    return load_layers(write_toy_gpkg(tmp_path_factory.mktemp("toy") / "toy.gpkg"))


def _projects(n: int, seed: int = 7) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.2, 19.8, n)
    y = rng.uniform(0.05, 9.9, n)
    codes = rng.choice(np.array(["2614", "3311", "3670", "1311", "6510", "2720", "36", None], dtype=object), n)
    df = pd.DataFrame({
        "project_id": [f"P{i:05d}" for i in range(n)],
        "industry": codes,
        "output_wan": np.where(rng.random(n) < 0.8, rng.uniform(100, 50000, n), np.nan),
        "land_m2": rng.uniform(2000, 80000, n),
        "energy_tce": rng.uniform(0, 2000, n),
        "value_added_wan": rng.uniform(100, 20000, n),
        "radius_m": np.where(rng.random(n) < 0.3, 150.0, np.nan),
    })
    return gpd.GeoDataFrame(df, geometry=shapely.points(LON0 + x * 0.01, LAT0 + y * 0.01), crs=4326)


def test_batch_matches_single_checks_and_reports_row_errors(toy):
    p = _projects(40)
    p.loc[3, "industry"] = "ABC"                        # invalid code
    p.loc[5, "geometry"] = shapely.Point(121.45, 31.50)  # in the river: outside the district
    p.loc[7, "geometry"] = None                          # no coordinates
    p.loc[9, "output_wan"] = -1.0                        # negative figure
    out = check_sites(p, layers=toy)
    assert len(out) == 40 and list(out.columns[:len(BATCH_COLUMNS)]) == BATCH_COLUMNS
    assert list(out["project_id"]) == list(p["project_id"])
    errs = out["error_zh"].notna()
    assert set(np.flatnonzero(errs)) == {3, 5, 7, 9}
    assert "行业代码" in out.loc[3, "error_zh"] and "industry code" in out.loc[3, "error_en"]
    assert "区界之外" in out.loc[5, "error_zh"]
    assert out.loc[errs, "verdict"].isna().all() and out.loc[~errs, "verdict"].notna().all()
    for i in np.flatnonzero(~errs):
        row = p.iloc[i]
        kw = {k: row[k] for k in ("industry", "output_wan", "land_m2", "energy_tce", "value_added_wan")
              if not pd.isna(row[k])}
        single = check_site(row.geometry, layers=toy, radius_m=None if pd.isna(row.radius_m) else row.radius_m,
                            **kw)
        assert out.loc[i, "verdict"] == single.verdict, i
        assert out.loc[i, "riverbank_m"] == pytest.approx(single.riverbank_m)
        for c in single.checks:
            assert out.loc[i, c.rule] == c.level, (i, c.rule)


def test_batch_csv_with_bad_rows(toy, tmp_path):
    csv = tmp_path / "projects.csv"
    csv.write_text("project_id,lon,lat,industry,name\n"
                   "a,121.44,31.59,3670,甲\n"
                   "b,abc,31.59,3670,乙\n"
                   "c,,,3670,丙\n"
                   "d,31.59,121.44,3670,丁\n"
                   "e,121.44,31.59,0511,戊\n", encoding="utf-8")
    p = read_projects(csv)
    out = check_sites(p, layers=toy)
    assert list(out["project_id"]) == ["a", "b", "c", "d", "e"]
    assert out["error_zh"].notna().tolist() == [False, True, True, True, False]
    assert "写反" in out.loc[3, "error_zh"]
    assert out.loc[4, "industry"] == "0511"                # leading zero kept


def test_batch_10000_projects(toy):
    p = _projects(10_000, seed=1)
    check_sites(p.iloc[:20], layers=toy)                   # warm the layer caches
    t0 = time.perf_counter()
    out = check_sites(p, layers=toy)
    dt = time.perf_counter() - t0
    print(f"\nbatch site check: 10,000 projects in {dt:.2f} s = {10_000 / dt:,.0f} projects/s")
    assert len(out) == 10_000
    assert out["verdict"].notna().all()
    assert set(out["verdict"]) <= {"allowed", "review", "prohibited"}
    assert dt < 10.0, f"batch mode too slow: {dt:.1f} s for 10,000 projects"


def test_one_row_that_breaks_the_engine_never_stops_the_batch(toy, monkeypatch):
    """A defect hit by one row (here simulated) leaves that row with an error; the others are checked."""
    import gis.siting.batch as batch

    real = batch.run_checks
    bad = shapely.points(LON0 + 0.123, LAT0 + 0.0456)

    def fragile(geoms, *args, **kwargs):
        if any(g is not None and shapely.equals(g, bad) for g in geoms):
            raise IndexError("boolean index did not match")
        return real(geoms, *args, **kwargs)

    monkeypatch.setattr(batch, "run_checks", fragile)
    projects = _projects(9)
    projects.loc[4, "geometry"] = bad
    out = check_sites(projects, layers=toy)
    assert list(out["project_id"]) == list(projects["project_id"])
    assert out["verdict"].isna().tolist() == [i == 4 for i in range(9)]
    assert "internal error" in out.loc[4, "error_en"] and "内部错误" in out.loc[4, "error_zh"]

