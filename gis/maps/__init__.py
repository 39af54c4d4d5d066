"""Maps: every map parkgis draws is drawn here.

* ``web/`` — interactive web maps (folium) that work offline: :func:`make_map`
  builds the map (layers, parcels by action or a density choropleth, legends,
  scale bar, layer control); :func:`save_map` writes it as one self-contained
  HTML file with every JavaScript/CSS asset inlined (:mod:`gis.maps.web.offline`);
  :mod:`gis.maps.web.report_overview` adds the project sites for the report.
* ``printed/`` — print maps (matplotlib): the park maps
  (:mod:`gis.maps.printed.park_maps`), the site maps of siting checks
  (:mod:`gis.maps.printed.site_maps`), and what they share — fonts, layer
  styles, paths, north arrow, scale bar (:mod:`gis.maps.printed.furniture`).
* :mod:`gis.maps.style` — colours and labels shared by all of them;
  :mod:`gis.maps.fonts` — the Simplified Chinese font;
  :mod:`gis.maps.map_inputs` — the density table a map shows.

The names below are loaded lazily, so ``gis.maps.style`` can be imported
without folium.
"""

from __future__ import annotations

__all__ = ["make_map", "save_map", "inline_assets", "external_asset_refs", "MODES", "TILES"]

_WHERE = {
    "make_map": "gis.maps.web.web_map", "save_map": "gis.maps.web.web_map", "MODES": "gis.maps.web.web_map",
    "TILES": "gis.maps.web.web_map", "inline_assets": "gis.maps.web.offline",
    "external_asset_refs": "gis.maps.web.offline",
}


def __getattr__(name: str):
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'gis.maps' has no attribute {name!r}")
