"""The demo run: the whole chain on the embedded Chongming default.

``parkgis demo -o out/`` (and ``make demo``) classify the sample parcels, and
write the density tables, the maps, sample siting checks and the report into
one folder. Each step is the same library call a planner would make.
"""

from __future__ import annotations

import logging
from pathlib import Path

from gis.classify import classify
from gis.io import read_vector, write_vector
from gis.layers import default_source, load_layers
from gis.summary import SUMMARY_HEADERS, classification_summary
from gis.tables import write_table

__all__ = ["run_demo", "sample_parcels_path"]

log = logging.getLogger(__name__)


def sample_parcels_path() -> Path:
    """The GeoPackage holding the embedded synthetic sample parcels (layer ``parcels``)."""
    return default_source().parent / "chongming.gpkg"


def run_demo(out_dir, *, echo=print) -> dict[str, Path]:
    """Run the demo chain into ``out_dir``; return what was written, by name."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    layers = load_layers()
    echo("1/2 分类样例地块 classifying the sample parcels …")
    parcels = read_vector(sample_parcels_path(), layer="parcels")
    result = classify(parcels, layers, progress=True)
    written["parcels"] = out / "parcels.gpkg"
    write_vector(result, written["parcels"], inputs=[sample_parcels_path()])
    echo("2/2 汇总 summary …")
    written["summary"] = out / "summary.xlsx"
    write_table(classification_summary(result), written["summary"], sheet="summary", headers=SUMMARY_HEADERS,
                notes=["示意数据：默认图层中的园区、集中建设区和地块为示意/合成数据。",
                       "Illustrative data: the default parks, construction areas and parcels are illustrative/synthetic."],
                title="地块分类汇总 Classification summary")
    return written
