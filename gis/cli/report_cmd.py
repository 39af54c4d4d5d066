"""``parkgis report``: the planner's report (HTML, PDF, Excel, GeoPackage, maps) in one folder."""

from __future__ import annotations

import click

from gis.cli.common import layer_option, layers_option, parcel_options
from gis.geodesy.datums import DATUMS


@click.command("report")
@click.argument("parcels", required=False, default=None)
@click.option("-o", "--output", "out", default="report", show_default=True,
              help="输出文件夹。 Output folder.")
@layer_option
@layers_option
@click.option("--projects", metavar="FILE", default=None,
              help="选址检查的项目表（CSV 含经纬度或 WKT 列，或任意矢量文件）。 "
              "Projects to check (CSV with lon/lat or WKT columns, or any vector file).")
@click.option("--targets", "targets_src", metavar="TOML", default=None,
              help="目标文件（覆盖默认值中的项）。 Targets TOML merged over the defaults.")
@click.option("--projects-datum", type=click.Choice(DATUMS, case_sensitive=False), default=None,
              help="项目坐标的基准（默认同 --datum）。 Datum of the projects' coordinates (default: --datum).")
@click.option("--snapshots", "snapshots", multiple=True, metavar="FILE|DIR",
              help="逐年地块快照（文件或文件夹，可重复）：加入“跟踪监测”一章。 "
              "Yearly parcel snapshots (files or a folder, repeatable): adds the monitoring chapter.")
@click.option("--snapshot-year", "snapshot_years", type=int, multiple=True, metavar="Y",
              help="各快照的年份（按顺序，每个文件一个）。 The year of each snapshot, one per file, in order.")
@click.option("--no-pdf", is_flag=True, help="不生成 PDF。 Skip report.pdf.")
@click.option("--no-static-maps", is_flag=True, help="不绘制静态地图（更快）。 Skip the static PNG/PDF maps (faster).")
@click.option("--dpi", type=click.IntRange(50, 600), default=150, show_default=True,
              help="静态地图 PNG 分辨率。 Resolution of the static map PNGs.")
@parcel_options
@click.pass_context
def command(ctx, parcels, out, layer, layers_src, projects, targets_src, projects_datum, snapshots, snapshot_years,
            no_pdf, no_static_maps, dpi, rules_cfg, id_field, datum, assume_crs, encoding, io_engine):
    """生成规划报告：HTML（离线）、PDF（A4）、Excel 表格、分类地块与地图。

    Write the planner's report into one folder: report.html (self-contained,
    offline, bilingual), report.pdf (A4), tables.xlsx (every table), parcels.gpkg
    (the classified parcels), map.html and maps/ (static park maps). PARCELS
    defaults to the embedded synthetic sample. --rules applies to the
    classification and the siting checks; --datum to the parcels and, unless
    --projects-datum is given, to the projects.
    """
    from gis.report import report, summary_lines

    quiet = (ctx.find_root().obj or {}).get("quiet", False)
    echo = (lambda m: None) if quiet else (lambda m: click.echo(m, err=True))
    result = report(parcels, out, layers=layers_src, projects=projects, rules=rules_cfg, targets=targets_src,
                    layer=layer, id_field=id_field, datum=datum.lower(),
                    projects_datum=projects_datum.lower() if projects_datum else None, assume_crs=assume_crs,
                    encoding=encoding, engine=io_engine, pdf=not no_pdf, static_maps=not no_static_maps, dpi=dpi,
                    echo=echo, progress=not quiet, snapshots=list(snapshots) or None,
                    snapshot_years=list(snapshot_years) or None)
    for line in summary_lines(result):
        click.echo(line)
