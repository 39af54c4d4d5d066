"""The density tables planners hand on: density for several kinds of unit at once, the 1+3+X
categories, zonal statistics of a raster, and the summary printed on the console.

``parkgis density`` is this module over the classified parcels
(:func:`gis.classification.parcels.load_classified`): :func:`density_tables`
computes, :func:`zonal_sheets` adds zonal statistics, :func:`write_density_tables`
writes the workbook (or the CSV) and :func:`density_lines` says what was done.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from gis.classification.parcels import ClassifiedParcels
from gis.errors import OutputError
from gis.io.tables import write_table, write_tables
from gis.io.vector import read_vector
from gis.planning.density import (
    CATEGORY_HEADERS,
    DENSITY_HEADERS,
    UNIT_TYPES,
    categories,
    density,
)
from gis.planning.density_grid import zonal_stats
from gis.planning.output_paths import check_output
from gis.planning.targets import load_targets
from gis.wording import display_width, ljust_display

__all__ = ["CATEGORY_SHEET", "DENSITY_SHEET", "DensityTables", "density_lines", "density_tables", "grid_line",
           "write_density_tables", "zonal_sheets"]

DENSITY_SHEET = "density 地均产出"
CATEGORY_SHEET = "1+3+X 产业类别"
_DENSITY_TITLE = "地均产出与规划目标 Output density and the plan's targets"


@dataclass
class DensityTables:
    """The density tables of one run.

    Attributes
    ----------
    density : pandas.DataFrame
        DESIGN §4b rows of every unit type asked for, one after another.
    categories : pandas.DataFrame
        Output per 1+3+X category (:func:`gis.planning.density.categories`).
    notes : list of str
        Bilingual notes in the order they arose (sample data, layers, fields not
        evaluated, targets used…); may repeat: printing and writing drop repeats.
    zonal : dict of str → pandas.DataFrame
        Extra sheets of zonal statistics (:func:`zonal_sheets`), in order.
    """

    density: pd.DataFrame
    categories: pd.DataFrame
    notes: list[str]
    zonal: dict[str, pd.DataFrame] = field(default_factory=dict)

    def sheets(self) -> dict:
        """Sheet name → (table, headers) for :func:`gis.io.tables.write_tables`, in workbook order."""
        return {DENSITY_SHEET: (self.density, DENSITY_HEADERS), CATEGORY_SHEET: (self.categories, CATEGORY_HEADERS),
                **{name: (t, None) for name, t in self.zonal.items()}}


def density_tables(parcels: ClassifiedParcels, units: Sequence[str | Path] = ("park",), *, targets=None,
                   apportion: str = "largest", unit_id_field: str | None = None, unit_layer: str | None = None,
                   encoding: str | None = None, engine: str = "pyogrio") -> DensityTables:
    """Density per unit for each kind of unit in ``units``, and the 1+3+X categories.

    Parameters
    ----------
    parcels : ClassifiedParcels
        From :func:`gis.classification.parcels.load_classified`.
    units : sequence of str or Path
        ``park``, ``zone``, ``town``, ``district``, or a polygon file (its rows'
        ``unit_type`` is ``unit_layer`` or the file's name).
    targets : str, Path or gis.planning.targets.Targets, optional
    apportion : {"largest", "share"}
        As for :func:`gis.planning.density.density`.
    unit_id_field, unit_layer : str, optional
        Id field and layer of the polygon files in ``units``.
    encoding, engine : optional
        How to read those files (:func:`gis.io.vector.read_vector`).

    Returns
    -------
    DensityTables
        The units warnings of :mod:`gis.planning.values` are not raised again:
        their messages are in the notes.
    """
    t = load_targets(targets)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the same messages are in the notes
        parts = []
        for unit in units:
            if isinstance(unit, str) and unit in UNIT_TYPES:
                parts.append(density(parcels.parcels, parcels.layers, by=unit, targets=t, apportion=apportion))
            else:
                layer = read_vector(unit, layer=unit_layer, encoding=encoding, engine=engine)
                parts.append(density(parcels.parcels, parcels.layers, by=layer, targets=t, apportion=apportion,
                                     unit_id_field=unit_id_field, unit_type=unit_layer or Path(unit).stem))
        table = pd.concat(parts, ignore_index=True)
        table.attrs["notes"] = [n for part in parts for n in part.attrs.get("notes", [])]
        cats = categories(parcels.parcels, t, apportion=apportion)
    notes = parcels.notes + table.attrs["notes"] + cats.attrs.get("notes", []) + parcels.layers.notes
    return DensityTables(density=table, categories=cats, notes=notes)


def zonal_sheets(parcels: ClassifiedParcels, raster, out, *, band: int = 1, assume_crs: str | None = None,
                 zonal_out=None) -> dict[str, pd.DataFrame]:
    """Zonal statistics of a raster per parcel and per park (:func:`gis.planning.density_grid.zonal_stats`).

    Parameters
    ----------
    parcels : ClassifiedParcels
    raster : str or Path
        Any raster GDAL reads.
    out : Path
        The density table's path: the statistics become two of its sheets
        unless ``zonal_out`` is given.
    band : int
    assume_crs : str, optional
        The raster's CRS when it declares none.
    zonal_out : str or Path, optional
        A file of their own: ``.xlsx`` (two sheets) or ``.csv`` (the parcels).

    Returns
    -------
    dict of str → pandas.DataFrame
        The sheets to add to the density workbook; empty when written to ``zonal_out``.

    Raises
    ------
    OutputError
        No ``zonal_out`` and ``out`` is a CSV file (it has no room for more tables).
    """
    per_parcel = zonal_stats(raster, parcels.parcels, id_field="parcel_id", band=band, assume_crs=assume_crs)
    per_park = zonal_stats(raster, parcels.layers.parks, id_field="park_id", band=band, assume_crs=assume_crs)
    if zonal_out:
        if Path(zonal_out).suffix.lower() == ".xlsx":
            write_tables({"parcels 地块": (per_parcel, None), "parks 园区": (per_park, None)}, Path(zonal_out))
        else:
            write_table(per_parcel, check_output(zonal_out, [raster]))
        return {}
    if Path(out).suffix.lower() != ".xlsx":
        raise OutputError("CSV 输出时请用 --zonal-out 指定分区统计文件。",
                          "With a CSV output, name the zonal statistics file with --zonal-out.")
    return {"zonal parcels 地块分区统计": per_parcel, "zonal parks 园区分区统计": per_park}


def write_density_tables(tables: DensityTables, out: Path, *, categories_out=None, inputs=()) -> None:
    """Write the density workbook (``.xlsx``: every sheet and the notes) or the density table alone (``.csv``).

    ``categories_out`` writes the 1+3+X table to a file of its own as well
    (checked against ``inputs`` like every output).
    """
    if out.suffix.lower() == ".xlsx":
        write_tables(tables.sheets(), out, notes=list(dict.fromkeys(tables.notes)),
                     titles={DENSITY_SHEET: _DENSITY_TITLE})
    else:
        write_table(tables.density, out)
    if categories_out:
        write_table(tables.categories, check_output(categories_out, inputs), sheet="categories",
                    headers=CATEGORY_HEADERS, notes=tables.notes)


def density_lines(table: pd.DataFrame, out: Path) -> list[str]:
    """The console summary: where the table went, then one line per unit (density against its target)."""
    lines = [f"地均产出表 density table → {out}（{len(table)} 个单元 units）"]
    names = [r["name_zh"] if isinstance(r["name_zh"], str) and r["name_zh"] else str(r["unit_id"])
             for _, r in table.iterrows()]  # one line per unit: a few dozen at most
    kinds = [_UNIT_WORDS.get(str(k), str(k)) for k in table["unit_type"]]
    w_kind, w_name = max(map(display_width, kinds), default=0), max(map(display_width, names), default=0)
    for kind, name, (_, r) in zip(kinds, names, table.iterrows(), strict=True):
        d, t = r["density_yi_per_km2"], r["target_yi_per_km2"]
        dens = f"{d:8.2f}" if pd.notna(d) else "       —"
        ok = r["meets_target"]
        verdict = "—" if ok is None or ok is pd.NA else ("达标 yes" if bool(ok) else "未达标 no")
        tgt = f" / 目标 target {t:g}: {verdict}" if pd.notna(t) else ""
        lines.append(f"  {ljust_display(kind, w_kind)}  {ljust_display(name, w_name)} {dens} 亿元/km²{tgt}")
    return lines


#: Unit types as the console names them.
_UNIT_WORDS = {"park": "园区 park", "zone": "分区 zone", "town": "乡镇 town", "district": "全区 district"}


def grid_line(grid: dict, path) -> str:
    """The console line for a density grid written by :func:`gis.planning.density_grid.write_density_grid`."""
    return (f"密度栅格 grid → {path}（{grid['cell_m']:g} m, {grid['crs'].to_string()}；栅格合计 "
            f"{grid['grid_output_yi']:.3f} 亿元 / 地块合计 {grid['total_output_yi']:.3f} 亿元 "
            "grid sum vs parcels' total）")
