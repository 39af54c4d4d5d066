"""Safe writes: complete and readable, or the previous file untouched; and never over what the command reads.

Every writer of parkgis goes through :func:`atomic_output`:

* the output is written to a temporary file beside the target, **verified**
  (when the writer gives a check: GDAL does not always report a failed write,
  e.g. a FlatGeobuf on a full disk) and only then renamed into place, so a
  failed, refused or interrupted write never leaves a half-written file and
  never touches the previous one;
* a full disk, a read-only folder or a missing permission is a bilingual
  :class:`~gis.errors.OutputError` (:func:`write_error`), exit status 2;
* an output that names a file the command reads is refused. Inside
  :func:`command_scope` (every ``parkgis`` command runs in one) each reader
  records what it reads (:func:`note_read`: inputs, layer sources and the
  files a manifest names, configurations), so no writer can overwrite them —
  also the ones a command does not list itself. :func:`check_outputs` and
  :func:`check_output_folder` say so before the long work starts.
"""

from __future__ import annotations

import contextlib
import contextvars
import errno
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from gis.errors import OutputError

__all__ = ["atomic_output", "check_not_input", "check_output_folder", "check_outputs", "command_scope",
           "is_url", "note_read", "paths_read", "same_file", "write_error"]

#: Files read inside the current :func:`command_scope` (None outside one).
_READ: contextvars.ContextVar[set[Path] | None] = contextvars.ContextVar("parkgis_paths_read", default=None)
#: Files of one Shapefile: an output named like any of them would replace the input's set.
_SHP_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx")
_DISK_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
_READ_ONLY = (errno.EROFS, errno.EACCES, errno.EPERM)


def is_url(path) -> bool:
    """True for a database URL (``postgresql://…``) rather than a file path."""
    return isinstance(path, str) and path.split(":", 1)[0].startswith("postgres")


# --------------------------------------------------------------------------- what the command reads


@contextlib.contextmanager
def command_scope() -> Iterator[None]:
    """Protect every file read inside the block (:func:`note_read`) from being written over by the block."""
    token = _READ.set(set())
    try:
        yield
    finally:
        _READ.reset(token)


def note_read(path) -> None:
    """Record that the current command reads ``path`` (a file or a folder); outside a command scope, nothing."""
    read = _READ.get()
    if read is None or path is None or is_url(path) or not isinstance(path, (str, os.PathLike)):
        return
    p = _resolved(Path(path))
    read.add(p)
    if p.suffix.lower() in _SHP_PARTS:
        read.update(p.with_suffix(s) for s in _SHP_PARTS)


def paths_read() -> list[Path]:
    """The files read so far in the current command scope (empty outside one)."""
    return sorted(_READ.get() or ())


def _resolved(p: Path) -> Path:
    try:
        return p.resolve()
    except OSError:
        return p.absolute()


def _paths(items: Iterable) -> list[Path]:
    """The file paths among ``items`` (nested lists flattened; None, URLs, frames and dicts skipped)."""
    out: list[Path] = []
    for item in items:
        if isinstance(item, (list, tuple, set)):
            out += _paths(item)
        elif isinstance(item, (str, os.PathLike)) and not is_url(item):
            out.append(Path(item))
    return out


def same_file(a: Path, b: Path) -> bool:
    """True when ``a`` and ``b`` name the same file (resolved paths or the same inode)."""
    try:
        return _resolved(a) == _resolved(b) or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def _overwrite_error(out) -> OutputError:
    return OutputError(
        f"输出“{out}”是本命令读取的文件（输入数据、图层或配置），拒绝覆盖。",
        f"Output '{out}' would overwrite an input (a file this command reads: data, a layer or a "
        "configuration); refusing to overwrite it.",
        "请换一个输出文件名或文件夹。",
        "Choose another output path.",
    )


def check_not_input(out, inputs: Iterable = ()) -> None:
    """Refuse an output path that names one of the command's inputs (or a file read in this command scope).

    Parameters
    ----------
    out : str or path-like
        The path (or PostGIS URL) about to be written.
    inputs : iterable
        Everything the command reads; None entries, frames and dicts are skipped, lists flattened.

    Raises
    ------
    OutputError
        When ``out`` is one of the inputs (the same file, also through a link, or
        another file of the same Shapefile).
    """
    if is_url(out):
        if any(str(out) == str(i) for i in inputs if isinstance(i, str)):
            raise _overwrite_error(out)
        return
    o = Path(out)
    outs = [o.with_suffix(s) for s in _SHP_PARTS] if o.suffix.lower() == ".shp" else [o]
    for i in _paths(list(inputs)) + paths_read():
        ins = [i.with_suffix(s) for s in _SHP_PARTS] if i.suffix.lower() in _SHP_PARTS else [i]
        if any(same_file(a, b) for a in outs for b in ins):
            raise _overwrite_error(out)


def check_outputs(outputs: Iterable, inputs: Iterable = ()) -> None:
    """Check every path a command will write, before the work: none is an input, no two are the same file.

    Parameters
    ----------
    outputs : iterable of str, path-like or None
        The command's outputs (main output and side outputs); None entries are skipped.
    inputs : iterable
        As for :func:`check_not_input`.
    """
    outs = [o for o in outputs if o is not None]
    for o in outs:
        check_not_input(o, inputs)
    files = [Path(o) for o in outs if not is_url(o)]
    for k, a in enumerate(files):
        for b in files[k + 1:]:
            if same_file(a, b):
                raise OutputError(f"两个输出都写到“{a}”，后者会覆盖前者。",
                                  f"Two outputs name the same file '{a}': one would overwrite the other.",
                                  "请给每个输出不同的文件名。", "Give every output its own path.")


def check_output_folder(folder, inputs: Iterable = ()) -> None:
    """Refuse an output folder that is, or holds, one of ``inputs`` (e.g. the layer source's files).

    A report folder is filled with files of fixed names (``parcels.gpkg``,
    ``tables.xlsx``…, replaced on every run): it must not hold the layers the
    report describes. Other inputs inside it are safe unless a report file
    would replace them (:func:`check_outputs` on the report's files).
    """
    f = _resolved(Path(folder))
    if f.exists() and not f.is_dir():
        raise OutputError(f"输出位置“{folder}”是文件，不是文件夹。", f"The output '{folder}' is a file, not a folder.",
                          "请用 -o 指定一个文件夹（不存在时会新建）。",
                          "Give a folder with -o (it is created when missing).")
    for i in _paths(list(inputs)):
        r = _resolved(i)
        if r == f or f in r.parents:
            raise OutputError(
                f"输出文件夹“{folder}”含本命令读取的“{i}”，写入时可能覆盖它。",
                f"Output folder '{folder}' holds '{i}', which this command reads: writing into it could "
                "overwrite it.",
                "请为输出另选一个（新的）文件夹，例如 -o report_2025。",
                "Choose another (new) folder for the output, e.g. -o report_2025.",
            )


# --------------------------------------------------------------------------- writing


def write_error(path, exc: BaseException) -> OutputError:
    """The bilingual error for a write that failed: disk full, read-only or not permitted, or what the writer said.

    Parameters
    ----------
    path : str or Path
        The output.
    exc : BaseException
        What the write raised (an ``OSError`` with its ``errno``, or a GDAL error whose text says what happened).
    """
    p = Path(path)
    code = getattr(exc, "errno", None)
    said = str(getattr(exc, "strerror", None) or exc)
    lower = said.lower()
    said = said if len(said) <= 160 else said[:157] + "…"  # GDAL may quote a whole SQL statement
    keep_zh = "原有文件未改动。" if p.exists() else "没有写出任何文件。"
    keep_en = "The previous file is unchanged." if p.exists() else "Nothing was written."
    if code in _DISK_FULL or "no space" in lower or "file too large" in lower or "disk full" in lower \
            or _nearly_full(p):
        return OutputError(f"无法写出“{p}”：磁盘空间不足。{keep_zh}",
                           f"Cannot write '{p}': the disk is full. {keep_en}",
                           "请清理磁盘空间，或把输出写到其他磁盘/文件夹。",
                           "Free some disk space, or write the output to another disk or folder.")
    if code in _READ_ONLY or "read-only" in lower or "permission denied" in lower:
        return OutputError(f"无法写出“{p}”：文件夹只读或没有写入权限。{keep_zh}",
                           f"Cannot write '{p}': the folder is read-only or not writable. {keep_en}",
                           "请换一个可写的文件夹，或检查文件夹权限。",
                           "Choose a writable folder, or check the folder's permissions.")
    return OutputError(f"无法写出“{p}”：{said}。{keep_zh}", f"Cannot write '{p}': {said}. {keep_en}",
                       "请检查输出路径、磁盘空间与权限。",
                       "Check the output path, the free disk space and permissions.")


def _gdal_write_errors() -> tuple[type[BaseException], ...]:
    """GDAL's errors as pyogrio raises them (a failed write: "Cannot write feature", "No space left"…)."""
    try:
        import pyogrio.errors
    except ImportError:  # pragma: no cover - pyogrio is a dependency
        return ()
    return (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError)


def _nearly_full(p: Path) -> bool:
    """Whether the output's disk has (almost) no space left: GDAL's messages do not always say so."""
    try:
        return shutil.disk_usage(p.parent if p.parent.exists() else Path.cwd()).free < 1 << 20
    except OSError:
        return False


@contextlib.contextmanager
def atomic_output(path, *, suffix: str | None = None,
                  verify: Callable[[Path], None] | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; check it and rename it into place on success.

    Parameters
    ----------
    path : str or Path
        The output; refused when the command reads it (:func:`check_not_input`).
    suffix : str, optional
        Suffix of the temporary file (default: the output's).
    verify : callable, optional
        ``verify(tmp)`` raises when the written file is incomplete (e.g.
        :func:`gis.io.integrity.verify_vector`); the previous output is then kept.

    Raises
    ------
    OutputError
        The output is an input, the disk is full, the folder read-only, or the file failed its check.
    """
    target = Path(path)
    check_not_input(target)
    sfx = suffix if suffix is not None else target.suffix
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=f".tmp{sfx}", dir=target.parent)
        os.close(fd)
        os.unlink(tmp)  # writers (GDAL) want to create the file themselves
    except OSError as exc:
        raise write_error(target, exc) from exc
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        if verify is not None:
            verify(tmp_path)
        os.replace(tmp_path, target)
    except (OSError, *_gdal_write_errors()) as exc:
        raise write_error(target, exc) from exc
    finally:
        with contextlib.suppress(OSError):
            if tmp_path.is_dir():
                shutil.rmtree(tmp_path)
            elif tmp_path.exists():
                tmp_path.unlink()

