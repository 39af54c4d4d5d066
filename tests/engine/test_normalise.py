"""The normalise step (gis.engine.normalise): datum, CRS, repairs and what each feature is flagged with.

Shapes are lon/lat WKT near Chongming (WGS84); 0.01° is about 950 m east–west
and 1,110 m north–south here.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from toylayers import box, parcels, write_toy_gpkg

from gis.classification.classify import classify
from gis.engine.normalise import dominant_parts, prepare_geometries, to_wgs84
from gis.errors import CRSError, DatumError
from gis.geodesy.crs import WGS84
from gis.geodesy.datums import convert_geometries
from gis.layers.layerset import load_layers

SQUARE = "POLYGON ((121.50 31.60, 121.51 31.60, 121.51 31.61, 121.50 31.61, 121.50 31.60))"
BOW_TIE = "POLYGON ((121.50 31.60, 121.51 31.61, 121.51 31.60, 121.50 31.61, 121.50 31.60))"


def _prepare(*wkts):
    geoms = np.array([None if w is None else shapely.from_wkt(w) for w in wkts], dtype=object)
    return prepare_geometries(geoms, WGS84)


@pytest.mark.parametrize(
    "wkt, no_geometry, repaired, not_polygon",
    [
        (SQUARE, False, False, False),
        (BOW_TIE, False, True, False),                                        # self-crossing: repaired
        ("POINT (121.50 31.60)", False, False, True),
        ("LINESTRING (121.50 31.60, 121.51 31.60)", False, False, True),
        ("MULTIPOINT ((121.50 31.60), (121.52 31.60))", False, False, True),
        ("POLYGON EMPTY", True, False, False),
        (None, True, False, False),
        ("GEOMETRYCOLLECTION (LINESTRING (121.52 31.60, 121.53 31.60), POINT (121.54 31.60))", False, False, True),
    ],
)
def test_masks(wkt, no_geometry, repaired, not_polygon):
    _, no_geom, rep, not_poly, bad_xy = _prepare(wkt)
    assert not bad_xy[0]
    assert (no_geom[0], rep[0], not_poly[0]) == (no_geometry, repaired, not_polygon)


@pytest.mark.parametrize("wkt", [
    "POLYGON ((121.50 31.60, NaN 31.60, 121.51 31.61, 121.50 31.60))",
    "POLYGON ((121.50 31.60, Inf 31.60, 121.51 31.61, 121.50 31.60))",
    "POLYGON ((121.50 31.60, 1e300 31.60, 121.51 31.61, 121.50 31.60))",
    "POINT (121.5 95)",                                                   # beyond the pole
    "MULTIPOLYGON (((121.50 31.60, 121.51 31.60, 121.51 31.61, 121.50 31.60)), ((0 0, NaN NaN, 1 1, 0 0)))",
])
def test_invalid_coordinates_are_set_aside(wkt):
    """NaN, infinite and out-of-range coordinates: no geometry for the engine, flagged, no GEOS error."""
    w, no_geom, rep, not_poly, bad_xy = _prepare(SQUARE, wkt)
    assert bad_xy.tolist() == [False, True]
    assert w[1] is None and not no_geom[1] and not rep[1] and not not_poly[1]
    assert shapely.area(w[0]) > 0


def test_coordinates_the_projection_cannot_place():
    """Valid lon/lat half a globe away: PROJ gives infinity there, the feature is set aside too."""
    geoms = np.array([shapely.box(30.0, 0.0, 30.1, 0.1), shapely.box(121.5, 31.6, 121.51, 31.61)], dtype=object)
    w, no_geom, _, _, bad_xy = prepare_geometries(geoms, WGS84)  # 90° of longitude from the working meridian
    assert bad_xy.tolist() == [True, False] and w[0] is None and not no_geom.any()


def test_classify_flags_invalid_coordinates(toy):
    p = parcels([("a", box(3, 3, 4, 4)), ("b", shapely.from_wkt("POLYGON ((121.43 31.58, NaN 31.58, 121.44 31.59, "
                                                                 "121.43 31.58))"))])
    res = classify(p, toy)
    assert res["flags"].tolist() == ["", "invalid_coordinates"]
    assert res.loc[1, "zone"] is None and res.loc[1, "action"] is None and np.isnan(res.loc[1, "area_m2"])
    assert "not valid" in res.loc[1, "reason_en"] and "坐标无效" in res.loc[1, "reason_zh"]


def test_bow_tie_becomes_its_two_triangles():
    w, _, repaired, _, _ = _prepare(SQUARE, BOW_TIE)
    assert repaired.tolist() == [False, True]
    assert shapely.is_valid(w[1]) and shapely.get_type_id(w[1]) == 6  # a MultiPolygon of two triangles
    assert shapely.area(w[1]) == pytest.approx(shapely.area(w[0]) / 2, rel=1e-3)


def test_geometry_collection_keeps_its_polygonal_parts():
    gc = ("GEOMETRYCOLLECTION (" + SQUARE + ", LINESTRING (121.52 31.60, 121.53 31.60), POINT (121.54 31.60))")
    w, no_geom, repaired, not_poly, _ = _prepare(SQUARE, gc)
    assert not no_geom[1] and not repaired[1] and not not_poly[1]
    assert shapely.get_type_id(w[1]) in (3, 6)
    assert shapely.area(w[1]) == pytest.approx(shapely.area(w[0]), rel=1e-9)


def test_dominant_parts():
    geoms = np.array([shapely.from_wkt(w) for w in (
        "GEOMETRYCOLLECTION (POINT (0 0), LINESTRING (0 0, 1 0), POLYGON ((0 0, 1 0, 1 1, 0 0)))",
        "GEOMETRYCOLLECTION (POINT (0 0), LINESTRING (0 0, 1 0), LINESTRING (2 0, 3 0))",
        "GEOMETRYCOLLECTION (POINT (0 0), POINT (1 1))",
    )], dtype=object)
    assert [g.geom_type for g in dominant_parts(geoms)] == ["MultiPolygon", "MultiLineString", "MultiPoint"]


def test_result_is_in_metres():
    w, *_ = _prepare(SQUARE)
    # 0.01° × 0.01° at 31.6° N: ≈ 948 m × 1,109 m
    assert shapely.area(w[0]) == pytest.approx(948 * 1109, rel=5e-3)


def test_offset_datum_is_converted_to_wgs84():
    gcj = convert_geometries(np.array([shapely.from_wkt(SQUARE)], dtype=object), "wgs84", "gcj02")
    geoms, crs = to_wgs84(gpd.GeoDataFrame(geometry=gcj, crs=4326), "gcj02", None)
    assert crs.equals(WGS84)
    # back where the WGS84 square was, within the 0.5 m of the inverse conversion
    assert shapely.hausdorff_distance(geoms[0], shapely.from_wkt(SQUARE)) < 1e-5


def test_wgs84_and_projected_input_keep_their_crs():
    frame = gpd.GeoDataFrame(geometry=[shapely.from_wkt(SQUARE)], crs=4326).to_crs(4549)
    geoms, crs = to_wgs84(frame, "wgs84", None)
    assert crs.to_epsg() == 4549 and geoms[0].equals(frame.geometry.iloc[0])


def test_datum_on_projected_input_refused_bilingually():
    frame = gpd.GeoDataFrame(geometry=[shapely.from_wkt(SQUARE)], crs=4326).to_crs(4549)
    with pytest.raises(DatumError) as exc:
        to_wgs84(frame, "gcj02", None)
    assert "--datum gcj02" in exc.value.message_zh and "投影坐标" in exc.value.message_zh
    assert "--datum gcj02" in exc.value.message_en and "projected" in exc.value.message_en
    assert "drop --datum" in exc.value.hint_en and "去掉 --datum" in exc.value.hint_zh


def test_missing_crs_names_assume_crs():
    frame = gpd.GeoDataFrame(geometry=[shapely.from_wkt(SQUARE)])
    with pytest.raises(CRSError):
        to_wgs84(frame, "wgs84", None)
    _, crs = to_wgs84(frame, "wgs84", "EPSG:4326")
    assert crs.equals(WGS84)


# Through classify: the same step as a planner meets it.


@pytest.fixture(scope="module")
def toy(tmp_path_factory):
    return load_layers(write_toy_gpkg(tmp_path_factory.mktemp("toy") / "toy.gpkg"))


SAMPLE = [("a", box(3, 3, 4, 4)), ("b", box(5, 3, 7, 4)), ("c", box(13, 3, 16, 4)), ("d", box(8, 0.5, 9, 1.5)),
          ("e", box(19, -1, 21, 1)), ("f", box(26, 1, 27, 2))]


def test_datum_with_projected_input_refused(toy):
    with pytest.raises(DatumError) as exc:
        classify(parcels(SAMPLE).to_crs(4549), toy, datum="gcj02")
    assert "lon/lat" in exc.value.message_en


def test_no_crs_refused(toy):
    p = gpd.GeoDataFrame({"parcel_id": ["a"]}, geometry=[box(3, 3, 4, 4)])

    with pytest.raises(CRSError):
        classify(p, toy)
    assert classify(p, toy, assume_crs="EPSG:4326").loc[0, "zone"] == "104"


def test_dominant_parts_of_a_collection_holding_a_multipolygon():
    """make_valid may return GEOMETRYCOLLECTION (MULTIPOLYGON …, LINESTRING …): its polygons, as one multipolygon.

    (Found by the property tests: shapely.multipolygons refused the multipolygon member.)
    """
    gc = shapely.from_wkt("GEOMETRYCOLLECTION (MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((2 2, 3 2, 3 3, 2 2))), "
                          "LINESTRING (5 5, 6 6))")
    out = dominant_parts(np.array([gc, shapely.Point(0, 0)], dtype=object))
    assert out[0].geom_type == "MultiPolygon" and len(out[0].geoms) == 2 and out[0].area == 1.0
    assert out[1].equals(shapely.Point(0, 0))


def test_a_polygon_geos_cannot_make_valid():
    """A shell of one repeated point with a hole: make_valid raises "mixed-dimension"; the parcel is kept.

    (Found by the property tests.)
    """
    bad = shapely.Polygon([(121.41, 31.55)] * 4, [[(121.408, 31.548), (121.412, 31.548), (121.412, 31.552)]])
    w, no_geom, repaired, _, bad_xy = _prepare(SQUARE, bad.wkt)
    assert repaired[1] and not bad_xy[1]
    assert no_geom[1] or shapely.is_valid(w[1])


def test_dominant_parts_keep_each_geometry_its_own_parts():
    """Several collections, some holding multipolygons: every geometry gets back its own parts, in order.

    (Found by the property tests: the parts of the multi members came last and the indices were unsorted.)
    """
    a = shapely.from_wkt("GEOMETRYCOLLECTION (MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((2 2, 3 2, 3 3, 2 2))), "
                         "POLYGON ((5 5, 6 5, 6 6, 5 5)))")
    b = shapely.from_wkt("GEOMETRYCOLLECTION (POLYGON ((10 10, 11 10, 11 11, 10 10)), LINESTRING (0 0, 1 1))")
    out = dominant_parts(np.array([a, b, a], dtype=object))
    assert [len(g.geoms) for g in out] == [3, 1, 3]
    assert out[0].area == 1.5 and out[1].area == 0.5 and out[2].equals(out[0])
