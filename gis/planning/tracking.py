"""Plan monitoring across years: ``gis.track`` and ``parkgis track`` (DESIGN §4c).

The plan asks for yearly tracking, a mid-term and a final evaluation against its
targets. :func:`track` takes yearly snapshots of the parcels and gives three tables:

* the **unit table** — each unit's land, output and density per year against
  the plan's path (:mod:`gis.planning.trajectories`);
* the **reduction ledger** (减量化台账) of 198 industrial land per town and in
  total (:mod:`gis.planning.ledger`), with the list of new 198 land;
* the **changes** — one row per parcel and pair of consecutive years
  (:mod:`gis.planning.changes`).

Snapshots are read, dated and matched by :mod:`gis.planning.snapshots`; the
workbook and the GeoPackage are written by :mod:`gis.planning.tracking_output`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from gis.errors import InputError
from gis.planning.changes import CHANGE_COLUMNS, changes_between
from gis.planning.ledger import (
    added_list,
    fill_towns,
    land_198,
    ledger_diffs,
    reduction_ledger,
)
from gis.planning.snapshots import Snapshot, load_snapshots
from gis.planning.targets import load_targets
from gis.planning.trajectories import (
    check_by,
    industrial_parcels,
    unit_frame,
    unit_table,
    year_figures,
)

__all__ = ["TrackResult", "track", "track_snapshots"]


@dataclass
class TrackResult:
    """What :func:`track` found. Unpacks as ``units, ledger, changes``.

    Attributes
    ----------
    units : pandas.DataFrame
        One row per unit × year (:data:`gis.planning.trajectories.UNIT_COLUMNS`).
    ledger : pandas.DataFrame
        The reduction ledger per town and in total, per year (:data:`gis.planning.ledger.LEDGER_COLUMNS`).
    changes : geopandas.GeoDataFrame
        One row per parcel and pair of consecutive years (:data:`gis.planning.changes.CHANGE_COLUMNS`),
        with each parcel's later geometry (the earlier one when removed).
    added : pandas.DataFrame
        New 198 industrial land, parcel by parcel, per year (:data:`gis.planning.ledger.ADDED_COLUMNS`).
    previous : geopandas.GeoSeries
        The earlier geometry of each change row (aligned with ``changes``), for drawing reshaped parcels.
    snapshots : pandas.DataFrame
        One row per snapshot: year, source, how the year was found, parcels, CRS.
    years : list of int
    baseline_year : int
    notes : list of str
        Bilingual notes (years found, reprojection, duplicates, approximations, targets).
    """

    units: pd.DataFrame
    ledger: pd.DataFrame
    changes: gpd.GeoDataFrame
    added: pd.DataFrame
    previous: gpd.GeoSeries
    snapshots: pd.DataFrame
    years: list[int]
    baseline_year: int
    notes: list[str] = field(default_factory=list)
    targets_source: str = "defaults"

    def __iter__(self) -> Iterator[pd.DataFrame]:
        return iter((self.units, self.ledger, self.changes))


def _town_names(layers) -> dict[str, str]:
    gdf = layers.towns if layers.towns is not None else layers.construction_areas
    if gdf is None or "town_zh" not in gdf:
        return {}
    en = gdf["town_en"] if "town_en" in gdf else gdf["town_zh"]
    pairs = zip(gdf["town_zh"], en, strict=True)
    return {str(z): (str(e) if pd.notna(e) else str(z)) for z, e in pairs if pd.notna(z)}


def _baseline(years: list[int], baseline_year) -> int:
    if baseline_year is None:
        return years[0]
    if int(baseline_year) not in years:
        raise InputError(f"基准年 {baseline_year} 没有快照（现有：{', '.join(map(str, years))}）。",
                         f"There is no snapshot of the baseline year {baseline_year} "
                         f"(snapshots: {', '.join(map(str, years))}).",
                         "基准年须为快照年份之一（默认最早一年）。", "The baseline is one of the snapshot years "
                         "(by default the earliest).")
    return int(baseline_year)


def _changes(snaps: list[Snapshot], layers) -> tuple[gpd.GeoDataFrame, gpd.GeoSeries]:
    parks = layers.parks
    names = dict(zip(parks["park_id"].astype(str), parks.get("name_zh", parks["park_id"]), strict=True))
    tables, geoms, prev = [], [], []
    for a, b in zip(snaps, snaps[1:], strict=False):
        t, g, p = changes_between(a, b, names)
        tables.append(t)
        geoms.append(g)
        prev.append(p)
    crs = snaps[0].parcels.crs
    table = pd.concat(tables, ignore_index=True)[CHANGE_COLUMNS]
    geometry = np.concatenate(geoms) if geoms else np.empty(0, dtype=object)
    previous = np.concatenate(prev) if prev else np.empty(0, dtype=object)
    return (gpd.GeoDataFrame(table, geometry=gpd.GeoSeries(geometry, crs=crs), crs=crs),
            gpd.GeoSeries(previous, crs=crs))


def _snapshot_table(snaps: list[Snapshot]) -> pd.DataFrame:
    how = {"--year": "--year 指定 given", "year column": "year 字段 year column", "file name": "文件名 file name"}
    return pd.DataFrame({
        "year": [s.year for s in snaps], "source": [s.source for s in snaps],
        "year_source": [how[s.year_source] for s in snaps],
        "parcels": [len(s.parcels) for s in snaps],
        "industrial_parcels": [int(s.parcels["industrial"].sum()) for s in snaps],
        "duplicate_ids": [int(s.parcels["duplicate"].sum()) for s in snaps],
        "crs": [s.parcels.crs.to_string() if s.parcels.crs is not None else "—" for s in snaps],
        "synthetic": [bool("synthetic" in s.parcels and s.parcels["synthetic"].fillna(False).astype(bool).any())
                      for s in snaps],
    })


def _units(snaps, layers, bys, t, base, unit_id_field) -> tuple[pd.DataFrame, list[str]]:
    """The unit table of every ``by``, and the notes (a note of every year once, others with their years)."""
    seen: dict[str, list[int]] = {}
    parcels = {}
    for s in snaps:
        parcels[s.year], more = industrial_parcels(s, t)
        for n in more:
            seen.setdefault(n, []).append(s.year)
    parts = []
    for b in bys:
        frame, more = unit_frame(snaps[0].parcels, layers, b, t, unit_id_field=unit_id_field)
        seen.update({n: [s.year for s in snaps] for n in more})
        per_year = {}
        for s in snaps:
            per_year[s.year], more = year_figures(s, parcels[s.year], layers, b, t, frame,
                                                  unit_id_field=unit_id_field)
            for n in more:
                seen.setdefault(n, []).append(s.year)
        parts.append(unit_table(per_year, base, t))
    years = len(snaps)
    notes = [n if len(set(ys)) == years else f"{', '.join(map(str, sorted(set(ys))))}: {n}" for n, ys in seen.items()]
    return pd.concat(parts, ignore_index=True), notes


def track_snapshots(snaps: list[Snapshot], layers, by=("park",), targets=None, *, baseline_year: int | None = None,
                    unit_id_field: str | None = None, notes: list[str] | None = None) -> TrackResult:
    """:func:`track` on snapshots already loaded (:func:`gis.planning.snapshots.load_snapshots`)."""
    t = load_targets(targets)
    bys = [by] if isinstance(by, (str, gpd.GeoDataFrame)) or not hasattr(by, "__iter__") else list(by)
    for b in bys:
        check_by(b)
    years = [s.year for s in snaps]
    base = _baseline(years, baseline_year)
    notes = list(notes or [])
    units, more = _units(snaps, layers, bys, t, base, unit_id_field)
    notes += more
    rows = {s.year: land_198(s) for s in snaps}
    if fill_towns(rows, layers, snaps[0].parcels.crs):
        notes.append("198 区域地块位于乡镇集中建设区之外，无所属乡镇：台账按最近的集中建设区归入乡镇（近似） / "
                     "198 parcels lie outside every construction area and have no town: the ledger counts them "
                     "to the town of the nearest construction area (an approximation)")
    base_keys = set(next(s for s in snaps if s.year == base).parcels["match_id"])
    changes, previous = _changes(snaps, layers)
    g = t.number("density.growth_rate")
    notes.append(f"目标路径：基准年 {base} 的地均产出按规划年增长 {100 * g:g}% 递增，封顶于 "
                 f"{t.number('density.target_yi_per_km2'):g} 亿元/km² / target path: the {base} density grown at the "
                 f"plan's {100 * g:g} %/year, capped at {t.number('density.target_yi_per_km2'):g} 亿元/km²")
    diffs = ledger_diffs(rows, base)
    return TrackResult(
        units=units, ledger=reduction_ledger(rows, diffs, _town_names(layers)), changes=changes,
        added=added_list(rows, diffs, base, base_keys), previous=previous, snapshots=_snapshot_table(snaps),
        years=years, baseline_year=base, notes=list(dict.fromkeys(notes)), targets_source=t.source)


def track(snapshots, layers=None, by=("park",), targets=None, *, years=None, baseline_year: int | None = None,
          unit_id_field: str | None = None, layer: str | None = None, rules=None, id_field: str = "parcel_id",
          datum: str = "wgs84", assume_crs: str | None = None, encoding: str | None = None,
          engine: str = "pyogrio", progress: bool = False) -> TrackResult:
    """Follow the parcels across yearly snapshots against the plan's targets (DESIGN §4c).

    Parameters
    ----------
    snapshots : sequence of path or GeoDataFrame, or mapping year → path or GeoDataFrame
        Raw or classified parcel files of different years (``output_wan`` in 万元 for density).
    layers : LayerSet or layer source, optional
        Default: the embedded Chongming layers.
    by : str, GeoDataFrame, path, or a sequence of these
        Units of the unit table: ``"park"``, ``"zone"``, ``"town"``, ``"district"``,
        ``"category"`` (1+3+X) or a polygon layer.
    targets : path or Targets, optional
        Targets TOML merged over the defaults (rate, 2025 density, output targets).
    years : sequence of int, optional
        One year per snapshot (overrides a ``year`` column and the file name).
    baseline_year : int, optional
        Baseline of the path, the growth rate and the ledger (default: the earliest year).
    unit_id_field : str, optional
        Id field of a user layer in ``by``.
    layer, rules, id_field, datum, assume_crs, encoding, engine, progress
        How to read and classify the snapshots (as for :func:`gis.classification.parcels.load_classified`).

    Returns
    -------
    TrackResult
        ``units`` (亿元, km², 亿元/km²), ``ledger`` (ha), ``changes`` (万元, m²), and more;
        ``units, ledger, changes = track(...)`` unpacks the three tables.

    Raises
    ------
    InputError
        A snapshot without a year, two snapshots of the same year, a single year, an unknown unit.
    FieldError
        Unusable values in a snapshot (naming the year and the parcels).
    """
    snaps, ls, _, notes = load_snapshots(snapshots, years, layers, layer=layer, rules=rules, id_field=id_field,
                                         datum=datum, assume_crs=assume_crs, encoding=encoding, engine=engine,
                                         progress=progress)
    return track_snapshots(snaps, ls, by, targets, baseline_year=baseline_year, unit_id_field=unit_id_field,
                           notes=notes)
