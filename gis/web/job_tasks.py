"""The web app's longer jobs, run in a worker process: classify an uploaded file; the parks' density.

A job works inside its own private folder (made by the server, never named by
a request), records its stage for the page's progress bar
(:func:`gis.web.tasks.write_progress`), writes its downloads there and returns
a JSON-ready summary. Outputs carry a true CRS (DESIGN §7): parcels given in
GCJ-02 or BD-09 are written in WGS84.
"""

from __future__ import annotations

import math
import time
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from gis.web.tasks import state, write_progress
from gis.wording import bilingual

__all__ = ["FLAGGED_SHOWN", "classify_job", "parks_job"]

#: Flagged parcels listed in the page (all of them are in the GeoPackage).
FLAGGED_SHOWN = 200
_ACTIONS = ("upgrade", "transform", "reduce")
_DENSITY_SHOWN = ["unit_type", "unit_id", "name_zh", "name_en", "parcels", "land_km2", "unit_area_km2", "output_yi",
                  "density_yi_per_km2", "target_yi_per_km2", "gap_yi_per_km2", "meets_target", "output_target_yi",
                  "meets_output_target", "projected_density_yi_per_km2", "target_reached_year",
                  "energy_tce_per_wan", "meets_energy_target"]


def _plain(v):
    """A table value as JSON: NaN/NA → None, numpy scalars → Python."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, (np.bool_, bool)):
        return bool(v)
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return None if math.isnan(v) or math.isinf(v) else float(v)
    return v if isinstance(v, (int, str)) else str(v)


def _records(df: pd.DataFrame, cols) -> list[dict]:
    cols = [c for c in cols if c in df.columns]
    return [{c: _plain(v) for c, v in zip(cols, row, strict=True)}
            for row in df[cols].itertuples(index=False, name=None)]


def _to_wgs84(result, datum: str):
    # classify() already gives parcels of an offset datum in WGS84 (DESIGN §7): only project.
    from gis.geodesy.crs import WGS84

    return result if result.crs is not None and result.crs.equals(WGS84) else result.to_crs(WGS84)


def _action_counts(result) -> list[dict]:
    area = result["area_m2"].fillna(0.0)
    rows = []
    for action in (*_ACTIONS, None):
        m = result["action"].isna() if action is None else result["action"] == action
        rows.append({"action": action, "parcels": int(m.sum()), "area_km2": float(area[m].sum()) / 1e6})
    return rows


def _flagged(result) -> tuple[dict, list[dict]]:
    flags = result["flags"].fillna("").astype(str)
    has = flags != ""
    counts: dict[str, int] = {}
    for text in flags[has]:
        for f in text.split(";"):
            counts[f] = counts.get(f, 0) + 1
    shown = result.loc[has].head(FLAGGED_SHOWN)
    return counts, _records(shown, ["parcel_id", "flags", "zone", "action", "reason_zh", "reason_en"])


def _write_zip(job_dir: Path, result, layers, notes: list[str]) -> str:
    from gis.classification.summary import SUMMARY_HEADERS, classification_summary
    from gis.io.tables import write_table
    from gis.io.vector import write_vector

    gpkg, xlsx = job_dir / "parkgis-classified.gpkg", job_dir / "summary.xlsx"
    write_vector(result, gpkg, layer="parcels")
    write_progress(job_dir, "summary", 0.6)
    write_table(classification_summary(result), xlsx, sheet="summary", headers=SUMMARY_HEADERS, notes=notes,
                title="地块分类汇总 Classification summary")
    name = "parkgis-classified.zip"
    with zipfile.ZipFile(job_dir / name, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.write(gpkg, gpkg.name)
        zf.write(xlsx, xlsx.name)
    xlsx.unlink()
    return name


def _density(job_dir: Path, classified, layers, notes: list[str]) -> tuple[list[dict], dict]:
    """Density per park against the targets: table rows, density.xlsx and the choropleth map."""
    from gis.io.tables import write_table
    from gis.maps.web.web_map import make_map, save_map
    from gis.planning.density import DENSITY_HEADERS, density
    from gis.planning.targets import load_targets

    table = density(classified, layers, by="park", targets=load_targets(None))
    write_table(table, job_dir / "density.xlsx", sheet="density", headers=DENSITY_HEADERS,
                notes=notes + list(table.attrs.get("notes", [])), title="园区产出密度 Output density by park")
    save_map(make_map(layers, density=table, mode="density", density_by="park"), job_dir / "density-map.html")
    return _records(table, _DENSITY_SHOWN), {"density.xlsx": "density.xlsx", "density-map.html": "density-map.html"}


def classify_job(job_dir: str, parcels_path: str, options: dict) -> dict:
    """Classify an uploaded parcel file; write the zip (GeoPackage + summary workbook) and the map.

    Parameters
    ----------
    job_dir : str
        The job's private folder.
    parcels_path : str
        The saved upload.
    options : dict
        ``id_field``, ``datum``, ``assume_crs``, ``layer`` (None for defaults).

    Returns
    -------
    dict
        ``summary`` (counts by action, flags, flagged rows, notes…) and ``files`` (download name → file name).
    """
    from gis.classification.classify import classify
    from gis.io.vector import read_vector
    from gis.maps.web.web_map import make_map, save_map

    t0 = time.perf_counter()
    d, s = Path(job_dir), state()
    layers, datum = s["layers"], options.get("datum") or "wgs84"
    write_progress(d, "read", 0.05)
    gdf = read_vector(parcels_path, layer=options.get("layer"), assume_crs=options.get("assume_crs"))
    write_progress(d, "classify", 0.2)
    result = classify(gdf, layers, s["classify_rules"], id_field=options.get("id_field") or None,
                      datum=datum, assume_crs=options.get("assume_crs"))
    result = _to_wgs84(result, datum)
    notes = [bilingual(layers.illustrative_note())] if layers.illustrative else []
    write_progress(d, "write", 0.45)
    files = {"result.zip": _write_zip(d, result, layers, notes)}
    write_progress(d, "map", 0.7)
    save_map(make_map(layers, parcels=result, title="地块分类结果 classified parcels"), d / "map.html")
    files["map.html"] = "map.html"
    density_rows = None
    if "output_wan" in result.columns:
        write_progress(d, "density", 0.9)
        density_rows, more = _density(d, result, layers, notes)
        files.update(more)
    counts, flagged = _flagged(result)
    write_progress(d, "done", 1.0)
    summary = {"parcels": len(result), "actions": _action_counts(result), "flag_counts": counts,
               "flagged": int((result["flags"].fillna("") != "").sum()), "flagged_rows": flagged,
               "flagged_shown": FLAGGED_SHOWN, "notes": notes, "datum": datum, "density": density_rows,
               "illustrative": bool(layers.illustrative), "seconds": round(time.perf_counter() - t0, 2)}
    return {"summary": summary, "files": files}


def parks_job(job_dir: str, classified_gpkg: str | None = None) -> dict:
    """The parks' output density against the targets: table rows, density.xlsx and the choropleth map.

    ``classified_gpkg`` is a classify job's GeoPackage; default: the embedded synthetic sample parcels.
    """
    from gis.classification.parcels import load_classified

    d, s = Path(job_dir), state()
    write_progress(d, "classify", 0.1)
    got = load_classified(classified_gpkg, s["layers"], layer="parcels" if classified_gpkg else None,
                          rules=s["classify_rules"])
    if "output_wan" not in got.parcels.columns:
        from gis.errors import FieldError

        raise FieldError("地块没有产值字段 output_wan，无法计算产出密度。",
                         "The parcels have no output_wan field: output density cannot be computed.",
                         "在地块表中加入 output_wan（年产值，万元）后重新分类。",
                         "Add output_wan (annual output, 万元) to the parcels and classify again.")
    write_progress(d, "density", 0.5)
    rows, files = _density(d, got.parcels, s["layers"], got.notes)
    write_progress(d, "done", 1.0)
    return {"summary": {"density": rows, "notes": got.notes, "parcels": len(got.parcels),
                        "sample": classified_gpkg is None}, "files": files}
