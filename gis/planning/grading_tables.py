"""The grading tables planners hand on: graded parcels, the summary per park and zone, the upgrade
candidates, and the summary printed on the console.

``parkgis grade`` is this module over the classified parcels
(:func:`gis.classification.parcels.load_classified`): :func:`grading_tables`
grades (:func:`gis.planning.grading.grade`), :func:`write_grading_tables` writes
and :func:`grading_lines` says what was done.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from gis.classification.parcels import ClassifiedParcels
from gis.io.tables import write_table, write_tables
from gis.io.vector import write_vector
from gis.planning.grading import GRADE_HEADERS, grade, grade_summary
from gis.planning.output_paths import check_output
from gis.planning.targets import load_targets

__all__ = ["GradingTables", "grading_lines", "grading_tables", "write_grading_tables"]

_TITLE = "亩均效益评价 Land-efficiency grading"


@dataclass
class GradingTables:
    """The grading of one run.

    Attributes
    ----------
    graded : geopandas.GeoDataFrame
        :func:`gis.planning.grading.grade` of the parcels, with their geometry.
    summary : pandas.DataFrame
        :func:`gis.planning.grading.grade_summary` per park, zone and the district.
    notes : list of str
        Bilingual notes (sample data, layers, benchmarks used…).
    """

    graded: gpd.GeoDataFrame
    summary: pd.DataFrame
    notes: list[str]

    @property
    def table(self) -> pd.DataFrame:
        """The graded parcels without their geometry."""
        return self.graded.drop(columns="geometry", errors="ignore")

    @property
    def candidates(self) -> pd.DataFrame:
        """The upgrade candidates (low grades in parks), without geometry."""
        table = self.table
        return table[table["upgrade_candidate"]]


def grading_tables(parcels: ClassifiedParcels, targets=None) -> GradingTables:
    """Grade the classified parcels and sum the grades up per park, zone and the district.

    Parameters
    ----------
    parcels : ClassifiedParcels
    targets : str, Path or gis.planning.targets.Targets, optional
        Its ``[grading]`` table gives weights, benchmarks and class limits.

    Returns
    -------
    GradingTables
        The units warnings of :mod:`gis.planning.values` are not raised again:
        their messages are in the notes.
    """
    t = load_targets(targets)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the same messages are in the notes
        graded = grade(parcels.parcels, t, layers=parcels.layers)
    summary = grade_summary(graded, parcels.layers, targets=t)
    return GradingTables(graded=graded, summary=summary, notes=parcels.notes + graded.attrs.get("notes", []))


def write_grading_tables(tables: GradingTables, out: Path, *, summary_out=None, parcels_out=None, inputs=(),
                         engine: str = "pyogrio") -> None:
    """Write the grades: ``.xlsx`` (grades, summary, upgrade candidates, notes) or ``.csv`` (the grades).

    ``summary_out`` writes the summary to a table of its own; ``parcels_out`` the
    graded parcels as a vector file (for maps). No output may overwrite ``inputs``.
    """
    table = tables.table
    if out.suffix.lower() == ".xlsx":
        write_tables({"grades 地块等级": (table, GRADE_HEADERS), "summary 汇总": (tables.summary, GRADE_HEADERS),
                      "upgrade 提质增效候选": (tables.candidates, GRADE_HEADERS)}, out,
                     notes=list(dict.fromkeys(tables.notes)), titles={"grades 地块等级": _TITLE})
    else:
        write_table(table, out)
    if summary_out:
        write_table(tables.summary, check_output(summary_out, inputs), sheet="summary", headers=GRADE_HEADERS,
                    notes=tables.notes)
    if parcels_out:
        write_vector(tables.graded.set_geometry("geometry"), parcels_out, inputs=inputs, engine=engine)


def grading_lines(tables: GradingTables, out: Path, summary_out=None) -> list[str]:
    """The console summary: parcels per grade, those not graded, the upgrade candidates."""
    table = tables.table
    counts = table["grade"].value_counts().reindex(list("ABCD"), fill_value=0)
    lines = [f"亩均评价 grading → {out}: " + ", ".join(f"{g} {n}" for g, n in counts.items())
             + f"; 未参评 not graded {int(table['grade'].isna().sum())}",
             f"  园区内提质增效候选 upgrade candidates in parks: {len(tables.candidates)}"]
    if summary_out:
        lines.append(f"汇总 summary → {Path(summary_out)}")
    return lines
