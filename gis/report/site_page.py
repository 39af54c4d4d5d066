"""The page of one siting check: ``site.html`` with its map ``site.png``, for sending to a colleague.

The page holds the verdict, the facts, the table of checks with their basis and
the site map (:func:`gis.maps.printed.site_maps.site_map`) embedded as base64:
no script, no web font, no network, so it opens offline. The words are those
of the text summary (:mod:`gis.siting.present`).
"""

from __future__ import annotations

import base64
import datetime as _dt
import html
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from gis.io.safe_write import atomic_output, check_output_folder
from gis.maps.printed.site_maps import site_map
from gis.maps.style import BADGE_COLOURS
from gis.siting.present import facts, notes, verdict_label
from gis.siting.result import LEVEL_NAMES

__all__ = ["site_html", "site_page_html", "site_pdf", "write_site_report"]

_CSS = """
body{font:14px/1.5 "Noto Sans SC","Microsoft YaHei","PingFang SC","Helvetica Neue",Arial,sans-serif;color:#222;
  margin:24px auto;max-width:1040px;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}
.verdict{display:inline-block;padding:4px 12px;border-radius:4px;color:#fff;font-weight:700;font-size:16px}
table{border-collapse:collapse;width:100%;margin:12px 0}
th,td{border:1px solid #ddd;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f4f4f4;white-space:nowrap}
.level{display:inline-block;padding:1px 8px;border-radius:3px;color:#fff;font-weight:600;white-space:nowrap}
.en{color:#555}
.basis{font-size:12px;color:#555}
.note{background:#fff3cd;border:1px solid #d39e00;padding:8px 12px;border-radius:4px;margin:12px 0}
img{max-width:100%;border:1px solid #ccc}
footer{font-size:12px;color:#777;margin-top:24px}
"""


def site_page_html(r, png: bytes) -> str:
    """The self-contained HTML page of a siting check, the map embedded as base64 PNG.

    Parameters
    ----------
    r : gis.siting.result.SiteResult
    png : bytes
        The site map (:func:`gis.maps.printed.site_maps.site_map`).
    """
    e = html.escape
    v = verdict_label(r.verdict)
    title = r.name or "未命名项目 / unnamed project"
    fact_rows = "\n".join(f"<tr><th>{e(zh)}<br><span class='en'>{e(en)}</span></th><td>{e(val)}</td></tr>"
                          for zh, en, val in facts(r))
    rows = []
    for c in r.checks:
        lz, le = LEVEL_NAMES[c.level]
        col = BADGE_COLOURS[c.level]
        rows.append(
            f"<tr><td><span class='level' style='background:{col}'>{e(lz)} {e(le)}</span></td>"
            f"<td>{e(c.title_zh)}<br><span class='en'>{e(c.title_en)}</span><br><code>{e(c.rule)}</code></td>"
            f"<td>{e(c.message_zh)}<br><span class='en'>{e(c.message_en)}</span></td>"
            f"<td class='basis'>{e(c.basis)}<br>{e(c.basis_en)}</td></tr>")
    note_divs = "\n".join(f"<div class='note'>{e(zh)}<br><span class='en'>{e(en)}</span></div>"
                          for zh, en in notes(r))
    img = base64.b64encode(png).decode("ascii")
    try:
        ver = version("parkgis")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        ver = ""
    stamp = _dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(f"选址检查 Site check：{title}")}</title>
<style>{_CSS}</style></head>
<body>
<h1>选址检查 Site check：{e(title)}</h1>
<p>结论 Verdict：<span class="verdict" style="background:{BADGE_COLOURS[r.verdict]}">{e(v[0])} {e(v[1])}</span></p>
{note_divs}
<table>{fact_rows}</table>
<h2>地图 Map</h2>
<img alt="{e('场地、长江岸线 1 公里范围、区域与园区 / site, 1 km riverbank zone, zones and parks')}"
 src="data:image/png;base64,{img}">
<h2>检查 Checks</h2>
<table>
<tr><th>级别 Level</th><th>规则 Rule</th><th>结果 Finding</th><th>依据 Basis</th></tr>
{''.join(rows)}
</table>
<p class="basis">结论取各项检查中最严的级别（符合 &lt; 需审查 &lt; 禁止）；“未评估”列出但不影响结论。<br>
The verdict is the worst level among the checks (ok &lt; review &lt; prohibited); "not evaluated" is listed but
does not change it.</p>
<footer>parkgis {e(ver)} · {e(stamp)} · 图层 layers: {e(r.layers_source)} · 坐标 WGS84
{'· 输入基准 input datum ' + e(r.datum) if r.datum != 'wgs84' else ''}</footer>
</body></html>
"""


def write_site_report(r, layers, out_dir) -> dict[str, Path]:
    """Write ``site.png`` and ``site.html`` into ``out_dir`` (created if needed; atomic writes).

    Parameters
    ----------
    r : gis.siting.result.SiteResult
    layers : gis.layers.layerset.LayerSet
        The layers the site was checked against.
    out_dir : str or Path

    Returns
    -------
    dict
        ``{"png": path, "html": path}``.
    """
    d = Path(out_dir)
    check_output_folder(d, layers.files)  # a report folder never holds what the check read
    png = site_map(r, layers)
    paths = {"png": d / "site.png", "html": d / "site.html"}
    with atomic_output(paths["png"]) as tmp:
        tmp.write_bytes(png)
    with atomic_output(paths["html"]) as tmp:
        tmp.write_text(site_page_html(r, png), encoding="utf-8")
    return paths


_PRINT_CSS = """
@font-face{{font-family:"Noto Sans SC";src:url("{font}")}}
@page{{size:A4;margin:14mm 12mm 16mm;
@bottom-right{{content:counter(page) " / " counter(pages);font-size:9px;color:#777}}}}
body{{margin:0;max-width:none;font-size:11px}}
h1{{font-size:18px}} h2{{font-size:14px;break-after:avoid}}
tr{{break-inside:avoid}} img{{max-width:100%;break-inside:avoid}}
"""


def site_html(r, layers) -> str:
    """The site's page (the web app's HTML download): facts, the map (PNG inside), the checks with their basis.

    Parameters
    ----------
    r : gis.siting.result.SiteResult
    layers : gis.layers.layerset.LayerSet
        The layers the site was checked against (drawn on the map).
    """
    return site_page_html(r, site_map(r, layers))


def site_pdf(r, layers) -> bytes:
    """The site's page as an A4 PDF (bytes), laid out by WeasyPrint with the Chinese font embedded."""
    from gis.report.pdf import pdf_bytes, pdf_font_uri

    html = site_html(r, layers)
    css = _PRINT_CSS.format(font=pdf_font_uri())
    return pdf_bytes(html.replace("</style>", css + "</style>", 1))
