"""Where a planning table or grid goes: its format from the suffix, and never over an input.

The density and grading commands check every output path before writing it
(and before the long work where they can), so a typo in a suffix or an output
that names an input file is an error that says so, never a lost input.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from gis.errors import OutputError
from gis.io.safe_write import check_not_input
from gis.io.tables import TABLE_SUFFIXES

__all__ = ["GRID_SUFFIXES", "check_output"]

#: Suffixes of a raster output (the density grid, a GeoTIFF).
GRID_SUFFIXES = (".tif", ".tiff")


def check_output(out, inputs: Iterable, suffixes: Sequence[str] = TABLE_SUFFIXES) -> Path:
    """Check an output path: one of ``suffixes``, and none of the command's inputs.

    Parameters
    ----------
    out : str or path-like
        The path about to be written.
    inputs : iterable of str, path-like or None
        What the command reads (parcels, layer source…); ``None`` entries and
        URLs that are no file are skipped.
    suffixes : sequence of str
        The formats allowed, e.g. :data:`TABLE_SUFFIXES` (``.csv``, ``.xlsx``).

    Returns
    -------
    Path

    Raises
    ------
    OutputError
        A suffix not in ``suffixes``, or an output that is an existing input file.
    """
    p = Path(out)
    if p.suffix.lower() not in suffixes:
        raise OutputError(f"输出格式须为 {'/'.join(suffixes)}（现为 {p.name}）。",
                          f"The output must be {'/'.join(suffixes)} ({p.name}).")
    check_not_input(p, inputs)  # also every file read so far in the command
    return p
