"""Per-row errors of a batch (gis.siting.row_errors): messages join, rows without one stay clean."""

from __future__ import annotations

import numpy as np

from gis.siting.row_errors import RowErrors


def test_messages_join_per_row_in_both_languages():
    errs = RowErrors(3)
    errs.add(np.array([True, False, True]), "甲", "a")
    errs.add(np.array([True, False, False]), np.array(["乙0", "乙1", "乙2"], dtype=object),
             np.array(["b0", "b1", "b2"], dtype=object))
    assert list(errs.zh) == ["甲；乙0", None, "甲"]
    assert list(errs.en) == ["a; b0", None, "a"]
    assert list(errs.any) == [True, False, True]


def test_an_empty_mask_adds_nothing():
    errs = RowErrors(2)
    errs.add(np.zeros(2, dtype=bool), "甲", "a")
    assert not errs.any.any()
