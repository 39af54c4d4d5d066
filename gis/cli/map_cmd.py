"""``parkgis map``: an offline web map (HTML) or print maps (PNG/PDF)."""

from __future__ import annotations

from pathlib import Path

import click

from gis.cli.common import layers_option, parcel_options


@click.command("map")
@click.argument("parcels", required=False)
@click.option("-o", "--output", "out", required=True,
              help="输出：.html 网页地图；与 --static 一起时为输出文件夹。 "
              "Output: an .html web map, or a folder with --static.")
@layers_option
@click.option("--layer", default=None, help="输入文件中的图层名。 Layer of a multi-layer input.")
@click.option("--mode", type=click.Choice(["action", "density"]), default="action", show_default=True,
              help="按处置方向着色地块，或按园区/乡镇显示产出密度。 "
              "Colour parcels by action, or show output density per park/town.")
@click.option("--density-by", type=click.Choice(["park", "town"]), default="park", show_default=True,
              help="产出密度的统计单元。 Unit of the density map.")
@click.option("--tiles", type=click.Choice(["none", "osm", "tianditu", "gaode"]), default="none", show_default=True,
              help="底图：none 为无底图（完全离线）；gaode 为 GCJ-02，矢量会随之偏移。 "
              "Base map: none = plain background, fully offline; gaode is GCJ-02 (vectors are shifted to match).")
@click.option("--tianditu-key", envvar="PARKGIS_TIANDITU_KEY", default=None, metavar="KEY",
              help="天地图密钥（或环境变量 PARKGIS_TIANDITU_KEY）。 Tianditu key (or $PARKGIS_TIANDITU_KEY).")
@click.option("--title", default=None, help="地图标题。 Map title.")
@click.option("--static", is_flag=True,
              help="输出 PNG/PDF 打印地图（全区总图 + 每个园区一张）。 "
              "Write print maps (district overview + one per park) as PNG/PDF.")
@click.option("--format", "formats", type=click.Choice(["png", "pdf", "svg"]), multiple=True,
              help="--static 的格式（可重复，默认 png 与 pdf）。 "
              "Formats for --static (repeatable; default png and pdf).")
@click.option("--dpi", type=click.IntRange(50, 1200), default=300, show_default=True,
              help="PNG 分辨率。 PNG resolution (dots per inch).")
@click.option("--projects", metavar="FILE", default=None,
              help="项目表（CSV 含经纬度或 WKT 列，或矢量文件）：检查后按结论画在打印地图上。 "
              "Projects to check (CSV with lon/lat or WKT columns, or a vector file), drawn by verdict on the "
              "print maps.")
@click.option("--online", is_flag=True,
              help="不内嵌 JS/CSS（文件更小，但需联网打开）。 "
              "Do not inline JS/CSS (smaller file; needs internet to open).")
@parcel_options
def command(parcels, out, layers_src, layer, mode, density_by, tiles, tianditu_key, title, static, formats, dpi,
            projects, online, rules_cfg, id_field, datum, assume_crs, encoding, io_engine):
    """绘制地图：离线网页地图（HTML）或打印地图（PNG/PDF）。

    Draw maps: an offline web map (one HTML file, opens with no internet) or,
    with --static, print maps. The parcels are drawn by action: PARCELS (default:
    the embedded synthetic sample) are classified first unless the file is
    already a classification result.
    """
    from gis.classification.parcels import load_classified
    from gis.layers.layerset import load_layers

    layers = load_layers(layers_src)
    loaded = load_classified(parcels, layers, layer=layer, rules=rules_cfg, id_field=id_field, datum=datum,
                             assume_crs=assume_crs, encoding=encoding, engine=io_engine, to_wgs84=True)
    classified = loaded.parcels
    if parcels is None:
        click.echo(f"注意 Note: {loaded.notes[0]}", err=True)
    from gis.maps.map_inputs import map_density

    density = map_density(classified, layers, mode=mode, density_by=density_by, static=static)

    if static:
        from gis.maps.map_inputs import checked_sites
        from gis.maps.printed.park_maps import park_maps

        sites = checked_sites(projects, layers, rules=rules_cfg, datum=datum) if projects else None
        files = park_maps(layers, classified, out, formats=tuple(formats) or ("png", "pdf"), dpi=dpi,
                          density=density, sites=sites)
        click.echo(f"已写出 {len(files)} 个地图文件 → {out} / {len(files)} map files written → {out}", err=True)
        return

    from gis.maps import make_map, save_map

    m = make_map(layers, classified, density, mode=mode, density_by=density_by, tiles=tiles,
                 tianditu_key=tianditu_key, title=title)
    path = save_map(m, out, offline=not online)
    size_mb = Path(path).stat().st_size / 1e6
    click.echo(f"网页地图 → {path}（{size_mb:.1f} MB，{'离线' if not online else '需联网'}） / "
               f"web map → {path} ({size_mb:.1f} MB, {'offline' if not online else 'online'})", err=True)
    if tiles != "none":
        click.echo("注意：底图瓦片需联网加载；矢量图层离线可用。 "
                   "Note: base-map tiles need the network; the vector layers work offline.", err=True)
