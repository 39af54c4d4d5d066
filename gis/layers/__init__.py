"""Layers: the district, parks, construction areas, riverbank and the zones derived from them (DESIGN §3).

The short API: :func:`load_layers` reads a layer source (a GeoPackage, a folder
or a TOML manifest; :func:`default_source` is the embedded Chongming one) into a
:class:`LayerSet`, validated, clipped to the district, with zones 104/195/198 and
the Yangtze 1 km zone derived.

Modules, by concern:

* :mod:`~gis.layers.roles` — the roles, their geometry, fields and bilingual names;
* :mod:`~gis.layers.sources` — reading and checking each role of a source;
* :mod:`~gis.layers.zones` — the derived zones, computed in metres;
* :mod:`~gis.layers.layerset` — the :class:`LayerSet` and :func:`load_layers`.
"""

from gis.layers.layerset import LayerSet, load_layers
from gis.layers.sources import default_source

__all__ = ["LayerSet", "default_source", "load_layers"]
