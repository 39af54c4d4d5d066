"""Safe writes: a temporary file renamed into place, and no output over an input.

Every writer of parkgis goes through :func:`atomic_output`, so a failed or
interrupted write never leaves a half-written file and never touches the
previous one; :func:`check_not_input` refuses an output that names an input.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from gis.errors import OutputError

__all__ = ["atomic_output", "check_not_input", "same_file", "is_url"]


def is_url(path) -> bool:
    """True for a database URL (``postgresql://…``) rather than a file path."""
    return isinstance(path, str) and path.split(":", 1)[0].startswith("postgres")


@contextlib.contextmanager
def atomic_output(path, *, suffix: str | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it into place on success.

    On an exception the temporary file is removed and ``path`` is untouched, so a
    failed write never leaves a half-written file behind.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    sfx = suffix if suffix is not None else target.suffix
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=f".tmp{sfx}", dir=target.parent)
    os.close(fd)
    os.unlink(tmp)  # writers (GDAL) want to create the file themselves
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def same_file(a: Path, b: Path) -> bool:
    """True when ``a`` and ``b`` name the same file (resolved paths or the same inode)."""
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def check_not_input(out, inputs: Iterable) -> None:
    """Refuse an output path that names one of the command's inputs.

    Parameters
    ----------
    out : str or path-like
        The path (or PostGIS URL) about to be written.
    inputs : iterable of str or path-like
        Everything the command reads; ``None`` entries are skipped.

    Raises
    ------
    OutputError
        When ``out`` is one of ``inputs`` (the same file, also through a link,
        or the same Shapefile's ``.dbf``).
    """
    for inp in inputs:
        if inp is None:
            continue
        if is_url(out) or is_url(inp):
            same = str(out) == str(inp)
        else:
            o, i = Path(out), Path(inp)
            same = same_file(o, i)
            if not same and o.suffix.lower() == ".shp" and i.suffix.lower() == ".shp":
                same = same_file(o.with_suffix(".dbf"), i.with_suffix(".dbf"))
        if same:
            raise OutputError(
                f"输出“{out}”与输入相同，拒绝覆盖输入数据。",
                f"Output '{out}' is one of the inputs; refusing to overwrite an input.",
                "请换一个输出文件名。",
                "Choose another output path.",
            )
