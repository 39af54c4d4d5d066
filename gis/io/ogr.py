"""Files GDAL's OGR reads and writes: GeoPackage, Shapefile (also zipped), GeoJSON, FlatGeobuf.

Reading goes through geopandas with pyogrio (fiona selectable). A GBK ``.dbf``
without ``.cpg`` is decoded with the encoding :mod:`gis.io.encoding` detects
(pyogrio and fiona would return mojibake), a multi-layer file read without a
layer name is refused with its layers listed, and GDAL's errors become bilingual
messages. Writing is atomic (:mod:`gis.io.safe_write`) and uses each format's
own path: the fast GeoPackage writer (:mod:`gis.io.geopackage`), the Shapefile
writer with short field names and a ``.cpg`` (:mod:`gis.io.shapefile`), GDAL's
Arrow writer for the rest.
"""

from __future__ import annotations

import logging
from pathlib import Path

import geopandas as gpd

from gis.errors import InputError, OutputError
from gis.io.encoding import shapefile_encoding
from gis.io.geopackage import GPKG_DATASET_OPTIONS, write_gpkg
from gis.io.safe_write import atomic_output
from gis.io.shapefile import shapefile_frame, write_shapefile

__all__ = ["OGR_DRIVERS", "list_layers", "read_ogr", "require_one_layer", "unreadable_error", "write_ogr"]

log = logging.getLogger(__name__)

#: Output suffix → OGR driver.
OGR_DRIVERS: dict[str, str] = {
    ".gpkg": "GPKG",
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".shp": "ESRI Shapefile",
    ".fgb": "FlatGeobuf",
}
#: Suffixes of files that may hold several layers.
_MULTI_LAYER = (".gpkg", ".zip", ".sqlite", ".gdb")


def unreadable_error(path, exc: Exception) -> InputError:
    """The error for a file that is corrupt or in no format GDAL reads."""
    return InputError(
        f"无法读取“{path}”：文件损坏或不是可识别的矢量格式。",
        f"Cannot read '{path}': the file is corrupt or not a vector format GDAL reads ({exc}).",
        "请检查文件是否完整（Shapefile 需 .shp/.shx/.dbf 同在），或另存为 GeoPackage 后重试。",
        "Check that the file is complete (a Shapefile needs .shp, .shx and .dbf together), "
        "or save it as GeoPackage and try again.",
    )


def list_layers(path) -> list[str]:
    """Names of the layers of a multi-layer vector file (GeoPackage, zip…)."""
    import pyogrio

    try:
        return [str(name) for name in pyogrio.list_layers(str(path))[:, 0]]
    except Exception as exc:  # pyogrio raises DataSourceError subclasses
        raise unreadable_error(path, exc) from exc


def require_one_layer(path) -> None:
    """Refuse a multi-layer file read without ``--layer``, naming its layers."""
    names = list_layers(path)
    if len(names) > 1:
        raise InputError(
            f"“{path}”含多个图层：{', '.join(names)}。",
            f"'{path}' has several layers: {', '.join(names)}.",
            "请用 --layer 指定要读取的图层。",
            "Choose one with --layer.",
        )


def _read_options(p: Path, layer: str | None, encoding: str | None) -> dict:
    """Keyword arguments for ``geopandas.read_file``: the text encoding and the layer."""
    suffix = p.suffix.lower()
    kwargs: dict = {}
    if suffix in (".shp", ".zip", ".dbf"):
        enc, how = shapefile_encoding(p)
        if encoding:
            kwargs["encoding"] = encoding
        elif enc:
            kwargs["encoding"] = enc
            log.info("%s: text encoding %s (%s)", p, enc, how)
    elif encoding:
        kwargs["encoding"] = encoding
    if layer is None and suffix in _MULTI_LAYER:
        require_one_layer(p)
    if layer is not None:
        kwargs["layer"] = layer
    return kwargs


def read_ogr(p: Path, *, layer: str | None = None, encoding: str | None = None,
             engine: str = "pyogrio") -> gpd.GeoDataFrame:
    """Read a file through OGR, as :func:`gis.io.vector.read_vector` describes; the CRS is not checked here.

    Raises
    ------
    InputError
        The file is corrupt, has several layers and none was named, or has no such layer.
    """
    kwargs = _read_options(p, layer, encoding)
    try:
        # Arrow is ≈2× faster for large GeoPackages, but GDAL's Arrow path for
        # FlatGeobuf crashes the interpreter on a null geometry (seen with
        # pyogrio 0.13 / its bundled GDAL), so it is used for GeoPackage only.
        if engine == "pyogrio" and p.suffix.lower() == ".gpkg":
            try:
                return gpd.read_file(p, engine="pyogrio", use_arrow=True, **kwargs)
            except (ImportError, NotImplementedError):
                return gpd.read_file(p, engine="pyogrio", **kwargs)
        return gpd.read_file(p, engine=engine, **kwargs)
    except (InputError, OutputError):
        raise
    except Exception as exc:
        msg = str(exc)
        if layer is not None and ("layer" in msg.lower()):
            available = list_layers(p)
            raise InputError(
                f"“{p}”中没有图层“{layer}”；可用图层：{', '.join(available)}。",
                f"'{p}' has no layer '{layer}'; available: {', '.join(available)}.",
            ) from exc
        raise unreadable_error(p, exc) from exc


def write_ogr(gdf: gpd.GeoDataFrame, p: Path, *, encoding: str | None = None, engine: str = "pyogrio",
              layer: str | None = None, spatial_index: bool | None = None) -> None:
    """Write a frame in one of the formats of :data:`OGR_DRIVERS`, atomically.

    The options are those of :func:`gis.io.vector.write_vector`.
    """
    suffix = p.suffix.lower()
    kwargs: dict = {"driver": OGR_DRIVERS[suffix], "engine": engine}
    if suffix == ".shp":
        kwargs["encoding"] = encoding or "UTF-8"
        write_shapefile(shapefile_frame(gdf), p, kwargs)
        return
    if suffix == ".gpkg":
        kwargs["layer"] = layer or p.stem
        kwargs.update(GPKG_DATASET_OPTIONS)
        if spatial_index is False:
            kwargs["SPATIAL_INDEX"] = "NO"
        if engine == "pyogrio":
            with atomic_output(p) as tmp:
                if write_gpkg(gdf, tmp, layer=kwargs["layer"], spatial_index=spatial_index is not False):
                    return
                gdf.to_file(tmp, **kwargs, use_arrow=True)
            return
    if suffix == ".fgb":
        kwargs["SPATIAL_INDEX"] = "YES" if spatial_index else "NO"
    if suffix in (".gpkg", ".fgb") and engine == "pyogrio":
        # GDAL's Arrow writer is ≈2× faster for wide text columns (the reasons).
        kwargs["use_arrow"] = True
    with atomic_output(p) as tmp:
        gdf.to_file(tmp, **kwargs)
