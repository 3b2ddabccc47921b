"""How the suite runs (tests/conftest.py): the tests marked ``long`` start first, pytest-xdist
hands them out a few at a time, and nothing, not even collecting the tests, uses the user's
own cache, data or config folders."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.conftest import REPO_ROOT, pytest_collection_modifyitems, pytest_configure


@dataclass
class _Item:
    name: str
    seconds: int | None  # long(seconds), or not long

    def get_closest_marker(self, name: str) -> object | None:
        if name != "long" or self.seconds is None:
            return None
        return SimpleNamespace(args=(self.seconds,))


def test_the_long_tests_come_first_the_longest_first_the_rest_in_the_order_it_had() -> None:
    items = [_Item("a", None), _Item("b", 10), _Item("c", None), _Item("d", 45),
             _Item("e", None), _Item("f", 10)]
    pytest_collection_modifyitems(items)  # type: ignore[arg-type]
    assert [i.name for i in items] == ["d", "b", "f", "a", "c", "e"]


def test_this_run_collected_the_long_tests_first(request: pytest.FixtureRequest) -> None:
    """In this very run: the tests marked ``long`` come first, the longest first."""
    seconds = []
    for item in request.session.items:
        mark = item.get_closest_marker("long")
        seconds.append(mark.args[0] if mark is not None else 0)
    assert seconds == sorted(seconds, reverse=True)


def test_workers_get_their_tests_a_few_at_a_time_unless_told_otherwise() -> None:
    def chunk(given: object) -> object:
        # (as a pytest-xdist worker: the folders of the run are the starting process's)
        config = SimpleNamespace(option=SimpleNamespace(maxschedchunk=given), workerinput={})
        pytest_configure(config)  # type: ignore[arg-type]
        return config.option.maxschedchunk

    assert chunk(None) == 4
    assert chunk(100) == 100  # --maxschedchunk=100 on the command line
    without_xdist = SimpleNamespace(option=SimpleNamespace(), workerinput={})
    pytest_configure(without_xdist)  # type: ignore[arg-type]
    assert vars(without_xdist.option) == {}


def test_collecting_the_tests_leaves_the_users_folders_alone(tmp_path: Path) -> None:
    """Test modules that load the bundled pack when imported, collected by a user whose own
    folders are the defaults under their home: nothing is written there."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TRIAGE_", "XDG_", "PYTEST_"))}
    env["HOME"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         "tests/engine/test_flow.py", "tests/cli/test_narrow_screen.py"],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "tests collected" in done.stdout
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == []
