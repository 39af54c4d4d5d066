"""Layer data shipped with parkgis (importable as ``parkgis_layers``)."""
