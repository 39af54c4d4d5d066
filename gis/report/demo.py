"""The demo run: the whole chain on the embedded Chongming default.

``parkgis demo -o out/`` (and ``make demo``) classify the embedded synthetic
sample parcels, compute output density per park, zone, town and the district
against the plan's targets, grade land efficiency, check five sample project
sites, track six synthetic yearly snapshots (2020–2025, ``snapshots/``) against
the plan's path and the reduction ledger (the monitoring chapter), draw the
interactive and the static park maps and write the report —
each step the same library call a planner would make (:func:`gis.report.report`).
The sample projects are written to ``projects.csv`` first, so the demo also
shows the input format of ``parkgis report --projects``.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from gis.io.tables import write_table
from gis.layers import default_source
from gis.report.writer import report

__all__ = ["DEMO_YEARS", "SAMPLE_PROJECTS", "run_demo", "sample_parcels_path", "write_sample_projects"]

#: Years of the demo's synthetic snapshots (the monitoring chapter).
DEMO_YEARS = list(range(2020, 2026))

log = logging.getLogger(__name__)

#: Five plausible projects (WGS84 lon/lat; money in 万元, energy in tce, land in m²). Against the embedded
#: layers: S1 and S2 are allowed (leading industry of their park), S3 (a factory in a 195 area) and S4 (in the
#: Hengsha strategic reserve) go to review, S5 (a chemical plant ≈ 540 m from the Changxing shore) is prohibited
#: by the Yangtze River Protection Law, art. 26.
SAMPLE_PROJECTS = [
    {"project_id": "S1", "name": "精密零部件制造项目 Precision parts plant", "industry": "3311",
     "lon": 121.4267, "lat": 31.6567, "land_m2": 30000, "output_wan": 12000, "value_added_wan": 3000,
     "energy_tce": 150},
    {"project_id": "S2", "name": "数据中心扩建 Data-centre extension", "industry": "6450",
     "lon": 121.8084, "lat": 31.5150, "land_m2": 20000, "output_wan": 8000, "value_added_wan": 2400,
     "energy_tce": 120},
    {"project_id": "S3", "name": "农产品加工厂 Agri-food processing plant", "industry": "1371",
     "lon": 121.5203, "lat": 31.5854, "land_m2": 15000, "output_wan": 3000, "value_added_wan": 600,
     "energy_tce": 60},
    {"project_id": "S4", "name": "横沙物流仓储 Hengsha logistics depot", "industry": "5951",
     "lon": 121.8427, "lat": 31.3430, "land_m2": 25000, "output_wan": 2000, "value_added_wan": None,
     "energy_tce": None},
    {"project_id": "S5", "name": "精细化工项目 Fine-chemicals plant", "industry": "2661",
     "lon": 121.7430, "lat": 31.3511, "land_m2": 40000, "output_wan": 20000, "value_added_wan": 5000,
     "energy_tce": 900},
]


def sample_parcels_path() -> Path:
    """The GeoPackage holding the embedded synthetic sample parcels (layer ``parcels``)."""
    return default_source().parent / "chongming.gpkg"


def write_sample_projects(path) -> Path:
    """Write :data:`SAMPLE_PROJECTS` as a CSV (UTF-8 with BOM, lon/lat columns), atomically, like every table."""
    return write_table(pd.DataFrame(SAMPLE_PROJECTS, dtype=object), path)


def run_demo(out_dir, *, echo=print, pdf: bool = True, progress: bool = True):
    """Run the demo chain into ``out_dir``.

    Returns
    -------
    gis.report.ReportResult
        What was written (``files`` also holds ``projects``, the sample projects CSV).
    """
    from gis.layers import load_layers
    from gis.synth.snapshots import synth_snapshots, write_snapshots

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    projects = write_sample_projects(out / "projects.csv")
    echo(f"样例项目 sample projects → {projects}")
    layers = load_layers()
    snapshots = write_snapshots(synth_snapshots(DEMO_YEARS, layers), out / "snapshots")
    echo(f"合成逐年快照 synthetic yearly snapshots {DEMO_YEARS[0]}–{DEMO_YEARS[-1]} → {out / 'snapshots'}")
    result = report(None, out, layers=layers, projects=projects, pdf=pdf, echo=echo, progress=progress,
                    snapshots=snapshots)
    result.files["projects"] = projects
    result.files["snapshots"] = out / "snapshots"
    return result
