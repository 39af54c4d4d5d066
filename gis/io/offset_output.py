"""Writing a WGS84 frame in an offset datum (GCJ-02, BD-09) on purpose, and saying so (DESIGN §7).

Every output of parkgis is in WGS84 or a ``--to-crs`` CRS. Only when the user
asks for an offset datum (``--out-datum gcj02``, ``convert --to-datum gcj02``:
coordinates for a Chinese web map) are they shifted, and then the file says
so itself (:mod:`gis.geodesy.offset_crs`): a CRS named for the datum with no
EPSG code, the datum in its name (``x.gcj02.gpkg``), a description (GeoPackage
layer description, GeoJSON ``description``). A boundary-coordinate TXT
(CGCS2000 plane coordinates) and a PostGIS table (an SRID) cannot say it, and
are refused.
"""

from __future__ import annotations

import functools
from pathlib import Path

import geopandas as gpd

from gis.errors import DatumError, OutputError
from gis.geodesy.crs import WGS84, check_crs
from gis.geodesy.datums import convert_geometries
from gis.geodesy.offset_crs import offset_crs, offset_description, offset_path
from gis.io.geopackage import refuse_replacing_layers
from gis.io.integrity import verify_vector
from gis.io.safe_write import atomic_output, check_not_input, is_url
from gis.io.vector import write_vector

__all__ = ["to_offset_datum", "write_in_datum"]

#: Formats whose metadata get the datum's description (GDAL's DESCRIPTION layer option).
_DESCRIBED = {".gpkg": "GPKG", ".geojson": "GeoJSON", ".json": "GeoJSON"}


def to_offset_datum(gdf: gpd.GeoDataFrame, datum: str) -> gpd.GeoDataFrame:
    """A copy of ``gdf`` in an offset datum's lon/lat, labelled with its own CRS (no EPSG code).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        With a true CRS (projected or geographic); brought to WGS84 first.
    datum : {"gcj02", "bd09"}
    """
    src = check_crs(gdf.crs, "output")
    lonlat = gdf if src.equals(WGS84) else gdf.to_crs(WGS84)
    return lonlat.set_geometry(convert_geometries(lonlat.geometry.to_numpy(), "wgs84", datum),
                               crs=offset_crs(datum))


def write_in_datum(gdf: gpd.GeoDataFrame, path, datum: str = "wgs84", *, inputs=(), engine: str = "pyogrio",
                   spatial_index: bool | None = None, encoding: str | None = None, layer: str | None = None,
                   keep_layers: bool = False) -> Path:
    """Write ``gdf`` as :func:`gis.io.vector.write_vector` does, in ``datum``; return the path written.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        With a true CRS.
    path : str or Path
        Output; for an offset datum the datum is put into the name when it is
        not there yet (``x.gpkg`` → ``x.gcj02.gpkg``).
    datum : {"wgs84", "gcj02", "bd09"}
        ``wgs84`` writes ``gdf`` as it is.
    inputs, engine, spatial_index, encoding, layer, keep_layers
        As for :func:`gis.io.vector.write_vector` (a GeoPackage's other layers are kept only when asked).

    Raises
    ------
    DatumError
        An offset datum for a boundary-coordinate TXT output.
    OutputError
        An offset datum for a PostGIS table.
    """
    d = (datum or "wgs84").lower()
    kwargs = {"inputs": inputs, "engine": engine, "spatial_index": spatial_index, "encoding": encoding,
              "layer": layer, "keep_layers": keep_layers}
    if d in ("wgs84", "cgcs2000"):
        write_vector(gdf, path, **kwargs)
        return Path(str(path)) if not is_url(path) else path
    if is_url(path):
        raise OutputError("PostGIS 表须有真实的 SRID，不能写入偏移坐标（GCJ-02/BD-09）。",
                          "A PostGIS table needs a true SRID: offset coordinates (GCJ-02/BD-09) cannot go there.",
                          "去掉 --out-datum，以 WGS84 写入。", "Drop --out-datum and write WGS84.")
    p = offset_path(path, d)
    if p.suffix.lower() == ".txt":
        raise DatumError("界址点坐标文件只能写 CGCS2000 平面坐标，不能写偏移坐标。",
                         "The boundary-coordinate format holds CGCS2000 plane coordinates only, never offset ones.",
                         "去掉 --out-datum。", "Drop --out-datum.")
    out = to_offset_datum(gdf, d)
    driver = _DESCRIBED.get(p.suffix.lower())
    if driver is None:  # the CRS (its name) travels in the file: .shp (.prj), .fgb, .parquet; CSV has the name
        write_vector(out, p, **kwargs)
        return p
    _write_described(out, p, driver, d, inputs, spatial_index, layer or p.stem, keep_layers)
    return p


def _write_described(out: gpd.GeoDataFrame, p: Path, driver: str, datum: str, inputs, spatial_index, name: str,
                     keep_layers: bool) -> None:
    """A GeoPackage or GeoJSON with the datum's description, written as every output is (verified, layers kept)."""
    import shutil

    import pyogrio  # here, not at import: pyogrio's error classes load when first needed, as elsewhere

    check_not_input(p, inputs)
    keep = driver == "GPKG" and refuse_replacing_layers(p, name, keep_layers)
    options = {"DESCRIPTION": offset_description(datum)}
    if driver == "GPKG" and spatial_index is False:
        options["SPATIAL_INDEX"] = "NO"
    verify = functools.partial(verify_vector, expected=len(out), layer=name if driver == "GPKG" else None)
    with atomic_output(p, verify=verify) as tmp:
        if keep:
            shutil.copyfile(p, tmp)  # the other layers come along
        # the layer named after the file (GeoJSON too: never after the temporary name)
        pyogrio.write_dataframe(out, tmp, driver=driver, layer=name, layer_options=options)
