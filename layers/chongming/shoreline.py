"""The riverbank and the land of the embedded layers, from the OpenStreetMap coastline.

The islands are the OSM land polygons with at least half of their area inside
the district (崇明岛, 长兴岛, 横沙岛 and a few shoals). The **riverbank** is their
shore — every ring of every island polygon — minus the stretches inside the
Jiangsu neighbours (海门区, 启东市): the enclaves 海永镇 and 启隆镇 on Chongming
island's north side, and in the north-west, where the OSM land of Chongming
island runs into theirs across the silted North Branch. No administrative line
becomes a shore: only coastline is kept, and an island's land ends at the
district outline only in the **land** layer (``island ∩ district``).

GSHHG is read only to measure how far the shore moved since it was drawn.
Everything is WGS84 lon/lat; lengths and distances are measured in the
working CRS of :mod:`gis.geodesy.crs`.
"""

from __future__ import annotations

import numpy as np
import shapely

from gis.geodesy.crs import to_work

#: Points that name the islands (a town seat on each; 佘山岛's rock).
ISLAND_ANCHORS = {
    "崇明岛": ("Chongming Island", 121.3946, 31.6309),
    "长兴岛": ("Changxing Island", 121.6895, 31.3915),
    "横沙岛": ("Hengsha Island", 121.8430, 31.3430),
    "佘山岛": ("Sheshan Island", 122.2410, 31.4215),
}
#: Spacing (metres) of the points sampled along a line for distance statistics.
SAMPLE_M = 100.0


def work(geom: shapely.Geometry) -> shapely.Geometry:
    """One lon/lat geometry in the working CRS (metres), densified first."""
    return to_work(np.array([geom], dtype=object))[0]


def name_island(geom: shapely.Geometry) -> tuple[str, str]:
    """(zh, en) name of the island holding one of the anchor points, else a shoal."""
    for zh, (en, lon, lat) in ISLAND_ANCHORS.items():
        if geom.intersects(shapely.Point(lon, lat).buffer(0.003)):
            return zh, en
    return "沙洲", "shoal"


def islands_of(land: shapely.Geometry, district: shapely.Geometry) -> list[dict]:
    """Land polygons with at least half of their area in the district, largest first.

    Each is a dict: ``zh``, ``en`` (island name), ``geometry`` (the whole polygon,
    lon/lat), ``area_km2``, ``inside_km2`` (its part in the district).
    """
    dw = work(district)
    out = []
    for poly in shapely.get_parts(land):
        if not poly.intersects(district):
            continue
        pw = work(poly)
        inside = pw.intersection(dw).area / 1e6
        if inside >= 0.5 * pw.area / 1e6:
            zh, en = name_island(poly)
            out.append({"zh": zh, "en": en, "geometry": poly, "area_km2": pw.area / 1e6, "inside_km2": inside})
    out.sort(key=lambda i: -i["area_km2"])
    shoals = [i for i in out if i["zh"] == "沙洲"]
    for k, s in enumerate(shoals, start=1):  # shoals numbered by size, so names stay stable
        s["zh"], s["en"] = f"沙洲{k}", f"shoal {k}"
    return out


def island_shore(island: dict, jiangsu: shapely.Geometry) -> shapely.Geometry:
    """The island's shore (all its rings) minus the stretches inside Jiangsu, as a (multi)line."""
    rings = shapely.boundary(island["geometry"])
    return shapely.line_merge(shapely.difference(rings, jiangsu))


def part_island(part: shapely.Geometry, islands: list[dict]) -> dict | None:
    """The island whose land makes up most of a district part (None when no OSM land lies in it)."""
    best, area = None, 0.0
    for isl in islands:
        a = shapely.area(shapely.intersection(part, isl["geometry"]))
        if a > area:
            best, area = isl, a
    return best


# --------------------------------------------------------------------------- measured figures


def samples(line_w: shapely.Geometry, step_m: float = SAMPLE_M) -> np.ndarray:
    """Points every ``step_m`` metres along a (multi)line in metres."""
    parts = shapely.get_parts(line_w)
    parts = parts[shapely.length(parts) > 0]
    return np.concatenate([shapely.line_interpolate_point(g, np.arange(0.0, g.length, step_m)) for g in parts])


def stats(d_m: np.ndarray) -> dict:
    """Median, 90th percentile and maximum of distances in metres, and the share within 150 m."""
    return {"median_m": float(np.median(d_m)), "p90_m": float(np.percentile(d_m, 90)), "max_m": float(d_m.max()),
            "within_150m": float(np.mean(d_m <= 150.0))}


def fmt(s: dict) -> str:
    return (f"median {s['median_m'] / 1000:.2f} km, p90 {s['p90_m'] / 1000:.2f} km, "
            f"max {s['max_m'] / 1000:.2f} km, within 150 m {s['within_150m']:.0%}")


def shore_figures(district, jiangsu, islands, riverbank_lines, land_in_district, gshhg_polys) -> list[str]:
    """The measured difference of the new bank from its source, from GSHHG and from the district outline."""
    out = []
    bank_w = work(shapely.union_all(riverbank_lines))
    dist_w = work(district)
    jiangsu_w = work(jiangsu)
    # Agreement with the source: the shipped bank against the OSM island shores.
    osm_shore_w = work(shapely.union_all([shapely.boundary(i["geometry"]) for i in islands]))
    agree = stats(shapely.distance(samples(bank_w), osm_shore_w))
    out.append(f"riverbank -> OSM island shore (agreement with the source): {fmt(agree)}")
    # GSHHG: its land polygons with at least half of their area in the district, shore minus Jiangsu.
    gs = [work(p) for p in gshhg_polys if p.intersects(district)]
    gs_land_w = shapely.union_all([p for p in gs if p.intersection(dist_w).area >= 0.5 * p.area])
    gs_in = gs_land_w.intersection(dist_w).area / 1e6
    gs_shore_w = shapely.difference(shapely.boundary(gs_land_w), shapely.buffer(jiangsu_w, 1.0))
    out.append(f"GSHHG land inside the district {gs_in:.1f} km²")
    out.append(f"riverbank -> GSHHG shore: {fmt(stats(shapely.distance(samples(bank_w), gs_shore_w)))}")
    bank_in = shapely.intersection(bank_w, dist_w)
    out.append(f"riverbank inside the district -> GSHHG shore: "
               f"{fmt(stats(shapely.distance(samples(bank_in), gs_shore_w)))}")
    out.append(f"GSHHG shore -> riverbank: {fmt(stats(shapely.distance(samples(gs_shore_w), bank_w)))}")
    # The district outline: its seaward part (Jiangsu stretches left out) is the district's limit in the water.
    outline_w = shapely.boundary(dist_w)
    seaward_w = shapely.difference(outline_w, shapely.buffer(jiangsu_w, 100.0))
    out.append(f"riverbank -> district outline: {fmt(stats(shapely.distance(samples(bank_w), outline_w)))}")
    out.append(f"district seaward outline ({seaward_w.length / 1000:.0f} km) -> riverbank: "
               f"{fmt(stats(shapely.distance(samples(seaward_w), bank_w)))}")
    land_w = work(land_in_district)
    gained = shapely.difference(land_w, gs_land_w).area / 1e6
    lost = shapely.difference(gs_land_w.intersection(dist_w), land_w).area / 1e6
    out.append(f"areas in the district: outline {dist_w.area / 1e6:.1f} km², OSM land {land_w.area / 1e6:.1f} km², "
               f"water and tidal flats {(dist_w.area - land_w.area) / 1e6:.1f} km², GSHHG land {gs_in:.1f} km²; "
               f"OSM land not in GSHHG {gained:.1f} km², GSHHG land not in OSM {lost:.1f} km²")
    outside = shapely.difference(bank_w, dist_w).length / 1000
    out.append(f"riverbank outside the district outline: {outside:.1f} km of {bank_w.length / 1000:.1f} km")
    return out
