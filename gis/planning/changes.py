"""Parcel-by-parcel changes between consecutive snapshots (DESIGN §4c "Changes").

Parcels are matched by their key (``parcel_id``, with the occurrence number for
ids shared within a year; :mod:`gis.planning.snapshots`), with one merge per pair
of years. The change of a matched parcel is, in this order of precedence:

* ``added`` — a key that the earlier year lacks, or a parcel that is industrial
  land again (``industrial`` yes after no);
* ``removed`` — a key that the later year lacks, or a parcel that is no longer
  industrial land (flag ``no_longer_industrial``);
* ``reshaped`` — its geometry moved by more than :data:`RESHAPE_SHARE` (1 %) of
  its area: area of the symmetric difference ÷ the earlier area, in metres;
* ``action_changed`` — the classification's ``action`` differs;
* ``unchanged``.

Everything else that changed is in ``flags`` (``;``-separated):
``action_changed`` (under ``reshaped``), ``output_changed``, ``zone_changed``,
``duplicate_id``, ``no_id``, ``id_changed`` (a removed and an added parcel with
the same geometry: probably one parcel whose id changed; ``note_zh/en`` name
the other id), ``no_longer_industrial``, ``industrial_again``, ``not_industrial``.

Vectorised: geometries are first compared exactly (``shapely.equals_exact``),
and only those that differ are projected and intersected (shapely array
functions), so a pair of 10⁵-parcel years takes well under a second.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gis.geodesy.crs import to_work
from gis.geomarrays import present
from gis.units import YI_PER_WAN

__all__ = ["CHANGE_COLUMNS", "CHANGES", "RESHAPE_SHARE", "change_summary", "changes_between", "empty_changes",
           "moved_share"]

#: A geometry that moved by more than this share of its area is ``reshaped``.
RESHAPE_SHARE = 0.01
CHANGES = ("added", "removed", "reshaped", "action_changed", "unchanged")
#: DESIGN §4c columns first, then the further ones.
CHANGE_COLUMNS = ["parcel_id", "year_from", "year_to", "change", "action_from", "action_to", "output_wan_from",
                  "output_wan_to", "zone_from", "zone_to", "town", "park_zh", "area_m2_from", "area_m2_to",
                  "moved_share", "flags", "note_zh", "note_en"]
_SIDE = ["match_id", "parcel_id", "action", "output_wan", "zone", "town", "park_id", "area_m2", "industrial",
         "duplicate", "no_id"]


def moved_share(a: np.ndarray, b: np.ndarray, crs) -> np.ndarray:
    """Area of the symmetric difference of ``a`` and ``b`` ÷ the area of ``a`` (metres, vectorised).

    Geometries equal coordinate for coordinate give 0 without any overlay. A
    missing or empty ``a`` with a present ``b`` gives ``inf``; both missing give 0.
    """
    a = np.asarray(a, dtype=object)
    b = np.asarray(b, dtype=object)
    out = np.zeros(len(a))
    pa, pb = present(a), present(b)
    out[pa != pb] = np.inf
    cand = np.flatnonzero(pa & pb & ~shapely.equals_exact(a, b, tolerance=0.0))
    if cand.size:
        wa, wb = to_work(a[cand], crs), to_work(b[cand], crs)
        wa = np.where(shapely.is_valid(wa), wa, shapely.make_valid(wa))
        wb = np.where(shapely.is_valid(wb), wb, shapely.make_valid(wb))
        sd = shapely.area(shapely.symmetric_difference(wa, wb))
        base = shapely.area(wa)
        with np.errstate(divide="ignore", invalid="ignore"):
            out[cand] = np.where(base > 0, sd / base, np.where(sd > 0, np.inf, 0.0))
    return out


def _side(snap) -> pd.DataFrame:
    p = snap.parcels
    cols = {c: (p[c].to_numpy() if c in p.columns else np.full(len(p), np.nan if c == "output_wan" else None))
            for c in _SIDE}
    cols["output_wan"] = pd.to_numeric(pd.Series(cols["output_wan"]), errors="coerce").to_numpy(dtype="float64")
    cols["row"] = np.arange(len(p))
    return pd.DataFrame(cols)


def _differs(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Element-wise "not equal", missing equal to missing."""
    na, nb = pd.isna(a), pd.isna(b)
    with np.errstate(invalid="ignore"):
        neq = np.asarray(a != b, dtype=bool)
    return (na != nb) | (~na & ~nb & neq)


def _join(parts: list[np.ndarray]) -> np.ndarray:
    """Join flag name arrays row by row with ';' (skipping empty ones), vectorised per flag."""
    out = np.full(len(parts[0]) if parts else 0, "", dtype=object)
    for p in parts:
        has = p != ""
        out[has] = np.where(out[has] == "", p[has], out[has] + ";" + p[has])
    return out


def _flag(mask: np.ndarray, name: str) -> np.ndarray:
    return np.where(mask, name, "").astype(object)


def changes_between(a, b, park_names: dict | None = None) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """The change of every parcel from snapshot ``a`` to snapshot ``b``.

    Parameters
    ----------
    a, b : gis.planning.snapshots.Snapshot
        Consecutive years, in the same CRS.
    park_names : dict, optional
        ``park_id`` → Chinese name, for the ``park_zh`` column.

    Returns
    -------
    table : pandas.DataFrame
        :data:`CHANGE_COLUMNS`, one row per parcel of either year.
    geometry : numpy.ndarray
        Each row's geometry in the later year (the earlier one for removed parcels), the snapshots' CRS.
    previous : numpy.ndarray
        Each row's geometry in the earlier year (None when added).
    """
    m = _side(a).merge(_side(b), on="match_id", how="outer", suffixes=("_from", "_to"), sort=False)
    in_a, in_b = m["row_from"].notna().to_numpy(), m["row_to"].notna().to_numpy()
    ra = m["row_from"].fillna(-1).to_numpy(dtype="int64")
    rb = m["row_to"].fillna(-1).to_numpy(dtype="int64")
    ga_all, gb_all = a.parcels.geometry.to_numpy(), b.parcels.geometry.to_numpy()
    prev = np.where(in_a, ga_all[np.maximum(ra, 0)], None) if len(ga_all) else np.full(len(m), None, dtype=object)
    cur = np.where(in_b, gb_all[np.maximum(rb, 0)], None) if len(gb_all) else np.full(len(m), None, dtype=object)
    share = np.full(len(m), np.nan)
    both = in_a & in_b
    share[both] = moved_share(prev[both], cur[both], a.parcels.crs)

    ind_a = in_a & m["industrial_from"].fillna(False).to_numpy(dtype=bool)
    ind_b = in_b & m["industrial_to"].fillna(False).to_numpy(dtype=bool)
    act_diff = both & _differs(m["action_from"].to_numpy(dtype=object), m["action_to"].to_numpy(dtype=object))
    out_diff = both & _differs(m["output_wan_from"].to_numpy(), m["output_wan_to"].to_numpy())
    zone_diff = both & _differs(m["zone_from"].to_numpy(dtype=object), m["zone_to"].to_numpy(dtype=object))
    reshaped = both & (share > RESHAPE_SHARE)
    change = np.select([~ind_a & ind_b, ind_a & ~ind_b, reshaped, act_diff], list(CHANGES[:4]), "unchanged")
    change = change.astype(object)

    dup = m["duplicate_from"].fillna(False).to_numpy(dtype=bool) | m["duplicate_to"].fillna(False).to_numpy(dtype=bool)
    no_id = m["no_id_from"].fillna(False).to_numpy(dtype=bool) | m["no_id_to"].fillna(False).to_numpy(dtype=bool)
    twin_zh, twin_en, twin = _id_twins(m, in_a, in_b, prev, cur, a.parcels.crs)
    flags = _join([
        _flag(reshaped & act_diff, "action_changed"), _flag(out_diff, "output_changed"),
        _flag(zone_diff, "zone_changed"), _flag(dup, "duplicate_id"), _flag(no_id, "no_id"), _flag(twin, "id_changed"),
        _flag(in_a & in_b & ind_a & ~ind_b, "no_longer_industrial"),
        _flag(in_a & in_b & ~ind_a & ind_b, "industrial_again"), _flag(~ind_a & ~ind_b, "not_industrial"),
    ])
    later = in_b
    park = pd.Series(np.where(later, m["park_id_to"].to_numpy(dtype=object), m["park_id_from"].to_numpy(dtype=object)),
                     dtype=object)
    park_zh = park.map(park_names or {}).where(lambda s: s.notna(), park).to_numpy(dtype=object)
    table = pd.DataFrame({
        "parcel_id": np.where(later, m["parcel_id_to"].to_numpy(dtype=object),
                              m["parcel_id_from"].to_numpy(dtype=object)),
        "year_from": np.full(len(m), a.year, dtype="int64"), "year_to": np.full(len(m), b.year, dtype="int64"),
        "change": change, "action_from": m["action_from"].to_numpy(dtype=object),
        "action_to": m["action_to"].to_numpy(dtype=object),
        "output_wan_from": m["output_wan_from"].to_numpy(dtype="float64"),
        "output_wan_to": m["output_wan_to"].to_numpy(dtype="float64"),
        "zone_from": m["zone_from"].to_numpy(dtype=object), "zone_to": m["zone_to"].to_numpy(dtype=object),
        "town": np.where(later, m["town_to"].to_numpy(dtype=object), m["town_from"].to_numpy(dtype=object)),
        "park_zh": park_zh,
        "area_m2_from": pd.to_numeric(m["area_m2_from"], errors="coerce").to_numpy(dtype="float64"),
        "area_m2_to": pd.to_numeric(m["area_m2_to"], errors="coerce").to_numpy(dtype="float64"),
        "moved_share": share, "flags": flags, "note_zh": twin_zh, "note_en": twin_en,
    })
    for c in ("action_from", "action_to", "zone_from", "zone_to", "town", "parcel_id"):
        table[c] = table[c].where(table[c].notna(), None)
    return table, np.where(in_b, cur, prev), prev


def _id_twins(m, in_a, in_b, prev, cur, crs):
    """Removed and added parcels of one pair with the same geometry: probably an id change."""
    n = len(m)
    zh = np.full(n, "", dtype=object)
    en = np.full(n, "", dtype=object)
    twin = np.zeros(n, dtype=bool)
    gone = np.flatnonzero(in_a & ~in_b & present(prev))
    new = np.flatnonzero(~in_a & in_b & present(cur))
    if not gone.size or not new.size:
        return zh, en, twin
    tree = shapely.STRtree(cur[new])
    qi, ti = tree.query(prev[gone], predicate="intersects")
    if not qi.size:
        return zh, en, twin
    i, j = gone[qi], new[ti]
    ok = moved_share(prev[i], cur[j], crs) <= RESHAPE_SHARE
    i, j = i[ok], j[ok]
    if not i.size:
        return zh, en, twin
    first = ~pd.Series(i).duplicated().to_numpy() & ~pd.Series(j).duplicated().to_numpy()
    i, j = i[first], j[first]
    pid_a = m["parcel_id_from"].to_numpy(dtype=object)
    pid_b = m["parcel_id_to"].to_numpy(dtype=object)
    twin[i] = twin[j] = True
    # A handful of rows: the ids go into the notes.
    zh[i] = [f"与 {b} 几何相同：编号可能已改为 {b}，请核对（按移除与新增计）" for b in pid_b[j]]
    en[i] = [f"same geometry as {b}: the id was probably changed to {b}; check it (counted as removed and added)"
             for b in pid_b[j]]
    zh[j] = [f"与 {x} 几何相同：可能原编号为 {x}，请核对（按移除与新增计）" for x in pid_a[i]]
    en[j] = [f"same geometry as {x}: probably formerly {x}; check it (counted as removed and added)" for x in pid_a[i]]
    return zh, en, twin


def empty_changes() -> gpd.GeoDataFrame:
    """An empty change table with its columns."""
    return gpd.GeoDataFrame(pd.DataFrame(columns=CHANGE_COLUMNS), geometry=[], crs=None)


def change_summary(changes: pd.DataFrame) -> pd.DataFrame:
    """Parcels, land (ha) and output (亿元) per pair of years and change, and how many had their output changed.

    Land is the later area (the earlier one for removed parcels); ``output_change_yi``
    is Σ (later − earlier output) over the rows where both are known.
    """
    cols = ["year_from", "year_to", "change", "parcels", "land_ha", "output_change_yi", "output_changed"]
    if not len(changes):
        return pd.DataFrame(columns=cols)
    area = changes["area_m2_to"].where(changes["area_m2_to"].notna(), changes["area_m2_from"]).fillna(0.0)
    f = pd.DataFrame({"year_from": changes["year_from"], "year_to": changes["year_to"],
                      "change": pd.Categorical(changes["change"], categories=list(CHANGES)), "land_ha": area / 1e4,
                      "dout": (changes["output_wan_to"] - changes["output_wan_from"]) * YI_PER_WAN,
                      "oc": changes["flags"].str.contains("output_changed", regex=False)})
    g = f.groupby(["year_from", "year_to", "change"], observed=False, sort=True)
    out = pd.DataFrame({"parcels": g.size(), "land_ha": g["land_ha"].sum(),
                        "output_change_yi": g["dout"].sum(min_count=1), "output_changed": g["oc"].sum()})
    out = out.reset_index()
    out["change"] = out["change"].astype(str)
    out["parcels"] = out["parcels"].astype("int64")
    out["output_changed"] = out["output_changed"].astype("int64")
    return out[cols]
