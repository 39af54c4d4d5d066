"""PostGIS tables as inputs and outputs (the server store).

A table is named by a URL with the table in the fragment::

    postgresql://user:password@host:5432/database#schema.table
    postgresql+psycopg://user@host/database#table          (schema "public")
    postgresql://host/db#"my.schema"."地块 2024"             (quoted: dots inside names)

The fragment may be percent-encoded. A part in double quotes may contain dots;
``""`` inside it is one quote. Names are case-sensitive and used verbatim (they
are never folded to lower case as unquoted SQL would).

Identifiers never reach SQL as plain text: statements are composed with
:mod:`psycopg.sql` (``Identifier``) or SQLAlchemy's quoting, and values are
bound as parameters. Connections use psycopg 3 (``postgresql+psycopg``)
through SQLAlchemy: reading is geopandas' ``read_postgis``; writing is pandas'
``to_sql`` with a GeoAlchemy2 geometry column (which also builds the GiST
index) and psycopg's row-wise ``COPY``. geopandas' ``to_postgis`` is not used
for writing because it loads the rows as CSV, where an empty string becomes
NULL. (PostGIS as the tests' oracle for areas, shares and distances lives in
``tests/oracle.py``.)

Modules: :mod:`~gis.io.postgis.url` (the URL and its table), :mod:`~gis.io.postgis.connection`
(one transaction, errors, catalogue queries), :mod:`~gis.io.postgis.read` and
:mod:`~gis.io.postgis.write`.
"""

from gis.io.postgis.read import read_postgis_url
from gis.io.postgis.url import PostgisTarget, is_postgis_url, parse_postgis_url
from gis.io.postgis.write import write_postgis_url

__all__ = [
    "PostgisTarget",
    "is_postgis_url",
    "parse_postgis_url",
    "read_postgis_url",
    "write_postgis_url",
]
