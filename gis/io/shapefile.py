"""Shapefile output: ≤10-character field names, no booleans, text that fits, the sidecar files moved as a set.

A DBF text field holds at most 254 bytes — 84 Chinese characters in UTF-8, 127
in GBK — and a GBK file cannot hold every character. GDAL would cut the text
or drop the characters with a terse English warning; here text the encoding
cannot hold is refused (naming the fields and rows), and text longer than a
field is cut on a character boundary with a bilingual warning naming the fields
and rows — GeoPackage has neither limit.
"""

from __future__ import annotations

import codecs
import logging
import os
import shutil
import tempfile
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gis.errors import OutputError
from gis.io.integrity import verify_vector
from gis.io.safe_write import check_not_input, write_error

__all__ = ["SHAPEFILE_FIELD_NAMES", "shapefile_frame", "shapefile_geometry_type", "write_shapefile"]

log = logging.getLogger(__name__)

_SHP_SIDECARS = (".shp", ".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx", ".qmd")

#: Short Shapefile field names (10 characters at most) for our long column names.
SHAPEFILE_FIELD_NAMES: dict[str, str] = {
    "share_outside": "share_out",
    "riverbank_m": "river_m",
    "yangtze_1km": "yz_1km",
    "yangtze_1km_share": "yz_1km_shr",
    "enterprise_zh": "enterp_zh",
    "value_added_wan": "va_wan",
    "revenue_wan": "rev_wan",
    "target_output_2025_yi": "target_yi",
    "leading_industries": "lead_ind",
}



#: Bytes a DBF text field holds.
DBF_TEXT_BYTES = 254


def shapefile_frame(gdf: gpd.GeoDataFrame, encoding: str = "UTF-8") -> gpd.GeoDataFrame:
    """Rename long columns to ≤10 characters, make bools integers (DBF has no bool), fit the text to the fields.

    Raises
    ------
    OutputError
        Text that ``encoding`` cannot hold (e.g. a character outside GBK).
    """
    out = _fitted_text(gdf.copy(), encoding)
    geom_name = out.geometry.name
    used: set[str] = set()
    mapping = {}
    for col in out.columns:
        if col == geom_name:
            continue
        name = SHAPEFILE_FIELD_NAMES.get(col, col)[:10]
        base, k = name, 1
        while name.lower() in used:
            k += 1
            name = f"{base[: 10 - len(str(k)) - 1]}_{k}"
        used.add(name.lower())
        mapping[col] = name
        if pd.api.types.is_bool_dtype(out[col]) or out[col].dtype == object and out[col].map(
            lambda v: isinstance(v, (bool, np.bool_))
        ).any():
            out[col] = out[col].map(lambda v: None if v is None or v is pd.NA else int(bool(v)))
    renamed = {k: v for k, v in mapping.items() if k != v}
    if renamed:
        log.info("Shapefile field names shortened: %s", renamed)
    return out.rename(columns=mapping)


#: shapely type ids → the Shapefile shape type that holds them (a Shapefile holds one kind of geometry).
_SHAPE_KINDS = {3: "Polygon", 6: "Polygon", 1: "LineString", 2: "LineString", 5: "LineString", 0: "Point",
                4: "MultiPoint"}  # (a Polygon layer takes multipolygons, a LineString layer multilines)


def shapefile_geometry_type(gdf: gpd.GeoDataFrame) -> str:
    """The one geometry type the Shapefile is declared with, from the present geometries.

    Left to GDAL, a layer whose first feature has no geometry and whose others
    mix Polygon and MultiPolygon is written as *lines* (seen with pyogrio 0.13):
    the type is stated here instead.

    Raises
    ------
    OutputError
        Polygons, lines and points mixed (a Shapefile holds one kind).
    """
    geoms = gdf.geometry.to_numpy()
    ok = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    kinds = {_SHAPE_KINDS.get(int(t), "other") for t in np.unique(shapely.get_type_id(geoms[ok]))}
    if kinds == {"Point", "MultiPoint"}:
        kinds = {"MultiPoint"}
    if len(kinds) > 1 or "other" in kinds:
        raise OutputError("Shapefile 只能保存一种几何（面、线或点），而数据混有多种。",
                          "A Shapefile holds one kind of geometry (polygons, lines or points); the data mix them.",
                          "请写 GeoPackage（.gpkg），它可以保存混合几何。",
                          "Write a GeoPackage (.gpkg): it holds mixed geometries.")
    return kinds.pop() if kinds else "Polygon"


def write_shapefile(gdf: gpd.GeoDataFrame, p: Path, kwargs: dict) -> None:
    """Write a Shapefile's files in a temporary folder beside ``p``, then move them in as a set.

    ``kwargs`` go to ``GeoDataFrame.to_file`` and must name the ``encoding``; a
    ``.cpg`` stating it is written when GDAL does not write one, and sidecars of an
    older output that the new one lacks are removed, so no stale ``.qix`` or
    ``.cpg`` describes the new file.
    """
    import pyogrio.errors

    check_not_input(p)
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        tmpdir = Path(tempfile.mkdtemp(prefix=f".{p.stem}.", dir=p.parent))
    except OSError as exc:
        raise write_error(p, exc) from exc
    try:
        tmp = tmpdir / p.name
        with warnings.catch_warnings():  # GDAL's English notes on names and widths: said above, bilingually
            warnings.filterwarnings("ignore", message=".*(laundered|truncated|Column names longer).*")
            gdf.to_file(tmp, **kwargs)
        cpg = tmp.with_suffix(".cpg")
        if not cpg.exists():
            cpg.write_text(kwargs["encoding"].upper(), encoding="ascii")
        verify_vector(tmp, expected=len(gdf))
        # Remove stale sidecars of an older output, then move the new set in.
        for sfx in _SHP_SIDECARS:
            old = p.with_suffix(sfx)
            if old.exists() and not (tmpdir / old.name).exists():
                old.unlink()
        for f in tmpdir.iterdir():
            os.replace(f, p.parent / f.name)
    except (OSError, pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise write_error(p, exc) from exc
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


def _row_names(gdf: gpd.GeoDataFrame, mask: np.ndarray) -> str:
    ids = gdf["parcel_id"].astype(str).to_numpy()[mask] if "parcel_id" in gdf.columns else \
        np.flatnonzero(mask) + 1
    shown = ", ".join(map(str, ids[:10]))
    return shown + (f" … (+{len(ids) - 10})" if len(ids) > 10 else "")


def _refuse_unencodable(gdf: gpd.GeoDataFrame, col: str, vals: np.ndarray, is_text: np.ndarray, codec: str,
                        encoding: str) -> None:
    """An error naming the rows whose text ``codec`` cannot encode (e.g. a character outside GBK)."""
    try:
        "\x00".join(vals[is_text]).encode(codec)  # the whole column at once: nearly always fine
        return
    except UnicodeEncodeError:
        pass
    bad = np.zeros(len(vals), dtype=bool)
    for i in np.flatnonzero(is_text):  # only when a value does not fit: find which
        try:
            vals[i].encode(codec)
        except UnicodeEncodeError:
            bad[i] = True
    raise OutputError(
        f"字段 {col} 的文字含 {encoding} 无法表示的字符（地块/行 {_row_names(gdf, bad)}），写入 Shapefile "
        "会丢失这些字符。",
        f"Field '{col}' holds characters {encoding} cannot encode (rows {_row_names(gdf, bad)}); a "
        "Shapefile would lose them.",
        "用 UTF-8 输出（--out-encoding utf-8），或写 GeoPackage（.gpkg）。",
        "Write UTF-8 (--out-encoding utf-8), or write a GeoPackage (.gpkg).",
    )


def _fitted_text(gdf: gpd.GeoDataFrame, encoding: str) -> gpd.GeoDataFrame:
    """Refuse text ``encoding`` cannot hold; cut text longer than a DBF field on a character boundary, warned.

    Vectorised by column: one encoding of the whole column says whether every value fits the encoding (the
    values are looked at one by one only when one does not), and only text long enough to exceed the field
    (more than a quarter of its bytes in characters) is measured in bytes.
    """
    codec = codecs.lookup(encoding).name
    long_cols = []
    for col in gdf.columns:
        if col == gdf.geometry.name or not (pd.api.types.is_object_dtype(gdf[col])
                                            or pd.api.types.is_string_dtype(gdf[col])):
            continue
        try:
            chars = gdf[col].str.len().to_numpy(dtype="float64", na_value=np.nan)
        except AttributeError:  # no text in the column
            continue
        vals = gdf[col].to_numpy(dtype=object)
        is_text = ~np.isnan(chars)
        _refuse_unencodable(gdf, col, vals, is_text, codec, encoding)
        cand = np.flatnonzero(is_text & (np.nan_to_num(chars) * 4 > DBF_TEXT_BYTES))
        if not len(cand):
            continue
        sizes = np.array([len(v.encode(codec)) for v in vals[cand]])
        cut = np.zeros(len(vals), dtype=bool)
        cut[cand[sizes > DBF_TEXT_BYTES]] = True
        if cut.any():
            vals = vals.copy()
            vals[cut] = [v.encode(codec)[:DBF_TEXT_BYTES].decode(codec, errors="ignore") for v in vals[cut]]
            gdf[col] = vals
            long_cols.append(f"{col}（{_row_names(gdf, cut)}）")
    if long_cols:
        log.warning("Shapefile 文本字段最多 %d 字节，以下字段的文字被截断：%s；完整保存请用 GeoPackage（.gpkg） / "
                    "a Shapefile text field holds at most %d bytes: text was cut in %s; write a GeoPackage "
                    "(.gpkg) to keep it whole", DBF_TEXT_BYTES, "；".join(long_cols), DBF_TEXT_BYTES,
                    "; ".join(long_cols))
    return gdf
