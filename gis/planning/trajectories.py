"""Each unit's trajectory against the plan's path: the unit table of DESIGN §4c.

One row per unit × year. A year's figures are those of :func:`gis.planning.density.density`
on that year's industrial parcels (units and counting exactly as ``parkgis
density``: park, zone, town, district or a user layer), or, for ``by="category"``,
per 1+3+X category of the parcels inside the district. Then, against the
baseline year ``y₀`` (the first snapshot unless chosen):

* ``target_path_yi_per_km2(y) = min(d(y₀) · (1 + g)^(y − y₀), T)`` — the
  baseline density grown at the plan's rate ``g`` (``density.growth_rate``,
  4.5 %/year), capped at the 2025 target ``T`` (``density.target_yi_per_km2``,
  25 亿元/km²), for the units the density target applies to (``density.applies_to``);
* ``on_track`` — ``density_yi_per_km2 ≥ target_path_yi_per_km2``;
* ``cagr`` — compound annual growth of the density since the baseline,
  ``(d(y) / d(y₀))^(1 / (y − y₀)) − 1`` (a fraction; empty in the baseline year);
* ``output_target_2025_yi`` — a park's 2025 output target (the layer's field or
  the targets file), a 1+3+X category's 2025 output target.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from gis.errors import ParkgisError
from gis.planning.density import UNIT_TYPES, density
from gis.planning.values import parcel_values
from gis.units import YI_PER_WAN

__all__ = ["UNIT_COLUMNS", "industrial_parcels", "unit_frame", "unit_table", "year_figures"]

UNIT_COLUMNS = ["unit_type", "unit_id", "name_zh", "name_en", "year", "parcels", "land_km2", "output_yi",
                "density_yi_per_km2", "target_path_yi_per_km2", "target_2025_yi_per_km2", "on_track", "cagr",
                "output_target_2025_yi"]
_USED = ("parcel_id", "area_m2", "share_104", "share_195", "share_198", "share_outside", "zone", "action", "park_id",
         "town", "output_wan", "industry", "high_tech", "enterprise_zh", "flags")
_FIGURES = ["unit_type", "unit_id", "name_zh", "name_en", "parcels", "land_km2", "output_yi", "density_yi_per_km2",
            "target_yi_per_km2", "output_target_yi"]


def _category_figures(parcels: pd.DataFrame, targets) -> tuple[pd.DataFrame, list[str]]:
    """parcels, land and output per 1+3+X category of the parcels inside the district."""
    from gis.domain import industry, industry_categories
    from gis.planning.categories import CATEGORY_KEYS

    if "industry" not in parcels.columns:
        return pd.DataFrame(columns=_FIGURES), ["1+3+X：缺少 industry 字段，未评估 / 1+3+X: no 'industry' field, "
                                                "not evaluated"]
    inside = parcels[parcels["zone"].notna()]
    codes = industry.ensure_codes(inside["industry"].reset_index(drop=True))
    cat = industry_categories.category(codes).astype(object).fillna("unknown").to_numpy(dtype=object)
    f = pd.DataFrame({"cat": cat,
                      "area": pd.to_numeric(inside["area_m2"], errors="coerce").fillna(0.0).to_numpy(),
                      "out": pd.to_numeric(inside["output_wan"], errors="coerce").to_numpy()})
    g = f.groupby("cat")
    keys = list(CATEGORY_KEYS) + (["unknown"] if (cat == "unknown").any() else [])
    tgt = targets.get("categories.targets_yi")
    info = {k: industry_categories.category_info(k) for k in CATEGORY_KEYS}
    t = pd.DataFrame({
        "unit_type": "category", "unit_id": keys,
        "name_zh": [info[k]["name_zh"] if k in info else "未填行业代码" for k in keys],
        "name_en": [info[k]["name_en"] if k in info else "no industry code" for k in keys],
        "parcels": g.size().reindex(keys).fillna(0).astype("int64").to_numpy(),
        "land_km2": g["area"].sum().reindex(keys).fillna(0.0).to_numpy() / 1e6,
        "output_yi": g["out"].sum(min_count=0).reindex(keys).fillna(0.0).to_numpy() * YI_PER_WAN,
    })
    with np.errstate(divide="ignore", invalid="ignore"):
        t["density_yi_per_km2"] = np.where(t["land_km2"] > 0, t["output_yi"] / t["land_km2"], np.nan)
    applies = targets.applies("density.applies_to", "category", keys)
    t["target_yi_per_km2"] = np.where(applies, targets.number("density.target_yi_per_km2"), np.nan)
    t["output_target_yi"] = [float(tgt[k]) if k in tgt else (info[k]["target_yi"] if k in info and
                             info[k]["target_yi"] is not None else np.nan) for k in keys]
    return t, []


def _wrap(exc: ParkgisError, snap) -> ParkgisError:
    return type(exc)(f"{snap.year} 年快照（{snap.source}）：{exc.message_zh}",
                     f"Snapshot {snap.year} ({snap.source}): {exc.message_en}", exc.hint_zh, exc.hint_en)


def industrial_parcels(snap, targets) -> tuple[pd.DataFrame, list[str]]:
    """A snapshot's industrial parcels with their output checked (DESIGN §5), and the notes.

    Raises
    ------
    FieldError
        Negative or non-numeric output, empty output (naming the year and the parcels).
    """
    p = snap.parcels
    keep = [c for c in _USED if c in p.columns] + [p.geometry.name]
    parcels = p.loc[p["industrial"].to_numpy(dtype=bool), keep]  # the columns the units need, not all
    if "output_wan" not in parcels.columns:
        return parcels.assign(output_wan=np.nan), [
            f"{snap.year} 年快照缺少产值字段 output_wan（万元）：产值与地均产出未评估 / the {snap.year} snapshot has "
            f"no output_wan field (万元): output and density not evaluated"]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the same messages come back in the notes
            _, notes = parcel_values(parcels, fields=["output_wan"], checks=targets.get("checks"))
    except ParkgisError as exc:
        raise _wrap(exc, snap) from exc
    return parcels, [n for n in notes if not n.startswith("未评估")]


def unit_frame(parcels: pd.DataFrame, layers, by, targets, *, unit_id_field: str | None = None
               ) -> tuple[pd.DataFrame, list[str]]:
    """The units of ``by`` with their names and targets (the density table of no parcels)."""
    if isinstance(by, str) and by == "category":
        return pd.DataFrame(columns=_FIGURES), []
    empty = parcels.iloc[:0].assign(output_wan=pd.Series(dtype="float64"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = density(empty, layers, by=by, targets=targets, unit_id_field=unit_id_field)
    return t[_FIGURES], [n for n in t.attrs.get("notes", []) if not n.startswith(("目标：", "未评估"))]


def _label_figures(parcels: pd.DataFrame, by: str, units: pd.DataFrame) -> pd.DataFrame:
    """parcels, land and output per unit, each parcel counted to its label (as :func:`density` counts)."""
    if by == "district":
        label = np.where(parcels["zone"].notna().to_numpy(), str(units["unit_id"].iloc[0]), None)
    else:
        col = {"park": "park_id", "zone": "zone", "town": "town"}[by]
        label = parcels[col].to_numpy(dtype=object)
    f = pd.DataFrame({"u": label, "a": pd.to_numeric(parcels["area_m2"], errors="coerce").fillna(0.0).to_numpy(),
                      "o": pd.to_numeric(parcels["output_wan"], errors="coerce").to_numpy()})
    g = f[f["u"].notna()].groupby("u", sort=False)
    got = pd.DataFrame({"parcels": g.size(), "land_km2": g["a"].sum() / 1e6,
                        "output_yi": g["o"].sum(min_count=1) * YI_PER_WAN})
    t = units.drop(columns=["parcels", "land_km2", "output_yi", "density_yi_per_km2"]).copy()
    t["unit_id"] = t["unit_id"].astype(str)
    extra = [u for u in got.index if u not in set(t["unit_id"])]  # a label without a polygon: kept
    if extra:
        t = pd.concat([t, pd.DataFrame({"unit_type": by, "unit_id": extra})], ignore_index=True)
    t = t.join(got, on="unit_id")
    t["parcels"] = t["parcels"].fillna(0).astype("int64")
    t["land_km2"] = t["land_km2"].fillna(0.0)
    t["output_yi"] = t["output_yi"].where(t["parcels"] > 0, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        t["density_yi_per_km2"] = np.where(t["land_km2"] > 0, t["output_yi"] / t["land_km2"], np.nan)
    return t[_FIGURES]


def year_figures(snap, parcels: pd.DataFrame, layers, by, targets, units: pd.DataFrame, *,
                 unit_id_field: str | None = None) -> tuple[pd.DataFrame, list[str]]:
    """One year's figures per unit (the columns of :data:`_FIGURES`) and the notes.

    Parameters
    ----------
    snap : gis.planning.snapshots.Snapshot
    parcels : pandas.DataFrame
        Its industrial parcels (:func:`industrial_parcels`).
    layers : LayerSet
    by : {"park", "zone", "town", "district", "category"}, GeoDataFrame or path
    targets : gis.planning.targets.Targets
    units : pandas.DataFrame
        :func:`unit_frame` of ``by``.
    unit_id_field : str, optional
        For a user layer, as for :func:`gis.planning.density.density`.

    Raises
    ------
    ParkgisError
        Malformed industry codes, a user layer's errors, naming the year.
    """
    more: list[str] = []
    try:
        if isinstance(by, str) and by == "category":
            t, more = _category_figures(parcels, targets)
        elif isinstance(by, str) and by in UNIT_TYPES:
            t = _label_figures(parcels, by, units)
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                t = density(parcels.fillna({"output_wan": 0.0}), layers, by=by, targets=targets,
                            unit_id_field=unit_id_field)[_FIGURES]
            more = [n for n in t.attrs.get("notes", []) if not n.startswith(("目标：", "未评估"))]
    except ParkgisError as exc:
        raise _wrap(exc, snap) from exc
    if parcels["output_wan"].isna().all() and len(parcels):
        t = t.assign(output_yi=np.nan, density_yi_per_km2=np.nan)
    return t, more


def _complete(per_year: dict[int, pd.DataFrame]) -> pd.DataFrame:
    """Every unit in every year (a unit without parcels in a year: 0 parcels, 0 land, no density)."""
    frames = [t.assign(year=y) for y, t in per_year.items()]
    allt = pd.concat(frames, ignore_index=True)
    allt["unit_id"] = allt["unit_id"].astype(str)
    units = allt.drop_duplicates(["unit_type", "unit_id"])[["unit_type", "unit_id", "name_zh", "name_en",
                                                            "target_yi_per_km2", "output_target_yi"]]
    units = units.reset_index(drop=True).reset_index(names="_order")
    grid = units.merge(pd.DataFrame({"year": sorted(per_year)}), how="cross")
    vals = allt[["unit_type", "unit_id", "year", "parcels", "land_km2", "output_yi", "density_yi_per_km2"]]
    out = grid.merge(vals, on=["unit_type", "unit_id", "year"], how="left")
    out["parcels"] = out["parcels"].fillna(0).astype("int64")
    out["land_km2"] = out["land_km2"].fillna(0.0)
    missing = out["output_yi"].isna() & (out["parcels"] == 0)
    out.loc[missing, "output_yi"] = 0.0
    return out.sort_values(["_order", "year"], kind="mergesort").drop(columns="_order").reset_index(drop=True)


def unit_table(per_year: dict[int, pd.DataFrame], baseline: int, targets) -> pd.DataFrame:
    """The unit table from each year's figures (:func:`year_figures`) and the plan's path.

    Parameters
    ----------
    per_year : dict of year → DataFrame
    baseline : int
        The baseline year ``y₀`` (a key of ``per_year``).
    targets : gis.planning.targets.Targets

    Returns
    -------
    pandas.DataFrame
        :data:`UNIT_COLUMNS`, one row per unit × year, units in order, years ascending.
    """
    t = _complete(per_year)
    g = targets.number("density.growth_rate")
    d = t["density_yi_per_km2"].to_numpy(dtype="float64")
    key = t["unit_type"] + "\x1f" + t["unit_id"]
    base = pd.Series(d[(t["year"] == baseline).to_numpy()],
                     index=key[(t["year"] == baseline).to_numpy()].to_numpy())
    d0 = key.map(base).to_numpy(dtype="float64")
    T = t["target_yi_per_km2"].to_numpy(dtype="float64")
    dy = (t["year"] - baseline).to_numpy(dtype="float64")
    path = np.where(np.isfinite(T) & np.isfinite(d0), np.minimum(d0 * (1.0 + g) ** dy, T), np.nan)
    ok = np.isfinite(path) & np.isfinite(d)
    with np.errstate(divide="ignore", invalid="ignore"):
        cagr = np.where((dy != 0) & (d0 > 0) & np.isfinite(d) & (d >= 0), (d / d0) ** (1.0 / dy) - 1.0, np.nan)
    t["target_path_yi_per_km2"] = path
    t["target_2025_yi_per_km2"] = T
    t["on_track"] = pd.array(np.where(ok, d >= path, None), dtype="boolean")
    t["cagr"] = cagr
    t["output_target_2025_yi"] = t["output_target_yi"].to_numpy(dtype="float64")
    return t[UNIT_COLUMNS]


def check_by(by) -> None:
    """Refuse an unknown unit type early (a path or a GeoDataFrame is a user layer)."""
    from pathlib import Path

    from gis.errors import InputError

    if isinstance(by, str) and by not in (*UNIT_TYPES, "category") and not Path(by).exists():
        raise InputError(f"统计单元“{by}”既不是 park/zone/town/district/category，也不是已有文件。",
                         f"Unit '{by}' is neither park/zone/town/district/category nor an existing file.",
                         "请给出单元类型或面图层文件路径。", "Give a unit type or the path of a polygon file.")
