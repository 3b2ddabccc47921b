"""The suite's own order (tests/conftest.py): the tests marked ``long`` start first, and
pytest-xdist hands them out a few at a time."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

import pytest

from tests.conftest import pytest_collection_modifyitems, pytest_configure


@dataclass
class _Item:
    name: str
    long: bool

    def get_closest_marker(self, name: str) -> object | None:
        return object() if name == "long" and self.long else None


def test_the_long_tests_come_first_each_part_in_the_order_it_had() -> None:
    items = [_Item("a", False), _Item("b", True), _Item("c", False), _Item("d", True),
             _Item("e", False)]
    pytest_collection_modifyitems(items)  # type: ignore[arg-type]
    assert [i.name for i in items] == ["b", "d", "a", "c", "e"]


def test_this_run_collected_the_long_tests_first(request: pytest.FixtureRequest) -> None:
    """In this very run: no test marked ``long`` comes after one that is not."""
    marks = [item.get_closest_marker("long") is not None for item in request.session.items]
    assert marks == sorted(marks, reverse=True)


def test_workers_get_their_tests_a_few_at_a_time_unless_told_otherwise() -> None:
    def chunk(given: object) -> object:
        config = SimpleNamespace(option=SimpleNamespace(maxschedchunk=given))
        pytest_configure(config)  # type: ignore[arg-type]
        return config.option.maxschedchunk

    assert chunk(None) == 4
    assert chunk(100) == 100  # --maxschedchunk=100 on the command line
    without_xdist = SimpleNamespace(option=SimpleNamespace())
    pytest_configure(without_xdist)  # type: ignore[arg-type]
    assert vars(without_xdist.option) == {}
