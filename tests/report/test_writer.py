"""The planner's report folder (gis.report.writer): on the embedded default (PDF pages, fonts, workbook,
determinism) and on toy layers."""

from __future__ import annotations

import re
import shutil
import subprocess
import time

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from conftest import require
from fixtures_report import XSS
from PIL import Image

from gis.errors import OutputError
from gis.report import report, summary_lines
from gis.report.demo import write_sample_projects


def _projects(tmp_path):
    """The demo's five projects, one named with markup, one outside the district (an error row)."""
    path = write_sample_projects(tmp_path / "projects.csv")
    df = pd.read_csv(path, encoding="utf-8-sig", dtype={"industry": str})
    df.loc[df["project_id"] == "S5", "name"] = XSS + " 化工 chemicals"
    extra = {"project_id": "S9", "name": "区外项目 outside", "industry": "3311", "lon": 120.0, "lat": 30.0,
             "land_m2": 1000}
    df = pd.concat([df, pd.DataFrame([extra])], ignore_index=True)
    df.to_csv(path, index=False, encoding="utf-8-sig")
    return path


@pytest.fixture(scope="module")
def full(tmp_path_factory):
    """One full report (PDF included) on the embedded default; its wall time is recorded."""
    tmp = tmp_path_factory.mktemp("report")
    t0 = time.perf_counter()
    result = report(None, tmp / "out", projects=_projects(tmp))
    result.wall_s = time.perf_counter() - t0
    return result


def test_writes_every_file_fast(full):
    for name in ("html", "pdf", "tables", "parcels", "map", "maps"):
        assert full.files[name].exists(), name
    assert len(list(full.files["maps"].glob("*.png"))) == 6 and len(list(full.files["maps"].glob("*.pdf"))) == 6
    print(f"report on the default data: {full.wall_s:.1f} s, PDF {full.pdf_pages} pages, "
          f"HTML {full.files['html'].stat().st_size / 1e6:.1f} MB, PDF {full.files['pdf'].stat().st_size / 1e6:.1f} MB")
    assert full.wall_s < 60
    text = "\n".join(summary_lines(full))
    assert "report.pdf" in text and "可准入 allowed 2" in text and "禁止 prohibited 1" in text


def test_key_figures(full):
    k = full.key
    assert k["parcels"] == 3000
    assert k["parcels_upgrade"] + k["parcels_transform"] + k["parcels_reduce"] + k["outside"] == 3000
    assert (k["sites_allowed"], k["sites_review"], k["sites_prohibited"], k["sites_error"]) == (2, 2, 1, 1)
    assert k["illustrative"] is True


def test_workbook_has_every_table(full):
    from openpyxl import load_workbook

    wb = load_workbook(full.files["tables"], read_only=True)
    names = wb.sheetnames
    assert len(names) >= 3
    for want in ("zones 分区汇总", "parks 园区汇总", "towns 乡镇汇总", "density 地均产出", "grades 亩均评价",
                 "siting 选址检查", "rules 规则", "layers 图层", "说明 Notes"):
        assert want in names
    ws = wb["density 地均产出"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0].startswith("地均产出")                    # the title line
    assert rows[3][:2] == ("unit_type", "unit_id")               # machine names under the zh/en headers
    notes = [r[0] for r in wb["说明 Notes"].iter_rows(values_only=True)]
    assert any("示意数据" in str(n) for n in notes)
    siting = list(wb["siting 选址检查"].iter_rows(values_only=True))
    verdicts = [r[3] for r in siting[4:]]
    assert verdicts == ["allowed", "allowed", "review", "review", "prohibited", None]


def test_parcels_gpkg(full):
    gdf = gpd.read_file(full.files["parcels"], layer="parcels")
    assert len(gdf) == 3000 and {"parcel_id", "zone", "action", "reason_zh"} <= set(gdf.columns)


def test_pdf_pages_exist_and_are_not_blank(full, tmp_path):
    require(shutil.which("pdftoppm") is not None, "pdftoppm (Debian package poppler-utils)")
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(full.files["pdf"]), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) == full.pdf_pages >= 3
    sizes = set()
    for png in pages:
        with Image.open(png) as im:
            a = np.asarray(im.convert("L"))
            sizes.add("landscape" if im.width > im.height else "portrait")
        ink = (a < 200).mean()
        assert ink > 0.005, f"{png.name} is (nearly) blank: {ink:.4f}"
    assert sizes == {"portrait", "landscape"}  # text pages A4 portrait, map pages A4 landscape


def test_pdf_fonts_embedded_and_text_chinese(full):
    require(shutil.which("pdffonts") is not None, "pdffonts (Debian package poppler-utils)")
    out = subprocess.run(["pdffonts", str(full.files["pdf"])], check=True, capture_output=True, text=True).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    assert rows
    for r in rows:
        # columns: name type… encoding emb sub uni id gen — emb is the 5th from the end
        assert r[-5] == "yes", f"font not embedded: {r}"
    assert any("cjk" in r[0].lower() for r in rows)
    text = subprocess.run(["pdftotext", str(full.files["pdf"]), "-"], check=True, capture_output=True,
                          text=True).stdout
    for phrase in ("崇明区产业用地分析报告", "示意数据", "地均产出", "亩均效益评价", "项目选址检查",
                   "长兴海洋装备产业基地", "规则及依据", "长江保护法"):
        assert phrase in text, phrase
    assert XSS in text  # shown as text, never interpreted


def test_html_is_self_contained_escaped_and_complete(full):
    from gis.maps import external_asset_refs

    html = full.files["html"].read_text(encoding="utf-8")
    assert external_asset_refs(html) == []
    assert not re.search(r"""(?:src|href)\s*=\s*["']https?:""", html)
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert 'srcdoc="' in html and 'id="overview-map"' in html
    for part in ('id="summary"', 'id="density"', 'id="grading"', 'id="siting"', 'id="maps"', 'id="methods"',
                 "示意数据 illustrative data", "WGS84", "basis", "site_riverbank_bans", "zone_104_upgrade"):
        assert part in html, part
    assert html.count("data:image/png;base64,") >= 6 + 5  # static maps and charts
    assert "未能检查" in html  # the project outside the district is listed with its error


def test_deterministic_tables(full, tmp_path):
    from openpyxl import load_workbook

    again = report(None, tmp_path / "again", projects=_projects(tmp_path), pdf=False, static_maps=False)

    def cells(path):
        wb = load_workbook(path, read_only=True)
        return {name: list(wb[name].iter_rows(values_only=True)) for name in wb.sheetnames}

    a, b = cells(full.files["tables"]), cells(again.files["tables"])
    assert list(a) == list(b)
    sources = [i for i, r in enumerate(a["说明 Notes"]) if r and "projects" in str(r[0])]
    for name in a:
        rows_a, rows_b = a[name], b[name]
        if name == "说明 Notes":  # the projects file's temporary path differs between the runs
            rows_a = [r for i, r in enumerate(rows_a) if i not in sources]
            rows_b = [r for i, r in enumerate(rows_b) if i not in sources]
        assert rows_a == rows_b, name
    da = pyogrio.read_dataframe(full.files["parcels"], layer="parcels")
    db = pyogrio.read_dataframe(again.files["parcels"], layer="parcels")
    pd.testing.assert_frame_equal(pd.DataFrame(da.drop(columns="geometry")), pd.DataFrame(db.drop(columns="geometry")))
    assert shapely.equals_exact(da.geometry.to_numpy(), db.geometry.to_numpy(), tolerance=0).all()


# --------------------------------------------------------------------------- toy layers: fast, hand-checkable


def test_output_must_be_a_folder(tmp_path):
    f = tmp_path / "file.txt"
    f.write_text("x")
    with pytest.raises(OutputError):
        report(None, f, pdf=False, static_maps=False)


def test_parcels_without_output_still_get_a_report(report_toy, tmp_path):
    from openpyxl import load_workbook

    parcels = gpd.read_file(report_toy[1]).drop(columns=["output_wan"])
    r = report(parcels, tmp_path / "rep", layers=report_toy[0], pdf=False, static_maps=False)
    html = r.files["html"].read_text(encoding="utf-8")
    assert html.count('class="warn not-evaluated"') == 2  # the density and grading sections
    names = load_workbook(r.files["tables"], read_only=True).sheetnames
    assert "density 地均产出" not in names and "zones 分区汇总" in names
    assert r.key["parcels"] == 6 and r.key["evaluated"] is False


def test_gcj02_parcels_are_converted_before_everything(report_toy, tmp_path):
    from gis.geodesy.datums import convert_geometries

    wgs = gpd.read_file(report_toy[1])
    gcj = wgs.set_geometry(convert_geometries(wgs.geometry.to_numpy(), "wgs84", "gcj02"), crs=4326)
    a = report(wgs, tmp_path / "a", layers=report_toy[0], pdf=False, static_maps=False)
    b = report(gcj, tmp_path / "b", layers=report_toy[0], datum="gcj02", pdf=False, static_maps=False)
    ga = gpd.read_file(a.files["parcels"], layer="parcels")
    gb = gpd.read_file(b.files["parcels"], layer="parcels")
    assert list(ga["action"]) == list(gb["action"]) and list(ga["zone"]) == list(gb["zone"])
    shift_m = shapely.distance(ga.to_crs(32651).centroid.to_numpy(), gb.to_crs(32651).centroid.to_numpy())
    assert shift_m.max() < 1.0  # back on WGS84 (the raw GCJ-02 offset here is ≈ 500 m)
    assert "GCJ02 转换为 WGS84" in b.files["html"].read_text(encoding="utf-8")




def test_pdf_has_no_near_empty_page(full, tmp_path):
    """No page holds a few spilled lines (the findings' last two lines, a table's total row) and little else."""
    require(shutil.which("pdftoppm") is not None, "pdftoppm (Debian package poppler-utils)")
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(full.files["pdf"]), str(tmp_path / "p")], check=True)
    for png in sorted(tmp_path.glob("p-*.png")):
        with Image.open(png) as im:
            a = np.asarray(im.convert("L"))
        h = a.shape[0]
        body = a[int(0.06 * h):int(0.94 * h)] < 200  # without the running header and the page number
        rows = np.flatnonzero(body.any(axis=1))
        used = (rows.max() - rows.min() + 1) / body.shape[0] if len(rows) else 0.0
        assert used >= 0.15, f"{png.name}: only {used:.0%} of the page is used"


def _words(pdf) -> list[tuple[int, float, float, float, float, float, float, str]]:
    """(page, page width, page height, xMin, yMin, xMax, yMax, word) of every word, in points (pdftotext)."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True, capture_output=True,
                         text=True).stdout
    out = []
    for i, page in enumerate(xml.split("<page ")[1:], start=1):
        w, h = (float(v) for v in re.match(r'width="([\d.]+)" height="([\d.]+)"', page).groups())
        for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
                             page):
            out.append((i, w, h, *(float(v) for v in m.groups()[:4]), m.group(5)))
    return out


def test_pdf_text_is_never_cut_or_overflowing(full):
    """Every word lies inside its page, and no word overlaps another (text overflowing a table cell)."""
    require(shutil.which("pdftotext") is not None, "pdftotext (Debian package poppler-utils)")
    words = _words(full.files["pdf"])
    assert len(words) > 1000
    for page, w, h, x0, y0, x1, y1, text in words:
        assert x0 >= 5 and x1 <= w - 5 and y0 >= 5 and y1 <= h - 5, f"page {page}: '{text}' leaves the page"
    by_page: dict[int, list] = {}
    for page, _, _, x0, y0, x1, y1, text in words:
        by_page.setdefault(page, []).append((x0, y0, x1, y1, text))
    for page, boxes in by_page.items():
        boxes.sort()
        for i, (_, ay0, ax1, ay1, at) in enumerate(boxes):
            for bx0, by0, bx1, by1, bt in boxes[i + 1:]:
                if bx0 >= ax1:
                    break
                overlap_x, overlap_y = min(ax1, bx1) - bx0, min(ay1, by1) - max(ay0, by0)
                assert overlap_x <= 1.0 or overlap_y <= 1.0, f"page {page}: '{at}' overlaps '{bt}'"
