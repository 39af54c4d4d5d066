"""parkgis: industrial-land and spatial-planning GIS for Chongming District, Shanghai.

The public API is this short list of verbs; everything else is importable from
its module but not advertised.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("parkgis")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

from gis.classification.classify import classify
from gis.errors import ParkgisError
from gis.io.vector import read_vector, write_vector
from gis.layers.layerset import LayerSet, load_layers
from gis.planning.density import density
from gis.planning.tracking import track
from gis.report import report
from gis.rules import load_rules
from gis.siting.batch import check_sites
from gis.siting.check import check_site


def __getattr__(name: str):
    # Maps pull in folium and matplotlib: load them only when asked for.
    if name == "make_map":
        from gis.maps import make_map

        return make_map
    raise AttributeError(f"module 'gis' has no attribute {name!r}")


__all__ = ["__version__", "ParkgisError", "LayerSet", "load_layers", "classify", "density", "check_site",
           "check_sites", "make_map", "report", "load_rules", "track",
           "read_vector", "write_vector"]
