"""The benchmark harness runs end to end at a tiny size, so it cannot rot (benchmarks/run.py)."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from conftest import REPO

BENCH = REPO / "benchmarks"


def _run(tmp_path: Path, *extra: str) -> tuple[str, dict]:
    out = tmp_path / "RESULTS.md"
    proc = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--sizes", "2000", "--repeat", "1", "--skip-maps",
         "--work", str(tmp_path), "--out", str(out), *extra],
        capture_output=True, text=True, cwd=REPO, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    return out.read_text(encoding="utf-8"), json.loads((tmp_path / "results.json").read_text())


def test_harness_smoke(tmp_path):
    text, res = _run(tmp_path, "--skip-postgis")
    for heading in ("## Machine", "## Targets (10⁶ parcels)", "## Our engine and command", "## Baselines and ratios",
                    "## Agreement"):
        assert heading in text
    assert "not measured at 10⁶" in text  # a 2,000-parcel run does not pretend to judge the targets
    run = res["sizes"]["2000"]
    assert run["engine"][0]["classify_s"] > 0 and run["engine"][0]["write_fgb_mb"] > 0
    assert set(run["cli"]) >= {"gpkg", "gpkg_noindex", "parquet"}
    assert run["geopandas"][0]["compute_s"] > 0
    assert res["agreement"]["geopandas"]["ok"], res["agreement"]
    # Markdown tables stay well formed: each row has as many cells as its header.
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("|---"):
            n = lines[i - 1].replace("\\|", "").count("|")
            assert line.count("|") == n
            j = i + 1
            while j < len(lines) and lines[j].startswith("|"):
                assert lines[j].replace("\\|", "").count("|") == n, lines[j]
                j += 1


def _agree(ours, ref) -> None:
    """Shares within 1e-9, distances within 1 m, zones / parks / towns identical."""
    for c in ("share_104", "share_195", "share_198", "share_outside", "yangtze_1km_share"):
        assert np.abs(ours[c].to_numpy(float) - ref[c].to_numpy(float)).max() < 1e-9, c
    assert np.abs(ours["riverbank_m"].to_numpy(float) - ref["riverbank_m"].to_numpy(float)).max() < 1.0
    for c in ("zone", "park_id", "town"):
        assert list(ours[c].fillna("∅")) == list(pd.Series(ref[c], dtype=object).fillna("∅")), c
    assert list(ours["in_reserve"].astype(bool)) == list(pd.Series(ref["in_reserve"]).astype(bool))


@pytest.fixture(scope="module")
def bench_parcels():
    """Synthetic parcels plus one straddling a park edge (shares strictly between 0 and 1)."""
    from gis.geodesy.crs import from_work
    from gis.layers.layerset import load_layers
    from gis.synth.parcels import synth_parcels

    layers = load_layers()
    parcels = synth_parcels(300, layers.district, layers.parks, layers.construction_areas, seed=5)
    edge = shapely.get_exterior_ring(shapely.get_parts(layers.work("zone_104")[0])[0])
    box = shapely.buffer(shapely.line_interpolate_point(edge, 0.5, normalized=True), 60, cap_style="square")
    extra = gpd.GeoDataFrame({"parcel_id": ["edge"]}, geometry=from_work(np.array([box])), crs="EPSG:4326")
    both = pd.concat([parcels[["parcel_id", "geometry"]], extra], ignore_index=True)
    return gpd.GeoDataFrame(both, geometry="geometry", crs="EPSG:4326"), layers


def test_baseline_geopandas_agrees(bench_parcels):
    sys.path.insert(0, str(BENCH))
    from baseline_geopandas import geopandas_metrics

    from gis.classification.classify import classify

    parcels, layers = bench_parcels
    ours = classify(parcels, layers)
    assert 0.05 < ours["share_104"].iloc[-1] < 0.95  # the edge parcel really straddles
    _agree(ours, geopandas_metrics(parcels, layers))


@pytest.mark.postgis
def test_baseline_postgis_agrees(postgis_url, bench_parcels):
    """The PostGIS baseline's one query gives our columns (in a throw-away database)."""
    sys.path.insert(0, str(BENCH))
    import baseline_postgis as bp

    from gis.classification.classify import classify

    parcels, layers = bench_parcels
    db = f"bench_{uuid.uuid4().hex[:8]}"
    base = postgis_url.rsplit("/", 1)[0]
    with bp.connect(postgis_url) as admin:
        admin.execute(f"CREATE DATABASE {db}")
    try:
        with bp.connect(f"{base}/{db}") as conn:
            conn.execute("CREATE EXTENSION postgis")
            bp.load_layers_tables(conn, layers)
            assert bp.load_parcels(conn, parcels) > 0
            got = {}
            for variant in bp.VARIANTS:  # the tuned set-up and the plain one
                assert bp.run_query(conn, layers.buffer_m, variant) > 0
                got[variant] = bp.fetch(conn)
    finally:
        with bp.connect(postgis_url) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {db}")
    ours = classify(parcels, layers)
    for _variant, table in got.items():
        _agree(ours, table)
