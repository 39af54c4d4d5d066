"""Reading the API's form fields into the library's requests (DESIGN §9 field names).

The fields are those of ``parkgis site-check`` without their dashes — ``lonlat``,
``radius_m``, ``wkt``, ``site`` (a file), ``industry``, ``land_m2``, ``output_wan``,
``value_added_wan``, ``energy_tce``, ``investment_wan``, ``datum``, ``name``,
``facility``, ``assume_crs``, ``layer`` — and numbers are read as the command
line reads them (``float``), so the same input gives the same answer.
"""

from __future__ import annotations

import re

from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartException

from gis.errors import InputError
from gis.geodesy.datums import DATUMS
from gis.siting.request import SiteRequest
from gis.web.errors import bad_form

__all__ = ["classify_options", "flag", "read_form", "site_request", "text_field"]

_NUMBERS = ("radius_m", "land_m2", "output_wan", "value_added_wan", "energy_tce", "investment_wan")
_TEXTS = ("lonlat", "wkt", "industry", "name", "facility", "layer")
_CRS_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{1,15}:\d{1,7}$")
_FIELD_RE = re.compile(r"^[^\x00-\x1f]{1,64}$")
#: Largest text field, bytes (a WKT polygon of some thousands of vertices).
MAX_FIELD_BYTES = 1024 * 1024


async def read_form(request) -> FormData:
    """The request's form (multipart or urlencoded): at most one file and 40 fields."""
    try:
        return await request.form(max_files=1, max_fields=40, max_part_size=MAX_FIELD_BYTES)
    except MultiPartException as exc:
        raise bad_form(f"表单无法解析：{exc.message}", f"The form cannot be read: {exc.message}") from None


def text_field(form: FormData, name: str) -> str | None:
    """A text field's value, stripped; None when absent or empty; a file where text belongs is refused."""
    v = form.get(name)
    if v is None:
        return None
    if isinstance(v, UploadFile):
        raise bad_form(f"字段 {name} 应为文本，而不是文件。", f"The field {name} must be text, not a file.")
    v = v.strip()
    return v or None


def _number(form: FormData, name: str) -> float | None:
    v = text_field(form, name)
    if v is None:
        return None
    try:
        return float(v)
    except ValueError:
        raise InputError(f"字段 {name} 的值“{v[:40]}”不是数字。", f"The field {name}: '{v[:40]}' is not a number.",
                         "请填写十进制数字，如 50000。", "Give a decimal number, e.g. 50000.") from None


def flag(form: FormData, name: str) -> bool:
    return (text_field(form, name) or "").lower() in ("1", "true", "yes", "on")


def datum_field(form: FormData) -> str:
    v = (text_field(form, "datum") or "wgs84").lower()
    if v not in DATUMS:
        raise InputError(f"未知的坐标基准“{v[:20]}”；可选：{'、'.join(DATUMS)}。",
                         f"Unknown datum '{v[:20]}'; choose one of {', '.join(DATUMS)}.",
                         "高德/腾讯坐标为 gcj02，百度坐标为 bd09，GPS/天地图为 wgs84。",
                         "Amap/Tencent use gcj02, Baidu bd09, GPS and Tianditu wgs84.")
    return v


def crs_field(form: FormData) -> str | None:
    """``assume_crs`` as an authority code only (``EPSG:4549``): nothing PROJ could read from a file."""
    v = text_field(form, "assume_crs")
    if v is not None and not _CRS_RE.match(v):
        raise InputError(f"坐标系“{v[:40]}”无法识别；请写成 EPSG 代码，如 EPSG:4549。",
                         f"Coordinate system '{v[:40]}' not recognised; give an EPSG code, e.g. EPSG:4549.")
    return v


def site_request(form: FormData, site_file: str | None) -> SiteRequest:
    """The :class:`SiteRequest` of a ``/api/site-check`` form (the file already saved at ``site_file``)."""
    texts = {k: text_field(form, k) for k in _TEXTS}
    numbers = {k: _number(form, k) for k in _NUMBERS}
    return SiteRequest(site_file=site_file, datum=datum_field(form), assume_crs=crs_field(form), **texts,
                       **numbers)


def classify_options(form: FormData) -> dict:
    """``id_field``, ``datum``, ``assume_crs`` and ``layer`` of a classification form."""
    id_field = text_field(form, "id_field") or None  # None: parcel_id, numbered when the file has none
    if id_field is not None and not _FIELD_RE.match(id_field):
        raise InputError("编号字段名无效。", "The id field name is not valid.")
    return {"id_field": id_field, "datum": datum_field(form), "assume_crs": crs_field(form),
            "layer": text_field(form, "layer")}
