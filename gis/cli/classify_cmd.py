"""``parkgis classify``: classify parcels and write them with a summary."""

from __future__ import annotations

import click

from gis.cli.common import (
    echo_lines,
    helmert_option,
    is_quiet,
    layer_option,
    layers_option,
    parcel_options,
)
from gis.geodesy.datums import DATUMS


@click.command("classify")
@click.argument("parcels")
@click.option("-o", "--output", "out", required=True,
              help="输出文件，格式由后缀决定：.gpkg .geojson .shp .fgb .parquet .csv .txt 或 "
              "postgresql://…#schema.table。 Output; format from the suffix.")
@layer_option
@layers_option
@parcel_options
@helmert_option
@click.option("--to-crs", default=None, metavar="CRS",
              help="输出坐标系（默认同输入；--datum gcj02/bd09 的输入输出为 WGS84）。 "
              "Output CRS (default: the input's; WGS84 for GCJ-02/BD-09 input).")
@click.option("--out-datum", type=click.Choice(DATUMS, case_sensitive=False), default="wgs84", show_default=True,
              help="有意输出高德/腾讯（gcj02）或百度（bd09）偏移坐标供网络地图使用：文件名、坐标系与说明均注明该基准。 "
              "Shift the output on purpose to GCJ-02 (Amap/Tencent) or BD-09 (Baidu) for a web map; the file's "
              "name, CRS and description say so.")
@click.option("--out-encoding", type=click.Choice(["utf-8", "gbk"]), default="utf-8", show_default=True,
              help="Shapefile 输出编码（ArcGIS 旧版用 gbk）。 Shapefile text encoding (gbk for older ArcGIS).")
@click.option("--out-layer", default=None, metavar="NAME",
              help="把结果作为该图层写入已有的 GeoPackage，保留其中的其他图层。 "
              "Write the result as this layer of an existing GeoPackage, keeping its other layers.")
@click.option("--summary", "summary_path", default=None, metavar="FILE",
              help="汇总表 .xlsx 或 .csv（区域×方向×园区/乡镇）。 Summary table by zone × action × park/town.")
@click.option("--no-spatial-index", is_flag=True,
              help="GeoPackage 不建空间索引（写得更快，QGIS 查询更慢）。 Skip the GPKG spatial index (faster write).")
@click.option("--engine", "engine", type=click.Choice(["memory", "dask"]), default="memory", show_default=True,
              help="memory：整体读入内存；dask：分块处理超出内存的大文件（输入 .gpkg/.parquet 等，输出 .gpkg 或 "
              ".parquet）。 memory: all in RAM; dask: chunk by chunk for files larger than memory (needs "
              "parkgis[dask]).")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="dask 调度器地址（如 tcp://10.0.0.5:8786）；默认在本机启动。 "
              "dask.distributed scheduler address (default: a local cluster). Implies --engine dask.")
@click.pass_context
def command(ctx, parcels, out, layer, layers_src, rules_cfg, id_field, datum, assume_crs, encoding, helmert, io_engine,
            to_crs, out_datum, out_encoding, out_layer, summary_path, no_spatial_index, engine, scheduler):
    """将工业地块分类为升级 / 转型 / 减量化。

    Classify industrial parcels as upgrade / transform / reduce by the 104/195/198
    zones and the active rules; one output row per input feature.
    """
    from gis.classification.parcels import classify_lines, write_classified

    run = write_classified(parcels, out, layers_src, layer=layer, rules=rules_cfg, id_field=id_field, datum=datum,
                           assume_crs=assume_crs, encoding=encoding, helmert=helmert, engine=io_engine, to_crs=to_crs,
                           out_datum=out_datum.lower(), out_encoding=out_encoding,
                           spatial_index=False if no_spatial_index else None,
                           summary=summary_path, dask=engine == "dask" or bool(scheduler), scheduler=scheduler,
                           progress=not is_quiet(ctx), out_layer=out_layer)
    echo_lines(classify_lines(run))
