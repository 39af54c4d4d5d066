"""gis.lookup.map_values: a column of few distinct keys mapped through a dict."""

from __future__ import annotations

import numpy as np
import pandas as pd

from gis.lookup import map_values


def test_values_missing_and_unknown_keys():
    got = map_values(np.array(["a", None, "b", np.nan, "c", pd.NA, "a"], dtype=object), {"a": "甲", "b": "乙"})
    assert got.dtype == object and got.tolist() == ["甲", None, "乙", None, None, None, "甲"]


def test_values_that_are_sequences_stay_whole():
    got = map_values(["p1", "p2"], {"p1": ("x", "y"), "p2": ["z"]})
    assert got.tolist() == [("x", "y"), ["z"]]


def test_empty():
    assert map_values(np.array([], dtype=object), {"a": 1}).tolist() == []


def test_agrees_with_series_map():
    rng = np.random.default_rng(0)
    keys = np.array([f"k{i}" for i in range(20)] + [None], dtype=object)[rng.integers(0, 21, 10_000)]
    mapping = {f"k{i}": i * 1.5 for i in range(15)}
    expected = pd.Series(keys, dtype=object).map(mapping).to_numpy(dtype=object)
    got = map_values(keys, mapping)
    assert (pd.isna(got) == pd.isna(expected)).all()
    assert (got[~pd.isna(got)] == expected[~pd.isna(expected)]).all()
