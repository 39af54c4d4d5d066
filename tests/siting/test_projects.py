"""Projects (gis.siting.projects): attributes normalised per row, tables of projects read with row errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gis.errors import InputError
from gis.siting.projects import facility_key, project_attributes, read_projects
from gis.siting.row_errors import RowErrors


@pytest.mark.parametrize("given, key", [
    ("尾矿库", "tailings_pond"), ("Tailings Pond", "tailings_pond"), ("tailings-pond", "tailings_pond"),
    ("chemical park", "chemical_park"), (None, None),
])
def test_facility_spellings(given, key):
    assert facility_key(given) == key


def test_attributes_are_normalised_and_bad_values_are_row_errors():
    df = pd.DataFrame({"name": [" 甲 ", ""], "industry": ["C3670", "ABC"], "output_wan": ["1,200", "-5"],
                       "land_m2": ["many", "3000"]})
    errs = RowErrors(2)
    a = project_attributes(df, errs)
    assert a.loc[0, "name"] == "甲" and pd.isna(a.loc[1, "name"])        # blank text is no name
    assert a.loc[0, "industry"] == "3670" and pd.isna(a.loc[1, "industry"])
    assert a.loc[0, "output_wan"] == 1200.0 and np.isnan(a.loc[1, "output_wan"])
    assert np.isnan(a.loc[0, "land_m2"]) and a.loc[1, "land_m2"] == 3000.0
    assert np.isnan(a["energy_tce"]).all()                               # a missing column is empty
    assert "land area (m²) is not a number" in errs.en[0]
    assert "industry code 'ABC' is not valid" in errs.en[1] and "planned output (万元) is negative" in errs.en[1]


def test_csv_with_lonlat_columns(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("project_id,经度,纬度,industry\n"
                    "a,121.44,31.59,0511\n"
                    "b,31.59,121.44,3670\n"
                    "c,,,3670\n", encoding="utf-8")
    p = read_projects(path)
    assert p.geometry.iloc[0].wkt == "POINT (121.44 31.59)" and p.geometry.iloc[1:].isna().all()
    assert p.loc[0, "industry"] == "0511"                                # a code keeps its leading zero
    assert "swapped" in p.loc[1, "_read_error_en"] and "no coordinates" in p.loc[2, "_read_error_en"]


def test_csv_with_a_wkt_column(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text('project_id,wkt\na,"POINT (121.44 31.59)"\nb,"POLYGON ((1 2"\n', encoding="utf-8")
    p = read_projects(path)
    assert p.crs.to_epsg() == 4326 and "cannot be parsed" in p.loc[1, "_read_error_en"]


def test_csv_without_coordinates_and_missing_file(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("project_id,industry\na,3670\n", encoding="utf-8")
    with pytest.raises(InputError, match="no coordinates"):
        read_projects(path)
    with pytest.raises(InputError, match="File not found"):
        read_projects(tmp_path / "missing.csv")
