"""The three-valued reading remembers each comparison's truth per state (a score is one node
shared by every rule that compares it): remembering never changes a truth."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.answer_sets import answer_sets
from triage.conditions.tree import Answer, Compare, Count, Has, Number, QuestionShape
from triage.conditions.truth import UNKNOWN, State, truth
from triage.engine.states import question_states
from triage.pack.load import load_pack

BUNDLED = load_pack()
SHAPES = {"age": QuestionShape("age", "number", (), 0, 120, True),
          "signs": QuestionShape("signs", "multi", ("a", "b", "c"), None, None, False)}
SCORE = Count((Has("signs", "a"), Has("signs", "b"), Has("signs", "c")))


def test_each_comparison_of_one_state_has_its_own_truth() -> None:
    """Two comparisons of the same score (and of the same answer) read with one state: each
    keeps its own truth, however often it is read and in whatever order."""
    s = State({"age": 70, "signs": frozenset({"a", "b"})}, frozenset(), SHAPES)
    comparisons = [(Compare(">=", Answer("age"), Number(65)), True),
                   (Compare("<", Answer("age"), Number(65)), False),
                   (Compare(">=", SCORE, Number(2)), True),
                   (Compare(">=", SCORE, Number(3)), False)]
    for node, expected in comparisons * 2 + comparisons[::-1]:
        assert truth(node, s) is expected, node


def test_a_new_state_reads_new_answers() -> None:
    """What a state remembered is not read by a state made with other answers."""
    node = Compare(">=", SCORE, Number(2))
    assert truth(node, State({"signs": frozenset({"a", "b"})}, frozenset(), SHAPES)) is True
    assert truth(node, State({"signs": frozenset({"a"})}, frozenset(), SHAPES)) is False
    assert truth(node, State({"signs": frozenset({"a", "c"})}, frozenset(), SHAPES)) is True
    assert truth(node, State({}, frozenset({"signs"}), SHAPES)) is UNKNOWN


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_one_state_for_every_rule_reads_each_as_its_own_state_does(data: Any) -> None:
    """Every rule of the bundled pack read with one state (its scores remembered from rule
    to rule), on answers with gaps or complete: the truth each rule has read alone."""
    answers = data.draw(answer_sets(BUNDLED))
    states = question_states(BUNDLED, answers)
    shared = State(states.applicable, states.pending, BUNDLED.shapes)
    for rule in BUNDLED.rules:
        alone = State(states.applicable, states.pending, BUNDLED.shapes)
        assert truth(rule.when, shared) is truth(rule.when, alone), rule.id
