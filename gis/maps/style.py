"""Colours and labels shared by the web maps, the print maps, the charts and the site page (no folium import)."""

from __future__ import annotations

__all__ = ["ACTIONS", "BADGE_COLOURS", "OTHER", "ROLE_STYLE", "VERDICT_COLOURS"]

#: Action → (zh, en, fill colour, outline colour); distinguishable for the common
#: colour-vision deficiencies (green / orange / red of ColorBrewer PiYG, PuOr, Reds).
ACTIONS: dict[str, tuple[str, str, str, str]] = {
    "upgrade": ("升级", "upgrade", "#1b7837", "#0b3d1a"),
    "transform": ("转型", "transform", "#f1a340", "#8c5a12"),
    "reduce": ("减量化", "reduce", "#d7301f", "#7f1409"),
}
#: Parcels with no (or an unknown) action: outside the district, unclassified.
OTHER: tuple[str, str, str, str] = ("未分类", "unclassified", "#969696", "#525252")

#: Role → (label zh, label en, Leaflet path style). Drawing order: bottom first.
ROLE_STYLE: dict[str, tuple[str, str, dict]] = {
    "water": ("水域或滩涂（岸线以外）", "river or tidal flats (seaward of the shore)",
              {"color": "#4292c6", "weight": 0.5, "fillColor": "#c6dbef", "fillOpacity": 0.6}),
    "zone_198": ("198 区域（减量化）", "zone 198 (reduce)",
                 {"color": "#bdbdbd", "weight": 0.6, "fillColor": "#e7e1ef", "fillOpacity": 0.35}),
    "zone_195": ("195 区域（转型）", "zone 195 (transform)",
                 {"color": "#d6a10f", "weight": 0.8, "fillColor": "#fee391", "fillOpacity": 0.45}),
    "yangtze_1km": ("长江岸线 1 公里范围", "Yangtze 1 km zone",
                    {"color": "#2171b5", "weight": 1, "dashArray": "4 3", "fillColor": "#6baed6",
                     "fillOpacity": 0.25}),
    # Filled (hatched on print maps): its outline is the island's shore, which the district boundary covers.
    "strategic_reserve": ("战略预留区", "strategic reserve",
                          {"color": "#8c510a", "weight": 2, "dashArray": "8 4", "fillColor": "#bf812d",
                           "fillOpacity": 0.22}),
    "towns": ("乡镇", "towns", {"color": "#737373", "weight": 1, "dashArray": "2 3", "fill": False}),
    "parks": ("产业园区（104 区块，升级）", "parks (104 blocks, upgrade)",
              {"color": "#54278f", "weight": 2, "fillColor": "#9e9ac8", "fillOpacity": 0.35}),
    "riverbank": ("长江岸线", "Yangtze riverbank (shoreline)", {"color": "#08519c", "weight": 2, "fill": False}),
    "district": ("区界", "district boundary", {"color": "#252525", "weight": 2.5, "fill": False}),
}

#: Siting verdict → fill colour of a project site on a map (the action colours' green, orange and red).
VERDICT_COLOURS = {"allowed": ACTIONS["upgrade"][2], "review": ACTIONS["transform"][2],
                   "prohibited": ACTIONS["reduce"][2]}
#: Siting verdict or check level → a darker colour that white text stays readable on (badges, the site map's title).
BADGE_COLOURS = {"allowed": "#1b7837", "ok": "#1b7837", "review": "#d98c00", "prohibited": "#c0151b",
                 "not_evaluated": "#6b6b6b"}
