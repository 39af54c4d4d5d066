"""``parkgis convert``: format, CRS, datum and text-encoding conversion in one pass.

Examples::

    # Amap (GCJ-02) picks to a WGS84 GeoPackage
    parkgis convert picks.geojson -o picks.gpkg --datum gcj02
    # a boundary-coordinate TXT (CGCS2000 zone 40) to GeoJSON lon/lat
    parkgis convert site.txt -o site.geojson
    # classified parcels back to the TXT format, zone 41, UTF-8
    parkgis convert parcels.gpkg -o parcels.txt --zone 41 --out-encoding utf-8
    # a 1980 Xian TXT with 4 local Helmert parameters
    parkgis convert site80.txt -o site.gpkg --helmert "-35.2,118.7,1.35,-4.2"
"""

from __future__ import annotations

import click

from gis.cli.common import (
    assume_crs_option,
    echo_lines,
    echo_note,
    encoding_option,
    io_engine_option,
)
from gis.geodesy.datums import DATUMS


@click.command("convert")
@click.argument("src", metavar="IN")
@click.option("-o", "--output", "out", required=True, metavar="OUT",
              help="输出文件，格式由后缀决定：.gpkg .geojson .shp .fgb .parquet .csv .txt（界址点坐标）。 "
              "Output; format from the suffix (.txt: the boundary-coordinate format).")
@click.option("--layer", default=None, help="输入文件中的图层名。 Layer of a multi-layer input.")
@click.option("--datum", type=click.Choice(DATUMS, case_sensitive=False), default="wgs84", show_default=True,
              help="输入坐标的基准：高德/腾讯为 gcj02，百度为 bd09。 "
              "Datum of the input: gcj02 for Amap/Tencent, bd09 for Baidu.")
@click.option("--to-datum", type=click.Choice(DATUMS, case_sensitive=False), default="wgs84", show_default=True,
              help="输出坐标的基准（gcj02/bd09 输出为经纬度）。 Datum of the output (gcj02/bd09 as lon/lat).")
@click.option("--to-crs", default=None, metavar="CRS",
              help="输出坐标系，如 EPSG:4326、EPSG:4549（默认同输入；GeoJSON/CSV 默认 EPSG:4326）。 "
              "Output CRS (default: the input's; EPSG:4326 for GeoJSON and CSV).")
@encoding_option
@click.option("--out-encoding", type=click.Choice(["gbk", "utf-8"], case_sensitive=False), default=None,
              help="输出文本编码（.txt 默认 gbk，其余默认 utf-8）。 "
              "Output text encoding (default gbk for .txt, utf-8 otherwise).")
@assume_crs_option
@click.option("--zone", type=int, default=None, metavar="N",
              help="输出 .txt 的 3° 带号（崇明为 40 或 41；默认按数据中心）。 "
              "3-degree zone of a .txt output (40 or 41 in Chongming; default: from the data's centre).")
@click.option("--no-zone-prefix", is_flag=True,
              help="输出 .txt 的东坐标不加带号前缀。 Write .txt eastings without the zone prefix.")
@click.option("--helmert", default=None, metavar="PARAMS",
              help="界址点文件的转换参数：四参数 dX,dY,旋转角(秒),尺度(ppm) 或七参数 dx,dy,dz,rx,ry,rz,尺度(ppm)。 "
              "Helmert parameters for a .txt input: dX,dY,rot_arcsec,scale_ppm or dx,dy,dz,rx,ry,rz,s_ppm.")
@click.option("--out-layer", default=None, metavar="NAME",
              help="把结果作为该图层写入已有的 GeoPackage，保留其中的其他图层。 "
              "Write the result as this layer of an existing GeoPackage, keeping its other layers.")
@io_engine_option
def command(src, out, layer, datum, to_datum, to_crs, encoding, out_encoding, assume_crs, zone, no_zone_prefix,
            helmert, out_layer, io_engine):
    """转换格式、坐标系、基准（WGS84/GCJ-02/BD-09）和文本编码。

    Convert format, CRS, datum (WGS84 / GCJ-02 / BD-09) and text encoding in one
    pass, for any supported format including the boundary-coordinate TXT format.
    """
    from gis.io.convert_file import OptionConflict, conversion_lines, convert_file

    try:
        done = convert_file(src, out, layer=layer, datum=datum, to_datum=to_datum, to_crs=to_crs, encoding=encoding,
                            out_encoding=out_encoding, assume_crs=assume_crs, zone=zone,
                            zone_prefix=not no_zone_prefix, helmert=helmert, engine=io_engine, on_note=echo_note,
                            out_layer=out_layer)
    except OptionConflict as exc:
        raise click.UsageError(str(exc)) from None
    echo_lines(conversion_lines(done))
