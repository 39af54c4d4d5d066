#!/usr/bin/env python3
"""Benchmark: plan monitoring (``gis.track``) on six yearly snapshots of 10⁵ parcels.

Issue 20 target: 6 yearly snapshots of 10⁵ parcels tracked in ≤ 30 s on 2 cores, peak ≤ 3 GB.

The snapshots are ``gis.synth.snapshots.synth_snapshots`` of 10⁵ synthetic parcels
(``synth_parcels`` on the embedded layers), classified, cached as GeoParquet in the work folder.
Measured, each in a fresh process (peak RSS = the process's ``VmHWM``), medians of the repeats:

* **ours, tracking**: :func:`gis.planning.tracking.track` on the six classified frames
  (dating, matching keys, unit table per park, zone, town and district, the ledger,
  the change list with its geometry test) — reading the files is timed apart;
* **ours, whole command**: ``parkgis track`` on the six files to a workbook and a changes GeoPackage;
* **baseline**: what a competent pandas/geopandas user writes for the same three tables — a
  ``groupby`` per year for the units, a merge per year for the ledger, and per pair a
  ``merge`` on ``parcel_id`` with ``GeoSeries.symmetric_difference(...).area`` on every matched
  parcel (no shortcut for equal geometries) — in the same run, so the ratio is fair on a noisy machine.

Usage::

    python benchmarks/bench_track.py                    # 10⁵ parcels × 6 years, 3 repeats
    python benchmarks/bench_track.py -n 20000 --repeat 1 --work /tmp/bt   # quicker
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
YEARS = list(range(2020, 2026))
TARGETS = {"track_s": 30.0, "peak_gb": 3.0}


def _hwm_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_inputs(n: int, work: Path) -> list[Path]:
    """The six snapshots as GeoParquet (cached) and GeoPackage (for the command)."""
    files = [work / f"parcels_{n}_{y}.parquet" for y in YEARS]
    if all(f.exists() for f in files):
        return files
    from gis.layers.layerset import load_layers
    from gis.synth.parcels import land_from_riverbank, synth_parcels
    from gis.synth.snapshots import synth_snapshots

    ls = load_layers()
    base = synth_parcels(n, ls.district, ls.parks, ls.construction_areas, seed=0,
                         land=land_from_riverbank(ls.riverbank, ls.district))
    t0 = time.perf_counter()
    snaps = synth_snapshots(YEARS, ls, base, seed=0)
    print(f"made {len(YEARS)} snapshots of {n:,} parcels in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    for y, f in zip(YEARS, files, strict=True):
        snaps[y].to_parquet(f)
        snaps[y].to_file(f.with_suffix(".gpkg"), layer="parcels", engine="pyogrio")
    return files


def _read(files: list[Path]):
    import geopandas as gpd

    return {y: gpd.read_parquet(f) for y, f in zip(YEARS, files, strict=True)}


def worker_ours(files: list[Path], repeat: int) -> dict:
    from gis.layers.layerset import load_layers
    from gis.planning.tracking import track

    t0 = time.perf_counter()
    frames = _read(files)
    read_s = time.perf_counter() - t0
    ls = load_layers()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        r = track(frames, ls, by=("park", "zone", "town", "district"))
        times.append(time.perf_counter() - t0)
    counts = r.changes["change"].value_counts().to_dict()
    return {"read_s": read_s, "track_s": times, "peak_mb": _hwm_mb(), "rows": len(r.changes), "changes": counts,
            "ledger_last": r.ledger[r.ledger["unit_type"] == "district"]["land_198_ha"].iloc[-1]}


def worker_baseline(files: list[Path], repeat: int) -> dict:
    """The plain pandas/geopandas way to the same three tables."""
    import pandas as pd

    from gis.geodesy.crs import WORK_CRS

    frames = _read(files)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        units = []
        for y, s in frames.items():
            ind = s[s["industrial"]]
            for col in ("park_id", "zone", "town"):
                g = ind.groupby(col).agg(land_m2=("area_m2", "sum"), output_wan=("output_wan", "sum"),
                                         parcels=("area_m2", "size"))
                g["density"] = g["output_wan"] / 1e4 / (g["land_m2"] / 1e6)
                units.append(g.assign(year=y, by=col))
        units = pd.concat(units)
        base = frames[YEARS[0]]
        base = base[base["industrial"] & (base["zone"] == "198")][["parcel_id", "town", "area_m2"]]
        ledger = []
        for y, s in frames.items():
            cur = s[s["industrial"] & (s["zone"] == "198")][["parcel_id", "town", "area_m2"]]
            m = base.merge(cur, on=["parcel_id", "town"], how="outer", suffixes=("_0", "_y")).fillna(
                {"area_m2_0": 0.0, "area_m2_y": 0.0})
            d = m["area_m2_y"] - m["area_m2_0"]
            ledger.append(m.assign(red=(-d).clip(lower=0), add=d.clip(lower=0)).groupby("town")[
                ["area_m2_y", "red", "add"]].sum().assign(year=y))
        ledger = pd.concat(ledger)
        changes = []
        for y0, y1 in zip(YEARS, YEARS[1:], strict=False):
            a = frames[y0][["parcel_id", "action", "output_wan", "geometry"]].to_crs(WORK_CRS)
            b = frames[y1][["parcel_id", "action", "output_wan", "geometry"]].to_crs(WORK_CRS)
            m = a.merge(b, on="parcel_id", how="outer", suffixes=("_a", "_b"), indicator=True)
            both = m["_merge"] == "both"
            import geopandas as gpd

            ga = gpd.GeoSeries(m.loc[both, "geometry_a"].to_numpy(), crs=WORK_CRS)
            gb = gpd.GeoSeries(m.loc[both, "geometry_b"].to_numpy(), crs=WORK_CRS)
            moved = ga.symmetric_difference(gb).area.to_numpy() / ga.area.to_numpy()
            change = pd.Series("unchanged", index=m.index)
            change[m["_merge"] == "right_only"] = "added"
            change[m["_merge"] == "left_only"] = "removed"
            change[both.to_numpy().nonzero()[0][moved > 0.01]] = "reshaped"
            changes.append(m.drop(columns=["geometry_a", "geometry_b"]).assign(change=change, year_from=y0))
        changes = pd.concat(changes)
        times.append(time.perf_counter() - t0)
    return {"track_s": times, "peak_mb": _hwm_mb(), "rows": len(changes)}


def run_worker(kind: str, files: list[Path], repeat: int) -> dict:
    proc = subprocess.run([sys.executable, __file__, "_worker", kind, str(repeat), *map(str, files)],
                          capture_output=True, text=True, cwd=REPO)
    if proc.returncode:
        raise SystemExit(proc.stderr[-3000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run_command(files: list[Path], work: Path, repeat: int) -> dict:
    times, peaks = [], []
    for i in range(repeat):
        out = work / f"track_{i}.xlsx"
        cmd = [sys.executable, "-m", "gis.cli", "-q", "track", *[str(f.with_suffix(".gpkg")) for f in files],
               "--by", "park", "--by", "zone", "--by", "town", "--by", "district", "-o", str(out),
               "--changes", str(work / f"changes_{i}.gpkg")]
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(p.pid, 0)
        times.append(time.perf_counter() - t0)
        peaks.append(usage.ru_maxrss / 1024)
        if status:
            raise SystemExit(p.stderr.read().decode()[-3000:])
    return {"track_s": times, "peak_mb": max(peaks)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=100_000, help="parcels in the first year (default 10⁵)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--work", type=Path, default=HERE / "_work")
    ap.add_argument("--skip-command", action="store_true", help="do not time the whole `parkgis track` command")
    args = ap.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    files = make_inputs(args.n, args.work)
    ours = run_worker("ours", files, args.repeat)
    base = run_worker("baseline", files, args.repeat)
    cmd = None if args.skip_command else run_command(files, args.work, max(1, args.repeat - 1))
    med = statistics.median(ours["track_s"])
    bmed = statistics.median(base["track_s"])
    print(f"## parkgis track: {len(YEARS)} yearly snapshots of {args.n:,} parcels ({os.cpu_count()} cores)\n")
    print("| what | median s (runs) | peak MB |\n|---|---:|---:|")
    print(f"| ours: gis.track (read {ours['read_s']:.2f} s apart) | **{med:.2f}** ({len(ours['track_s'])}) | "
          f"{ours['peak_mb']:.0f} |")
    if cmd:
        print(f"| ours: whole `parkgis track` → xlsx + gpkg | {statistics.median(cmd['track_s']):.2f} "
              f"({len(cmd['track_s'])}) | {cmd['peak_mb']:.0f} |")
    print(f"| baseline: plain pandas/geopandas | {bmed:.2f} ({len(base['track_s'])}) | {base['peak_mb']:.0f} |")
    print(f"\nbaseline ÷ ours: **{bmed / med:.1f}×**; change rows {ours['rows']:,} (baseline {base['rows']:,}); "
          f"changes {ours['changes']}")
    met_t = med <= TARGETS["track_s"]
    peak_gb = max(ours["peak_mb"], (cmd or {}).get("peak_mb", 0)) / 1024
    print(f"target ≤ {TARGETS['track_s']:g} s: {'met' if met_t else 'NOT met'} ({med:.2f} s); "
          f"peak ≤ {TARGETS['peak_gb']:g} GB: {'met' if peak_gb <= TARGETS['peak_gb'] else 'NOT met'} "
          f"({peak_gb:.2f} GB)")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_worker":
        kind, repeat, paths = sys.argv[2], int(sys.argv[3]), [Path(p) for p in sys.argv[4:]]
        res = (worker_ours if kind == "ours" else worker_baseline)(paths, repeat)
        print(json.dumps(res, default=float))
        sys.exit(0)
    sys.exit(main())
