"""Units and their conversion factors (DESIGN §5), defined once.

Inputs carry money in 万元 (10⁴ yuan) and area in m²; reports show money in
亿元 (10⁸ yuan) and area in km², ha or 亩. Column names carry their unit
(``output_wan``, ``output_yi``, ``land_km2``, ``area_m2``…).
"""

from __future__ import annotations

__all__ = ["M2_PER_HA", "M2_PER_KM2", "M2_PER_MU", "UNIT_NAMES", "YI_PER_WAN"]

#: 1 万元 = 10⁻⁴ 亿元.
YI_PER_WAN = 1e-4
#: m² per 亩 (1 亩 = 10,000/15 m² ≈ 666.67 m²).
M2_PER_MU = 10000.0 / 15.0
#: m² per hectare.
M2_PER_HA = 1e4
#: m² per km².
M2_PER_KM2 = 1e6

#: Bilingual names of the units that appear in column names.
UNIT_NAMES = {
    "wan": ("万元", "10⁴ yuan"),
    "yi": ("亿元", "10⁸ yuan"),
    "m2": ("平方米", "m²"),
    "km2": ("平方公里", "km²"),
    "ha": ("公顷", "ha"),
    "mu": ("亩", "mu"),
    "tce": ("吨标准煤", "tce"),
    "m": ("米", "m"),
}
