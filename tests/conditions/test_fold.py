"""Folding what is known of one answer into a condition (triage.conditions.truth.with_answer,
with_option, changes_nothing): the folded condition says what the whole did, on every other
answer, and an answer that changes nothing is told apart from one that may."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from triage.conditions.checker import ConditionChecker
from triage.conditions.tree import Cond, Const, QuestionShape, questions_read
from triage.conditions.truth import State, changes_nothing, truth, with_answer, with_option
from triage.pack.bundled import default_pack_dir
from triage.pack.load import load_pack

SHAPES = {
    "fever": QuestionShape("fever", "yes_no"),
    "age": QuestionShape("age", "number", min=0, max=120),
    "area": QuestionShape("area", "single", ("neck", "low_back", "knee")),
    "signs": QuestionShape("signs", "multi", ("numb", "weak", "not_sure")),
    "places": QuestionShape("places", "multi", ("back", "leg", "arm")),
}


def cond(raw: Any) -> Cond:
    node = ConditionChecker(SHAPES).condition(raw, lambda *problem: None)
    assert node is not None
    return node


def holds(node: Cond, answers: dict[str, Any]) -> bool:
    return truth(node, State(answers, frozenset(), SHAPES)) is True


@pytest.mark.parametrize(("raw", "question", "value", "same"), [
    # "none of these", or no, to a sign: as good as no answer, whatever the rest
    ("(back in places) and count(numb in signs, weak in signs) >= 1", "signs", frozenset(),
     True),
    ("(back in places) and count(numb in signs, weak in signs) >= 1", "signs",
     frozenset({"numb"}), False),
    ("fever == yes and age > 50", "fever", "no", True),
    ("fever == yes and age > 50", "fever", "yes", False),
    # an option the condition does not read changes nothing
    ("numb in signs or age > 80", "signs", frozenset({"weak"}), True),
    # "not in" is false when the question is not answered: an empty answer is not that
    ("numb not in signs and fever == yes", "signs", frozenset(), False),
    # in a sum an answer counts, and no answer counts 0
    ("sum(age, 10) > 60", "age", 0, True),
    ("sum(age, 10) > 60", "age", 55, False),
])
def test_an_answer_changes_nothing_only_when_no_other_answers_tell_it_apart(
        raw: str, question: str, value: Any, same: bool) -> None:
    assert changes_nothing(cond(raw), question, value, SHAPES) is same


def test_a_count_with_enough_items_known_is_settled_whatever_the_rest() -> None:
    node = cond("count(back in places, leg in places, fever == yes) >= 1 and age > 50")
    assert with_option(node, "places", "back", True, SHAPES) == cond("age > 50")
    # one option not chosen leaves the others to decide
    assert with_option(node, "places", "back", False, SHAPES) == cond(
        "count(leg in places, fever == yes) >= 1 and age > 50")


def test_a_number_compared_directly_with_no_answer_is_false() -> None:
    assert with_answer(cond("age >= 65 or fever == yes"), "age", None, SHAPES) == \
        cond("fever == yes")


ANSWERS = st.fixed_dictionaries({}, optional={
    "fever": st.sampled_from(["yes", "no"]),
    "age": st.integers(0, 120),
    "area": st.sampled_from(["neck", "low_back", "knee"]),
    "signs": st.frozensets(st.sampled_from(["numb", "weak", "not_sure"])),
    "places": st.frozensets(st.sampled_from(["back", "leg", "arm"])),
})
CONDITIONS = [
    "(back in places or leg in places) and count(numb in signs, weak in signs, "
    "not_sure in signs) >= 1",
    "count(back in places, leg in places, arm in places) == 0 and fever == yes",
    "numb not in signs or (area != neck and age >= 50)",
    "sum(age, count(numb in signs, weak in signs)) >= 66",
    "not (fever == yes and area in [neck, knee]) and count(arm in places, age > 30) >= 2",
]


@settings(max_examples=300)
@given(raw=st.sampled_from(CONDITIONS), answers=ANSWERS,
       question=st.sampled_from(sorted(SHAPES)))
def test_the_folded_condition_says_what_the_whole_did(raw: str, answers: dict[str, Any],
                                                      question: str) -> None:
    node = cond(raw)
    value = answers.get(question)
    rest = {q: v for q, v in answers.items() if q != question}
    assert holds(with_answer(node, question, value, SHAPES), rest) == holds(node, answers)
    if SHAPES[question].type == "multi" and value is not None:
        for option in SHAPES[question].options:  # one option at a time, then the rest
            folded = with_option(node, question, option, option in value, SHAPES)
            assert holds(folded, answers) == holds(node, answers)
    if changes_nothing(node, question, value, SHAPES):
        assert holds(node, rest) == holds(node, answers)


@settings(max_examples=200)
@given(data=st.data())
def test_folding_the_bundled_packs_conditions_keeps_their_meaning(data: st.DataObject) -> None:
    pack = BUNDLED
    rule = data.draw(st.sampled_from([r for r in pack.rules if r.reads]))
    read = sorted(questions_read(rule.when))
    answers = {q: data.draw(answer(pack.shapes[q])) for q in read
               if data.draw(st.booleans())}
    question = data.draw(st.sampled_from(read))
    value = answers.get(question)
    rest = {q: v for q, v in answers.items() if q != question}
    s = State(answers, frozenset(), pack.shapes)
    folded = with_answer(rule.when, question, value, pack.shapes)
    assert question not in questions_read(folded)
    assert (truth(folded, State(rest, frozenset(), pack.shapes)) is True) == (
        truth(rule.when, s) is True)
    if not questions_read(folded):
        assert isinstance(folded, Const)


def answer(shape: QuestionShape) -> st.SearchStrategy[Any]:
    if shape.type in ("yes_no", "single"):
        return st.sampled_from(shape.choices)
    if shape.type == "multi":
        return st.frozensets(st.sampled_from(shape.options))
    return st.integers(int(shape.min or 0), int(shape.max or 200))


BUNDLED = load_pack(default_pack_dir())
