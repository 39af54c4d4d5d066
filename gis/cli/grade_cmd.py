"""``parkgis grade``: land-efficiency grading (亩均效益评价) of enterprise parcels, A/B/C/D."""

from __future__ import annotations

import click

from gis.cli.common import (
    echo_lines,
    echo_notes,
    is_quiet,
    layer_option,
    layers_option,
    parcel_options,
    parcels_argument,
    targets_option,
)


@click.command("grade")
@parcels_argument
@layer_option
@layers_option
@targets_option
@click.option("-o", "--output", "out", required=True,
              help="地块等级表 .csv 或 .xlsx（.xlsx 含汇总与提质增效候选）。 Parcel grades .csv or .xlsx "
              "(an .xlsx also holds the summary and the upgrade candidates).")
@click.option("--summary", "summary_out", default=None, metavar="FILE",
              help="按园区、区域汇总的等级表 .csv/.xlsx。 Grade summary per park and zone, .csv/.xlsx.")
@click.option("--parcels-out", default=None, metavar="FILE",
              help="带等级的地块矢量文件（.gpkg 等，供制图）。 Graded parcels as a vector file (.gpkg…, for maps).")
@parcel_options
@click.pass_context
def command(ctx, parcels, layer, layers_src, targets_src, out, summary_out, parcels_out, rules_cfg, id_field, datum,
            assume_crs, encoding, io_engine):
    """亩均效益评价：按亩均产出、亩均税收、单位能耗增加值给企业地块评 A/B/C/D 级。

    Land-efficiency grading (亩均效益评价): output and tax per 亩 and value added
    per tce, a weighted score and classes A/B/C/D (weights and limits in the
    targets TOML); the summary per park and zone; low-grade parcels in parks are
    flagged as upgrade candidates. PARCELS defaults to the embedded synthetic sample.
    """
    from gis.classification.parcels import load_classified
    from gis.io.safe_write import check_outputs
    from gis.io.vector import check_vector_output
    from gis.planning.grading_tables import (
        grading_lines,
        grading_tables,
        write_grading_tables,
    )
    from gis.planning.output_paths import check_output

    outputs, inputs = [out, summary_out, parcels_out], [parcels, layers_src, rules_cfg, targets_src]
    check_output(out, inputs)  # its format first
    check_outputs(outputs, inputs)  # before the work; again once the layer files are known
    if parcels_out:
        check_vector_output(parcels_out)
    cp = load_classified(parcels, layers_src, layer=layer, rules=rules_cfg, id_field=id_field, datum=datum,
                         assume_crs=assume_crs, encoding=encoding, engine=io_engine, progress=not is_quiet(ctx))
    check_outputs(outputs, inputs + cp.inputs)
    path = check_output(out, cp.inputs)
    tables = grading_tables(cp, targets_src)
    write_grading_tables(tables, path, summary_out=summary_out, parcels_out=parcels_out, inputs=cp.inputs,
                         engine=io_engine)
    echo_lines(grading_lines(tables, path, summary_out))
    echo_notes(tables.notes)
