"""``parkgis site-check``: check a proposed project's site, or a table of projects."""

from __future__ import annotations

import time

import click

from gis.cli.common import (
    LONLAT,
    assume_crs_option,
    datum_option,
    encoding_option,
    layers_option,
)
from gis.errors import InputError, ParkgisError

_SINGLE_ONLY = ("industry", "land_m2", "output_wan", "value_added_wan", "energy_tce", "investment_wan", "name",
                "facility", "radius_m", "as_json", "report_dir")
_ATTRIBUTES = ("industry", "land_m2", "output_wan", "value_added_wan", "energy_tce", "investment_wan", "name",
               "facility", "radius_m")
_FLAG = {"industry": "--industry", "land_m2": "--land-m2", "output_wan": "--output-wan",
         "value_added_wan": "--value-added-wan", "energy_tce": "--energy-tce", "investment_wan": "--investment-wan",
         "name": "--name", "facility": "--facility", "radius_m": "--radius-m", "as_json": "--json",
         "report_dir": "--report"}


@click.command("site-check")
@click.option("--lonlat", type=LONLAT, metavar="LON,LAT", default=None,
              help="场地中心点经纬度（十进制度）。 The site as a point: longitude,latitude in decimal degrees.")
@click.option("--radius-m", type=float, default=None, metavar="M",
              help="以该半径（米）把点扩为圆形场地。 Make the point a circle of this radius, metres.")
@click.option("--wkt", default=None, help="场地几何 WKT（默认经纬度）。 The site as WKT (lon/lat unless --assume-crs).")
@click.option("--site", "site_file", default=None, metavar="FILE",
              help="场地文件（任意矢量格式或界址点坐标 TXT；多个要素合为一个场地）。 "
                   "The site as a vector file or boundary-coordinate TXT (features merged into one site).")
@click.option("--layer", default=None, help="场地/项目文件中的图层名。 Layer of a multi-layer site or projects file.")
@datum_option
@assume_crs_option
@encoding_option
@layers_option
@click.option("--rules", "rules_cfg", metavar="CONFIG", default=None,
              help="规则配置 TOML（覆盖默认）。 Rule configuration TOML applied over the defaults.")
@click.option("--industry", default=None, metavar="CODE",
              help="项目行业代码（GB/T 4754-2017，如 3731）。 The project's GB/T 4754-2017 industry code.")
@click.option("--land-m2", type=float, default=None,
              help="项目用地面积（平方米；只用于产出强度，不改变场地几何）。 "
                   "Project land area, m² (density check only; never changes the geometry).")
@click.option("--output-wan", type=float, default=None, help="计划年产值（万元）。 Planned annual output, 万元.")
@click.option("--value-added-wan", type=float, default=None,
              help="计划年增加值（万元）。 Planned annual value added, 万元.")
@click.option("--energy-tce", type=float, default=None,
              help="计划年综合能耗（吨标准煤）。 Planned annual energy use, tce.")
@click.option("--investment-wan", type=float, default=None, help="计划投资（万元）。 Planned investment, 万元.")
@click.option("--name", default=None, help="项目名称。 Project name.")
@click.option("--facility", default=None, metavar="TYPE",
              help="设施类型，如 tailings_pond（尾矿库）。 Facility type, e.g. tailings_pond.")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（结论、各项检查及依据）。 "
              "Print the result as JSON (verdict, each check and its basis).")
@click.option("--report", "report_dir", default=None, metavar="DIR",
              help="在 DIR 写出 site.html 与 site.png。 Write site.html and site.png into DIR.")
@click.option("--projects", "projects_file", default=None, metavar="FILE",
              help="批量检查：项目表（CSV 含 lon/lat 或 wkt 列，或矢量文件）。 "
                   "Batch: a table of projects (CSV with lon/lat or wkt columns, or a vector file).")
@click.option("-o", "--output", "out", default=None, metavar="FILE",
              help="批量结果（.csv .xlsx .gpkg .geojson …）。 Batch results (.csv, .xlsx, .gpkg, .geojson…).")
@click.option("--id-field", default="project_id", show_default=True,
              help="项目表的编号字段（缺省时用行号）。 The projects' id field (row numbers when absent).")
@click.pass_context
def command(ctx, lonlat, radius_m, wkt, site_file, layer, datum, assume_crs, encoding, layers_src, rules_cfg,
            industry, land_m2, output_wan, value_added_wan, energy_tce, investment_wan, name, facility, as_json,
            report_dir, projects_file, out, id_field):
    """检查拟建项目选址：长江岸线、104/195/198 区域、园区定位与产出、能耗目标。

    Check a proposed project's site against the Yangtze riverbank zone, the
    104/195/198 zones, the parks' positioning and the output and energy targets.
    Give the site with --lonlat (and --radius-m), --wkt or --site; or check many
    projects at once with --projects FILE -o RESULTS.
    """
    try:
        _single_or_batch(ctx, lonlat, radius_m, wkt, site_file, layer, datum, assume_crs, encoding, layers_src,
                         rules_cfg, industry, land_m2, output_wan, value_added_wan, energy_tce, investment_wan, name,
                         facility, as_json, report_dir, projects_file, out, id_field)
    except ParkgisError as exc:
        if as_json:  # DESIGN §6: with --json an error is JSON on stdout too (and the same exit status)
            click.echo(exc.to_json())
        raise


def _single_or_batch(ctx, lonlat, radius_m, wkt, site_file, layer, datum, assume_crs, encoding, layers_src,
                     rules_cfg, industry, land_m2, output_wan, value_added_wan, energy_tce, investment_wan, name,
                     facility, as_json, report_dir, projects_file, out, id_field) -> None:
    _exactly_one_site(lonlat=lonlat, wkt=wkt, site=site_file, projects=projects_file)
    quiet = (ctx.find_root().obj or {}).get("quiet", False)
    single = {"industry": industry, "land_m2": land_m2, "output_wan": output_wan,
              "value_added_wan": value_added_wan, "energy_tce": energy_tce, "investment_wan": investment_wan,
              "name": name, "facility": facility, "radius_m": radius_m}
    if projects_file:
        _refuse_single_site_options({**single, "as_json": as_json or None, "report_dir": report_dir}, out)
        _batch(projects_file, out, layer, encoding, assume_crs, datum, layers_src, rules_cfg, id_field, quiet)
        return
    if out:
        raise InputError("-o 只用于批量检查（--projects）；单个场地请用 --json 或 --report。",
                         "-o is for a batch (--projects); for one site use --json or --report.")
    from gis.siting.request import SiteRequest

    # (lon, lat) parsed by LONLAT; a site file's own attributes count where no option gives them
    request = SiteRequest(lonlat=lonlat, wkt=wkt, site_file=site_file, layer=layer, encoding=encoding,
                          assume_crs=assume_crs, datum=datum, **single)
    _single(request, layers_src, rules_cfg, as_json, report_dir)


def _exactly_one_site(**given) -> None:
    named = [f"--{k}" for k, v in given.items() if v]
    if len(named) != 1:
        raise InputError(
            "请给出且只给出一种场地：--lonlat、--wkt、--site 或 --projects。"
            + (f"（现为 {', '.join(named)}）" if named else ""),
            "Give exactly one of --lonlat, --wkt, --site or --projects."
            + (f" (got {', '.join(named)})" if named else ""),
            "示例：parkgis site-check --lonlat 121.52,31.62 --industry 3731",
            "Example: parkgis site-check --lonlat 121.52,31.62 --industry 3731",
        )


def _refuse_single_site_options(values: dict, out) -> None:
    used = [_FLAG[k] for k in _SINGLE_ONLY if values[k] is not None]
    if used:
        raise InputError(
            f"{', '.join(used)} 只用于单个场地；批量检查时请把这些值写成项目表的列（如 industry、radius_m）。",
            f"{', '.join(used)} apply to a single site; in a batch give them as columns of the projects "
            "table (e.g. industry, radius_m).",
        )
    if not out:
        raise InputError("批量检查需要 -o 结果文件。", "A batch check needs -o RESULTS.",
                         "示例：parkgis site-check --projects projects.csv -o results.csv",
                         "Example: parkgis site-check --projects projects.csv -o results.csv")


def _single(request, layers_src, rules_cfg, as_json, report_dir) -> None:
    from gis.layers.layerset import load_layers
    from gis.rules import load_rules
    from gis.siting.request import check_site_request

    ls = load_layers(layers_src)
    result = check_site_request(request, layers=ls, rules=load_rules(rules_cfg, kind="site"))
    click.echo(result.to_json() if as_json else result.to_text())
    if report_dir:
        from gis.report.site_page import write_site_report

        paths = write_site_report(result, ls, report_dir)
        click.echo(f"报告 report → {paths['html']}（{paths['png'].name}）", err=True)


def _batch(projects_file, out, layer, encoding, assume_crs, datum, layers_src, rules_cfg, id_field, quiet):
    from gis.layers.layerset import load_layers
    from gis.siting.batch import check_batch_output, check_sites, write_batch_results
    from gis.siting.present import batch_summary
    from gis.siting.projects import read_projects

    check_batch_output(out, [projects_file, layers_src, rules_cfg])  # before the work
    ls = load_layers(layers_src)
    projects = read_projects(projects_file, layer=layer, encoding=encoding, assume_crs=assume_crs)
    t0 = time.perf_counter()
    result = check_sites(projects, layers=ls, rules=rules_cfg, datum=datum, id_field=id_field,
                         progress=not quiet)
    seconds = time.perf_counter() - t0
    inputs = [projects_file, layers_src, rules_cfg, *ls.files]
    write_batch_results(result, out, inputs=inputs, illustrative=ls.illustrative,
                        illustrative_note=ls.illustrative_note())
    for line in batch_summary(result, out, seconds):
        click.echo(line, err=True)
