"""Tests of gis/layers/zones.py: zones 104/195/198 and the Yangtze 1 km zone, derived and clipped to the district."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from layer_cases import geod_area_km2
from toylayers import box, toy_layers, write_toy_gpkg

from gis.layers.layerset import load_layers
from gis.layers.zones import clip_to_district, planning_zones, riverbank_zone


@pytest.fixture
def toy(tmp_path):
    return load_layers(write_toy_gpkg(tmp_path / "toy.gpkg"))


def test_derived_zones_partition_the_district(toy):
    s = toy.summary().set_index("role")
    total = s.loc[["zone_104", "zone_195", "zone_198"], "area_km2"].sum()
    assert total == pytest.approx(s.loc["district", "area_km2"], rel=1e-4)
    # pairwise disjoint
    z = [toy.work_union(r) for r in ("zone_104", "zone_195", "zone_198")]
    for i in range(3):
        for j in range(i + 1, 3):
            assert shapely.area(shapely.intersection(z[i], z[j])) < 1e-3


def test_zone_195_is_construction_minus_parks(toy):
    # construction (12..17)x(2..8) + (1..4)x(7..9); park B (10..14)x(3..7) overlaps the first one.
    expect = shapely.union_all([box(12, 2, 17, 8), box(1, 7, 4, 9)]).difference(box(10, 3, 14, 7))
    ours = toy.zone_195.geometry.iloc[0]
    assert geod_area_km2(ours) == pytest.approx(geod_area_km2(shapely.segmentize(expect, 0.0009)), rel=1e-4)


def test_yangtze_zone_is_1km_strip_clipped_to_district(toy):
    # Riverbank = the south edge (20 DEG long); the strip inside the district is 1 km wide.
    area = toy.summary().set_index("role").loc["yangtze_1km", "area_km2"]
    length = toy.summary().set_index("role").loc["riverbank", "length_km"]
    assert area == pytest.approx(length * 1.0, rel=5e-3)


def test_buffer_is_configurable(tmp_path):
    ls = load_layers(write_toy_gpkg(tmp_path / "t.gpkg"), buffer_m=500)
    area = ls.summary().set_index("role").loc["yangtze_1km", "area_km2"]
    assert area == pytest.approx(ls.summary().set_index("role").loc["riverbank", "length_km"] * 0.5, rel=5e-3)


def test_riverbank_derived_from_boundary_when_absent(tmp_path):
    roles = toy_layers()
    del roles["riverbank"]
    ls = load_layers(write_toy_gpkg(tmp_path / "nr.gpkg", roles))
    assert ls.meta["riverbank"]["derived"]
    assert any("derived from the district boundary" in n for n in ls.notes)
    # the whole outline of both islands
    assert ls.summary().set_index("role").loc["riverbank", "length_km"] > 60


def test_parks_outside_district_clipped_and_reported(tmp_path):
    roles = toy_layers()
    roles["parks"].loc[1, "geometry"] = box(18, 3, 23, 7)  # reaches 3 DEG east of the island
    ls = load_layers(write_toy_gpkg(tmp_path / "out.gpkg", roles))
    assert any("clipped" in n for n in ls.notes)
    clipped = ls.parks.geometry.iloc[1]
    assert geod_area_km2(clipped) == pytest.approx(geod_area_km2(shapely.segmentize(box(18, 3, 20, 7), 0.0009)),
                                                   rel=1e-3)


def test_default_layers_zones_partition_the_district():
    """Issue acceptance: on the embedded Chongming layers 104+195+198 = district within 0.01 %."""
    ls = load_layers()
    s = ls.summary().set_index("role")
    total = s.loc[["zone_104", "zone_195", "zone_198"], "area_km2"].sum()
    assert total == pytest.approx(s.loc["district", "area_km2"], rel=1e-4)
    # and the district's area agrees with the geodesic area (pyproj.Geod) within 0.1 %
    geod = sum(geod_area_km2(shapely.segmentize(g, 0.0009)) for g in ls.district.geometry)
    assert s.loc["district", "area_km2"] == pytest.approx(geod, rel=1e-3)
    assert s.loc["district", "area_km2"] == pytest.approx(2119, rel=0.01)
    assert not ls.notes  # the default loads without repairs or clipping


def _wkt(*texts: str):
    return shapely.union_all([shapely.from_wkt(t) for t in texts])


DISTRICT = "POLYGON ((0 0, 100 0, 100 100, 0 100, 0 0))"  # metres, working CRS
PARKS = "POLYGON ((0 0, 20 0, 20 20, 0 20, 0 0))"
CONSTRUCTION = "POLYGON ((10 10, 50 10, 50 50, 10 50, 10 10))"


def test_zones_195_and_198_are_derived_from_parks_and_construction_areas():
    notes: list[str] = []
    z195, z198 = planning_zones({}, _wkt(DISTRICT), _wkt(PARKS), _wkt(CONSTRUCTION), notes)
    assert shapely.area(z195) == pytest.approx(40 * 40 - 10 * 10)  # construction minus the park's corner
    assert shapely.area(z198) == pytest.approx(100 * 100 - 20 * 20 - (40 * 40 - 10 * 10))
    assert shapely.get_type_id(z195) == 6 and notes == []  # always a MultiPolygon


def test_given_zones_that_leave_a_gap_are_noted():
    from gis.geodesy.crs import WORK_CRS

    def km(wkt: str):  # the shapes above, 100 times larger: 10 km across
        return shapely.transform(_wkt(wkt), lambda xy: xy * 100)

    given_198 = gpd.GeoDataFrame(geometry=[km("POLYGON ((20 0, 100 0, 100 50, 20 50, 20 0))")], crs=WORK_CRS)
    notes: list[str] = []
    planning_zones({"zone_198": given_198.to_crs(4326)}, km(DISTRICT), km(PARKS), km(CONSTRUCTION), notes)
    (note,) = notes
    assert note.startswith("zones:") and "do not partition the district" in note
    # uncovered: the northern half (50 km²) and west of the given 198 above the park (3 km²);
    # overlapping: the construction area east of x = 20 (12 km²)
    assert "(53.00 km² uncovered, 12.00 km² overlapping)" in note


def test_riverbank_zone_is_the_district_within_the_buffer():
    river = np.array([shapely.from_wkt("LINESTRING (0 0, 1000 0)")], dtype=object)
    district = shapely.from_wkt("POLYGON ((0 -500, 1000 -500, 1000 2000, 0 2000, 0 -500))")
    zone = riverbank_zone(river, district, buffer_m=100)
    assert shapely.area(zone) == pytest.approx(1000 * 200, rel=1e-9)


def test_clip_keeps_what_is_inside_and_notes_the_rest():
    from gis.geodesy.crs import to_work

    layers = toy_layers()
    district = shapely.union_all(to_work(layers["district"].geometry.to_numpy()))
    parks = layers["parks"]
    notes: list[str] = []
    same, w = clip_to_district("parks", parks, district, notes)
    assert same is parks and len(w) == 2 and notes == []
    parks = parks.copy()
    parks.loc[1, "geometry"] = box(18, 3, 23, 7)  # 3 of its 5 DEG lie east of the island
    out, w = clip_to_district("parks", parks, district, notes)
    assert len(out) == 2 and "1 features reached outside the district" in notes[0]
    assert shapely.area(w[1]) == pytest.approx(shapely.area(to_work([box(18, 3, 20, 7)])[0]), rel=1e-3)


# --------------------------------------------------------------------------- land, water and the derived shore


def test_water_is_the_district_off_the_land(tmp_path):
    from toylayers import toy_layers_with_land

    ls = load_layers(write_toy_gpkg(tmp_path / "wet.gpkg", toy_layers_with_land()))
    expect = shapely.difference(ls.work_union("district"), ls.work_union("land"))
    assert shapely.area(shapely.symmetric_difference(ls.work_union("water"), expect)) < 1.0  # m²
    assert ls.meta["water"]["derived"] and ls.meta["land"]["illustrative"] is False
    assert not any("no land layer" in n for n in ls.notes)


def test_without_land_there_is_no_water_and_a_note(toy):
    assert toy.land is None and toy.water is None
    assert any("no land layer" in n and "in_water" in n for n in toy.notes)


def test_riverbank_derived_from_the_land_off_the_outline(tmp_path):
    """No riverbank but a land layer: the shore is the land's edge where it leaves the district outline —
    the big island's y = 1 line (20 DEG), not its outline; the small island's land reaches the outline all round."""
    from toylayers import toy_layers_with_land

    roles = toy_layers_with_land()
    del roles["riverbank"]
    ls = load_layers(write_toy_gpkg(tmp_path / "land_only.gpkg", roles))
    assert ls.meta["riverbank"]["derived"] and ls.meta["riverbank"]["method"].startswith("boundary(land)")
    assert any("derived from the land layer" in n for n in ls.notes)
    length_km = ls.summary().set_index("role").loc["riverbank", "length_km"]
    assert length_km == pytest.approx(20 * 0.948, rel=0.01)
    bounds = shapely.bounds(ls.riverbank.geometry.union_all())
    assert bounds[1] == pytest.approx(31.56) and bounds[3] == pytest.approx(31.56)


def test_water_zone_drops_noise_slivers():
    """A land layer cut to the outline and rounded leaves millimetre slivers along it: not water."""
    from gis.layers.zones import water_zone

    district = shapely.box(0, 0, 1000, 1000)
    land = shapely.Polygon([(0.003, 200), (1000, 200), (1000, 1000), (0, 1000), (-0.002, 600)])  # wobbles ±3 mm
    water = water_zone(district, land)
    assert shapely.area(water) == pytest.approx(200_000, rel=1e-6)
    assert shapely.get_num_geometries(water) == 1


def test_neighbours_are_kept_outside_the_district(tmp_path):
    roles = toy_layers()
    roles["neighbours"] = gpd.GeoDataFrame({"name_zh": ["邻县"], "name_en": ["Next County"]},
                                           geometry=[box(0, 12, 20, 20)], crs=4326)
    ls = load_layers(write_toy_gpkg(tmp_path / "nb.gpkg", roles))
    assert ls.neighbours is not None and len(ls.neighbours) == 1
    assert geod_area_km2(ls.neighbours.geometry.iloc[0]) > 100  # not clipped away


def test_official_shore_layers_replace_the_default_through_a_manifest(tmp_path):
    """A planner's riverbank and land (any format, their field names) replace the embedded ones, no code changed."""
    from toylayers import toy_layers_with_land

    roles = toy_layers_with_land()
    files = {}
    for role in ("district", "parks", "construction_areas"):
        files[role] = tmp_path / f"{role}.gpkg"
        roles[role].to_file(files[role])
    roles["riverbank"].to_file(tmp_path / "岸线.geojson")
    roles["land"].rename(columns={"name_zh": "名称"}).to_file(tmp_path / "陆域.shp", encoding="utf-8")
    manifest = tmp_path / "official.toml"
    manifest.write_text("\n".join(
        [f'[layers.{r}]\nfile = "{files[r].name}"\n' for r in files]
        + ['[layers.riverbank]\nfile = "岸线.geojson"\nsource = "区水务局岸线 2024"\nlicence = "internal"\n',
           '[layers.land]\nfile = "陆域.shp"\nsource = "区水务局陆域 2024"\nlicence = "internal"\n']),
        encoding="utf-8")
    ls = load_layers(manifest)
    assert ls.meta["riverbank"]["source"] == "区水务局岸线 2024" and not ls.meta["riverbank"].get("derived")
    assert ls.meta["land"]["source"] == "区水务局陆域 2024"
    assert ls.water is not None and geod_area_km2(ls.water.geometry.iloc[0]) == pytest.approx(
        geod_area_km2(shapely.segmentize(box(0, 0, 20, 1), 0.0009)), rel=1e-3)
