"""Park maps (gis.maps.printed.park_maps): the files it writes, 300 dpi, Chinese PDF text, atomic writes."""

from __future__ import annotations

import shutil
import subprocess
import warnings

import geopandas as gpd
import pytest
import shapely
from conftest import require
from PIL import Image
from toylayers import DEG, LAT0, LON0, write_toy_gpkg

from gis.errors import OutputError
from gis.layers.layerset import load_layers
from gis.maps.printed.park_maps import park_maps


@pytest.fixture(scope="module")
def toy(tmp_path_factory):
    from gis.classification.classify import classify

    layers = load_layers(write_toy_gpkg(tmp_path_factory.mktemp("layers") / "toy.gpkg"))
    layers.meta["parks"]["illustrative"] = True
    boxes = [shapely.box(LON0 + x * DEG, LAT0 + y * DEG, LON0 + (x + 0.3) * DEG, LAT0 + (y + 0.2) * DEG)
             for x, y in [(3, 3), (11, 4), (15, 5), (8, 8), (16, 1), (12.5, 6)]]
    parcels = gpd.GeoDataFrame({"parcel_id": [f"P{i}" for i in range(6)],
                                "output_wan": [5000.0, 800, 1200, 300, 50, 900]}, geometry=boxes, crs=4326)
    return layers, classify(parcels, layers)


def test_park_maps_write_overview_and_one_per_park(toy, tmp_path):
    layers, parcels = toy
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        files = park_maps(layers, parcels, tmp_path / "maps", formats=("png", "pdf"), dpi=60)
    assert [str(w.message) for w in caught if "missing from" in str(w.message).lower()] == []
    names = sorted(p.name for p in files)
    assert names == ["overview.pdf", "overview.png", "park_A.pdf", "park_A.png", "park_B.pdf", "park_B.png"]
    assert sorted(p.name for p in (tmp_path / "maps").iterdir()) == names  # no temporary files left
    with Image.open(tmp_path / "maps" / "overview.png") as im:
        assert im.size == (round(11.69 * 60), round(8.27 * 60))
        colours = im.convert("RGB").getcolors(maxcolors=1 << 20)
        assert colours is not None and len(colours) > 50  # a map, not a blank page
    assert (tmp_path / "maps" / "park_A.pdf").read_bytes().startswith(b"%PDF")


def test_pdf_text_is_chinese(toy, tmp_path):
    require(shutil.which("pdftotext") is not None, "pdftotext (Debian package poppler-utils)")
    layers, parcels = toy
    park_maps(layers, parcels, tmp_path, formats=("pdf",), parks=["A"])
    text = subprocess.run(["pdftotext", str(tmp_path / "park_A.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    for want in ("甲园区", "示意数据", "图例 Legend", "北", "升级 upgrade"):
        assert want in text


def test_default_resolution_is_300_dpi(toy, tmp_path):
    layers, _ = toy
    park_maps(layers, None, tmp_path, formats=("png",), parks=[])
    with Image.open(tmp_path / "overview.png") as im:
        assert im.size == (round(11.69 * 300), round(8.27 * 300))
        assert round(im.info["dpi"][0]) == 300


def test_maps_replace_files_atomically_and_reject_bad_formats(toy, tmp_path):
    layers, _ = toy
    (tmp_path / "overview.svg").write_text("old")
    park_maps(layers, None, tmp_path, formats=("svg",), parks=[])
    assert (tmp_path / "overview.svg").read_text().lstrip().startswith("<?xml")
    with pytest.raises(OutputError):
        park_maps(layers, None, tmp_path, formats=("jpg",))


@pytest.fixture(scope="module")
def chongming_pages():
    """The district overview and the Changxing page of the embedded layers, with the sample parcels and sites."""
    import matplotlib

    from gis.classification.parcels import load_classified
    from gis.maps.map_inputs import checked_sites
    from gis.maps.printed import park_maps as pm
    from gis.maps.printed.furniture import font_rc
    from gis.report.demo import write_sample_projects

    cp = load_classified(None, to_wgs84=True)
    layers = cp.layers
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as d:
        sites = checked_sites(write_sample_projects(Path(d) / "p.csv"), layers)
    parcels_w, action = pm._project(cp.parcels), cp.parcels["action"].to_numpy(dtype=object)
    marks = pm._site_marks(sites)
    with matplotlib.rc_context(font_rc()[0]):
        overview = pm._overview(layers, parcels_w, action, marks)
        pages = dict(pm._park_pages(layers, cp.parcels, parcels_w, action, None, None, marks))
        overview.canvas.draw()
        for f in pages.values():
            f.canvas.draw()
    return layers, overview, pages


def _texts(fig):
    return [t for ax in fig.axes for t in ax.texts] + list(fig.texts)


def test_every_park_is_labelled_and_no_label_hides_another(chongming_pages):
    """富盛经济开发区 was hidden under its neighbour's label on the overview."""
    layers, overview, _ = chongming_pages
    ax = overview.axes[0]
    renderer = overview.canvas.get_renderer()
    labels = {t.get_text(): t for t in ax.texts}
    for name in layers.parks["name_zh"]:
        assert name in labels, name
    boxes = [labels[n].get_window_extent(renderer) for n in layers.parks["name_zh"]]
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])


def test_print_maps_show_parcels_and_sites_and_only_visible_layers_in_the_legend(chongming_pages):
    layers, overview, pages = chongming_pages
    legend = [t.get_text() for t in overview.axes[0].get_legend().get_texts()]
    assert any("parcels: upgrade" in t for t in legend) and any("sites: prohibited" in t for t in legend)
    assert any("strategic reserve" in t for t in legend)
    hatched = [p for p in overview.axes[0].patches if p.get_hatch() == "\\\\"]
    assert hatched, "the strategic reserve is hatched, so it can be told apart from the island"
    cx = [t.get_text() for t in pages["changxing_marine"].axes[0].get_legend().get_texts()]
    assert any("parcels: upgrade" in t for t in cx) and any("sites:" in t for t in cx)
    assert not any("strategic reserve" in t for t in cx), "the reserve is not on the Changxing page"
    assert "changxing_marine" not in " ".join(t.get_text() for t in _texts(pages["changxing_marine"]))


def test_source_line_is_cut_at_words_and_fits_the_page(chongming_pages):
    layers, overview, _ = chongming_pages
    full = " ".join(str(m.get("source", "")) for m in layers.meta.values())
    source = next(t for t in overview.texts if t.get_text().startswith("数据来源"))
    sources = source.get_text().split("\n制图")[0]
    for word in sources.replace("数据来源 Sources:", "").split():
        word = word.strip(";…")
        assert not word or word in full, f"'{word}' is a cut word"
    assert "……" not in sources, "a part cut already is not cut again with a second ellipsis"
    box = source.get_window_extent(overview.canvas.get_renderer())
    assert box.x1 <= overview.bbox.x1 and box.y1 < overview.axes[0].get_window_extent().y0
