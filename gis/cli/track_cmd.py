"""``parkgis track``: plan monitoring across yearly snapshots (DESIGN §4c)."""

from __future__ import annotations

import click

from gis.cli.common import layer_option, layers_option, parcel_options


@click.command("track")
@click.argument("snapshots", nargs=-1, required=True, metavar="SNAPSHOT...")
@click.option("--year", "years", type=int, multiple=True, metavar="Y",
              help="各快照的年份，按文件顺序每个文件一个（优先于 year 字段与文件名）。 "
              "The year of each snapshot, one per file in file order (before a year column and the file name).")
@layer_option
@layers_option
@click.option("--by", "by", multiple=True, default=("park",), show_default=True, metavar="UNIT",
              help="统计单元：park、zone、town、district、category（1+3+X）或面图层文件（可重复）。 "
              "Units: park, zone, town, district, category (1+3+X) or a polygon file (repeatable).")
@click.option("--unit-id-field", default=None, help="单元图层的编号字段。 Id field of a --by FILE layer.")
@click.option("--targets", "targets_src", metavar="TOML", default=None,
              help="目标文件（覆盖默认值中的项）。 Targets TOML merged over the defaults.")
@click.option("--baseline-year", type=int, default=None,
              help="基准年（默认最早的快照年份）。 Baseline year (default: the earliest snapshot).")
@click.option("-o", "--output", "out", required=True, metavar="track.xlsx",
              help="输出工作簿 .xlsx：单元指标、减量化台账、198 新增、变化清单。 "
              "Output workbook: unit table, reduction ledger, new 198 land, changes.")
@click.option("--changes", "changes_out", default=None, metavar="changes.gpkg",
              help="变化地块 GeoPackage（供 QGIS）。 GeoPackage of the changed parcels (for QGIS).")
@click.option("--charts", "charts_dir", default=None, metavar="DIR",
              help="图表 PNG 输出文件夹（各园区地均产出与路径、减量化台账）。 "
              "Folder for the PNG charts (each park against its path, the ledger).")
@parcel_options
@click.pass_context
def command(ctx, snapshots, years, layer, layers_src, by, unit_id_field, targets_src, baseline_year, out,
            changes_out, charts_dir, rules_cfg, id_field, datum, assume_crs, encoding, io_engine):
    """规划实施跟踪监测：逐年快照对照规划目标与减量化台账。

    \b
    SNAPSHOT 为各年份的地块文件（原始或已分类）或包含它们的文件夹，年份依次取自 --year、year 字段或文件名中的四位年份。
    地块按 parcel_id 逐一匹配：新增、移除、形状变化（超过面积 1%）、处置方向变化。
    输出：各单元逐年地均产出与目标路径（规划年增长 4.5%，封顶 2025 年 25 亿元/km²）、
    198 区域减量化台账（按乡镇与全区）、198 区域新增工业用地清单、变化清单。

    Plan monitoring across years: SNAPSHOT files are one year's parcels each
    (raw or classified), or a folder of them; the year comes from --year, a
    year column or a 4-digit year in the file name. Parcels are matched by parcel_id (added, removed,
    reshaped by more than 1 % of their area, action changed). Writes each unit's
    density per year against the plan's path (4.5 %/year from the baseline, capped
    at the 2025 target of 25 亿元/km²), the reduction ledger of 198 land per town
    and in total, the new 198 land parcel by parcel, and the change list.
    """
    from gis.io.safe_write import check_output_folder, check_outputs
    from gis.planning.snapshots import snapshot_files
    from gis.planning.tracking import track
    from gis.planning.tracking_output import (
        summary_lines,
        write_changes_gpkg,
        write_track_workbook,
    )

    quiet = (ctx.find_root().obj or {}).get("quiet", False)
    snapshots = list(snapshots) if years else snapshot_files(snapshots)  # a folder gives its files
    inputs = [*snapshots, layers_src, rules_cfg, targets_src]
    check_outputs([out, changes_out], inputs)
    if charts_dir:
        check_output_folder(charts_dir, inputs)
    say = (lambda m: None) if quiet else (lambda m: click.echo(m, err=True))
    say(f"读取并匹配 {len(snapshots)} 个快照文件 reading and matching {len(snapshots)} snapshot files …")
    result = track(snapshots, layers_src, list(by), targets_src, years=list(years) if years else None,
                   baseline_year=baseline_year, unit_id_field=unit_id_field, layer=layer, rules=rules_cfg,
                   id_field=id_field, datum=datum, assume_crs=assume_crs, encoding=encoding, engine=io_engine,
                   progress=not quiet)
    for p in write_track_workbook(result, out, inputs=inputs):
        say(f"已写出 written: {p}")
    if changes_out:
        say(f"已写出 written: {write_changes_gpkg(result, changes_out, inputs=inputs)}")
    if charts_dir:
        from gis.report.tracking_charts import write_tracking_charts

        written = write_tracking_charts(result, charts_dir)
        say(f"已写出 written: {len(written)} 幅图表 charts → {charts_dir}")
    for line in summary_lines(result):
        click.echo(line)
    for n in result.notes:
        say(f"注意 Note: {n}")
