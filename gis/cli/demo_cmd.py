"""``parkgis demo``: the whole chain on the embedded Chongming layers."""

from __future__ import annotations

import click


@click.command("demo")
@click.option("-o", "--output", "out", default="out", show_default=True,
              help="输出文件夹。 Output folder.")
@click.option("--no-pdf", is_flag=True, help="不生成 PDF。 Skip report.pdf.")
@click.pass_context
def command(ctx, out, no_pdf):
    """在内置崇明图层上运行完整流程：分类、密度、评价、选址、地图、报告。

    Run the whole chain on the embedded Chongming layers and synthetic sample
    parcels: classify, output density against the targets, land-efficiency
    grades, five sample siting checks, the monitoring of six synthetic yearly
    snapshots (2020–2025) against the plan's path with the reduction ledger,
    interactive and static maps, and the report (HTML, PDF, Excel), into one folder.
    """
    from gis.report import summary_lines
    from gis.report.demo import run_demo

    quiet = (ctx.find_root().obj or {}).get("quiet", False)
    echo = (lambda m: None) if quiet else (lambda m: click.echo(m, err=True))
    result = run_demo(out, echo=echo, pdf=not no_pdf, progress=not quiet)
    lines = summary_lines(result)
    lines.insert(1, f"  样例项目 sample projects (CSV): {result.files['projects']}")
    for line in lines:
        click.echo(line)
