"""Markup and math in every drawn label: park and project names with ``$`` neither crash nor turn into math.

matplotlib reads text between two ``$`` as TeX: ``$x^$`` raised a ParseSyntaxException
(the whole map or report failed) and ``$5 and $6`` was drawn in math italics.
Every drawing runs in the rc settings of :func:`gis.maps.fonts.cjk_rc` (or the
English fallback), which draw all text plain.
"""

from __future__ import annotations

import matplotlib
import pytest
from faults_common import box, parcels, run
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from toylayers import toy_layers, write_toy_gpkg

from gis.maps.fonts import cjk_rc
from gis.maps.printed.furniture import font_rc

NAMES = ["甲$x^$园", "Plant $5 and $6", r"A $\frac{1}{$ park", "$$", r"\$ 50% {braces} _under_ ^hat"]


@pytest.fixture(scope="module")
def marked(tmp_path_factory):
    d = tmp_path_factory.mktemp("marked")
    roles = toy_layers()
    roles["parks"]["name_zh"] = NAMES[:2]
    roles["parks"]["name_en"] = NAMES[2:4]
    roles["construction_areas"]["town_zh"] = [NAMES[4], NAMES[0]]
    layers = write_toy_gpkg(d / "layers.gpkg", roles)
    p = parcels([("$a$", box(3, 3, 4, 4)), ("b", box(11, 4, 12, 5)), ("c", box(8, 3, 9, 4))])
    p["enterprise_zh"] = NAMES[:3]
    p["output_wan"] = 1000.0
    p.to_file(d / "parcels.gpkg")
    (d / "projects.csv").write_text(f'project_id,name,lon,lat,industry\n$P1$,"{NAMES[1]}",121.43,31.58,3311\n',
                                    encoding="utf-8")
    return d, layers


def test_park_maps(tmp_path, marked):
    d, layers = marked
    r = run("map", d / "parcels.gpkg", "--layers", layers, "--static", "--format", "png", "--dpi", 50,
            "-o", tmp_path / "maps")
    assert r.exit_code == 0, r.output
    assert len(list((tmp_path / "maps").glob("*.png"))) == 3


def test_report_charts_and_maps(tmp_path, marked):
    d, layers = marked
    r = run("report", d / "parcels.gpkg", "--layers", layers, "--projects", d / "projects.csv", "-o",
            tmp_path / "rep", "--no-pdf", "--dpi", 50)
    assert r.exit_code == 0, r.output
    assert "Plant $5 and $6" in (tmp_path / "rep" / "report.html").read_text(encoding="utf-8")


def test_site_map(tmp_path, marked):
    _, layers = marked
    r = run("site-check", "--lonlat", "121.43,31.58", "--name", NAMES[2], "--layers", layers, "--industry", "3311",
            "--report", tmp_path / "site")
    assert r.exit_code == 0, r.output
    assert (tmp_path / "site" / "site.png").stat().st_size > 0


def test_tracking_charts(tmp_path, marked):
    d, layers = marked
    snaps = []
    for year in (2023, 2024):
        snaps.append(tmp_path / f"parcels_{year}.gpkg")
        parcels([("a", box(3, 3, 4, 4)), ("b", box(11, 4, 12, 5))]).assign(output_wan=500.0 + year).to_file(
            snaps[-1])
    r = run("track", *snaps, "--layers", layers, "-o", tmp_path / "t.xlsx", "--charts", tmp_path / "charts")
    assert r.exit_code == 0, r.output
    assert list((tmp_path / "charts").glob("*.png"))


@pytest.mark.parametrize("rc", [lambda: cjk_rc(), lambda: font_rc(chinese_required=False)[0]],
                         ids=["chinese", "fallback"])
@pytest.mark.parametrize("name", NAMES)
def test_every_text_is_plain(rc, name):
    """``$5 and $6`` is a dollar amount, not math: the text is laid out as written."""
    with matplotlib.rc_context(rc()):
        fig = Figure()
        t = fig.text(0.1, 0.5, name)
        assert t._preprocess_math(t.get_text()) == (name, False)
        FigureCanvasAgg(fig).draw()  # and it draws
