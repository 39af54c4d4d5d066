"""PostGIS as an independent oracle for the engine's areas, shares and distances (tests and benchmarks).

DESIGN's standard: areas within 0.1 %, shares within 0.005 and distances within
1 m of PostGIS on the same data. :func:`oracle_metrics` computes those figures
with PostGIS alone, for the tests to compare against :func:`gis.classify`.
"""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gis.geodesy.crs import DENSIFY_DEG, WGS84

__all__ = ["oracle_metrics"]


def oracle_metrics(
    engine_url,
    parcels_gdf: gpd.GeoDataFrame,
    zones: Mapping[str, gpd.GeoDataFrame],
    riverbank_gdf: gpd.GeoDataFrame | None,
    id_field: str = "parcel_id",
    *,
    densify_deg: float | None = DENSIFY_DEG,
    land: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame] | None = None,
) -> pd.DataFrame:
    """Compute parcel metrics with PostGIS alone, as an independent check.

    Everything is loaded in EPSG:4326 into temporary tables (dropped at the end;
    the transaction is rolled back). Per parcel, invalid geometries first pass
    through ``ST_MakeValid`` (polygonal parts kept), then:

    * ``area_m2 = ST_Area(p::geography)``
    * ``share_<zone> = ST_Area(ST_Intersection(p, z)::geography) / ST_Area(p::geography)``
      where ``z`` is the union of that zone's polygons;
    * ``riverbank_m = ST_Distance(p::geography, riverbank::geography)`` (spheroid);
    * with ``land = (district, land)``: ``water_m2 = ST_Area(ST_Intersection(p, w)::geography)``
      where ``w = ST_Difference(district, land)`` — the river and tidal flats of
      DESIGN §3 (the part of a parcel seaward of the shore, for ``in_water``).

    PostGIS ``geography`` takes an edge as a geodesic, whereas the lon/lat
    geometry (and DESIGN §7) takes it as straight in lon/lat. Geometries are
    therefore ``ST_Segmentize``-d to ``densify_deg`` degrees (≈100 m) before the
    cast, so both readings agree to millimetres. ``None`` turns this off.

    Parameters
    ----------
    engine_url : str or sqlalchemy URL
        ``postgresql[+psycopg]://…`` of a database with PostGIS (a fragment is ignored).
    parcels_gdf : GeoDataFrame
        Parcels in any CRS; ``id_field`` gives the index of the result.
    zones : mapping of str to GeoDataFrame
        Zone name → its polygons (any CRS).
    riverbank_gdf : GeoDataFrame or None
        Riverbank lines (any CRS); None gives NaN distances.
    land : (GeoDataFrame, GeoDataFrame), optional
        The district and the land layer (any CRS): adds ``water_m2``.

    Returns
    -------
    DataFrame
        Index: the parcel ids in input order. Columns ``area_m2`` (m²),
        ``share_<zone>`` for each zone (fraction; NaN for a parcel without
        area), ``riverbank_m`` (m; NaN for a parcel without geometry), and
        ``water_m2`` (m²) when ``land`` is given.
    """
    import psycopg
    from psycopg import sql
    from sqlalchemy.engine import make_url

    url = make_url(engine_url.split("#")[0] if isinstance(engine_url, str) else engine_url)
    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)

    def wkb(gdf: gpd.GeoDataFrame) -> list:
        geoms = gdf.geometry.to_crs(WGS84).array if gdf.crs is not None else gdf.geometry.array
        out = shapely.to_wkb(np.asarray(geoms, dtype=object))
        return [None if g is None else bytes(g) for g in out]

    seg = (lambda x: sql.SQL("ST_Segmentize({}, {})").format(x, sql.Literal(float(densify_deg)))) \
        if densify_deg else (lambda x: x)
    # Rolled back at the end: nothing of the oracle stays in the database.
    with psycopg.connect(conninfo) as pg:
        pg.execute("CREATE TEMP TABLE oracle_parcels (rid int, g geometry) ON COMMIT DROP")
        pg.execute("CREATE TEMP TABLE oracle_zones (zone text, g geometry) ON COMMIT DROP")
        pg.execute("CREATE TEMP TABLE oracle_river (g geometry) ON COMMIT DROP")
        with pg.cursor() as cur:
            cur.executemany(
                "INSERT INTO oracle_parcels VALUES (%s, ST_GeomFromWKB(%s, 4326))",
                list(enumerate(wkb(parcels_gdf))),
            )
            for name, zgdf in zones.items():
                cur.executemany(
                    "INSERT INTO oracle_zones VALUES (%s, ST_MakeValid(ST_GeomFromWKB(%s, 4326)))",
                    [(str(name), w) for w in wkb(zgdf) if w is not None],
                )
            if riverbank_gdf is not None:
                cur.executemany(
                    "INSERT INTO oracle_river VALUES (ST_GeomFromWKB(%s, 4326))",
                    [(w,) for w in wkb(riverbank_gdf) if w is not None],
                )
            if land is not None:
                for name, lgdf in zip(("__district", "__land"), land, strict=True):
                    cur.executemany(
                        "INSERT INTO oracle_zones VALUES (%s, ST_MakeValid(ST_GeomFromWKB(%s, 4326)))",
                        [(name, w) for w in wkb(lgdf) if w is not None],
                    )
        # Repair like GEOS make_valid, keeping only polygonal parts of (multi)polygons.
        pg.execute(
            "UPDATE oracle_parcels SET g = CASE WHEN ST_Dimension(g) = 2 "
            "THEN ST_CollectionExtract(ST_MakeValid(g), 3) ELSE ST_MakeValid(g) END "
            "WHERE g IS NOT NULL AND NOT ST_IsValid(g)"
        )
        pg.execute(
            "CREATE TEMP TABLE oracle_zone_union ON COMMIT DROP AS "
            "SELECT zone, ST_UnaryUnion(ST_Collect(ST_CollectionExtract(g, 3))) AS g "
            "FROM oracle_zones GROUP BY zone"
        )
        pg.execute(
            "CREATE TEMP TABLE oracle_river_union ON COMMIT DROP AS "
            "SELECT ST_Collect(d.geom) AS g FROM oracle_river r, ST_Dump(r.g) d"
        )
        base = pg.execute(sql.SQL(
            "SELECT p.rid, ST_Area({pg}::geography), ST_Distance({pg}::geography, {rg}::geography) "
            "FROM oracle_parcels p LEFT JOIN oracle_river_union r ON true ORDER BY p.rid"
        ).format(pg=seg(sql.SQL("p.g")), rg=seg(sql.SQL("r.g")))).fetchall()
        if land is not None:  # water = district − land, as one more "zone"
            pg.execute(
                "INSERT INTO oracle_zone_union SELECT '__water', ST_CollectionExtract(ST_Difference(d.g, l.g), 3) "
                "FROM oracle_zone_union d, oracle_zone_union l WHERE d.zone = '__district' AND l.zone = '__land'"
            )
        inter = pg.execute(sql.SQL(
            "SELECT p.rid, z.zone, ST_Area({ig}::geography) "
            "FROM oracle_parcels p JOIN oracle_zone_union z ON ST_Intersects(p.g, z.g)"
        ).format(ig=seg(sql.SQL("ST_Intersection(p.g, z.g)")))).fetchall()
        pg.rollback()

    ids = parcels_gdf[id_field].to_numpy() if id_field in parcels_gdf.columns else parcels_gdf.index
    out = pd.DataFrame(
        {"area_m2": [r[1] for r in base], "riverbank_m": [r[2] for r in base]},
        index=pd.RangeIndex(len(base)), dtype=float,
    )
    area = out["area_m2"].where(out["area_m2"] > 0)
    for name in zones:
        col = np.zeros(len(out))
        for rid, zone, a in inter:
            if zone == str(name):
                col[rid] += a
        out[f"share_{name}"] = col / area
    if land is not None:
        water = np.zeros(len(out))
        for rid, zone, a in inter:
            if zone == "__water":
                water[rid] += a
        out["water_m2"] = np.where(out["area_m2"].isna(), np.nan, water)
    out.index = pd.Index(ids, name=id_field)
    return out[["area_m2", *[f"share_{n}" for n in zones], "riverbank_m", *(["water_m2"] if land else [])]]
