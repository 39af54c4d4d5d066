"""Parcels in and out: read a parcels source and classify it once; or classify a file into a file.

Several commands (density, grade, map, report, demo) start from "the
classified parcels". :func:`load_classified` is that step, so they all read,
default and classify the same way: a file that already carries the DESIGN §4
columns (the output of ``parkgis classify``) is used as it is.

``parkgis classify`` is :func:`write_classified`: read, classify (always),
write in any format and, if asked, the summary table; in memory, or chunk by
chunk on a dask cluster for files larger than memory
(:mod:`gis.classification.dask_engine`). :func:`classify_lines` is what it prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyproj

from gis.classification.classify import RESULT_COLUMNS, classify
from gis.classification.summary import SUMMARY_HEADERS, classification_summary
from gis.engine.normalise import offset_input
from gis.engine.normalise import to_wgs84 as to_wgs84_geoms
from gis.errors import DatumError, InputError, OutputError
from gis.geodesy.crs import WGS84
from gis.geodesy.offset_crs import OFFSET_DATUMS, offset_note
from gis.io.offset_output import write_in_datum
from gis.io.safe_write import check_outputs
from gis.io.tables import write_table
from gis.io.vector import check_vector_output, read_vector
from gis.layers import LayerSet, default_source, load_layers
from gis.wording import ACTION_WORDS, bilingual

__all__ = ["ClassifiedParcels", "ClassifyRun", "classify_lines", "load_classified", "sample_parcels",
           "write_classified", "SAMPLE_NOTE"]

SAMPLE_NOTE = "地块：内置合成样例（非真实数据）/ parcels: the embedded SYNTHETIC sample (not real data)"


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
    id_field: str | None = None,
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
        Return the geometries in WGS84 lon/lat, for drawing (parcels of an offset
        datum are in WGS84 anyway: DESIGN §7).

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
    if all(c in gdf.columns for c in RESULT_COLUMNS) and id_field in (None, "parcel_id"):
        # Already classified (e.g. the output of `parkgis classify`): used as it is, its datum converted.
        notes.append("输入已含分类结果，未重新分类 / input already classified: used as is")
        result = gdf
        if offset_input(gdf.crs, datum):
            geoms, crs = to_wgs84_geoms(gdf, datum, assume_crs)
            result = gdf.set_geometry(geoms, crs=crs)
    else:
        # classify() gives parcels of an offset datum back in WGS84 already
        result = classify(gdf, ls, rules, id_field=id_field, datum=datum, assume_crs=assume_crs, progress=progress)
    if to_wgs84 and not result.crs.equals(WGS84):
        result = result.to_crs(WGS84)
    if ls.illustrative:
        notes.append(bilingual(ls.illustrative_note()))
    return ClassifiedParcels(layers=ls, parcels=result, inputs=inputs, notes=notes)


@dataclass
class ClassifyRun:
    """What :func:`write_classified` did.

    Attributes
    ----------
    out : str
        Where the parcels went (a path or a PostGIS URL).
    rows : int
        Parcels classified (= rows written).
    actions : dict
        ``action`` → parcels, most first (a missing action: not classified).
    flagged : int
        Parcels with a non-empty ``flags``.
    summary : str, optional
        Where the summary table went.
    chunks, workers : int, optional
        With the dask engine: tasks run and workers used.
    notes : list of str
        What the user must know about the output (an offset datum written on purpose).
    """

    out: str
    rows: int
    actions: dict
    flagged: int
    summary: str | None = None
    chunks: int | None = None
    workers: int | None = None
    notes: list[str] = field(default_factory=list)


def write_classified(
    parcels,
    out,
    layers: LayerSet | str | None = None,
    *,
    layer: str | None = None, rules=None, id_field: str | None = None, datum: str = "wgs84",
    assume_crs: str | None = None, encoding: str | None = None, helmert: str | None = None, engine: str = "pyogrio",
    to_crs=None, out_datum: str = "wgs84", out_encoding: str = "utf-8", spatial_index: bool | None = None,
    summary=None, dask: bool = False, scheduler: str | None = None, progress: bool = False,
    out_layer: str | None = None,
) -> ClassifyRun:
    """Read parcels, classify them and write them with every input attribute (``parkgis classify``).

    Parameters
    ----------
    parcels : str or Path
        Any vector file (or a boundary-coordinate TXT, or a PostGIS URL).
    out : str or Path
        Output; the format comes from the suffix (``.gpkg .geojson .shp .fgb
        .parquet .csv .txt`` or ``postgresql://…#schema.table``). Never an input.
    layers : LayerSet or layer source, optional
        Default: the embedded Chongming layers.
    layer, rules, id_field, datum, assume_crs, encoding, helmert, engine
        As for :func:`load_classified`.
    to_crs : CRS-like, optional
        Output CRS (default: the input's; WGS84 for input in an offset datum).
    out_datum : {"wgs84", "gcj02", "bd09"}
        Shift the output to an offset datum for a web map, on purpose: the file says so in its CRS, name
        (``x.gcj02.gpkg``) and description (:func:`gis.io.offset_output.write_in_datum`), and so do the
        run's ``notes``. Not with a projected ``to_crs``, a TXT or PostGIS output, or ``dask``.
    out_encoding : {"utf-8", "gbk"}
        Text encoding of a Shapefile output (gbk for older ArcGIS).
    spatial_index : bool, optional
        Build a GeoPackage's spatial index (default: yes).
    summary : str or Path, optional
        Also write the summary by zone × action × park / town (``.xlsx`` or ``.csv``).
    dask : bool
        Chunk by chunk on a dask cluster (needs ``parkgis[dask]``); ``helmert``,
        ``engine`` and ``out_encoding`` do not apply.
    scheduler : str, optional
        Address of a dask.distributed scheduler (default: a local cluster).
    progress : bool
        Progress bar while classifying.
    out_layer : str, optional
        Write the parcels as this layer of the GeoPackage ``out``, keeping its
        other layers (without it, a GeoPackage holding other layers is refused).

    Returns
    -------
    ClassifyRun
        (An output over an input, two outputs on one file, a GeoPackage losing layers: refused before the work.)
    """
    shifted = _check_out_datum(out_datum, to_crs, dask)
    ls = layers if isinstance(layers, LayerSet) else load_layers(layers)
    source = None if isinstance(layers, LayerSet) else layers
    inputs = [parcels, source, *ls.files, rules]
    _check_outputs(out, summary, inputs, out_layer, dask)
    if dask:
        return _classify_dask(parcels, out, ls, source, rules=rules, id_field=id_field, datum=datum,
                              assume_crs=assume_crs, to_crs=to_crs, layer=layer, encoding=encoding,
                              spatial_index=spatial_index, scheduler=scheduler, summary=summary, progress=progress)
    gdf = read_vector(parcels, layer=layer, encoding=encoding, engine=engine, assume_crs=assume_crs, helmert=helmert)
    result = classify(gdf, ls, rules, id_field=id_field, datum=datum, assume_crs=assume_crs, progress=progress)
    if to_crs:
        result = result.to_crs(to_crs)
    written = write_in_datum(result, out, out_datum if shifted else "wgs84", inputs=inputs, engine=engine,
                             spatial_index=spatial_index, layer=out_layer, keep_layers=out_layer is not None,
                             encoding="GBK" if out_encoding == "gbk" and str(out).lower().endswith(".shp") else None)
    if summary:
        _write_summary(classification_summary(result), summary, ls)
    counts = result["action"].value_counts(dropna=False)
    flagged = int(np.count_nonzero(result["flags"].to_numpy(dtype=object) != ""))
    notes = [offset_note(out_datum, written)] if shifted else []
    return ClassifyRun(str(written), len(result), dict(counts.items()), flagged, _text(summary), notes=notes)


def _classify_dask(parcels, out, ls: LayerSet, source, *, summary, **options) -> ClassifyRun:
    """:func:`write_classified` on the dask engine (:func:`gis.classification.dask_engine.classify_file`)."""
    from gis.classification.dask_engine import classify_file

    stats = classify_file(parcels, out, layers=ls, layers_source=source, summary=bool(summary), **options)
    if summary:
        _write_summary(stats.summary, summary, ls)
    return ClassifyRun(str(out), stats.rows, dict(stats.actions), stats.flagged, _text(summary), stats.chunks,
                       stats.workers)


def _check_out_datum(out_datum: str, to_crs, dask: bool) -> bool:
    """Whether the output is to be shifted to an offset datum; refuse the options it cannot go with."""
    d = (out_datum or "wgs84").lower()
    if d in ("wgs84", "cgcs2000"):
        return False
    if d not in OFFSET_DATUMS:
        raise DatumError(f"未知的输出基准“{out_datum}”。", f"Unknown output datum '{out_datum}'.",
                         "可用：wgs84、gcj02、bd09。", "Use wgs84, gcj02 or bd09.")
    if to_crs is not None and not pyproj.CRS.from_user_input(to_crs).equals(WGS84):
        raise DatumError(f"{d} 只有经纬度形式，不能与 --to-crs {to_crs} 同用。",
                         f"{d} exists only as lon/lat: it cannot go with --to-crs {to_crs}.",
                         "去掉 --to-crs。", "Drop --to-crs.")
    if dask:
        raise InputError("--out-datum 不适用于 dask 引擎。", "--out-datum does not apply to the dask engine.",
                         "先以 WGS84 输出，再用 parkgis convert --to-datum 转换。",
                         "Write WGS84, then shift with parkgis convert --to-datum.")
    return True


def _check_outputs(out, summary, inputs: list, out_layer: str | None, dask: bool) -> None:
    """Before any work: no output over an input, two outputs on one file, a GeoPackage losing layers."""
    check_outputs([out, summary], inputs)
    if out_layer is not None and (dask or not str(out).lower().endswith(".gpkg")):
        raise OutputError("--out-layer 只用于写入 GeoPackage（.gpkg），且不用于 --engine dask。",
                          "--out-layer writes one layer of a GeoPackage (.gpkg), and not with --engine dask.",
                          "去掉 --out-layer，或输出 .gpkg。", "Drop --out-layer, or write a .gpkg.")
    check_vector_output(out, layer=out_layer, keep_layers=out_layer is not None)


def _text(path) -> str | None:
    return None if path is None else str(path)


def _write_summary(table, path, layers: LayerSet) -> None:
    notes = [bilingual(layers.illustrative_note())] if layers.illustrative else []
    write_table(table, path, sheet="summary", headers=SUMMARY_HEADERS, notes=notes,
                title="地块分类汇总 Classification summary")


def classify_lines(run: ClassifyRun) -> list[str]:
    """The console summary of :func:`write_classified`: parcels per action, flagged parcels, the summary file."""
    head = f"已分类 {run.rows} 个地块 → {run.out} / classified {run.rows} parcels → {run.out}"
    if run.chunks is not None:
        head += f" (dask: {run.chunks} 块 chunks, {run.workers} workers)"
    lines = [head]
    for action, n in sorted(run.actions.items(), key=lambda kv: -kv[1]):  # stable: ties keep their order
        zh, en = ACTION_WORDS.get(action, (action, "")) if isinstance(action, str) else ("未分类", "unclassified")
        lines.append(f"  {zh} {en}: {n:,}")
    if run.flagged:
        lines.append(f"  有标记 flagged: {run.flagged}（见 flags 列 / see the flags column）")
    if run.summary:
        lines.append(f"汇总表 summary → {Path(run.summary)}")
    return lines + [f"注意 Note: {n}" for n in run.notes]
