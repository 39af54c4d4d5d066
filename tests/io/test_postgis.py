"""PostGIS input/output and the PostGIS oracle, against a real server.

The server comes from the ``postgis_url`` fixture (``tests/fixtures_postgis.py``):
a throw-away PostgreSQL+PostGIS cluster started for the session.
"""

from __future__ import annotations

import uuid

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely
from oracle import oracle_metrics
from shapely import wkt

from gis.errors import CRSError, InputError, OutputError
from gis.io.postgis import (
    is_postgis_url,
    parse_postgis_url,
    read_postgis_url,
    write_postgis_url,
)

GEOD = pyproj.Geod(ellps="WGS84")


def _name(prefix: str = "t") -> str:
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


def _url(postgis_url: str, fragment: str) -> str:
    # The fixture gives postgresql+psycopg://…; users write postgresql://…
    return postgis_url.replace("postgresql+psycopg://", "postgresql://") + "#" + fragment


def _engine(postgis_url: str):
    import sqlalchemy as sa

    return sa.create_engine(postgis_url, poolclass=sa.pool.NullPool)


def _sample() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "parcel_id": ["CM-001", "CM-002", "CM-003"],
            "enterprise_zh": ["上海长兴岛船舶有限公司", "崇明“绿色”食品厂", "富盛 O'Neil 厨具"],
            "note": ["", None, 'a,"b"\n\\N\ttab'],  # empty ≠ NULL; COPY/CSV specials
            "employees": np.array([120, 0, 35], dtype="int64"),
            "output_wan": [12345.5, 0.25, np.nan],
            "high_tech": [True, False, True],
        },
        geometry=[
            # a polygon with a hole
            wkt.loads("POLYGON ((121.50 31.60, 121.51 31.60, 121.51 31.61, 121.50 31.61, 121.50 31.60),"
                      " (121.503 31.603, 121.506 31.603, 121.506 31.606, 121.503 31.603))"),
            # a multi-polygon, one part holed
            wkt.loads("MULTIPOLYGON (((121.60 31.62, 121.61 31.62, 121.61 31.63, 121.60 31.62)),"
                      " ((121.62 31.62, 121.64 31.62, 121.64 31.64, 121.62 31.64, 121.62 31.62),"
                      "  (121.625 31.625, 121.63 31.625, 121.63 31.63, 121.625 31.63, 121.625 31.625)))"),
            wkt.loads("POLYGON ((121.70 31.55, 121.7013 31.55, 121.7013 31.5512, 121.70 31.55))"),
        ],
        crs="EPSG:4326",
    )


# --------------------------------------------------------------------------- URLs (no server)


@pytest.mark.parametrize(
    ("url", "schema", "table"),
    [
        ("postgresql://u:pw@h:5432/db#parcels", "public", "parcels"),
        ("postgresql+psycopg://u@h/db#plan.parcels", "plan", "parcels"),
        ("postgres://h/db#规划.地块", "规划", "地块"),
        ('postgresql://h/db#"a.b"."c ""d"""', "a.b", 'c "d"'),
        ("postgresql://h/db#%E8%A7%84%E5%88%92.t%20x", "规划", "t x"),
        ("postgresql://h/db#s.it's", "s", "it's"),
    ],
)
def test_parse_url(url, schema, table):
    t = parse_postgis_url(url)
    assert (t.schema, t.table) == (schema, table)
    assert t.engine_url.drivername == "postgresql+psycopg"


@pytest.mark.parametrize("url", ["postgresql://h/db", "postgresql://h/db#a.b.c", 'postgresql://h/db#"a',
                                 "postgresql://h/db#a..b", "postgresql://h/db#" + "地" * 22])
def test_parse_url_refuses(url):
    with pytest.raises(InputError):
        parse_postgis_url(url)


def test_malformed_url_masks_password():
    with pytest.raises(InputError) as err:
        parse_postgis_url("postgresql://planner:s3cret-pw@host:notaport/db#t")
    assert "s3cret-pw" not in str(err.value) and "planner:***@" in err.value.message_en


def test_is_postgis_url():
    assert is_postgis_url("postgresql://h/db#t")
    assert is_postgis_url("POSTGRES://h/db#t")
    assert is_postgis_url("postgresql+psycopg://h/db#t")
    assert not is_postgis_url("parcels.gpkg")
    assert not is_postgis_url("C:/data/postgresql.gpkg")
    assert not is_postgis_url(None)


def test_password_masked_in_messages():
    # Port 1 on loopback: nothing listens, so the connection is refused at once.
    with pytest.raises(InputError) as err:
        read_postgis_url("postgresql://planner:s3cret-pw@127.0.0.1:1/gis#public.parcels")
    text = f"{err.value} {err.value.bilingual()}"
    assert "s3cret-pw" not in text
    assert "planner:***@127.0.0.1:1" in text
    assert "无法连接" in err.value.message_zh and "Cannot connect" in err.value.message_en


# --------------------------------------------------------------------------- server


@pytest.mark.postgis
def test_server_runs(postgis_server, postgis_url):
    with _engine(postgis_url).connect() as conn:
        version = conn.exec_driver_sql("SELECT postgis_full_version()").scalar()
    assert "POSTGIS=" in version
    assert postgis_url.startswith("postgresql+psycopg://") and "@127.0.0.1:" in postgis_url


@pytest.mark.postgis
def test_round_trip(postgis_url):
    gdf = _sample()
    url = _url(postgis_url, f"public.{_name()}")
    write_postgis_url(gdf, url)
    back = read_postgis_url(url)
    assert back.crs.equals(gdf.crs)
    assert list(back.columns) == list(gdf.columns)
    assert back.geometry.name == "geometry"
    pd.testing.assert_frame_equal(
        pd.DataFrame(back.drop(columns="geometry")), pd.DataFrame(gdf.drop(columns="geometry"))
    )
    assert back["employees"].dtype.kind == "i" and back["high_tech"].dtype == bool
    assert shapely.equals_exact(back.geometry.array, gdf.geometry.array, tolerance=0).all()
    assert list(back.geom_type) == ["Polygon", "MultiPolygon", "Polygon"]


@pytest.mark.postgis
def test_write_fail_replace_and_gist_index(postgis_url):
    gdf = _sample()
    table = _name()
    url = _url(postgis_url, table)
    write_postgis_url(gdf, url)
    with pytest.raises(OutputError, match="already exists"):
        write_postgis_url(gdf, url)
    write_postgis_url(gdf.iloc[:1], url, if_exists="replace")
    assert len(read_postgis_url(url)) == 1
    with _engine(postgis_url).connect() as conn:
        am = conn.exec_driver_sql(
            "SELECT am.amname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_am am ON am.oid = c.relam WHERE i.indrelid = %(t)s::regclass",
            {"t": f"public.{table}"},
        ).scalars().all()
    assert am == ["gist"]


@pytest.mark.postgis
def test_write_refuses_input(postgis_url):
    url = _url(postgis_url, "public.parcels_in")
    same = postgis_url.replace("127.0.0.1", "localhost").replace("postgresql+psycopg", "postgresql")
    with pytest.raises(OutputError, match="also an input"):
        write_postgis_url(_sample(), url, if_exists="replace", inputs=("a.gpkg", same + "#parcels_in"))


@pytest.mark.postgis
def test_failed_write_leaves_nothing(postgis_url):
    schema, table = _name("s"), _name()
    bad = _sample()
    bad["note"] = ["ok", "ok", "nul \x00 byte"]  # PostgreSQL text refuses NUL: COPY fails mid-write
    with pytest.raises(OutputError):
        write_postgis_url(bad, _url(postgis_url, f"{schema}.{table}"))
    with _engine(postgis_url).connect() as conn:
        n = conn.exec_driver_sql(
            "SELECT count(*) FROM pg_namespace WHERE nspname = %(s)s", {"s": schema}
        ).scalar()
    assert n == 0  # not even the schema was created

    # A failed replace keeps the old table.
    url = _url(postgis_url, table)
    write_postgis_url(_sample(), url)
    with pytest.raises(OutputError):
        write_postgis_url(bad, url, if_exists="replace")
    assert len(read_postgis_url(url)) == 3


@pytest.mark.postgis
def test_quoted_identifiers(postgis_url):
    schema = f"规划 {uuid.uuid4().hex[:4]}"
    table = 'O\'Neil "地块" 2024; DROP TABLE x'
    gdf = _sample()
    gdf["it's \"quoted\" 列"] = ["a", "b", "c"]
    quoted = '"' + schema + '"."' + table.replace('"', '""') + '"'
    url = _url(postgis_url, quoted)
    write_postgis_url(gdf, url)
    back = read_postgis_url(url)
    assert list(back["it's \"quoted\" 列"]) == ["a", "b", "c"]
    assert len(back) == 3
    # The same table through a percent-encoded fragment.
    from urllib.parse import quote

    assert len(read_postgis_url(_url(postgis_url, quote(quoted, safe="")))) == 3
    with _engine(postgis_url).connect() as conn:
        names = conn.exec_driver_sql(
            "SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema = %(s)s",
            {"s": schema},
        ).all()
        indexes = conn.exec_driver_sql(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = %(s)s", {"s": schema}
        ).scalars().all()
    assert [tuple(r) for r in names] == [(schema, table)]
    assert len(indexes) == 1 and "USING gist" in indexes[0]


@pytest.mark.postgis
def test_missing_table_lists_tables(postgis_url):
    table = _name("known")
    write_postgis_url(_sample(), _url(postgis_url, table))
    with pytest.raises(InputError) as err:
        read_postgis_url(_url(postgis_url, "public.no_such_table"))
    assert "public.no_such_table" in err.value.message_en
    assert f"public.{table}" in err.value.message_en
    assert f"public.{table}" in err.value.message_zh and "没有表" in err.value.message_zh


@pytest.mark.postgis
def test_srid_0_needs_assume_crs(postgis_url):
    table = _name("nosrid")
    with _engine(postgis_url).begin() as conn:
        conn.exec_driver_sql(f"CREATE TABLE {table} (id int, geom geometry)")
        conn.exec_driver_sql(
            f"INSERT INTO {table} VALUES (1, ST_GeomFromText('POINT(121.5 31.6)'))"
        )
    url = _url(postgis_url, table)
    with pytest.raises(CRSError) as err:
        read_postgis_url(url)
    assert "--assume-crs" in err.value.hint_en and "--assume-crs" in err.value.hint_zh
    gdf = read_postgis_url(url, assume_crs="EPSG:4326")
    assert gdf.crs.to_epsg() == 4326 and gdf.geometry.name == "geom"


@pytest.mark.postgis
def test_srid_on_values_of_generic_column(postgis_url):
    table = _name("generic")
    with _engine(postgis_url).begin() as conn:
        conn.exec_driver_sql(f"CREATE TABLE {table} (id int, geom geometry)")
        conn.exec_driver_sql(
            f"INSERT INTO {table} VALUES (1, ST_GeomFromText('POINT(500000 3500000)', 4549))"
        )
    assert read_postgis_url(_url(postgis_url, table)).crs.to_epsg() == 4549


@pytest.mark.postgis
def test_missing_postgis_extension(postgis_server, postgis_url):
    import psycopg

    db = _name("plain")
    with psycopg.connect(host="127.0.0.1", port=postgis_server.port, user="parkgis",
                         dbname="postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {db}")
    try:
        url = postgis_url.rsplit("/", 1)[0] + f"/{db}#t"
        with pytest.raises(InputError) as err:
            read_postgis_url(url)
        assert "CREATE EXTENSION postgis" in err.value.hint_en
        with pytest.raises(OutputError):
            write_postgis_url(_sample(), url)
    finally:
        with psycopg.connect(host="127.0.0.1", port=postgis_server.port, user="parkgis",
                             dbname="postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE {db}")


# --------------------------------------------------------------------------- oracle


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


# --------------------------------------------------------------------------- agreement with gis.classification.classify


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
    oracle = oracle_metrics(postgis_url, parcels, zones, layers.riverbank)
    oracle["share_outside"] = 1 - oracle[["share_104", "share_195", "share_198"]].sum(axis=1)

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
    src = _url(postgis_url, f"输入.{_name('parcels')}")
    dst = _url(postgis_url, f"结果.{_name('classified')}")
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
