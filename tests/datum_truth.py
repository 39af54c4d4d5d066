"""WGS84 truth for the datum round trips (DESIGN §7): parcels, their GCJ-02 picks, and a metre check.

An output is honest when its coordinates are where its CRS says: under an EPSG
label they must be the WGS84 truth, under a GCJ-02 label (no EPSG code) the
truth shifted to GCJ-02 — both within 1 m.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from gis.geodesy.crs import to_work
from gis.geodesy.datums import convert_geometries
from gis.geodesy.offset_crs import offset_datum_of

#: Three parcels in Chongming (WGS84), east and west of 121.5° E (Gauss–Krüger zones 40 and 41).
TRUTH = gpd.GeoDataFrame(
    {"parcel_id": ["W1", "E1", "E2"], "industry": ["3670", "1310", "2614"]},
    geometry=[shapely.box(121.420, 31.660, 121.423, 31.6625), shapely.box(121.757, 31.366, 121.759, 31.3675),
              shapely.Polygon([(121.62, 31.61), (121.623, 31.61), (121.6215, 31.6125)])],
    crs=4326,
)


def gcj02_picks() -> gpd.GeoDataFrame:
    """The parcels as picked on an Amap (GCJ-02) web map, with the pick's lon/lat as columns, labelled lon/lat."""
    g = TRUTH.set_geometry(convert_geometries(TRUTH.geometry.to_numpy(), "wgs84", "gcj02"), crs=4326)
    c = shapely.centroid(g.geometry.to_numpy())
    return g.assign(lon=shapely.get_x(c), lat=shapely.get_y(c))


def metres_off(gdf: gpd.GeoDataFrame, id_field: str = "parcel_id") -> np.ndarray:
    """How far each feature lies from where its CRS label says it should (Hausdorff distance, metres).

    Under a GCJ-02/BD-09 label the expected place is the truth shifted to that datum; under any true CRS
    (EPSG:4326, a Gauss–Krüger zone…) it is the truth itself.
    """
    datum = offset_datum_of(gdf.crs)
    truth = TRUTH.set_index("parcel_id").geometry.reindex(gdf[id_field].astype(str)).to_numpy()
    got = gdf.geometry.to_numpy()
    if datum:
        truth = convert_geometries(truth, "wgs84", datum)
        got_w = to_work(got)  # its lon/lat as they are, measured like the truth's
    else:
        got_w = to_work(got, crs=gdf.crs)
    return shapely.hausdorff_distance(got_w, to_work(truth))
