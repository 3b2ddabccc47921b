"""Shared fixtures: the minimal test pack, temporary pack copies, golden files."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from triage.pack.compiled import CompiledPack
from triage.pack.load import load_pack

# The machines are shared, noisy 2-core VMs: a property test is about what the code does, and
# a per-example deadline only measures the neighbours (benchmarks/ measures speed).
settings.register_profile("triage", deadline=None)
settings.load_profile("triage")

TESTS = Path(__file__).resolve().parent
REPO_ROOT = TESTS.parent
MINIMAL = TESTS / "packs" / "minimal"
GOLDEN = TESTS / "golden"


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto` (the README's and CI's command): twice as many workers as cores, 4 more at
    most. Many tests mostly wait (a program in a pseudo-terminal keeping to its timing rules,
    a browser, a server): more workers than cores run the others meanwhile. Measured on 2
    cores (ci-pace, CHANGELOG): the whole suite 25 min 11 s with 2 workers, 15 min 30 s with
    4, under other suites' load; the pexpect files 90 s with 4, three runs, none failed."""
    cores = os.cpu_count() or 1
    return min(2 * cores, cores + 4)


# TRIAGE_CACHE_DIR, TRIAGE_DATA_DIR, TRIAGE_CONFIG_DIR: the folders of this run (below)
_FOLDERS = {"TRIAGE_CACHE_DIR": "cache", "TRIAGE_DATA_DIR": "data", "TRIAGE_CONFIG_DIR": "config"}
_RUN_HOME = pytest.StashKey[tuple[Path, dict[str, str | None]]]()


def _folders_of_this_run(config: pytest.Config) -> None:
    """Test modules load packs when they are imported, before any fixture runs: the cache,
    data and config folders point into a new temporary folder from the start, or collecting
    the tests wrote the compiled packs to the user's own cache (~/.cache/triage) and would
    read a clinic config left in theirs. Made once, by the process that starts the run:
    pytest-xdist's workers inherit it. The fixture below still gives each test its own."""
    if hasattr(config, "workerinput"):  # a pytest-xdist worker: the folders are set
        return
    home = Path(tempfile.mkdtemp(prefix="triage-tests-"))
    config.stash[_RUN_HOME] = (home, {name: os.environ.get(name) for name in _FOLDERS})
    for name, folder in _FOLDERS.items():
        os.environ[name] = str(home / folder)


def pytest_unconfigure(config: pytest.Config) -> None:
    if _RUN_HOME not in config.stash:
        return
    home, before = config.stash[_RUN_HOME]
    for name, value in before.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    shutil.rmtree(home, ignore_errors=True)


def pytest_configure(config: pytest.Config) -> None:
    """The folders of this run (above). And pytest-xdist's load scheduling hands each worker
    its tests a few at a time (4 unless ``--maxschedchunk`` says otherwise), so that the
    ``long`` tests, first in the order (below), are shared among the workers as they come
    free. By default it hands each worker a quarter of its share at once, in the order
    collected: one worker got all 98 long tests and ran alone for 6 of the run's 11.5
    minutes, the others done after 5. A few at a time cost nothing measurable on 12,000
    quick tests (36.2 and 36.0 s against 35.9 and 35.8 s)."""
    _folders_of_this_run(config)
    if getattr(config.option, "maxschedchunk", 0) is None:
        config.option.maxschedchunk = 4


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests marked ``long(seconds)`` first, the longest first (``seconds``: the most
    it took in timed runs, on 2 cores under ``-n auto``), the others after them in
    pytest-randomly's order (it shuffles before this hook runs). With the scheduling above
    the long ones start at once, spread over the workers: in random order a 45 s browser
    sweep fell near the end and kept one worker busy for minutes after the others were done.
    """
    def longest_first(item: pytest.Item) -> float:
        mark = item.get_closest_marker("long")
        return -float(mark.args[0]) if mark is not None else 0.0

    items.sort(key=longest_first)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="Rewrite golden files from the current output "
                          "(same as TRIAGE_UPDATE_GOLDEN=1).")


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path,
                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the real user cache, data or config folders (child processes too).

    Each test gets empty data and config folders of its own: a record or a config file left by
    one test must never change another's result (the order of tests is random). The compiled-
    pack cache is shared by the session (compiling the bundled pack for every test would be
    slow); tests of the cache itself use :func:`private_cache`.
    """
    base = tmp_path_factory.getbasetemp()
    monkeypatch.setenv("TRIAGE_CACHE_DIR", str(base / "cache"))
    monkeypatch.setenv("TRIAGE_DATA_DIR", str(tmp_path / "user-data"))
    monkeypatch.setenv("TRIAGE_CONFIG_DIR", str(tmp_path / "user-config"))


@pytest.fixture
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty compiled-pack cache folder for this test alone."""
    folder = tmp_path / "user-cache"
    monkeypatch.setenv("TRIAGE_CACHE_DIR", str(folder))
    return folder


@pytest.fixture(autouse=True)
def _neutral_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The questionnaire reads these; a developer's own settings must not change the tests.

    COLUMNS and LINES describe the runner's terminal, not the one a test drives (pytest-xdist's
    workers are given 80x24; a shell may export them): with them, a pseudo-terminal of 120
    columns would be laid out at 80 and paged at 24 rows."""
    for var in ("NO_COLOR", "TRIAGE_ACCESSIBLE", "TRIAGE_INTERACTIVE", "TRIAGE_LANG",
                "COLUMNS", "LINES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.fixture(autouse=True)
def _one_session_a_test() -> Iterator[None]:
    """A command sets its session's choices where its messages are written (whole lines for
    a screen reader, the language of what the entry point says after a bug; the result on
    the screen): one process runs one command, but tests run many in one process, and a
    French command's choice must not make the next test's messages French."""
    yield
    if "triage.cli.output" in sys.modules:  # (not imported for it)
        from triage.cli import output

        output.messages_for(False, "")
        output.result_shown = False


@pytest.fixture(scope="session")
def minimal_pack() -> CompiledPack:
    return load_pack(MINIMAL, use_cache=False)


@pytest.fixture(scope="session")
def pack(minimal_pack: CompiledPack) -> CompiledPack:
    return minimal_pack


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


@pytest.fixture
def golden(request: pytest.FixtureRequest,
           monkeypatch: pytest.MonkeyPatch) -> Callable[[str, str], None]:
    """:func:`check_golden` that also honours ``pytest --update-golden``."""
    if request.config.getoption("--update-golden"):
        monkeypatch.setenv("TRIAGE_UPDATE_GOLDEN", "1")
    return check_golden
