"""The page of one siting check (gis.report.site_page): offline, escaped, the verdict and every check."""

from __future__ import annotations

import re

import pytest
from toylayers import LAT0, LON0, write_toy_gpkg

from gis.layers.layerset import load_layers
from gis.report.site_page import site_page_html, write_site_report
from gis.siting.check import check_site

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def toy(tmp_path_factory):
    return load_layers(write_toy_gpkg(tmp_path_factory.mktemp("toy") / "toy.gpkg"))


def test_page_is_offline_and_escaped(toy):
    r = check_site((LON0 + 0.08, LAT0 + 0.005), layers=toy, industry="2614", name="<script>x</script>",
                   datum="wgs84")
    html = site_page_html(r, PNG)
    assert "<script" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "禁止 PROHIBITED" in html and "background:#c0151b" in html        # the verdict's badge
    assert html.count("class='level'") == len(r.checks)
    assert "data:image/png;base64,iVBORw0KGgo" in html


def test_report_writes_png_and_html(toy, tmp_path):
    r = check_site((LON0 + 0.04, LAT0 + 0.04), layers=toy, industry="3670")
    paths = write_site_report(r, toy, tmp_path / "site")
    assert paths["png"].read_bytes()[:8] == PNG
    assert "可准入 ALLOWED" in paths["html"].read_text(encoding="utf-8")
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == ["site.html", "site.png"]
