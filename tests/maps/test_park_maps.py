"""Print maps: the Simplified Chinese font, no tofu, the files park_maps writes."""

from __future__ import annotations

import shutil
import subprocess
import warnings

import geopandas as gpd
import matplotlib
import pytest
import shapely
from fontTools.ttLib import TTFont
from matplotlib import font_manager
from matplotlib.figure import Figure
from PIL import Image

from conftest import require
from gis.maps.printed.park_maps import park_maps
from gis.errors import OutputError
from gis.maps.fonts import SC_FAMILIES, cjk_font_family, cjk_font_path, cjk_rc
from gis.layers.layerset import load_layers
from toylayers import DEG, LAT0, LON0, write_toy_gpkg

# Names the maps print: the district's parks, towns and terms (DESIGN §1), and odd user text.
CHINESE = ("长兴海洋装备产业基地 崇明工业园区 富盛经济开发区 智慧岛数据产业园 崇明现代农业园区农产品加工区 "
           "城桥镇 新河镇 堡镇 长兴镇 横沙乡 陈家镇 庙镇 港西镇 竖新镇 向化镇 三星镇 绿华镇 建设镇 中兴镇 "
           "港沿镇 东平镇 新村乡 升级 转型 减量化 亿元/km² 示意数据 战略预留区 长江岸线 图例 北 "
           "（）、，：；“”—·…① 鑫淼犇琦璟骉")


def _gb2312_face(path) -> TTFont:
    return TTFont(str(path), fontNumber=0, lazy=True)


def test_font_is_simplified_chinese():
    path = cjk_font_path()
    assert path.is_file() and path.suffix.lower() in (".otf", ".ttf")  # a single face, not a .ttc
    family = cjk_font_family()
    assert family in SC_FAMILIES
    font = _gb2312_face(path)
    # OS/2 code page bit 18 = "Chinese: Simplified chars — PRC and Singapore" (GB 2312)
    assert font["OS/2"].ulCodePageRange1 >> 18 & 1
    cmap = font.getBestCmap()
    missing = sorted({ch for ch in CHINESE if not ch.isspace() and ord(ch) not in cmap})
    assert missing == []
    # matplotlib resolves the family to that very file (no silent fallback to DejaVu)
    with matplotlib.rc_context(cjk_rc()):
        found = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    assert found == str(path)


def test_chinese_renders_without_missing_glyphs(tmp_path):
    with warnings.catch_warnings(record=True) as caught, matplotlib.rc_context(cjk_rc()):
        warnings.simplefilter("always")
        fig = Figure(figsize=(6, 2))
        fig.text(0.02, 0.5, CHINESE, fontsize=8, wrap=True)
        fig.savefig(tmp_path / "t.png", dpi=80)
        fig.savefig(tmp_path / "t.pdf")
    assert [str(w.message) for w in caught if "missing from" in str(w.message).lower()] == []


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
