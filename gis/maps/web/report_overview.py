"""The report's interactive overview map: :func:`gis.maps.make_map` plus the project sites.

Project names come from the planner's file, so every tooltip value is
HTML-escaped here (:func:`gis.maps.web.escape.escape_series`) before folium writes
it into the page.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from gis.maps.style import VERDICT_COLOURS
from gis.maps.web.escape import escape_series
from gis.maps.web.web_map import make_map, save_map
from gis.siting.result import VERDICT_NAMES

__all__ = ["write_overview_map"]

VERDICT_LABELS = {k: f"{zh} {en}" for k, (zh, en) in VERDICT_NAMES.items()}


def _add_before_layer_control(m, layer) -> None:
    """Add ``layer`` to the map ahead of its layer control.

    Leaflet's layer control script names every overlay when it runs, so an
    overlay whose script comes after it is undefined there; the map from
    :func:`gis.maps.make_map` already holds its control, hence the reordering.
    """
    from collections import OrderedDict

    import folium

    m.add_child(layer)
    items = list(m._children.items())
    pos = next((i for i, (_, c) in enumerate(items) if isinstance(c, folium.LayerControl)), None)
    if pos is None:
        return
    mine = items.pop()
    items.insert(pos, mine)
    m._children = OrderedDict(items)


def write_overview_map(data, path) -> str:
    """Write the interactive overview map: parcels by action and the project sites by verdict.

    Parameters
    ----------
    data : gis.report.build.ReportData
    path : str or Path
        Output ``.html`` (offline, every asset inlined).

    Returns
    -------
    str
        The page's HTML (embedded in the report with ``srcdoc``).
    """
    import folium

    path = Path(path)
    m = make_map(data.layers, data.classified, data.density, mode="action")
    sites = data.sites
    if sites is not None:
        ok = sites["verdict"].notna() & sites.geometry.notna() & ~sites.geometry.is_empty
        s = sites[ok]
        if len(s):
            props = pd.DataFrame({
                "project_id": escape_series(s["project_id"]).to_numpy(),
                "name": escape_series(s["name"] if "name" in s else pd.Series("", index=s.index)).to_numpy(),
                "verdict": s["verdict"].astype(str).to_numpy(),
                "verdict_label": s["verdict"].map(VERDICT_LABELS).fillna("").to_numpy(),
                "riverbank_m": escape_series(s["riverbank_m"], "{:,.0f}").to_numpy(),
            })
            gj = gpd.GeoDataFrame(props, geometry=s.geometry.to_numpy(), crs=s.crs).to_crs(4326)
            layer = folium.GeoJson(
                gj.__geo_interface__, name="项目选址 project sites",
                marker=folium.CircleMarker(radius=8, weight=2, fill=True, fill_opacity=0.9),
                style_function=lambda f: {"color": "#222222", "weight": 2,
                                          "fillColor": VERDICT_COLOURS.get(f["properties"]["verdict"], "#969696"),
                                          "fillOpacity": 0.9},
                tooltip=folium.GeoJsonTooltip(
                    fields=["project_id", "name", "verdict_label", "riverbank_m"],
                    aliases=["项目 project", "名称 name", "结论 verdict", "距岸线 to riverbank (m)"]),
            )
            _add_before_layer_control(m, layer)
    save_map(m, path)
    return path.read_text(encoding="utf-8")
