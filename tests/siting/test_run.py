"""One vectorised pass (gis.siting.run): rows that cannot be checked carry their error, the others a verdict."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely
from toylayers import LAT0, LON0, write_toy_gpkg

from gis.geodesy.crs import WGS84
from gis.layers.layerset import load_layers
from gis.siting.evaluate import siting_rules
from gis.siting.projects import project_attributes
from gis.siting.row_errors import RowErrors
from gis.siting.run import default_layers, run_checks


@pytest.fixture(scope="module")
def toy(tmp_path_factory):
    return load_layers(write_toy_gpkg(tmp_path_factory.mktemp("toy") / "toy.gpkg"))


def test_checked_rows_and_errors(toy):
    geoms = np.array([shapely.Point(LON0 + 0.04, LAT0 + 0.04),      # park A
                      shapely.Point(121.45, 31.50),                 # in the river, south of the district
                      shapely.Point(LON0 + 0.08, LAT0 + 0.08)],     # 198, with an unknown facility
                     dtype=object)
    errs = RowErrors(3)
    attrs = project_attributes(pd.DataFrame({"industry": ["3670", "3670", "6510"],
                                             "facility": ["tailings_pond", "尾矿库", "tailing"],
                                             "radius_m": [100.0, np.nan, np.nan]}), errs)
    run = run_checks(geoms, WGS84, "wgs84", attrs, toy, siting_rules(None), errs)
    assert list(run.rows) == [0] and list(run.verdict) == ["allowed"]
    assert run.table.loc[0, "flags"] == "circle"
    assert "outside the district" in errs.en[1] and np.isfinite(run.outside_m[1]) and np.isnan(run.outside_m[0])
    assert "facility type 'tailing' is unknown" in errs.en[2]


def test_given_layers_are_used_as_they_are(toy):
    assert default_layers(toy) is toy
