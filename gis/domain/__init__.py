"""The planning domain's vocabulary, before any geometry (DESIGN §1).

* :mod:`~gis.domain.industry` — GB/T 4754-2017 industry codes: parsing, validation, look-ups;
* :mod:`~gis.domain.industry_divisions` — the standard's sections and divisions (data);
* :mod:`~gis.domain.industry_categories` — the plan's 1+3+X categories and their 2025 targets.
"""
