"""The pack tests look into the compiled-pack cache folder: each gets an empty one of its own, so
what another test left there (a corrupt or group-writable entry) cannot decide the result."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _empty_cache(private_cache: Path) -> Path:
    return private_cache
