"""Equal parts of conditions, found in one pass: each node numbered by its structure.

Conditions are trees of frozen dataclasses, equal when their structure is equal; but hashing
one hashes all it holds, at every node (a walk that asks of each node whether it was seen
costs the tree's size times its depth). Numbering each node once, from its parts' numbers
up, makes "equal to a part met before" a look-up of a small integer. Nodes are known by
``id()``: the caller keeps the trees alive while it uses the numbering.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from triage.conditions.tree import (
    And,
    Answer,
    Compare,
    Cond,
    Count,
    Has,
    Is,
    Not,
    Or,
    Sum,
    parts_of,
)

_READS_ONE = (Is, Has, Answer)


class Structures:
    """Every node of some conditions, numbered so that equal nodes share a number."""

    def __init__(self, conditions: Iterable[Cond]) -> None:
        self.of: dict[int, int] = {}  # id(node) -> its structure's number
        self.reads: list[frozenset[str]] = []  # per number: the questions it reads
        self.size: list[int] = []  # per number: its nodes, itself included
        self.node: list[Any] = []  # per number: one node of it
        self._numbers: dict[Any, int] = {}
        for condition in conditions:
            self._number(condition)

    def _number(self, root: Any) -> None:
        stack: list[tuple[Any, bool]] = [(root, False)]
        while stack:
            node, parts_numbered = stack.pop()
            if id(node) in self.of:
                continue
            parts = parts_of(node)
            if parts and not parts_numbered:  # its parts first, then itself again
                stack.append((node, True))
                stack.extend((p, False) for p in parts if id(p) not in self.of)
                continue
            if parts:
                numbers = tuple(self.of[id(p)] for p in parts)
                key: Any = (node.__class__, getattr(node, "op", None), numbers)
            else:
                numbers, key = (), node  # a leaf: its hash is its own
            k = self._numbers.get(key)
            if k is None:
                k = self._numbers[key] = len(self.node)
                self.node.append(node)
                self.size.append(1 + sum(self.size[n] for n in numbers))
                self.reads.append(frozenset().union(*(self.reads[n] for n in numbers))
                                  if numbers else frozenset((node.question,))
                                  if isinstance(node, _READS_ONE) else frozenset())
            self.of[id(node)] = k

    def held(self, condition: Cond) -> set[int]:
        """The numbers of ``condition`` (numbered here) and of every node it holds."""
        seen: set[int] = set()
        stack: list[Any] = [condition]
        while stack:
            node = stack.pop()
            if id(node) not in seen:
                seen.add(id(node))
                stack.extend(parts_of(node))
        return {self.of[i] for i in seen}

    def repeated(self, conditions: Iterable[Cond]) -> set[int]:
        """The numbers of the parts over several questions (``and``, ``or``, ``not``,
        comparisons) that ``conditions`` (numbered here) hold more than once; a repeated
        part is counted once, not its own parts again (they are read once, in its
        definition). Items of a ``count`` or ``sum`` are searched too."""
        seen: set[int] = set()
        out: set[int] = set()
        stack: list[Any] = list(conditions)
        while stack:
            node = stack.pop()
            if isinstance(node, Count | Sum):
                stack += node.items
                continue
            if not isinstance(node, And | Or | Not | Compare):
                continue
            k = self.of[id(node)]
            if len(self.reads[k]) < 2:
                continue  # reads one question or none
            if k in seen:
                out.add(k)
                continue
            seen.add(k)
            stack += parts_of(node)
        return out


def repeated_parts(conditions: Iterable[Cond]) -> set[Cond]:
    """The parts :meth:`Structures.repeated` finds, one node of each."""
    held = list(conditions)
    structures = Structures(held)
    return {structures.node[k] for k in structures.repeated(held)}


def gate_parts(gates: Sequence[Cond | None], others: Iterable[Cond]
               ) -> tuple[Structures, dict[int, int]]:
    """(the numbering of ``gates`` and ``others``, the number of each part over several
    questions that they repeat and a gate holds -> the position in ``gates`` of the first
    gate holding it); None in ``gates``: no gate."""
    held = [*(g for g in gates if g is not None), *others]
    structures = Structures(held)
    repeated = structures.repeated(held)
    first: dict[int, int] = {}
    for j in reversed(range(len(gates))):  # the first gate holding it wins
        gate = gates[j]
        if gate is not None:
            for k in structures.held(gate) & repeated:
                first[k] = j
    return structures, first
