"""The API (DESIGN §9): siting checks, site reports, classification, jobs and the parks' density.

``POST /api/site-check`` answers exactly what ``parkgis site-check --json``
prints for the same input (the same library call, the same text); the other
routes serve the pages. Every handler saves an upload into a private folder
under a fixed name, hands the work to a worker process and removes the folder
when the response is sent.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import time

from starlette.background import BackgroundTask
from starlette.datastructures import UploadFile
from starlette.responses import FileResponse, JSONResponse, Response

from gis.errors import ParkgisError
from gis.web import job_tasks, tasks
from gis.web.errors import bad_form, busy, not_found, unauthorized
from gis.web.forms import classify_options, flag, read_form, site_request, text_field
from gis.web.guard import MAP_CSP
from gis.web.uploads import PARCEL_SUFFIXES, SITE_SUFFIXES, Workspace, save_upload

__all__ = ["classify_now", "job_file", "job_status", "site_check", "site_report", "start_classify", "start_parks"]

log = logging.getLogger(__name__)

_JSON = "application/json; charset=utf-8"
_REPORT_TYPES = {"json": _JSON, "html": "text/html; charset=utf-8", "pdf": "application/pdf"}
#: HTTP status of a failed job's error code (a user error of the library: 400).
_STATUS_OF = {"timeout": 408, "worker_stopped": 422, "internal_error": 500}
_FILE_TYPES = {".zip": "application/zip", ".html": "text/html; charset=utf-8",
               ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _json(body: str | bytes, status: int = 200) -> Response:
    return Response(body, status_code=status, media_type=_JSON, headers={"Cache-Control": "no-store"})


async def _upload(form, field: str, ws: Workspace, allowed, limit_mb: float, required: bool):
    f = form.get(field)
    if f is None or (isinstance(f, UploadFile) and not f.filename):
        if required:
            raise bad_form(f"缺少上传文件（字段 {field}）。", f"No file uploaded (field {field}).")
        return None
    if not isinstance(f, UploadFile):
        raise bad_form(f"字段 {field} 应为上传的文件。", f"The field {field} must be an uploaded file.")
    return str(await save_upload(f, ws, allowed, limit_mb))


async def _site_form(request, ws: Workspace):
    form = await read_form(request)
    try:
        path = await _upload(form, "site", ws, SITE_SUFFIXES, request.app.state.settings.site_upload_mb, False)
        return form, site_request(form, path)
    finally:
        await form.close()


async def site_check(request) -> Response:
    """``POST /api/site-check``: the DESIGN §6 JSON (``per_feature=1``: one result per feature of the file)."""
    app = request.app.state
    with Workspace() as ws:
        form, req = await _site_form(request, ws)
        each = flag(form, "per_feature")
        fn = tasks.site_check_each if each else tasks.site_check
        try:
            body = await app.workers.run("site", app.settings.site_timeout_s, fn, req,
                                         what=("选址检查", "the siting check"))
        except ParkgisError as exc:
            raise ws.hide(exc) from None
    return _json(body)


async def site_report(request) -> Response:
    """``POST /api/site-report?format=json|html|pdf``: one site's download (same form as site-check)."""
    app = request.app.state
    fmt = request.query_params.get("format", "pdf")
    if fmt not in _REPORT_TYPES:
        raise bad_form("format 须为 json、html 或 pdf。", "format must be json, html or pdf.")
    with Workspace() as ws:
        form, req = await _site_form(request, ws)
        feature = text_field(form, "feature")
        if feature is not None and not feature.isdigit():
            raise bad_form("feature 须为要素序号（从 1 起）。", "feature must be a feature number (from 1).")
        pool = "jobs" if fmt == "pdf" else "site"  # WeasyPrint is loaded in the job workers
        try:
            body = await app.workers.run(pool, app.settings.report_timeout_s, tasks.site_report, req, fmt,
                                         int(feature) if feature else None, what=("选址报告", "the site report"))
        except ParkgisError as exc:
            raise ws.hide(exc) from None
    return Response(body, media_type=_REPORT_TYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="site-check.{fmt}"',
                             "Cache-Control": "no-store"})


# --------------------------------------------------------------------------- jobs


def _new_job(app, kind: str):
    if app.jobs.active() >= app.settings.max_jobs:
        raise busy(app.jobs.active())
    return app.jobs.create(kind)


async def _run_job(app, job, fn, *args) -> None:
    job.status = "running"
    try:
        out = await app.workers.run("jobs", app.settings.job_timeout_s, fn, str(job.dir), *args,
                                    what=("任务", "the job"))
        job.summary, job.files = out["summary"], out["files"]
        job.status = "done"
    except ParkgisError as exc:
        job.error, job.status = job.workspace.hide(exc).to_dict()["error"], "failed"
    except Exception:  # a bug: logged with its traceback; the page gets a bilingual error
        log.exception("job %s failed", job.kind)
        from gis.web.errors import internal_error

        job.error, job.status = internal_error().to_dict()["error"], "failed"
    finally:
        for p in job.dir.glob("upload*"):
            p.unlink(missing_ok=True)
        job.finished = time.time()


async def _classify_upload(request, job):
    form = await read_form(request)
    try:
        path = await _upload(form, "parcels", job.workspace, PARCEL_SUFFIXES,
                             request.app.state.settings.classify_upload_mb, True)
        return path, classify_options(form)
    finally:
        await form.close()


async def start_classify(request) -> Response:
    """``POST /api/jobs/classify``: start classifying an uploaded parcel file; answers the job to poll (202)."""
    app = request.app.state
    job = _new_job(app, "classify")
    try:
        path, options = await _classify_upload(request, job)
    except BaseException:
        app.jobs.drop(job)
        raise
    job.task = asyncio.create_task(_run_job(app, job, job_tasks.classify_job, path, options))
    return JSONResponse(job.view(), status_code=202, headers={"Cache-Control": "no-store"})


async def classify_now(request) -> Response:
    """``POST /api/classify`` (DESIGN §9): the zip of the classified GeoPackage and the summary workbook."""
    app = request.app.state
    job = _new_job(app, "classify")
    try:
        path, options = await _classify_upload(request, job)
        await _run_job(app, job, job_tasks.classify_job, path, options)
    except BaseException:
        app.jobs.drop(job)
        raise
    if job.status != "done":
        app.jobs.drop(job)
        body = json.dumps({"error": job.error}, ensure_ascii=False, indent=2) + "\n"
        return _json(body, _STATUS_OF.get(job.error.get("code"), 400))
    return FileResponse(job.file("result.zip"), media_type="application/zip", filename="parkgis-classified.zip",
                        background=BackgroundTask(app.jobs.drop, job))


async def start_parks(request) -> Response:
    """``POST /api/jobs/parks``: density per park (field ``job``: a classify job's parcels; default: the sample)."""
    app = request.app.state
    form = await read_form(request)
    source = text_field(form, "job")
    await form.close()
    gpkg = None
    if source:
        src = app.jobs.get(source)
        if src is None or src.kind != "classify" or src.status != "done":
            raise not_found()
        gpkg = str(src.dir / "parkgis-classified.gpkg")
    elif app.sample_parks is not None and app.jobs.get(app.sample_parks) is not None:
        return JSONResponse(app.jobs.get(app.sample_parks).view(), status_code=202)
    job = _new_job(app, "parks")
    if gpkg is None:
        app.sample_parks = job.id
    job.task = asyncio.create_task(_run_job(app, job, job_tasks.parks_job, gpkg))
    return JSONResponse(job.view(), status_code=202, headers={"Cache-Control": "no-store"})


async def job_status(request) -> Response:
    """``GET /api/jobs/{id}``: status, stage, fraction done, summary and download links."""
    job = request.app.state.jobs.get(request.path_params["job_id"])
    if job is None:
        raise not_found()
    return JSONResponse(job.view(), headers={"Cache-Control": "no-store"})


async def job_file(request) -> Response:
    """``GET /api/jobs/{id}/files/{name}?key=…``: a job's download, by name (never by path)."""
    app = request.app.state
    job = app.jobs.get(request.path_params["job_id"])
    if job is None:
        raise not_found()
    # Without a key the guard has already checked the token (when one is set); a key given must be the job's.
    key = request.query_params.get("key")
    if key is not None and not secrets.compare_digest(key.encode("utf-8"), job.key.encode("utf-8")):
        raise unauthorized()
    path = job.file(request.path_params["name"])
    if path is None or not path.is_file():
        raise not_found()
    media = _FILE_TYPES.get(path.suffix, "application/octet-stream")
    if path.suffix == ".html":  # a generated map: shown in the page's frame, sandboxed, no network
        return FileResponse(path, media_type=media, headers={"Content-Security-Policy": MAP_CSP})
    return FileResponse(path, media_type=media, filename=path.name)
