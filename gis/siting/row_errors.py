"""Error messages per project row, so one bad row of a batch never stops the others."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["RowErrors"]


class RowErrors:
    """Error messages per row (Chinese and English), several per row joined.

    Parameters
    ----------
    n : int
        Number of rows.
    """

    def __init__(self, n: int):
        self.zh = np.full(n, None, dtype=object)
        self.en = np.full(n, None, dtype=object)

    def add(self, mask, zh, en) -> None:
        """Add a message to the rows of ``mask`` (``zh``/``en``: one text, or an array aligned with the rows)."""
        m = np.asarray(mask, dtype=bool)
        if not m.any():
            return
        zh_a = zh[m] if isinstance(zh, np.ndarray) else np.full(int(m.sum()), zh, dtype=object)
        en_a = en[m] if isinstance(en, np.ndarray) else np.full(int(m.sum()), en, dtype=object)
        old_zh, old_en = self.zh[m], self.en[m]
        first = pd.isna(pd.Series(old_zh, dtype=object)).to_numpy()
        self.zh[m] = np.where(first, zh_a, old_zh.astype(str).astype(object) + "；" + zh_a.astype(object))
        self.en[m] = np.where(first, en_a, old_en.astype(str).astype(object) + "; " + en_a.astype(object))

    def part(self, rows: slice) -> RowErrors:
        """The errors of a slice of the rows (a new object: add to it, then nothing flows back)."""
        out = RowErrors(0)
        out.zh, out.en = self.zh[rows].copy(), self.en[rows].copy()
        return out

    @property
    def any(self) -> np.ndarray:
        """Mask of the rows with at least one error."""
        return ~pd.isna(pd.Series(self.zh, dtype=object)).to_numpy()
