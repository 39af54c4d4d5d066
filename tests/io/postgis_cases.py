"""Shared cases of the PostGIS tests (tests/io/test_postgis_*.py).

The server comes from the ``postgis_url`` fixture (``tests/fixtures_postgis.py``):
a throw-away PostgreSQL+PostGIS cluster started for the session.
"""

from __future__ import annotations

import uuid

import geopandas as gpd
import numpy as np
from shapely import wkt


def table_name(prefix: str = "t") -> str:
    """A fresh table name, so tests never see each other's tables."""
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


def table_url(postgis_url: str, fragment: str) -> str:
    """The URL a user would write for a table of the test server."""
    # The fixture gives postgresql+psycopg://…; users write postgresql://…
    return postgis_url.replace("postgresql+psycopg://", "postgresql://") + "#" + fragment


def engine(postgis_url: str):
    """A SQLAlchemy engine on the test server, for checks behind the library's back."""
    import sqlalchemy as sa

    return sa.create_engine(postgis_url, poolclass=sa.pool.NullPool)


def sample_parcels() -> gpd.GeoDataFrame:
    """Three parcels with the values COPY and CSV get wrong (empty text, NULL, quotes, tabs) and holed parts."""
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
