"""``parkgis demo``: the whole chain on the embedded Chongming layers."""

from __future__ import annotations

import click

from gis.demo import run_demo


@click.command("demo")
@click.option("-o", "--output", "out", default="out", show_default=True,
              help="输出文件夹。 Output folder.")
def command(out):
    """在内置崇明图层上运行完整流程（分类、密度、地图、报告）。

    Run the whole chain on the embedded Chongming layers: classify, density,
    maps and report, into one folder.
    """
    written = run_demo(out, echo=lambda m: click.echo(m, err=True))
    click.echo("已写出 Written:", err=True)
    for name, path in written.items():
        click.echo(f"  {name:<12} {path}", err=True)
