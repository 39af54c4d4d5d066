"""Yearly snapshots of the parcels, for plan monitoring (DESIGN §4c).

A **snapshot** is one year's parcel file, raw or classified. Its year comes, in
this order, from an explicit year (``parkgis track --year``), from a ``year``
column, or from a 4-digit year in the file name (``parcels_2023.gpkg``). A file
whose ``year`` column holds several years gives one snapshot per year. A
snapshot without a year, two snapshots of the same year and a year that is not
a plausible calendar year are errors; everything else is kept.

Every snapshot is classified with the same layers (or used as it is when it
already carries the DESIGN §4 columns), and its parcels are brought to one CRS
(the baseline snapshot's), with a note when one had to be reprojected.

Each parcel gets a matching key: its ``parcel_id`` and, for ids that several
parcels of the same year share, the occurrence number (first, second … in file
order), so duplicates are matched first to first and never dropped. Parcels
without an id get a key of their own that matches nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from gis.errors import InputError
from gis.planning.values import ids_text, parse_bool

__all__ = ["Snapshot", "load_snapshots", "snapshot_files", "year_from_name", "MIN_YEAR", "MAX_YEAR"]

MIN_YEAR, MAX_YEAR = 1949, 2100
_YEAR_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


@dataclass
class Snapshot:
    """One year's classified parcels.

    Attributes
    ----------
    year : int
    parcels : geopandas.GeoDataFrame
        DESIGN §4 columns and the input attributes, plus ``industrial`` (bool:
        the parcel counts as industrial land this year), ``match_id`` (the
        matching key), ``duplicate`` (its id is shared within the year) and
        ``no_id``; in the snapshots' common CRS.
    source : str
        The file (or "GeoDataFrame #i") it came from.
    year_source : str
        How the year was found: ``"--year"``, ``"year column"`` or ``"file name"``.
    """

    year: int
    parcels: gpd.GeoDataFrame
    source: str
    year_source: str
    notes: list[str] = field(default_factory=list)


def year_from_name(path) -> int | None:
    """The 4-digit year (1900–2099) in a file's name, or None.

    Raises
    ------
    InputError
        When the name holds two different years (ambiguous).
    """
    found = sorted({int(m) for m in _YEAR_IN_NAME.findall(Path(str(path)).name)})
    if len(found) > 1:
        raise InputError(
            f"文件名“{Path(str(path)).name}”含多个年份（{', '.join(map(str, found))}），无法确定快照年份。",
            f"The file name '{Path(str(path)).name}' holds several years ({', '.join(map(str, found))}): "
            "the snapshot's year is ambiguous.",
            "请用 --year 为每个文件指定年份。", "Give each file its year with --year.")
    return found[0] if found else None


def snapshot_files(values) -> list:
    """Expand snapshot arguments: a folder gives its vector files (sorted), a pattern with ``*`` its matches.

    Anything else (a file, a URL, a GeoDataFrame) is kept as it is.

    Raises
    ------
    InputError
        A folder or a pattern that holds no vector file.
    """
    from gis.io.vector import VECTOR_SUFFIXES

    out = []
    for v in values:
        if isinstance(v, (str, Path)) and ("*" in str(v) or Path(v).is_dir()):
            p = Path(v)
            found = sorted(p.iterdir()) if p.is_dir() else sorted(p.parent.glob(p.name))
            found = [f for f in found if f.is_file() and f.suffix.lower() in VECTOR_SUFFIXES
                     and f.suffix.lower() not in (".txt", ".csv")]
            if not found:
                raise InputError(f"“{v}”中没有地块文件。", f"No parcel file in '{v}'.",
                                 "请给出各年份的地块文件，或包含它们的文件夹。",
                                 "Give the yearly parcel files, or a folder holding them.")
            out += found
        else:
            out.append(v)
    return out


def _check_year(year, source: str) -> int:
    try:
        y = int(year)
        ok = float(year) == y
    except (TypeError, ValueError):
        ok = False
    if not ok or not MIN_YEAR <= y <= MAX_YEAR:
        raise InputError(f"快照“{source}”的年份“{year}”无效。", f"Snapshot '{source}' has an invalid year {year!r}.",
                         f"年份须为 {MIN_YEAR}–{MAX_YEAR} 之间的整数。",
                         f"A year is a whole number between {MIN_YEAR} and {MAX_YEAR}.")
    return y


def _split_by_year_column(gdf: gpd.GeoDataFrame, source: str) -> list[tuple[int, gpd.GeoDataFrame]] | None:
    """(year, rows) per distinct value of a ``year`` column; None when there is no usable column."""
    if "year" not in gdf.columns:
        return None
    raw = gdf["year"]
    if raw.isna().all():
        return None
    num = pd.to_numeric(raw, errors="coerce")
    bad = num.isna().to_numpy() | (num.to_numpy(dtype="float64") % 1 != 0)
    if bad.any():
        ids = gdf["parcel_id"].astype(str).to_numpy()[bad] if "parcel_id" in gdf else np.flatnonzero(bad)
        raise InputError(
            f"快照“{source}”的 year 字段有空值或非整数（地块 {ids_text(ids)}）。",
            f"Snapshot '{source}' has empty or non-integer values in its year column (parcels {ids_text(ids)}).",
            "请补齐 year 字段，或删除该字段并用 --year 指定年份。",
            "Fill in the year column, or drop it and give the year with --year.")
    years = num.astype("int64").to_numpy()
    return [(_check_year(y, source), gdf.loc[years == y]) for y in np.unique(years)]


def _read(item, i: int, layer, encoding, engine, assume_crs, helmert) -> tuple[gpd.GeoDataFrame, str, object]:
    if isinstance(item, gpd.GeoDataFrame):
        return item, f"GeoDataFrame #{i + 1}", None
    from gis.io.vector import read_vector

    return (read_vector(item, layer=layer, encoding=encoding, engine=engine, assume_crs=assume_crs, helmert=helmert),
            str(item), item)


def _years_of(item, gdf: gpd.GeoDataFrame, source: str, given) -> list[tuple[int, gpd.GeoDataFrame, str]]:
    if given is not None:
        return [(_check_year(given, source), gdf, "--year")]
    split = _split_by_year_column(gdf, source)
    if split is not None:
        return [(y, part, "year column") for y, part in split]
    y = year_from_name(item) if not isinstance(item, gpd.GeoDataFrame) else None
    if y is None:
        raise InputError(
            f"快照“{source}”没有年份：未给出 --year，没有 year 字段，文件名中也没有四位年份。",
            f"Snapshot '{source}' has no year: no --year, no year column and no 4-digit year in its file name.",
            "用 --year 为每个文件指定年份（按文件顺序），或在文件名中写明年份（如 parcels_2023.gpkg）。",
            "Give each file its year with --year (in file order), or put the year in the file name "
            "(e.g. parcels_2023.gpkg).")
    return [(y, gdf, "file name")]


def _keys(parcels: pd.DataFrame, year: int) -> pd.DataFrame:
    """match_id, duplicate and no_id columns (see the module notes)."""
    pid = parcels["parcel_id"]
    no_id = pid.isna().to_numpy()
    s = pid.astype("string").reset_index(drop=True)
    text = s.to_numpy(dtype=object, na_value=None)
    occ = s.groupby(s, dropna=True).cumcount().reindex(s.index).to_numpy()
    dup = s.duplicated(keep=False).to_numpy() & ~no_id
    key = text.copy()
    more = dup & (occ > 0)
    key[more] = [f"{t}\x1f{int(o)}" for t, o in zip(text[more], occ[more], strict=True)]  # only the few duplicates
    key[no_id] = [f"\x00{year}:{r}" for r in np.flatnonzero(no_id)]
    return pd.DataFrame({"match_id": key, "duplicate": dup, "no_id": no_id}, index=parcels.index)


def _industrial(parcels: pd.DataFrame) -> np.ndarray:
    """The optional ``industrial`` column (yes/no); a missing column or value counts as industrial."""
    if "industrial" not in parcels.columns:
        return np.ones(len(parcels), dtype=bool)
    ids = parcels["parcel_id"].astype(str).to_numpy()
    flag = parse_bool(parcels["industrial"], "industrial", ids)
    return flag.fillna(True).to_numpy(dtype=bool)


def _duplicate_note(snap: Snapshot) -> list[str]:
    dup = snap.parcels["duplicate"].to_numpy()
    if not dup.any():
        return []
    ids = pd.unique(snap.parcels["parcel_id"].astype(str).to_numpy()[dup])
    return [f"{snap.year} 年快照中 {int(dup.sum())} 个地块编号重复（{ids_text(ids, 10)}）：均保留，按出现顺序逐一匹配，"
            f"变化清单中标记 duplicate_id / {snap.year}: {int(dup.sum())} parcels share ids ({ids_text(ids, 10)}): "
            f"all kept, matched in file order, flagged duplicate_id in the change list"]


def _common_crs(snaps: list[Snapshot]) -> list[str]:
    """Reproject every snapshot to the baseline's CRS; notes for those that were."""
    crs = snaps[0].parcels.crs
    notes = []
    for s in snaps[1:]:
        if s.parcels.crs is not None and crs is not None and not s.parcels.crs.equals(crs):
            old = s.parcels.crs.to_string()
            s.parcels = s.parcels.to_crs(crs)
            notes.append(f"{s.year} 年快照的坐标系为 {old}，与基准年（{snaps[0].year}）的 {crs.to_string()} 不同，"
                         f"已重投影后比对 / the {s.year} snapshot is in {old}, not in the baseline's "
                         f"({snaps[0].year}) {crs.to_string()}: reprojected before matching")
    return notes


def load_snapshots(snapshots, years=None, layers=None, *, layer: str | None = None, rules=None,
                   id_field: str = "parcel_id", datum: str = "wgs84", assume_crs: str | None = None,
                   encoding: str | None = None, engine: str = "pyogrio", helmert: str | None = None,
                   progress: bool = False):
    """Read, date, classify and align yearly snapshots.

    Parameters
    ----------
    snapshots : sequence of path or GeoDataFrame, or mapping year → path or GeoDataFrame
        Raw or classified parcel files, one per year (a file with a ``year``
        column holding several years gives several snapshots).
    years : sequence of int or None, optional
        One year per snapshot (``None`` entries: find it); overrides the column and the file name.
    layers : LayerSet or layer source, optional
        Default: the embedded Chongming layers.
    layer, rules, id_field, datum, assume_crs, encoding, engine, helmert
        As for :func:`gis.classification.parcels.load_classified`.
    progress : bool

    Returns
    -------
    snaps : list of Snapshot
        Sorted by year, in one CRS.
    layers : LayerSet
    inputs : list
        The files read (outputs must not overwrite them).
    notes : list of str
        Bilingual notes (years found, reprojection, duplicates, sample data…).

    Raises
    ------
    InputError
        No snapshot, a snapshot without a year, two snapshots of the same year,
        a wrong number of years.
    """
    from gis.classification.parcels import load_classified
    from gis.layers.layerset import LayerSet, load_layers

    if isinstance(snapshots, dict):
        years, snapshots = list(snapshots.keys()), list(snapshots.values())
    items = list(snapshots) if not isinstance(snapshots, (str, Path, gpd.GeoDataFrame)) else [snapshots]
    if years is None:
        items = snapshot_files(items)  # explicit years go with the files as given, one each
    if not items:
        raise InputError("没有给出快照文件。", "No snapshot was given.",
                         "请给出至少两个年份的地块文件。", "Give the parcel files of at least two years.")
    given = list(years) if years is not None else [None] * len(items)
    if len(given) != len(items):
        raise InputError(f"给出了 {len(given)} 个年份，但有 {len(items)} 个快照文件。",
                         f"{len(given)} years were given for {len(items)} snapshot files.",
                         "--year 须按文件顺序为每个文件各给一个。", "Give one --year per file, in file order.")
    ls = layers if isinstance(layers, LayerSet) else load_layers(layers)
    inputs: list = [] if layers is None or isinstance(layers, LayerSet) else [layers]
    snaps: list[Snapshot] = []
    notes: list[str] = []
    for i, item in enumerate(items):
        gdf, source, path = _read(item, i, layer, encoding, engine, assume_crs, helmert)
        if path is not None:
            inputs.append(path)
        for year, part, how in _years_of(item, gdf, source, given[i]):
            cp = load_classified(part.reset_index(drop=True), ls, rules=rules, id_field=id_field or "parcel_id",
                                 datum=datum, assume_crs=assume_crs, progress=progress,
                                 to_wgs84=datum.lower() not in ("wgs84", "cgcs2000"))
            notes += [n for n in cp.notes if "已含分类结果" not in n]
            snaps.append(Snapshot(year, cp.parcels, source, how))
    _check_unique(snaps)
    snaps.sort(key=lambda s: s.year)
    notes += _common_crs(snaps)
    for s in snaps:
        p = s.parcels.reset_index(drop=True)
        keys = _keys(p, s.year)
        # Plain object columns for the texts compared and grouped on again and again (not Arrow strings).
        p = p.assign(**{c: p[c].astype(object).where(p[c].notna(), None) for c in _TEXT if c in p.columns})
        extra = pd.DataFrame({"industrial": _industrial(p)}).join(keys)
        s.parcels = gpd.GeoDataFrame(pd.concat([p.drop(columns=[c for c in extra.columns if c in p.columns]),
                                                extra], axis=1), geometry=p.geometry.name, crs=p.crs)
        s.notes = _duplicate_note(s)
        notes += s.notes
        notes += _no_id_note(s.year, int(keys["no_id"].sum()))
    return snaps, ls, inputs, list(dict.fromkeys(notes))


def _no_id_note(year: int, n: int) -> list[str]:
    return [f"{year} 年快照中 {n} 个地块没有编号，无法跨年匹配，按移除与新增计 / {year}: {n} parcels have no id and "
            f"cannot be followed across years: they count as removed and added"] if n else []


def _check_unique(snaps: list[Snapshot]) -> None:
    seen: dict[int, Snapshot] = {}
    for s in snaps:
        if s.year in seen:
            a = seen[s.year]
            raise InputError(
                f"两个快照的年份相同（{s.year}）：“{a.source}”（{_HOW_ZH[a.year_source]}）与“{s.source}”"
                f"（{_HOW_ZH[s.year_source]}）。",
                f"Two snapshots have the same year ({s.year}): '{a.source}' (from its {a.year_source}) and "
                f"'{s.source}' (from its {s.year_source}).",
                "每个年份只能有一个快照；请检查文件或用 --year 更正年份。",
                "Each year takes one snapshot: check the files, or correct the years with --year.")
        seen[s.year] = s
    if len(snaps) < 2:
        only = snaps[0].year if snaps else "—"
        raise InputError(f"只有一个年份（{only}）的快照，无法比较。",
                         f"Only one year ({only}) was given: nothing to compare.",
                         "请给出至少两个年份的地块文件。", "Give the parcel files of at least two years.")


_TEXT = ("parcel_id", "zone", "action", "park_id", "town")
_HOW_ZH = {"--year": "--year 指定", "year column": "year 字段", "file name": "文件名"}
