"""No path a command writes may be a path it reads: outputs, side outputs, report folders, GeoPackage layers.

Each case names, as an output, something the command reads — the parcels, a
file the layer manifest names, the rules or targets file, another output — and
checks the refusal and that nothing changed. A GeoPackage's other layers are
kept: a file holding them is replaced only when ``--out-layer`` asks to write
one layer into it.
"""

from __future__ import annotations

import shutil

import geopandas as gpd
import pyogrio
import pytest
from faults_common import assert_refused, box, parcels, run, snapshot, toy_parcels
from toylayers import toy_layers


@pytest.fixture
def case(tmp_path):
    """A folder with parcels (GPKG and CSV), a manifest naming one GeoJSON per role, rules and targets."""
    layers = tmp_path / "layers"
    layers.mkdir()
    lines = []
    for role, gdf in toy_layers().items():
        gdf.to_file(layers / f"{role}.geojson")
        lines.append(f'[layers.{role}]\nfile = "{role}.geojson"\n')
    (layers / "manifest.toml").write_text("\n".join(lines), encoding="utf-8")
    p = toy_parcels(tmp_path / "parcels.gpkg")
    g = gpd.read_file(p)
    g.assign(wkt=g.geometry.to_wkt()).drop(columns="geometry").to_csv(tmp_path / "parcels.csv", index=False)
    (tmp_path / "rules.toml").write_text("[rules.zone_104_upgrade]\nenabled = true\n", encoding="utf-8")
    (tmp_path / "targets.toml").write_text("[density]\ntarget_yi_per_km2 = 30\n", encoding="utf-8")
    return tmp_path


def _refused(case, *args, words=()):
    before = snapshot(case)
    assert_refused(run(*args), *words)
    assert snapshot(case) == before  # nothing written, no input changed


def test_classify_output_is_a_file_the_manifest_names(case):
    _refused(case, "classify", case / "parcels.gpkg", "--layers", case / "layers" / "manifest.toml",
             "-o", case / "layers" / "parks.geojson", words=("parks.geojson", "would overwrite"))


def test_classify_summary_is_the_input(case):
    _refused(case, "classify", case / "parcels.csv", "--assume-crs", "EPSG:4326", "--layers",
             case / "layers" / "manifest.toml", "-o", case / "out.gpkg", "--summary", case / "parcels.csv")


def test_classify_two_outputs_on_one_file(case):
    _refused(case, "classify", case / "parcels.gpkg", "--layers", case / "layers" / "manifest.toml",
             "-o", case / "same.csv", "--summary", case / "same.csv", words=("same file",))


@pytest.mark.parametrize("option", ["-o", "--categories", "--zonal-out"])
def test_density_outputs_never_an_input(case, option):
    args = ["density", case / "parcels.csv", "--assume-crs", "EPSG:4326", "--layers",
            case / "layers" / "manifest.toml"]
    if option != "-o":
        args += ["-o", case / "d.xlsx"]
    _refused(case, *args, option, case / "parcels.csv")


def test_density_grid_is_a_layer_file(case):
    # a .tif output over a layer file is refused before its format is even considered
    _refused(case, "density", case / "parcels.gpkg", "--layers", case / "layers" / "manifest.toml", "-o",
             case / "d.xlsx", "--grid", case / "layers" / "manifest.toml")


@pytest.mark.parametrize("option, target", [("--summary", "parcels.csv"), ("--parcels-out", "parcels.csv"),
                                            ("--parcels-out", "layers/district.geojson")])
def test_grade_side_outputs(case, option, target):
    _refused(case, "grade", case / "parcels.csv", "--assume-crs", "EPSG:4326", "--layers",
             case / "layers" / "manifest.toml", "-o", case / "g.xlsx", option, case / target)


def test_site_check_batch_output_is_the_projects(case):
    (case / "projects.csv").write_text("project_id,lon,lat\nP1,121.43,31.58\n", encoding="utf-8")
    _refused(case, "site-check", "--projects", case / "projects.csv", "--layers",
             case / "layers" / "manifest.toml", "-o", case / "projects.csv")


def test_report_folder_holding_the_layer_source(case):
    _refused(case, "report", case / "parcels.gpkg", "--layers", case / "layers" / "manifest.toml", "-o",
             case / "layers", "--no-pdf", "--no-static-maps", words=("layers",))


def test_report_file_names_an_input(case):
    """A report folder may hold inputs, but no report file may replace one (here ``parcels.gpkg``)."""
    rep = case / "rep"
    rep.mkdir()
    shutil.copy(case / "parcels.gpkg", rep / "parcels.gpkg")
    _refused(case, "report", rep / "parcels.gpkg", "--layers", case / "layers" / "manifest.toml", "-o", rep,
             "--no-pdf", "--no-static-maps", words=("parcels.gpkg",))


def test_track_changes_is_a_snapshot(case):
    snaps = []
    for year in (2023, 2024):
        p = toy_parcels(case / f"parcels_{year}.gpkg")
        snaps.append(p)
    _refused(case, "track", *snaps, "--layers", case / "layers" / "manifest.toml", "-o", case / "t.xlsx",
             "--changes", snaps[0])


# --------------------------------------------------------------------------- GeoPackage layers


@pytest.fixture
def project_gpkg(tmp_path):
    """A planner's GeoPackage of eight layers."""
    path = tmp_path / "project.gpkg"
    for k in range(8):
        parcels([(f"x{k}", box(k, 0, k + 1, 1))]).to_file(path, layer=f"layer_{k}")
    return path


def test_a_multilayer_geopackage_is_not_replaced(case, project_gpkg):
    before = project_gpkg.read_bytes()
    err = assert_refused(run("classify", case / "parcels.gpkg", "--layers", case / "layers" / "manifest.toml",
                             "-o", project_gpkg), "--out-layer", "layer_0")
    assert "其他图层" in err
    assert project_gpkg.read_bytes() == before


def test_out_layer_writes_one_layer_and_keeps_the_others(case, project_gpkg):
    for _ in range(2):  # the second run replaces its own layer, nothing else
        r = run("classify", case / "parcels.gpkg", "--layers", case / "layers" / "manifest.toml",
                "-o", project_gpkg, "--out-layer", "classified")
        assert r.exit_code == 0, r.output
        names = [str(n) for n in pyogrio.list_layers(project_gpkg)[:, 0]]
        assert sorted(names) == sorted([f"layer_{k}" for k in range(8)] + ["classified"])
        assert pyogrio.read_info(project_gpkg, layer="classified")["features"] == 3
    assert pyogrio.read_info(project_gpkg, layer="layer_3")["features"] == 1


def test_convert_keeps_other_layers_too(case, project_gpkg):
    before = project_gpkg.read_bytes()
    assert_refused(run("convert", case / "parcels.gpkg", "-o", project_gpkg), "--out-layer")
    assert project_gpkg.read_bytes() == before
    assert run("convert", case / "parcels.gpkg", "-o", project_gpkg, "--out-layer", "parcels").exit_code == 0
    assert len(pyogrio.list_layers(project_gpkg)) == 9


@pytest.mark.parametrize("suffix", [".geojson", ".fgb", ".gpkg"])
def test_layers_are_named_after_the_file_not_its_temporary_name(case, suffix):
    out = case / f"result{suffix}"
    assert run("classify", case / "parcels.gpkg", "--layers", case / "layers" / "manifest.toml",
               "-o", out).exit_code == 0
    assert [str(n) for n in pyogrio.list_layers(out)[:, 0]] == ["result"]
