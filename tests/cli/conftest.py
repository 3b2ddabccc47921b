"""Fixtures the CLI tests opt into by name (``pytestmark = pytest.mark.usefixtures(...)``),
none of them autouse: most CLI tests keep no records and need none."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def own_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty records store and clinic config of this test's own, in SQLite: a
    TRIAGE_DATABASE_URL set where the tests run must not receive the test's records, nor a
    record kept by another test change what this one lists."""
    monkeypatch.setenv("TRIAGE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TRIAGE_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("TRIAGE_DATABASE_URL", raising=False)
