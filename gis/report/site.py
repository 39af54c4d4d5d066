"""One site's check as a page and as an A4 PDF (the web app's downloads).

The page is :func:`gis.siting.present.render_html` — the same self-contained
HTML that ``parkgis site-check --report`` writes, with the map embedded as a
PNG — and the PDF is that page laid out by WeasyPrint with the Simplified
Chinese font embedded (:func:`gis.report.pdf.pdf_font_uri`), so Chinese text
never depends on the fonts of the machine that opens it.
"""

from __future__ import annotations

from gis.siting.present import render_html, render_png

__all__ = ["site_html", "site_pdf"]

_PRINT_CSS = """
@font-face{{font-family:"Noto Sans SC";src:url("{font}")}}
@page{{size:A4;margin:14mm 12mm 16mm;@bottom-right{{content:counter(page) " / " counter(pages);font-size:9px;color:#777}}}}
body{{margin:0;max-width:none;font-size:11px}}
h1{{font-size:18px}} h2{{font-size:14px;break-after:avoid}}
tr{{break-inside:avoid}} img{{max-width:100%;break-inside:avoid}}
"""


def site_html(result, layers) -> str:
    """The site's page: facts, the map (PNG inside), the checks with their basis.

    Parameters
    ----------
    result : gis.siting.result.SiteResult
    layers : gis.layers.layerset.LayerSet
        The layers the site was checked against (drawn on the map).
    """
    return render_html(result, render_png(result, layers))


def site_pdf(result, layers) -> bytes:
    """The site's page as an A4 PDF (bytes), Chinese font embedded."""
    from gis.report.pdf import pdf_bytes, pdf_font_uri

    html = site_html(result, layers)
    css = _PRINT_CSS.format(font=pdf_font_uri())
    return pdf_bytes(html.replace("</style>", css + "</style>", 1))
