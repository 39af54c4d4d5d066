"""Parcels in: read a parcels source (default: the embedded sample) and classify it once.

Several commands (density, grade, map, report, demo) start from "the
classified parcels". :func:`load_classified` is that step, so they all read,
default and classify the same way: a file that already carries the DESIGN §4
columns (the output of ``parkgis classify``) is used as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd

from gis.classification.classify import RESULT_COLUMNS, classify
from gis.geodesy.crs import WGS84
from gis.geodesy.datums import convert_geometries
from gis.errors import InputError
from gis.io.vector import read_vector
from gis.layers import LayerSet, default_source, load_layers

__all__ = ["ClassifiedParcels", "load_classified", "sample_parcels", "SAMPLE_NOTE"]

SAMPLE_NOTE = "地块：内置合成样例（非真实数据）/ parcels: the embedded SYNTHETIC sample (not real data)"
ILLUSTRATIVE_NOTE = ("示意数据：园区与集中建设区边界为示意，非官方 / ILLUSTRATIVE layers: park and construction-area "
                     "outlines are not official")


def sample_parcels() -> tuple[Path, str]:
    """Path and layer name of the synthetic sample parcels in the embedded GeoPackage."""
    return default_source().parent / "chongming.gpkg", "parcels"


@dataclass
class ClassifiedParcels:
    """Classified parcels with what they came from.

    Attributes
    ----------
    layers : LayerSet
    parcels : geopandas.GeoDataFrame
        DESIGN §4 columns and the input attributes.
    inputs : list
        Paths/URLs the command read (outputs must not overwrite them).
    notes : list of str
        Bilingual notes for tables and reports (sample data, illustrative layers…).
    """

    layers: LayerSet
    parcels: gpd.GeoDataFrame
    inputs: list = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def load_classified(
    parcels=None,
    layers: LayerSet | str | None = None,
    *,
    layer: str | None = None,
    rules=None,
    id_field: str = "parcel_id",
    datum: str = "wgs84",
    assume_crs: str | None = None,
    encoding: str | None = None,
    engine: str = "pyogrio",
    helmert: str | None = None,
    progress: bool = False,
    to_wgs84: bool = False,
) -> ClassifiedParcels:
    """Read parcels and classify them unless they already are.

    Parameters
    ----------
    parcels : path, URL or GeoDataFrame, optional
        Default: the embedded synthetic sample (``chongming.gpkg``, layer ``parcels``).
    layers : LayerSet or layer source, optional
        Default: the embedded Chongming layers.
    layer, rules, id_field, datum, assume_crs, encoding, engine, helmert
        As for :func:`gis.io.vector.read_vector` and :func:`gis.classify`.
    progress : bool
        Progress bar while classifying.
    to_wgs84 : bool
        Return the geometries in WGS84 lon/lat (datum shift included), for drawing.

    Returns
    -------
    ClassifiedParcels
    """
    notes: list[str] = []
    ls = layers if isinstance(layers, LayerSet) else load_layers(layers)
    inputs: list = [] if isinstance(layers, LayerSet) or layers is None else [layers]
    if parcels is None:
        path, layer = sample_parcels()
        if not path.exists():
            raise InputError("内置样例地块不存在（chongming.gpkg 未构建）。",
                             "The embedded sample parcels are missing (chongming.gpkg not built).",
                             "请给出地块文件，或先运行 make data。", "Pass a parcels file, or run `make data` first.")
        parcels = path
        notes.append(SAMPLE_NOTE)
    if isinstance(parcels, gpd.GeoDataFrame):
        gdf = parcels
    else:
        inputs.insert(0, parcels)
        gdf = read_vector(parcels, layer=layer, encoding=encoding, engine=engine, assume_crs=assume_crs,
                          helmert=helmert)
    if all(c in gdf.columns for c in RESULT_COLUMNS) and id_field == "parcel_id":
        # Already classified (e.g. the output of `parkgis classify`): used as it is.
        notes.append("输入已含分类结果，未重新分类 / input already classified: used as is")
        result = gdf
    else:
        result = classify(gdf, ls, rules, id_field=id_field, datum=datum, assume_crs=assume_crs, progress=progress)
    if to_wgs84:
        if not result.crs.equals(WGS84):
            result = result.to_crs(WGS84)
        if datum.lower() not in ("wgs84", "cgcs2000"):
            result = result.set_geometry(convert_geometries(result.geometry.to_numpy(), datum, "wgs84"), crs=WGS84)
    if ls.illustrative:
        notes.append(ILLUSTRATIVE_NOTE)
    return ClassifiedParcels(layers=ls, parcels=result, inputs=inputs, notes=notes)
