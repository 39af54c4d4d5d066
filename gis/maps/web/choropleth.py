"""Choropleth of output density per park or town (DESIGN §4b table), with its colour scale."""

from __future__ import annotations

import branca.colormap as bcm
import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from gis.errors import InputError
from gis.maps.web.escape import escape_series, escape_text
from gis.maps.web.geojson import aliases, frame, geojson

__all__ = ["density_layer"]


def _town_polygons(layers) -> gpd.GeoDataFrame | None:
    towns = frame(getattr(layers, "towns", None))
    if towns is not None and "town_zh" in towns:
        return towns
    cons = frame(getattr(layers, "construction_areas", None))
    if cons is None or "town_zh" not in cons:
        return None
    # Without a towns layer the construction areas stand for the towns (as in classify).
    cols = ["town_zh", "geometry"] + (["town_en"] if "town_en" in cons else [])
    return cons.dissolve(by="town_zh", as_index=False)[cols]


def density_layer(layers, density: pd.DataFrame, by: str, datum: str):
    """Choropleth of output density per park or town, and its colour scale."""
    need = {"unit_type", "unit_id", "density_yi_per_km2"}
    missing = need - set(density.columns)
    if missing:
        raise InputError(
            f"产出密度表缺少字段：{', '.join(sorted(missing))}。",
            f"The density table lacks the columns: {', '.join(sorted(missing))}.",
            "用 gis.planning.density 计算的产出密度表（unit_type、unit_id、density_yi_per_km2 等列）。",
            "Use a density table as computed by gis.planning.density (unit_type, unit_id, density_yi_per_km2…).",
        )
    rows = density[density["unit_type"].astype(str) == by]
    if by == "park":
        polys, key = frame(layers.parks), "park_id"
    else:
        polys, key = _town_polygons(layers), "town_zh"
    if rows.empty or polys is None:
        raise InputError(
            f"产出密度表中没有“{by}”单元，或图层中没有对应的{'园区' if by == 'park' else '乡镇'}面。",
            f"The density table has no '{by}' units, or the layers have no {by} polygons.",
            "换用 --density-by park|town，或先按该单元计算产出密度。",
            "Use --density-by park|town, or compute density for that unit first.",
        )
    rows = rows.drop_duplicates("unit_id").set_index(rows["unit_id"].astype(str))
    keys = polys[key].astype(str)
    dens = pd.to_numeric(keys.map(rows["density_yi_per_km2"]), errors="coerce").to_numpy(dtype=float)
    target = (pd.to_numeric(keys.map(rows["target_yi_per_km2"]), errors="coerce").to_numpy(dtype=float)
              if "target_yi_per_km2" in rows else np.full(len(polys), np.nan))
    finite = np.concatenate([dens[np.isfinite(dens)], target[np.isfinite(target)]])
    vmax = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
    cmap = bcm.linear.YlGnBu_09.scale(0.0, vmax)
    cmap.caption = "产出密度 output density（亿元/km²）"

    name_zh = polys["name_zh"] if "name_zh" in polys else polys.get("town_zh", keys)
    name_en = polys["name_en"] if "name_en" in polys else polys.get("town_en", pd.Series("", index=polys.index))
    table = pd.DataFrame({"name_zh": name_zh, "name_en": name_en}, index=polys.index)
    table["density"] = dens
    table["target"] = target
    for col, src in (("unit_density", "unit_density_yi_per_km2"), ("output", "output_yi"),
                     ("land", "land_km2"), ("meets", "meets_target")):
        if src in rows:
            table[col] = keys.map(rows[src]).to_numpy()
    fmt = {"density": "{:,.2f}", "target": "{:,.2f}", "unit_density": "{:,.2f}", "output": "{:,.2f}",
           "land": "{:,.3f}"}
    props = pd.DataFrame(index=polys.index)
    for col in table.columns:
        if col == "meets":
            vals = table[col].map(lambda v: "" if pd.isna(v) else ("是 yes" if bool(v) else "否 no"))
            props[col] = escape_series(vals).to_numpy()
        else:
            props[col] = escape_series(table[col], fmt.get(col)).to_numpy()
    props["_fill"] = [cmap(v) if np.isfinite(v) else "#cccccc" for v in dens]
    data = geojson(polys, props, datum)
    fields = [c for c in props.columns if not c.startswith("_")]
    unit_zh, unit_en = ("园区", "park") if by == "park" else ("乡镇", "town")
    layer = folium.GeoJson(
        data,
        name=escape_text(f"产出密度（按{unit_zh}） output density by {unit_en}"),
        style_function=lambda f: {"fillColor": f["properties"]["_fill"], "color": "#444", "weight": 1,
                                  "fillOpacity": 0.75},
        tooltip=folium.GeoJsonTooltip(fields=fields, aliases=aliases(fields), labels=True, sticky=True),
        zoom_on_click=False,
    )
    return layer, cmap
