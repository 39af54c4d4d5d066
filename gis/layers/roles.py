"""The layer roles of DESIGN §3: what each layer is, its geometry, its fields and its names for people.

A layer source provides the input roles (:data:`ROLES`); the derived roles
(:data:`DERIVED_ROLES`) are computed from them (:mod:`gis.layers.zones`).
:data:`ROLE_NAMES` is the one place their Chinese and English names are written.
"""

from __future__ import annotations

__all__ = ["DERIVED_ROLES", "GEOMETRY_TYPES", "LAYER_ROLES", "ROLES", "ROLE_NAMES", "UNCLIPPED_ROLES"]

#: Input role → (geometry kind, required, fields used).
ROLES: dict[str, tuple[str, bool, tuple[str, ...]]] = {
    "district": ("polygon", True, ("name_zh", "name_en")),
    "parks": ("polygon", True, ("park_id", "name_zh", "name_en", "leading_industries", "target_output_2025_yi",
                                "town_zh")),
    "construction_areas": ("polygon", True, ("town_zh", "town_en")),
    "riverbank": ("line", False, ()),
    # The land side of the shoreline: where given, district area outside it is water or tidal flat.
    "land": ("polygon", False, ()),
    "strategic_reserve": ("polygon", False, ("name_zh",)),
    "towns": ("polygon", False, ("town_zh", "town_en")),
    # Neighbouring units outside the district (not clipped to it): named when a site lies in one.
    "neighbours": ("polygon", False, ("name_zh", "name_en")),
    "zone_195": ("polygon", False, ()),
    "zone_198": ("polygon", False, ()),
}

#: Roles computed from the input roles. All but ``water`` are always present in
#: a loaded layer set; ``water`` (district − land) only when a ``land`` layer is.
DERIVED_ROLES: tuple[str, ...] = ("zone_104", "zone_195", "zone_198", "yangtze_1km", "water")

#: Input roles that are not clipped to the district.
UNCLIPPED_ROLES: tuple[str, ...] = ("riverbank", "neighbours")

#: Every role of a loaded layer set, in the order tables and maps list them.
LAYER_ROLES: tuple[str, ...] = ("district", "parks", "construction_areas", "riverbank", "land", "strategic_reserve",
                                "towns", "neighbours", *DERIVED_ROLES)

#: Geometry kind of a role → the geometry types a layer of that role may hold.
GEOMETRY_TYPES: dict[str, tuple[str, ...]] = {
    "polygon": ("Polygon", "MultiPolygon"),
    "line": ("LineString", "MultiLineString", "LinearRing"),
}

#: Role → (Chinese name, English name), for tables, legends and messages.
ROLE_NAMES: dict[str, tuple[str, str]] = {
    "district": ("区界", "district"),
    "parks": ("产业园区（104 区块）", "parks (104 blocks)"),
    "construction_areas": ("乡镇集中建设区", "town construction areas"),
    "riverbank": ("长江岸线", "Yangtze riverbank"),
    "land": ("陆域（岸线陆侧）", "land (the land side of the shoreline)"),
    "strategic_reserve": ("战略预留区", "strategic reserve"),
    "towns": ("乡镇", "towns"),
    "neighbours": ("相邻区县", "neighbouring units"),
    "zone_104": ("104 区块", "zone 104"),
    "zone_195": ("195 区域", "zone 195"),
    "zone_198": ("198 区域", "zone 198"),
    "yangtze_1km": ("长江岸线 1 公里范围", "Yangtze 1 km zone"),
    "water": ("水域或滩涂（岸线以外、区界以内）",
              "water or tidal flats (seaward of the shoreline, inside the district)"),
}
