"""Parcels in a 104 industrial block (a park) are to be upgraded (升级)."""

from zoning_rules._zone import zone_rule

RULE = zone_rule(
    rule_id="zone_104_upgrade",
    zone="104",
    action="upgrade",
    action_zh="升级",
    where_zh="104产业区块",
    where_en="a 104 industrial block",
    direction_zh="提升产业能级和亩均效益",
    direction_en="raise the industries' level and output per unit of land",
    title_zh="104区块地块：升级",
    title_en="Parcels in 104 blocks: upgrade",
)
