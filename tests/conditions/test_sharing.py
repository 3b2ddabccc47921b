"""Numbering condition trees by structure (triage.conditions.sharing): equal parts share a
number, and the repeated parts found are those a walk comparing trees finds (the statement
below, which hashes every node it meets: the numbering replaced it for speed)."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conditions.test_to_kleene import conditions
from triage.conditions.sharing import Structures, repeated_parts
from triage.conditions.tree import And, Compare, Cond, Count, Has, Is, Not, Or, Sum, parts_of
from triage.conditions.tree import questions_read as reads
from triage.pack.load import load_pack


def repeated_by_hashing(trees: list[Cond]) -> set[Cond]:
    """What the parts found must be: every part over several questions met twice, by
    equality, a repeated part counted once and not its own parts again."""
    seen: set[Cond] = set()
    out: set[Cond] = set()
    stack: list[Any] = list(trees)
    while stack:
        node = stack.pop()
        if isinstance(node, Count | Sum):
            stack += node.items
            continue
        if not isinstance(node, And | Or | Not | Compare) or len(reads(node)) < 2:
            continue
        if node in seen:
            out.add(node)
            continue
        seen.add(node)
        stack += parts_of(node)
    return out


@settings(max_examples=200, deadline=None)
@given(trees=st.lists(conditions(), min_size=1, max_size=6), again=st.data())
def test_repeated_parts_are_those_met_twice(trees: list[Cond], again: st.DataObject) -> None:
    # equal trees made anew (not the same objects) repeat too
    trees += [copy.deepcopy(t) for t in again.draw(st.lists(st.sampled_from(trees),
                                                            max_size=2))]
    assert repeated_parts(trees) == repeated_by_hashing(trees)


@settings(max_examples=200, deadline=None)
@given(tree=conditions())
def test_equal_nodes_share_a_number_and_others_do_not(tree: Cond) -> None:
    twin = copy.deepcopy(tree)
    structures = Structures([tree, twin])
    assert structures.of[id(tree)] == structures.of[id(twin)]
    numbers = structures.held(tree)
    assert numbers == structures.held(twin)
    for k in numbers:  # each number stands for one structure, with its questions
        assert reads(structures.node[k]) == structures.reads[k]
    different = Not(tree)
    assert Structures([tree, different]).of[id(different)] != \
        Structures([tree, different]).of[id(tree)]


def test_a_repeated_part_is_found_once_and_its_parts_are_not() -> None:
    back = Or((Is("area", frozenset({"low_back"})), Has("signs", "fever")))
    inner = Is("area", frozenset({"low_back"}))  # one question: an atom, never a part
    first = And((back, Has("signs", "numb")))
    second = And((Or((inner, Has("signs", "fever"))), Has("signs", "weak")))
    assert repeated_parts([first, second]) == {back}
    assert repeated_parts([first]) == set()


def test_the_bundled_packs_repeated_parts_are_those_met_twice() -> None:
    pack = load_pack(None, use_cache=False)
    trees = [*(q.ask_if for q in pack.questions if q.ask_if is not None),
             *(r.when for r in pack.rules)]
    found = repeated_parts(trees)
    assert found == repeated_by_hashing(trees)
    assert len(found) > 20  # the "every place" score and its parts, the gates
