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

import functools
import logging
import os
import shutil
from pathlib import Path

import geopandas as gpd

from gis.errors import InputError, OutputError
from gis.io.encoding import shapefile_encoding
from gis.io.geopackage import GPKG_DATASET_OPTIONS, refuse_replacing_layers, write_gpkg
from gis.io.integrity import gpkg_feature_count, shapefile_problem, verify_vector
from gis.io.safe_write import atomic_output
from gis.io.shapefile import shapefile_frame, shapefile_geometry_type, write_shapefile

__all__ = ["OGR_DRIVERS", "list_layers", "read_ogr", "require_one_layer", "unreadable_error", "write_ogr"]

# Reading never writes beside an input: GDAL's persistent auxiliary metadata (PAM) would leave a
# "<file>.aux.xml" next to a GeoPackage carrying dataset metadata (the `synth --years` snapshots do) each
# time it is only read. parkgis keeps nothing in .aux.xml files; a value set by the user is kept.
os.environ.setdefault("GDAL_PAM_ENABLED", "NO")

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

    A damaged file fails loudly, never as a silent subset: a Shapefile's files
    are checked against their headers first, and a GeoPackage read through
    Arrow must hold the features it declares (GDAL's Arrow path stops quietly at
    a damaged page; the plain path then reports it). An attribute named
    ``geometry`` (possible in GeoJSON) is kept as ``geometry_input``.

    Raises
    ------
    InputError
        The file is corrupt or incomplete, has several layers and none was named, or has no such layer.
    """
    kwargs = _read_options(p, layer, encoding)
    if p.suffix.lower() == ".shp":
        problem = shapefile_problem(p)
        if problem is not None:
            raise _incomplete_error(p, problem)
    try:
        gdf = _read_frame(p, engine, kwargs)
        return _keep_geometry_attribute(p, gdf, kwargs)
    except (InputError, OutputError):
        raise
    except Exception as exc:
        msg = str(exc)
        if layer is not None and ("layer" in msg.lower()):
            available = list_layers(p)
            raise InputError(
                f"“{p}”中没有图层“{layer}”；可用图层：{', '.join(available)}。",
                f"'{p}' has no layer '{layer}'; available: {', '.join(available)}.",
                "请用 --layer 指定其中之一。", "Name one of them with --layer.",
            ) from exc
        raise unreadable_error(p, exc) from exc


def _read_frame(p: Path, engine: str, kwargs: dict) -> gpd.GeoDataFrame:
    # Arrow is ≈2× faster for large GeoPackages, but GDAL's Arrow path for
    # FlatGeobuf crashes the interpreter on a null geometry (seen with
    # pyogrio 0.13 / its bundled GDAL), so it is used for GeoPackage only.
    if engine == "pyogrio" and p.suffix.lower() == ".gpkg":
        try:
            gdf = gpd.read_file(p, engine="pyogrio", use_arrow=True, **kwargs)
        except (ImportError, NotImplementedError):
            return gpd.read_file(p, engine="pyogrio", **kwargs)
        if gpkg_feature_count(p, kwargs.get("layer")) == len(gdf):
            return gdf
        # Fewer features than the file declares: GDAL's Arrow reader stops silently at a damaged page,
        # the plain one raises ("database disk image is malformed"); a stale count just reads again.
        return gpd.read_file(p, engine="pyogrio", **kwargs)
    gdf = gpd.read_file(p, engine=engine, **kwargs)
    if p.suffix.lower() == ".fgb":  # cut at a feature's end, GDAL stops quietly: its header says how many
        declared = _declared_count(p, kwargs.get("layer"))
        if declared is not None and declared != len(gdf):
            raise _incomplete_error(p, (f"文件头声明 {declared:,} 个要素，只读到 {len(gdf):,} 个",
                                        f"its header declares {declared:,} features, {len(gdf):,} could be read"))
    return gdf


def _declared_count(p: Path, layer: str | None) -> int | None:
    import pyogrio

    try:
        n = int(pyogrio.read_info(p, layer=layer)["features"])
    except Exception:  # no header to read: the read itself has said what it could
        return None
    return n if n >= 0 else None


def _incomplete_error(p: Path, problem: tuple[str, str]) -> InputError:
    return InputError(
        f"无法读取“{p}”：文件不完整或已损坏——{problem[0]}。",
        f"Cannot read '{p}': the file is incomplete or damaged — {problem[1]}.",
        "请重新复制完整的文件（Shapefile 需 .shp/.shx/.dbf 同在），或另存为 GeoPackage 后重试。",
        "Copy the complete file again (a Shapefile needs .shp, .shx and .dbf together), or save it as "
        "GeoPackage and try again.",
    )


def _keep_geometry_attribute(p: Path, gdf: gpd.GeoDataFrame, kwargs: dict) -> gpd.GeoDataFrame:
    """An attribute named ``geometry`` (the geometry column replaced it) read again, as ``geometry_input``."""
    import pyogrio

    if not _may_have_geometry_attribute(p, len(gdf)):
        return gdf
    read = {k: v for k, v in kwargs.items() if k in ("layer", "encoding")}
    if "geometry" not in list(pyogrio.read_info(p, **read)["fields"]):
        return gdf
    values = pyogrio.read_dataframe(p, columns=["geometry"], read_geometry=False, **read)["geometry"]
    name, k = "geometry_input", 2
    while name in gdf.columns:
        name, k = f"geometry_input_{k}", k + 1
    gdf[name] = values.to_numpy()
    log.warning("“%s”的属性字段 geometry 与几何列同名，已保留为 %s / '%s': its attribute field 'geometry' "
                "clashes with the geometry column; kept as '%s'", p, name, p, name)
    return gdf


def _may_have_geometry_attribute(p: Path, n: int) -> bool:
    """Whether a field may be named ``geometry``: GeoJSON by a cheap count (its schema costs a full parse)."""
    if p.suffix.lower() not in (".geojson", ".json"):
        return True
    count, tail = 0, b""
    with open(p, "rb") as fh:  # each feature has one "geometry" member; more means a property too
        while chunk := fh.read(1 << 23):
            buf = tail + chunk
            count += buf.count(b'"geometry"')
            tail = buf[-9:]  # shorter than the 10-byte pattern: nothing is counted twice
    return count > n


def write_ogr(gdf: gpd.GeoDataFrame, p: Path, *, encoding: str | None = None, engine: str = "pyogrio",
              layer: str | None = None, spatial_index: bool | None = None, keep_layers: bool = False) -> None:
    """Write a frame in one of the formats of :data:`OGR_DRIVERS`, atomically and verified.

    The options are those of :func:`gis.io.vector.write_vector`. The layer of a
    GeoJSON or FlatGeobuf file is named after the file (never after its temporary
    name). A GeoPackage that holds other layers is replaced only by
    ``keep_layers`` (which writes the one layer into it, keeping the others).

    Raises
    ------
    OutputError
        A GeoPackage with other layers (without ``keep_layers``), a full disk, a
        read-only folder, a write GDAL reported or a file that failed its check.
    """
    suffix = p.suffix.lower()
    kwargs: dict = {"driver": OGR_DRIVERS[suffix], "engine": engine}
    if suffix == ".shp":
        kwargs["encoding"] = encoding or "UTF-8"
        kwargs["geometry_type"] = shapefile_geometry_type(gdf)
        write_shapefile(shapefile_frame(gdf, kwargs["encoding"]), p, kwargs)
        return
    name = layer or p.stem
    kwargs["layer"] = name
    verify = functools.partial(verify_vector, expected=len(gdf), layer=name)
    if suffix == ".gpkg":
        keep = refuse_replacing_layers(p, name, keep_layers)
        if not keep:  # a new file (an existing one, copied, keeps its version)
            kwargs.update(GPKG_DATASET_OPTIONS)
        if spatial_index is False:
            kwargs["SPATIAL_INDEX"] = "NO"
        with atomic_output(p, verify=verify) as tmp:
            if keep:
                shutil.copyfile(p, tmp)  # the other layers come along; the copy replaces the file when whole
            elif engine == "pyogrio" and write_gpkg(gdf, tmp, layer=name, spatial_index=spatial_index is not False):
                return
            gdf.to_file(tmp, **kwargs, **({"use_arrow": True} if engine == "pyogrio" else {}))
        return
    if suffix == ".fgb":
        kwargs["SPATIAL_INDEX"] = "YES" if spatial_index else "NO"
        if engine == "pyogrio":
            kwargs["use_arrow"] = True  # GDAL's Arrow writer is ≈2× faster for wide text columns (the reasons)
    with atomic_output(p, verify=verify) as tmp:
        gdf.to_file(tmp, **kwargs)

