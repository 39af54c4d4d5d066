"""Render the report as HTML with Jinja2 (autoescaping on).

Every value that may come from a user's file (ids, enterprise and project
names, layer attributes, notes) reaches the page through Jinja2 with
autoescaping enabled, so ``<script>`` in a parcel's name is shown as text.
Only our own packaged CSS is marked safe.

Tables are turned into a small view model here (:class:`TableView`: header
labels and formatted cells) so the templates only lay them out. The same
template gives the screen page (``medium="screen"``: the interactive map in an
iframe) and the page WeasyPrint paginates (``medium="print"``: A4, the
Simplified Chinese font embedded, the interactive map replaced by a note).
"""

from __future__ import annotations

import base64
import datetime as _dt
import math
from dataclasses import dataclass, field
from importlib.resources import files

import numpy as np
import pandas as pd
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from gis.io.tables import COMMON_HEADERS
from gis.planning.density import CATEGORY_HEADERS, DENSITY_HEADERS
from gis.planning.grading import GRADE_HEADERS
from gis.report.build import ReportData
from gis.report.methods import LAYER_HEADERS, RULE_HEADERS
from gis.report.summaries import SUMMARY_HEADERS
from gis.report.workbook import SITE_HEADERS
from gis.siting.result import LEVEL_NAMES, VERDICT_NAMES
from gis.wording import ILLUSTRATIVE_LABEL

__all__ = ["Cell", "TableView", "render_html", "table_view"]

UNIT_TYPE_NAMES = {"park": ("园区", "park"), "zone": ("区域", "zone"), "town": ("乡镇", "town"),
                   "district": ("全区", "district")}
MAX_CANDIDATES = 25


@dataclass
class Cell:
    """One formatted table cell: main text, an optional second line, CSS classes."""

    text: str
    sub: str = ""
    cls: str = ""


@dataclass
class TableView:
    """A table ready for the template."""

    columns: list[tuple[str, str, str]]
    rows: list[tuple[str, list[Cell]]]
    total: int = 0
    caption: str = ""
    note: str = ""
    numeric: list[bool] = field(default_factory=list)

    @property
    def short(self) -> bool:
        """Small enough to keep on one page (few rows of short cells): the PDF moves it whole, so that no
        page holds only its last rows."""
        chars = sum(len(c.text) + len(c.sub) for _, cells in self.rows for c in cells)
        return len(self.rows) <= 24 and chars <= 2500


# --------------------------------------------------------------------------- formatting


def _missing(v) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    try:
        return isinstance(v, (float, np.floating)) and math.isnan(float(v))
    except (TypeError, ValueError):
        return False


def fmt_number(v, digits: int = 2) -> str:
    """``1,234.57`` style; "—" for missing."""
    if _missing(v):
        return "—"
    try:
        f = float(v)
    except (TypeError, ValueError):
        return str(v)
    if not math.isfinite(f):
        return "—"
    return f"{f:,.{digits}f}"


def _cell(row: pd.Series, key: str, kind: str) -> Cell:
    if key == "_name":
        zh, en = row.get("name_zh"), row.get("name_en")
        zh = "" if _missing(zh) else str(zh)
        en = "" if _missing(en) else str(en)
        uid = row.get("unit_id", row.get("category"))
        if not zh and not en:
            zh = "" if _missing(uid) else str(uid)
        return Cell(zh or en, en if zh and en != zh else "")
    v = row.get(key)
    if kind.startswith("+"):  # this column, with another one (its translation) below it
        other = row.get(kind[1:])
        return Cell("—" if _missing(v) else str(v), "" if _missing(other) else str(other))
    if kind == "unit_type":
        zh, en = UNIT_TYPE_NAMES.get(str(v), (str(v), ""))
        return Cell(zh, en)
    if _missing(v) or (isinstance(v, str) and v == ""):
        return Cell("—", cls="na")
    if kind == "int":
        return Cell(f"{int(round(float(v))):,}", cls="num")
    if kind.isdigit():
        return Cell(fmt_number(v, int(kind)), cls="num")
    if kind == "pct":
        return Cell(fmt_number(100 * float(v), 1) + " %", cls="num")
    if kind == "year":
        return Cell(str(int(float(v))), cls="num")
    if kind == "bool":
        yes = bool(v)
        return Cell("是" if yes else "否", "yes" if yes else "no", cls="yes" if yes else "no")
    if kind == "verdict":
        zh, en = VERDICT_NAMES.get(str(v), (str(v), ""))
        return Cell(zh, en, cls=f"verdict verdict-{v}")
    if kind == "level":
        zh, en = LEVEL_NAMES.get(str(v), (str(v), ""))
        return Cell(zh, en, cls=f"level level-{v}")
    return Cell(str(v))


def table_view(df: pd.DataFrame, spec: list[tuple[str, str]], headers: dict | None = None, *,
               max_rows: int | None = None, caption: str = "", total_row=None) -> TableView:
    """Format ``df`` for a template.

    Parameters
    ----------
    df : pandas.DataFrame
    spec : list of (column, kind)
        Kinds: ``text``, ``int``, a digit count (``"2"``), ``pct`` (a 0–1 share),
        ``year``, ``bool``, ``verdict``, ``level``, ``unit_type``, ``+other``
        (text with column ``other`` below it); column ``_name`` shows
        ``name_zh`` with ``name_en`` below.
    headers : dict, optional
        Column → (zh, en, unit).
    max_rows : int, optional
        Show only the first rows (the workbook has them all).
    total_row : callable, optional
        Row → True for total rows (bold).
    """
    heads = {**COMMON_HEADERS, **(headers or {}), "_name": ("名称", "Name", "")}
    spec = [(k, kind) for k, kind in spec if k == "_name" or k in df.columns]
    columns = [heads.get(k, (k, k, ""))[:3] for k, _ in spec]
    numeric = [kind not in ("text", "bool", "verdict", "level", "unit_type") and not kind.startswith("+")
               for _, kind in spec]
    shown = df if max_rows is None else df.head(max_rows)
    rows = []
    for _, r in shown.iterrows():  # report tables are short: tens of rows
        cls = "total" if total_row is not None and total_row(r) else ""
        rows.append((cls, [_cell(r, k, kind) for k, kind in spec]))
    note = ""
    if max_rows is not None and len(df) > max_rows:
        note = (f"仅列出前 {max_rows} 行，共 {len(df):,} 行，全部见 tables.xlsx / "
                f"first {max_rows} of {len(df):,} rows; all in tables.xlsx")
    return TableView(columns=columns, rows=rows, total=len(df), caption=caption, note=note, numeric=numeric)


def _is_total(r) -> bool:
    return str(r.get("unit_id", "")).startswith("合计")


SUMMARY_SPEC = [("_name", "text"), ("parcels", "int"), ("area_km2", "3"), ("area_mu", "0"), ("share_of_area", "pct"),
                ("parcels_upgrade", "int"), ("area_km2_upgrade", "3"), ("parcels_transform", "int"),
                ("area_km2_transform", "3"), ("parcels_reduce", "int"), ("area_km2_reduce", "3")]
DENSITY_SPEC = [("unit_type", "unit_type"), ("_name", "text"), ("parcels", "int"), ("land_km2", "3"),
                ("output_yi", "2"), ("density_yi_per_km2", "2"), ("target_yi_per_km2", "1"), ("gap_yi_per_km2", "2"),
                ("meets_target", "bool"), ("projected_density_yi_per_km2", "2"), ("target_reached_year", "year"),
                ("output_target_yi", "1"), ("output_gap_yi", "2"), ("energy_tce_per_wan", "3"),
                ("labour_productivity_wan_per_person", "1")]
CATEGORY_SPEC = [("_name", "text"), ("parcels", "int"), ("output_yi", "2"), ("share_of_district_pct", "1"),
                 ("target_yi", "1"), ("gap_yi", "2"), ("meets_target", "bool")]
GRADES_SPEC = [("unit_type", "unit_type"), ("_name", "text"), ("parcels_graded", "int"), ("grade_A", "int"),
               ("grade_B", "int"), ("grade_C", "int"), ("grade_D", "int"), ("share_low_pct", "1"),
               ("mean_score", "1"), ("output_wan_per_mu", "1"), ("tax_wan_per_mu", "2"), ("upgrade_candidates", "int")]
CANDIDATE_SPEC = [("parcel_id", "text"), ("enterprise_zh", "text"), ("park_id", "text"), ("land_mu", "1"),
                  ("output_wan_per_mu", "1"), ("tax_wan_per_mu", "2"), ("value_added_wan_per_tce", "2"),
                  ("score", "1"), ("grade", "text")]
SITE_SPEC = [("project_id", "text"), ("name", "text"), ("industry", "text"), ("verdict", "verdict"), ("zone", "text"),
             ("park_id", "text"), ("town", "text"), ("riverbank_m", "0"), ("yangtze_1km", "bool"),
             ("in_reserve", "bool"), ("land_m2", "0")]
RULE_SPEC = [("id", "text"), ("kind", "text"), ("enabled", "bool"), ("title_zh", "+title_en"),
             ("basis_zh", "+basis_en"), ("params", "text")]
_RULE_HTML_HEADERS = {"title_zh": ("名称", "Title", ""), "basis_zh": ("依据", "Basis", "")}
LAYER_SPEC = [("role", "text"), ("_name", "text"), ("features", "int"), ("area_km2", "1"), ("length_km", "1"),
              ("datum", "text"), ("illustrative", "bool"), ("derived", "bool"), ("source", "text"),
              ("licence", "text"), ("attribution", "text"), ("accuracy", "text")]


_PARK_HEAD = {"park_id": ("园区", "Park", "")}


def _parks_by_name(table: pd.DataFrame, layers) -> pd.DataFrame:
    """The table with its ``park_id`` column shown as the parks' Chinese names (people know parks by name)."""
    if table is None or "park_id" not in table:
        return table
    names = layers.park_names("zh")
    return table.assign(park_id=table["park_id"].map(lambda p: names.get(str(p), p) if isinstance(p, str) else p))


def _site_findings(sites: pd.DataFrame, rules: list[tuple[str, str, str]]) -> list[dict]:
    out = []
    for _, r in sites.iterrows():  # a project list is short
        levels = [(rid, zh, en, r.get(rid)) for rid, zh, en in rules]
        out.append({
            "id": "" if _missing(r.get("project_id")) else str(r.get("project_id")),
            "name": "" if _missing(r.get("name")) else str(r.get("name")),
            "verdict": None if _missing(r.get("verdict")) else str(r.get("verdict")),
            "findings_zh": "" if _missing(r.get("findings_zh")) else str(r.get("findings_zh")),
            "findings_en": "" if _missing(r.get("findings_en")) else str(r.get("findings_en")),
            "error_zh": "" if _missing(r.get("error_zh")) else str(r.get("error_zh")),
            "error_en": "" if _missing(r.get("error_en")) else str(r.get("error_en")),
            "levels": [(zh, en, None if _missing(lv) else str(lv)) for _, zh, en, lv in levels],
        })
    return out


def _level_matrix(sites: pd.DataFrame, rules: list[tuple[str, str, str]]) -> TableView:
    spec = [("project_id", "text")] + [(rid, "level") for rid, _, _ in rules]
    heads = {rid: (zh, en, "") for rid, zh, en in rules}
    heads["project_id"] = SITE_HEADERS["project_id"]
    return table_view(sites, spec, heads)


# --------------------------------------------------------------------------- rendering


def _env() -> Environment:
    path = str(files("gis.report").joinpath("templates"))
    env = Environment(loader=FileSystemLoader(path), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["num"] = fmt_number
    env.filters["int"] = lambda v: "—" if _missing(v) else f"{int(round(float(v))):,}"
    return env


def data_uri(png: bytes, mime: str = "image/png") -> str:
    """A ``data:`` URI (base64) for an embedded image."""
    return f"data:{mime};base64," + base64.b64encode(png).decode("ascii")


def css_text() -> str:
    """The packaged stylesheet."""
    return files("gis.report").joinpath("report.css").read_text(encoding="utf-8")


def _tables(data: ReportData, site_plain: pd.DataFrame | None) -> dict[str, TableView]:
    """Every table of the report, parks shown by name."""
    tables = {
        "zones": table_view(data.summaries["zone"], SUMMARY_SPEC, SUMMARY_HEADERS, total_row=_is_total),
        "parks": table_view(data.summaries["park"], SUMMARY_SPEC, SUMMARY_HEADERS, total_row=_is_total),
        "towns": table_view(data.summaries["town"], SUMMARY_SPEC, SUMMARY_HEADERS, total_row=_is_total),
        "rules": table_view(data.rules, RULE_SPEC, {**RULE_HEADERS, **_RULE_HTML_HEADERS}),
        "layers": table_view(data.layer_table, LAYER_SPEC, LAYER_HEADERS),
    }
    if data.density is not None:
        tables["density"] = table_view(data.density, DENSITY_SPEC, DENSITY_HEADERS,
                                       total_row=lambda r: r.get("unit_type") == "district")
        tables["categories"] = table_view(data.categories, CATEGORY_SPEC, CATEGORY_HEADERS)
        tables["grades"] = table_view(data.grades, GRADES_SPEC, GRADE_HEADERS,
                                      total_row=lambda r: r.get("unit_type") == "district")
        tables["candidates"] = table_view(_parks_by_name(data.candidates, data.layers), CANDIDATE_SPEC,
                                          {**GRADE_HEADERS, **_PARK_HEAD}, max_rows=MAX_CANDIDATES)
    if site_plain is not None:
        tables["sites"] = table_view(site_plain, SITE_SPEC, {**SITE_HEADERS, **_PARK_HEAD})
        tables["levels"] = _level_matrix(site_plain, data.site_rules)
    return tables


def render_html(data: ReportData, *, charts: dict[str, bytes], maps: list[tuple[str, str, bytes]],
                map_html: str | None = None, medium: str = "screen", font_uri: str | None = None,
                generated: str | None = None, title: str | None = None, monitoring: dict | None = None) -> str:
    """Render the report page.

    Parameters
    ----------
    data : ReportData
    charts : dict of name → PNG bytes
        From :func:`gis.report.charts.charts`.
    maps : list of (title_zh, title_en, PNG bytes)
        The static park maps, overview first.
    map_html : str, optional
        The interactive overview map page (embedded with ``srcdoc``; screen only).
    medium : {"screen", "print"}
        ``print`` is the page WeasyPrint turns into the PDF.
    font_uri : str, optional
        ``file:`` URI of the Simplified Chinese font embedded in the PDF.
    generated : str, optional
        Date shown on the cover (default today).
    title : str, optional
        Report title (default from the district's name).
    monitoring : dict, optional
        The monitoring chapter (:func:`gis.report.monitoring.monitoring_context`); none without snapshots.

    Returns
    -------
    str
    """
    from gis import __version__

    district = data.layers.district
    name_zh = str(district["name_zh"].iloc[0]) if "name_zh" in district and len(district) else "崇明区"
    name_en = str(district["name_en"].iloc[0]) if "name_en" in district and len(district) else "Chongming District"
    title = title or f"{name_zh}产业用地分析报告"
    sites = data.sites
    site_plain = None
    if sites is not None:
        site_plain = _parks_by_name(pd.DataFrame(sites.drop(columns=sites.geometry.name)), data.layers)
    tables = _tables(data, site_plain)
    provenance = [{**{k: r.get(k, "") for k in ("role", "name_zh", "name_en", "source", "licence", "attribution",
                                                "accuracy", "datum")},
                   "illustrative": bool(r["illustrative"]), "derived": bool(r["derived"])}
                  for _, r in data.layer_table.iterrows()]
    ctx = {
        "title": title, "title_en": f"{name_en}: industrial land report",
        "district_zh": name_zh, "district_en": name_en,
        "generated": generated or _dt.date.today().isoformat(), "version": __version__,
        "medium": medium, "font_uri": font_uri, "css": Markup(css_text()),
        "key": data.key, "sources": data.sources, "notes": data.notes, "tables": tables,
        "charts": {k: data_uri(v) for k, v in charts.items()},
        "maps": [{"zh": zh, "en": en, "src": data_uri(png)} for zh, en, png in maps],
        "map_html": map_html if medium == "screen" else None,
        "sites": _site_findings(site_plain, data.site_rules) if site_plain is not None else None,
        "verdicts": {k: f"{zh} {en}" for k, (zh, en) in VERDICT_NAMES.items()},
        "provenance": provenance, "illustrative": bool(data.layers.illustrative),
        "illustrative_label": ILLUSTRATIVE_LABEL, "illustrative_note": data.layers.illustrative_note(),
        "buffer_m": data.layers.buffer_m, "targets": data.targets,
        "density_target": data.key["density_target"],
        "growth_pct": 100 * data.targets.number("density.growth_rate"),
        "energy_target": data.targets.number("energy.target_tce_per_wan"),
        "monitoring": monitoring,
    }
    return _env().get_template("report.html.j2").render(**ctx)
