"""An ILLUSTRATIVE ``towns`` layer, approximated from public town seats and nothing else.

No licensed public source gives the boundaries of the towns (镇/乡). What the
sources do give — the islands and five town seats (DATA.md) — allows this much:

- 长兴岛 is 长兴镇 and 横沙岛 is 横沙乡, each as a whole island: every district part
  whose land is that island's (shoals and flats included) belongs to it;
- on 崇明岛, where three seats are known (城桥镇, 新河镇, 堡镇) among the island's
  many towns, each town is approximated by the part of the island nearer its seat
  than any other known seat and no farther from it than half the distance to
  the nearest other seat (a disc that no other known seat's disc overlaps).

The rest of 崇明岛 — the towns whose seat no source here gives, 陈家镇 among them —
is left without a town, and said so: no coordinate is invented. Everything is
clipped to the district (DESIGN §3) and computed in the working CRS.
"""

from __future__ import annotations

import numpy as np
import shapely

from gis.geodesy.crs import from_work, to_work

#: Public town seats (WGS84 lon, lat; DATA.md) → (English name, island).
TOWN_SEATS = {
    "城桥镇": ("Chengqiao Town", 121.3946, 31.6309, "崇明岛"),
    "新河镇": ("Xinhe Town", 121.5203, 31.5837, "崇明岛"),
    "堡镇": ("Baozhen Town", 121.6320, 31.5430, "崇明岛"),
    "长兴镇": ("Changxing Town", 121.6895, 31.3915, "长兴岛"),
    "横沙乡": ("Hengsha Township", 121.8430, 31.3430, "横沙岛"),
}
#: Islands that are one town each (the whole island).
WHOLE_ISLAND = {"长兴岛": "长兴镇", "横沙岛": "横沙乡"}


def _seat_w(zh: str) -> shapely.Point:
    _en, lon, lat, _isl = TOWN_SEATS[zh]
    return to_work(np.array([shapely.Point(lon, lat)], dtype=object))[0]


def _seat_cells(island_w: shapely.Geometry, seats: list[str]) -> dict[str, tuple[shapely.Geometry, float]]:
    """Each seat's nearest-seat cell on one island, within half the distance to the nearest other seat."""
    pts = {zh: _seat_w(zh) for zh in seats}
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.MultiPoint(list(pts.values())),
                                                       extend_to=shapely.envelope(island_w)))
    out = {}
    for zh, p in pts.items():
        others = [shapely.distance(p, q) for k, q in pts.items() if k != zh]
        radius = min(others) / 2
        cell = next(c for c in cells if c.contains(p))
        out[zh] = (shapely.intersection(shapely.intersection(cell, p.buffer(radius, quad_segs=32)), island_w),
                   radius)
    return out


def town_rows(parts: list[tuple[shapely.Geometry, str | None]]) -> list[dict]:
    """The towns layer's rows from the district parts (lon/lat) and the island each holds (or None).

    Returns
    -------
    list of dict
        ``town_zh``, ``town_en``, ``method`` and ``geometry`` (lon/lat), in the
        order of :data:`TOWN_SEATS`.
    """
    by_island: dict[str, list] = {}
    for part, island in parts:
        if island is not None:
            by_island.setdefault(island, []).append(to_work(np.array([part], dtype=object))[0])
    rows = []
    island_seats = [zh for zh, v in TOWN_SEATS.items() if v[3] not in WHOLE_ISLAND]
    cells = _seat_cells(shapely.union_all(by_island["崇明岛"]), island_seats)
    for zh, (en, _lon, _lat, island) in TOWN_SEATS.items():
        if island in WHOLE_ISLAND:
            geom_w = shapely.union_all(by_island[island])
            method = f"整岛（{island}）/ the whole island ({island}, with its shoals and flats)"
        else:
            geom_w, radius = cells[zh]
            km = radius / 1000
            method = (f"距本镇政府所在地较其他已知所在地更近、且在 {km:.1f} 公里以内 / nearer this seat than any other "
                      f"known seat, within {km:.1f} km (half the distance to the nearest one)")
        rows.append({"town_zh": zh, "town_en": en, "method": method,
                     "geometry": from_work(np.array([geom_w], dtype=object))[0]})
    return rows
