"""The crashes of issue 16, reproduced on the embedded Chongming layers: now an answer, never a traceback.

A 3 km circle at 121.7505 E, 31.3521 N contains a whole zone polygon: the convex
fast path of the overlay found no entry or exit and raised IndexError — for one
site, and for a whole ``--projects`` batch holding that row.
"""

from __future__ import annotations

import json

import pandas as pd
from faults_common import run

SITE = ("121.7505", "31.3521", "3000")


def test_a_circle_around_a_whole_zone():
    r = run("site-check", "--lonlat", f"{SITE[0]},{SITE[1]}", "--radius-m", SITE[2], "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["verdict"] in ("allowed", "review", "prohibited")
    assert "circle" in out.get("flags", []) or out["checks"]


def test_that_site_in_a_batch_and_the_others_checked(tmp_path):
    (tmp_path / "p.csv").write_text("project_id,lon,lat,radius_m,industry\n"
                                    f"P1,{SITE[0]},{SITE[1]},{SITE[2]},3311\n"
                                    "P2,121.4267,31.6567,,3311\nP3,121.8084,31.5150,200,6450\n", encoding="utf-8")
    r = run("site-check", "--projects", tmp_path / "p.csv", "-o", tmp_path / "out.csv")
    assert r.exit_code == 0, r.output
    out = pd.read_csv(tmp_path / "out.csv", encoding="utf-8-sig")
    assert out["project_id"].tolist() == ["P1", "P2", "P3"] and out["verdict"].notna().all()
