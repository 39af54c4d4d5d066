"""Interactive web maps of the layers, the classified parcels and output density.

:func:`make_map` builds a :class:`folium.Map` with one toggleable layer per role
(district, parks, 195, 198, Yangtze 1 km zone, the shoreline and the water side
seaward of it, strategic reserve, towns) with their data attributions, the
parcels coloured by action (:mod:`gis.maps.web.parcel_layer`) or a choropleth of output
density per park or town, a legend, a scale bar, a layer control and — when the
layers say so — an "illustrative data" label. :func:`save_map` writes it as
one self-contained HTML file that opens with no network
(:mod:`gis.maps.web.offline`).

Base maps: ``none`` (plain background, no request at all), ``osm``,
``tianditu`` (needs a key) and ``gaode``. Gaode's tiles are drawn in GCJ-02,
so every vector is shifted WGS84 → GCJ-02 before it is drawn on them (≈ 0.5 km
here); OSM and Tianditu (CGCS2000 ≈ WGS84 at this scale) take WGS84 as is.
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import quote

import folium
import geopandas as gpd
import pandas as pd
import shapely
from branca.element import MacroElement
from folium.template import Template

from gis.errors import InputError, OutputError
from gis.io.safe_write import atomic_output
from gis.layers.layerset import ROLE_NAMES
from gis.maps.style import ACTIONS, OTHER, ROLE_STYLE
from gis.maps.web.choropleth import density_layer
from gis.maps.web.escape import escape_text, js_literal
from gis.maps.web.geojson import (
    aliases,
    display_geoms,
    escaped_props,
    frame,
    geojson,
    label,
)
from gis.maps.web.legend import TitleBox, categorical_legend, note_box
from gis.maps.web.offline import external_asset_refs, inline_assets
from gis.maps.web.parcel_layer import ParcelLayer, encode_parcels
from gis.wording import ILLUSTRATIVE_LABEL, bilingual, illustrative_layers_note

__all__ = ["make_map", "save_map", "TILES", "MODES", "ROLE_LAYERS"]

log = logging.getLogger(__name__)

TILES = ("none", "osm", "tianditu", "gaode")
MODES = ("action", "density")
DENSITY_BY = ("park", "town")

#: Role layers in drawing order (bottom first): role → (fields in the popup, shown at start).
ROLE_LAYERS: dict[str, tuple[tuple[str, ...], bool]] = {
    "water": (("name_zh", "name_en"), True),
    "zone_198": ((), True),
    "zone_195": ((), True),
    "yangtze_1km": ((), True),
    "strategic_reserve": (("name_zh",), True),
    "towns": (("town_zh", "town_en"), False),
    "parks": (("name_zh", "name_en", "leading_industries", "target_output_2025_yi"), True),  # by name, not id
    "riverbank": (("name_zh", "name_en"), True),
    "district": (("name_zh", "name_en"), True),
}

_BACKGROUND_CSS = "<style>html body .leaflet-container{background:#f4f3ee}</style>"
# Compact layer control (folium's Bootstrap styles are not loaded, see make_map).
_MAP_CSS = """<style>
html body .leaflet-control-layers{font:12px/1.5 "Noto Sans SC","Microsoft YaHei","PingFang SC",sans-serif}
.leaflet-control-layers-expanded{max-height:70vh;overflow:auto}
.leaflet-popup-content{font-size:12px}
</style>"""


def _role_layer(role: str, gdf: gpd.GeoDataFrame, datum: str, show: bool) -> folium.GeoJson:
    zh, en, style = ROLE_STYLE[role]
    fields = ROLE_LAYERS[role][0]
    props = escaped_props(gdf, fields, {"layer": label(zh, en)})
    data = geojson(gdf, props, datum)
    shown_fields = list(props.columns)
    return folium.GeoJson(
        data,
        name=escape_text(label(zh, en)),
        style_function=lambda _f, s=dict(style): s,
        popup=folium.GeoJsonPopup(fields=shown_fields, aliases=aliases(shown_fields), labels=True),
        zoom_on_click=False,
        show=show,
    )


def _add_tiles(m: folium.Map, tiles: str, tianditu_key: str | None) -> None:
    if tiles == "osm":
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap", control=True).add_to(m)
    elif tiles == "gaode":
        folium.TileLayer(
            "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=7&x={x}&y={y}&z={z}",
            attr="&copy; 高德地图 AutoNavi (GCJ-02)", name="高德 Gaode", subdomains="1234", max_zoom=18,
        ).add_to(m)
    elif tiles == "tianditu":
        if not tianditu_key:
            raise InputError(
                "天地图底图需要密钥。", "Tianditu tiles need a key.",
                "用 --tianditu-key 提供天地图开发者密钥（tk），或换用 --tiles none。",
                "Give your Tianditu developer key with --tianditu-key, or use --tiles none.",
            )
        tk = quote(tianditu_key, safe="")
        for layer, name in (("vec", "天地图 Tianditu"), ("cva", "天地图注记 Tianditu labels")):
            folium.TileLayer(
                f"https://t{{s}}.tianditu.gov.cn/DataServer?T={layer}_w&x={{x}}&y={{y}}&l={{z}}&tk={tk}",
                attr="&copy; 天地图 Tianditu", name=name, subdomains="01234567", max_zoom=18,
                overlay=(layer == "cva"),
            ).add_to(m)


class _MapSetup(MacroElement):
    """Metric scale bar and the initial view (fitted at once, not animated)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            L.control.scale({metric: true, imperial: false, maxWidth: 150}).addTo({{ this._parent.get_name() }});
            {%- if this.bounds %}
            {{ this._parent.get_name() }}.fitBounds({{ this.bounds|tojson }}, {animate: false, padding: [10, 10]});
            {%- endif %}
        {% endmacro %}
        """
    )

    def __init__(self, bounds: list | None):
        super().__init__()
        self._name = "ParkgisSetup"
        self.bounds = bounds


class _Attribution(MacroElement):
    """The data attributions of the drawn layers in the map's corner (ODbL needs OpenStreetMap's)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            {%- for text in this.texts %}
            {{ this._parent.get_name() }}.attributionControl.addAttribution({{ text|tojson }});
            {%- endfor %}
        {% endmacro %}
        """
    )

    def __init__(self, texts: list[str]):
        super().__init__()
        self._name = "ParkgisAttribution"
        self.texts = texts


def _attributions(layers, registry: dict) -> list[str]:
    """Each drawn layer's ``attribution`` (provenance), escaped, once each."""
    meta = getattr(layers, "meta", {}) or {}
    parts = [p.strip() for r in registry for p in str((meta.get(r) or {}).get("attribution") or "").split(";")]
    return [escape_text(p) for p in dict.fromkeys(parts) if p]


class _Registry(MacroElement):
    """``window.parkgis``: the map, its layers by role and the parcel layer, for tests and scripting."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            window.parkgis = {
                map: {{ this._parent.get_name() }},
                layers: { {%- for role, var in this.layers.items() %}{{ role|tojson }}: {{ var }},{% endfor %} },
                parcels: {{ this.parcels or "null" }},
                info: {{ this.info }}
            };
        {% endmacro %}
        """
    )

    def __init__(self, layers: dict[str, str], parcels: str | None, info: dict):
        super().__init__()
        self._name = "ParkgisRegistry"
        self.layers = layers
        self.parcels = parcels
        self.info = js_literal(info)


def make_map(
    layers,
    parcels: gpd.GeoDataFrame | None = None,
    density: pd.DataFrame | None = None,
    *,
    mode: str = "action",
    density_by: str = "park",
    tiles: str = "none",
    tianditu_key: str | None = None,
    title: str | None = None,
) -> folium.Map:
    """Build the interactive map.

    Parameters
    ----------
    layers : LayerSet or similar
        Anything with the role attributes of :class:`gis.layers.layerset.LayerSet`
        (GeoDataFrames in EPSG:4326, or None), optionally ``meta`` (role →
        provenance with ``illustrative``).
    parcels : geopandas.GeoDataFrame, optional
        Classified parcels (DESIGN §4 columns; only geometry is required).
    density : pandas.DataFrame, optional
        Density table (DESIGN §4b); required for ``mode="density"``.
    mode : {"action", "density"}
        Colour parcels by action, or show output density per park/town.
    density_by : {"park", "town"}
        Unit of the density choropleth.
    tiles : {"none", "osm", "tianditu", "gaode"}
        Base map. ``none`` makes no network request at all.
    tianditu_key : str, optional
        Tianditu developer key (required for ``tiles="tianditu"``).
    title : str, optional
        Map title (plain text; escaped).

    Returns
    -------
    folium.Map
        Save it with :func:`save_map`. ``m.parkgis_info`` holds what was drawn.
    """
    _check_options(mode, tiles, density_by, density)
    datum = "gcj02" if tiles == "gaode" else "wgs84"
    m = _base_map(tiles, tianditu_key)
    registry = _add_role_layers(m, layers, mode, datum)
    info: dict = {"mode": mode, "tiles": tiles, "datum": datum, "roles": list(registry)}
    if mode == "density":
        choropleth, cmap = density_layer(layers, density, density_by, datum)
        choropleth.add_to(m)
        cmap.add_to(m)
        registry["density"] = choropleth.get_name()
        info["density_by"] = density_by
    parcel_var = None
    if parcels is not None:
        parcel_var = _add_parcels(m, layers, parcels, mode, datum, info)
    else:
        zone_items = [(ROLE_STYLE[r][2].get("fillColor", ROLE_STYLE[r][2]["color"]), label(*ROLE_STYLE[r][:2]))
                      for r in ("parks", "zone_195", "zone_198", "yangtze_1km", "water", "riverbank") if r in registry]
        if zone_items and mode == "action":
            categorical_legend("分区 zones", zone_items).add_to(m)
    _add_illustrative_note(m, layers, info)
    _Attribution(_attributions(layers, registry)).add_to(m)
    if title is None:
        title = ("崇明区产业地块处置方向 Chongming industrial parcels by action" if mode == "action"
                 else f"产出密度（按{'园区' if density_by == 'park' else '乡镇'}） output density by {density_by}")
    if title:
        TitleBox(title).add_to(m)
        m.get_root().title = escape_text(title)
    folium.LayerControl(collapsed=False).add_to(m)
    _MapSetup(_bounds(layers, datum)).add_to(m)
    info["roles"] = list(registry)
    _Registry(registry, parcel_var, info).add_to(m)
    m.parkgis_info = info
    return m


def _check_options(mode: str, tiles: str, density_by: str, density) -> None:
    if mode not in MODES:
        raise InputError(f"未知的地图模式：{mode}。", f"Unknown map mode: {mode}.",
                         f"可选：{', '.join(MODES)}。", f"Choose one of: {', '.join(MODES)}.")
    if tiles not in TILES:
        raise InputError(f"未知的底图：{tiles}。", f"Unknown base map: {tiles}.",
                         f"可选：{', '.join(TILES)}。", f"Choose one of: {', '.join(TILES)}.")
    if density_by not in DENSITY_BY:
        raise InputError(f"未知的密度单元：{density_by}。", f"Unknown density unit: {density_by}.",
                         "可选：park、town。", "Choose park or town.")
    if mode == "density" and density is None:
        raise InputError("产出密度图需要产出密度表。", "A density map needs a density table.",
                         "先计算产出密度（地块需有 output_wan 字段），或用 --mode action。",
                         "Compute density first (parcels need an output_wan field), or use --mode action.")


def _base_map(tiles: str, tianditu_key: str | None) -> folium.Map:
    """The empty map: its page styles, Leaflet only, and the base tiles."""
    m = folium.Map(tiles=None, prefer_canvas=True, control_scale=False, min_zoom=6, max_zoom=19,
                   zoom_start=10, location=[31.55, 121.6])
    m.get_root().header.add_child(folium.Element(_MAP_CSS), name="parkgis_map_css")
    # Only Leaflet itself (and d3, which branca's colour scale brings when used):
    # jQuery, Bootstrap and the icon fonts folium links by default are unused here
    # and would add ≈ 1 MB to every offline page.
    m.default_js = [js for js in folium.Map.default_js if js[0] == "leaflet"]
    m.default_css = [css for css in folium.Map.default_css if css[0] == "leaflet_css"]
    if tiles == "none":
        m.get_root().header.add_child(folium.Element(_BACKGROUND_CSS), name="parkgis_background")
    _add_tiles(m, tiles, tianditu_key)
    return m


def _add_role_layers(m: folium.Map, layers, mode: str, datum: str) -> dict[str, str]:
    """One toggleable layer per role present; return role → its JavaScript variable."""
    registry: dict[str, str] = {}
    for role, (_fields, shown) in ROLE_LAYERS.items():
        gdf = frame(getattr(layers, role, None))
        if gdf is None:
            continue
        show = shown and not (mode == "density" and role in ("zone_195", "zone_198"))
        layer = _role_layer(role, gdf, datum, show)
        layer.add_to(m)
        registry[role] = layer.get_name()
    return registry


def _add_parcels(m: folium.Map, layers, parcels: gpd.GeoDataFrame, mode: str, datum: str, info: dict) -> str:
    """The parcels by action (:mod:`gis.maps.web.parcel_layer`) and their legend; return the layer's variable."""
    pf = frame(parcels)
    if pf is None:
        pf = gpd.GeoDataFrame(parcels.iloc[:0], geometry=parcels.geometry.iloc[:0], crs=4326)
    parks = frame(getattr(layers, "parks", None))
    park_names = (dict(zip(parks["park_id"].astype(str), parks["name_zh"].astype(str), strict=True))
                  if parks is not None and {"park_id", "name_zh"} <= set(parks.columns) else None)
    enc = encode_parcels(pf, datum=datum, park_names=park_names)
    player = ParcelLayer(enc, name=escape_text("地块（按处置方向） parcels by action"), show=(mode == "action"))
    player.add_to(m)
    info["parcels"] = {"drawn": enc.drawn, "not_drawn": enc.skipped}
    items = [(c, f"{zh} {en}") for zh, en, c, _ in ACTIONS.values()]
    if "action" not in pf or (~pf["action"].isin(list(ACTIONS))).any():
        items.append((OTHER[2], f"{OTHER[0]} {OTHER[1]}"))
    categorical_legend("地块处置方向 parcel action", items).add_to(m)
    return player.get_name()


def _add_illustrative_note(m: folium.Map, layers, info: dict) -> None:
    """The "illustrative data" label, naming the layers that are (input layers only: the derived
    zones are illustrative because their inputs are)."""
    meta = getattr(layers, "meta", {}) or {}
    inputs = ("district", "parks", "construction_areas", "riverbank", "strategic_reserve", "towns")
    illustrative = [r for r in inputs if isinstance(meta.get(r), dict) and meta[r].get("illustrative")]
    if not (bool(getattr(layers, "illustrative", False)) or illustrative):
        return
    names = [ROLE_NAMES.get(r, (r, r)) for r in illustrative]  # bilingual role names, one source of truth
    detail = bilingual(illustrative_layers_note(names), " — ")
    note_box(bilingual(ILLUSTRATIVE_LABEL), detail, css_class="parkgis-illustrative").add_to(m)
    info["illustrative"] = illustrative or True


def _bounds(layers, datum: str) -> list | None:
    """The district's extent as Leaflet bounds ``[[south, west], [north, east]]``, degrees."""
    district = frame(layers.district)
    if district is None:
        return None
    minx, miny, maxx, maxy = shapely.total_bounds(display_geoms(district.geometry.to_numpy(), datum, 0.0))
    return [[float(miny), float(minx)], [float(maxy), float(maxx)]]


def save_map(m: folium.Map, path, *, offline: bool = True) -> Path:
    """Write a map as one HTML file, atomically (temporary file, then rename).

    Parameters
    ----------
    m : folium.Map
    path : str or Path
        Output ``.html`` file.
    offline : bool
        Inline every JavaScript/CSS asset (default), so the page opens with no
        network. With False the page loads them from their CDNs.

    Returns
    -------
    Path
    """
    path = Path(path)
    if path.suffix.lower() not in (".html", ".htm"):
        raise OutputError(f"网页地图应保存为 .html 文件：{path}", f"A web map is saved as an .html file: {path}",
                          "输出文件名以 .html 结尾；PNG/PDF 地图用 --static。",
                          "End the output name with .html; use --static for PNG/PDF maps.")
    html = m.get_root().render()
    if offline:
        html = inline_assets(html)
        left = external_asset_refs(html)
        if left:
            raise OutputError(f"离线地图仍引用外部资源：{', '.join(left)}",
                              f"The offline map still references external assets: {', '.join(left)}")
    with atomic_output(path) as tmp:
        tmp.write_text(html, encoding="utf-8")
    log.info("map written: %s (%.1f MB)", path, path.stat().st_size / 1e6)
    return path
