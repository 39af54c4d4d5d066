"""The overlay engine against a brute-force overlay on the whole zone polygons."""

from __future__ import annotations

import numpy as np
import shapely
from toylayers import box, write_toy_gpkg

from gis.engine.coverage import build_coverage, coverage_shares, measure
from gis.engine.overlay_table import engine_indexes
from gis.engine.riverbank_distance import build_line_index, nearest_distance
from gis.geodesy.crs import to_work
from gis.layers.layerset import load_layers


def test_tiled_fast_path_equals_brute_force(tmp_path):
    ls = load_layers(write_toy_gpkg(tmp_path / "t.gpkg"))
    rng = np.random.default_rng(7)
    n = 3000
    x, y = rng.uniform(-1, 31, n), rng.uniform(-1, 11, n)
    w, h = rng.uniform(0.05, 1.5, n), rng.uniform(0.05, 1.5, n)
    geoms = to_work(np.array([box(a, b, a + c, b + d) for a, b, c, d in zip(x, y, w, h, strict=True)], dtype=object))
    # a few multi-part parcels whose parts lie in different zones without touching a boundary
    multi = [shapely.MultiPolygon([box(3 + i / 50, 3, 3.2 + i / 50, 3.2), box(8 + i / 50, 3, 8.2 + i / 50, 3.2)])
             for i in range(50)]
    geoms[:50] = to_work(np.array(multi, dtype=object))
    cov = engine_indexes(ls)["zones"]
    own = measure(geoms)
    fast = coverage_shares(geoms, own, cov)
    # brute force: intersect with each whole label polygon
    for j, name in enumerate(cov.names):
        region = shapely.union_all(cov.pieces[cov.labels == j])
        brute = shapely.area(shapely.intersection(geoms, region)) / own
        assert np.allclose(fast[:, j], brute, atol=1e-9), name


def test_tile_size_does_not_change_shares(tmp_path):
    ls = load_layers(write_toy_gpkg(tmp_path / "t.gpkg"))
    geoms = to_work(np.array([box(5, 3, 7, 4), box(13, 3, 16, 4), box(19, -1, 21, 1)], dtype=object))
    zone_geoms = np.concatenate([ls.work("zone_104"), ls.work("zone_195"), ls.work("zone_198")])
    labels = np.array(["104:A", "104:B", "195", "198"], dtype=object)
    a = coverage_shares(geoms, measure(geoms), build_coverage(zone_geoms, labels, tile_m=500))
    b = coverage_shares(geoms, measure(geoms), build_coverage(zone_geoms, labels, tile_m=50_000))
    assert np.allclose(a, b, atol=1e-12)


def test_grid_distance_equals_plain_distance(tmp_path):
    ls = load_layers(write_toy_gpkg(tmp_path / "t.gpkg"))
    rng = np.random.default_rng(3)
    n = 2000
    x, y = rng.uniform(-5, 35, n), rng.uniform(-5, 15, n)
    geoms = to_work(np.array([box(a, b, a + 0.3, b + 0.2) for a, b in zip(x, y, strict=True)], dtype=object))
    bank = ls.work("riverbank")
    got = nearest_distance(geoms, build_line_index(bank))
    ref = shapely.distance(geoms, shapely.union_all(bank))
    assert np.abs(got - ref).max() < 0.02  # the index simplifies the bank by 1 cm at most


def test_zone_198_by_complement_equals_brute_force(tmp_path):
    """With derived zones 198 is computed as in-district − 104 − 195; check it against ∩ zone_198."""
    from gis.engine.overlay_table import overlay_table

    ls = load_layers(write_toy_gpkg(tmp_path / "t.gpkg"))
    rng = np.random.default_rng(11)
    n = 1500
    x, y = rng.uniform(-1, 31, n), rng.uniform(-1, 11, n)
    geoms = to_work(np.array([box(a, b, a + 0.9, b + 0.7) for a, b in zip(x, y, strict=True)], dtype=object))
    tab = overlay_table(geoms, ls)
    brute = shapely.area(shapely.intersection(geoms, ls.work_union("zone_198"))) / shapely.area(geoms)
    assert np.allclose(tab["share_198"], brute, atol=1e-9)


def test_given_zone_layers_are_used_as_given(tmp_path):
    """A source with its own zone_198 (not derived) is intersected directly, not complemented."""
    import geopandas as gpd
    from toylayers import toy_layers

    from gis.engine.overlay_table import overlay_table

    roles = toy_layers()
    roles["zone_198"] = gpd.GeoDataFrame(geometry=[box(0, 0, 5, 10)], crs=4326)  # an odd, official-looking 198
    ls = load_layers(write_toy_gpkg(tmp_path / "z.gpkg", roles))
    assert not ls.meta["zone_198"]["derived"]
    assert any("do not partition the district" in n for n in ls.notes)
    geoms = to_work(np.array([box(7, 3, 8, 4)], dtype=object))  # outside the given 198 and every park
    tab = overlay_table(geoms, ls)
    assert tab.loc[0, "share_198"] == 0.0 and tab.loc[0, "share_outside"] == 1.0


def test_located_together_equals_located_alone(tmp_path):
    """Locating parcels for all coverages in one query gives the same shares as one query per coverage."""
    from gis.engine.locate import locate
    from gis.geomarrays import first_points

    ls = load_layers(write_toy_gpkg(tmp_path / "t.gpkg"))
    eng = engine_indexes(ls)
    rng = np.random.default_rng(5)
    n = 2500
    x, y = rng.uniform(-1, 31, n), rng.uniform(-1, 11, n)
    geoms = to_work(np.array([box(a, b, a + 0.8, b + 0.6) for a, b in zip(x, y, strict=True)], dtype=object))
    geoms[:5] = None
    own, firsts = measure(geoms), first_points(geoms)
    crossing, inner = locate(geoms, eng["group"])
    for name, j in eng["group_index"].items():
        alone = coverage_shares(geoms, own, eng[name], firsts)
        together = coverage_shares(geoms, own, eng[name], firsts, (crossing[:, j], inner[:, j]))
        assert np.array_equal(alone, together), name
