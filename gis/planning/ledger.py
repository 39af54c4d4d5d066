"""The reduction ledger (减量化台账) of 198 industrial land, per town and in total (DESIGN §4c).

A parcel's **198 land** in a year is its whole area (``area_m2``) when it is
industrial land that year (``industrial`` not "no") and its zone is ``198``
(the largest share, DESIGN §4), else 0. Against the baseline year, per town:

* ``reduced_ha`` — Σ over parcels of the 198 land lost since the baseline (a
  parcel removed, no longer industrial, shrunk, or moved out of 198);
* ``added_ha`` — Σ of the 198 land gained (new parcels, enlarged ones, parcels
  that became 198 industrial land): against the plan, listed parcel by parcel
  in the added list;
* ``net_reduced_ha = reduced_ha − added_ha``;

so ``land_198_ha(year) = land_198_ha(baseline) − reduced_ha + added_ha``. Areas
are summed as whole square centimetres (integers), so the ledger balances to
the last digit; the hectare columns are those sums ÷ 10⁸, and ``land_198_ha`` is
written as the identity's right-hand side, which equals the direct sum of the
year's 198 land to within one unit in the last place.

A parcel counts to its ``town`` (DESIGN §4). Without a ``towns`` layer, 198
parcels lie outside every town's construction area and have no town: they are
counted to the town of the nearest construction area (an approximation, said
so in the notes). The total is the sum of the towns, so a parcel that moves
from one town to another counts as reduced in one and added in the other.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from gis.geodesy.crs import to_work
from gis.geomarrays import present

__all__ = ["ADDED_COLUMNS", "LEDGER_COLUMNS", "CM2_PER_HA", "added_list", "fill_towns", "land_198", "ledger_diffs",
           "reduction_ledger"]

CM2_PER_HA = 10 ** 8
NO_TOWN = ("无乡镇", "no town")
TOTAL = ("全区合计", "district total")
LEDGER_COLUMNS = ["unit_type", "unit_id", "name_zh", "name_en", "year", "parcels_198", "land_198_ha", "reduced_ha",
                  "added_ha", "net_reduced_ha", "net_reduced_share"]
ADDED_COLUMNS = ["year", "parcel_id", "town", "added_ha", "parcel_198_ha", "since_year", "how_zh", "how_en",
                 "enterprise_zh", "industry", "output_wan", "note_zh", "note_en"]


def land_198(snap) -> pd.DataFrame:
    """The 198 industrial parcels of a snapshot: key, town, area in cm² and what the added list shows.

    Returns
    -------
    pandas.DataFrame
        ``match_id, parcel_id, town`` (None where the parcel has none), ``cm2`` (int64),
        ``enterprise_zh, industry, output_wan, geometry`` (the snapshot's CRS).
    """
    p = snap.parcels
    sel = p["industrial"].to_numpy(dtype=bool) & (p["zone"].astype(object).to_numpy() == "198")
    area = pd.to_numeric(p["area_m2"], errors="coerce").fillna(0.0).to_numpy(dtype="float64")[sel]
    town = p["town"].astype("string").to_numpy(dtype=object, na_value=None)[sel] if "town" in p \
        else np.full(int(sel.sum()), None, dtype=object)
    rows = pd.DataFrame({
        "match_id": p["match_id"].to_numpy(dtype=object)[sel],
        "parcel_id": p["parcel_id"].to_numpy(dtype=object)[sel],
        "town": town, "cm2": np.rint(area * 1e4).astype("int64"),
    })
    for c in ("enterprise_zh", "industry", "output_wan"):
        rows[c] = p[c].to_numpy()[sel] if c in p.columns else None
    rows["geometry"] = p.geometry.to_numpy()[sel]
    return rows


def fill_towns(rows: dict[int, pd.DataFrame], layers, crs) -> bool:
    """Give parcels without a town the town of the nearest construction area (or town polygon), in place.

    One nearest-neighbour query for every parcel key of every year (its latest
    outline's centroid against the polygons simplified to 10 m): the town is an
    approximation, and a key keeps one town across years. Returns whether any town was filled.
    """
    role = "towns" if layers is not None and layers.towns is not None else "construction_areas"
    gdf = layers.layer(role) if layers is not None else None
    missing = {y: r["town"].isna().to_numpy() for y, r in rows.items()}
    if gdf is None or not len(gdf) or not any(m.any() for m in missing.values()):
        for r in rows.values():
            r["town"] = r["town"].fillna(NO_TOWN[0])
        return False
    names = gdf["town_zh"].to_numpy(dtype=object) if "town_zh" in gdf else gdf["town_en"].to_numpy(dtype=object)
    need = pd.concat([r.loc[missing[y], ["match_id", "geometry"]] for y, r in rows.items()])
    need = need.drop_duplicates("match_id", keep="last")
    ok = present(need["geometry"].to_numpy())
    pts = to_work(shapely.centroid(need["geometry"].to_numpy()[ok]), crs)
    polys = shapely.simplify(layers.work(role), 10.0)
    near = shapely.STRtree(polys).query_nearest(pts, all_matches=False)
    town = pd.Series(names[near[1]], index=need["match_id"].to_numpy()[ok][near[0]])
    for y, r in rows.items():
        filled = r.loc[missing[y], "match_id"].map(town)
        r.loc[missing[y], "town"] = filled.to_numpy(dtype=object)
        r["town"] = r["town"].fillna(NO_TOWN[0])
    return True


def _diff(base: pd.DataFrame, cur: pd.DataFrame) -> pd.DataFrame:
    """Per (parcel key, town): baseline and current cm², outer-joined."""
    b = base.groupby(["match_id", "town"], sort=False)["cm2"].sum().rename("cm2_base")
    c = cur.groupby(["match_id", "town"], sort=False)["cm2"].sum().rename("cm2_cur")
    d = pd.concat([b, c], axis=1).fillna(0).astype("int64").reset_index()
    d["delta"] = d["cm2_cur"] - d["cm2_base"]
    return d


def ledger_diffs(rows: dict[int, pd.DataFrame], baseline: int) -> dict[int, pd.DataFrame]:
    """Per year: each (parcel key, town)'s baseline and current 198 land in cm², and the change."""
    return {year: _diff(rows[baseline], rows[year]) for year in sorted(rows)}


def reduction_ledger(rows: dict[int, pd.DataFrame], diffs: dict[int, pd.DataFrame], towns: dict[str, str]
                     ) -> pd.DataFrame:
    """The ledger: per town and in total, per year (see the module notes).

    Parameters
    ----------
    rows : dict of year → DataFrame
        :func:`land_198` rows of every snapshot (towns filled, :func:`fill_towns`).
    diffs : dict of year → DataFrame
        :func:`ledger_diffs` against the baseline.
    towns : dict
        Chinese town name → English name, in the order the ledger lists them.

    Returns
    -------
    pandas.DataFrame
        :data:`LEDGER_COLUMNS`; the total rows (``unit_type`` ``district``) last.
    """
    parts = []
    for year in sorted(rows):
        d = diffs[year].copy()
        d["reduced"], d["added"] = (-d["delta"]).clip(lower=0), d["delta"].clip(lower=0)
        g = d.groupby("town", sort=False)
        per = pd.DataFrame({"base": g["cm2_base"].sum(), "land": g["cm2_cur"].sum(), "reduced": g["reduced"].sum(),
                            "added": g["added"].sum()})
        per["parcels"] = rows[year].groupby("town").size().reindex(per.index).fillna(0).astype("int64")
        per["year"] = year
        parts.append(per.reset_index(names="town"))
    t = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["town", "base", "land", "reduced", "added", "parcels", "year"])
    order = list(towns) + sorted(set(t["town"]) - set(towns) - {NO_TOWN[0]}) + [NO_TOWN[0]]
    present_towns = [o for o in order if (t["town"] == o).any()]
    full = pd.MultiIndex.from_product([present_towns, sorted(rows)], names=["town", "year"])
    t = t.set_index(["town", "year"]).reindex(full).fillna(0).astype("int64").reset_index()
    total = t.groupby("year", sort=True)[["base", "land", "reduced", "added", "parcels"]].sum()
    total = total.reindex(sorted(rows), fill_value=0).rename_axis("year").reset_index()  # every year, 198 or not
    total["town"] = TOTAL[0]
    t = pd.concat([t, total], ignore_index=True)
    base_ha, reduced_ha, added_ha = t["base"] / CM2_PER_HA, t["reduced"] / CM2_PER_HA, t["added"] / CM2_PER_HA
    out = pd.DataFrame({
        "unit_type": np.where(t["town"] == TOTAL[0], "district", "town"),
        "unit_id": t["town"].to_numpy(dtype=object),
        "name_zh": t["town"].to_numpy(dtype=object),
        "name_en": t["town"].map({**towns, NO_TOWN[0]: NO_TOWN[1], TOTAL[0]: TOTAL[1]}).to_numpy(dtype=object),
        "year": t["year"].astype("int64"), "parcels_198": t["parcels"].astype("int64"),
        # The identity's right-hand side, so the columns balance exactly (module notes).
        "land_198_ha": base_ha - reduced_ha + added_ha,
        "reduced_ha": reduced_ha, "added_ha": added_ha, "net_reduced_ha": reduced_ha - added_ha,
    })
    with np.errstate(divide="ignore", invalid="ignore"):
        out["net_reduced_share"] = np.where(t["base"] > 0, (t["reduced"] - t["added"]) / t["base"], np.nan)
    return out[LEDGER_COLUMNS]


def added_list(rows: dict[int, pd.DataFrame], diffs: dict[int, pd.DataFrame], baseline: int,
               baseline_keys: set) -> pd.DataFrame:
    """New 198 industrial land against the plan, parcel by parcel, for every year after the baseline.

    One row per year and parcel (and town) whose 198 land exceeds its baseline
    value; ``added_ha`` per year and town sums to the ledger's ``added_ha``.
    ``since_year`` is the first year the parcel appears here.
    """
    parts = []
    for year in sorted(rows):
        if year == baseline:
            continue
        d = diffs[year]
        d = d[d["delta"] > 0]
        info = rows[year].drop_duplicates(["match_id", "town"]).set_index(["match_id", "town"])
        d = d.join(info.drop(columns=["cm2", "geometry"]), on=["match_id", "town"])
        d["year"] = year
        parts.append(d)
    if not parts or not sum(len(p) for p in parts):
        return pd.DataFrame(columns=ADDED_COLUMNS)
    a = pd.concat(parts, ignore_index=True)
    a["since_year"] = a.groupby(["match_id", "town"])["year"].transform("min")
    new = ~a["match_id"].isin(baseline_keys).to_numpy()
    grew = (a["cm2_base"] > 0).to_numpy()
    how = np.select([new, grew], ["new", "grew"], "became")
    zh = {"new": "新增地块", "grew": "地块扩大", "became": "转为 198 区域工业用地（区域或用途变化）"}
    en = {"new": "new parcel", "grew": "parcel enlarged", "became": "became 198 industrial land (zone or use changed)"}
    out = pd.DataFrame({
        "year": a["year"].astype("int64"), "parcel_id": a["parcel_id"], "town": a["town"],
        "added_ha": a["delta"] / CM2_PER_HA, "parcel_198_ha": a["cm2_cur"] / CM2_PER_HA,
        "since_year": a["since_year"].astype("int64"),
        "how_zh": pd.Series(how).map(zh).to_numpy(), "how_en": pd.Series(how).map(en).to_numpy(),
        "enterprise_zh": a["enterprise_zh"], "industry": a["industry"], "output_wan": a["output_wan"],
        "note_zh": "198 区域原则上不新增工业用地：与规划不符，请核查",
        "note_en": "198 areas take no new industrial land in principle: against the plan, check it",
    })
    return out.sort_values(["year", "town", "parcel_id"], kind="mergesort").reset_index(drop=True)[ADDED_COLUMNS]
