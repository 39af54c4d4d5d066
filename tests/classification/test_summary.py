"""Classification summaries (gis.classification.summary): at once, or from chunks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gis.classification.summary import (
    classification_summary,
    combine_summaries,
    summary_counts,
)
from gis.units import M2_PER_MU


def _classified() -> pd.DataFrame:
    return pd.DataFrame({
        "zone": ["104", "104", "195", "198", None, "198"],
        "action": ["upgrade", "upgrade", "transform", "reduce", None, "reduce"],
        "park_id": ["A", "B", None, None, None, None],
        "town": [None, None, "甲镇", None, None, "乙镇"],
        "area_m2": [1e6, 2e6, 0.5e6, 1.5e6, np.nan, 1e6],
    })


def test_summary_rows_and_total():
    s = classification_summary(_classified())
    assert s.columns.tolist() == ["zone", "action", "park_id", "town", "parcels", "area_km2", "area_mu",
                                  "share_of_area"]
    total = s.iloc[-1]
    assert total["zone"] == "合计 total" and total["parcels"] == 6 and total["area_km2"] == pytest.approx(6.0)
    assert total["share_of_area"] == pytest.approx(1.0)
    unclassified = s[s["zone"] == "—"].iloc[0]  # missing values shown as "—"; no area counts 0
    assert unclassified["parcels"] == 1 and unclassified["area_km2"] == 0.0
    park_a = s[s["park_id"] == "A"].iloc[0]
    assert park_a["area_mu"] == pytest.approx(1e6 / M2_PER_MU) and park_a["share_of_area"] == pytest.approx(1 / 6)


@pytest.mark.parametrize("step", [1, 2, 4, 6])
def test_chunks_combine_to_the_whole(step):
    df = _classified()
    parts = [summary_counts(df.iloc[s:s + step]) for s in range(0, len(df), step)]
    pd.testing.assert_frame_equal(combine_summaries(parts), classification_summary(df))
