"""Three-valued conditions over atoms (``to_atoms``) against the interpreter (``truth``).

The same random condition trees and states as tests/conditions/test_to_kleene.py. Each
atom's two locals (must, may) are set from ``truth`` of the atom with only its question's
state, as the generated ``_partial`` does (triage.pack.codegen_partial); the sources
``to_atoms`` and ``conjuncts`` give must then agree with ``truth`` of the whole condition.
"""

from __future__ import annotations

import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conditions.test_to_kleene import (
    OPS,
    SHAPES,
    conditions,
    leaf,
    pending,
    states,
    var,
)
from triage.conditions.to_atoms import Atoms, conjuncts, to_atoms
from triage.conditions.tree import And, Compare, Cond, Count, Has, Is, Not, Number, Or
from triage.conditions.truth import State, truth


def evaluate(atoms: Atoms, sources: list[str], answers: dict[str, Any],
             waiting: frozenset[str]) -> list[Any]:
    names: dict[str, Any] = {}
    for q in SHAPES:
        answered = q in answers and q not in waiting
        names[var(q)] = answers[q] if answered else None
        names[pending(q)] = q in waiting
        alone = State({q: answers[q]} if answered else {}, waiting & {q}, SHAPES)
        for atom in atoms.of_question.get(q, []):
            must, may = atoms.names(atom)
            t = truth(atom, alone)
            names[must], names[may] = t is True, t is not False
    # the derived atoms in their order, as _partial sets them (after the atoms they read)
    for _, must, may, must_source, may_source in atoms.derived:
        names[must], names[may] = eval(must_source, {}, names), eval(may_source, {}, names)
    return [eval(source, {}, names) for source in sources]  # sources made by to_atoms


@settings(max_examples=300)
@given(conds=st.lists(conditions(), min_size=1, max_size=3), state=states(),
       shared=st.booleans())
def test_atoms_equal_truth(conds: list[Cond], state: tuple[dict[str, Any], frozenset[str]],
                           shared: bool) -> None:
    """With ``shared``, every part over several questions is a derived atom (each condition
    is shared twice over, so each of its parts is met again)."""
    answers, waiting = state
    answers = {q: v for q, v in answers.items() if q not in waiting}
    atoms = Atoms()
    if shared:
        atoms.share([*conds, *conds])
    whole = [to_atoms(c, atoms, var, pending, SHAPES) for c in conds]
    parts = [conjuncts(c, atoms, var, pending, SHAPES) for c in conds]
    sources = [s for must, may in whole for s in (must, may)]
    got = evaluate(atoms, sources, answers, waiting)
    s = State(answers, waiting, SHAPES)
    for k, cond in enumerate(conds):
        expected = truth(cond, s)
        assert (bool(got[2 * k]), bool(got[2 * k + 1])) == (expected is True,
                                                             expected is not False), cond
        # a condition holds (may hold) when every one of its conjuncts does
        halves = evaluate(atoms, [s for m, y in parts[k] for s in (m, y)], answers, waiting)
        assert all(halves[0::2]) == (expected is True), cond
        assert all(halves[1::2]) == (expected is not False), cond


def test_a_count_of_atoms_adds_up_their_halves() -> None:
    """``count`` of one-question parts against a number reads no answer variable (the same
    part twice counts twice); nested ``and`` are one list of conjuncts."""
    numb, weak, hot = (Has("signs", o, False) for o in ("numb", "weak", "hot"))
    fever = Is("fever", frozenset({"yes"}), False)
    atoms = Atoms()
    must, may = to_atoms(Compare(">=", Count((numb, fever, numb)), Number(2.0)),
                         atoms, var, pending, SHAPES)
    assert must == "((m0 + m1 + m0) >= 2)" and may == "((y0 + y1 + y0) >= 2)"
    assert not atoms.read_directly
    parts = conjuncts(And((numb, fever, And((weak, hot)))), atoms, var, pending, SHAPES)
    assert parts == [("m0", "y0"), ("m1", "y1"), ("m2", "y2"), ("m3", "y3")]


AREA = {o: Has("signs", o, False) for o in ("numb", "weak", "hot")}
FEVER = Is("fever", frozenset({"yes"}), False)
COUGH = Is("cough", frozenset({"yes"}), False)


def test_a_repeated_part_over_several_questions_is_one_derived_atom() -> None:
    """A part over several questions that the conditions hold twice (a score expanded into
    several rules and gates) is worked out once, after the last question it reads, and read
    by name: the conditions holding it read no answer variable and no part of it again."""
    every_place = Compare(">=", Count((AREA["hot"], And((AREA["numb"], FEVER)))), Number(1.0))
    first, second = And((every_place, COUGH)), Or((Not(every_place), COUGH))
    atoms = Atoms()
    atoms.share([first, second])
    assert to_atoms(first, atoms, var, pending, SHAPES) == ("(d0 and m3)", "(e0 and y3)")
    assert to_atoms(second, atoms, var, pending, SHAPES) == ("((not e0) or m3)",
                                                             "((not d0) or y3)")
    (read, must, may, must_source, may_source), = atoms.derived
    assert (read, must, may) == (frozenset({"signs", "fever"}), "d0", "e0")
    # count(...) >= 1 is an or of its items (what truth() makes of it)
    assert (must_source, may_source) == ("(m0 or (m1 and m2))", "(y0 or (y1 and y2))")
    assert not atoms.read_directly


def test_with_gates_named_only_the_parts_a_gate_holds_are_derived() -> None:
    """``share`` of gates and others: a part that a gate holds and the conditions repeat is a
    derived atom; one only rules repeat stays written out in each (see Atoms.share)."""
    every_place = Compare(">=", Count((AREA["hot"], And((AREA["numb"], FEVER)))), Number(1.0))
    rules_only = And((AREA["weak"], COUGH))
    atoms = Atoms()
    atoms.share([Or((every_place, COUGH)), None],
                      [And((every_place, FEVER)), rules_only, Or((rules_only, FEVER))])
    assert to_atoms(every_place, atoms, var, pending, SHAPES) == ("d0", "e0")
    must, may = to_atoms(Or((rules_only, FEVER)), atoms, var, pending, SHAPES)
    assert not re.search(r"\b[de]\d", must + may) and len(atoms.derived) == 1


def test_none_of_a_count_is_the_not_of_an_or() -> None:
    """``count(...) == 0`` (``<= 0``, ``< 1``): true when none of its items may hold, false
    when one does, as truth() counts; short-circuit tests, not two sums compared."""
    for op, bound in (("==", 0.0), ("<=", 0.0), ("<", 1.0)):
        atoms = Atoms()
        cond = Compare(op, Count((AREA["hot"], FEVER)), Number(bound))
        assert to_atoms(cond, atoms, var, pending, SHAPES) == ("(not (y0 or y1))",
                                                               "(not (m0 or m1))")
    atoms = Atoms()
    must, _ = to_atoms(Compare("==", Count((AREA["hot"], FEVER)), Number(1.0)), atoms, var,
                       pending, SHAPES)
    assert " + " in must  # exactly one: still counted


def test_parts_reading_the_same_question_are_one_atom() -> None:
    """In an and/or over several questions, the parts that read the same one question are
    joined into one atom (set with its question's others), where the first of them was."""
    atoms = Atoms()
    must, may = to_atoms(Or((AREA["numb"], FEVER, AREA["weak"], AREA["hot"])), atoms, var,
                         pending, SHAPES)
    assert (must, may) == ("(m0 or m1)", "(y0 or y1)")
    assert atoms.of_question == {"signs": [Or((AREA["numb"], AREA["weak"], AREA["hot"]))],
                                 "fever": [FEVER]}


@settings(max_examples=400)
@given(items=st.lists(st.one_of(leaf(), conditions()), min_size=1, max_size=4),
       op=st.sampled_from(OPS),
       bound=st.sampled_from([0.0, 1.0, 2.0, 3.0]), state=states())
def test_counts_against_small_numbers_equal_truth(
        items: list[Cond], op: str, bound: float,
        state: tuple[dict[str, Any], frozenset[str]]) -> None:
    """``count(...)`` against 0 to 3, where reading ``>= 1`` and ``> 0`` as an ``or``, and
    ``== 0``, ``<= 0`` and ``< 1`` as the ``not`` of one, must stop (the random trees above
    meet these seldom)."""
    answers, waiting = state
    answers = {q: v for q, v in answers.items() if q not in waiting}
    cond = Compare(op, Count(tuple(items)), Number(bound))
    atoms = Atoms()
    must, may = to_atoms(cond, atoms, var, pending, SHAPES)
    got = evaluate(atoms, [must, may], answers, waiting)
    expected = truth(cond, State(answers, waiting, SHAPES))
    assert (bool(got[0]), bool(got[1])) == (expected is True, expected is not False), cond
