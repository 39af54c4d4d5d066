"""``parkgis density``: output density per park/zone/town/district/user polygons against the plan's targets."""

from __future__ import annotations

from pathlib import Path

import click

from gis.cli.common import (
    base_year_option,
    echo_lines,
    echo_notes,
    is_quiet,
    layer_option,
    layers_option,
    parcel_options,
    parcels_argument,
    target_year_option,
    targets_option,
)
from gis.errors import InputError


class UnitParam(click.ParamType):
    """A ``--by`` value: a unit keyword (``park``, ``zone``, ``town``, ``district``) or an existing polygon file."""

    name = "unit"

    def convert(self, value, param, ctx):
        from gis.planning.density import UNIT_TYPES

        if isinstance(value, Path) or value in UNIT_TYPES:
            return value
        if not Path(value).exists():
            raise InputError(f"--by 的值“{value}”既不是 park/zone/town/district，也不是已有文件。",
                             f"--by '{value}' is neither park/zone/town/district nor an existing file.",
                             "请给出单元类型或面图层文件路径。", "Give a unit type or the path of a polygon file.")
        return Path(value)


@click.command("density")
@parcels_argument
@layer_option
@layers_option
@click.option("--by", "by", type=UnitParam(), multiple=True, default=("park",), show_default=True, metavar="UNIT",
              help="统计单元：park、zone、town、district 或面图层文件（可重复）。 "
              "Units: park, zone, town, district or a polygon file (repeatable).")
@click.option("--unit-id-field", default=None, help="单元图层的编号字段。 Id field of a --by FILE layer.")
@click.option("--unit-layer", default=None, help="单元文件中的图层名。 Layer of a multi-layer --by FILE.")
@click.option("--apportion", type=click.Choice(["largest", "share"]), default="largest", show_default=True,
              help="地块计入最大占比单元，或按面积比例分摊。 "
              "Count a parcel to its largest-share unit, or split by share.")
@targets_option
@base_year_option
@target_year_option
@click.option("-o", "--output", "out", required=True, help="输出表 .csv 或 .xlsx。 Output table .csv or .xlsx.")
@click.option("--categories", "categories_out", default=None, metavar="FILE",
              help="1+3+X 产业类别表（.xlsx 输出已含此表）。 "
              "1+3+X category table (already a sheet of an .xlsx output).")
@click.option("--grid", "grid_out", default=None, metavar="OUT.tif",
              help="产出密度栅格（COG GeoTIFF）。 Output-density raster (Cloud-Optimised GeoTIFF).")
@click.option("--cell", "cell_m", type=float, default=250.0, show_default=True,
              help="栅格大小（米）。 Cell size, metres.")
@click.option("--grid-crs", default="EPSG:32651", show_default=True,
              help="栅格坐标系（米制 EPSG）。 Grid CRS (a metric EPSG code).")
@click.option("--zonal", "zonal_raster", default=None, metavar="RASTER",
              help="对该栅格按地块与园区做分区统计。 Zonal statistics of this raster per parcel and park.")
@click.option("--zonal-band", type=int, default=1, show_default=True, help="分区统计的波段。 Band for --zonal.")
@click.option("--zonal-out", default=None, metavar="FILE",
              help="分区统计输出（.csv 时为地块表；默认写入 .xlsx 的工作表）。 "
              "Zonal output (default: sheets of the .xlsx).")
@parcel_options
@click.pass_context
def command(ctx, parcels, layer, layers_src, by, unit_id_field, unit_layer, apportion, targets_src, base_year,
            target_year, out, categories_out, grid_out, cell_m, grid_crs, zonal_raster, zonal_band, zonal_out,
            rules_cfg, id_field, datum, assume_crs, encoding, io_engine):
    """各园区/区域/乡镇的地均产出与规划目标对比（亿元/km²）。

    Output density (亿元/km²) per park, zone, town, district or user polygon,
    with the plan's targets (25 亿元/km², 4.5 %/year, 0.08 tce/万元, park output
    targets, Zhangjiang Chongming park targets), gaps, yes/no, the year each
    target would be reached, and the 1+3+X categories. PARCELS defaults to the
    embedded synthetic sample.
    """
    from gis.classification.parcels import load_classified
    from gis.io.safe_write import check_outputs
    from gis.planning.density_grid import write_density_grid
    from gis.planning.density_tables import (
        density_lines,
        density_tables,
        grid_line,
        write_density_tables,
        zonal_sheets,
    )
    from gis.planning.output_paths import GRID_SUFFIXES, check_output
    from gis.planning.targets import load_targets

    outputs = [out, categories_out, grid_out, zonal_out]
    inputs = [parcels, layers_src, rules_cfg, targets_src, zonal_raster, *(b for b in by if isinstance(b, Path))]
    check_output(out, inputs)  # its format first
    check_outputs(outputs, inputs)  # before the work; again once the layer files are known
    cp = load_classified(parcels, layers_src, layer=layer, rules=rules_cfg, id_field=id_field, datum=datum,
                         assume_crs=assume_crs, encoding=encoding, engine=io_engine, progress=not is_quiet(ctx))
    check_outputs(outputs, inputs + cp.inputs)
    path = check_output(out, cp.inputs)
    targets = load_targets(targets_src, overrides=_plan_overrides(base_year, target_year))
    tables = density_tables(cp, by, targets=targets, apportion=apportion, unit_id_field=unit_id_field,
                            unit_layer=unit_layer, encoding=encoding, engine=io_engine)
    if zonal_raster:
        tables.zonal = zonal_sheets(cp, zonal_raster, path, band=zonal_band, assume_crs=assume_crs,
                                    zonal_out=zonal_out)
    if grid_out:
        grid = write_density_grid(cp.parcels, check_output(grid_out, cp.inputs, GRID_SUFFIXES), cell_m=cell_m,
                                  crs=grid_crs, targets=targets)
        tables.notes += grid["notes"]
        echo_lines([grid_line(grid, grid_out)])
    write_density_tables(tables, path, categories_out=categories_out, inputs=cp.inputs)
    echo_lines(density_lines(tables.density, path))
    echo_notes(tables.notes)


def _plan_overrides(base_year: int | None, target_year: int | None) -> dict | None:
    """``--base-year`` / ``--target-year`` as overrides of the targets' ``[plan]`` table."""
    plan = {k: v for k, v in (("base_year", base_year), ("target_year", target_year)) if v is not None}
    return {"plan": plan} if plan else None
