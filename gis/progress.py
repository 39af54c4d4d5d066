"""Progress bars on stderr: shown only on a terminal and never with --quiet."""

from __future__ import annotations

import os
import sys

from tqdm import tqdm

QUIET = False


def progress_bar(total: int, desc: str) -> tqdm:
    """A tqdm bar on stderr, disabled when stderr is not a terminal or when quiet."""
    disable = QUIET or not sys.stderr.isatty() or os.environ.get("PARKGIS_NO_PROGRESS") == "1"
    return tqdm(total=total, desc=desc, unit="feat", file=sys.stderr, disable=disable, leave=False)
