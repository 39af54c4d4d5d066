"""Raster side of density: an output-density GeoTIFF and zonal statistics of a user raster.

The density grid's CRS
----------------------
The GeoTIFF must carry a real EPSG code in metres (the working CRS of
:mod:`gis.geodesy.crs` is a custom transverse Mercator with no EPSG code, which many
viewers and web tilers cannot place). The default is **EPSG:32651, UTM zone
51N (WGS 84)**: over the district's extent (121.12°–122.25° E at 31.5° N) its
areal scale error stays within 6.8e-4, smaller than that of either CGCS2000
3° Gauss–Krüger zone the district straddles (EPSG:4550, CM 123° E: 7.9e-4;
EPSG:4549, CM 120° E: 1.1e-3; checked with ``pyproj.Proj.get_factors``); every
GIS and tiler reads it; and its datum is WGS84, so no datum question arises.
The scale error only changes a cell's nominal area (density = output / cell
area) by < 0.07 %; how output is shared among cells is exact in any CRS, since
shares are ratios of areas in one projection. Pass ``crs="EPSG:4549"`` or
``"EPSG:4550"`` to match CGCS2000 data.

How output is spread
--------------------
Each parcel's output goes to the cells it overlaps in proportion to the area
of the parcel in each cell (exact polygon-box intersections, vectorised), so
the grid sums back to the parcels' total output (to float precision; parcels
without area cannot be placed and are reported).

Zonal statistics
----------------
The zones are transformed into the raster's CRS (exact for polygons, densified
first) rather than the raster being resampled into another CRS: resampling
would change the very values being summarised. Each pixel is weighted by the
fraction of it the zone covers, so a parcel smaller than a pixel still gets a
value; nodata (the raster's nodata value, its mask, NaN) is left out.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyproj
import shapely

from gis.config import option_number
from gis.errors import CRSError, InputError, OutputError
from gis.geodesy.crs import WGS84, check_crs, transform_geometries
from gis.io.safe_write import note_read
from gis.planning.values import parcel_values, require_columns
from gis.units import YI_PER_WAN

__all__ = ["GRID_CRS", "NODATA", "density_grid", "write_density_grid", "zonal_stats"]

#: Default CRS of the density GeoTIFF (see module docstring).
GRID_CRS = "EPSG:32651"
NODATA = -9999.0
#: Candidate (parcel, cell) pairs handled per batch (bounds memory on big inputs).
_BATCH_PAIRS = 2_000_000


def _cell_pairs(geoms: np.ndarray, own: np.ndarray, x0: float, y0: float, dx: float, dy: float,
                ncols: int, nrows: int):
    """(geometry index, row, col, intersection area) of every geometry with every cell it overlaps.

    The grid's cell (r, c) spans x0 + c·dx … x0 + (c+1)·dx and y0 + r·dy … y0 + (r+1)·dy
    (dy < 0 for a north-up grid). Generated per geometry from its bounds, in batches.
    """
    b = shapely.bounds(geoms)
    b = np.where(np.isfinite(b), b, np.nan)
    finite = np.isfinite(b).all(axis=1)
    b[~finite] = 0.0  # missing/empty geometries: no cells (masked by ``ok`` below)
    xs = np.sort(np.stack([(b[:, 0] - x0) / dx, (b[:, 2] - x0) / dx]), axis=0)
    ys = np.sort(np.stack([(b[:, 1] - y0) / dy, (b[:, 3] - y0) / dy]), axis=0)
    c0 = np.clip(np.floor(xs[0]), 0, ncols - 1).astype(np.int64)
    c1 = np.clip(np.ceil(xs[1]) - 1, 0, ncols - 1).astype(np.int64)
    r0 = np.clip(np.floor(ys[0]), 0, nrows - 1).astype(np.int64)
    r1 = np.clip(np.ceil(ys[1]) - 1, 0, nrows - 1).astype(np.int64)
    ok = finite & (xs[1] > 0) & (xs[0] < ncols) & (ys[1] > 0) & (ys[0] < nrows)
    nc = np.where(ok, np.maximum(c1 - c0 + 1, 1), 0)
    nr = np.where(ok, np.maximum(r1 - r0 + 1, 1), 0)
    cnt = nc * nr
    out = ([], [], [], [])
    starts = np.concatenate([[0], np.cumsum(cnt)])
    lo = 0
    while lo < len(geoms):  # batches of geometries, not one per geometry
        hi = int(np.searchsorted(starts, starts[lo] + _BATCH_PAIRS, side="right")) - 1
        hi = min(max(hi, lo + 1), len(geoms))
        sel = np.arange(lo, hi)
        idx = np.repeat(sel, cnt[sel])
        k = np.arange(len(idx)) - np.repeat(starts[sel] - starts[lo], cnt[sel])
        col = c0[idx] + k % nc[idx]
        row = r0[idx] + k // nc[idx]
        xa, xb = x0 + col * dx, x0 + (col + 1) * dx
        ya, yb = y0 + row * dy, y0 + (row + 1) * dy
        boxes = shapely.box(np.minimum(xa, xb), np.minimum(ya, yb), np.maximum(xa, xb), np.maximum(ya, yb))
        # A geometry inside one cell needs no intersection: its own area is the overlap.
        single = cnt[idx] == 1
        inside = single & shapely.contains_properly(boxes, geoms[idx]) if single.any() else single
        area = np.empty(len(idx))
        area[inside] = own[idx[inside]]
        area[~inside] = shapely.area(shapely.intersection(geoms[idx[~inside]], boxes[~inside]))
        for lst, v in zip(out, (idx, row, col, area), strict=True):
            lst.append(v)
        lo = hi
    return tuple(np.concatenate(v) if v else np.array([]) for v in out)


def density_grid(classified, *, cell_m: float = 250.0, crs=GRID_CRS, targets=None) -> dict:
    """Spread the parcels' output over a regular grid: output and output density per cell.

    Parameters
    ----------
    classified : geopandas.GeoDataFrame
        Parcels with ``output_wan`` (万元) and a CRS.
    cell_m : float
        Cell size in metres (default 250).
    crs : str or pyproj.CRS
        A projected CRS in metres (default :data:`GRID_CRS`).

    Returns
    -------
    dict
        ``density`` (亿元/km², float32, NODATA outside the parcels), ``output``
        (亿元 per cell), ``transform`` (rasterio Affine), ``crs``, ``cell_m``,
        ``total_output_yi`` (all parcels), ``grid_output_yi`` (sum of the grid),
        ``unplaced`` (ids of parcels with output but no area), ``notes``.
    """
    from affine import Affine

    from gis.planning.targets import load_targets

    dst = pyproj.CRS.from_user_input(crs)
    if not dst.is_projected or dst.axis_info[0].unit_name not in ("metre", "meter"):
        raise CRSError(f"栅格坐标系 {crs} 须为以米为单位的投影坐标系。",
                       f"The grid CRS {crs} must be a projected CRS in metres.",
                       "例如 EPSG:32651（UTM 51N）或 EPSG:4549/4550（CGCS2000 3° 高斯–克吕格）。",
                       "E.g. EPSG:32651 (UTM 51N) or EPSG:4549/4550 (CGCS2000 3° Gauss–Krüger).")
    # 10 m cells over the district are already ≈ 3·10⁷ cells; smaller ones would exhaust memory.
    cell_m = option_number(cell_m, "--cell", minimum=10.0, maximum=100_000.0, unit_zh="米（10–100 000）",
                           unit_en="metres (10–100,000)")
    t = load_targets(targets)
    vals, notes = parcel_values(classified, fields=["output_wan"], checks=t.get("checks"))
    out_yi = vals["output_wan"].to_numpy(dtype="float64") * YI_PER_WAN
    geoms = transform_geometries(classified.geometry.to_numpy(), classified.crs or WGS84, dst)
    own = shapely.area(geoms)
    placed = np.isfinite(own) & (own > 0)
    ids = classified["parcel_id"].astype(str).to_numpy() if "parcel_id" in classified else np.arange(len(geoms))
    unplaced = ids[~placed & (out_yi > 0)]
    if len(unplaced):
        notes.append(f"地块 {', '.join(map(str, unplaced[:20]))} 无面积，产值无法落入栅格 / parcels "
                     f"{', '.join(map(str, unplaced[:20]))} have no area: their output is not on the grid")
    g = geoms[placed]
    if len(g) == 0:
        raise InputError("没有可落入栅格的地块（均无面积）。", "No parcel with an area to put on the grid.")
    b = shapely.total_bounds(g)
    x0 = np.floor(b[0] / cell_m) * cell_m
    y0 = np.ceil(b[3] / cell_m) * cell_m
    ncols = int(np.ceil((b[2] - x0) / cell_m)) or 1
    nrows = int(np.ceil((y0 - b[1]) / cell_m)) or 1
    idx, row, col, inter = _cell_pairs(g, own[placed], x0, y0, cell_m, -cell_m, ncols, nrows)
    flat = (row * ncols + col).astype(np.int64)
    share = inter / own[placed][idx]
    output = np.bincount(flat, weights=out_yi[placed][idx] * share, minlength=nrows * ncols)
    touched = np.bincount(flat, weights=(inter > 0).astype(float), minlength=nrows * ncols) > 0
    cell_km2 = cell_m * cell_m / 1e6
    dens = np.where(touched, output / cell_km2, NODATA).reshape(nrows, ncols).astype("float32")
    output = np.where(touched, output, NODATA).reshape(nrows, ncols)
    total = float(out_yi.sum())
    on_grid = float(output[output != NODATA].sum())
    return {"density": dens, "output": output.astype("float64"), "transform": Affine(cell_m, 0.0, x0, 0.0, -cell_m, y0),
            "crs": dst, "cell_m": float(cell_m), "total_output_yi": total, "grid_output_yi": on_grid,
            "unplaced": unplaced.tolist(), "notes": notes}


def write_density_grid(classified, path, *, cell_m: float = 250.0, crs=GRID_CRS, targets=None) -> dict:
    """Write the output-density grid as a Cloud-Optimised GeoTIFF.

    Band 1: output density, 亿元/km²; band 2: output per cell, 亿元 (so the band-2
    sum is the total output). Nodata :data:`NODATA` where no parcel lies. The
    file is written atomically. Returns the :func:`density_grid` result (without the arrays).
    """
    import rasterio
    import rasterio.shutil
    from rasterio.io import MemoryFile

    from gis.io.safe_write import atomic_output

    p = Path(path)
    if p.suffix.lower() not in (".tif", ".tiff"):
        raise OutputError(f"栅格输出须为 .tif（现为 {p.name}）。", f"The grid output must be a .tif ({p.name}).")
    res = density_grid(classified, cell_m=cell_m, crs=crs, targets=targets)
    nrows, ncols = res["density"].shape
    profile = {"driver": "GTiff", "width": ncols, "height": nrows, "count": 2, "dtype": "float64",
               "crs": res["crs"].to_wkt(), "transform": res["transform"], "nodata": NODATA}
    with MemoryFile() as mem:
        with mem.open(**profile) as ds:
            ds.write(res["density"].astype("float64"), 1)
            ds.write(res["output"], 2)
            ds.set_band_description(1, "output density 产出密度 (亿元/km²)")
            ds.set_band_description(2, "output per cell 单元格产值 (亿元)")
            ds.update_tags(units_band1="亿元/km²", units_band2="亿元", cell_m=str(cell_m),
                           total_output_yi=f"{res['total_output_yi']:.6f}",
                           grid_output_yi=f"{res['grid_output_yi']:.6f}",
                           source="parkgis density --grid",
                           crs_note="UTM 51N default: see gis/planning/density_grid.py")
        with mem.open() as src, atomic_output(p) as tmp:
            rasterio.shutil.copy(src, str(tmp), driver="COG", compress="DEFLATE", overview_resampling="average")
    return {k: v for k, v in res.items() if k not in ("density", "output")}


def zonal_stats(raster, zones, *, id_field: str | None = "parcel_id", band: int = 1,
                assume_crs: str | None = None, prefix: str = "raster_") -> pd.DataFrame:
    """Statistics of a raster within each zone (parcel, park…), area-weighted.

    Parameters
    ----------
    raster : str or Path
        Any raster GDAL reads (GeoTIFF…), in any CRS.
    zones : geopandas.GeoDataFrame
        Polygons with a CRS (transformed into the raster's CRS).
    id_field : str, optional
        Column identifying the zones in the result (None: the row position).
    band : int
        Raster band (1-based).
    assume_crs : str, optional
        The raster's CRS when the file declares none.
    prefix : str
        Prefix of the statistic columns.

    Returns
    -------
    pandas.DataFrame
        ``id_field``, then ``{prefix}mean`` (weighted by the covered fraction of
        each pixel), ``min``, ``max``, ``sum`` (Σ value × covered fraction, for
        count-like rasters), ``count`` (valid pixels touched), ``valid_share``
        (fraction of the zone's area over valid pixels). Empty statistics (NaN)
        where a zone has no valid pixel.
    """
    import rasterio
    from rasterio.windows import Window

    p = Path(raster)
    if not p.exists():
        raise InputError(f"找不到栅格文件“{p}”。", f"Raster not found: '{p}'.")
    note_read(p)  # no output of the command may overwrite it
    if id_field is not None:
        require_columns(zones, [id_field], "分区图层", "The zones")
    try:
        ds = rasterio.open(p)
    except rasterio.errors.RasterioIOError as exc:
        raise InputError(f"无法读取栅格“{p}”：{exc}", f"Cannot read raster '{p}': {exc}",
                         "请检查文件是否完整、是否为 GDAL 可读的栅格（如 GeoTIFF）。",
                         "Check that the file is complete and a raster GDAL reads (e.g. GeoTIFF).") from exc
    with ds:
        band = option_number(band, "--zonal-band", minimum=1, maximum=ds.count, integer=True,
                             unit_zh=f"波段序号（1–{ds.count}）", unit_en=f"band number (1–{ds.count})")
        rcrs = check_crs(ds.crs, str(p), assume_crs)
        tr = ds.transform
        if tr.b != 0 or tr.d != 0:
            raise InputError(f"栅格“{p}”有旋转，不支持。", f"Raster '{p}' is rotated; not supported.",
                             "请先用 gdalwarp 转为正北向栅格。", "Warp it to a north-up grid first (gdalwarp).")
        if zones.crs is None:
            raise CRSError("分区图层没有坐标参考系。", "The zones have no CRS.")
        geoms = transform_geometries(zones.geometry.to_numpy(), zones.crs, rcrs)
        own = shapely.area(geoms)
        idx, row, col, inter = _cell_pairs(geoms, own, tr.c, tr.f, tr.a, tr.e, ds.width, ds.height)
        n = len(geoms)
        vals = np.full(len(idx), np.nan)
        if len(idx):
            r0, r1, c0, c1 = int(row.min()), int(row.max()), int(col.min()), int(col.max())
            arr = ds.read(band, window=Window(c0, r0, c1 - c0 + 1, r1 - r0 + 1), masked=True)
            data = np.ma.filled(arr.astype("float64"), np.nan)
            vals = data[row - r0, col - c0]
    pix = abs(tr.a * tr.e)
    w = inter / pix
    ok = np.isfinite(vals) & (w > 0)
    i, v, w = idx[ok].astype(np.int64), vals[ok], w[ok]
    wsum = np.bincount(i, weights=w, minlength=n)
    wv = np.bincount(i, weights=w * v, minlength=n)
    f = pd.DataFrame({"i": i, "v": v}).groupby("i")["v"]
    out = pd.DataFrame(index=range(n))
    out[f"{prefix}mean"] = np.where(wsum > 0, wv / np.where(wsum > 0, wsum, 1), np.nan)
    out[f"{prefix}min"] = f.min().reindex(range(n)).to_numpy()
    out[f"{prefix}max"] = f.max().reindex(range(n)).to_numpy()
    out[f"{prefix}sum"] = np.where(wsum > 0, wv, np.nan)
    out[f"{prefix}count"] = np.bincount(i, minlength=n)
    out[f"{prefix}valid_share"] = np.where(own > 0, wsum * pix / np.where(own > 0, own, 1), np.nan)
    if id_field is not None:
        out.insert(0, id_field, zones[id_field].to_numpy())
    return out
