"""Benchmark of the web app (``parkgis serve``): start-up, point siting checks under load, a 100,000-parcel job.

Not a timed test: it prints figures (and writes them as JSON with ``--json FILE``).

* **start-up** — from launching ``parkgis serve`` to the first answered point
  siting check (layers, rules and indexes loaded, workers forked), median of
  ``--starts`` launches.
* **point siting checks** — ``POST /api/site-check`` with a point and an industry
  at random places inside the district: latency p50/p95 with one client, then
  with ``--clients`` clients in parallel (target: p95 ≤ 100 ms with 4 clients on
  2 cores), and the throughput; the ratio of the two p50s.
* **classification job** — a synthetic file of ``--parcels`` parcels uploaded to
  ``/api/jobs/classify`` and polled to the end (target: well under a minute).

Run: ``python benchmarks/bench_web.py`` (``--parcels 0`` skips the job).
Every request goes to 127.0.0.1 only; each loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _points(n: int, seed: int = 1) -> list[str]:
    """Random points inside the district (rejection sampling on the embedded district polygon)."""
    import shapely

    from gis.layers.layerset import load_layers

    district = shapely.union_all(load_layers().district.geometry.to_numpy())
    x0, y0, x1, y1 = district.bounds
    rng, out = random.Random(seed), []
    while len(out) < n:
        x, y = rng.uniform(x0, x1), rng.uniform(y0, y1)
        if district.contains(shapely.Point(x, y)):
            out.append(f"{x:.6f},{y:.6f}")
    return out


class Server:
    """``parkgis serve`` on a free loopback port."""

    def __init__(self):
        self.port = _port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.t0 = time.perf_counter()
        self.proc = subprocess.Popen([sys.executable, "-m", "gis.cli", "serve", "--port", str(self.port)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def wait_ready(self, timeout_s: float = 60.0) -> float:
        """Seconds from launch to the first answered point siting check."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                r = httpx.post(self.url + "/api/site-check", data={"lonlat": "121.52,31.62", "industry": "3731"},
                               timeout=5)
                if r.status_code == 200:
                    return time.perf_counter() - self.t0
            except httpx.HTTPError:
                time.sleep(0.05)
        raise RuntimeError("server did not start")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def _cpu_s(pid: int) -> float:
    """CPU seconds (user + system) used so far by a process and its descendants (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total, todo = 0.0, [pid]
    by_parent: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            by_parent.setdefault(int(fields[1]), []).append(int(d.name))
    while todo:
        p = todo.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
        except OSError:
            pass
        todo += by_parent.get(p, [])
    return total


def _client_loop(url: str, points: list[str], out: list[float], stop_at: float) -> None:
    with httpx.Client(base_url=url, timeout=30) as c:
        for p in points:
            if time.monotonic() > stop_at:
                break
            t = time.perf_counter()
            r = c.post("/api/site-check", data={"lonlat": p, "industry": "3731"})
            out.append(time.perf_counter() - t)
            if r.status_code != 200:
                raise RuntimeError(r.text)


def _load(url: str, clients: int, per_client: int, pid: int, max_s: float = 120.0) -> dict:
    pts = _points(clients * per_client, seed=clients)
    lat: list[list[float]] = [[] for _ in range(clients)]
    stop_at = time.monotonic() + max_s
    threads = [threading.Thread(target=_client_loop, args=(url, pts[i::clients], lat[i], stop_at))
               for i in range(clients)]
    cpu0, t0 = _cpu_s(pid), time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall, cpu = time.perf_counter() - t0, _cpu_s(pid) - cpu0
    allv = sorted(v for part in lat for v in part)
    q = statistics.quantiles(allv, n=100)
    return {"clients": clients, "requests": len(allv), "p50_ms": 1e3 * statistics.median(allv),
            "p95_ms": 1e3 * q[94], "max_ms": 1e3 * allv[-1], "per_s": len(allv) / wall,
            "server_cpu_ms_per_check": 1e3 * cpu / max(len(allv), 1)}


def _job(url: str, n: int) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="bench-web-"))
    path = tmp / "parcels.gpkg"
    subprocess.run([sys.executable, "-m", "gis.cli", "synth", "--n", str(n), "-o", str(path)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with httpx.Client(base_url=url, timeout=600) as c:
        t0 = time.perf_counter()
        with open(path, "rb") as fh:
            job = c.post("/api/jobs/classify", files={"parcels": (path.name, fh)}).json()
        stages = []
        while job["status"] not in ("done", "failed") and time.perf_counter() - t0 < 600:
            time.sleep(0.25)
            job = c.get(f"/api/jobs/{job['id']}").json()
            if not stages or stages[-1][0] != job["stage"]:
                stages.append((job["stage"], round(time.perf_counter() - t0, 1)))
        total = time.perf_counter() - t0
    if job["status"] != "done":
        raise RuntimeError(json.dumps(job["error"], ensure_ascii=False))
    return {"parcels": n, "file_mb": path.stat().st_size / 1e6, "seconds": total, "stages": stages}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--requests", type=int, default=100, help="requests per client")
    ap.add_argument("--starts", type=int, default=3)
    ap.add_argument("--parcels", type=int, default=100_000)
    ap.add_argument("--json", dest="json_out", default=None)
    a = ap.parse_args()
    print(f"machine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f} "
          "(other work on the machine inflates every latency below; the CPU per check does not depend on it)")
    starts = []
    for _ in range(a.starts):
        s = Server()
        starts.append(s.wait_ready())
        s.stop()
    print(f"start-up to the first answered check: median {statistics.median(starts):.2f} s "
          f"({', '.join(f'{x:.2f}' for x in starts)}); target ≤ 5 s")
    s = Server()
    s.wait_ready()
    try:
        _load(s.url, 2, 10, s.proc.pid)  # warm the connections and both workers
        one = _load(s.url, 1, a.requests, s.proc.pid)
        many = _load(s.url, a.clients, a.requests, s.proc.pid)
        for r in (one, many):
            print(f"{r['clients']} client(s): {r['requests']} point checks, p50 {r['p50_ms']:.0f} ms, "
                  f"p95 {r['p95_ms']:.0f} ms, max {r['max_ms']:.0f} ms, {r['per_s']:.1f}/s; "
                  f"server CPU {r['server_cpu_ms_per_check']:.0f} ms per check (server and workers)")
        print(f"p50 ratio {a.clients} clients / 1 client: {many['p50_ms'] / one['p50_ms']:.2f}; "
              f"throughput ratio {many['per_s'] / one['per_s']:.2f}; target p95 ≤ 100 ms with 4 clients")
        job = _job(s.url, a.parcels) if a.parcels else None
        if job:
            print(f"classification job of {job['parcels']:,} parcels ({job['file_mb']:.0f} MB GeoPackage): "
                  f"{job['seconds']:.1f} s; stages {job['stages']}")
    finally:
        s.stop()
    if a.json_out:
        Path(a.json_out).write_text(json.dumps({"startup_s": starts, "one": one, "many": many, "job": job},
                                               indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
