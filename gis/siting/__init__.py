"""Siting check: is a proposed project's site allowed, to be reviewed, or prohibited? (DESIGN §6)

The flow, one module a step (one vectorised pass for one site or ten thousand)::

    site: lon/lat, WKT, file           coordinates.py, site_geometry.py
    projects: table + attributes       projects.py (row errors: row_errors.py)
        → datum → WGS84 → working CRS (circles)       site_geometry.prepare_sites (engine's normalise)
        → overlay table (zone, park, town, riverbank distance, reserve)   gis.engine.overlay_table
        → site table (+ industry, figures, park positioning, nearest park)  site_table.py
        → siting rules (zoning_rules/site_*.py) → verdict                   evaluate.py
    the pass above for a chunk of sites                                    run.py
    one site → SiteResult (its ``to_dict()`` is the DESIGN §6 JSON)        check.py, result.py
    a table of projects → one row each, errors on rows not checked        batch.py
    the result in words (bilingual text)                                   present.py

The verdict is the worst level among the checks; ``not_evaluated`` is listed
but never decides. The site's map is drawn in :mod:`gis.maps.printed.site_maps`
and its HTML page written by :mod:`gis.report.site_page`.

Distances are measured in the metric working CRS (:data:`gis.geodesy.crs.WORK_CRS`, a
transverse Mercator centred on the district whose scale error is below 2e-5
here, so a 1,000 m distance is good to 2 cm); ``riverbank_m`` is the shortest
distance from any part of the site to the riverbank.
"""
