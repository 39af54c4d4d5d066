"""The web map's parcel layer (gis.maps.web.parcel_layer): compact encoding, a metre's accuracy, popups."""

from __future__ import annotations

import base64

import geopandas as gpd
import numpy as np
import pytest
import shapely

from gis.geodesy.datums import wgs84_to_gcj02
from gis.maps import make_map
from gis.maps.web.parcel_layer import SCALE, encode_parcels, varint_bytes


def _decode_varints(b64: str, signed: bool = False) -> np.ndarray:
    out, v, shift = [], 0, 0
    for byte in base64.b64decode(b64):
        v |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            out.append((v >> 1) ^ -(v & 1) if signed else v)
            v, shift = 0, 0
    return np.array(out, dtype=np.int64)


@pytest.mark.parametrize("values", [[0, 1, 127, 128, 300, 16384, 2**31 - 1], [-1, 1, -64, 64, -(2**30), 12345678]])
def test_varints_round_trip(values):
    signed = min(values) < 0
    b64 = base64.b64encode(varint_bytes(values, signed=signed)).decode()
    assert _decode_varints(b64, signed).tolist() == values


def _decoded_coords(data: dict) -> np.ndarray:
    return np.cumsum(_decode_varints(data["xy"], signed=True).reshape(-1, 2), axis=0) / data["scale"]


def test_encoding_keeps_geometry_to_a_metre():
    poly = shapely.Polygon([(121.5, 31.6), (121.5012, 31.6), (121.5012, 31.6009), (121.5, 31.6009)],
                           holes=[[(121.5004, 31.6003), (121.5008, 31.6003), (121.5008, 31.6006), (121.5004, 31.6006)]])
    multi = shapely.MultiPolygon([shapely.box(121.6, 31.5, 121.601, 31.501),
                                  shapely.box(121.602, 31.5, 121.603, 31.501)])
    gdf = gpd.GeoDataFrame({"parcel_id": ["a", "b", "pt", "empty"]},
                           geometry=[poly, multi, shapely.Point(121.5, 31.6), shapely.Polygon()], crs=4326)
    enc = encode_parcels(gdf)
    assert (enc.drawn, enc.skipped) == (2, 2)
    d = enc.data
    rings = _decode_varints(d["rings"]).tolist()
    verts = _decode_varints(d["verts"]).tolist()
    assert sorted(rings) == [2, 2] and sum(verts) == d["nVerts"] == 16 and d["nRings"] == 4
    xy = _decoded_coords(d)
    want = np.vstack([shapely.get_coordinates(g) for g in (poly, multi)])
    # every drawn vertex is an input vertex, within the 1e-5° quantisation
    dist = np.abs(xy[:, None, :] - want[None, :, :]).max(axis=2).min(axis=1)
    assert dist.max() <= 0.5 / SCALE + 1e-12


def test_density_of_parcels_in_popup(map_toy):
    _, parcels, _ = map_toy
    cols = {c["key"]: c for c in encode_parcels(parcels).data["cols"]}
    assert "density_yi_per_km2" in cols and "riverbank_m" in cols and "reason_zh" in cols
    assert cols["action"]["values"][0].endswith(("upgrade", "transform", "reduce"))


def test_parcels_in_a_projected_crs_and_a_repeated_index(map_toy):
    layers, parcels, _ = map_toy
    projected = parcels.to_crs(32651)
    projected.index = [0] * len(projected)
    m = make_map(layers, projected)
    assert m.parkgis_info["parcels"] == {"drawn": len(parcels), "not_drawn": 0}
    a = _decoded_coords(encode_parcels(parcels).data)
    b = _decoded_coords(encode_parcels(projected.to_crs(4326)).data)
    assert np.abs(a - b).max() <= 1.5 / SCALE


def test_gaode_tiles_shift_vectors_to_gcj02(map_toy):
    layers, parcels, _ = map_toy
    wgs = _decoded_coords(encode_parcels(parcels).data)
    gcj = _decoded_coords(encode_parcels(parcels, datum="gcj02").data)
    lon, lat = wgs84_to_gcj02(wgs[:, 0], wgs[:, 1])
    assert np.abs(gcj - np.column_stack([lon, lat])).max() < 2e-5
    assert np.abs(gcj - wgs).max() > 2e-3  # ≈ 0.5 km in Chongming
    m_osm, m_gd = make_map(layers, parcels, tiles="osm"), make_map(layers, parcels, tiles="gaode")
    assert m_osm.parkgis_info["datum"] == "wgs84" and m_gd.parkgis_info["datum"] == "gcj02"
