"""The work the web app hands to its worker processes (siting checks, reports, classification, density).

Each function runs in a worker process of :mod:`gis.web.workers`, so CPU work
never blocks the server's event loop, a stuck request can be stopped, and a
reader that crashes on a hostile file takes only its worker down. The layers
and rules are loaded once, by :func:`prepare`, in the server process before the
workers are forked, so every worker starts with them (and their indexes) warm.

Siting answers are the JSON text of ``parkgis site-check --json``: the same
library call (:func:`gis.siting.request.check_site_request`) and the same
``to_json()``, plus the newline ``click.echo`` adds.
"""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path

from gis.layers.layerset import LayerSet, load_layers
from gis.rules import RuleSet, load_rules
from gis.siting.request import SiteRequest, check_file_sites, check_site_request

__all__ = ["prepare", "prepare_jobs", "read_progress", "site_check", "site_check_each", "site_report", "state",
           "write_progress"]

log = logging.getLogger(__name__)

_STATE: dict = {}


def prepare(layers_src: str | None = None) -> dict:
    """Load the layers and rules once (idempotent) and warm the overlay indexes.

    Returns
    -------
    dict
        ``layers`` (LayerSet), ``site_rules`` and ``classify_rules`` (RuleSet), ``source``.
    """
    if _STATE.get("source", object()) == layers_src and "layers" in _STATE:
        return _STATE
    layers = load_layers(layers_src)
    site_rules = load_rules(None, kind="site")
    classify_rules = load_rules(None, kind="classify")
    _warm(layers, site_rules)
    _preload()
    _STATE.update(layers=layers, site_rules=site_rules, classify_rules=classify_rules, source=layers_src)
    return _STATE


def _warm(layers: LayerSet, rules: RuleSet) -> None:
    """One check at a point inside the district: builds the indexes before any request needs them."""
    import shapely

    from gis.engine.overlay_table import engine_indexes

    engine_indexes(layers)
    inside = shapely.point_on_surface(shapely.union_all(layers.district.geometry.to_numpy()))
    try:
        check_site_request(SiteRequest(lonlat=f"{inside.x},{inside.y}", industry="3731", radius_m=100.0),
                           layers=layers, rules=rules)
    except Exception as exc:  # noqa: BLE001 - warming only: a user's layers may make this point an error
        log.info("warm-up check skipped: %s", exc)


def _preload() -> None:
    """Import the report and map libraries now, so forked workers have them (a first PDF is not 3 s slower)."""
    import importlib

    for name in ("gis.report.site_page", "gis.maps.web.web_map", "matplotlib.backends.backend_agg"):
        try:
            importlib.import_module(name)
        except (ImportError, OSError):  # an optional extra missing: the request that needs it says so
            pass


def prepare_site(layers_src: str | None = None) -> None:
    """Start-up of a siting worker: :func:`prepare`, and pandas' Python string storage for this process.

    A siting check builds dozens of one-row text columns; for those, Arrow's fixed cost per array is most
    of the work (≈ 52 → 33 ms of CPU per point check, the same JSON). Only these worker processes are
    switched: classification jobs, with columns of 100,000 texts, keep Arrow.
    """
    import pandas as pd

    pd.options.mode.string_storage = "python"
    prepare(layers_src)


def prepare_jobs(layers_src: str | None = None) -> None:
    """Start-up of a job worker: :func:`prepare`, and WeasyPrint for the PDFs (1–2 s, off the server's start)."""
    prepare(layers_src)
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        pass


def state() -> dict:
    """The loaded layers and rules (loading the embedded default if :func:`prepare` was not called)."""
    return _STATE if "layers" in _STATE else prepare(None)


def site_check(req: SiteRequest) -> str:
    """The DESIGN §6 JSON of one site, exactly as ``parkgis site-check --json`` prints it."""
    s = state()
    return check_site_request(req, layers=s["layers"], rules=s["site_rules"]).to_json() + "\n"


def site_check_each(req: SiteRequest) -> str:
    """Every feature of the request's file as its own site: ``{"sites": [{index, label, result | error}]}``."""
    s = state()
    rows = []
    for item in check_file_sites(req, layers=s["layers"], rules=s["site_rules"]):
        rows.append({"index": item.index, "label": item.label,
                     "result": item.result.to_dict() if item.result is not None else None,
                     "error": item.error.to_dict()["error"] if item.error is not None else None})
    return json.dumps({"sites": rows}, ensure_ascii=False, indent=2) + "\n"


def site_report(req: SiteRequest, fmt: str, feature: int | None = None) -> bytes:
    """One site's download: its JSON, its HTML page (map inside) or its A4 PDF, as bytes.

    ``feature`` (from 1) picks one feature of a site file checked one by one.
    """
    s = state()
    if feature is None:
        result = check_site_request(req, layers=s["layers"], rules=s["site_rules"])
    else:
        items = check_file_sites(req, layers=s["layers"], rules=s["site_rules"])
        item = next((i for i in items if i.index == feature), None)
        if item is None:
            from gis.errors import InputError

            raise InputError(f"文件中没有第 {feature} 个要素。", f"The file has no feature number {feature}.")
        if item.error is not None:
            raise item.error
        result = item.result
    if fmt == "json":
        return (result.to_json() + "\n").encode("utf-8")
    from gis.report.site_page import site_html, site_pdf

    if fmt == "pdf":
        return site_pdf(result, s["layers"])
    return site_html(result, s["layers"]).encode("utf-8")


# --------------------------------------------------------------------------- progress of a job


def write_progress(job_dir: str | Path, stage: str, fraction: float) -> None:
    """Record a job's stage and fraction done (read by the server for the page's progress bar)."""
    path = Path(job_dir) / "progress.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"stage": stage, "fraction": round(float(fraction), 3), "at": time.time()}),
                   encoding="utf-8")
    os.replace(tmp, path)


def read_progress(job_dir: str | Path) -> dict:
    """The last recorded progress of a job (``{}`` before the first)."""
    try:
        return json.loads((Path(job_dir) / "progress.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
