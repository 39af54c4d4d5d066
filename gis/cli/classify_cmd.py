"""``parkgis classify``: classify parcels and write them with a summary."""

from __future__ import annotations

import logging
from pathlib import Path

import click
import numpy as np

from gis.cli.common import helmert_option, layer_option, layers_option, parcel_options
from gis.classification.classify import classify
from gis.io.vector import read_vector, write_vector
from gis.layers.layerset import load_layers
from gis.classification.summary import SUMMARY_HEADERS, classification_summary

log = logging.getLogger(__name__)


@click.command("classify")
@click.argument("parcels")
@click.option("-o", "--output", "out", required=True,
              help="输出文件，格式由后缀决定：.gpkg .geojson .shp .fgb .parquet .csv .txt 或 postgresql://…#schema.table。 "
              "Output; format from the suffix.")
@layer_option
@layers_option
@parcel_options
@helmert_option
@click.option("--to-crs", default=None, metavar="CRS", help="输出坐标系（默认同输入）。 Output CRS (default: the input's).")
@click.option("--out-encoding", type=click.Choice(["utf-8", "gbk"]), default="utf-8", show_default=True,
              help="Shapefile 输出编码（ArcGIS 旧版用 gbk）。 Shapefile text encoding (gbk for older ArcGIS).")
@click.option("--summary", "summary_path", default=None, metavar="FILE",
              help="汇总表 .xlsx 或 .csv（区域×方向×园区/乡镇）。 Summary table by zone × action × park/town.")
@click.option("--no-spatial-index", is_flag=True,
              help="GeoPackage 不建空间索引（写得更快，QGIS 查询更慢）。 Skip the GPKG spatial index (faster write).")
@click.option("--engine", "engine", type=click.Choice(["memory", "dask"]), default="memory", show_default=True,
              help="memory：整体读入内存；dask：分块处理超出内存的大文件（输入 .gpkg/.parquet 等，输出 .gpkg 或 .parquet）。 "
              "memory: all in RAM; dask: chunk by chunk for files larger than memory (needs parkgis[dask]).")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="dask 调度器地址（如 tcp://10.0.0.5:8786）；默认在本机启动。 "
              "dask.distributed scheduler address (default: a local cluster). Implies --engine dask.")
@click.pass_context
def command(ctx, parcels, out, layer, layers_src, rules_cfg, id_field, datum, assume_crs, encoding, helmert, io_engine,
            to_crs, out_encoding, summary_path, no_spatial_index, engine, scheduler):
    """将工业地块分类为升级 / 转型 / 减量化。

    Classify industrial parcels as upgrade / transform / reduce by the 104/195/198
    zones and the active rules; one output row per input feature.
    """
    quiet = (ctx.find_root().obj or {}).get("quiet", False)
    if engine == "dask" or scheduler:
        _classify_dask(parcels, out, layer, layers_src, rules_cfg, id_field, datum, assume_crs, encoding, to_crs,
                       summary_path, no_spatial_index, scheduler, quiet)
        return
    ls = load_layers(layers_src)
    gdf = read_vector(parcels, layer=layer, encoding=encoding, engine=io_engine, assume_crs=assume_crs,
                      helmert=helmert)
    result = classify(gdf, ls, rules_cfg, id_field=id_field, datum=datum, assume_crs=assume_crs,
                      progress=not quiet)
    if to_crs:
        result = result.to_crs(to_crs)
    inputs = [parcels]
    if layers_src:
        inputs.append(layers_src)
    write_vector(result, out, inputs=inputs, engine=io_engine, spatial_index=False if no_spatial_index else None,
                 encoding="GBK" if out_encoding == "gbk" and str(out).lower().endswith(".shp") else None)
    if summary_path:
        from gis.io.tables import write_table

        notes = ["示意数据：默认图层中的园区与集中建设区为示意 / illustrative layers"] if ls.illustrative else []
        write_table(classification_summary(result), summary_path, sheet="summary", headers=SUMMARY_HEADERS,
                    notes=notes, title="地块分类汇总 Classification summary")
    counts = result["action"].value_counts(dropna=False)
    click.echo(f"已分类 {len(result)} 个地块 → {out} / classified {len(result)} parcels → {out}", err=True)
    for action, n in counts.items():
        click.echo(f"  {action if isinstance(action, str) else '未分类 unclassified'}: {n}", err=True)
    flagged = int(np.count_nonzero(result["flags"].to_numpy(dtype=object) != ""))
    if flagged:
        click.echo(f"  有标记 flagged: {flagged}（见 flags 列 / see the flags column）", err=True)
    if summary_path:
        click.echo(f"汇总 summary → {Path(summary_path)}", err=True)


def _classify_dask(parcels, out, layer, layers_src, rules_cfg, id_field, datum, assume_crs, encoding, to_crs,
                   summary_path, no_spatial_index, scheduler, quiet):
    """``--engine dask``: chunk by chunk on a dask.distributed cluster (gis.classification.dask_engine)."""
    from gis.classification.dask_engine import classify_file

    ls = load_layers(layers_src)
    stats = classify_file(parcels, out, layers=ls, layers_source=layers_src, rules=rules_cfg, id_field=id_field,
                          datum=datum, assume_crs=assume_crs, to_crs=to_crs, layer=layer, encoding=encoding,
                          spatial_index=False if no_spatial_index else None, scheduler=scheduler,
                          summary=bool(summary_path), progress=not quiet)
    if summary_path:
        from gis.io.tables import write_table

        notes = ["示意数据：默认图层中的园区与集中建设区为示意 / illustrative layers"] if ls.illustrative else []
        write_table(stats.summary, summary_path, sheet="summary", headers=SUMMARY_HEADERS,
                    notes=notes, title="地块分类汇总 Classification summary")
    click.echo(f"已分类 {stats.rows} 个地块 → {out} / classified {stats.rows} parcels → {out} "
               f"(dask: {stats.chunks} 块 chunks, {stats.workers} workers)", err=True)
    for action, n in sorted(stats.actions.items(), key=lambda kv: -kv[1]):
        click.echo(f"  {action if isinstance(action, str) else '未分类 unclassified'}: {n}", err=True)
    if stats.flagged:
        click.echo(f"  有标记 flagged: {stats.flagged}（见 flags 列 / see the flags column）", err=True)
    if summary_path:
        click.echo(f"汇总 summary → {Path(summary_path)}", err=True)
