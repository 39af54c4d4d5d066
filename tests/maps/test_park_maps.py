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
