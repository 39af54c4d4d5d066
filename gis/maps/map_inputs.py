"""What a map shows beside the layers: the density table of the parcels, when the map needs one."""

from __future__ import annotations

import logging

from gis.errors import InputError
from gis.layers.layerset import LayerSet
from gis.planning.density import density

__all__ = ["checked_sites", "map_density"]

log = logging.getLogger(__name__)


def checked_sites(projects, layers: LayerSet, *, rules=None, datum: str = "wgs84"):
    """Check a table of projects (CSV with lon/lat or WKT, or a vector file) for drawing on print maps.

    Returns
    -------
    geopandas.GeoDataFrame
        :func:`gis.siting.batch.check_sites` of the projects (a ``verdict`` per site).
    """
    from gis.siting.batch import check_sites
    from gis.siting.projects import read_projects

    return check_sites(read_projects(projects), layers=layers, rules=rules, datum=datum)


def map_density(classified, layers: LayerSet, *, mode: str = "action", density_by: str = "park",
                static: bool = False):
    """The density table (DESIGN §4b) a map needs, or None.

    A density web map (``mode="density"``) needs it per ``density_by`` unit and
    fails without it; the print maps (``static``) show a park's density in its
    subtitle when the parcels carry output, and are drawn without it otherwise.

    Parameters
    ----------
    classified : geopandas.GeoDataFrame or None
        Classified parcels (``output_wan`` in 万元 for density).
    layers : LayerSet
    mode : {"action", "density"}
    density_by : {"park", "town"}
        Unit of a density web map.
    static : bool
        For the print maps (per park).

    Returns
    -------
    pandas.DataFrame or None

    Raises
    ------
    InputError
        A density web map without parcels.
    """
    if classified is None:
        if mode == "density":
            raise InputError("产出密度图需要地块数据（含 output_wan 字段）。",
                             "A density map needs parcels (with an output_wan field).",
                             "在命令中给出地块文件：parkgis map PARCELS --mode density -o map.html",
                             "Give the parcels file: parkgis map PARCELS --mode density -o map.html")
        return None
    if mode != "density" and not static:
        return None
    required = mode == "density" and not static
    try:
        return density(classified, layers, by=density_by if not static else "park")
    except ValueError:
        if required:
            raise
        log.info("no density table (parcels lack output values); maps drawn without it")
        return None
