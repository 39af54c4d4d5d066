"""The report as an A4 PDF: the print rendering of the same HTML, by WeasyPrint.

WeasyPrint (BSD) lays out the HTML with its own CSS engine — paged media,
named pages for the landscape map pages, running page numbers — and embeds the
fonts it uses as subsets. The Simplified Chinese font is the one the print
maps use (:func:`gis.maps.fonts.cjk_font_path`, Noto Sans SC, OFL), loaded through
``@font-face`` from its file, so the PDF never depends on the fonts installed
on the machine and always carries its Chinese glyphs.

WeasyPrint needs Pango (Debian: ``libpango-1.0-0 libpangoft2-1.0-0
libharfbuzz0b``, usually present with any desktop or fontconfig install).
"""

from __future__ import annotations

import logging
from pathlib import Path

from gis.errors import OutputError
from gis.io.safe_write import atomic_output
from gis.maps.fonts import cjk_font_path

__all__ = ["write_pdf", "pdf_bytes", "pdf_font_uri"]

log = logging.getLogger(__name__)


def pdf_font_uri() -> str:
    """``file:`` URI of the Simplified Chinese font embedded in the PDF."""
    return cjk_font_path().resolve().as_uri()


def _weasyprint():
    try:
        import weasyprint
    except ImportError as exc:
        raise OutputError(
            "生成 PDF 报告需要 WeasyPrint。",
            "Writing the PDF report needs WeasyPrint.",
            "请安装：pip install 'parkgis[report]'；或加 --no-pdf 只写 HTML 报告。",
            "Install it: pip install 'parkgis[report]'; or pass --no-pdf to write the HTML report only.",
        ) from exc
    except OSError as exc:  # Pango or HarfBuzz missing: WeasyPrint loads them when imported
        raise OutputError(
            f"WeasyPrint 找不到所需的系统库（Pango）：{exc}",
            f"WeasyPrint cannot load the system libraries it needs (Pango): {exc}",
            "Debian/Ubuntu：apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b；或加 --no-pdf。",
            "Debian/Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b; or pass --no-pdf.",
        ) from exc
    return weasyprint


def pdf_bytes(html: str, *, base_url: str | None = None) -> bytes:
    """Lay out ``html`` as a PDF in memory (for a download; :func:`write_pdf` writes a file)."""
    weasyprint = _weasyprint()
    noisy = [logging.getLogger(n) for n in ("weasyprint", "fontTools")]
    levels = [lg.level for lg in noisy]
    for lg in noisy:
        lg.setLevel(logging.ERROR)
    try:
        return weasyprint.HTML(string=html, base_url=base_url).write_pdf()
    finally:
        for lg, lv in zip(noisy, levels, strict=True):
            lg.setLevel(lv)


def write_pdf(html: str, path, *, base_url: str | None = None) -> int:
    """Lay out ``html`` (rendered with ``medium="print"``) as a PDF, atomically.

    Parameters
    ----------
    html : str
        The print rendering of the report.
    path : str or Path
        Output ``.pdf``.
    base_url : str, optional
        Base for relative URLs (images are embedded, so none is needed).

    Returns
    -------
    int
        Number of pages written.
    """
    weasyprint = _weasyprint()
    # WeasyPrint warns about CSS it ignores (screen-only rules, the iframe); not the user's concern.
    noisy = [logging.getLogger(n) for n in ("weasyprint", "fontTools")]
    levels = [lg.level for lg in noisy]
    for lg in noisy:
        lg.setLevel(logging.ERROR)
    try:
        doc = weasyprint.HTML(string=html, base_url=base_url or str(Path(path).resolve().parent)).render()
        with atomic_output(path) as tmp:
            doc.write_pdf(tmp)
    finally:
        for lg, lv in zip(noisy, levels, strict=True):
            lg.setLevel(lv)
    log.info("PDF report written: %s (%d pages)", path, len(doc.pages))
    return len(doc.pages)
