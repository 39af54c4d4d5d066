"""The reduction ledger balances on random snapshot sequences (hypothesis), and tracking agrees with plain pandas."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from density_fixtures import box, to_gdf, write_layers
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gis.geodesy.crs import WORK_CRS
from gis.layers.layerset import load_layers
from gis.planning.snapshots import load_snapshots
from gis.planning.tracking import track, track_snapshots

_LAYERS = {}


def layers():
    """The density_fixtures layers, loaded once (hypothesis examples cannot take function fixtures)."""
    if "ls" not in _LAYERS:
        import tempfile
        from pathlib import Path

        d = Path(tempfile.mkdtemp(prefix="parkgis-ledger-"))
        _LAYERS["ls"] = load_layers(write_layers(d / "t.gpkg"))
    return _LAYERS["ls"]


# A 4 × 4 grid of cells over the 10 km test district: parks, construction areas and 198 land among them.
def cell_box(cell: int, scale: float):
    x0, y0 = 350 + 2400 * (cell % 4), 350 + 2400 * (cell // 4)  # no edge on the 1 km line (x or y = 1000)
    side = 700 * scale
    return box(x0, y0, x0 + side, y0 + side)


parcel = st.tuples(st.sampled_from([f"p{i}" for i in range(8)]), st.integers(0, 15),
                   st.sampled_from([1.0, 0.9, 0.6]), st.booleans())
year_rows = st.lists(parcel, min_size=1, max_size=8)


def frame(rows) -> gpd.GeoDataFrame:
    return to_gdf([cell_box(c, s) for _, c, s, _ in rows], parcel_id=[r[0] for r in rows],
                  output_wan=[100.0] * len(rows), industrial=[r[3] or i % 3 != 0 for i, r in enumerate(rows)])


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(years=st.lists(st.integers(2018, 2026), min_size=2, max_size=3, unique=True),
       data=st.data())
def test_ledger_balances_on_random_sequences(years, data):
    snaps = {y: frame(data.draw(year_rows)) for y in years}
    loaded, ls, _, notes = load_snapshots(snaps, None, layers())
    r = track_snapshots(loaded, ls, by="district", notes=notes)
    g = r.ledger
    base = g[g["year"] == min(years)].set_index("unit_id")["land_198_ha"]
    for _, row in g.iterrows():
        # the identity, exactly, on the stored figures
        assert row["land_198_ha"] == base[row["unit_id"]] - row["reduced_ha"] + row["added_ha"]
        assert row["reduced_ha"] >= 0 and row["added_ha"] >= 0
        assert row["net_reduced_ha"] == row["reduced_ha"] - row["added_ha"]
    assert (g.loc[g["year"] == min(years), ["reduced_ha", "added_ha"]] == 0).all().all()
    total = g[g["unit_type"] == "district"].set_index("year")
    towns = g[g["unit_type"] == "town"].groupby("year")[["land_198_ha", "reduced_ha", "added_ha"]].sum()
    towns = towns.reindex(total.index, fill_value=0.0)
    assert np.allclose(total[["land_198_ha", "reduced_ha", "added_ha"]].to_numpy(), towns.to_numpy(), atol=1e-9)
    for snap in loaded:  # against a direct sum of each year's 198 industrial land
        p = snap.parcels
        direct = p.loc[p["industrial"] & (p["zone"] == "198"), "area_m2"].sum() / 1e4
        assert total.loc[snap.year, "land_198_ha"] == pytest.approx(direct, abs=1e-6)
    c = r.changes
    added = r.added.groupby("year")["added_ha"].sum()
    assert np.allclose(added.to_numpy(), total.loc[added.index, "added_ha"].to_numpy(), atol=1e-9)
    assert len(c) >= max(len(s) for s in snaps.values())


def test_ledger_equals_the_direct_sum(tmp_path):
    snaps = {2020: frame([("p0", 12, 1.0, True), ("p1", 13, 1.0, True), ("p2", 3, 1.0, True)]),
             2022: frame([("p0", 12, 0.6, True), ("p3", 14, 1.0, True), ("p2", 3, 0.9, True)])}
    r = track(snaps, layers(), by="district")
    from gis.classification.classify import classify

    for y, s in snaps.items():
        c = classify(s, layers())
        direct = c.loc[c["zone"] == "198", "area_m2"].sum() / 1e4
        got = r.ledger[(r.ledger["unit_type"] == "district") & (r.ledger["year"] == y)]["land_198_ha"].iloc[0]
        assert got == pytest.approx(direct, abs=1e-6)


@pytest.fixture(scope="module")
def synthetic():
    from gis.synth.snapshots import synth_snapshots

    snaps = synth_snapshots([2020, 2021, 2022, 2023], seed=3)
    return snaps, track(snaps, by=("park",))


def test_agrees_with_plain_pandas_on_synthetic_snapshots(synthetic):
    snaps, r = synthetic
    for y, s in snaps.items():
        ind = s[s["industrial"].astype(bool)]
        per_park = ind.groupby("park_id").agg(land=("area_m2", "sum"), out=("output_wan", "sum"), n=("area_m2", "size"))
        ours = r.units[r.units["year"] == y].set_index("unit_id")
        assert np.allclose(ours.loc[per_park.index, "land_km2"], per_park["land"] / 1e6, rtol=1e-12)
        assert np.allclose(ours.loc[per_park.index, "output_yi"], per_park["out"] / 1e4, rtol=1e-12)
        assert (ours.loc[per_park.index, "parcels"] == per_park["n"]).all()
        z = ind[ind["zone"] == "198"]
        total = r.ledger[(r.ledger["unit_type"] == "district") & (r.ledger["year"] == y)].iloc[0]
        assert total["land_198_ha"] == pytest.approx(z["area_m2"].sum() / 1e4, abs=1e-6)
        b = snaps[2020]
        b = b[b["industrial"].astype(bool) & (b["zone"] == "198")].set_index("parcel_id")["area_m2"]
        cur = z.set_index("parcel_id")["area_m2"]
        d = cur.reindex(b.index.union(cur.index), fill_value=0) - b.reindex(b.index.union(cur.index), fill_value=0)
        assert total["reduced_ha"] == pytest.approx(-d.clip(upper=0).sum() / 1e4, abs=1e-6)
        assert total["added_ha"] == pytest.approx(d.clip(lower=0).sum() / 1e4, abs=1e-6)


def test_changes_agree_with_a_plain_geopandas_merge(synthetic):
    snaps, r = synthetic
    for y0, y1 in [(2020, 2021), (2022, 2023)]:
        a, b = snaps[y0].to_crs(WORK_CRS), snaps[y1].to_crs(WORK_CRS)
        m = a[["parcel_id", "geometry"]].merge(b[["parcel_id", "geometry"]], on="parcel_id", how="outer",
                                              suffixes=("_a", "_b"), indicator=True)
        ours = r.changes[r.changes["year_from"] == y0]
        both = m[m["_merge"] == "both"]
        ga, gb = gpd.GeoSeries(both["geometry_a"].to_numpy()), gpd.GeoSeries(both["geometry_b"].to_numpy())
        moved = (ga.symmetric_difference(gb).area / ga.area).to_numpy()
        expect = set(both["parcel_id"][moved > 0.01])
        still = ours["change"] != "removed"
        reshaped = set(ours.loc[ours["change"] == "reshaped", "parcel_id"])
        ind_both = set(ours.loc[still & ~ours["flags"].str.contains("industrial"), "parcel_id"])
        assert reshaped == expect & ind_both
        assert (ours["change"] == "added").sum() >= (m["_merge"] == "right_only").sum()
        assert set(m.loc[m["_merge"] == "left_only", "parcel_id"]) <= set(ours.loc[ours["change"] == "removed",
                                                                                   "parcel_id"])
        assert len(ours) == len(m)


def test_synthetic_sequence_shows_the_plan_at_work(synthetic):
    snaps, r = synthetic
    counts = r.changes["change"].value_counts()
    assert {"added", "removed", "reshaped", "action_changed", "unchanged"} <= set(counts.index)
    led = r.ledger[r.ledger["unit_type"] == "district"].set_index("year")
    assert led["land_198_ha"].is_monotonic_decreasing and led.loc[2023, "added_ha"] > 0
    parks = r.units[(r.units["unit_type"] == "park") & (r.units["year"] == 2023)]
    assert 0.0 < parks["cagr"].median() < 0.09
    assert all(s["synthetic"].all() for s in snaps.values())
