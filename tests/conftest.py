"""Shared fixtures: the minimal test pack, temporary pack copies, golden files."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from triage.compiled import CompiledPack
from triage.packs import load_pack

TESTS = Path(__file__).parent
MINIMAL = TESTS / "packs" / "minimal"
GOLDEN = TESTS / "golden"


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory,
                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the real user cache or data folders from tests."""
    base = tmp_path_factory.getbasetemp()
    monkeypatch.setenv("TRIAGE_CACHE_DIR", str(base / "cache"))
    monkeypatch.setenv("TRIAGE_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("TRIAGE_CONFIG_DIR", str(base / "config"))


@pytest.fixture(scope="session")
def minimal_pack() -> CompiledPack:
    return load_pack(MINIMAL, use_cache=False)


@pytest.fixture
def pack_copy(tmp_path: Path) -> Callable[..., Path]:
    """A copy of the minimal pack with some files replaced or edited."""

    def make(edits: dict[str, str | Callable[[str], str]] | None = None) -> Path:
        target = tmp_path / "pack"
        shutil.copytree(MINIMAL, target)
        for name, edit in (edits or {}).items():
            path = target / name
            if callable(edit):
                path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
            else:
                path.write_text(edit, encoding="utf-8")
        return target

    return make


def check_golden(name: str, actual: str) -> None:
    """Compare with tests/golden/NAME; TRIAGE_UPDATE_GOLDEN=1 rewrites the file."""
    path = GOLDEN / name
    if os.environ.get("TRIAGE_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}; run with TRIAGE_UPDATE_GOLDEN=1"
    assert actual == path.read_text(encoding="utf-8")
