"""The result of a siting check: per-rule findings and the verdict (DESIGN §6)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely

__all__ = ["CheckResult", "SiteResult", "LEVEL_NAMES", "VERDICT_NAMES", "VERDICT_RANK"]

#: Verdict → (zh, en), in rank order: the verdict of rank r is ``list(VERDICT_NAMES)[r]``.
VERDICT_NAMES = {"allowed": ("可准入", "allowed"), "review": ("需审查", "review"),
                 "prohibited": ("禁止", "prohibited")}
#: Every level a check may have → (zh, en).
LEVEL_NAMES = {"ok": ("符合", "ok"), "review": ("需审查", "review"), "prohibited": ("禁止", "prohibited"),
               "not_evaluated": ("未评估", "not evaluated")}
#: Rank of the levels that decide the verdict (DESIGN §6: ``ok`` gives ``allowed``; ``not_evaluated`` never decides).
VERDICT_RANK = {"ok": 0, "review": 1, "prohibited": 2}


@dataclass
class CheckResult:
    """One rule's finding for a site."""

    rule: str
    level: str
    message_zh: str
    message_en: str
    basis: str
    basis_en: str = ""
    title_zh: str = ""
    title_en: str = ""

    def to_dict(self) -> dict:
        """The DESIGN §6 keys (rule, level, message_zh, message_en, basis), then the rest."""
        return {"rule": self.rule, "level": self.level, "message_zh": self.message_zh,
                "message_en": self.message_en, "basis": self.basis, "basis_en": self.basis_en,
                "title_zh": self.title_zh, "title_en": self.title_en}


@dataclass
class SiteResult:
    """The siting check of one site (DESIGN §6).

    Attributes
    ----------
    verdict : {"allowed", "review", "prohibited"}
        Worst level among the checks (``not_evaluated`` does not count).
    zone : {"104", "195", "198"}
        Zone holding the largest share of the site.
    park_id, town : str or None
    riverbank_m : float
        Shortest distance from the site to the riverbank, metres.
    yangtze_1km, in_reserve : bool
    checks : list of CheckResult
        In rule order; rules that do not concern the site are not listed.
    nearest_park : dict or None
        ``park_id``, ``name_zh``, ``name_en``, ``distance_m`` of the nearest
        park whose leading industries include the project's industry, when the
        site is not already in one.
    land_m2 : float or None
        Land area used for the density check; ``land_source`` says whether it
        was ``"given"`` or taken from the ``"site"`` polygon.
    geometry : shapely.Geometry
        The site as checked, WGS84 lon/lat (datum converted, circle applied).
    """

    verdict: str
    zone: str | None
    park_id: str | None
    town: str | None
    riverbank_m: float
    yangtze_1km: bool
    in_reserve: bool
    checks: list[CheckResult]
    name: str | None = None
    industry: str | None = None
    industry_zh: str | None = None
    industry_en: str | None = None
    facility: str | None = None
    land_m2: float | None = None
    land_source: str | None = None
    figures: dict = field(default_factory=dict)
    area_m2: float = 0.0
    shares: dict = field(default_factory=dict)
    yangtze_1km_share: float = 0.0
    park_name_zh: str | None = None
    park_name_en: str | None = None
    nearest_park: dict | None = None
    flags: list[str] = field(default_factory=list)
    datum: str = "wgs84"
    geometry: Any = None
    layers_source: str = ""
    illustrative: bool = False
    buffer_m: float = 1000.0

    @property
    def verdict_zh(self) -> str:
        return VERDICT_NAMES[self.verdict][0]

    def to_dict(self) -> dict:
        """The DESIGN §6 JSON object (its keys first, in order; further keys after)."""
        return {
            "verdict": self.verdict,
            "zone": self.zone,
            "park_id": self.park_id,
            "town": self.town,
            "riverbank_m": _round(self.riverbank_m, 1),
            "yangtze_1km": bool(self.yangtze_1km),
            "in_reserve": bool(self.in_reserve),
            "checks": [c.to_dict() for c in self.checks],
            "verdict_zh": self.verdict_zh,
            "name": self.name,
            "industry": self.industry,
            "industry_zh": self.industry_zh,
            "industry_en": self.industry_en,
            "facility": self.facility,
            "land_m2": _round(self.land_m2, 1),
            "land_source": self.land_source,
            "figures": {k: _round(v, 4) for k, v in self.figures.items()},
            "area_m2": _round(self.area_m2, 1),
            "shares": {k: _round(v, 4) for k, v in self.shares.items()},
            "yangtze_1km_share": _round(self.yangtze_1km_share, 4),
            "park_name_zh": self.park_name_zh,
            "park_name_en": self.park_name_en,
            "nearest_park": None if self.nearest_park is None else
            {**self.nearest_park, "distance_m": _round(self.nearest_park["distance_m"], 1)},
            "flags": list(self.flags),
            "datum": self.datum,
            "site_wkt": shapely.to_wkt(self.geometry, rounding_precision=7) if self.geometry is not None else None,
            "layers": {"source": self.layers_source, "illustrative": bool(self.illustrative)},
        }

    def to_json(self, indent: int | None = 2) -> str:
        """:meth:`to_dict` as JSON text (UTF-8, Chinese kept readable)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def to_text(self) -> str:
        """The bilingual human-readable summary printed by ``parkgis site-check``."""
        from gis.siting.present import format_text

        return format_text(self)


def _round(v, nd: int):
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return v
    return None if np.isnan(f) else round(f, nd)
