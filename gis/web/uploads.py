"""Uploads: a private folder per request, fixed file names, checked content, and nothing left behind.

No value of a request ever becomes part of a server path: an upload is saved
as ``upload<suffix>`` (the suffix from a fixed list) inside a folder made by
:func:`tempfile.mkdtemp` (mode 0700, readable by the server's user only), and
the folder is removed when the response has been sent. A zip must hold a
vector file and no entry that could leave a folder if it were unpacked
(absolute paths, ``..``, links), nor a compression bomb. GDAL reads zips in
place (``/vsizip/``), so nothing is ever unpacked; the checks refuse such a
file with a clear message instead of leaving the question to the reader.
"""

from __future__ import annotations

import re
import shutil
import stat
import tempfile
import zipfile
from pathlib import Path, PurePosixPath
from typing import Self

import anyio

from gis.errors import InputError
from gis.web.errors import too_large, unsupported_file

__all__ = ["PARCEL_SUFFIXES", "SITE_SUFFIXES", "Workspace", "check_zip", "display_name", "save_upload"]

#: Site files the page takes (DESIGN §9): boundary-coordinate TXT, GeoJSON, KML, zipped Shapefile, and GeoPackage.
SITE_SUFFIXES = frozenset({".txt", ".geojson", ".json", ".kml", ".zip", ".gpkg"})
#: Parcel files for classification.
PARCEL_SUFFIXES = frozenset({".gpkg", ".geojson", ".json", ".zip", ".kml", ".fgb", ".parquet", ".csv", ".txt"})
#: Members of a zip that make it a vector file GDAL reads.
_ZIP_VECTOR = (".shp", ".gpkg", ".geojson", ".json", ".kml", ".fgb")
_ZIP_MAX_MEMBERS = 200
_ZIP_MAX_RATIO = 200.0        # uncompressed / compressed size of one member
_ZIP_MAX_TOTAL = 4 * 1024**3  # bytes, all members unpacked
_CHUNK = 1 << 20
#: First bytes a file of each suffix must start with (text formats: no check beyond being read).
_MAGIC = {".zip": (b"PK\x03\x04", b"PK\x05\x06"), ".gpkg": (b"SQLite format 3\x00",), ".fgb": (b"fgb",),
          ".parquet": (b"PAR1",)}


class Workspace:
    """A private temporary folder for one request or job; :meth:`remove` deletes it and everything in it."""

    def __init__(self, prefix: str = "parkgis-web-"):
        self.dir = Path(tempfile.mkdtemp(prefix=prefix))  # mode 0700
        self.shown: dict[str, str] = {}  # saved path → the upload's own name, for messages

    def hide(self, exc):
        """Write the uploads' own names (not the server's paths) into an error's messages; return it."""
        for attr in ("message_zh", "message_en", "hint_zh", "hint_en"):
            text = getattr(exc, attr, "") or ""
            for path, name in self.shown.items():
                text = text.replace(path, name)
            setattr(exc, attr, text.replace(str(self.dir), "…"))
        return exc

    def remove(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.remove()


def display_name(name: str | None) -> str:
    """An upload's name fit to appear in a message: no control characters, at most 80 characters."""
    text = re.sub(r"[\x00-\x1f\x7f]", "", str(name or ""))
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    return text[:80] or "upload"


def _suffix(name: str, allowed) -> str:
    low = name.lower()
    suffix = next((s for s in sorted(allowed, key=len, reverse=True) if low.endswith(s)), None)
    if suffix is None:
        raise unsupported_file(display_name(name), allowed)
    return suffix


async def save_upload(upload, ws: Workspace, allowed, limit_mb: float) -> Path:
    """Copy a multipart upload into the workspace as ``upload<suffix>`` and check its content.

    Parameters
    ----------
    upload : starlette.datastructures.UploadFile
    ws : Workspace
    allowed : set of str
        Accepted suffixes (:data:`SITE_SUFFIXES`, :data:`PARCEL_SUFFIXES`).
    limit_mb : float
        Largest size, MB.

    Returns
    -------
    pathlib.Path
        The saved file.
    """
    suffix = _suffix(upload.filename or "", allowed)
    path = ws.dir / f"upload{suffix}"
    limit = int(limit_mb * 1024 * 1024)
    size = 0
    async with await anyio.open_file(path, "wb") as fh:
        while chunk := await upload.read(_CHUNK):
            size += len(chunk)
            if size > limit:
                raise too_large(limit_mb)
            await fh.write(chunk)
    if size == 0:
        raise InputError(f"上传的文件“{display_name(upload.filename)}”是空的。",
                         f"The uploaded file '{display_name(upload.filename)}' is empty.")
    ws.shown[str(path)] = display_name(upload.filename)
    _check_magic(path, suffix, upload.filename)
    if suffix == ".zip":
        check_zip(path, upload.filename)
    return path


def _check_magic(path: Path, suffix: str, name: str | None) -> None:
    magic = _MAGIC.get(suffix)
    if magic is None:
        return
    with open(path, "rb") as fh:
        head = fh.read(16)
    if not head.startswith(magic):
        raise InputError(
            f"“{display_name(name)}”的内容不是 {suffix} 文件。",
            f"The content of '{display_name(name)}' is not a {suffix} file.",
            "请检查文件是否完整、扩展名是否正确。", "Check that the file is complete and its extension right.",
        )


def _unsafe_member(info: zipfile.ZipInfo) -> bool:
    name = info.filename.replace("\\", "/")
    parts = PurePosixPath(name).parts
    is_link = stat.S_ISLNK(info.external_attr >> 16)
    return (name.startswith("/") or re.match(r"^[A-Za-z]:", name) is not None or ".." in parts
            or is_link or "\x00" in name)


def _zip_refused(name: str | None, why_zh: str, why_en: str) -> InputError:
    return InputError(f"拒绝 zip 文件“{display_name(name)}”：{why_zh}。",
                      f"Refused the zip file '{display_name(name)}': {why_en}.",
                      "zip 中只放 Shapefile 的 .shp/.shx/.dbf/.prj/.cpg（或一个 GeoPackage/GeoJSON/KML），"
                      "不含子目录路径 ../。",
                      "Put only a Shapefile's .shp/.shx/.dbf/.prj/.cpg (or one GeoPackage/GeoJSON/KML) in the zip, "
                      "with no ../ paths.")


def check_zip(path: Path, name: str | None = None) -> None:
    """Refuse a zip with unsafe member paths, too many members, a bomb, or no vector file.

    Raises
    ------
    InputError
        Naming what is wrong (the upload's name only, never a server path).
    """
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _zip_refused(name, "文件损坏或不是 zip", f"it is corrupt or not a zip ({type(exc).__name__})") from None
    if len(infos) > _ZIP_MAX_MEMBERS:
        raise _zip_refused(name, f"含 {len(infos)} 个文件（上限 {_ZIP_MAX_MEMBERS}）",
                           f"it holds {len(infos)} files (at most {_ZIP_MAX_MEMBERS})")
    bad = [i for i in infos if _unsafe_member(i)]
    if bad:
        raise _zip_refused(name, "含指向目录之外的路径或链接",
                           "it has members with paths or links leading outside its folder")
    total = sum(i.file_size for i in infos)
    bomb = any(i.compress_size > 0 and i.file_size / i.compress_size > _ZIP_MAX_RATIO and i.file_size > _CHUNK
               for i in infos)
    if total > _ZIP_MAX_TOTAL or bomb:
        raise _zip_refused(name, "解压后体积异常（压缩炸弹）", "it would unpack to an implausible size (a zip bomb)")
    if any(i.flag_bits & 0x1 for i in infos):
        raise _zip_refused(name, "已加密", "it is encrypted")
    if not any(i.filename.lower().endswith(_ZIP_VECTOR) for i in infos if not i.is_dir()):
        raise _zip_refused(name, "其中没有矢量文件（.shp、.gpkg、.geojson、.kml）",
                           "it holds no vector file (.shp, .gpkg, .geojson, .kml)")
