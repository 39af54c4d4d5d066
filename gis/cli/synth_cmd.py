"""``parkgis synth``: write synthetic industrial parcels for demos, tests and benchmarks."""

from __future__ import annotations

import click

from gis.cli.common import echo_lines, layers_option


@click.command("synth")
@click.option("--n", "n", type=click.IntRange(min=0), default=None,
              help="地块数（--years 时可省略：默认用内置样例地块作为首年）。 "
              "Number of parcels (with --years, optional: the first year is then the embedded sample).")
@click.option("--years", "years", default=None, metavar="2020-2025",
              help="逐年快照的年份（如 2020-2025 或 2020,2022,2025）：-o 为文件夹，每年写一个 parcels_<年>.gpkg。 "
              "Years of yearly snapshots (e.g. 2020-2025): -o is then a folder of parcels_<year>.gpkg files.")
@click.option("--seed", type=int, default=0, show_default=True,
              help="随机种子：相同种子与图层得到相同地块。 "
              "Random seed: the same seed and layers give the same parcels.")
@layers_option
@click.option("-o", "--output", "output", required=True, type=click.Path(),
              help="输出文件（.gpkg、.geojson、.shp、.parquet…），--years 时为文件夹。 "
              "Output file (.gpkg, .geojson, .shp, .parquet…); a folder with --years.")
def command(n, years, seed, layers_src, output):
    """生成合成工业地块（非真实数据，synthetic = True）。

    \b
    地块为 40–300 米的近似矩形，集中于园区和镇区边缘，部分散布于农村，均在区界内；
    属性含企业名称、行业代码（GB/T 4754）、产值、营收、增加值、税收、研发投入（万元）、
    能耗（吨标煤）、从业人员、高新技术企业标志和用地性质。同一种子结果相同。
    --years 2020-2025 写出逐年快照（已分类，供 parkgis track）：园区产值按约 4.5%/年增长，
    198 区域逐年减量，并有少量 198 区域新增地块（与规划不符）。

    Generate synthetic industrial parcels (not real data; synthetic = True):
    box-ish parcels of 40–300 m clustered in the parks and at the towns' edges
    with a countryside share, all inside the district, with the usual parcel
    attributes (money in 万元). Deterministic for a seed. With --years, write
    classified yearly snapshots for `parkgis track`: park output growing near
    the plan's 4.5 %/year, 198 land reduced year by year, a few new 198 parcels
    against the plan.
    """
    from gis.errors import InputError

    if n is None and years is None:
        raise InputError("请用 --n 给出地块数，或用 --years 生成逐年快照。",
                         "Give the number of parcels with --n, or yearly snapshots with --years.")
    if years is None:
        from gis.synth.parcels import write_synth_parcels

        gdf = write_synth_parcels(n, output, layers_src, seed=seed)
        echo_lines([f"已写出 {len(gdf)} 个合成地块 / wrote {len(gdf)} synthetic parcels: {output}"])
        return
    from gis.synth.snapshots import write_synthetic_snapshots

    paths = write_synthetic_snapshots(years, output, layers_src, n=n, seed=seed)
    echo_lines([f"已写出合成快照 / wrote synthetic snapshot: {p}" for p in paths])
