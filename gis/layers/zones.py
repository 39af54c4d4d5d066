"""The planning zones derived from the layers (DESIGN §3), computed in metres and clipped to the district.

* ``104 = parks ∩ district``
* ``195 = (construction_areas ∩ district) − parks``
* ``198 = district − parks − construction_areas``
* ``yangtze_1km = district ∩ buffer(riverbank, 1000 m)`` (distance configurable)
* ``water = district − land`` when a ``land`` layer is given: the river and the
  tidal flats inside the district outline (DESIGN §3, §4)

A source may give ``zone_195``/``zone_198`` itself; they are then clipped to the
district and checked to partition it with the parks. Without a ``riverbank``
layer the shore is derived: from the ``land`` layer's boundary off the district
outline when there is one, else from the district boundary (an approximation,
noted). All geometries here are in the working CRS (:data:`gis.geodesy.crs.WORK_CRS`).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from gis.geodesy.crs import WGS84, from_work, to_work
from gis.layers.sources import polygonal

__all__ = [
    "DEFAULT_RIVERBANK_BUFFER_M",
    "clip_to_district",
    "derived_provenance",
    "planning_zones",
    "riverbank_lines",
    "riverbank_zone",
    "water_zone",
    "SLIVER_M",
]

#: Width of the Yangtze riverbank zone, metres (DESIGN §1: 1 km).
DEFAULT_RIVERBANK_BUFFER_M = 1000.0
#: Water narrower than this (metres) is dropped: where a land layer ends on the
#: district outline, projecting the two separately leaves slivers of noise
#: (≈ 0.1 mm wide) between them that are no water.
SLIVER_M = 0.01


def clip_to_district(role: str, gdf: gpd.GeoDataFrame, district,
                     notes: list[str]) -> tuple[gpd.GeoDataFrame, np.ndarray]:
    """Clip a role's polygons to the district, noting the area cut off; features left empty are dropped.

    Parameters
    ----------
    role : str
        The role, for the note.
    gdf : geopandas.GeoDataFrame
        The role's layer, EPSG:4326.
    district : shapely.Geometry
        The district's union in the working CRS (prepared).
    notes : list of str
        A bilingual note is appended when more than 1 m² and more than 10 ppm
        of the layer's area is cut off.

    Returns
    -------
    gdf : geopandas.GeoDataFrame
        The clipped layer, EPSG:4326.
    work : numpy.ndarray
        Its geometries in the working CRS, metres.
    """
    w = to_work(gdf.geometry.to_numpy())
    inside = shapely.contains(district, w)
    if inside.all():
        return gdf, w
    a0 = shapely.area(w[~inside])
    cw = polygonal(shapely.intersection(w[~inside], district))
    lost = float((a0 - shapely.area(cw)).sum()) / 1e6
    # Below 10 ppm of the layer's area (at least 1 m²) a clip is rounding noise along a shared outline, not news.
    if lost > max(1e-6, 1e-5 * float(shapely.area(w).sum()) / 1e6):
        notes.append(
            f"{role}: {int((~inside).sum())} 个要素超出区界，已裁剪（{lost:.3f} km²）/ "
            f"{int((~inside).sum())} features reached outside the district and were clipped ({lost:.3f} km²)"
        )
    w = w.copy()
    w[~inside] = cw
    keep = ~shapely.is_empty(w)
    gdf, w = gdf.loc[keep].reset_index(drop=True), w[keep]
    return gdf.set_geometry(from_work(w), crs=WGS84), w


def _given(gdf: gpd.GeoDataFrame, district):
    return shapely.intersection(shapely.union_all(to_work(gdf.geometry.to_numpy())), district)


def planning_zones(loaded: dict[str, gpd.GeoDataFrame], district, parks, construction,
                   notes: list[str]) -> tuple[shapely.Geometry, shapely.Geometry]:
    """Zones 195 and 198 (one polygonal geometry each, working CRS): given by the source, else derived.

    Parameters
    ----------
    loaded : dict
        The source's layers by role; ``zone_195``/``zone_198`` are used when present.
    district, parks, construction : shapely.Geometry
        Unions of the district, the (clipped) parks and construction areas, working CRS.
    notes : list of str
        A bilingual note is appended when given zones leave gaps or overlap (> 0.01 km²).
    """
    if "zone_195" in loaded:
        z195 = _given(loaded["zone_195"], district)
    else:
        z195 = shapely.difference(shapely.intersection(construction, district), parks)
    if "zone_198" in loaded:
        z198 = _given(loaded["zone_198"], district)
    else:
        z198 = shapely.difference(shapely.difference(district, parks), construction)
    z195 = polygonal(np.array([z195], dtype=object))[0]
    z198 = polygonal(np.array([z198], dtype=object))[0]

    if "zone_195" in loaded or "zone_198" in loaded:
        # Given zones must partition the district with the parks, or parcels fall between them.
        covered = shapely.union_all([parks, z195, z198])
        gap = float(shapely.area(shapely.difference(district, covered))) / 1e6
        overlap = float(shapely.area(shapely.intersection(z195, z198))) / 1e6
        if gap > 0.01 or overlap > 0.01:
            notes.append(
                f"zones: 给定的 195/198 区域与园区未能恰好覆盖区界（未覆盖 {gap:.2f} km²，重叠 {overlap:.2f} km²），"
                f"未覆盖处的地块将被视为区外 / the given 195/198 zones and the parks do not partition the district "
                f"({gap:.2f} km² uncovered, {overlap:.2f} km² overlapping); parcels in the gaps count as outside"
            )
    return z195, z198


def riverbank_lines(loaded: dict[str, gpd.GeoDataFrame], district, meta: dict[str, dict],
                    notes: list[str], land_w=None) -> tuple[gpd.GeoDataFrame, np.ndarray]:
    """The riverbank layer and its lines in the working CRS; derived when absent.

    Without a ``riverbank`` layer the shore is the ``land`` layer's boundary
    where it leaves the district outline (``land_w``, its union in metres), else
    the district boundary. A derived riverbank gets its provenance in
    ``meta["riverbank"]`` and a note saying what it was derived from.
    """
    if "riverbank" in loaded:
        river = loaded["riverbank"]
        return river, to_work(river.geometry.to_numpy())
    if land_w is not None and not shapely.is_empty(land_w):
        # The land's edge on the district outline is an administrative line, not a shore.
        shore = shapely.difference(shapely.boundary(land_w), shapely.buffer(shapely.boundary(district), 0.5))
        river_w = np.array([shapely.line_merge(shore)], dtype=object)
        name = ("由陆域图层推导的岸线", "riverbank derived from the land layer")
        how = ("land", "boundary(land) − boundary(district)", "the land layer's boundary off the district outline")
        note_zh, note_en = "已由陆域图层的边界推导", "derived from the land layer's boundary (off the district outline)"
    else:
        river_w = np.array([shapely.boundary(district)], dtype=object)
        name = ("由区界推导的岸线", "riverbank derived from the district boundary")
        how = ("district", "boundary(district)", "approximation: an administrative line is not a shore")
        note_zh, note_en = "已由区界推导（近似）", "derived from the district boundary (an approximation)"
    river = gpd.GeoDataFrame({"name_zh": [name[0]], "name_en": [name[1]]}, geometry=from_work(river_w), crs=WGS84)
    meta["riverbank"] = {
        "source": f"derived from the {how[0]} layer",
        "licence": meta.get(how[0], {}).get("licence", ""),
        "datum": "wgs84",
        "accuracy": how[2],
        "illustrative": bool(meta.get(how[0], {}).get("illustrative", False)),
        "derived": True,
        "method": how[1],
    }
    notes.append(f"riverbank: 未提供岸线，{note_zh}；请用官方岸线图层替换 / no riverbank layer: {note_en}; "
                 "replace it with an official shoreline layer")
    return river, river_w


def riverbank_zone(river_w: np.ndarray, district, buffer_m: float = DEFAULT_RIVERBANK_BUFFER_M) -> shapely.Geometry:
    """The Yangtze riverbank zone: the district within ``buffer_m`` metres of the riverbank (working CRS)."""
    y1km = shapely.intersection(shapely.buffer(shapely.union_all(river_w), buffer_m, quad_segs=16), district)
    return polygonal(np.array([y1km], dtype=object))[0]


def water_zone(district, land_w) -> shapely.Geometry:
    """The district seaward of the shoreline (``district − land``, working CRS), slivers under :data:`SLIVER_M` dropped.

    Parameters
    ----------
    district, land_w : shapely.Geometry
        Unions of the district and of the (clipped) land layer, metres.

    Returns
    -------
    shapely.Geometry
        The river and the tidal flats inside the district outline (possibly empty).
    """
    water = shapely.difference(district, land_w)
    # An opening (shrink, then grow back, mitred so that corners stay) removes the noise slivers.
    half = SLIVER_M / 2
    water = shapely.buffer(shapely.buffer(water, -half, join_style="mitre"), half, join_style="mitre")
    return polygonal(np.array([shapely.intersection(water, district)], dtype=object))[0]


def derived_provenance(meta: dict[str, dict]) -> None:
    """Add the provenance of the derived zones to ``meta`` (in place).

    A derived zone is illustrative when a layer it comes from is; a zone the
    source gave (``zone_195``/``zone_198``) keeps its own provenance.
    """
    for role, m in (("zone_104", "parks"), ("zone_195", "construction_areas"), ("zone_198", "district"),
                    ("yangtze_1km", "riverbank"), ("water", "land")):
        if role == "water" and m not in meta:
            continue
        if role in meta:  # given by the source (zone_195/zone_198), not derived
            meta[role]["derived"] = False
            continue
        meta[role] = {"source": f"derived ({m})", "derived": True, "datum": "wgs84",
                      "illustrative": bool(meta.get(m, {}).get("illustrative", False)),
                      "licence": "", "accuracy": "", "method": ""}
    # A derived 195/198 is illustrative when the parks or construction areas it comes from are.
    for role in ("zone_195", "zone_198"):
        if meta[role]["derived"]:
            meta[role]["illustrative"] = meta["construction_areas"]["illustrative"] or meta["parks"]["illustrative"]
