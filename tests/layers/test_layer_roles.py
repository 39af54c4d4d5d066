"""Tests of gis/layers/roles.py: the roles, their geometry kinds, fields and bilingual names."""

from __future__ import annotations

from gis.layers.roles import (
    DERIVED_ROLES,
    GEOMETRY_TYPES,
    LAYER_ROLES,
    ROLE_NAMES,
    ROLES,
)


def test_required_roles_are_those_of_design_section_3():
    assert [r for r, (_, required, _) in ROLES.items() if required] == ["district", "parks", "construction_areas"]


def test_every_role_of_a_layer_set_has_a_chinese_and_an_english_name():
    assert set(ROLE_NAMES) == set(LAYER_ROLES)
    assert all(zh and en and zh != en for zh, en in ROLE_NAMES.values())


def test_layer_roles_are_the_input_roles_and_the_derived_ones():
    assert set(LAYER_ROLES) == (set(ROLES) | set(DERIVED_ROLES))
    assert {kind for kind, _, _ in ROLES.values()} == set(GEOMETRY_TYPES)


def test_land_and_neighbours_are_optional_polygon_roles():
    from gis.layers.roles import UNCLIPPED_ROLES

    assert ROLES["land"][:2] == ("polygon", False)
    assert ROLES["neighbours"] == ("polygon", False, ("name_zh", "name_en"))
    assert "water" in DERIVED_ROLES and set(UNCLIPPED_ROLES) == {"riverbank", "neighbours"}
    assert "town_zh" in ROLES["parks"][2]  # a parcel in a park takes the park's town
