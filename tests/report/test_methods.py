"""The report's methods (gis.report.methods): every rule with its basis and parameters; layer provenance."""

from __future__ import annotations

from toylayers import write_toy_gpkg

from gis.layers.layerset import load_layers
from gis.report.methods import layer_table, rules_table


def test_rules_of_both_kinds_with_readable_parameters():
    t = rules_table({"rules": {"site_energy_intensity": {"enabled": False}}})
    assert set(t["kind"]) == {"classify", "site"}
    row = t.set_index("id").loc["site_riverbank_bans"]
    assert row["basis_zh"] and "facility=tailings_pond" in row["params"] and "distance_m=3000" in row["params"]
    assert not t.set_index("id").loc["site_energy_intensity", "enabled"]


def test_layer_table_has_licence_and_accuracy(tmp_path):
    layers = load_layers(write_toy_gpkg(tmp_path / "toy.gpkg"))
    t = layer_table(layers)
    assert {"role", "licence", "accuracy"} <= set(t.columns) and "parks" in set(t["role"])
