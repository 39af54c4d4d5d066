"""Tests of gis/io/vector.py: every format through read_vector/write_vector, CRS refusal, errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import shapely
from sample_frames import NAMES, frame

from gis.errors import CRSError, InputError, OutputError
from gis.io.vector import read_vector, write_vector


def test_file_without_crs_is_refused_with_hint(tmp_path):
    shp = tmp_path / "nocrs.shp"
    frame().to_file(shp, driver="ESRI Shapefile", engine="pyogrio")
    shp.with_suffix(".prj").unlink()
    with pytest.raises(CRSError) as exc:
        read_vector(shp)
    assert "--assume-crs" in exc.value.hint_en and "--assume-crs" in exc.value.hint_zh
    assert "坐标参考系" in exc.value.message_zh
    gdf = read_vector(shp, assume_crs="EPSG:4326")
    assert gdf.crs.to_epsg() == 4326


def test_corrupt_file_gets_clear_error(tmp_path):
    bad = tmp_path / "bad.gpkg"
    bad.write_bytes(b"this is not a geopackage" * 10)
    with pytest.raises(InputError) as exc:
        read_vector(bad)
    assert "损坏" in exc.value.message_zh and "corrupt" in exc.value.message_en


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="not found"):
        read_vector(tmp_path / "nope.gpkg")


@pytest.mark.parametrize("suffix", [".gpkg", ".geojson", ".shp", ".fgb", ".parquet", ".csv"])
def test_round_trip_every_format(tmp_path, suffix):
    src = frame()
    out = tmp_path / f"out{suffix}"
    write_vector(src, out)
    back = read_vector(out, assume_crs="EPSG:4326" if suffix == ".csv" else None)
    assert len(back) == 3
    assert back["name"].tolist() == NAMES
    assert back.crs.to_epsg() == 4326
    a, b = shapely.normalize(back.geometry.to_numpy()), shapely.normalize(src.geometry.to_numpy())
    assert shapely.equals_exact(a, b, tolerance=1e-9).all()


def test_refuses_to_overwrite_input(tmp_path):
    p = tmp_path / "in.gpkg"
    write_vector(frame(), p)
    before = p.read_bytes()
    with pytest.raises(OutputError) as exc:
        write_vector(frame(), p, inputs=[p])
    assert "覆盖" in exc.value.message_zh
    assert p.read_bytes() == before


def test_unknown_output_format(tmp_path):
    with pytest.raises(OutputError, match="Unsupported"):
        write_vector(frame(), tmp_path / "x.dwg")


def test_read_vector_reads_the_boundary_coordinate_format():
    data = Path(__file__).resolve().parents[1] / "data" / "coordtxt"
    gdf = read_vector(data / "east_zone41_bom.txt")
    assert gdf.crs.to_epsg() == 4550 and len(gdf) == 1


def test_other_text_files_are_refused(tmp_path):
    p = tmp_path / "notes.txt"
    p.write_text("lon,lat\n121.5,31.6\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_vector(p)
    assert "CSV" in exc.value.hint_en


def test_txt_output_is_the_boundary_coordinate_format(tmp_path):
    out = tmp_path / "site.txt"
    write_vector(frame(), out)
    assert "[地块坐标]" in out.read_text(encoding="gbk")
    back = read_vector(out)
    assert back.crs.to_epsg() == 4549 and back["name"].tolist() == NAMES
