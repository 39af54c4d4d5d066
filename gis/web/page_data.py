"""What the pages draw and list, computed once at start-up: the layers as GeoJSON and the industry codes.

The layers go to the page's Leaflet map as plain GeoJSON (simplified to about
a metre, coordinates rounded to 1e-5°) with their styles from
:mod:`gis.maps.style`, the same colours as the offline and print maps. Names
stay raw text in the JSON: the page writes them with ``textContent``, never as
HTML.
"""

from __future__ import annotations

import json

import numpy as np
import shapely

from gis.domain.industry import DIVISIONS, MANUFACTURING_DIVISIONS
from gis.domain.industry_categories import CATEGORIES
from gis.domain.industry_classes import parse as parse_classes
from gis.domain.industry_divisions import SECTIONS
from gis.layers import LayerSet
from gis.layers.roles import ROLE_NAMES
from gis.maps.style import ACTIONS, ROLE_STYLE
from gis.maps.web.geojson import display_geoms
from gis.units import M2_PER_MU

__all__ = ["industries_json", "layers_json"]

#: Roles drawn on the page's map (bottom first) and the attributes shown for them.
PAGE_ROLES: dict[str, tuple[str, ...]] = {
    "water": (),
    "zone_198": (),
    "zone_195": (),
    "yangtze_1km": (),
    "strategic_reserve": ("name_zh",),
    "parks": ("park_id", "name_zh", "name_en", "leading_industries", "target_output_2025_yi"),
    "riverbank": (),
    "district": ("name_zh", "name_en"),
}
_RIVERBANK_STYLE = ("长江岸线（今日岸线）", "Yangtze riverbank (today's shoreline)", {"color": "#08306b", "weight": 2})


def _value(v):
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    if isinstance(v, (np.integer, np.floating)):
        return v.item()
    return v if isinstance(v, (int, float, str, bool)) else str(v)


def _features(gdf, fields) -> list[dict]:
    geoms = display_geoms(gdf.geometry.to_numpy(), "wgs84", 1e-5)
    out = []
    for i, g in enumerate(geoms):
        if g is None or g.is_empty:
            continue
        props = {f: _value(gdf[f].iloc[i]) for f in fields if f in gdf.columns}
        out.append({"type": "Feature", "geometry": shapely.geometry.mapping(g), "properties": props})
    return out


def layers_json(layers: LayerSet, limits: dict, version: str) -> bytes:
    """The page's map data: each role's features and style, the bounds, the illustrative flag, the limits.

    Returns
    -------
    bytes
        UTF-8 JSON.
    """
    roles = []
    for role, fields in PAGE_ROLES.items():
        gdf = layers.layer(role)
        if gdf is None or len(gdf) == 0:
            continue
        zh, en, style = _RIVERBANK_STYLE if role == "riverbank" else ROLE_STYLE[role]
        roles.append({"role": role, "name_zh": zh, "name_en": en, "style": style,
                      "features": _features(gdf, fields)})
    minx, miny, maxx, maxy = shapely.total_bounds(layers.district.geometry.to_numpy())
    illustrative = [{"role": r, "name_zh": ROLE_NAMES.get(r, (r, r))[0], "name_en": ROLE_NAMES.get(r, (r, r))[1]}
                    for r in layers.illustrative_roles()]
    data = {"version": version, "source": layers.source, "buffer_m": layers.buffer_m,
            "bounds": [[float(miny), float(minx)], [float(maxy), float(maxx)]], "roles": roles,
            "illustrative": illustrative, "limits": limits, "m2_per_mu": M2_PER_MU,
            "illustrative_note": layers.illustrative_note(),
            "actions": {k: {"name_zh": v[0], "name_en": v[1], "color": v[2]} for k, v in ACTIONS.items()}}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def industries_json() -> bytes:
    """GB/T 4754-2017 sections, divisions, groups and classes (codes and names) and the 1+3+X categories.

    Groups and classes have official Chinese names only (their English is their division's).
    """
    groups, classes = parse_classes()
    data = {
        "standard": "GB/T 4754-2017",
        "sections": [{"letter": s.letter, "name_zh": s.name_zh, "name_en": s.name_en} for s in SECTIONS],
        "divisions": [{"code": d.code, "section": d.section, "name_zh": d.name_zh, "name_en": d.name_en,
                       "manufacturing": d.code in MANUFACTURING_DIVISIONS} for d in DIVISIONS],
        "groups": [{"code": c, "name_zh": n} for c, n in groups.items()],
        "classes": [{"code": c, "name_zh": n} for c, n in classes.items()],
        "categories": [{"key": c.key, "group": c.group, "name_zh": c.name_zh, "name_en": c.name_en}
                       for c in CATEGORIES],
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
