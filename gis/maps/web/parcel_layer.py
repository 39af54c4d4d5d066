"""The parcel layer of the web map: a compact encoding drawn on one canvas.

folium's ``GeoJson`` writes each parcel as a GeoJSON feature with full-precision
coordinates and becomes one Leaflet object per parcel in the browser; measured
for 100,000 parcels it wrote 42.5 MB in 28 s and needed 11.7 s to load. This
module writes the parcels instead as

* geometry: outlines simplified for display (``tolerance_deg``), coordinates
  quantised to 1e-5° (≈ 1 m), delta-coded along a Morton (Z-order) sort of the
  parcels and written as zigzag LEB128 varints in base64 — mostly one byte per
  coordinate;
* properties: only the fields the tooltip and popup show, as display strings,
  HTML-escaped (:mod:`gis.maps.web.escape`), dictionary-encoded per column (the
  many repeated zone, action, rule and reason strings are stored once);
* one class byte per parcel (its action) for the colour.

``js/parcel_layer.js`` decodes this and draws every parcel of an action class
in batched canvas paths; parcels smaller than a few pixels become small rectangles, which keeps
a whole-district view of 100,000 parcels fast and readable. Everything is
vectorised (numpy/shapely); nothing loops over parcels in Python.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, Figure
from folium.map import ElementAddToElement
from folium.template import Template

from gis.geodesy.datums import convert_geometries
from gis.maps.style import ACTIONS, OTHER
from gis.maps.web.escape import escape_series, escape_text, js_literal
from gis.wording import bilingual, flag_words

__all__ = ["ACTIONS", "PARCEL_FIELDS", "TOOLTIP_FIELDS", "encode_parcels", "ParcelLayer", "varint_bytes"]

#: Fields shown in the popup: column → (label zh, label en, number format).
PARCEL_FIELDS: dict[str, tuple[str, str, str | None]] = {
    "parcel_id": ("地块编号", "parcel id", None),
    "enterprise_zh": ("企业", "enterprise", None),
    "enterprise_en": ("企业（英文）", "enterprise (en)", None),
    "zone": ("分区", "zone", None),
    "action": ("处置方向", "action", None),
    "rule": ("规则", "rule", None),
    "park_id": ("园区", "park", None),
    "town": ("乡镇", "town", None),
    "riverbank_m": ("距长江岸线（米）", "distance to riverbank (m)", "{:,.0f}"),
    "density_yi_per_km2": ("产出密度（亿元/km²）", "output density (亿元/km²)", "{:,.2f}"),
    "flags": ("说明", "notes", None),
    "reason_zh": ("理由", "reason", None),
    "reason_en": ("理由（英文）", "reason (English)", None),
}
#: Fields shown on hover.
TOOLTIP_FIELDS = ("parcel_id", "enterprise_zh", "action")

#: Quantisation of coordinates: 1e-5° ≈ 1.1 m north–south, 0.95 m east–west here.
SCALE = 100_000


def varint_bytes(values, signed: bool = False) -> bytes:
    """LEB128 varints of an integer array (zigzag first when ``signed``), vectorised."""
    v = np.asarray(values, dtype=np.int64)
    if signed:
        u = ((v << 1) ^ (v >> 63)).astype(np.uint64)
    else:
        if (v < 0).any():
            raise ValueError("negative value in an unsigned varint stream")
        u = v.astype(np.uint64)
    if u.size == 0:
        return b""
    nbytes = np.ones(u.size, dtype=np.int64)
    for k in range(1, 10):
        nbytes += u >= np.uint64(1 << (7 * k))
    ends = np.cumsum(nbytes)
    starts = ends - nbytes
    out = np.empty(int(ends[-1]), dtype=np.uint8)
    for k in range(int(nbytes.max())):
        sel = nbytes > k
        low = (u[sel] >> np.uint64(7 * k)) & np.uint64(0x7F)
        more = (nbytes[sel] > k + 1).astype(np.uint64) << np.uint64(7)
        out[starts[sel] + k] = (low | more).astype(np.uint8)
    return out.tobytes()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _morton_order(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Indices sorting points along a Z-order curve (neighbours end up near each other)."""
    if len(x) == 0:
        return np.zeros(0, dtype=np.int64)

    def spread(v: np.ndarray) -> np.ndarray:
        v = v.astype(np.uint64) & np.uint64(0xFFFF)
        for shift, mask in ((8, 0x00FF00FF), (4, 0x0F0F0F0F), (2, 0x33333333), (1, 0x55555555)):
            v = (v | (v << np.uint64(shift))) & np.uint64(mask)
        return v

    def unit(v: np.ndarray) -> np.ndarray:
        lo, hi = np.nanmin(v), np.nanmax(v)
        return np.nan_to_num((v - lo) / (hi - lo) * 65535 if hi > lo else np.zeros_like(v))

    code = spread(unit(x)) | (spread(unit(y)) << np.uint64(1))
    return np.argsort(code, kind="stable")


@dataclass
class EncodedParcels:
    """The JS payload and what was left out."""

    data: dict
    drawn: int
    skipped: int


def _action_labels(action: pd.Series) -> pd.Series:
    """``upgrade`` → ``升级 upgrade`` (unknown values shown as they are)."""
    labels = {k: f"{zh} {en}" for k, (zh, en, _, _) in ACTIONS.items()}
    s = action.astype(object)
    return s.map(lambda a: labels.get(a, a) if isinstance(a, str) else a)


def _parcel_density(gdf: pd.DataFrame) -> pd.Series | None:
    if "density_yi_per_km2" in gdf:
        return gdf["density_yi_per_km2"]
    if "output_wan" in gdf and "area_m2" in gdf:
        out = pd.to_numeric(gdf["output_wan"], errors="coerce") / 1e4
        km2 = pd.to_numeric(gdf["area_m2"], errors="coerce") / 1e6
        return out / km2.where(km2 > 0)
    return None


def encode_parcels(
    parcels: gpd.GeoDataFrame,
    *,
    datum: str = "wgs84",
    tolerance_deg: float = 1e-5,
    park_names: dict | None = None,
) -> EncodedParcels:
    """Encode parcels for :class:`ParcelLayer`.

    Parameters
    ----------
    parcels : geopandas.GeoDataFrame
        Parcels in EPSG:4326 (WGS84 lon/lat). Non-polygonal and empty geometries
        are not drawn (counted in ``skipped``).
    datum : {"wgs84", "gcj02"}
        Datum to draw in: ``gcj02`` for Gaode tiles (coordinates are shifted).
    tolerance_deg : float
        Simplification tolerance for display, degrees (1e-5° ≈ 1 m).
    park_names : dict, optional
        ``park_id`` → display name, shown in the popup instead of the id.

    Returns
    -------
    EncodedParcels
    """
    geoms = np.asarray(parcels.geometry.to_numpy(), dtype=object)
    tid = shapely.get_type_id(geoms)
    keep = np.isin(tid, (3, 6)) & ~shapely.is_empty(geoms)  # Polygon, MultiPolygon
    idx = np.flatnonzero(keep)
    geoms = geoms[idx]
    if datum != "wgs84" and len(geoms):
        geoms = convert_geometries(geoms, "wgs84", datum)
    if tolerance_deg > 0 and len(geoms):
        geoms = shapely.simplify(geoms, tolerance_deg, preserve_topology=True)
    # A spatial order: consecutive parcels are near each other, so their coordinate deltas are small.
    bounds = shapely.bounds(geoms) if len(geoms) else np.zeros((0, 4))
    order = _morton_order((bounds[:, 0] + bounds[:, 2]) / 2, (bounds[:, 1] + bounds[:, 3]) / 2)
    geoms, idx = geoms[order], idx[order]
    drawn, rings_per_feat, verts_per_ring, deltas = _encode_rings(geoms)
    idx = idx[drawn]
    n = len(idx)
    rows = parcels.iloc[idx].reset_index(drop=True)  # positional: the input index may repeat
    data = {
        "n": int(n), "nRings": int(len(verts_per_ring)), "nVerts": int(len(deltas)), "scale": SCALE,
        "rings": _b64(varint_bytes(rings_per_feat)),
        "verts": _b64(varint_bytes(verts_per_ring)),
        "xy": _b64(varint_bytes(deltas.ravel(), signed=True)),
        **_action_classes(rows, n),
        "cols": _property_columns(rows, park_names),
    }
    data["tip"] = [k for k in TOOLTIP_FIELDS if any(c["key"] == k for c in data["cols"])]
    return EncodedParcels(data=data, drawn=int(n), skipped=int(len(parcels) - n))


def _encode_rings(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every ring of every parcel (exteriors and holes of all parts), quantised and delta-coded.

    Returns
    -------
    drawn : numpy.ndarray of bool
        Parcels with at least one ring left (a ring quantised to a point or a line draws nothing).
    rings_per_feat, verts_per_ring : numpy.ndarray of int
        Rings of each drawn parcel; vertices of each ring (closing vertex and repeats dropped).
    deltas : numpy.ndarray of int, shape (vertices, 2)
        Coordinate differences in units of 1 / :data:`SCALE` degrees, the first from (0, 0).
    """
    parts, part_feat = shapely.get_parts(geoms, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    ring_feat = part_feat[ring_part]
    coords, coord_ring = shapely.get_coordinates(rings, return_index=True)
    q = np.round(coords * SCALE).astype(np.int64)
    nring = len(rings)
    first = np.r_[True, coord_ring[1:] != coord_ring[:-1]] if len(q) else np.zeros(0, bool)
    last = np.r_[coord_ring[1:] != coord_ring[:-1], True] if len(q) else np.zeros(0, bool)
    dup = np.r_[False, (q[1:] == q[:-1]).all(axis=1) & ~first[1:]] if len(q) else np.zeros(0, bool)
    vkeep = ~last & ~dup
    verts_per_ring = np.bincount(coord_ring[vkeep], minlength=nring)
    good_ring = verts_per_ring >= 3
    vkeep &= good_ring[coord_ring]
    q = q[vkeep]
    verts_per_ring = verts_per_ring[good_ring]
    ring_feat = ring_feat[good_ring]
    rings_per_feat = np.bincount(ring_feat, minlength=len(geoms))
    drawn = rings_per_feat > 0
    deltas = np.diff(q, axis=0, prepend=np.zeros((1, 2), dtype=np.int64)) if len(q) else q
    return drawn, rings_per_feat[drawn], verts_per_ring, deltas


def _property_columns(rows: pd.DataFrame, park_names: dict | None) -> list[dict]:
    """The popup fields of the drawn parcels: escaped display strings, one dictionary per column."""
    frame = pd.DataFrame(index=rows.index)
    for col in PARCEL_FIELDS:
        if col in rows:
            frame[col] = rows[col]
    dens = _parcel_density(rows)
    if dens is not None:
        frame["density_yi_per_km2"] = dens
    if "action" in frame:
        frame["action"] = _action_labels(frame["action"])
    if "park_id" in frame and park_names:
        pid = frame["park_id"]
        frame["park_id"] = [park_names[p] if isinstance(p, str) and p in park_names else p for p in pid]
    if "flags" in frame:  # in words, once per distinct value
        codes, uniques = pd.factorize(frame["flags"].astype(object).where(frame["flags"].notna(), ""))
        words = np.array([bilingual(flag_words(u)) if u else "" for u in uniques] + [""], dtype=object)
        frame["flags"] = words[codes]
    cols = []
    for col in [c for c in PARCEL_FIELDS if c in frame.columns]:
        zh, en, fmt = PARCEL_FIELDS[col]
        shown = escape_series(frame[col], fmt)
        codes, uniques = pd.factorize(shown, sort=False)
        codes = codes + 1  # 0 = nothing to show
        empty = np.flatnonzero(uniques == "")
        if len(empty):
            codes[codes == empty[0] + 1] = 0
        if (codes == 0).all():
            continue
        cols.append({"key": col, "label": escape_text(f"{zh} {en}"), "values": list(uniques),
                     "codes": _b64(varint_bytes(codes))})
    return cols


def _action_classes(rows: pd.DataFrame, n: int) -> dict:
    """One class byte per parcel (its action, for the colour) and the classes' colours and labels."""
    action = rows["action"].astype(object).to_numpy() if "action" in rows else np.full(n, None, dtype=object)
    keys = list(ACTIONS)
    cls = np.full(n, len(keys), dtype=np.uint8)
    for i, k in enumerate(keys):
        cls[action == k] = i
    classes = [{"key": k, "color": ACTIONS[k][2], "stroke": ACTIONS[k][3],
                "label": escape_text(f"{ACTIONS[k][0]} {ACTIONS[k][1]}")} for k in keys]
    classes.append({"key": "other", "color": OTHER[2], "stroke": OTHER[3],
                    "label": escape_text(f"{OTHER[0]} {OTHER[1]}")})
    return {"cls": _b64(cls.tobytes()), "classes": classes}


@cache
def _layer_js() -> str:
    return (Path(__file__).resolve().parent / "js" / "parcel_layer.js").read_text(encoding="utf-8")


class RawHtml(Element):
    """HTML put into the page as it is (branca's ``Element`` would parse it as a Jinja template)."""

    def __init__(self, html: str):
        super().__init__()
        self.html = html

    def render(self, **kwargs) -> str:
        return self.html


class ParcelLayer(folium.map.Layer):
    """A folium layer drawing encoded parcels with ``js/parcel_layer.js``.

    It is an overlay in the layer control like any folium layer; in the page
    it is a ``ParkgisParcelLayer`` (a Leaflet renderer) with ``featureCount()``,
    ``properties(i)``, ``hitTest(latlng)`` and ``openPopupFor(i)``.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = new ParkgisParcelLayer({{ this.data_js }}, {});
        {% endmacro %}
        """
    )

    def __init__(self, encoded: EncodedParcels, name: str = "地块 parcels", show: bool = True):
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "ParkgisParcels"
        self.encoded = encoded
        self.data_js = js_literal(encoded.data)

    def render(self, **kwargs):
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise TypeError("ParcelLayer must be added to a map before it is rendered")
        # The layer class is defined once per page, after Leaflet (the header holds the library links).
        figure.header.add_child(RawHtml(f"<script>{_layer_js()}</script>"), name="parkgis_parcel_layer_js")
        figure.header.add_child(RawHtml(_PARCEL_CSS), name="parkgis_parcel_layer_css")
        if self.show:
            self.add_child(ElementAddToElement(element_name=self.get_name(),
                                               element_parent_name=self._parent.get_name()),
                           name=self.get_name() + "_add")
        # Not MacroElement.render: branca would parse the rendered script (megabytes of
        # data) once more as a Jinja template — slow, and data must never be template code.
        script = self._template.module.script(self, kwargs)
        figure.script.add_child(RawHtml(str(script)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


_PARCEL_CSS = """<style>
.parkgis-popup table{border-collapse:collapse;font-size:12px;line-height:1.35}
.parkgis-popup th{text-align:left;font-weight:600;color:#444;padding:1px 8px 1px 0;vertical-align:top;width:38%}
.parkgis-popup td{padding:1px 0;vertical-align:top;overflow-wrap:anywhere}
.parkgis-tip-body{font-size:12px}
</style>"""
