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
