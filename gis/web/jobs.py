"""Jobs of the web app: a classification or density run the page starts, polls and downloads from.

A job has an unguessable id (128 random bits) and a private folder; its
downloads are a fixed table of names (``result.zip``, ``map.html``…) mapped to
files in that folder, so a request names a download, never a path. Finished
jobs are removed after :attr:`gis.web.settings.WebSettings.job_keep_s`.
"""

from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

from gis.web.tasks import read_progress
from gis.web.uploads import Workspace

__all__ = ["STAGES", "Job", "JobStore"]

#: Stage of a job → (Chinese, English) for the page's progress text.
STAGES = {
    "queued": ("排队中", "queued"),
    "read": ("读取文件", "reading the file"),
    "classify": ("分类（叠加分析与规则）", "classifying (overlay and rules)"),
    "write": ("写出 GeoPackage", "writing the GeoPackage"),
    "summary": ("汇总表", "summary workbook"),
    "map": ("绘制地图", "drawing the map"),
    "density": ("产出密度", "output density"),
    "done": ("完成", "done"),
    "failed": ("失败", "failed"),
}
_ID_RE = re.compile(r"^[A-Za-z0-9_-]{22}$")


@dataclass
class Job:
    """One job: its folder, state, result summary and downloads."""

    kind: str
    id: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    key: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    workspace: Workspace = field(default_factory=lambda: Workspace("parkgis-job-"))
    created: float = field(default_factory=time.time)
    finished: float | None = None
    status: str = "queued"
    summary: dict | None = None
    error: dict | None = None
    files: dict[str, str] = field(default_factory=dict)
    task: object = None

    @property
    def dir(self) -> Path:
        return self.workspace.dir

    def file(self, name: str) -> Path | None:
        """The file of a download name, or None (names are looked up, never joined onto a path)."""
        fname = self.files.get(name)
        return self.dir / fname if fname else None

    def view(self) -> dict:
        """The job as the page polls it (links carry the job's key: an iframe cannot send a header)."""
        prog = read_progress(self.dir) if self.status == "running" else {}
        stage = {"queued": "queued", "failed": "failed", "done": "done"}.get(self.status, prog.get("stage", "read"))
        zh, en = STAGES.get(stage, (stage, stage))
        return {"id": self.id, "kind": self.kind, "status": self.status, "stage": stage, "stage_zh": zh,
                "stage_en": en, "fraction": 1.0 if self.status == "done" else float(prog.get("fraction", 0.0)),
                "elapsed_s": round((self.finished or time.time()) - self.created, 1), "summary": self.summary,
                "error": self.error,
                "files": {n: f"/api/jobs/{self.id}/files/{n}?key={self.key}" for n in self.files}}


class JobStore:
    """The server's jobs, in memory."""

    def __init__(self, keep_s: float, max_active: int):
        self.keep_s = keep_s
        self.max_active = max_active
        self._jobs: dict[str, Job] = {}

    def active(self) -> int:
        return sum(j.status in ("queued", "running") for j in self._jobs.values())

    def create(self, kind: str) -> Job:
        self.expire()
        job = Job(kind)
        self._jobs[job.id] = job
        return job

    def get(self, job_id: str) -> Job | None:
        if not _ID_RE.match(job_id or ""):
            return None
        return self._jobs.get(job_id)

    def drop(self, job: Job) -> None:
        """Forget a job and remove its folder (a synchronous request's job, once answered)."""
        job.workspace.remove()
        self._jobs.pop(job.id, None)

    def expire(self) -> None:
        """Remove finished jobs older than ``keep_s`` (their folders too)."""
        now = time.time()
        for jid, job in list(self._jobs.items()):
            if job.finished is not None and now - job.finished > self.keep_s:
                job.workspace.remove()
                del self._jobs[jid]

    def close(self) -> None:
        for job in self._jobs.values():
            job.workspace.remove()
        self._jobs.clear()
