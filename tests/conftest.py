"""Shared test set-up.

``require(ok, what)`` is how a test says it needs a component (PostGIS,
Chromium, a notebook kernel…): without it the test is skipped on a developer's
machine, but with ``PARKGIS_REQUIRE_ALL=1`` (set by ``.ci/run``) it fails, so
CI never passes by skipping.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REQUIRE_ALL = os.environ.get("PARKGIS_REQUIRE_ALL", "") not in ("", "0", "false", "no")
REPO = Path(__file__).resolve().parents[1]

# Property-based tests (hypothesis): modest and reproducible by default ("ci": the same examples on every run);
# HYPOTHESIS_PROFILE=explore draws new examples each run, more of them.
try:
    from hypothesis import HealthCheck, settings

    settings.register_profile("ci", max_examples=40, deadline=None, derandomize=True, print_blob=True,
                              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    settings.register_profile("explore", max_examples=300, deadline=None,
                              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
except ImportError:  # hypothesis is in the test extra; without it the property tests are skipped
    pass

# Fixture modules of the parts (kept apart so each part owns its file).
pytest_plugins = sorted(p.stem for p in Path(__file__).parent.glob("fixtures_*.py"))


def require(ok: bool, what: str) -> None:
    """Skip (or, under PARKGIS_REQUIRE_ALL=1, fail) when ``ok`` is false."""
    if ok:
        return
    if REQUIRE_ALL:
        pytest.fail(f"required component missing (PARKGIS_REQUIRE_ALL=1): {what}", pytrace=False)
    pytest.skip(f"component missing: {what}")


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO
