"""The planner's report: HTML, PDF, Excel tables and the classified parcels in one folder.

:func:`report` runs the chain on a set of parcels (default: the embedded
synthetic sample) and writes, into ``out_dir``:

* ``report.html`` — self-contained, offline, bilingual: summary figures and
  tables, density against the targets, the land-efficiency grades, the siting
  checks of the given projects, the interactive overview map (embedded) and the
  static park maps, and the methods (rules and their basis, layer provenance
  and datum, the "示意数据 illustrative" note);
* ``report.pdf`` — the same content on A4 pages (Chinese font embedded);
* ``tables.xlsx`` — every table, one formatted sheet each, and a notes sheet;
* ``parcels.gpkg`` — the classified parcels (layer ``parcels``);
* ``map.html`` — the interactive overview map on its own;
* ``maps/`` — the static maps, PNG and PDF.

Modules: :mod:`gis.report.writer` (:func:`report`: the steps and the files),
:mod:`gis.report.build` (every table and key figure of one run, from
:mod:`gis.report.summaries` and :mod:`gis.report.methods`),
:mod:`gis.report.workbook` (the Excel sheets), :mod:`gis.report.charts`
(charts), :mod:`gis.report.html` (Jinja2 templates in ``templates/``),
:mod:`gis.report.pdf` (WeasyPrint), :mod:`gis.report.site_page` (the page of
one siting check) and :mod:`gis.report.demo` (the demo run). The maps come
from :mod:`gis.maps`.
"""

from __future__ import annotations

from gis.report.writer import ReportResult, report, summary_lines

__all__ = ["ReportResult", "report", "summary_lines"]
