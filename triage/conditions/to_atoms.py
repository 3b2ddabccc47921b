"""Three-valued conditions over *atoms*, for compiled code that reads each answer once
(:mod:`triage.pack.codegen_partial`).

An atom is a part of a condition that reads one question only (``area is neck``,
``age > 50``). Each has two boolean locals, as in :mod:`triage.conditions.to_kleene`: *must*
(``mK``: true whatever the pending answers turn out to be) and *may* (``yK``: not false for
certain). The code that reads a question sets the locals of all its atoms at once, from a
tuple worked out by :func:`triage.conditions.truth.truth` itself or remembered per answer. A
condition over several questions is then Kleene's logic over those locals: ``and``/``or`` of
the halves, ``not`` swapping them, ``count`` adding them up. Comparisons that are not a
count of atoms against a number (sums, answers compared with each other) are left to
:func:`~triage.conditions.to_kleene.to_kleene`, which reads the answer variables.
"""

from __future__ import annotations

from collections.abc import Mapping

from triage.conditions.to_kleene import Names, compare_sources, number_source, to_kleene
from triage.conditions.tree import (
    And,
    Compare,
    Cond,
    Count,
    Not,
    Number,
    Or,
    QuestionShape,
    questions_read,
)
from triage.conditions.truth import State, truth


class Atoms:
    """The atoms met so far, numbered in order (atom ``k``'s locals are ``mK`` and ``yK``),
    by question; and the questions that conditions read through answer variables instead."""

    def __init__(self) -> None:
        self.of_question: dict[str, list[Cond]] = {}
        self.read_directly: set[str] = set()
        self._names: dict[Cond, int] = {}

    def names(self, atom: Cond) -> tuple[str, str]:
        """(must, may) locals of ``atom`` (a condition reading one question)."""
        k = self._names.get(atom)
        if k is None:
            k = self._names[atom] = len(self._names)
            self.of_question.setdefault(next(iter(questions_read(atom))), []).append(atom)
        return f"m{k}", f"y{k}"


def to_atoms(node: Cond, atoms: Atoms, var: Names, pending: Names,
             shapes: Mapping[str, QuestionShape]) -> tuple[str, str]:
    """(must, may): Python sources of two expressions whose truth value is ``node``'s must
    and may (see the module docstring); registers the atoms it reads."""
    read = questions_read(node)
    if not read:
        t = truth(node, State({}, frozenset(), shapes))
        return repr(t is True), repr(t is not False)
    if len(read) == 1:
        return atoms.names(node)
    if isinstance(node, And | Or):
        halves = [to_atoms(item, atoms, var, pending, shapes) for item in _flat(node)]
        joiner = " and " if isinstance(node, And) else " or "
        return ("(" + joiner.join(m for m, _ in halves) + ")",
                "(" + joiner.join(m for _, m in halves) + ")")
    if isinstance(node, Not):
        must, may = to_atoms(node.item, atoms, var, pending, shapes)
        return f"(not {may})", f"(not {must})"
    assert isinstance(node, Compare)  # Is, Has and Const read one question at most
    sides = [_count_of_atoms(side, atoms) for side in (node.left, node.right)]
    if sides[0] is None or sides[1] is None or all(
            isinstance(side, Number) for side in (node.left, node.right)):
        atoms.read_directly |= read  # read through the answer variables
        return to_kleene(node, var, pending, shapes)
    (a, b), (c, d) = sides[0], sides[1]
    return compare_sources(node.op, a, b, c, d)


def conjuncts(node: Cond, atoms: Atoms, var: Names, pending: Names,
              shapes: Mapping[str, QuestionShape]) -> list[tuple[str, str]]:
    """(must, may) of each item of ``node`` if it is an ``and`` over several questions (nested
    ``and`` flattened), else of ``node``: ``node``'s must (may) is that of every item."""
    if isinstance(node, And) and len(questions_read(node)) > 1:
        return [to_atoms(item, atoms, var, pending, shapes) for item in _flat(node)]
    return [to_atoms(node, atoms, var, pending, shapes)]


def _flat(node: And | Or) -> list[Cond]:
    """The items of ``node``, with those of nested ``and`` (``or``) in an ``and`` (``or``)."""
    out: list[Cond] = []
    for item in node.items:
        if type(item) is type(node):
            assert isinstance(item, And | Or)
            out += _flat(item)
        else:
            out.append(item)
    return out


def _count_of_atoms(side: object, atoms: Atoms) -> tuple[str, str] | None:
    """The interval of a number or of a count of atoms (sums of their halves), else None."""
    if isinstance(side, Number):
        text = number_source(side.value)
        return text, text
    if isinstance(side, Count) and all(len(questions_read(i)) == 1 for i in side.items):
        halves = [atoms.names(item) for item in side.items]
        return ("(" + " + ".join(m for m, _ in halves) + ")",
                "(" + " + ".join(y for _, y in halves) + ")")
    return None
