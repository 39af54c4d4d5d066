"""Errors of the web app as HTTP answers: the bilingual error JSON of DESIGN §6 with a 4xx status.

A user error of the library (:class:`gis.errors.ParkgisError`) is answered with
status 400 and its own ``code``; the HTTP-level refusals below (too large, too
slow, no token, unknown path…) have their own status and code. The body is
exactly what ``parkgis site-check --json`` prints for an error.
"""

from __future__ import annotations

from starlette.responses import Response

from gis.errors import ParkgisError

__all__ = [
    "WebError",
    "bad_form",
    "bad_host",
    "busy",
    "error_response",
    "internal_error",
    "not_allowed",
    "not_found",
    "too_large",
    "too_slow",
    "unauthorized",
    "unsupported_file",
    "worker_stopped",
]


class WebError(ParkgisError):
    """A refusal at the HTTP level, with its status code."""

    def __init__(self, status: int, code: str, message_zh: str, message_en: str, hint_zh: str = "",
                 hint_en: str = ""):
        super().__init__(message_zh, message_en, hint_zh, hint_en)
        self.status = status
        self.code = code

    def __reduce__(self):
        return (self.__class__, (self.status, self.code, self.message_zh, self.message_en, self.hint_zh,
                                 self.hint_en))


def error_response(exc: ParkgisError, headers: dict | None = None) -> Response:
    """The error JSON (as ``--json`` prints it) with the error's status (400 for library errors)."""
    status = exc.status if isinstance(exc, WebError) else 400
    return Response(exc.to_json() + "\n", status_code=status, media_type="application/json; charset=utf-8",
                    headers={"Cache-Control": "no-store", **(headers or {})})


def too_large(limit_mb: float) -> WebError:
    return WebError(413, "too_large", f"上传内容超过 {limit_mb:,.0f} MB 的上限。",
                    f"The upload is larger than the limit of {limit_mb:,.0f} MB.",
                    "请压缩文件（Shapefile 打包为 zip）、分批处理，或用命令行 parkgis 处理大文件。",
                    "Compress the file (zip a Shapefile), split it, or use the parkgis command line for large files.")


def too_slow(seconds: float, what_zh: str = "请求", what_en: str = "the request") -> WebError:
    return WebError(408, "timeout", f"{what_zh}超过 {seconds:,.0f} 秒的时限，已停止。",
                    f"{what_en[:1].upper()}{what_en[1:]} took longer than the limit of {seconds:,.0f} s "
                    "and was stopped.",
                    "文件过大或过于复杂时，请用命令行 parkgis 处理。",
                    "For very large or complex files use the parkgis command line.")


def unauthorized() -> WebError:
    return WebError(401, "unauthorized", "缺少或错误的访问口令。", "Missing or wrong access token.",
                    "在页面上输入管理员给出的口令，或在请求头中发送 Authorization: Bearer <口令>。",
                    "Enter the token your administrator gave you in the page, or send Authorization: Bearer <token>.")


def bad_host() -> WebError:
    return WebError(403, "bad_host", "请求的主机名不是本服务的地址。",
                    "The request's Host is not this server's address.", "请用 parkgis serve 打印的地址访问。",
                    "Open the address that parkgis serve printed.")


def not_found() -> WebError:
    return WebError(404, "not_found", "没有这个页面或接口。", "No such page or API endpoint.",
                    "接口列表见 README（GET /api/health、POST /api/site-check、POST /api/classify）。",
                    "See the README for the API (GET /api/health, POST /api/site-check, POST /api/classify).")


def not_allowed() -> WebError:
    return WebError(405, "method_not_allowed", "此接口不接受该请求方法。", "This endpoint does not accept that method.")


def unsupported_file(name: str, allowed) -> WebError:
    listed = " ".join(sorted(allowed))
    return WebError(415, "unsupported_file", f"不支持的文件类型：“{name}”。可用：{listed}。",
                    f"Unsupported file type: '{name}'. Accepted: {listed}.",
                    "界址点坐标 TXT、GeoJSON、KML、GeoPackage，或把 Shapefile 的 .shp/.shx/.dbf/.prj 打包为一个 zip。",
                    "A boundary-coordinate TXT, GeoJSON, KML, GeoPackage, or a Shapefile's .shp/.shx/.dbf/.prj "
                    "in one zip.")


def bad_form(zh: str, en: str) -> WebError:
    return WebError(400, "bad_request", zh, en)


def worker_stopped() -> WebError:
    return WebError(422, "worker_stopped", "读取或处理该文件时处理进程意外停止，文件可能已损坏。",
                    "The worker stopped unexpectedly while reading or processing the file; it may be corrupt.",
                    "请检查文件，或另存为 GeoPackage 后重试。",
                    "Check the file, or save it as GeoPackage and try again.")


def busy(n: int) -> WebError:
    return WebError(429, "busy", f"已有 {n} 个任务在排队或运行，请稍后再试。",
                    f"{n} jobs are already queued or running; try again shortly.")


def internal_error() -> WebError:
    return WebError(500, "internal_error", "服务器内部错误（已记录），请稍后重试。",
                    "Internal server error (logged); please try again.",
                    "若反复出现，请把服务器日志交给维护人员。",
                    "If it persists, give the server log to the maintainers.")
