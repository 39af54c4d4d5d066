"""Parcels in a 195 area (town construction area outside the parks) are to be transformed (转型)."""

from zoning_rules._zone import zone_rule

RULE = zone_rule(
    rule_id="zone_195_transform",
    zone="195",
    action="transform",
    action_zh="转型",
    where_zh="195区域（乡镇集中建设区内、104区块外）",
    where_en="a 195 area (inside a town construction area, outside the 104 blocks)",
    direction_zh="向生产性服务业和城镇功能转型",
    direction_en="toward producer services and town functions",
    title_zh="195区域地块：转型",
    title_en="Parcels in 195 areas: transform",
)
