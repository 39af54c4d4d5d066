"""The layer set: the layers of one source, validated, with the derived zones (DESIGN §3).

:func:`load_layers` reads a layer source — a GeoPackage (layer names = roles), a
folder of files named like the roles, or a TOML manifest mapping roles to files
and field names (:mod:`gis.layers.sources`) —, clips the layers to the district
and derives the planning zones (:mod:`gis.layers.zones`) into a :class:`LayerSet`.

Everything is held in EPSG:4326 (WGS84) for output and drawing, and in the metric
working CRS (:data:`gis.geodesy.crs.WORK_CRS`) for computing; the derived zones are
computed in metres and are exact there.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gis.config import option_number
from gis.geodesy.crs import WGS84, from_work, to_work
from gis.layers.roles import LAYER_ROLES, ROLE_NAMES, ROLES, UNCLIPPED_ROLES
from gis.layers.sources import read_source
from gis.layers.zones import (
    DEFAULT_RIVERBANK_BUFFER_M,
    clip_to_district,
    derived_provenance,
    planning_zones,
    riverbank_lines,
    riverbank_zone,
    water_zone,
)
from gis.wording import illustrative_layers_note

__all__ = ["LayerSet", "load_layers"]

log = logging.getLogger(__name__)


@dataclass
class LayerSet:
    """The layers of one source, validated, with the derived zones.

    Attributes
    ----------
    district, parks, construction_areas, riverbank : geopandas.GeoDataFrame
        EPSG:4326. ``riverbank`` is derived when the source has none — from the
        ``land`` layer's edge off the district outline, else from the district
        boundary (``meta["riverbank"]["derived"]`` is then True).
    strategic_reserve, towns : geopandas.GeoDataFrame or None
    zone_104, zone_195, zone_198, yangtze_1km : geopandas.GeoDataFrame
        Derived zones, clipped to the district, EPSG:4326. ``zone_104`` has one
        row per park (``park_id``).
    land, water : geopandas.GeoDataFrame or None
        The land side of the shoreline (clipped to the district) and the
        district seaward of it (``district − land``: river and tidal flats);
        None without a ``land`` layer, and then nothing is judged ``in_water``.
    neighbours : geopandas.GeoDataFrame or None
        Neighbouring units outside the district (``name_zh``, ``name_en``), not
        clipped: a site outside the district that lies in one is told so.
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
    land: gpd.GeoDataFrame | None = None
    water: gpd.GeoDataFrame | None = None
    neighbours: gpd.GeoDataFrame | None = None
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

    def illustrative_roles(self) -> list[str]:
        """The input layers marked illustrative (the derived zones are illustrative because their inputs are)."""
        return [r for r, m in self.meta.items() if m.get("illustrative") and not m.get("derived")]

    def illustrative_note(self) -> tuple[str, str]:
        """The illustrative-data note (Chinese, English) naming this set's illustrative layers."""
        return illustrative_layers_note([ROLE_NAMES.get(r, (r, r)) for r in self.illustrative_roles()])

    @property
    def files(self) -> list[str]:
        """The files the layers were read from (a manifest and the files it names): no output may replace them."""
        files = {str(m["file"]) for m in self.meta.values() if m.get("file")}
        if self.source and Path(self.source).is_file():
            files.add(self.source)
        return sorted(files)

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

    def park_names(self, lang: str = "zh") -> dict[str, str]:
        """``park_id`` → the park's name (``name_zh`` or ``name_en``; the id where the name is empty).

        Text for people names parks by their names, never by their ids.
        """
        col = "name_zh" if lang == "zh" else "name_en"
        ids = self.parks["park_id"].astype(str).to_numpy()
        names = (self.parks[col].astype(object).to_numpy() if col in self.parks
                 else np.full(len(ids), None, dtype=object))
        return {i: (str(n).strip() if n is not None and not pd.isna(n) and str(n).strip() else i)
                for i, n in zip(ids, names, strict=True)}

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
        for role in LAYER_ROLES:
            gdf = self.layer(role)
            if gdf is None:
                continue
            geoms = self.work(role)
            meta = self.meta.get(role, {})
            is_line = ROLES.get(role, ("polygon",))[0] == "line"
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


def _zone_frame(geom, data: dict) -> gpd.GeoDataFrame:
    """A one-feature layer (EPSG:4326) of a derived zone given in the working CRS."""
    return gpd.GeoDataFrame(data, geometry=from_work(np.array([geom], dtype=object)), crs=WGS84)


def _source_provenance(specs: dict[str, dict]) -> dict[str, dict]:
    """Role → provenance (``source``, ``licence``, ``attribution``, ``accuracy``, ``method``, ``datum``,
    ``illustrative``, ``file``)."""
    meta: dict[str, dict] = {}
    for role, spec in specs.items():
        if role not in ROLES:
            continue
        meta[role] = {k: spec.get(k, "") for k in ("source", "licence", "attribution", "accuracy", "method")}
        meta[role]["datum"] = str(spec.get("datum", "wgs84"))
        meta[role]["illustrative"] = bool(spec.get("illustrative", False))
        meta[role]["file"] = spec["file"]
    return meta


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
    buffer_m = option_number(buffer_m, "--buffer-m", minimum=0.0, maximum=100_000.0, unit_zh="米",
                             unit_en="metres")
    loaded, specs, info, where, notes = read_source(source)
    meta = _source_provenance(specs)
    district_w = to_work(loaded["district"].geometry.to_numpy())
    district = shapely.union_all(district_w)
    shapely.prepare(district)
    clipped = {role: clip_to_district(role, loaded[role], district, notes)
               for role in ROLES if role in loaded and role not in UNCLIPPED_ROLES
               and role not in ("district", "zone_195", "zone_198")}
    parks, parks_w = clipped["parks"]
    z195, z198 = planning_zones(loaded, district, shapely.union_all(parks_w),
                                shapely.union_all(clipped["construction_areas"][1]), notes)
    land_w = shapely.union_all(clipped["land"][1]) if "land" in clipped else None
    river, river_w = riverbank_lines(loaded, district, meta, notes, land_w)
    y1km = riverbank_zone(river_w, district, buffer_m)
    water = water_zone(district, land_w) if land_w is not None else None
    if land_w is None:
        notes.append("land: 未提供陆域图层，不判断地块或场地是否位于水域或滩涂（in_water）/ no land layer: parcels "
                     "and sites are not judged for lying in the river or on tidal flats (in_water)")
    derived_provenance(meta)

    ls = LayerSet(
        district=loaded["district"],
        parks=parks,
        construction_areas=clipped["construction_areas"][0],
        riverbank=river,
        strategic_reserve=clipped.get("strategic_reserve", (None, None))[0],
        towns=clipped.get("towns", (None, None))[0],
        zone_104=gpd.GeoDataFrame({"park_id": parks["park_id"].to_numpy(), "zone": "104"},
                                  geometry=parks.geometry.to_numpy(), crs=WGS84),
        zone_195=_zone_frame(z195, {"zone": ["195"]}),
        zone_198=_zone_frame(z198, {"zone": ["198"]}),
        yangtze_1km=_zone_frame(y1km, {"buffer_m": [buffer_m]}),
        land=clipped.get("land", (None, None))[0],
        water=None if water is None else _zone_frame(water, {"name_zh": ["水域或滩涂"],
                                                             "name_en": ["water or tidal flats"]}),
        neighbours=loaded.get("neighbours"),
        meta=meta,
        notes=notes,
        source=where,
        buffer_m=buffer_m,
        source_info=info,
    )
    # Seed the work cache with the exact metric geometries (no WGS84 round trip).
    ls._work.update({role: w for role, (_, w) in clipped.items()})
    ls._work.update({
        "district": district_w,
        "zone_104": parks_w,
        "zone_195": np.array([z195], dtype=object),
        "zone_198": np.array([z198], dtype=object),
        "riverbank": river_w,
        "yangtze_1km": np.array([y1km], dtype=object),
    })
    if water is not None:
        ls._work["water"] = np.array([water], dtype=object)
    for n in notes:
        log.info(n)
    return ls
