"""gis.planning.density_tables: several unit types at once, the sheets, zonal statistics, the console lines."""

from __future__ import annotations

import pandas as pd
import pytest
from density_fixtures import DESIGN_4B, box, classified_frame, to_gdf, write_layers

from gis.classification.parcels import ClassifiedParcels
from gis.errors import OutputError
from gis.layers.layerset import load_layers
from gis.planning.density_tables import (
    CATEGORY_SHEET,
    DENSITY_SHEET,
    density_lines,
    density_tables,
    grid_line,
    write_density_tables,
    zonal_sheets,
)


@pytest.fixture(scope="module")
def layers(tmp_path_factory):
    return load_layers(write_layers(tmp_path_factory.mktemp("layers") / "t.gpkg"))


@pytest.fixture
def parcels(layers):
    return ClassifiedParcels(layers=layers, parcels=classified_frame(), inputs=[], notes=["from the test"])


def test_units_one_after_another_with_a_polygon_file(tmp_path, parcels):
    blocks = tmp_path / "blocks.gpkg"
    to_gdf([box(0, 0, 5000, 5000)], code=["SW"]).to_file(blocks, layer="blocks")
    t = density_tables(parcels, ["park", blocks, "zone"], unit_id_field="code")
    assert list(t.density.columns[: len(DESIGN_4B)]) == DESIGN_4B
    assert list(t.density["unit_type"]) == ["park", "park", "blocks", "zone", "zone", "zone"]
    # a (8 亿元 in P1), b, d lie in the south-west block: 5 + 3 + 0.2 亿元
    assert t.density.set_index("unit_id").loc["SW", "output_yi"] == pytest.approx(8.2)
    assert t.notes[0] == "from the test" and any("density target 25" in n for n in t.notes)
    assert list(t.categories["category"])[:2] == ["marine_equipment", "agri_food"]


def test_a_polygon_files_unit_type_is_its_layer(tmp_path, parcels):
    blocks = tmp_path / "blocks.gpkg"
    to_gdf([box(0, 0, 5000, 5000)], code=["SW"]).to_file(blocks, layer="quarters")
    t = density_tables(parcels, [str(blocks)], unit_id_field="code", unit_layer="quarters")
    assert list(t.density["unit_type"]) == ["quarters"]


def test_sheets_in_workbook_order(parcels):
    t = density_tables(parcels, ["park"])
    t.zonal = {"zonal parks": pd.DataFrame({"park_id": ["P1"]})}
    assert list(t.sheets()) == [DENSITY_SHEET, CATEGORY_SHEET, "zonal parks"]


def test_zonal_statistics_need_a_workbook_or_their_own_file(tmp_path, parcels):
    from gis.planning.density_grid import write_density_grid

    grid = tmp_path / "g.tif"
    write_density_grid(parcels.parcels, grid, cell_m=100.0)
    with pytest.raises(OutputError, match="--zonal-out"):
        zonal_sheets(parcels, grid, tmp_path / "d.csv")
    sheets = zonal_sheets(parcels, grid, tmp_path / "d.xlsx")
    assert list(sheets) == ["zonal parcels 地块分区统计", "zonal parks 园区分区统计"]
    assert list(sheets["zonal parks 园区分区统计"]["park_id"]) == ["P1", "P2"]
    assert zonal_sheets(parcels, grid, tmp_path / "d.csv", zonal_out=tmp_path / "z.xlsx") == {}
    assert (tmp_path / "z.xlsx").exists()


def test_write_csv_and_categories_file(tmp_path, parcels):
    t = density_tables(parcels, ["park"])
    out = tmp_path / "d.csv"
    write_density_tables(t, out, categories_out=tmp_path / "c.csv")
    assert list(pd.read_csv(out, encoding="utf-8-sig")["unit_id"]) == ["P1", "P2"]
    assert "marine_equipment" in (tmp_path / "c.csv").read_text(encoding="utf-8-sig")
    (tmp_path / "in.csv").write_text("x")
    with pytest.raises(OutputError, match="overwrite an input"):
        write_density_tables(t, out, categories_out=tmp_path / "in.csv", inputs=[tmp_path / "in.csv"])


def test_console_lines():
    table = pd.DataFrame({"unit_type": ["park", "zone", "park"], "unit_id": ["P1", "198", "P2"],
                          "name_zh": ["甲园区", "198 区域", "崇明现代农业园区农产品加工区"],
                          "density_yi_per_km2": [16.0, float("nan"), 11.62],
                          "target_yi_per_km2": [25.0, float("nan"), 25],
                          "meets_target": pd.array([False, None, False], dtype="boolean")})
    lines = density_lines(table, "d.xlsx")
    assert lines[0] == "地均产出表 density table → d.xlsx（3 个单元 units）"
    assert lines[1] == "  园区 park  甲园区                          16.00 亿元/km² / 目标 target 25: 未达标 no"
    assert lines[2] == "  分区 zone  198 区域                            — 亿元/km²"
    # names, not ids; the numbers line up whatever the width of the Chinese names (2 columns a character)
    assert "P1" not in lines[1] and "P2" not in lines[3]
    from gis.wording import display_width

    assert len({display_width(ln.split("亿元")[0]) for ln in lines[1:]}) == 1


def test_grid_line():
    import pyproj

    g = {"cell_m": 250.0, "crs": pyproj.CRS("EPSG:32651"), "grid_output_yi": 1.23456, "total_output_yi": 1.23456}
    assert grid_line(g, "g.tif") == ("密度栅格 grid → g.tif（250 m, EPSG:32651；栅格合计 1.235 亿元 / "
                                     "地块合计 1.235 亿元 grid sum vs parcels' total）")
