"""Is a vector file whole? Checks of inputs before they are read and of outputs before they replace anything.

GDAL reads some damaged files without an error, and does not always report a
failed write:

* a **Shapefile** cut short (half copied, a full disk) is read as fewer
  features or as features without geometry; its three files state their own
  lengths in their headers (``.shp`` and ``.shx``: the file length; ``.dbf``:
  records × record length), which :func:`shapefile_problem` compares with the
  files' sizes and with each other;
* a **GeoPackage** damaged inside (zeroed pages) is read by GDAL's Arrow path
  as a silent subset: :func:`gpkg_feature_count` gives the count the file
  declares, which the reader compares with what it got;
* a **FlatGeobuf** written on a full disk ends early while GDAL reports success;
  a GeoJSON loses its closing brackets.

:func:`verify_vector` is the check of a written file (:func:`gis.io.safe_write.atomic_output`
runs it on the temporary file before renaming it into place): the features it
holds, or its structure where counting would mean reading it all.
"""

from __future__ import annotations

import errno
import struct
from pathlib import Path

__all__ = ["IncompleteWrite", "gpkg_feature_count", "shapefile_problem", "verify_vector"]


class IncompleteWrite(OSError):
    """A written file that is not whole (an ``OSError``: the write failed, whatever GDAL said)."""

    def __init__(self, path, what: str):
        super().__init__(errno.EIO, f"the written file is incomplete ({what})", str(path))


def _sidecar(path: Path, suffix: str) -> Path | None:
    for s in (suffix, suffix.upper()):
        p = path.with_suffix(s)
        if p.exists():
            return p
    return None


def _main_length(p: Path) -> int | None:
    """The file length (bytes) a .shp/.shx header declares, None when the header is unreadable."""
    with open(p, "rb") as fh:
        head = fh.read(100)
    if len(head) < 100 or struct.unpack(">i", head[:4])[0] != 9994:
        return None
    return struct.unpack(">i", head[24:28])[0] * 2


def shapefile_problem(path) -> tuple[str, str] | None:
    """What is wrong with a Shapefile's set of files, as (Chinese, English) text; None when whole.

    Parameters
    ----------
    path : str or Path
        The ``.shp`` file.

    Returns
    -------
    (str, str) or None
        A missing ``.dbf`` or ``.shx``, a file shorter than its header says, or
        ``.shx`` and ``.dbf`` disagreeing on the number of features.
    """
    shp = Path(path)
    dbf, shx = _sidecar(shp, ".dbf"), _sidecar(shp, ".shx")
    if dbf is None:
        return ("缺少属性表文件 .dbf（Shapefile 由 .shp、.shx、.dbf 三个文件组成）",
                "its attribute table (.dbf) is missing (a Shapefile is .shp, .shx and .dbf together)")
    if shx is None:
        return ("缺少索引文件 .shx", "its index file (.shx) is missing")
    for p in (shp, shx):
        declared = _main_length(p)
        if declared is None:
            return (f"{p.name} 的文件头已损坏", f"the header of {p.name} is damaged")
        size = p.stat().st_size
        if size < declared:
            return (f"{p.name} 不完整：文件头声明 {declared:,} 字节，实有 {size:,} 字节",
                    f"{p.name} is cut short: its header declares {declared:,} bytes, it has {size:,}")
    with open(dbf, "rb") as fh:
        head = fh.read(12)
    if len(head) < 12:
        return (f"{dbf.name} 的文件头已损坏", f"the header of {dbf.name} is damaged")
    n, header_len, rec_len = struct.unpack("<I", head[4:8])[0], *struct.unpack("<HH", head[8:12])
    need, size = header_len + n * rec_len, dbf.stat().st_size
    if size < need:
        return (f"{dbf.name} 不完整：应有 {n:,} 条记录（{need:,} 字节），实有 {size:,} 字节",
                f"{dbf.name} is cut short: it declares {n:,} records ({need:,} bytes) but has {size:,}")
    shapes = (shx.stat().st_size - 100) // 8
    if shapes != n:
        return (f".shx 有 {shapes:,} 个要素而 .dbf 有 {n:,} 条记录，两者不一致",
                f".shx lists {shapes:,} features but .dbf has {n:,} records")
    return None


def gpkg_feature_count(path, layer: str | None) -> int | None:
    """The number of features a GeoPackage layer declares (its contents table), None when unknown."""
    import pyogrio

    try:
        n = int(pyogrio.read_info(path, layer=layer)["features"])
    except Exception:  # damaged beyond reading its metadata: the read itself will say so
        return None
    return n if n >= 0 else None


def _geojson_closed(p: Path) -> bool:
    """Whether a GeoJSON file ends as GDAL closes it (``]`` then ``}``), i.e. was not cut short."""
    size = p.stat().st_size
    with open(p, "rb") as fh:
        fh.seek(max(0, size - 64))
        tail = fh.read().rstrip()
    return tail.endswith(b"}") and b"]" in tail


def _counted(p: Path, layer: str | None) -> int:
    """Features read back from a written file (one column through Arrow: a FlatGeobuf cut short fails here)."""
    import pyogrio

    info = pyogrio.read_info(p, layer=layer)
    cols = list(info["fields"])[:1]
    df = pyogrio.read_dataframe(p, layer=layer, columns=cols, read_geometry=not cols, use_arrow=True)
    return len(df)


def verify_vector(path, *, expected: int, layer: str | None = None) -> None:
    """Check a vector file just written: it holds ``expected`` features and is structurally whole.

    Parameters
    ----------
    path : str or Path
        The written file (``.gpkg``, ``.fgb``, ``.geojson``/``.json``, ``.shp``, ``.parquet``).
    expected : int
        Features written.
    layer : str, optional
        The layer written (GeoPackage).

    Raises
    ------
    IncompleteWrite
        The file is not whole (an ``OSError``: :func:`gis.io.safe_write.atomic_output`
        turns it into a bilingual error and keeps the previous file).
    """
    p = Path(path)
    suffix = p.suffix.lower()
    try:
        if suffix == ".shp":
            problem = shapefile_problem(p)
            if problem is not None:
                raise IncompleteWrite(p, problem[1])
            got = (_sidecar(p, ".shx").stat().st_size - 100) // 8
        elif suffix in (".geojson", ".json"):
            if not _geojson_closed(p):
                raise IncompleteWrite(p, "the GeoJSON text ends early")
            return
        elif suffix in (".parquet", ".geoparquet"):
            import pyarrow.parquet as pq

            got = pq.ParquetFile(p).metadata.num_rows
        elif suffix == ".gpkg":
            got = gpkg_feature_count(p, layer)
        else:
            got = _counted(p, layer)
    except IncompleteWrite:
        raise
    except Exception as exc:  # unreadable: the write did not complete
        raise IncompleteWrite(p, f"it cannot be read back: {exc}") from exc
    if got != expected:
        raise IncompleteWrite(p, f"{got} of {expected} features")
