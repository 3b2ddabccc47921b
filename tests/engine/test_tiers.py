"""A pack's first calls interpret the conditions; later calls run compiled code. Same results.

:meth:`CompiledPack.still_cold` decides which: a one-shot ``assess`` or a questionnaire's
first question never waits for a compile. These tests hold the two tiers to each other on
random answers (with gaps, in other forms, with answers to no question) over every test pack
and the bundled pack, and check that the switch happens when it should.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import MINIMAL
from tests.engine.test_partial_compiled import (
    PACKS,
    SETTINGS,
    loaded,
    outcome_or_error,
    partial_answers,
)
from triage.conditions.tree import SINGLE, Is, QuestionShape
from triage.conditions.truth import State, truth
from triage.engine.evaluate import (
    MissingAnswers,
    assess_partial,
    assess_partial_interpreted,
    evaluate,
    evaluate_cold,
    next_question,
)
from triage.pack.compiled import COMPILE_AFTER, CompiledPack
from triage.pack.load import load_pack


def fresh(path: Any) -> CompiledPack:
    return load_pack(path, use_cache=False)


@cache
def cold_pack(path: Any) -> CompiledPack:
    return fresh(path)


@pytest.mark.parametrize("path", PACKS, ids=lambda p: p.name if p else "bundled")
@SETTINGS
@given(data=st.data())
def test_cold_evaluate_equals_compiled(path: Any, data: st.DataObject) -> None:
    pack = loaded(path)  # warmed up: evaluate() runs the compiled code
    answers = data.draw(partial_answers(pack, odd=data.draw(st.booleans())))
    assert outcome_or_error(evaluate_cold, pack, answers) == \
        outcome_or_error(evaluate, pack, answers)


@pytest.mark.parametrize("path", PACKS, ids=lambda p: p.name if p else "bundled")
@SETTINGS
@given(data=st.data())
def test_cold_fired_rules_equal_compiled(path: Any, data: st.DataObject) -> None:
    """Outcome.fired worked out from the record: interpreted on a fresh pack, compiled on a
    warm one."""
    warm = loaded(path)
    answers = data.draw(partial_answers(warm, odd=False))
    try:
        record = evaluate(warm, answers).record
    except (ValueError, MissingAnswers):
        return
    cold = cold_pack(path)
    cold._cold_calls.clear()  # as new
    assert cold.fired_in(record) == warm.fired_in(record)
    assert "fired" not in cold._functions and "fired" in warm._functions


@pytest.mark.long(13)
def test_cases_agree_in_both_tiers() -> None:
    """The bundled pack's own cases, each also with every single answer left out."""
    pack = loaded(None)
    for case in pack.cases:
        for left_out in (None, *case.answers):
            answers = {k: v for k, v in case.answers.items() if k != left_out}
            assert outcome_or_error(evaluate_cold, pack, answers) == \
                outcome_or_error(evaluate, pack, answers), (case.id, left_out)


def test_a_fresh_pack_compiles_nothing_for_one_assessment() -> None:
    pack = fresh(None)
    case = max(pack.cases, key=lambda c: len(c.answers))
    outcome = evaluate(pack, case.answers)
    assert outcome.disposition == case.expect
    assert [r.id for r in outcome.fired]  # the reasons, interpreted too
    assert next_question(pack, {}) is not None
    assert pack._functions == {} and pack.sources == {}
    assert pack.fast_outcome is None and "compiled_partial" not in pack.__dict__


def test_the_code_is_compiled_after_the_first_calls() -> None:
    pack = fresh(None)
    case = max(pack.cases, key=lambda c: len(c.answers))
    for _ in range(COMPILE_AFTER):
        evaluate(pack, case.answers)
        assess_partial(pack, {})
    assert pack.fast_outcome is None and "compiled_partial" not in pack.__dict__
    first = evaluate(pack, case.answers)
    assert pack.fast_outcome is not None
    assert first == evaluate_cold(pack, case.answers)
    assess_partial(pack, {})
    assert "compiled_partial" in pack.__dict__
    assert assess_partial(pack, {}) == assess_partial_interpreted(pack, {})


SHAPE = QuestionShape("q", SINGLE, ("a", "b", "c"))


@pytest.mark.parametrize(("options", "negate", "expected"), [
    (frozenset({"a", "b", "c"}), False, True),  # whatever is answered, it is one of them
    (frozenset({"a"}), False, None),
    (frozenset({"a", "b", "c"}), True, False),  # `not in` every choice: never holds
    (frozenset({"a"}), True, None),
])
def test_pending_single_choice(options: frozenset[str], negate: bool, expected: Any) -> None:
    node = Is("q", options, negate)
    assert truth(node, State({}, frozenset({"q"}), {"q": SHAPE})) is expected


def test_an_answer_behind_a_gate_left_unanswered_is_ignored_in_both_tiers() -> None:
    """Only therapy details missing: they count as not answered, so a question whose gate
    reads them is not asked and its answer is ignored (found by the property test above)."""
    pack = loaded(MINIMAL)
    answers = {"chest_pain": "no", "fall": "no", "fever": "no", "low_mood": "yes"}
    assert evaluate(pack, answers).ignored_answers == ("low_mood",)
    assert evaluate_cold(pack, answers).ignored_answers == ("low_mood",)


@pytest.mark.parametrize("age", [True, False, 121, -1, 7.5, float("nan"), "40", None])
def test_a_number_answer_that_is_not_one_is_refused_in_both_tiers(age: Any) -> None:
    """The compiled fast path checks a number answer's class and range itself (True is an int
    to Python, 7.5 is not a whole number of years): the same refusal as interpreting."""
    pack = loaded(None)
    case = max(pack.cases, key=lambda c: len(c.answers))
    answers = {**case.answers, "age": age}
    expected = ("missing", ["age"]) if age is None else ("not normal", ["age"])
    if age == "40":  # text that is a whole number is accepted (normalised) by both
        expected = outcome_or_error(evaluate_cold, pack, {**case.answers, "age": 40})
    assert outcome_or_error(evaluate, pack, answers) == expected
    assert outcome_or_error(evaluate_cold, pack, answers) == expected
