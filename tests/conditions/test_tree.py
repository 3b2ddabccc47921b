"""The condition language: parsing, checking, three-valued truth, compiled code."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from triage.conditions.checker import ConditionChecker
from triage.conditions.to_python import to_python
from triage.conditions.tree import Cond, QuestionShape, questions_read
from triage.conditions.truth import State, truth

SHAPES = {
    "fever": QuestionShape("fever", "yes_no"),
    "chills": QuestionShape("chills", "yes_no"),
    "age": QuestionShape("age", "number", min=0, max=120),
    "area": QuestionShape("area", "single", ("neck", "low_back", "knee")),
    "problems": QuestionShape("problems", "multi", ("stiffness", "strain")),
}


def check(raw: Any) -> tuple[Cond | None, list[str]]:
    messages: list[str] = []
    node = ConditionChecker(SHAPES).condition(
        raw, lambda path, offset, msg: messages.append(f"{path}@{offset}: {msg}"))
    return node, messages


def compiled(node: Cond) -> Any:
    code = to_python(node, lambda q: f"a.get({q!r})")
    return eval(f"lambda a: {code}")  # only ever generated code from checked trees


def t(raw: Any, answers: dict[str, Any], pending: set[str] | None = None) -> bool | None:
    node, problems = check(raw)
    assert node is not None, problems
    return truth(node, State(answers, frozenset(pending or ()), SHAPES))


@pytest.mark.parametrize(("raw", "answers", "expected"), [
    ("fever", {"fever": "yes"}, True),
    ("fever", {"fever": "no"}, False),
    ("not fever", {}, True),  # absent: the comparison is false, so its negation is true
    ("fever != yes", {}, False),  # != on an absent answer is false too
    ("area in [neck, knee]", {"area": "knee"}, True),
    ("area not in [neck, knee]", {"area": "low_back"}, True),
    ("stiffness in problems", {"problems": frozenset({"stiffness"})}, True),
    ("strain not in problems", {"problems": frozenset({"stiffness"})}, True),
    ("18 <= age < 65", {"age": 64}, True),
    ("18 <= age < 65", {"age": 65}, False),
    ("65 <= age", {"age": 70}, True),
    ("count(fever, chills, age >= 50) >= 2", {"fever": "yes", "age": 51}, True),
    ("sum(age, fever, 1) == 32", {"age": 30, "fever": "yes"}, True),
    ("sum(age, 1) == 1", {}, True),  # an absent number counts 0 in a sum
    ({"all": ["fever", {"any": ["age >= 65", {"not": "area == neck"}]}]},
     {"fever": "yes", "age": 30, "area": "knee"}, True),
    ({"question": "age", "op": ">=", "value": 65}, {"age": 64}, False),
    ({"question": "problems", "op": "contains", "value": "strain"},
     {"problems": frozenset({"strain"})}, True),
    (True, {}, True),
    ("false", {}, False),
])
def test_two_valued_truth_matches_compiled_code(raw: Any, answers: dict[str, Any],
                                                expected: bool) -> None:
    assert t(raw, answers) is expected
    node, _ = check(raw)
    assert node is not None
    assert compiled(node)(answers) is expected


@pytest.mark.parametrize(("raw", "answers", "pending", "expected"), [
    ("fever and age >= 50", {"fever": "no"}, {"age"}, False),  # false whatever age is
    ("fever or age >= 50", {"fever": "yes"}, {"age"}, True),
    ("fever and age >= 50", {"fever": "yes"}, {"age"}, None),
    ("age >= 0", {}, {"age"}, True),  # every possible answer satisfies it
    ("age > 120", {}, {"age"}, False),
    ("area in [neck, low_back, knee]", {}, {"area"}, True),
    ("count(fever, chills) >= 1", {"fever": "yes"}, {"chills"}, True),
    ("count(fever, chills) >= 2", {"fever": "no"}, {"chills"}, False),
    ("count(fever, chills) >= 2", {"fever": "yes"}, {"chills"}, None),
    ("not fever", {}, {"fever"}, None),
])
def test_three_valued_truth(raw: str, answers: dict[str, Any], pending: set[str],
                            expected: bool | None) -> None:
    assert t(raw, answers, pending) is expected


@pytest.mark.parametrize(("raw", "fragment"), [
    ("agee >= 5", "unknown question 'agee' (did you mean 'age'?)"),
    ("area == nekc", "'nekc' is not an answer of 'area'"),
    ("age", "'age' is not a yes/no question: compare it, e.g. 'age >= 50'"),
    ("problems == strain", "'problems' allows several answers"),
    ("area < 3", "'area' is not a number"),
    ("fever ==", "cannot read this condition"),
    ("open('x')", "is not a condition"),
    ("fever.real", "is not a condition"),
    ("max(age, 1) > 3", "unknown function 'max'"),
    ("[x for x in y]", "is not a condition"),
    ("lambda: 1", "is not a condition"),
    ({"al": ["fever"]}, "needs exactly one of all, any, not"),
    ({"all": []}, "'all' needs a non-empty list"),
    ({"question": "age", "op": "~", "value": 1}, "unknown operator '~'"),
    (3, "a condition must be text"),
])
def test_invalid_conditions_are_reported_not_run(raw: Any, fragment: str) -> None:
    node, problems = check(raw)
    assert node is None
    assert any(fragment in p for p in problems), problems


def test_offsets_point_inside_the_expression() -> None:
    _, problems = check("fever and agee >= 5")
    assert problems == ["()@10: unknown question 'agee' (did you mean 'age'?)"]


def test_an_unknown_question_after_in_is_named_where_it_is() -> None:
    _, problems = check("stiffness in problem")
    assert problems[0] == "()@13: unknown question 'problem' (did you mean 'problems'?)"


def test_questions_read() -> None:
    node, _ = check("fever and (age >= 50 or stiffness in problems)")
    assert node is not None
    assert questions_read(node) == {"fever", "age", "problems"}


ANSWER = st.fixed_dictionaries({}, optional={
    "fever": st.sampled_from(["yes", "no"]), "chills": st.sampled_from(["yes", "no"]),
    "age": st.integers(0, 120), "area": st.sampled_from(["neck", "low_back", "knee"]),
    "problems": st.frozensets(st.sampled_from(["stiffness", "strain"]))})
EXPRESSIONS = ["fever and not chills", "count(fever, chills, age > 60) >= 2",
               "area != neck or strain in problems", "sum(age, fever) >= 40",
               "not (age < 30 or area in [knee])", "fever != yes"]


@settings(max_examples=300, deadline=None)
@given(answers=ANSWER, expression=st.sampled_from(EXPRESSIONS))
def test_compiled_code_equals_the_interpreter(answers: dict[str, Any], expression: str) -> None:
    node, _ = check(expression)
    assert node is not None
    assert compiled(node)(answers) is truth(node, State(answers, frozenset(), SHAPES))


@settings(max_examples=300, deadline=None)
@given(answers=ANSWER, expression=st.sampled_from(EXPRESSIONS), data=st.data())
def test_a_known_partial_truth_never_changes_when_answers_arrive(
        answers: dict[str, Any], expression: str, data: st.DataObject) -> None:
    node, _ = check(expression)
    assert node is not None
    hidden = data.draw(st.sets(st.sampled_from(sorted(answers)))) if answers else set()
    partial = truth(node, State({k: v for k, v in answers.items() if k not in hidden},
                                frozenset(hidden), SHAPES))
    final = truth(node, State(answers, frozenset(), SHAPES))
    assert partial is None or partial is final


def test_every_problem_of_a_condition_is_reported_at_once() -> None:
    """Each item of and/or (text or all/any blocks) is checked even after one had a problem:
    a person fixing a pack sees all of them in one run, not one per run."""
    node, problems = check("fevr == yes or agee > 50 and area == knee or strain in problem")
    assert node is None
    assert [p.split(": ", 1)[1] for p in problems] == [
        "unknown question 'fevr' (did you mean 'fever'?)",
        "unknown question 'agee' (did you mean 'age'?)",
        "unknown question 'problem' (did you mean 'problems'?)"]
    assert [p.split(": ", 1)[0] for p in problems] == ["()@0", "()@15", "()@55"]
    node, problems = check({"any": ["fevr == yes", {"all": ["age > 50", "agee < 90"]}]})
    assert node is None
    assert [p.split(": ", 1)[0] for p in problems] == ["('any', 0)@0", "('any', 1, 'all', 1)@0"]
