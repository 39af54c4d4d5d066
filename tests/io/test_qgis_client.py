"""A real client: QGIS opens every vector output format parkgis writes, with its CRS and Chinese text intact.

QGIS's Python bindings (Debian ``python3-qgis``) are built for Debian's own
Python, so the check runs in ``/usr/bin/python3`` in a subprocess, headless
(``QT_QPA_PLATFORM=offscreen``). GeoParquet is left out: QGIS 3.22 as packaged
by Debian crashes on any GeoParquet file.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from conftest import REPO, require

from gis.classification.parcels import write_classified

SYSTEM_PYTHON = Path("/usr/bin/python3")

#: Run by the system Python: open each file with QGIS, report validity, CRS, count, a text value, GDAL warnings.
QGIS_SCRIPT = r"""
import json, os, sys
from qgis.core import QgsApplication, QgsVectorLayer
app = QgsApplication([], False)
app.initQgis()
out = []
for path, field in json.loads(sys.argv[1]):
    layer = QgsVectorLayer(path, "t", "ogr")
    values = [f[field] for f in layer.getFeatures()] if layer.isValid() else []
    out.append({"path": path, "valid": layer.isValid(), "crs": layer.crs().authid(),
                "count": layer.featureCount(), "values": [str(v) for v in values]})
    del layer
print(json.dumps(out, ensure_ascii=False))
sys.stdout.flush()
os._exit(0)  # QGIS 3.22 may crash while tearing down its application object; the answer is out
"""


def _qgis_available() -> bool:
    if not SYSTEM_PYTHON.exists():
        return False
    probe = subprocess.run([str(SYSTEM_PYTHON), "-c", "import qgis.core"], capture_output=True,
                           env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    return probe.returncode == 0


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """The GBK example parcels classified into each format QGIS users receive."""
    require(_qgis_available(), "QGIS Python API for /usr/bin/python3 (Debian package python3-qgis)")
    out = tmp_path_factory.mktemp("qgis")
    src = REPO / "examples" / "parcels.shp"
    files = {
        "gpkg": (out / "parcels.gpkg", {}),
        "shp-gbk": (out / "parcels_gbk.shp", {"out_encoding": "gbk"}),
        "fgb": (out / "parcels.fgb", {}),
        "geojson": (out / "parcels.geojson", {}),
    }
    for path, kw in files.values():
        write_classified(src, path, **kw)
    return {k: p for k, (p, _) in files.items()}


def test_qgis_opens_every_output_with_crs_count_and_chinese_text(outputs):
    import geopandas as gpd

    expected = gpd.read_file(REPO / "examples" / "parcels.shp", encoding="gbk")
    names = expected["enterp_zh"].tolist()
    assert any("有限公司" in n for n in names)
    # the enterprise names keep the example Shapefile's own field name (enterp_zh) in every format
    jobs = [(str(p), "enterp_zh") for p in outputs.values()]
    run = subprocess.run([str(SYSTEM_PYTHON), "-c", QGIS_SCRIPT, json.dumps(jobs)], capture_output=True, text=True,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    results = json.loads(run.stdout.strip().splitlines()[-1])
    for r in results:
        assert r["valid"], r["path"]
        assert r["crs"] == "EPSG:4326", r
        assert r["count"] == len(expected), r
        assert r["values"] == names, f"{r['path']}: Chinese text changed"
    warnings = [ln for ln in run.stderr.splitlines() if ln.startswith(("Warning", "ERROR"))]
    assert warnings == [], warnings  # e.g. a GeoPackage version QGIS only "partially supports"
