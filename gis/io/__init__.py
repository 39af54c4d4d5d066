"""Reading and writing: the first and last stage of the flow (DESIGN §2).

The short API: :func:`read_vector` reads any source a planner has — a file GDAL
reads, GeoParquet, CSV with lon/lat or WKT, the boundary-coordinate TXT format,
a PostGIS table — and refuses one without a CRS; :func:`write_vector` writes
atomically, in the format the suffix names, never over an input;
:func:`list_layers` names the layers of a multi-layer file.

Modules, by concern:

* :mod:`~gis.io.vector` — the front door: picks the reader or writer by source;
* :mod:`~gis.io.ogr` — files through GDAL's OGR (layers, encodings, errors);
* :mod:`~gis.io.encoding` — text encoding of Shapefile attribute tables;
* :mod:`~gis.io.shapefile`, :mod:`~gis.io.geopackage` — writers of those formats;
* :mod:`~gis.io.csv_geometry` — CSV with lon/lat or WKT columns;
* :mod:`~gis.io.coordtxt` — the boundary-coordinate TXT format (用地红线 / 界址点坐标);
* :mod:`~gis.io.postgis` — PostGIS tables named by ``postgresql://…#schema.table``;
* :mod:`~gis.io.tables` — Excel/CSV tables for people (three-row headers);
* :mod:`~gis.io.safe_write` — atomic outputs, and no output over an input.
"""

from gis.io.ogr import list_layers
from gis.io.vector import read_vector, write_vector

__all__ = ["list_layers", "read_vector", "write_vector"]
