"""Layers: the roles of DESIGN §3, their validation and the derived zones.

:func:`load_layers` reads a layer source — a GeoPackage (layer names = roles), a
folder of files named like the roles, or a TOML manifest mapping roles to files
and field names — validates every layer, and derives the planning zones:

* ``104 = parks ∩ district``
* ``195 = (construction_areas ∩ district) − parks``
* ``198 = district − parks − construction_areas``
* ``yangtze_1km = district ∩ buffer(riverbank, 1000 m)`` (distance configurable)

Everything is held in EPSG:4326 (WGS84) for output and drawing, and in the metric
working CRS (:data:`gis.geodesy.crs.WORK_CRS`) for computing; the derived zones are
computed in metres and are exact there.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gis.geodesy.crs import WGS84, from_work, to_work
from gis.layers.sources import ROLES, default_source, polygonal, read_source

__all__ = ["LayerSet", "load_layers", "default_source", "ROLES", "DEFAULT_RIVERBANK_BUFFER_M"]

log = logging.getLogger(__name__)

ROLE_NAMES = {
    "district": ("区界", "district"),
    "parks": ("产业园区（104 区块）", "parks (104 blocks)"),
    "construction_areas": ("乡镇集中建设区", "town construction areas"),
    "riverbank": ("长江岸线", "Yangtze riverbank"),
    "strategic_reserve": ("战略预留区", "strategic reserve"),
    "towns": ("乡镇", "towns"),
    "zone_104": ("104 区块", "zone 104"),
    "zone_195": ("195 区域", "zone 195"),
    "zone_198": ("198 区域", "zone 198"),
    "yangtze_1km": ("长江岸线 1 公里范围", "Yangtze 1 km zone"),
}

DEFAULT_RIVERBANK_BUFFER_M = 1000.0


@dataclass
class LayerSet:
    """The layers of one source, validated, with the derived zones.

    Attributes
    ----------
    district, parks, construction_areas, riverbank : geopandas.GeoDataFrame
        EPSG:4326. ``riverbank`` is derived from the district boundary when the
        source has none (``meta["riverbank"]["derived"]`` is then True).
    strategic_reserve, towns : geopandas.GeoDataFrame or None
    zone_104, zone_195, zone_198, yangtze_1km : geopandas.GeoDataFrame
        Derived zones, clipped to the district, EPSG:4326. ``zone_104`` has one
        row per park (``park_id``).
    meta : dict
        Role → provenance (``source``, ``licence``, ``datum``, ``accuracy``,
        ``illustrative``, ``method``, ``file``).
    notes : list of str
        Validation notes (bilingual), e.g. repaired geometries, clipped parks.
    source : str
        Where the layers came from.
    buffer_m : float
        Width of the riverbank zone in metres.
    """

    district: gpd.GeoDataFrame
    parks: gpd.GeoDataFrame
    construction_areas: gpd.GeoDataFrame
    riverbank: gpd.GeoDataFrame
    strategic_reserve: gpd.GeoDataFrame | None
    towns: gpd.GeoDataFrame | None
    zone_104: gpd.GeoDataFrame
    zone_195: gpd.GeoDataFrame
    zone_198: gpd.GeoDataFrame
    yangtze_1km: gpd.GeoDataFrame
    meta: dict[str, dict] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    source: str = ""
    buffer_m: float = DEFAULT_RIVERBANK_BUFFER_M
    source_info: dict = field(default_factory=dict)
    _work: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    #: Coverages and spatial indexes of the overlay engine, built on first use and kept for the
    #: life of the layer set (:func:`gis.engine.overlay_table.engine_indexes`).
    engine_cache: dict = field(default_factory=dict, repr=False)

    @property
    def illustrative(self) -> bool:
        """True when any layer is marked illustrative."""
        return any(bool(m.get("illustrative")) for m in self.meta.values())

    def layer(self, role: str) -> gpd.GeoDataFrame | None:
        """The GeoDataFrame of a role (input or derived)."""
        return getattr(self, role)

    def work(self, role: str) -> np.ndarray:
        """Geometries of ``role`` in :data:`gis.geodesy.crs.WORK_CRS` (metres), cached."""
        if role not in self._work:
            gdf = self.layer(role)
            if gdf is None:
                self._work[role] = np.array([], dtype=object)
            else:
                self._work[role] = to_work(gdf.geometry.to_numpy())
        return self._work[role]

    def work_union(self, role: str):
        """Union of ``role``'s geometries in the working CRS (one geometry)."""
        key = f"{role}__union"
        if key not in self._work:
            geoms = self.work(role)
            self._work[key] = np.array(
                [shapely.union_all(geoms) if len(geoms) else shapely.Polygon()], dtype=object
            )
        return self._work[key][0]

    def summary(self) -> pd.DataFrame:
        """One row per layer: features, area km² or length km, CRS, datum, provenance."""
        rows = []
        roles = ["district", "parks", "construction_areas", "riverbank", "strategic_reserve", "towns",
                 "zone_104", "zone_195", "zone_198", "yangtze_1km"]
        for role in roles:
            gdf = self.layer(role)
            if gdf is None:
                continue
            geoms = self.work(role)
            meta = self.meta.get(role, {})
            is_line = role == "riverbank"
            rows.append({
                "role": role,
                "name_zh": ROLE_NAMES[role][0],
                "name_en": ROLE_NAMES[role][1],
                "features": len(gdf),
                "area_km2": None if is_line else float(shapely.area(shapely.union_all(geoms))) / 1e6,
                "length_km": float(shapely.length(geoms).sum()) / 1e3 if is_line else None,
                "crs": "EPSG:4326",
                "datum": meta.get("datum", "wgs84"),
                "illustrative": bool(meta.get("illustrative", False)),
                "derived": bool(meta.get("derived", False)),
                "source": meta.get("source", ""),
            })
        return pd.DataFrame(rows)

    def island_areas(self) -> pd.DataFrame:
        """Parts of the district polygon with their areas (km²), largest first."""
        parts = shapely.get_parts(self.work("district"))
        areas = shapely.area(parts) / 1e6
        order = np.argsort(-areas)
        reps = from_work(shapely.point_on_surface(parts[order]))
        return pd.DataFrame({
            "part": np.arange(1, len(order) + 1),
            "name_zh": self._part_names(parts[order]),
            "area_km2": areas[order],
            "lon": shapely.get_x(reps),
            "lat": shapely.get_y(reps),
        })

    def _part_names(self, parts: np.ndarray) -> list:
        """Name each district part after the riverbank island that runs along it, if the layer says."""
        if self.riverbank is None or "island" not in self.riverbank.columns:
            return [None] * len(parts)
        lines = self.work("riverbank")
        islands = self.riverbank["island"].astype(object).to_numpy()
        names = []
        for part in parts:  # a handful of islands, not a per-feature loop
            # the island whose shore lies most (as a fraction of its length) along this part
            near = shapely.length(shapely.intersection(lines, shapely.buffer(part, 1000.0)))
            frac = near / np.maximum(shapely.length(lines), 1e-9)
            names.append(islands[int(np.argmax(frac))] if frac.max() > 0.5 else None)
        return names


def _to_gdf(geoms_work: np.ndarray, data: dict | None = None) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(data or {}, geometry=from_work(geoms_work), crs=WGS84)


def load_layers(source=None, *, buffer_m: float = DEFAULT_RIVERBANK_BUFFER_M) -> LayerSet:
    """Load, validate and derive the layers of a source.

    Parameters
    ----------
    source : str or Path, optional
        A GeoPackage, a folder or a TOML manifest; default the embedded
        Chongming layers.
    buffer_m : float
        Width of the Yangtze riverbank zone in metres (default 1000).

    Returns
    -------
    LayerSet

    Raises
    ------
    LayerError, FieldError, CRSError
        With a bilingual message naming the layer and what to do.
    """
    loaded, specs, info, where, notes = read_source(source)
    meta: dict[str, dict] = {}
    for role, spec in specs.items():
        if role not in ROLES:
            continue
        meta[role] = {k: spec.get(k, "") for k in ("source", "licence", "accuracy", "method")}
        meta[role]["datum"] = str(spec.get("datum", "wgs84"))
        meta[role]["illustrative"] = bool(spec.get("illustrative", False))
        meta[role]["file"] = spec["file"]

    district_w = to_work(loaded["district"].geometry.to_numpy())
    dist_u = shapely.union_all(district_w)
    shapely.prepare(dist_u)

    def clip(role: str) -> tuple[gpd.GeoDataFrame, np.ndarray]:
        gdf = loaded[role]
        w = to_work(gdf.geometry.to_numpy())
        inside = shapely.contains(dist_u, w)
        if not inside.all():
            a0 = shapely.area(w[~inside])
            cw = polygonal(shapely.intersection(w[~inside], dist_u))
            lost = float((a0 - shapely.area(cw)).sum()) / 1e6
            if lost > 1e-6:
                notes.append(
                    f"{role}: {int((~inside).sum())} 个要素超出区界，已裁剪（{lost:.3f} km²）/ "
                    f"{int((~inside).sum())} features reached outside the district and were clipped ({lost:.3f} km²)"
                )
            w = w.copy()
            w[~inside] = cw
            keep = ~shapely.is_empty(w)
            gdf, w = gdf.loc[keep].reset_index(drop=True), w[keep]
            gdf = gdf.set_geometry(from_work(w), crs=WGS84)
        return gdf, w

    parks, parks_w = clip("parks")
    cons, cons_w = clip("construction_areas")
    reserve = reserve_w = None
    if "strategic_reserve" in loaded:
        reserve, reserve_w = clip("strategic_reserve")
    towns = None
    towns_w = None
    if "towns" in loaded:
        towns, towns_w = clip("towns")

    parks_u = shapely.union_all(parks_w)
    cons_u = shapely.union_all(cons_w)
    if "zone_195" in loaded:
        z195 = shapely.intersection(shapely.union_all(to_work(loaded["zone_195"].geometry.to_numpy())), dist_u)
    else:
        z195 = shapely.difference(shapely.intersection(cons_u, dist_u), parks_u)
    if "zone_198" in loaded:
        z198 = shapely.intersection(shapely.union_all(to_work(loaded["zone_198"].geometry.to_numpy())), dist_u)
    else:
        z198 = shapely.difference(shapely.difference(dist_u, parks_u), cons_u)
    z195 = polygonal(np.array([z195], dtype=object))[0]
    z198 = polygonal(np.array([z198], dtype=object))[0]

    if "zone_195" in loaded or "zone_198" in loaded:
        # Given zones must partition the district with the parks, or parcels fall between them.
        covered = shapely.union_all([parks_u, z195, z198])
        gap = float(shapely.area(shapely.difference(dist_u, covered))) / 1e6
        overlap = float(shapely.area(shapely.intersection(z195, z198))) / 1e6
        if gap > 0.01 or overlap > 0.01:
            notes.append(
                f"zones: 给定的 195/198 区域与园区未能恰好覆盖区界（未覆盖 {gap:.2f} km²，重叠 {overlap:.2f} km²），"
                f"未覆盖处的地块将被视为区外 / the given 195/198 zones and the parks do not partition the district "
                f"({gap:.2f} km² uncovered, {overlap:.2f} km² overlapping); parcels in the gaps count as outside"
            )

    if "riverbank" in loaded:
        river = loaded["riverbank"]
        river_w = to_work(river.geometry.to_numpy())
    else:
        river_w = np.array([shapely.boundary(dist_u)], dtype=object)
        river = _to_gdf(river_w, {"name_zh": ["由区界推导的岸线"], "name_en": ["riverbank derived from the district boundary"]})
        meta["riverbank"] = {
            "source": "derived from the district boundary",
            "licence": meta["district"].get("licence", ""),
            "datum": "wgs84",
            "accuracy": "approximation: an administrative line is not a shore",
            "illustrative": False,
            "derived": True,
            "method": "boundary(district)",
        }
        notes.append(
            "riverbank: 未提供岸线，已由区界推导（近似；请用官方岸线图层替换）/ "
            "no riverbank layer: derived from the district boundary (an approximation; "
            "replace it with an official shoreline layer)"
        )
    river_u = shapely.union_all(river_w)
    y1km = shapely.intersection(shapely.buffer(river_u, buffer_m, quad_segs=16), dist_u)
    y1km = polygonal(np.array([y1km], dtype=object))[0]

    for role, m in (("zone_104", "parks"), ("zone_195", "construction_areas"), ("zone_198", "district"),
                    ("yangtze_1km", "riverbank")):
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

    ls = LayerSet(
        district=loaded["district"],
        parks=parks,
        construction_areas=cons,
        riverbank=river,
        strategic_reserve=reserve,
        towns=towns,
        zone_104=gpd.GeoDataFrame({"park_id": parks["park_id"].to_numpy(), "zone": "104"},
                                  geometry=parks.geometry.to_numpy(), crs=WGS84),
        zone_195=_to_gdf(np.array([z195], dtype=object), {"zone": ["195"]}),
        zone_198=_to_gdf(np.array([z198], dtype=object), {"zone": ["198"]}),
        yangtze_1km=_to_gdf(np.array([y1km], dtype=object), {"buffer_m": [buffer_m]}),
        meta=meta,
        notes=notes,
        source=where,
        buffer_m=buffer_m,
        source_info=info,
    )
    # Seed the work cache with the exact metric geometries (no WGS84 round trip).
    ls._work.update({
        "district": district_w,
        "parks": parks_w,
        "zone_104": parks_w,
        "construction_areas": cons_w,
        "zone_195": np.array([z195], dtype=object),
        "zone_198": np.array([z198], dtype=object),
        "riverbank": river_w,
        "yangtze_1km": np.array([y1km], dtype=object),
    })
    if reserve_w is not None:
        ls._work["strategic_reserve"] = reserve_w
    if towns_w is not None:
        ls._work["towns"] = towns_w
    for n in notes:
        log.info(n)
    return ls
