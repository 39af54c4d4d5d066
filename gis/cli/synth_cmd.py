"""``parkgis synth``: write synthetic industrial parcels for demos, tests and benchmarks."""

from __future__ import annotations

import click

from gis.cli.common import echo_lines, layers_option


@click.command("synth")
@click.option("--n", "n", type=click.IntRange(min=0), required=True,
              help="地块数。 Number of parcels.")
@click.option("--seed", type=int, default=0, show_default=True,
              help="随机种子：相同种子与图层得到相同地块。 "
              "Random seed: the same seed and layers give the same parcels.")
@layers_option
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False),
              help="输出文件（.gpkg、.geojson、.shp、.parquet…）。 Output file (.gpkg, .geojson, .shp, .parquet…).")
def command(n, seed, layers_src, output):
    """生成合成工业地块（非真实数据，synthetic = True）。

    \b
    地块为 40–300 米的近似矩形，集中于园区和镇区边缘，部分散布于农村，均在区界内；
    属性含企业名称、行业代码（GB/T 4754）、产值、营收、增加值、税收、研发投入（万元）、
    能耗（吨标煤）、从业人员、高新技术企业标志和用地性质。同一种子结果相同。

    Generate synthetic industrial parcels (not real data; synthetic = True):
    box-ish parcels of 40–300 m clustered in the parks and at the towns' edges
    with a countryside share, all inside the district, with the DESIGN §5
    attributes (money in 万元). Deterministic for a seed.
    """
    from gis.synth.parcels import write_synth_parcels

    gdf = write_synth_parcels(n, output, layers_src, seed=seed)
    echo_lines([f"已写出 {len(gdf)} 个合成地块 / wrote {len(gdf)} synthetic parcels: {output}"])
