"""Summaries of a classification: counts and areas by zone × action × park / town.

:func:`classification_summary` summarises a whole classification at once; an
engine that classifies in chunks counts each chunk with :func:`summary_counts`
and joins the counts with :func:`combine_summaries`, which gives the same table.
"""

from __future__ import annotations

import pandas as pd

from gis.units import M2_PER_MU

__all__ = ["classification_summary", "summary_counts", "combine_summaries", "SUMMARY_BY", "SUMMARY_HEADERS"]

#: One 亩 in square metres.

#: The default grouping columns.
SUMMARY_BY = ("zone", "action", "park_id", "town")

SUMMARY_HEADERS = {
    "zone": ("区域类型", "Zone", "104/195/198"),
    "action": ("处置方向", "Action", ""),
    "park_id": ("园区编号", "Park ID", ""),
    "town": ("乡镇", "Town", ""),
    "parcels": ("地块数", "Parcels", "个 count"),
    "area_km2": ("用地面积", "Land area", "km²"),
    "area_mu": ("用地面积", "Land area", "亩 mu"),
    "share_of_area": ("面积占比", "Share of area", "0–1"),
}


def classification_summary(classified: pd.DataFrame, by: tuple[str, ...] = SUMMARY_BY) -> pd.DataFrame:
    """Parcels and land (km², 亩) per combination of ``by`` (missing values shown as "—").

    Parameters
    ----------
    classified : pandas.DataFrame
        Output of :func:`gis.classify`.
    by : tuple of str
        Grouping columns.

    Returns
    -------
    pandas.DataFrame
        One row per group with ``parcels``, ``area_km2``, ``area_mu`` and
        ``share_of_area``, plus a total row.
    """
    df = _grouping(classified, by)
    g = df.groupby(list(by), sort=True, dropna=False)
    out = g.agg(parcels=("area_m2", "size"), area_m2=("area_m2", "sum")).reset_index()
    return _with_total(out, by, parcels=len(df), total_m2=float(df["area_m2"].sum()))


def summary_counts(classified: pd.DataFrame, by: tuple[str, ...] = SUMMARY_BY) -> pd.DataFrame:
    """Parcels and land (m²) per group of one chunk of a classification, for :func:`combine_summaries`."""
    df = _grouping(classified, by)
    return df.groupby(list(by), sort=False, dropna=False).agg(
        parcels=("area_m2", "size"), area_m2=("area_m2", "sum")).reset_index()


def combine_summaries(parts: list[pd.DataFrame], by: tuple[str, ...] = SUMMARY_BY) -> pd.DataFrame:
    """The :func:`classification_summary` of a whole classification from its chunks' :func:`summary_counts`."""
    cat = pd.concat(parts, ignore_index=True)
    out = cat.groupby(list(by), sort=True, dropna=False)[["parcels", "area_m2"]].sum().reset_index()
    return _with_total(out, by, parcels=int(cat["parcels"].sum()), total_m2=float(cat["area_m2"].sum()))


def _grouping(classified: pd.DataFrame, by: tuple[str, ...]) -> pd.DataFrame:
    """The grouping columns (missing as "—") and each parcel's ``area_m2`` (missing as 0)."""
    df = pd.DataFrame({c: classified[c].astype(object).where(classified[c].notna(), "—") for c in by})
    df["area_m2"] = classified["area_m2"].fillna(0.0).to_numpy()
    return df


def _with_total(out: pd.DataFrame, by: tuple[str, ...], parcels: int, total_m2: float) -> pd.DataFrame:
    """The groups, a total row, and the areas in km² and 亩 with each group's share of the land."""
    total = {c: ("合计 total" if i == 0 else "") for i, c in enumerate(by)}
    total.update(parcels=parcels, area_m2=total_m2)
    out = pd.concat([out, pd.DataFrame([total])], ignore_index=True)
    out["area_km2"] = out["area_m2"] / 1e6
    out["area_mu"] = out["area_m2"] / M2_PER_MU
    out["share_of_area"] = out["area_m2"] / total_m2 if total_m2 > 0 else float("nan")
    return out.drop(columns=["area_m2"])
