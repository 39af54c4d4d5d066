"""``parkgis grade``: land-efficiency grading (亩均效益评价) of enterprise parcels, A/B/C/D."""

from __future__ import annotations

import warnings
from pathlib import Path

import click

from gis.cli.density_cmd import (
    check_output,
    echo_notes,
    load_classified,
    parcels_argument,
    targets_option,
)
from gis.cli.common import layers_option, parcel_options


@click.command("grade")
@parcels_argument
@click.option("--layer", default=None, help="输入文件中的图层名。 Layer of a multi-layer input.")
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
    from gis.planning.grading import GRADE_HEADERS, grade, grade_summary
    from gis.io.tables import write_table, write_tables
    from gis.planning.targets import load_targets

    quiet = (ctx.find_root().obj or {}).get("quiet", False)
    ls, result, inputs, notes = load_classified(parcels, layer, layers_src, rules=rules_cfg, id_field=id_field,
                                                datum=datum, assume_crs=assume_crs, encoding=encoding,
                                                io_engine=io_engine, quiet=quiet)
    p = check_output(out, inputs)
    t = load_targets(targets_src)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the same messages are in the notes, printed below
        graded = grade(result, t)
    summary = grade_summary(graded, ls, targets=t)
    notes += graded.attrs.get("notes", [])
    table = graded.drop(columns="geometry", errors="ignore")
    cands = table[table["upgrade_candidate"]]
    if p.suffix.lower() == ".xlsx":
        write_tables({"grades 地块等级": (table, GRADE_HEADERS), "summary 汇总": (summary, GRADE_HEADERS),
                      "upgrade 提质增效候选": (cands, GRADE_HEADERS)}, p, notes=list(dict.fromkeys(notes)),
                     titles={"grades 地块等级": "亩均效益评价 Land-efficiency grading"})
    else:
        write_table(table, p)
    if summary_out:
        write_table(summary, check_output(summary_out, inputs), sheet="summary", headers=GRADE_HEADERS, notes=notes)
    if parcels_out:
        from gis.io.vector import write_vector

        write_vector(graded.set_geometry("geometry"), parcels_out, inputs=inputs, engine=io_engine)
    counts = table["grade"].value_counts().reindex(list("ABCD"), fill_value=0)
    click.echo(f"亩均评价 grading → {p}: " + ", ".join(f"{g} {n}" for g, n in counts.items())
               + f"; 未参评 not graded {int(table['grade'].isna().sum())}", err=True)
    click.echo(f"  园区内提质增效候选 upgrade candidates in parks: {len(cands)}", err=True)
    if summary_out:
        click.echo(f"汇总 summary → {Path(summary_out)}", err=True)
    echo_notes(notes)
