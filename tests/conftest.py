"""Shared fixtures: the minimal test pack, a private pack cache, golden files."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from triage.compiled import CompiledPack

TESTS = Path(__file__).resolve().parent
MINIMAL = TESTS / "packs" / "minimal"
GOLDEN = TESTS / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="Rewrite tests/golden/*.txt from the current output.")


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    # never touch the user's cache; every process started by a test inherits this
    os.environ["TRIAGE_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(autouse=True)
def _neutral_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("NO_COLOR", "TRIAGE_ACCESSIBLE", "TRIAGE_INTERACTIVE", "TRIAGE_LANG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.fixture(scope="session")
def pack(_private_cache: None) -> CompiledPack:
    from triage.packs import load_pack

    return load_pack(MINIMAL)


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """Compare text with tests/golden/NAME; --update-golden (or TRIAGE_UPDATE_GOLDEN=1) rewrites."""
    update = bool(request.config.getoption("--update-golden")
                  or os.environ.get("TRIAGE_UPDATE_GOLDEN") == "1")

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if update:
            path.write_text(text, encoding="utf-8")
            return
        assert path.exists(), f"no golden file {path.name}: run pytest --update-golden"
        assert text == path.read_text(encoding="utf-8"), (
            f"{path.name} differs; if the change is intended, run pytest --update-golden")

    return check
