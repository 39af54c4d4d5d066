"""Text encoding of Shapefile attribute tables (DBF).

pyogrio and fiona silently return mojibake for a GBK ``.dbf`` without ``.cpg``
(pyogrio issue #380). :func:`detect_dbf_encoding` decodes the DBF's character
fields strictly as UTF-8 and falls back to GB18030 (a superset of GBK).
"""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import numpy as np

__all__ = ["detect_dbf_encoding", "shapefile_encoding"]


def _dbf_text_bytes(raw: bytes, limit_records: int = 200_000) -> bytes:
    """Return the concatenated bytes of a DBF's character fields."""
    if len(raw) < 32:
        return b""
    nrec = struct.unpack("<I", raw[4:8])[0]
    header_len = struct.unpack("<H", raw[8:10])[0]
    rec_len = struct.unpack("<H", raw[10:12])[0]
    fields = []
    offset = 1  # deletion flag
    pos = 32
    while pos + 32 <= header_len and raw[pos] != 0x0D:
        ftype = chr(raw[pos + 11])
        flen = raw[pos + 16]
        if ftype in "CM":
            fields.append((offset, flen))
        offset += flen
        pos += 32
    if not fields or rec_len == 0:
        return b""
    n = min(nrec, limit_records, max(0, (len(raw) - header_len) // rec_len))
    body = np.frombuffer(raw, dtype=np.uint8, count=n * rec_len, offset=header_len)
    body = body.reshape(n, rec_len)
    # Each field separately, joined with spaces, so that a multi-byte character
    # is never judged across a field boundary.
    parts = [body[:, o : o + ln].tobytes() for o, ln in fields]
    return b" ".join(parts)


def detect_dbf_encoding(raw: bytes) -> str | None:
    """Guess the text encoding of a DBF's content.

    Parameters
    ----------
    raw : bytes
        The whole ``.dbf`` file.

    Returns
    -------
    str or None
        ``"UTF-8"`` when the text decodes strictly as UTF-8, ``"GB18030"``
        otherwise, None when the text is plain ASCII (any encoding reads it).
    """
    text = _dbf_text_bytes(raw)
    if not text or max(text) < 0x80:
        return None
    try:
        text.decode("utf-8", errors="strict")
        return "UTF-8"
    except UnicodeDecodeError:
        # GB18030 decodes every GBK byte sequence the same way and more.
        return "GB18030"


def shapefile_encoding(path: Path) -> tuple[str | None, str]:
    """Return (encoding to pass or None, how it was decided) for a Shapefile or zip."""
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            dbfs = [n for n in names if n.lower().endswith(".dbf")]
            if not dbfs:
                return None, "no .dbf"
            cpg = [n for n in names if n.lower() == dbfs[0][:-4].lower() + ".cpg"]
            if cpg:
                return None, ".cpg"
            return detect_dbf_encoding(zf.read(dbfs[0])), "detected"
    dbf = path.with_suffix(".dbf")
    if not dbf.exists():
        dbf = path.with_suffix(".DBF")
    if path.with_suffix(".cpg").exists() or path.with_suffix(".CPG").exists():
        return None, ".cpg"
    if not dbf.exists():
        return None, "no .dbf"
    return detect_dbf_encoding(dbf.read_bytes()), "detected"
