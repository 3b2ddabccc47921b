"""Three-valued conditions over *atoms*, for compiled code that reads each answer once
(:mod:`triage.pack.codegen_partial`).

An atom is a part of a condition that reads one question only (``area is neck``,
``age > 50``). Each has two boolean locals, as in :mod:`triage.conditions.to_kleene`: *must*
(``mK``: true whatever the pending answers turn out to be) and *may* (``yK``: not false for
certain). The code that reads a question sets the locals of all its atoms at once, from a
tuple worked out by :func:`triage.conditions.truth.truth` itself or remembered per answer. A
condition over several questions is then Kleene's logic over those locals: ``and``/``or`` of
the halves, ``not`` swapping them, ``count`` adding them up (its items' halves, whatever
they read). Comparisons of sums or of answers with each other are left to
:func:`~triage.conditions.to_kleene.to_kleene`, which reads the answer variables.

A part over several questions that the conditions repeat (a score such as "every place",
expanded into a dozen gates and rules) is a *derived* atom once :meth:`Atoms.share` has named
it: its halves are worked out once, into two locals (``dK``, ``eK``) set as soon as the last
question it reads is read (:attr:`Atoms.derived`), and every condition that holds it reads
the locals (it was a few dozen bytecodes at each place).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from triage.conditions.sharing import gate_parts
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
        # parts over several questions worked out once (see share): in the order they can be
        # set, each after the parts it reads, as (questions read, must, may, must's source,
        # may's source)
        self.derived: list[tuple[frozenset[str], str, str, str, str]] = []
        self._shared: set[Cond] = set()
        self._derived_names: dict[Cond, tuple[str, str]] = {}

    def share(self, gates: Sequence[Cond | None], others: Iterable[Cond] = ()) -> None:
        """Make every part over several questions that ``gates`` and ``others`` hold more
        than once, and a gate holds, a derived atom (see the module docstring and
        :func:`~triage.conditions.sharing.gate_parts`). Every gate is tested on every call; a
        part only rules repeat stays written out in each of them, which are tested only where
        the parts they share first may hold (see triage.pack.codegen_partial._factored), most
        often not: set ahead of time, those parts cost more than they saved (1,959 -> 1,882
        bytecodes a call on the bundled pack's cases with gaps, 1,761 -> 1,678 on its
        complete cases)."""
        structures, first_gate = gate_parts(gates, others)
        self._shared |= {structures.node[k] for k in first_gate}

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
    if node in atoms._shared:
        found = atoms._derived_names.get(node)
        if found is None:
            must, may = _several(node, atoms, var, pending, shapes, read)
            k = len(atoms.derived)
            found = atoms._derived_names[node] = f"d{k}", f"e{k}"
            atoms.derived.append((read, *found, must, may))
        return found
    return _several(node, atoms, var, pending, shapes, read)


def _several(node: Cond, atoms: Atoms, var: Names, pending: Names,
             shapes: Mapping[str, QuestionShape], read: frozenset[str]) -> tuple[str, str]:
    """:func:`to_atoms` of ``node``, which reads the several questions ``read``."""
    if isinstance(node, Compare) and isinstance(node.left, Count):
        items, against = node.left.items, (node.op, node.right)
        if against in ((">=", Number(1.0)), (">", Number(0.0))):
            # at least one of them: as truth() counts, true when one is, false when none may be
            node = Or(items)
        elif against in (("==", Number(0.0)), ("<=", Number(0.0)), ("<", Number(1.0))):
            # none of them: true when none may be, false when one is (short-circuit tests
            # instead of two sums compared)
            node = Not(Or(items))
    if isinstance(node, And | Or):
        halves = [to_atoms(item, atoms, var, pending, shapes)
                  for item in _by_question(node, _flat(node, atoms))]
        joiner = " and " if isinstance(node, And) else " or "
        return ("(" + joiner.join(m for m, _ in halves) + ")",
                "(" + joiner.join(m for _, m in halves) + ")")
    if isinstance(node, Not):
        must, may = to_atoms(node.item, atoms, var, pending, shapes)
        return f"(not {may})", f"(not {must})"
    assert isinstance(node, Compare)  # Is, Has and Const read one question at most
    sides = [_count_of_atoms(side, atoms, var, pending, shapes)
             for side in (node.left, node.right)]
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
        return [to_atoms(item, atoms, var, pending, shapes) for item in _flat(node, atoms)]
    return [to_atoms(node, atoms, var, pending, shapes)]


def _by_question(node: And | Or, items: list[Cond]) -> list[Cond]:
    """``items`` with those that read the same one question joined (by ``node``'s ``and`` or
    ``or``) into one item, where the first of them was: one atom, set with its question's
    others, instead of a test of each (Kleene's ``and``/``or`` of parts that read one
    question is what ``truth`` gives their ``and``/``or``)."""
    groups: dict[str, list[Cond]] = {}
    out: list[Cond | str] = []
    for item in items:
        read = questions_read(item)
        if len(read) != 1:
            out.append(item)
            continue
        question = next(iter(read))
        if question not in groups:
            groups[question] = []
            out.append(question)
        groups[question].append(item)
    return [i if not isinstance(i, str) else groups[i][0] if len(groups[i]) == 1
            else type(node)(tuple(groups[i])) for i in out]


def _flat(node: And | Or, atoms: Atoms) -> list[Cond]:
    """The items of ``node``, with those of nested ``and`` (``or``) in an ``and`` (``or``),
    unless a nested one is a derived atom (read whole)."""
    out: list[Cond] = []
    for item in node.items:
        if type(item) is type(node) and item not in atoms._shared:
            assert isinstance(item, And | Or)
            out += _flat(item, atoms)
        else:
            out.append(item)
    return out


def _count_of_atoms(side: object, atoms: Atoms, var: Names, pending: Names,
                    shapes: Mapping[str, QuestionShape]) -> tuple[str, str] | None:
    """The interval of a number or of a count (sums of its items' halves, as
    :func:`~triage.conditions.truth.interval` counts the items true and not false), else
    None."""
    if isinstance(side, Number):
        text = number_source(side.value)
        return text, text
    if isinstance(side, Count):
        halves = [to_atoms(item, atoms, var, pending, shapes) for item in side.items]
        return ("(" + " + ".join(m for m, _ in halves) + ")",
                "(" + " + ".join(y for _, y in halves) + ")")
    return None
