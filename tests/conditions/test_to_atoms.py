"""Three-valued conditions over atoms (``to_atoms``) against the interpreter (``truth``).

The same random condition trees and states as tests/conditions/test_to_kleene.py. Each
atom's two locals (must, may) are set from ``truth`` of the atom with only its question's
state, as the generated ``_partial`` does (triage.pack.codegen_partial); the sources
``to_atoms`` and ``conjuncts`` give must then agree with ``truth`` of the whole condition.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conditions.test_to_kleene import SHAPES, conditions, pending, states, var
from triage.conditions.to_atoms import Atoms, conjuncts, to_atoms
from triage.conditions.tree import And, Compare, Cond, Count, Has, Is, Number
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
    return [eval(source, {}, names) for source in sources]  # sources made by to_atoms


@settings(max_examples=200)
@given(conds=st.lists(conditions(), min_size=1, max_size=3), state=states())
def test_atoms_equal_truth(conds: list[Cond],
                               state: tuple[dict[str, Any], frozenset[str]]) -> None:
    answers, waiting = state
    answers = {q: v for q, v in answers.items() if q not in waiting}
    atoms = Atoms()
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
