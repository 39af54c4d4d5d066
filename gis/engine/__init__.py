"""The overlay engine: parcels or sites against the layers, as whole arrays, in metres.

* :mod:`~gis.engine.normalise` — the entry step: datum, CRS, repairs, masks of what is missing or not a polygon;
* :mod:`~gis.engine.overlay_table` — the entry point for the stages above: the geometric DESIGN §4 columns of an array;
* :mod:`~gis.engine.coverage` — labelled polygons (zones, towns, 1 km zone) and the shares of parcels in them;
* :mod:`~gis.engine.locate` — which parcels meet a coverage boundary, which label holds the rest;
* :mod:`~gis.engine.boundary_cells` — the raster of boundary cells that settles most parcels in numpy;
* :mod:`~gis.engine.convex_overlap` — areas of convex parcels on a boundary, from its segments (Green's theorem);
* :mod:`~gis.engine.riverbank_distance` — exact distances to the riverbank by a grid of candidate segments.
"""
