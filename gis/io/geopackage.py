"""A fast GeoPackage writer: one Arrow table handed to GDAL, SQLite without a journal.

``GeoDataFrame.to_file(..., use_arrow=True)`` spends about a second per million
rows on work this project does not need (geometry type names as strings, a
type-inference scan of every text column) before GDAL sees the data. Here the
geometry type comes from shapely's integer type ids, the table is built once,
and GDAL writes it with SQLite's journal and fsyncs off and a larger page
cache: the file is a temporary one that :func:`gis.io.safe_write.atomic_output` renames
into place only when it is complete, so a crash leaves no half-written output
either way.

Frames with columns Arrow cannot take as they are (mixed objects, dates with
time zones…) are left to the generic writer: :func:`write_gpkg` returns False.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gis.geomarrays import present

__all__ = ["write_gpkg"]

_TYPE_NAMES = {0: "Point", 1: "LineString", 3: "Polygon", 4: "MultiPoint", 5: "MultiLineString",
               6: "MultiPolygon", 7: "GeometryCollection"}
#: Rows looked at to guess whether a text column has few distinct values.
_SAMPLE = 10_000
#: SQLite settings for writing a temporary file (restored afterwards): no journal
#: and no fsyncs (see the module notes), and a 256 MB page cache, which makes
#: building the R-tree index of 10⁶ features ≈1.5 s faster than SQLite's 2 MB default.
_SQLITE_FAST = {"OGR_SQLITE_SYNCHRONOUS": "OFF", "OGR_SQLITE_JOURNAL": "OFF", "OGR_SQLITE_CACHE": "256"}


_PROMOTE = {frozenset((3, 6)): (3, "MultiPolygon", shapely.multipolygons),
            frozenset((1, 5)): (1, "MultiLineString", shapely.multilinestrings),
            frozenset((0, 4)): (0, "MultiPoint", shapely.multipoints)}


def _layer_geometries(geoms: np.ndarray) -> tuple[np.ndarray, str]:
    """Geometries and the layer type pyogrio would write for a GeoPackage.

    One type → that type; a type mixed with its multi-type → all promoted to
    the multi-type (GDAL's GeoPackage layers declare one of them); anything
    else → "Unknown".
    """
    ok = present(geoms)
    tid = np.full(len(geoms), -1)
    tid[ok] = shapely.get_type_id(geoms[ok])
    kinds = frozenset(int(t) for t in np.unique(tid[ok]))
    if len(kinds) == 1 and next(iter(kinds)) in _TYPE_NAMES:
        name = _TYPE_NAMES[next(iter(kinds))]
    elif kinds in _PROMOTE:
        single, name, make = _PROMOTE[kinds]
        geoms = geoms.copy()
        one = tid == single
        geoms[one] = make(np.atleast_2d(geoms[one]), axis=0)
    else:
        return geoms, "Unknown"
    return geoms, (f"{name} Z" if shapely.has_z(geoms[ok]).any() else name)


def _arrow_column(s: pd.Series):
    """One column as an Arrow array GDAL can write, or None if it needs the generic writer.

    Text columns with few distinct values (the zone, action, rule and reason
    columns) become dictionary arrays: one Python string conversion per
    distinct value instead of per row (GDAL writes them as plain text).
    """
    import pyarrow as pa

    dtype = s.dtype
    if pd.api.types.is_object_dtype(dtype):
        values = s.to_numpy()
        sample = values[:_SAMPLE]
        if len(pd.unique(sample)) * 4 <= len(sample):
            codes, uniques = pd.factorize(values)
            if len(uniques) * 4 <= len(values):
                return pa.DictionaryArray.from_arrays(
                    pa.array(codes.astype(np.int32), mask=codes < 0),
                    pa.array(np.asarray(uniques, dtype=object), type=pa.string()))
        return pa.array(values, type=pa.string(), from_pandas=True)
    if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_numeric_dtype(dtype) \
            or pd.api.types.is_string_dtype(dtype):
        arr = pa.array(s, from_pandas=True)
        t = arr.type
        if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_boolean(t) \
                or pa.types.is_integer(t) or pa.types.is_floating(t):
            return arr
    return None


#: GeoPackage 1.2: what the QGIS and GDAL of long-term-support desktops read without a warning (GDAL ≥ 3.7
#: writes 1.4 by default, which QGIS 3.22's GDAL calls "only partially supported"); nothing here needs 1.4.
GPKG_DATASET_OPTIONS = {"VERSION": "1.2"}


def write_gpkg(gdf: gpd.GeoDataFrame, path: Path, *, layer: str, spatial_index: bool = True) -> bool:
    """Write ``gdf`` as a new GeoPackage at ``path`` (a temporary path); False if it cannot.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
    path : Path
        A new file (the caller renames it into place).
    layer : str
        Layer name.
    spatial_index : bool
        Build the GeoPackage R-tree index.

    Returns
    -------
    bool
        False when a column needs the generic writer (nothing was written).
    """
    import pyarrow as pa
    import pyogrio
    from pyogrio.raw import write_arrow

    gname = gdf.geometry.name
    geoms = gdf.geometry.to_numpy()
    names = [c for c in gdf.columns if c != gname]
    arrays = []
    try:
        for c in names:
            arr = _arrow_column(gdf[c])
            if arr is None:
                return False
            arrays.append(arr)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return False
    geoms, geometry_type = _layer_geometries(geoms)
    table = pa.table(arrays + [pa.array(shapely.to_wkb(geoms), type=pa.binary())], names=names + [gname])
    crs = None
    if gdf.crs is not None:
        epsg = gdf.crs.to_epsg()
        crs = f"EPSG:{epsg}" if epsg else gdf.crs.to_wkt("WKT1_GDAL")
    before = {k: pyogrio.get_gdal_config_option(k) for k in _SQLITE_FAST}
    pyogrio.set_gdal_config_options(_SQLITE_FAST)
    try:
        write_arrow(table, str(path), driver="GPKG", layer=layer, geometry_name=gname,
                    geometry_type=geometry_type, crs=crs, dataset_options=GPKG_DATASET_OPTIONS,
                    layer_options=None if spatial_index else {"SPATIAL_INDEX": "NO"})
    finally:
        pyogrio.set_gdal_config_options(before)
    return True
