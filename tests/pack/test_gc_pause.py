"""Loading large packs without the cyclic collector walking them again and again."""

from __future__ import annotations

import gc

from triage.pack.gc_pause import building_long_lived


class Node:
    """A collector-tracked object."""


def test_what_is_built_goes_to_the_oldest_generation_and_the_collector_resumes() -> None:
    assert gc.isenabled()
    with building_long_lived():
        assert not gc.isenabled()
        kept = [Node() for _ in range(1000)]
    assert gc.isenabled()
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert all(id(node) in oldest for node in kept)


def test_a_paused_collector_stays_paused() -> None:
    gc.disable()
    try:
        with building_long_lived():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_collector_resumes_after_an_error() -> None:
    try:
        with building_long_lived():
            raise ValueError
    except ValueError:
        pass
    assert gc.isenabled()
