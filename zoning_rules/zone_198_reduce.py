"""Parcels in a 198 area (outside the parks and the construction areas) are to be reduced (减量化)."""

from zoning_rules._zone import zone_rule

RULE = zone_rule(
    rule_id="zone_198_reduce",
    zone="198",
    action="reduce",
    action_zh="减量化",
    where_zh="198区域（104区块和乡镇集中建设区之外）",
    where_en="a 198 area (outside the 104 blocks and the town construction areas)",
    direction_zh="减量化复垦，原则上不再新增工业企业",
    direction_en="reduce the industrial land; in principle no new industrial enterprises",
    title_zh="198区域地块：减量化",
    title_en="Parcels in 198 areas: reduce",
)
