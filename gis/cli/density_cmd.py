"""``parkgis density``: output density per park/zone/town/district/user polygons against the plan's targets."""

from __future__ import annotations

import warnings
from pathlib import Path

import click
import pandas as pd

from gis.cli.common import layers_option, parcel_options
from gis.errors import InputError, OutputError

# Shared by `parkgis grade`.
parcels_argument = click.argument("parcels", required=False, default=None)
targets_option = click.option(
    "--targets", "targets_src", metavar="TOML", default=None,
    help="目标文件（覆盖默认值 gis/data/targets.toml 中的项）。 Targets TOML merged over the defaults "
    "(gis/data/targets.toml).")
base_year_option = click.option("--base-year", type=int, default=None,
                                help="数据所属年份（覆盖目标文件）。 Year the figures describe (overrides the targets file).")
target_year_option = click.option("--target-year", type=int, default=None,
                                  help="目标年份（覆盖目标文件）。 Target year (overrides the targets file).")


def load_classified(parcels, layer, layers_src, *, rules=None, id_field="parcel_id", datum="wgs84",
                    assume_crs=None, encoding=None, io_engine="pyogrio", quiet=False):
    """(layers, classified, inputs, notes) through :func:`gis.classification.parcels.load_classified`."""
    from gis.classification.parcels import load_classified as _load

    got = _load(parcels, layers_src, layer=layer, rules=rules, id_field=id_field, datum=datum,
                assume_crs=assume_crs, encoding=encoding, engine=io_engine, progress=not quiet)
    return got.layers, got.parcels, got.inputs, got.notes


def check_output(out: str, inputs, suffixes=(".csv", ".xlsx")) -> Path:
    p = Path(out)
    if p.suffix.lower() not in suffixes:
        raise OutputError(f"输出格式须为 {'/'.join(suffixes)}（现为 {p.name}）。",
                          f"The output must be {'/'.join(suffixes)} ({p.name}).")
    for i in inputs:
        if i and Path(str(i)).exists() and Path(str(i)).resolve() == p.resolve():
            raise OutputError(f"输出 {p} 会覆盖输入文件。", f"Output {p} would overwrite an input.",
                              "请换一个输出文件名。", "Choose another output name.")
    return p


def _overrides(base_year, target_year) -> dict | None:
    plan = {k: v for k, v in (("base_year", base_year), ("target_year", target_year)) if v is not None}
    return {"plan": plan} if plan else None


def echo_notes(notes) -> None:
    for n in dict.fromkeys(notes):
        click.echo(f"注意 Note: {n}", err=True)


@click.command("density")
@parcels_argument
@click.option("--layer", default=None, help="输入文件中的图层名。 Layer of a multi-layer input.")
@layers_option
@click.option("--by", "by", multiple=True, default=("park",), show_default=True, metavar="UNIT",
              help="统计单元：park、zone、town、district 或面图层文件（可重复）。 "
              "Units: park, zone, town, district or a polygon file (repeatable).")
@click.option("--unit-id-field", default=None, help="单元图层的编号字段。 Id field of a --by FILE layer.")
@click.option("--unit-layer", default=None, help="单元文件中的图层名。 Layer of a multi-layer --by FILE.")
@click.option("--apportion", type=click.Choice(["largest", "share"]), default="largest", show_default=True,
              help="地块计入最大占比单元，或按面积比例分摊。 Count a parcel to its largest-share unit, or split by share.")
@targets_option
@base_year_option
@target_year_option
@click.option("-o", "--output", "out", required=True, help="输出表 .csv 或 .xlsx。 Output table .csv or .xlsx.")
@click.option("--categories", "categories_out", default=None, metavar="FILE",
              help="1+3+X 产业类别表（.xlsx 输出已含此表）。 1+3+X category table (already a sheet of an .xlsx output).")
@click.option("--grid", "grid_out", default=None, metavar="OUT.tif",
              help="产出密度栅格（COG GeoTIFF）。 Output-density raster (Cloud-Optimised GeoTIFF).")
@click.option("--cell", "cell_m", type=float, default=250.0, show_default=True, help="栅格大小（米）。 Cell size, metres.")
@click.option("--grid-crs", default="EPSG:32651", show_default=True,
              help="栅格坐标系（米制 EPSG）。 Grid CRS (a metric EPSG code).")
@click.option("--zonal", "zonal_raster", default=None, metavar="RASTER",
              help="对该栅格按地块与园区做分区统计。 Zonal statistics of this raster per parcel and park.")
@click.option("--zonal-band", type=int, default=1, show_default=True, help="分区统计的波段。 Band for --zonal.")
@click.option("--zonal-out", default=None, metavar="FILE",
              help="分区统计输出（.csv 时为地块表；默认写入 .xlsx 的工作表）。 Zonal output (default: sheets of the .xlsx).")
@parcel_options
@click.pass_context
def command(ctx, parcels, layer, layers_src, by, unit_id_field, unit_layer, apportion, targets_src, base_year, target_year, out,
            categories_out, grid_out, cell_m, grid_crs, zonal_raster, zonal_band, zonal_out, rules_cfg, id_field,
            datum, assume_crs, encoding, io_engine):
    """各园区/区域/乡镇的地均产出与规划目标对比（亿元/km²）。

    Output density (亿元/km²) per park, zone, town, district or user polygon,
    with the plan's targets (25 亿元/km², 4.5 %/year, 0.08 tce/万元, park output
    targets, Zhangjiang Chongming park targets), gaps, yes/no, the year each
    target would be reached, and the 1+3+X categories. PARCELS defaults to the
    embedded synthetic sample.
    """
    from gis.planning.density import CATEGORY_HEADERS, DENSITY_HEADERS, categories, density
    from gis.io.tables import write_table, write_tables
    from gis.planning.targets import load_targets

    quiet = (ctx.find_root().obj or {}).get("quiet", False)
    ls, result, inputs, notes = load_classified(parcels, layer, layers_src, rules=rules_cfg, id_field=id_field,
                                                datum=datum, assume_crs=assume_crs, encoding=encoding,
                                                io_engine=io_engine, quiet=quiet)
    p = check_output(out, inputs)
    t = load_targets(targets_src, overrides=_overrides(base_year, target_year))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the same messages are in the notes, printed below
        parts = []
        for b in by:
            if b in ("park", "zone", "town", "district"):
                parts.append(density(result, ls, by=b, targets=t, apportion=apportion))
            else:
                units, name = _user_layer(b, unit_layer, encoding, io_engine)
                parts.append(density(result, ls, by=units, targets=t, apportion=apportion,
                                     unit_id_field=unit_id_field, unit_type=name))
        table = pd.concat(parts, ignore_index=True)
        table.attrs["notes"] = [n for part in parts for n in part.attrs.get("notes", [])]
        cats = categories(result, t, apportion=apportion)
    notes += table.attrs.get("notes", []) + cats.attrs.get("notes", []) + ls.notes
    sheets = {"density 地均产出": (table, DENSITY_HEADERS), "1+3+X 产业类别": (cats, CATEGORY_HEADERS)}
    if zonal_raster:
        sheets.update(_zonal(result, ls, zonal_raster, zonal_band, zonal_out, p, assume_crs))
    if grid_out:
        from gis.planning.density_grid import write_density_grid

        check_output(grid_out, inputs, suffixes=(".tif", ".tiff"))
        g = write_density_grid(result, grid_out, cell_m=cell_m, crs=grid_crs, targets=t)
        notes += g["notes"]
        click.echo(f"密度栅格 grid → {grid_out}（{cell_m:g} m, {g['crs'].to_string()}；栅格合计 {g['grid_output_yi']:.3f} "
                   f"亿元 / 地块合计 {g['total_output_yi']:.3f} 亿元 grid sum vs parcels' total）", err=True)
    if p.suffix.lower() == ".xlsx":
        write_tables(sheets, p, notes=list(dict.fromkeys(notes)),
                     titles={"density 地均产出": "地均产出与规划目标 Output density and the plan's targets"})
    else:
        write_table(table, p)
    if categories_out:
        write_table(cats, check_output(categories_out, inputs), sheet="categories", headers=CATEGORY_HEADERS,
                    notes=notes)
    _report(table, p)
    echo_notes(notes)


def _user_layer(path: str, layer, encoding, io_engine):
    """Read a --by FILE polygon layer; its rows' unit_type is the layer's (or file's) name."""
    from gis.io.vector import read_vector

    if not Path(path).exists():
        raise InputError(f"--by 的值“{path}”既不是 park/zone/town/district，也不是已有文件。",
                         f"--by '{path}' is neither park/zone/town/district nor an existing file.",
                         "请给出单元类型或面图层文件路径。", "Give a unit type or the path of a polygon file.")
    return read_vector(path, layer=layer, encoding=encoding, engine=io_engine), layer or Path(path).stem


def _zonal(result, ls, raster, band, zonal_out, out_path, assume_crs) -> dict:
    from gis.planning.density_grid import zonal_stats
    from gis.io.tables import write_table

    per_parcel = zonal_stats(raster, result, id_field="parcel_id", band=band, assume_crs=assume_crs)
    per_park = zonal_stats(raster, ls.parks, id_field="park_id", band=band, assume_crs=assume_crs)
    if zonal_out:
        zp = Path(zonal_out)
        if zp.suffix.lower() == ".xlsx":
            from gis.io.tables import write_tables

            write_tables({"parcels 地块": (per_parcel, None), "parks 园区": (per_park, None)}, zp)
        else:
            write_table(per_parcel, check_output(zonal_out, [raster]))
        return {}
    if out_path.suffix.lower() != ".xlsx":
        raise OutputError("CSV 输出时请用 --zonal-out 指定分区统计文件。",
                          "With a CSV output, name the zonal statistics file with --zonal-out.")
    return {"zonal parcels 地块分区统计": (per_parcel, None), "zonal parks 园区分区统计": (per_park, None)}


def _report(table, p: Path) -> None:
    click.echo(f"地均产出表 density table → {p}（{len(table)} 个单元 units）", err=True)
    for _, r in table.iterrows():
        d, t = r["density_yi_per_km2"], r["target_yi_per_km2"]
        dens = f"{d:8.2f}" if pd.notna(d) else "       —"
        ok = r["meets_target"]
        verdict = "—" if ok is None or ok is pd.NA else ("达标 yes" if bool(ok) else "未达标 no")
        tgt = f" / 目标 target {t:g}: {verdict}" if pd.notna(t) else ""
        name = r["name_zh"] if isinstance(r["name_zh"], str) else ""
        click.echo(f"  {r['unit_type']:>8} {r['unit_id']!s:<22} {name:<16} "
                   f"{dens} 亿元/km²{tgt}", err=True)
