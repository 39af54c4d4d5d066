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

import logging
from pathlib import Path

import click
import pyproj

from gis.cli.common import assume_crs_option, encoding_option, io_engine_option
from gis.geodesy.convert import convert_frame, crs_label
from gis.geodesy.crs import check_crs
from gis.geodesy.datums import DATUMS
from gis.errors import DatumError, OutputError

log = logging.getLogger(__name__)

#: Output formats whose readers expect lon/lat (GeoJSON by RFC 7946; CSV keeps no CRS).
_LONLAT_SUFFIXES = (".geojson", ".json", ".csv")


def _same_path(a, b) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return False


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
@io_engine_option
def command(src, out, layer, datum, to_datum, to_crs, encoding, out_encoding, assume_crs, zone, no_zone_prefix,
            helmert, io_engine):
    """转换格式、坐标系、基准（WGS84/GCJ-02/BD-09）和文本编码。

    Convert format, CRS, datum (WGS84 / GCJ-02 / BD-09) and text encoding in one
    pass, for any supported format including the boundary-coordinate TXT format.
    """
    from gis.io.coordtxt import is_coordtxt, output_zone, read_coordtxt, write_coordtxt
    from gis.geodesy.gauss_kruger import zone_crs
    from gis.io.vector import read_vector, write_vector

    datum, to_datum = datum.lower(), to_datum.lower()
    out_txt = Path(out).suffix.lower() == ".txt"
    if _same_path(src, out):
        raise OutputError(
            f"输出“{out}”与输入相同，拒绝覆盖输入数据。",
            f"Output '{out}' is the input; refusing to overwrite an input.",
            "请换一个输出文件名。", "Choose another output path.",
        )
    in_txt = Path(src).suffix.lower() == ".txt" and is_coordtxt(src)
    if in_txt:
        if datum != "wgs84":
            raise DatumError(
                "界址点坐标文件为高斯–克吕格平面坐标，不可能是 GCJ-02/BD-09。",
                "A boundary-coordinate file holds Gauss–Krüger plane coordinates; they cannot be GCJ-02/BD-09.",
                "去掉 --datum。", "Drop --datum.",
            )
        gdf, warnings = read_coordtxt(src, encoding=encoding, helmert=helmert)
        for w in warnings:
            click.echo(f"注意 Note: {w}", err=True)
    else:
        if helmert:
            raise click.UsageError("--helmert 仅用于界址点坐标 .txt 输入。 --helmert applies to a .txt input only.")
        gdf = read_vector(src, layer=layer, encoding=encoding, engine=io_engine, assume_crs=assume_crs)
    crs_in = check_crs(gdf.crs, str(src))

    if out_txt:
        if to_datum != "wgs84":
            raise DatumError(
                "界址点坐标文件只能写 CGCS2000 平面坐标。",
                "The boundary-coordinate format holds CGCS2000 plane coordinates only.",
                "去掉 --to-datum。", "Drop --to-datum.",
            )
        if to_crs:
            raise click.UsageError(".txt 输出的坐标系由 --zone 决定。 The CRS of a .txt output is set by --zone.")
        target = None
    else:
        if zone is not None:
            click.echo("注意 Note: --zone 仅用于 .txt 输出，已忽略。 / --zone applies to a .txt output only; ignored.",
                       err=True)
        target = to_crs
        if target is None and Path(out).suffix.lower() in _LONLAT_SUFFIXES:
            target = "EPSG:4326"
    result, shift = convert_frame(gdf, datum=datum, to_datum=to_datum, to_crs=target)

    if out_txt:
        zone_used = output_zone(result, zone)
        notes = write_coordtxt(result, out, zone=zone_used, encoding=out_encoding or "gbk",
                               prefix_zone=not no_zone_prefix)
        for w in notes:
            click.echo(f"注意 Note: {w}", err=True)
        crs_out = zone_crs("cgcs2000", 3, zone_used)
    else:
        enc = None
        if out_encoding:
            enc = "GBK" if out_encoding.lower() == "gbk" else "UTF-8"
        write_vector(result, out, inputs=[src], encoding=enc, engine=io_engine)
        crs_out = result.crs
    crs_out = pyproj.CRS.from_user_input(crs_out)

    click.echo(f"已转换 {len(result)} 个要素：{src} → {out} / converted {len(result)} features: {src} → {out}",
               err=True)
    if in_txt:
        info = gdf.attrs.get("coordtxt_crs", {})
        declared = gdf.attrs.get("coordtxt", {}).get("坐标系", info.get("datum"))
        prefix = "，带号前缀 zone-prefixed" if info.get("prefixed") else ""
        click.echo(f"  界址点文件 boundary-coordinate file: {declared}，{info.get('width')}° 分带 zone "
                   f"{info.get('zone')}{prefix}", err=True)
        if info.get("helmert"):
            click.echo(f"  转换参数 Helmert: {info['helmert']}", err=True)
    click.echo(f"  坐标系 CRS: {crs_label(crs_in)} → {crs_label(crs_out)}", err=True)
    if shift:
        click.echo(f"  基准转换 datum shift: {shift}", err=True)
    else:
        click.echo(f"  基准不变 no datum shift ({datum})", err=True)
