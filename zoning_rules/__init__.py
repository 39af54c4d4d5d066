"""Rule modules of parkgis: one module per rule (see gis.rules)."""
