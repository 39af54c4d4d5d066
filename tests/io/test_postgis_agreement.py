"""PostGIS as the independent oracle: tests/oracle.py checked by hand, the classification agreeing with
PostGIS on parcels built to hit the hard cases, and ``parkgis classify`` from and to PostGIS tables."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely
from oracle import oracle_metrics
from postgis_cases import table_name, table_url
from shapely import wkt

from gis.io.postgis import read_postgis_url, write_postgis_url

GEOD = pyproj.Geod(ellps="WGS84")


def _square(lon0: float, lat0: float, width_m: float, height_m: float) -> shapely.Polygon:
    """A lon/lat rectangle of about width × height metres with its SW corner at (lon0, lat0)."""
    lon1 = GEOD.fwd(lon0, lat0, 90, width_m)[0]
    lat1 = GEOD.fwd(lon0, lat0, 0, height_m)[1]
    return shapely.box(lon0, lat0, lon1, lat1)


@pytest.mark.postgis
def test_oracle_hand_checked(postgis_url):
    sq = _square(121.60, 31.50, 100, 100)
    # 30 % of this one lies west of 121.70 (zone "a"), 70 % east (zone "b").
    rect = shapely.box(121.70 - 0.3 * 0.01, 31.52, 121.70 + 0.7 * 0.01, 31.522)
    parcels = gpd.GeoDataFrame({"parcel_id": ["sq", "rect"]}, geometry=[sq, rect], crs="EPSG:4326")
    zones = {
        "a": gpd.GeoDataFrame(geometry=[shapely.box(121.0, 31.0, 121.70, 32.0)], crs="EPSG:4326"),
        "b": gpd.GeoDataFrame(geometry=[shapely.box(121.70, 31.0, 122.0, 32.0)], crs="EPSG:4326"),
    }
    # A riverbank along the parallel 31.51 N, short enough that its edges stay on the parallel.
    river = gpd.GeoDataFrame(geometry=[shapely.LineString([(121.59, 31.51), (121.62, 31.51)])],
                             crs="EPSG:4326")
    got = oracle_metrics(postgis_url, parcels, zones, river)
    assert list(got.index) == ["sq", "rect"]
    assert list(got.columns) == ["area_m2", "share_a", "share_b", "riverbank_m"]

    geod_area = abs(GEOD.geometry_area_perimeter(sq)[0])
    assert got.loc["sq", "area_m2"] == pytest.approx(geod_area, rel=1e-3)
    assert geod_area == pytest.approx(1e4, rel=1e-3)
    assert got.loc["sq", "share_a"] == pytest.approx(1.0)
    assert got.loc["sq", "share_b"] == 0.0
    # From the square's north edge to the parallel 31.51 N: a meridian arc.
    north = sq.bounds[3]
    expected = GEOD.inv(121.60, north, 121.60, 31.51)[2]
    assert got.loc["sq", "riverbank_m"] == pytest.approx(expected, abs=0.01)

    assert got.loc["rect", "share_a"] == pytest.approx(0.3, abs=1e-4)
    assert got.loc["rect", "share_b"] == pytest.approx(0.7, abs=1e-4)
    assert got.loc["rect", "area_m2"] == pytest.approx(abs(GEOD.geometry_area_perimeter(rect)[0]),
                                                       rel=1e-4)


@pytest.mark.postgis
def test_oracle_repairs_invalid_and_handles_missing(postgis_url):
    bowtie = wkt.loads("POLYGON ((121.60 31.50, 121.601 31.501, 121.601 31.50, 121.60 31.501, 121.60 31.50))")
    parcels = gpd.GeoDataFrame(
        {"pid": [7, 8, 9]}, geometry=[bowtie, None, shapely.Point(121.6, 31.5)], crs="EPSG:4326"
    ).to_crs(4549)  # any input CRS: the oracle works in EPSG:4326
    zones = {"z": gpd.GeoDataFrame(geometry=[shapely.box(121.0, 31.0, 122.0, 32.0)], crs="EPSG:4326")}
    got = oracle_metrics(postgis_url, parcels, zones, None, id_field="pid")
    repaired = shapely.make_valid(bowtie)
    assert got.loc[7, "area_m2"] == pytest.approx(abs(GEOD.geometry_area_perimeter(repaired)[0]), rel=1e-3)
    assert got.loc[7, "share_z"] == pytest.approx(1.0)
    assert np.isnan(got.loc[8, "area_m2"]) and np.isnan(got.loc[8, "share_z"])
    assert got.loc[9, "area_m2"] == 0 and np.isnan(got.loc[9, "share_z"])
    assert got["riverbank_m"].isna().all()


def _largest_exterior(geom) -> shapely.LineString:
    parts = shapely.get_parts(geom)
    return parts[np.argmax(shapely.area(parts))].exterior


def _agreement_parcels(layers) -> gpd.GeoDataFrame:
    """Parcels built from the layers themselves (metres, WORK_CRS), so they hit the cases
    whatever the layer geometry: straddling zone edges, on the coast (partly outside the
    district), on the riverbank, holed, multi-part, invalid, inland at various distances, one large."""
    from gis.geodesy.crs import from_work

    district = layers.work_union("district")
    z104 = layers.work_union("zone_104")
    z195 = layers.work_union("zone_195")
    z198 = layers.work_union("zone_198")

    def on(geom, frac: float) -> tuple[float, float]:
        p = shapely.line_interpolate_point(_largest_exterior(geom), frac, normalized=True)
        return p.x, p.y

    def sq(xy, half: float):
        return shapely.box(xy[0] - half, xy[1] - half, xy[0] + half, xy[1] + half)

    def inside(geom):
        p = shapely.point_on_surface(shapely.get_parts(geom)[np.argmax(shapely.area(shapely.get_parts(geom)))])
        return p.x, p.y

    rows: list[tuple[str, object]] = []
    for k, f in enumerate([0.1, 0.45, 0.8]):
        rows.append((f"park_edge_{k}", sq(on(z104, f), 100)))
    for k, f in enumerate([0.2, 0.6]):
        rows.append((f"town_edge_{k}", sq(on(z195, f), 120)))
    for k, f in enumerate([0.15, 0.5, 0.85]):
        rows.append((f"coast_{k}", sq(on(district, f), 150)))
    river = shapely.get_parts(layers.work_union("riverbank"))
    river = river[np.argmax(shapely.length(river))]
    for k, f in enumerate([0.3, 0.7]):
        p = shapely.line_interpolate_point(river, f, normalized=True)
        rows.append((f"riverbank_{k}", sq((p.x, p.y), 150)))
    x, y = on(z104, 0.6)
    rows.append(("holed", shapely.Polygon(sq((x, y), 300).exterior.coords,
                                          [sq((x + 50, y - 40), 100).exterior.coords])))
    rows.append(("multi", shapely.MultiPolygon([sq(inside(z104), 75), sq(inside(z198), 75),
                                                sq(on(z195, 0.35), 60)])))
    x, y = on(z195, 0.75)
    rows.append(("invalid_bowtie", shapely.Polygon([(x - 150, y - 150), (x + 150, y + 150),
                                                    (x + 150, y - 150), (x - 150, y + 150)])))
    x, y = on(z104, 0.3)
    rows.append(("invalid_hole_outside", shapely.Polygon(sq((x, y), 80).exterior.coords,
                                                         [sq((x + 200, y), 40).exterior.coords])))
    rows.append(("inside_park", sq(inside(z104), 50)))
    rows.append(("big", sq(inside(district), 1500)))
    rows += _water_cases(layers, sq)
    rng = np.random.default_rng(20240601)
    x0, y0, x1, y1 = district.bounds
    shapely.prepare(district)
    n = 0
    while n < 8:
        x, y = rng.uniform(x0, x1), rng.uniform(y0, y1)
        if shapely.contains_xy(district, x, y):
            rows.append((f"inland_{n}", sq((x, y), float(rng.uniform(40, 400)))))
            n += 1
    geoms = from_work(np.array([g for _, g in rows], dtype=object))
    return gpd.GeoDataFrame({"parcel_id": [r[0] for r in rows]}, geometry=geoms, crs="EPSG:4326")


def _water_cases(layers, sq) -> list[tuple[str, object]]:
    """With a land layer: parcels wholly in the water, across the shore, and across the land's edge on the
    district outline (the Jiangsu enclaves: land on both sides, no water at all)."""
    if layers.water is None:
        return []
    water = shapely.get_parts(layers.work_union("water"))
    water = water[np.argmax(shapely.area(water))]
    land = layers.work_union("land")
    rows = [("water_deep", sq(shapely.point_on_surface(shapely.buffer(water, -2000.0)).coords[0], 100))]
    bank = shapely.intersection(layers.work_union("riverbank"), shapely.buffer(layers.work_union("district"), -500))
    bank = shapely.get_parts(bank)[np.argmax(shapely.length(shapely.get_parts(bank)))]
    for k, f in enumerate([0.25, 0.55]):
        p = shapely.line_interpolate_point(bank, f, normalized=True)
        rows.append((f"shore_{k}", sq((p.x, p.y), 60)))
    # where the land runs on past the outline: its edge there is an administrative line
    admin = shapely.intersection(shapely.boundary(land), shapely.buffer(shapely.boundary(layers.work_union("district")),
                                                                        0.5))
    admin = shapely.get_parts(shapely.line_merge(admin))
    admin = admin[np.argmax(shapely.length(admin))]
    for k, f in enumerate([0.3, 0.7]):
        p = shapely.line_interpolate_point(admin, f, normalized=True)
        rows.append((f"admin_edge_{k}", sq((p.x, p.y), 80)))
    return rows


#: Water (m²) in a parcel below which the oracle calls it dry: the land layer ends on the district outline with
#: vertices rounded to 1e-7° (≈ 1 cm), so the two leave slivers of millimetres there that are no water.
WATER_TOL_M2 = 10.0


@pytest.fixture(params=["embedded", "toy"])
def agreement_layers(request, tmp_path):
    from gis.layers.layerset import load_layers

    if request.param == "embedded":
        return load_layers()
    from toylayers import write_toy_gpkg

    return load_layers(write_toy_gpkg(tmp_path / "toy.gpkg"))


@pytest.mark.postgis
def test_classify_agrees_with_postgis(postgis_url, agreement_layers):
    import gis

    layers = agreement_layers
    parcels = _agreement_parcels(layers)
    ours = gis.classify(parcels, layers).set_index("parcel_id")
    zones = {"104": layers.zone_104, "195": layers.zone_195, "198": layers.zone_198}
    land = (layers.district, layers.land) if layers.land is not None else None
    oracle = oracle_metrics(postgis_url, parcels, zones, layers.riverbank, land=land)
    oracle["share_outside"] = 1 - oracle[["share_104", "share_195", "share_198"]].sum(axis=1)
    ours_wet = ours["flags"].str.contains("in_water").to_numpy()
    if land is not None:
        # DESIGN §4: a parcel (partly) seaward of the shore is in_water, 0 m from the riverbank.
        wet = (oracle["water_m2"] > WATER_TOL_M2).to_numpy()
        oracle.loc[wet, "riverbank_m"] = 0.0
        assert wet.sum() >= 3 and (~wet).sum() >= 10, "too few parcels on each side of the shore"
        assert not wet[oracle.index.get_indexer(["admin_edge_0", "admin_edge_1"])].any()
        assert list(oracle.index[ours_wet]) == list(oracle.index[wet]), "in_water disagrees with PostGIS"
    else:
        assert not ours_wet.any()

    # The set must really hold the cases it is meant to (whatever the layers look like).
    shares = oracle[["share_104", "share_195", "share_198", "share_outside"]]
    assert ((shares > 0.02) & (shares < 0.98)).any(axis=1).sum() >= 5, "too few straddling parcels"
    assert (oracle["share_outside"] > 0.02).sum() >= 2, "too few coastal parcels"
    assert (oracle["riverbank_m"] == 0).any() and (oracle["riverbank_m"] > 1000).any()
    assert not parcels.geometry.is_valid.all()

    cols = ["area_m2", "share_104", "share_195", "share_198", "share_outside", "riverbank_m"]
    diff = pd.concat({"ours": ours[cols].astype(float), "postgis": oracle[cols]}, axis=1)
    bad = (
        ((diff["ours", "area_m2"] - diff["postgis", "area_m2"]).abs() > 1e-3 * diff["postgis", "area_m2"])
        | (pd.concat([(diff["ours", c] - diff["postgis", c]).abs() > 0.005
                      for c in cols[1:5]], axis=1).any(axis=1))
        | ((diff["ours", "riverbank_m"] - diff["postgis", "riverbank_m"]).abs() > 1.0)
    )
    with pd.option_context("display.width", 250, "display.max_columns", 20):
        assert not bad.any(), f"disagreement with PostGIS:\n{diff[bad].round(4)}"


@pytest.mark.postgis
def test_cli_classify_from_and_to_postgis(postgis_url, tmp_path):
    """``parkgis classify postgresql://…#in -o postgresql://…#out`` (issue 4 item 5)."""
    from click.testing import CliRunner
    from toylayers import write_toy_gpkg

    import gis
    from gis.cli.main import cli
    from gis.layers.layerset import load_layers

    gpkg = write_toy_gpkg(tmp_path / "toy.gpkg")
    layers = load_layers(gpkg)
    parcels = _agreement_parcels(layers).iloc[:8].to_crs(4549)  # a CGCS2000 input stays CGCS2000
    src = table_url(postgis_url, f"输入.{table_name('parcels')}")
    dst = table_url(postgis_url, f"结果.{table_name('classified')}")
    write_postgis_url(parcels, src)

    result = CliRunner().invoke(cli, ["classify", src, "--layers", str(gpkg), "-o", dst])
    assert result.exit_code == 0, result.output
    out = read_postgis_url(dst)
    assert out.crs.to_epsg() == 4549
    expected = gis.classify(parcels, layers)
    assert list(out["parcel_id"]) == list(expected["parcel_id"])
    assert list(out["action"]) == list(expected["action"])
    np.testing.assert_allclose(out["area_m2"], expected["area_m2"], rtol=1e-12)

    # The output may not overwrite the input table.
    result = CliRunner().invoke(cli, ["classify", src, "--layers", str(gpkg), "-o", src])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert len(read_postgis_url(src)) == 8
