"""Coordinates: where a point is, in which system, and how to get it into metres (DESIGN §7).

* :mod:`~gis.geodesy.crs` — the metric working CRS, CRS checks, projecting geometry arrays;
* :mod:`~gis.geodesy.datums` — the offset datums of Chinese web maps (GCJ-02, BD-09);
* :mod:`~gis.geodesy.gauss_kruger` — Gauss–Krüger zones, zone prefixes, X/Y order;
* :mod:`~gis.geodesy.helmert` — Helmert shifts from 1980 西安 / 1954 北京 / local systems;
* :mod:`~gis.geodesy.convert` — datum shift and projection of whole frames (``parkgis convert``).
"""
