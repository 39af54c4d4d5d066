"""Reading and writing vector data.

Reading goes through geopandas with pyogrio (fiona selectable), with three
additions that planners' files need:

* **Shapefile text encoding.** pyogrio and fiona silently return mojibake for a
  GBK ``.dbf`` without ``.cpg`` (pyogrio issue #380). :func:`detect_dbf_encoding`
  decodes the DBF's character fields strictly as UTF-8 and falls back to GB18030
  (a superset of GBK); the result is passed as ``encoding=``. A ``.cpg`` is
  honoured, and ``--encoding`` overrides both.
* **A CRS is required.** A file without one is refused, naming ``--assume-crs``.
* **Other sources**: ``postgresql://…#schema.table`` (:mod:`gis.io.postgis`), the
  boundary-coordinate TXT format (:mod:`gis.io.coordtxt`) and CSV tables with
  ``lon``/``lat`` or WKT columns.

Writing is atomic (a temporary file in the target folder, renamed into place),
picks the format from the suffix, and refuses to overwrite an input.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gis.geodesy.crs import check_crs
from gis.io.encoding import detect_dbf_encoding, shapefile_encoding
from gis.errors import InputError, OutputError
from gis.io.safe_write import atomic_output, check_not_input, is_url
from gis.io.shapefile import shapefile_frame, write_shapefile

__all__ = [
    "read_vector",
    "write_vector",
    "atomic_output",
    "detect_dbf_encoding",
    "list_layers",
    "require_one_layer",
    "VECTOR_SUFFIXES",
]

log = logging.getLogger(__name__)

#: Output suffix → OGR driver (None: written without OGR).
VECTOR_SUFFIXES: dict[str, str | None] = {
    ".gpkg": "GPKG",
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".shp": "ESRI Shapefile",
    ".fgb": "FlatGeobuf",
    ".parquet": None,
    ".geoparquet": None,
    ".csv": None,
    ".txt": None,
}

# --------------------------------------------------------------------------- reading


def list_layers(path) -> list[str]:
    """Names of the layers of a multi-layer vector file (GeoPackage, zip…)."""
    import pyogrio

    try:
        return [str(name) for name in pyogrio.list_layers(str(path))[:, 0]]
    except Exception as exc:  # pyogrio raises DataSourceError subclasses
        raise _unreadable(path, exc) from exc


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


def _unreadable(path, exc: Exception) -> InputError:
    return InputError(
        f"无法读取“{path}”：文件损坏或不是可识别的矢量格式。",
        f"Cannot read '{path}': the file is corrupt or not a vector format GDAL reads ({exc}).",
        "请检查文件是否完整（Shapefile 需 .shp/.shx/.dbf 同在），或另存为 GeoPackage 后重试。",
        "Check that the file is complete (a Shapefile needs .shp, .shx and .dbf together), "
        "or save it as GeoPackage and try again.",
    )


def read_csv_text(path, encoding: str | None = None) -> pd.DataFrame:
    """Read a CSV as text columns: UTF-8 (with or without BOM), else GB18030, unless ``encoding``.

    Every value stays a string (codes keep their leading zeros; empty cells are
    ``""``), so callers decide what is a number.
    """
    for enc in ([encoding] if encoding else ["utf-8-sig", "gb18030"]):
        try:
            return pd.read_csv(path, encoding=enc, dtype=str, keep_default_na=False)
        except UnicodeDecodeError:
            continue
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise InputError(f"无法读取 CSV“{path}”：{exc}", f"Cannot read CSV '{path}': {exc}") from exc
    raise InputError(f"无法解码 CSV“{path}”。", f"Cannot decode CSV '{path}'.",
                     "请用 --encoding 指定编码（如 gbk）。", "Pass --encoding (e.g. gbk).")


def _read_csv(path: Path, encoding: str | None, assume_crs: str | None) -> gpd.GeoDataFrame:
    df = read_csv_text(path, encoding)
    cols = {c.lower(): c for c in df.columns}
    lon = next((cols[c] for c in ("lon", "lng", "longitude", "经度", "x") if c in cols), None)
    lat = next((cols[c] for c in ("lat", "latitude", "纬度", "y") if c in cols), None)
    wkt = next((cols[c] for c in ("wkt", "geometry", "geom") if c in cols), None)
    if wkt is not None:
        text = df[wkt].to_numpy(dtype=object)
        text[text == ""] = None
        try:
            geom = shapely.from_wkt(text, on_invalid="raise")
        except shapely.errors.GEOSException as exc:
            raise InputError(f"CSV“{path}”的 {wkt} 列含无法解析的 WKT：{exc}",
                             f"CSV '{path}' has unreadable WKT in column '{wkt}': {exc}",
                             "请检查该列（如 POLYGON ((x y, ...))）。",
                             "Check the column (e.g. POLYGON ((x y, ...))).") from exc
        df = df.drop(columns=[wkt])
        crs = check_crs(None, str(path), assume_crs)
    elif lon is not None and lat is not None:
        x = pd.to_numeric(df[lon], errors="coerce").to_numpy()
        y = pd.to_numeric(df[lat], errors="coerce").to_numpy()
        geom = shapely.points(x, y)
        geom[np.isnan(x) | np.isnan(y)] = None
        # lon/lat columns are geographic by definition; --datum states which datum.
        crs = check_crs(None, str(path), assume_crs or "EPSG:4326")
    else:
        raise InputError(
            f"CSV“{path}”没有几何列：需要 lon/lat（经度/纬度）列或 wkt 列。",
            f"CSV '{path}' has no geometry: it needs lon/lat columns or a wkt column.",
            "请加入 lon、lat 两列（WGS84 或用 --datum 指明），或 wkt 列。",
            "Add lon and lat columns (WGS84, or state --datum), or a wkt column.",
        )
    for c in df.columns:  # numbers stay numbers, codes with leading zeros stay text
        conv = pd.to_numeric(df[c], errors="coerce")
        if conv.notna().all() and not df[c].str.match(r"^0\d").any():
            df[c] = conv
    return gpd.GeoDataFrame(df, geometry=geom, crs=crs)


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
        file in a local system (1980 Xian, 1954 Beijing), see :mod:`gis.geodesy.gauss_kruger`.

    Returns
    -------
    geopandas.GeoDataFrame
        With its CRS set.

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
    suffix = p.suffix.lower()
    if suffix in (".parquet", ".geoparquet"):
        try:
            gdf = gpd.read_parquet(p)
        except Exception as exc:
            raise _unreadable(p, exc) from exc
        gdf = gdf.set_crs(check_crs(gdf.crs, str(p), assume_crs), allow_override=True)
        return gdf
    if suffix == ".csv":
        return _read_csv(p, encoding, assume_crs)
    if suffix == ".txt":
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
    if layer is None and suffix in (".gpkg", ".zip", ".sqlite", ".gdb"):
        require_one_layer(p)
    if layer is not None:
        kwargs["layer"] = layer
    try:
        # Arrow is ≈2× faster for large GeoPackages, but GDAL's Arrow path for
        # FlatGeobuf crashes the interpreter on a null geometry (seen with
        # pyogrio 0.13 / its bundled GDAL), so it is used for GeoPackage only.
        if engine == "pyogrio" and suffix == ".gpkg":
            try:
                gdf = gpd.read_file(p, engine="pyogrio", use_arrow=True, **kwargs)
            except (ImportError, NotImplementedError):
                gdf = gpd.read_file(p, engine="pyogrio", **kwargs)
        elif engine == "pyogrio":
            gdf = gpd.read_file(p, engine="pyogrio", **kwargs)
        else:
            gdf = gpd.read_file(p, engine=engine, **kwargs)
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
        raise _unreadable(p, exc) from exc
    gdf = gdf.set_crs(check_crs(gdf.crs, str(p), assume_crs), allow_override=True)
    return gdf


# --------------------------------------------------------------------------- writing


def write_vector(
    gdf: gpd.GeoDataFrame,
    path,
    *,
    inputs: Iterable = (),
    encoding: str | None = None,
    engine: str = "pyogrio",
    layer: str | None = None,
    spatial_index: bool | None = None,
) -> None:
    """Write a GeoDataFrame atomically; the format follows the suffix.

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
    """
    check_not_input(path, inputs)
    if is_url(path):
        from gis.io.postgis import write_postgis_url

        write_postgis_url(gdf, path, if_exists="replace", inputs=tuple(inputs))
        return
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in VECTOR_SUFFIXES:
        raise OutputError(
            f"不支持的输出格式“{suffix}”。",
            f"Unsupported output format '{suffix}'.",
            "可用：" + "、".join(VECTOR_SUFFIXES),
            "Use one of: " + ", ".join(VECTOR_SUFFIXES),
        )
    if suffix == ".txt":
        from gis.io.coordtxt import write_coordtxt

        write_coordtxt(gdf, p, encoding=encoding or "gbk")
        return
    if suffix in (".parquet", ".geoparquet"):
        with atomic_output(p) as tmp:
            gdf.to_parquet(tmp)
        return
    if suffix == ".csv":
        df = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
        df["wkt"] = shapely.to_wkt(gdf.geometry.to_numpy(), rounding_precision=-1)
        with atomic_output(p) as tmp:
            df.to_csv(tmp, index=False, encoding=encoding or "utf-8-sig")
        return
    driver = VECTOR_SUFFIXES[suffix]
    kwargs: dict = {"driver": driver, "engine": engine}
    if suffix == ".shp":
        gdf = shapefile_frame(gdf)
        kwargs["encoding"] = encoding or "UTF-8"
        write_shapefile(gdf, p, kwargs)
        return
    if suffix == ".gpkg":
        kwargs["layer"] = layer or p.stem
        if spatial_index is False:
            kwargs["SPATIAL_INDEX"] = "NO"
        if engine == "pyogrio":
            from gis.io.geopackage import write_gpkg

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
