"""Error classes of parkgis.

Every user error is a :class:`ParkgisError`: a ``ValueError`` that carries a
Chinese and an English message and a hint that says what to do. The CLI prints
it as two lines (zh, en) plus the hint and exits non-zero, never with a
traceback. Unexpected errors are not wrapped and keep their traceback.
"""

from __future__ import annotations

import json

__all__ = [
    "ParkgisError",
    "CRSError",
    "DatumError",
    "InputError",
    "LayerError",
    "FieldError",
    "OutputError",
    "RuleError",
    "ConfigError",
]


class ParkgisError(ValueError):
    """A user-facing error with a bilingual message and a hint.

    Parameters
    ----------
    message_zh, message_en : str
        What is wrong, in Chinese and English.
    hint_zh, hint_en : str, optional
        What to do about it.
    """

    exit_code = 2
    #: Stable machine-readable name of the kind of error (the ``code`` of the error JSON).
    code = "error"

    def __init__(self, message_zh: str, message_en: str, hint_zh: str = "", hint_en: str = ""):
        self.message_zh = message_zh
        self.message_en = message_en
        self.hint_zh = hint_zh
        self.hint_en = hint_en
        super().__init__(f"{message_en} / {message_zh}")

    def bilingual(self) -> str:
        """Return the message as printed by the CLI (zh line, en line, hints)."""
        lines = [f"错误：{self.message_zh}", f"Error: {self.message_en}"]
        if self.hint_zh or self.hint_en:
            lines.append(f"提示：{self.hint_zh}" if self.hint_zh else "")
            lines.append(f"Hint: {self.hint_en}" if self.hint_en else "")
        return "\n".join(line for line in lines if line)

    def __reduce__(self):
        # Pickled by its four texts (the base class would pickle the joined message only),
        # so an error raised in a worker process reaches the caller whole.
        return (self.__class__, (self.message_zh, self.message_en, self.hint_zh, self.hint_en))

    def to_dict(self) -> dict:
        """The error object of DESIGN §6: ``{"error": {"code", "message_zh", "message_en", "hint_zh", "hint_en"}}``."""
        return {"error": {"code": self.code, "message_zh": self.message_zh, "message_en": self.message_en,
                          "hint_zh": self.hint_zh, "hint_en": self.hint_en}}

    def to_json(self, indent: int | None = 2) -> str:
        """:meth:`to_dict` as JSON text (UTF-8, Chinese kept readable), as ``--json`` prints it."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)


class CRSError(ParkgisError):
    """Missing or unusable coordinate reference system."""

    code = "crs_error"


class DatumError(ParkgisError):
    """Unknown or misapplied datum (WGS84 / GCJ-02 / BD-09)."""

    code = "datum_error"


class InputError(ParkgisError):
    """An input file that cannot be read as asked (corrupt, empty, wrong encoding)."""

    code = "input_error"


class LayerError(ParkgisError):
    """A layer source that lacks a required role or has the wrong geometry."""

    code = "layer_error"


class FieldError(ParkgisError):
    """A required field is missing or has unusable values."""

    code = "field_error"


class OutputError(ParkgisError):
    """An output that cannot be written (would overwrite an input, unknown format)."""

    code = "output_error"


class RuleError(ParkgisError):
    """A rule module or rule configuration that cannot be used."""

    code = "rule_error"


class ConfigError(ParkgisError):
    """A configuration file or option value that cannot be used (type, range, units, encoding, unknown key)."""

    code = "config_error"
