"""Reading and writing vector data: the front door that picks the reader or writer by source.

Reading goes through geopandas with pyogrio (fiona selectable), with three
additions that planners' files need:

* **Shapefile text encoding.** pyogrio and fiona silently return mojibake for a
  GBK ``.dbf`` without ``.cpg`` (pyogrio issue #380). :func:`~gis.io.encoding.detect_dbf_encoding`
  decodes the DBF's character fields strictly as UTF-8 and falls back to GB18030
  (a superset of GBK); the result is passed as ``encoding=``. A ``.cpg`` is
  honoured, and ``--encoding`` overrides both (:mod:`gis.io.ogr`).
* **A CRS is required.** A file without one is refused, naming ``--assume-crs``.
* **Other sources**: ``postgresql://…#schema.table`` (:mod:`gis.io.postgis`), the
  boundary-coordinate TXT format (:mod:`gis.io.coordtxt`) and CSV tables with
  ``lon``/``lat`` or WKT columns (:mod:`gis.io.csv_geometry`).

Writing is atomic (a temporary file in the target folder, renamed into place,
:mod:`gis.io.safe_write`), picks the format from the suffix, and refuses to
overwrite an input.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd

from gis.errors import InputError, OutputError
from gis.geodesy.crs import WGS84, check_crs
from gis.geodesy.offset_crs import offset_crs, offset_datum_of_name
from gis.io.csv_geometry import read_csv_geometry, write_csv_geometry
from gis.io.geopackage import refuse_replacing_layers
from gis.io.integrity import verify_vector
from gis.io.ogr import OGR_DRIVERS, read_ogr, unreadable_error, write_ogr
from gis.io.safe_write import atomic_output, check_not_input, is_url, note_read

__all__ = ["check_vector_output", "read_vector", "write_vector", "VECTOR_SUFFIXES"]

log = logging.getLogger(__name__)

#: Output suffix → OGR driver (None: written without OGR).
VECTOR_SUFFIXES: dict[str, str | None] = {
    **OGR_DRIVERS,
    ".parquet": None,
    ".geoparquet": None,
    ".csv": None,
    ".txt": None,
}


def read_vector(
    path,
    *,
    layer: str | None = None,
    encoding: str | None = None,
    engine: str = "pyogrio",
    assume_crs: str | None = None,
    helmert: str | None = None,
) -> gpd.GeoDataFrame:
    """Read a vector file, a PostGIS table or a boundary-coordinate TXT file.

    Parameters
    ----------
    path : str or Path
        A file GDAL reads (GeoPackage, Shapefile incl. zipped, GeoJSON,
        FlatGeobuf), GeoParquet, CSV with lon/lat or WKT, the boundary-coordinate
        TXT format, or ``postgresql://…#schema.table``.
    layer : str, optional
        Layer of a multi-layer file; required when the file has several.
    encoding : str, optional
        Text encoding (overrides ``.cpg`` and detection).
    engine : {"pyogrio", "fiona"}
        The OGR binding.
    assume_crs : str, optional
        CRS to use when the source declares none.
    helmert : str, optional
        4- or 7-parameter Helmert transformation for a boundary-coordinate TXT
        file in a local system (1980 Xian, 1954 Beijing), see :mod:`gis.geodesy.helmert`.

    Returns
    -------
    geopandas.GeoDataFrame
        With its CRS set: a GeoJSON or CSV file named for an offset datum
        (``x.gcj02.geojson``) gets that datum's CRS (:mod:`gis.geodesy.offset_crs`).

    Raises
    ------
    InputError
        The file is missing, corrupt or ambiguous.
    CRSError
        The source has no CRS and ``assume_crs`` is not given.
    """
    if is_url(path):
        from gis.io.postgis import read_postgis_url

        return read_postgis_url(path, assume_crs=assume_crs)
    p = Path(path)
    if not p.exists():
        raise InputError(f"找不到文件“{p}”。", f"File not found: '{p}'.",
                         "请检查路径。", "Check the path.")
    note_read(p)
    suffix = p.suffix.lower()
    if suffix == ".csv":
        return _named_datum(p, read_csv_geometry(p, encoding, assume_crs))
    if suffix == ".txt":
        return _read_coordtxt(p, encoding, helmert)
    if suffix in (".parquet", ".geoparquet"):
        try:
            gdf = gpd.read_parquet(p)
        except Exception as exc:
            raise unreadable_error(p, exc) from exc
    else:
        gdf = read_ogr(p, layer=layer, encoding=encoding, engine=engine)
    return _named_datum(p, gdf.set_crs(check_crs(gdf.crs, str(p), assume_crs), allow_override=True))


def _named_datum(p: Path, gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A lon/lat file named for an offset datum (``x.gcj02.geojson``, as parkgis writes them) in a format that
    keeps no such CRS (GeoJSON, CSV: read as EPSG:4326) gets the datum's own CRS, so it is never taken for WGS84."""
    datum = offset_datum_of_name(p)
    if datum and gdf.crs is not None and gdf.crs.equals(WGS84):
        return gdf.set_crs(offset_crs(datum), allow_override=True)
    return gdf


def _read_coordtxt(p: Path, encoding: str | None, helmert: str | None) -> gpd.GeoDataFrame:
    """A ``.txt`` input: the boundary-coordinate format, its warnings logged; any other text is refused."""
    from gis.io.coordtxt import is_coordtxt, read_coordtxt

    if is_coordtxt(p):
        gdf, warnings = read_coordtxt(p, encoding=encoding, helmert=helmert)
        for w in warnings:
            log.warning(w)
        return gdf
    raise InputError(
        f"“{p}”不是界址点坐标文本（缺 [属性描述]/[地块坐标]）。",
        f"'{p}' is not a boundary-coordinate TXT file (no [属性描述]/[地块坐标] section).",
        "其他表格请存为 CSV（含 lon/lat 或 wkt 列）。",
        "Save other tables as CSV with lon/lat or wkt columns.",
    )


def write_vector(
    gdf: gpd.GeoDataFrame,
    path,
    *,
    inputs: Iterable = (),
    encoding: str | None = None,
    engine: str = "pyogrio",
    layer: str | None = None,
    spatial_index: bool | None = None,
    keep_layers: bool = False,
) -> None:
    """Write a GeoDataFrame atomically and verified; the format follows the suffix.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        What to write.
    path : str or Path
        ``.gpkg``, ``.geojson``, ``.shp``, ``.fgb``, ``.parquet``, ``.csv`` (WKT
        geometry), ``.txt`` (boundary-coordinate format) or
        ``postgresql://…#schema.table``.
    inputs : iterable of paths
        The command's inputs: writing over one of them is refused.
    encoding : str, optional
        Text encoding of a Shapefile (e.g. ``"GBK"``; a ``.cpg`` is written) or of
        a CSV/TXT file.
    engine : {"pyogrio", "fiona"}
    layer : str, optional
        Layer name inside a GeoPackage (default: the file's stem).
    spatial_index : bool, optional
        Build a spatial index. Default: yes for GeoPackage (faster queries in
        QGIS, ≈50 % slower writes); no for FlatGeobuf, whose index reorders the
        features (without it they keep the input order).
    keep_layers : bool
        Write ``layer`` into an existing GeoPackage, keeping its other layers
        (``--out-layer``). Without it, a GeoPackage holding other layers is not replaced.

    Raises
    ------
    OutputError
        The output is an input, the format is unknown, a GeoPackage would lose
        other layers, the disk is full or the folder read-only.
    """
    check_not_input(path, inputs)
    if is_url(path):
        from gis.io.postgis import write_postgis_url

        write_postgis_url(gdf, path, if_exists="replace", inputs=tuple(inputs))
        return
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in VECTOR_SUFFIXES:
        raise _format_error(suffix)
    if suffix == ".txt":
        from gis.io.coordtxt import write_coordtxt

        write_coordtxt(gdf, p, encoding=encoding or "gbk")
    elif suffix in (".parquet", ".geoparquet"):
        with atomic_output(p, verify=functools.partial(verify_vector, expected=len(gdf))) as tmp:
            gdf.to_parquet(tmp)
    elif suffix == ".csv":
        write_csv_geometry(gdf, p, encoding)
    else:
        write_ogr(gdf, p, encoding=encoding, engine=engine, layer=layer, spatial_index=spatial_index,
                  keep_layers=keep_layers)


def _format_error(suffix: str) -> OutputError:
    return OutputError(
        f"不支持的输出格式“{suffix}”。",
        f"Unsupported output format '{suffix}'.",
        "可用：" + "、".join(VECTOR_SUFFIXES),
        "Use one of: " + ", ".join(VECTOR_SUFFIXES),
    )


def check_vector_output(path, *, layer: str | None = None, keep_layers: bool = False, inputs: Iterable = ()) -> None:
    """Check an output before the work that fills it: a format we write, no input, no GeoPackage layer lost.

    Parameters
    ----------
    path : str or Path
        The output (or a PostGIS URL).
    layer, keep_layers
        As for :func:`write_vector`.
    inputs : iterable
        The command's inputs (files read in the command scope count too).

    Raises
    ------
    OutputError
    """
    check_not_input(path, inputs)
    if is_url(path):
        return
    p = Path(path)
    if p.suffix.lower() not in VECTOR_SUFFIXES:
        raise _format_error(p.suffix.lower())
    if p.suffix.lower() == ".gpkg":
        refuse_replacing_layers(p, layer or p.stem, keep_layers)
