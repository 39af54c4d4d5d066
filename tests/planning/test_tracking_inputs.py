"""gis.planning.snapshots and tracking on bad input: a clear bilingual error or a flagged row, nothing dropped."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from density_fixtures import write_layers
from tracking_fixtures import hand_snapshots

from gis.errors import FieldError, InputError
from gis.layers.layerset import load_layers
from gis.planning.snapshots import load_snapshots, year_from_name
from gis.planning.tracking import track


@pytest.fixture(scope="module")
def layers(tmp_path_factory):
    return load_layers(write_layers(tmp_path_factory.mktemp("layers") / "t.gpkg"))


def bilingual(exc: InputError) -> None:
    assert exc.message_zh and exc.message_en and exc.message_zh != exc.message_en


@pytest.mark.parametrize("name, year", [("parcels_2023.gpkg", 2023), ("2021-parcels.shp", 2021),
                                        ("崇明工业地块2024年.gpkg", 2024), ("parcels_v12345.gpkg", None),
                                        ("parcels.gpkg", None), ("p_1899.gpkg", None)])
def test_year_from_file_name(name, year):
    assert year_from_name(name) == year


def test_two_years_in_a_file_name_are_ambiguous():
    with pytest.raises(InputError) as e:
        year_from_name("parcels_2020_vs_2021.gpkg")
    bilingual(e.value)
    assert "--year" in e.value.hint_en


def test_year_order_flag_then_column_then_file_name(tmp_path, layers):
    snaps = hand_snapshots()
    a, b = tmp_path / "parcels_2019.gpkg", tmp_path / "parcels_2018.gpkg"
    snaps[2020].to_file(a, layer="parcels")                                   # name says 2019
    snaps[2021].assign(year=2021).to_file(b, layer="parcels")                 # column beats the name
    got, *_ = load_snapshots([a, b], None, layers)
    assert [(s.year, s.year_source) for s in got] == [(2019, "file name"), (2021, "year column")]
    got, *_ = load_snapshots([a, b], [2020, 2022], layers)                     # --year beats both
    assert [(s.year, s.year_source) for s in got] == [(2020, "--year"), (2022, "--year")]


def test_snapshot_without_a_year_is_an_error(tmp_path, layers):
    p = tmp_path / "parcels.gpkg"
    hand_snapshots()[2020].to_file(p, layer="parcels")
    with pytest.raises(InputError) as e:
        track([p, p], layers)
    bilingual(e.value)
    assert "parcels.gpkg" in e.value.message_en and "--year" in e.value.hint_en
    with pytest.raises(InputError):
        track([hand_snapshots()[2020], hand_snapshots()[2021]], layers)       # frames without years


def test_same_year_twice_names_both_snapshots(tmp_path, layers):
    a, b = tmp_path / "a_2021.gpkg", tmp_path / "b.gpkg"
    hand_snapshots()[2020].to_file(a, layer="parcels")
    hand_snapshots()[2021].assign(year=2021).to_file(b, layer="parcels")
    with pytest.raises(InputError) as e:
        track([a, b], layers)
    bilingual(e.value)
    assert "a_2021.gpkg" in e.value.message_en and "b.gpkg" in e.value.message_en and "2021" in e.value.message_zh


@pytest.mark.parametrize("kwargs, words", [
    ({"years": [2020]}, "1 years"), ({"baseline_year": 2019}, "baseline"), ({"by": "nowhere"}, "nowhere")])
def test_other_input_errors(layers, kwargs, words):
    s = hand_snapshots()
    with pytest.raises(InputError) as e:
        track([s[2020], s[2021]], layers, **{"years": [2020, 2021], **kwargs})
    bilingual(e.value)
    assert words in e.value.message_en


def test_a_single_year_is_not_enough(layers):
    with pytest.raises(InputError, match="Only one year"):
        track({2020: hand_snapshots()[2020]}, layers)


def test_year_column_with_several_years_gives_several_snapshots(layers):
    s = hand_snapshots()
    both = pd.concat([s[2020].assign(year=2020), s[2021].assign(year=2021)], ignore_index=True)
    r = track([both], layers)
    assert r.years == [2020, 2021] and len(r.changes) == 6


def test_empty_year_values_are_an_error(layers):
    s = hand_snapshots()[2020].assign(year=[2020, 2020, None, 2020, 2020])
    with pytest.raises(InputError) as e:
        track([s, hand_snapshots()[2021].assign(year=2021)], layers)
    assert "c" in e.value.message_en                                            # names the parcel


def test_duplicate_ids_are_flagged_not_dropped(layers):
    s = hand_snapshots()
    dup = s[2021].copy()
    dup.loc[dup["parcel_id"] == "b", "parcel_id"] = "a"                          # two parcels "a" in 2021
    r = track({2020: s[2020], 2021: dup}, layers)
    c = r.changes
    assert len(c) == 7                                                          # a, a, b, c, d, e, f
    flagged = c[c["flags"].str.contains("duplicate_id")]
    assert sorted(flagged["change"]) == ["added", "unchanged"]                  # first a ↔ a, second is new
    assert (c["parcel_id"] == "b").sum() == 1 and c.loc[c["parcel_id"] == "b", "change"].iloc[0] == "removed"
    p1 = r.units[(r.units["unit_id"] == "P1") & (r.units["year"] == 2021)].iloc[0]
    assert p1["parcels"] == 2                                                  # both counted
    assert any("duplicate_id" in n for n in r.notes)
    assert r.snapshots.set_index("year").loc[2021, "duplicate_ids"] == 2


def test_different_crs_is_reprojected_and_said(layers):
    s = hand_snapshots()
    r = track({2020: s[2020], 2021: s[2021].to_crs(4549)}, layers)
    assert any("EPSG:4549" in n and "reprojected" in n for n in r.notes)
    c = r.changes.set_index("parcel_id")
    assert c.loc["a", "change"] == "unchanged" and c.loc["a", "moved_share"] < 1e-6
    assert r.changes.crs.to_epsg() == 4326


def test_missing_ids_cannot_be_followed_but_are_kept(layers):
    s = hand_snapshots()
    s21 = s[2021].copy()
    s21["parcel_id"] = s21["parcel_id"].astype(object).where(s21["parcel_id"] != "c", None)
    r = track({2020: s[2020], 2021: s21}, layers)
    c = r.changes
    assert len(c) == 7 and c["flags"].str.contains("no_id").sum() == 1
    assert any("no id" in n for n in r.notes)
    assert c.loc[c["parcel_id"] == "c", "change"].iloc[0] == "removed"
    hint = c[c["flags"].str.contains("id_changed")]
    assert len(hint) == 2                                                        # same geometry: the hint


def test_bad_values_name_the_year(layers):
    s = hand_snapshots()
    bad = s[2021].copy()
    bad.loc[0, "output_wan"] = -5.0
    with pytest.raises(FieldError) as e:
        track({2020: s[2020], 2021: bad}, layers)
    assert "2021" in e.value.message_en and "2021" in e.value.message_zh


def test_without_output_the_ledger_still_balances(layers):
    s = hand_snapshots()
    r = track({2020: s[2020].drop(columns="output_wan"), 2021: s[2021]}, layers)
    p = r.units[(r.units["unit_id"] == "P1")]
    assert np.isnan(p["density_yi_per_km2"].iloc[0]) and p["density_yi_per_km2"].iloc[1] == pytest.approx(17.0)
    assert any("output_wan" in n for n in r.notes)
    assert r.ledger[r.ledger["year"] == 2021]["reduced_ha"].iloc[0] == pytest.approx(10.0)
