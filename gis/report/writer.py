"""The planner's report in one folder: :func:`report` runs the chain and writes every file.

Steps: load the layers, read and classify the parcels, read the projects →
compute every table (:func:`gis.report.build.build`) → ``tables.xlsx`` and
``parcels.gpkg`` → the interactive overview map → the static park maps →
``report.html`` → ``report.pdf``. Each step is the same library call a planner
would make; a progress line per step goes to ``echo``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd

from gis.classification.parcels import load_classified
from gis.io.safe_write import atomic_output, check_output_folder, check_outputs, write_error
from gis.io.tables import write_tables
from gis.io.vector import write_vector
from gis.layers.layerset import LayerSet, load_layers
from gis.maps.printed.park_maps import park_maps
from gis.report.build import ReportData, build
from gis.report.charts import charts
from gis.report.pdf import pdf_font_uri, write_pdf
from gis.report.workbook import SHEET_TITLES, provenance_lines, workbook_sheets
from gis.siting.projects import read_projects
from gis.wording import ILLUSTRATIVE_NOTE, bilingual

__all__ = ["ReportResult", "report", "summary_lines"]

log = logging.getLogger(__name__)

STEPS = 8


@dataclass
class ReportResult:
    """What :func:`report` wrote.

    Attributes
    ----------
    files : dict of name → Path
        ``html``, ``pdf`` (when written), ``tables``, ``parcels``, ``map``, ``maps`` (folder, when drawn).
    maps : list of Path
        The static map files.
    pdf_pages : int or None
    seconds : float
        Wall time of the run.
    key : dict
        Key figures (parcels, land, actions, density, grades, verdicts).
    """

    files: dict[str, Path] = field(default_factory=dict)
    maps: list[Path] = field(default_factory=list)
    pdf_pages: int | None = None
    seconds: float = 0.0
    key: dict = field(default_factory=dict)


#: The files a report writes into its folder (besides ``maps/``).
REPORT_FILES = ("report.html", "report.pdf", "tables.xlsx", "parcels.gpkg", "map.html", "changes.gpkg")


def _out_dir(out_dir, layer_files: list, inputs: list) -> Path:
    """The report folder, created once it is known to hold no layer file and no input a report file would replace."""
    out = Path(out_dir)
    inputs = [i for i in inputs if _is_path(i)]
    check_output_folder(out, layer_files)
    check_outputs([out / name for name in REPORT_FILES], inputs)
    check_output_folder(out / "maps", inputs)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise write_error(out, exc) from exc
    return out


def _is_path(x) -> bool:
    return isinstance(x, (str, Path))


def _load_parcels(parcels, layers, rules, *, layer, id_field, datum, assume_crs, encoding, engine, progress):
    """Read and classify the parcels (:func:`gis.classification.parcels.load_classified`).

    Returns (classified, source text, input paths, notes).
    """
    cp = load_classified(parcels, layers, layer=layer, rules=rules, id_field=id_field, datum=datum,
                         assume_crs=assume_crs, encoding=encoding, engine=engine, progress=progress,
                         to_wgs84=True)  # maps, charts and parcels.gpkg in true WGS84 lon/lat, like the layers
    if parcels is None:
        source = "内置合成样例地块（非真实数据） embedded SYNTHETIC sample parcels (not real data)"
    elif isinstance(parcels, gpd.GeoDataFrame):
        source = "GeoDataFrame"
    else:
        source = str(parcels) + (f" (layer {layer})" if layer else "")
    # The report states the illustrative layers itself (cover, notes), in its own words.
    notes = [n for n in cp.notes if n != bilingual(cp.layers.illustrative_note())]
    if datum.lower() not in ("wgs84", "cgcs2000"):
        notes.append(f"地块坐标已由 {datum.upper()} 转换为 WGS84（parcels.gpkg 与地图） / "
                     f"the parcels' coordinates were converted from {datum.upper()} to WGS84 "
                     "(parcels.gpkg and the maps)")
    return cp.parcels, source, list(cp.inputs), notes


def _load_projects(projects, *, encoding, assume_crs):
    if projects is None or isinstance(projects, gpd.GeoDataFrame):
        return projects, ("GeoDataFrame" if projects is not None else None)
    return read_projects(projects, encoding=encoding, assume_crs=assume_crs), str(projects)


def _map_titles(layers, paths: list[Path]) -> list[tuple[str, str, bytes]]:
    """(title zh, title en, PNG) of the static maps, overview first (park_maps writes them in layer order)."""
    pngs = [p for p in paths if p.suffix.lower() == ".png"]
    parks = layers.parks
    names = [("崇明区产业用地分区与地块处置方向（总览）", "Overview: zones and parcel actions")]
    names += [(str(z), str(e)) for z, e in zip(parks.get("name_zh", parks["park_id"]),
                                               parks.get("name_en", parks["park_id"]), strict=True)]
    return [(zh, en, p.read_bytes()) for (zh, en), p in zip(names, pngs, strict=False)]


def report(
    parcels=None,
    out_dir="report",
    *,
    layers=None,
    projects=None,
    rules=None,
    targets=None,
    layer: str | None = None, id_field: str = "parcel_id", datum: str = "wgs84", projects_datum: str | None = None,
    assume_crs: str | None = None, encoding: str | None = None, engine: str = "pyogrio",
    pdf: bool = True, static_maps: bool = True, dpi: int = 150,
    echo: Callable[[str], None] | None = None,
    progress: bool = False, snapshots=None, snapshot_years=None,
) -> ReportResult:
    """Write the planner's report (HTML, PDF, Excel, GeoPackage, maps) into ``out_dir``.

    Parameters
    ----------
    parcels : path, GeoDataFrame or None
        Industrial parcels (DESIGN §5 fields; ``output_wan`` for density and
        grading). Default: the embedded synthetic sample. Already classified
        parcels (the output of ``parkgis classify``) are used as they are.
    out_dir : str or Path
        Output folder (created when missing; files in it are replaced).
    layers : LayerSet, path or None
        A loaded :class:`gis.layers.layerset.LayerSet` or a layer source (default: embedded Chongming).
    projects : path, GeoDataFrame or None
        Projects for the siting checks (a CSV with lon/lat or WKT, or any vector file).
    rules : path or dict, optional
        Rule configuration (classification and siting).
    targets : path or Targets, optional
        Targets TOML merged over the defaults.
    layer, id_field, datum, assume_crs, encoding, engine
        How to read the parcels (as for :func:`gis.classification.parcels.load_classified`).
    projects_datum : str, optional
        Datum of the projects' lon/lat (default: ``datum``).
    pdf : bool
        Write ``report.pdf`` (needs WeasyPrint).
    static_maps : bool
        Draw the static park maps (PNG/PDF) and embed them.
    dpi : int
        Resolution of the static map PNGs.
    echo : callable, optional
        Receives one progress line per step (e.g. ``click.echo`` to stderr).
    progress : bool
        Progress bar while classifying large inputs.
    snapshots, snapshot_years : sequence of path or GeoDataFrame, sequence of int, optional
        Yearly parcel snapshots (files or a folder) and their years: adds the monitoring chapter (:func:`gis.track`).

    Returns
    -------
    ReportResult
    """
    t_start = time.perf_counter()
    say = echo or (lambda msg: log.info("%s", msg))
    check_output_folder(out_dir, [layers] if _is_path(layers) else [])  # before the work; again when all is read
    result = ReportResult()
    ls, classified, proj, inputs, notes, sources = _load_inputs(
        parcels, layers, projects, rules, targets, say, layer=layer, id_field=id_field, datum=datum,
        assume_crs=assume_crs, encoding=encoding, engine=engine, progress=progress)
    out = _out_dir(out_dir, [layers if _is_path(layers) else None, *ls.files],
                   [*inputs, *ls.files, parcels, layers, projects, rules, targets, *(snapshots or ())])
    say(f"[3/{STEPS}] 地均产出、亩均评价{'、选址检查' if proj is not None else ''} density, grading"
        f"{', siting' if proj is not None else ''} …")
    data = build(classified, ls, projects=proj, rules=rules, targets=targets,
                 datum=projects_datum or datum, sources=sources, notes=notes)
    result.key = data.key
    mon = _monitor(snapshots, snapshot_years, ls, out, inputs, result, say, targets=targets, rules=rules,
                   id_field=id_field, datum=datum, assume_crs=assume_crs, encoding=encoding, engine=engine)

    _write_tables(data, out, inputs, result, say, mon)
    map_html, maps = _write_maps(data, out, dpi, static_maps, result, say)
    _write_pages(data, out, maps, map_html, pdf, result, say, mon)
    result.seconds = time.perf_counter() - t_start
    return result


def _monitor(snapshots, years, ls: LayerSet, out: Path, inputs: list, result: ReportResult, say, **read):
    """Step 3, when snapshots are given: track them (the monitoring chapter, its sheets, ``changes.gpkg``)."""
    if not snapshots:
        return None
    from gis.report.monitoring import run_monitoring

    say(f"      跟踪监测 monitoring {len(snapshots)} 个快照 snapshots …")
    mon = run_monitoring(snapshots, ls, out, years=years, inputs=inputs, **read)
    result.files["changes"], result.key["monitoring_lines"] = mon.changes_path, mon.summary
    return mon


def _load_inputs(parcels, layers, projects, rules, targets, say, **read):
    """Steps 1 and 2: the layers, the classified parcels and the projects; the input files and notes."""
    say(f"[1/{STEPS}] 读取图层 loading the layers …")
    ls = layers if isinstance(layers, LayerSet) else load_layers(layers)
    say(f"[2/{STEPS}] 读取并分类地块 reading and classifying the parcels …")
    classified, parcels_src, inputs, notes = _load_parcels(parcels, ls, rules, **read)
    proj, proj_src = _load_projects(projects, encoding=read["encoding"], assume_crs=read["assume_crs"])
    if proj_src and proj_src != "GeoDataFrame":
        inputs.append(projects)
    return ls, classified, proj, inputs, notes, _sources(ls, layers, parcels_src, proj_src, rules, targets)


def _write_tables(data: ReportData, out: Path, inputs: list, result: ReportResult, say, mon=None) -> None:
    """Step 4: ``tables.xlsx`` (every table, the monitoring ones when tracked, and the notes) and ``parcels.gpkg``."""
    say(f"[4/{STEPS}] 写出表格与地块 writing tables.xlsx and parcels.gpkg …")
    result.files["tables"] = write_tables({**workbook_sheets(data), **(mon.sheets if mon else {})},
                                          out / "tables.xlsx",
                                          notes=data.notes + provenance_lines(data) + (mon.result.notes if mon else []),
                                          titles={**SHEET_TITLES, **(mon.titles if mon else {})})
    result.files["parcels"] = out / "parcels.gpkg"
    write_vector(data.classified, result.files["parcels"], inputs=inputs, layer="parcels")


def _sources(ls: LayerSet, layers, parcels_src: str, proj_src: str | None, rules, targets) -> dict[str, str]:
    """Where each input came from, for the report's provenance."""
    layers_src = "内置崇明图层 embedded Chongming layers" if layers is None else (ls.source or "—")
    sources = {"地块 parcels": parcels_src,
               "图层 layers": layers_src + ("（含示意数据 includes illustrative layers）" if ls.illustrative else ""),
               "规则 rules": str(rules) if rules is not None and not isinstance(rules, dict) else
               "默认 defaults (zoning_rules/default.toml)" if rules is None else "dict",
               "目标 targets": str(targets) if targets is not None else "默认 defaults (gis/data/targets.toml)"}
    if proj_src:
        sources["项目 projects"] = proj_src
    return sources


def _write_maps(data: ReportData, out: Path, dpi: int, static_maps: bool, result: ReportResult,
                say) -> tuple[str, list[tuple[str, str, bytes]]]:
    """Steps 5 and 6: ``map.html`` (interactive) and, when asked, the static park maps (PNG and PDF) in ``maps/``.

    Returns the interactive map's page and the static maps titled for the report's pages.
    """
    from gis.maps.web.report_overview import (
        write_overview_map,  # folium: the optional maps extra
    )

    say(f"[5/{STEPS}] 交互式总览图 interactive overview map …")
    result.files["map"] = out / "map.html"
    map_html = write_overview_map(data, result.files["map"])
    if not static_maps:
        say(f"[6/{STEPS}] 静态地图已跳过 static maps skipped")
        return map_html, []
    ls = data.layers
    say(f"[6/{STEPS}] 静态园区地图 static park maps (PNG/PDF, {len(ls.parks) + 1} 幅 maps) …")
    result.maps = park_maps(ls, data.classified, out / "maps", formats=("png", "pdf"), dpi=dpi,
                            density=data.density, sites=data.sites)
    result.files["maps"] = out / "maps"
    return map_html, _map_titles(ls, result.maps)


def _write_pages(data: ReportData, out: Path, maps: list, map_html: str, pdf: bool, result: ReportResult,
                 say, mon=None) -> None:
    """Steps 7 and 8: ``report.html`` (screen) and ``report.pdf`` (the print rendering, A4)."""
    from gis.report.html import render_html  # Jinja2: the optional maps extra

    say(f"[7/{STEPS}] 生成 HTML 报告 rendering report.html …")
    figs = charts(data)
    monitoring = mon.context if mon else None
    html = render_html(data, charts=figs, maps=maps, map_html=map_html, medium="screen", monitoring=monitoring)
    result.files["html"] = out / "report.html"
    with atomic_output(result.files["html"]) as tmp:
        tmp.write_text(html, encoding="utf-8")
    if not pdf:
        say(f"[8/{STEPS}] PDF 已跳过 PDF skipped")
        return
    say(f"[8/{STEPS}] 生成 PDF 报告 rendering report.pdf (A4) …")
    print_html = render_html(data, charts=figs, maps=maps, medium="print", font_uri=pdf_font_uri(),
                             monitoring=monitoring)
    result.files["pdf"] = out / "report.pdf"
    result.pdf_pages = write_pdf(print_html, result.files["pdf"])


def _size(path: Path) -> str:
    if path.is_dir():
        n = sum(p.stat().st_size for p in path.iterdir() if p.is_file())
        return f"{n / 1e6:,.1f} MB, {sum(1 for p in path.iterdir() if p.is_file())} 个文件 files"
    return f"{path.stat().st_size / 1e6:,.1f} MB" if path.exists() else "—"


_FILE_LABELS = {
    "html": "HTML 报告 report (offline)", "pdf": "PDF 报告 report (A4)", "tables": "表格 tables (Excel)",
    "parcels": "分类地块 classified parcels", "map": "交互式地图 interactive map", "maps": "静态地图 static maps",
    "changes": "变化地块 changed parcels (QGIS)",
}


def summary_lines(result: ReportResult) -> list[str]:
    """A short bilingual account of what was written where (for the CLI)."""
    lines = ["已写出 Written:"]
    for name in ("html", "pdf", "tables", "parcels", "changes", "map", "maps"):
        p = result.files.get(name)
        if p is None:
            continue
        extra = f", {result.pdf_pages} 页 pages" if name == "pdf" and result.pdf_pages else ""
        lines.append(f"  {_FILE_LABELS[name]}: {p}  ({_size(p)}{extra})")
    k = result.key
    if k:
        lines.append(f"地块 parcels {k['parcels']:,}：升级 upgrade {k['parcels_upgrade']:,} · 转型 transform "
                     f"{k['parcels_transform']:,} · 减量化 reduce {k['parcels_reduce']:,}；"
                     f"园区达标 parks meeting the density target {k['parks_meeting']}/{k['parks']}")
        if k.get("projects"):
            lines.append(f"选址 sites {k['projects']}：可准入 allowed {k['sites_allowed']} · 需审查 review "
                         f"{k['sites_review']} · 禁止 prohibited {k['sites_prohibited']}"
                         + (f" · 未能检查 not checked {k['sites_error']}" if k["sites_error"] else ""))
        lines += k.get("monitoring_lines", [])
        if k.get("illustrative"):
            lines.append(bilingual(k.get("illustrative_note", ILLUSTRATIVE_NOTE)))
    lines.append(f"用时 took {result.seconds:,.1f} s")
    return lines
