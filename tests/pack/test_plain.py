"""A pack as plain data: its conditions in one table, each node once, read back checked.

The cache (tests/pack/test_cache.py) stores what :mod:`triage.pack.plain` writes; these
tests hold the table of conditions to what its reader must refuse: a place that is not an
earlier place of the table (a node holding itself, a loop, a place past the end), a node of
the wrong kind in a place, and a place where there is no table.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from tests.conftest import MINIMAL
from triage.conditions import tree
from triage.pack.bundled import default_pack_dir
from triage.pack.compiled import CompiledPack
from triage.pack.load import load_pack
from triage.pack.plain import NODES, PlainDataError, decode, encode
from triage.pack.specs import RuleSpec


@pytest.fixture(scope="module")
def bundled() -> CompiledPack:
    return load_pack(default_pack_dir(), use_cache=False)


def _nodes_in(pack: CompiledPack) -> list[Any]:
    """Every condition node of the pack, wherever it is, repeats and all."""
    found: list[Any] = []
    stack: list[Any] = [pack.questions, pack.rules]
    while stack:
        value = stack.pop()
        if isinstance(value, tree.Cond | tree.NumExpr):
            found.append(value)
        if dataclasses.is_dataclass(value):
            stack.extend(getattr(value, f.name) for f in dataclasses.fields(value))
        elif isinstance(value, tuple | list):
            stack.extend(value)
    return found


def _stored(pack: CompiledPack) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(json.dumps(encode(pack)))
    return data


def _place_of(data: dict[str, Any], tag: str) -> int:
    return next(i for i, entry in enumerate(data[NODES]) if entry["$t"] == tag)


def test_every_condition_is_stored_once_and_read_back_as_one(bundled: CompiledPack) -> None:
    data = _stored(bundled)
    table = data[NODES]
    nodes = _nodes_in(bundled)
    assert len(table) == len(set(nodes)) < len(nodes) / 4  # each once: the pack repeats them
    assert len({json.dumps(entry, sort_keys=True) for entry in table}) == len(table)
    assert all(type(r["when"]) is int for r in data["rules"])
    again = decode(data)
    again.root = bundled.root
    assert again == bundled
    by_value: dict[Any, Any] = {}
    for node in _nodes_in(again):  # equal conditions are one object, as stored
        assert by_value.setdefault(node, node) is node


def test_a_place_names_an_earlier_node_only(bundled: CompiledPack) -> None:
    for late in (0, 1, len(_stored(bundled)[NODES])):  # itself, the next one, past the end
        data = _stored(bundled)
        table = data[NODES]
        at = _place_of(data, "And")
        table[at]["items"][0] = at + late
        with pytest.raises(PlainDataError, match="no such condition"):
            decode(data)


@pytest.mark.parametrize("place", [-1, True, 1.0, "0"])
def test_a_place_is_a_whole_number_in_the_table(bundled: CompiledPack, place: Any) -> None:
    data = _stored(bundled)
    data["rules"][0]["when"] = place
    with pytest.raises(PlainDataError):
        decode(data)


def test_a_place_holds_a_node_of_the_kind_its_field_takes(bundled: CompiledPack) -> None:
    data = _stored(bundled)
    data["rules"][0]["when"] = _place_of(data, "Number")  # a number, not a condition
    with pytest.raises(PlainDataError, match="wrong kind"):
        decode(data)
    data = _stored(bundled)
    compare = data[NODES][_place_of(data, "Compare")]
    compare["left"] = _place_of(data, "Has")  # a condition, not a number
    with pytest.raises(PlainDataError, match="wrong kind"):
        decode(data)


def test_the_table_holds_nodes_not_places(bundled: CompiledPack) -> None:
    data = _stored(bundled)
    data[NODES].append(0)
    with pytest.raises(PlainDataError, match="expected a condition"):
        decode(data)


def test_a_part_stored_alone_holds_its_conditions(bundled: CompiledPack) -> None:
    rule = bundled.rules[0]
    data = encode(rule, RuleSpec)
    assert type(data["when"]) is dict  # no table: the nodes themselves
    assert decode(data, RuleSpec) == rule
    data["when"] = 0  # a place with no table to look in
    with pytest.raises(PlainDataError, match="no such condition"):
        decode(data, RuleSpec)


def test_a_condition_written_outside_the_table_is_refused(bundled: CompiledPack) -> None:
    """The table is where a pack's conditions are measured: one written out anywhere else
    (a rule's, or inside a node of the table) could be of any size."""
    data = _stored(bundled)
    data["rules"][0]["when"] = {"$t": "Const", "value": False}
    with pytest.raises(PlainDataError, match="outside the table"):
        decode(data)
    data = _stored(bundled)
    data[NODES][_place_of(data, "And")]["items"].append({"$t": "Const", "value": True})
    with pytest.raises(PlainDataError, match="outside the table"):
        decode(data)


def _chain(data: dict[str, Any], links: int, make: Any) -> None:
    """``links`` nodes after the table's, each made of the one before (``make(place)``)."""
    table = data[NODES]
    for _ in range(links):
        table.append(make(len(table) - 1))
    data["rules"][0]["when"] = len(table) - 1


@pytest.mark.parametrize(("links", "make"), [
    # each names the one before twice: 2**60 nodes as every walk meets them
    (60, lambda before: {"$t": "Or", "items": [before, before]}),
    # one inside the other, one deeper than a checked tree may be (a Const, then Nots)
    (tree.MAX_TREE_DEPTH, lambda before: {"$t": "Not", "item": before}),
])
def test_a_condition_larger_than_a_checked_tree_may_be_is_refused(
        bundled: CompiledPack, links: int, make: Any) -> None:
    data = _stored(bundled)
    data[NODES].append({"$t": "Const", "value": True})
    _chain(data, links, make)
    with pytest.raises(PlainDataError, match="too large"):
        decode(data)


def test_a_condition_as_large_as_a_checked_tree_may_be_is_read() -> None:
    data = _stored(load_pack(MINIMAL, use_cache=False))
    data[NODES].append({"$t": "Const", "value": True})
    _chain(data, tree.MAX_TREE_DEPTH - 1, lambda before: {"$t": "Not", "item": before})
    assert tree.extent(decode(data).rules[0].when) == (tree.MAX_TREE_DEPTH,
                                                       tree.MAX_TREE_DEPTH)
