"""Monitoring charts (gis.report.tracking_charts): each public chart draws its Chinese text on its own.

The notebook ``04_plan_monitoring`` calls ``parks_path_chart`` and ``ledger_chart``
directly; before, only ``tracking_charts``/``write_tracking_charts`` set up the
Chinese font, so a direct call drew every Chinese character as a missing glyph.
"""

from __future__ import annotations

import io
import warnings

import pytest
from density_fixtures import write_layers
from tracking_fixtures import hand_snapshots

from gis.layers.layerset import load_layers
from gis.planning.tracking import track
from gis.report.tracking_charts import ledger_chart, park_path_chart, parks_path_chart


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    layers = load_layers(write_layers(tmp_path_factory.mktemp("charts") / "layers.gpkg"))
    return track(hand_snapshots(), layers, by=("park", "district"))


@pytest.mark.parametrize("draw", [
    lambda r: parks_path_chart(r.units),
    lambda r: park_path_chart(r.units, "P1"),
    lambda r: ledger_chart(r.ledger),
], ids=["parks_path", "park_path", "ledger"])
def test_a_chart_called_alone_has_every_glyph(result, draw):
    from PIL import Image

    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*[Gg]lyph.*missing.*")
        png = draw(result)
    assert png is not None
    img = Image.open(io.BytesIO(png))
    assert img.format == "PNG" and img.width > 300
