"""Conditions as Python source: parentheses only where Python's precedence needs them, and
the same truth as the interpreter however the parts nest."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from triage.conditions.to_python import AND, ATOM, OR, to_python
from triage.conditions.tree import (
    And,
    Answer,
    Compare,
    Cond,
    Const,
    Count,
    Has,
    Is,
    Not,
    Number,
    Or,
    QuestionShape,
    Sum,
)
from triage.conditions.truth import State, truth

SHAPES = {
    "fever": QuestionShape("fever", "yes_no"),
    "chills": QuestionShape("chills", "yes_no"),
    "age": QuestionShape("age", "number", min=0, max=120),
    "area": QuestionShape("area", "single", ("neck", "low_back", "knee")),
    "problems": QuestionShape("problems", "multi", ("stiffness", "strain", "overuse", "sciatica")),
}
FLAGS = frozenset({"fever", "chills"})
PROBLEMS = ["stiffness", "strain", "overuse", "sciatica"]


def name(question: str) -> str:
    return question


FEVER, CHILLS = Is("fever", frozenset({"yes"})), Is("chills", frozenset({"yes"}))
NECK = Is("area", frozenset({"neck"}))


@pytest.mark.parametrize(("node", "within", "expected"), [
    (And((Or((FEVER, CHILLS)), NECK)), OR, "(fever or chills) and area == 'neck'"),
    (Or((And((FEVER, CHILLS)), NECK)), OR, "fever and chills or area == 'neck'"),
    (And((FEVER, And((CHILLS, NECK)))), OR, "fever and chills and area == 'neck'"),
    (Not(And((FEVER, NECK))), OR, "not (fever and area == 'neck')"),
    (Not(Not(NECK)), OR, "not not area == 'neck'"),
    (Or((FEVER, NECK)), AND, "(fever or area == 'neck')"),
    (And((FEVER, NECK)), AND, "fever and area == 'neck'"),
    (And((FEVER, NECK)), ATOM, "(fever and area == 'neck')"),
    (FEVER, ATOM, "fever"),
    (Compare(">=", Count((FEVER, NECK)), Number(2.0)), OR, "fever + (area == 'neck') >= 2"),
    (Compare("<", Sum((Answer("age"), Count((FEVER, CHILLS)), Number(-1.0))), Number(40.0)), OR,
     "age + (fever + chills) + -1 < 40"),
])
def test_parentheses_only_where_precedence_needs_them(node: Cond, within: int,
                                                      expected: str) -> None:
    # every pair of parentheses makes Python's parser read what is inside again: compiling a
    # 6,000-rule pack took a fifth longer with a pair around every part
    present = frozenset(SHAPES)
    assert to_python(node, name, present=present, flags=FLAGS, within=within) == expected


def test_absent_answers_are_guarded_and_the_guard_binds_as_and() -> None:
    assert to_python(Or((NECK, Is("area", frozenset({"knee"}), negate=True))), name,
                     within=OR) == "area == 'neck' or area is not None and area != 'knee'"
    assert to_python(Not(Compare(">", Answer("age"), Number(3.0))), name,
                     within=OR) == "not (age is not None and age > 3)"


STIFF, STRAIN, OVERUSE = (Has("problems", p) for p in PROBLEMS[:3])
EVERY = Count(tuple(Has("problems", p) for p in PROBLEMS))


@pytest.mark.parametrize(("node", "present", "expected"), [
    (Or((STIFF, FEVER, STRAIN, OVERUSE)), True,
     "not problems.isdisjoint(('stiffness', 'strain', 'overuse')) or fever"),
    (Or((STIFF, STRAIN, OVERUSE)), False,
     "problems is not None and not problems.isdisjoint(('stiffness', 'strain', 'overuse'))"),
    (Or((STIFF, STRAIN)), True, "'stiffness' in problems or 'strain' in problems"),
    (Or((STIFF, Has("problems", "strain", negate=True), OVERUSE)), True,
     "'stiffness' in problems or 'strain' not in problems or 'overuse' in problems"),
    (Compare(">=", Count((FEVER, CHILLS)), Number(1.0)), True, "fever or chills"),
    (Or((NECK, FEVER, Is("area", frozenset({"knee"})))), False,
     "area in {'knee', 'neck'} or fever is True"),
    (Compare(">=", Count((NECK, Is("area", frozenset({"knee", "low_back"})))), Number(1.0)),
     True, "area in {'knee', 'low_back', 'neck'}"),
    (Compare(">", Count((STIFF, STRAIN, OVERUSE)), Number(0.0)), True,
     "not problems.isdisjoint(('stiffness', 'strain', 'overuse'))"),
    (Compare(">=", Count((FEVER, CHILLS)), Number(2.0)), True, "fever + chills >= 2"),
])
def test_any_of_several_options_is_one_test(node: Cond, present: bool, expected: str) -> None:
    """``count(...) >= 1`` is "any of"; "any of" three or more options of one multiple-choice
    answer is one ``isdisjoint`` call, and of a single choice one set lookup: packs test areas
    of the body and times since an injury so, in nearly every gate and red flag."""
    assert to_python(node, name, present=frozenset(SHAPES) if present else frozenset(),
                     flags=FLAGS, within=OR) == expected


LEAF = st.one_of(
    st.builds(Is, st.sampled_from(["fever", "chills"]),
              st.frozensets(st.sampled_from(["yes", "no"]), min_size=1), st.booleans()),
    st.builds(Is, st.just("area"),
              st.frozensets(st.sampled_from(["neck", "low_back", "knee"]), min_size=1),
              st.booleans()),
    st.builds(Has, st.just("problems"), st.sampled_from(PROBLEMS), st.booleans()),
    # "any of" several options of one answer, which compiles to one test
    st.lists(st.sampled_from(PROBLEMS), min_size=3, max_size=4, unique=True).map(
        lambda options: Or(tuple(Has("problems", o) for o in options))),
    st.builds(Compare, st.sampled_from(["<", "<=", ">", ">=", "==", "!="]),
              st.just(Answer("age")), st.builds(Number, st.integers(-5, 125).map(float))),
    st.builds(Const, st.booleans()),
)


# ``count`` of every option of one multiple-choice answer, each once, in any order (a pack's
# count of the places chosen), which compiles to the answer's size where its answers are sets
# of those options
EVERY_PROBLEM = st.permutations(PROBLEMS).map(
    lambda options: Count(tuple(Has("problems", o) for o in options)))


def _with_numbers(conds: st.SearchStrategy[Cond]) -> st.SearchStrategy[Cond]:
    count = st.one_of(st.builds(Count, st.lists(conds, min_size=1, max_size=3).map(tuple)),
                      EVERY_PROBLEM)
    total = st.builds(Sum, st.lists(st.one_of(st.just(Answer("age")), count,
                                              st.builds(Number, st.integers(-3, 3).map(float))),
                                    min_size=1, max_size=3).map(tuple))
    # 0 and 1 most often: "none of them" and "any of them" compile to their own tests
    bound = st.one_of(st.sampled_from([0.0, 1.0, 2.0]),
                      st.builds(Number, st.integers(-2, 60).map(float)).map(lambda n: n.value))
    return st.builds(Compare, st.sampled_from(["<", "<=", ">", ">=", "==", "!="]),
                     st.one_of(count, total), bound.map(Number))


TREES = st.recursive(LEAF, lambda inner: st.one_of(
    st.builds(And, st.lists(inner, min_size=2, max_size=3).map(tuple)),
    st.builds(Or, st.lists(inner, min_size=2, max_size=3).map(tuple)),
    st.builds(Not, inner), _with_numbers(inner)), max_leaves=12)
ANSWERS = st.fixed_dictionaries({}, optional={
    "fever": st.sampled_from(["yes", "no"]), "chills": st.sampled_from(["yes", "no"]),
    "age": st.integers(0, 120), "area": st.sampled_from(["neck", "low_back", "knee"]),
    "problems": st.frozensets(st.sampled_from(PROBLEMS))})
COMPLETE = st.fixed_dictionaries({
    "fever": st.sampled_from(["yes", "no"]), "chills": st.sampled_from(["yes", "no"]),
    "age": st.integers(0, 120), "area": st.sampled_from(["neck", "low_back", "knee"]),
    "problems": st.frozensets(st.sampled_from(PROBLEMS))})


def run(code: str, answers: dict[str, Any]) -> Any:
    local = {q: answers.get(q) for q in SHAPES}
    return eval(code, {}, local)  # only ever source generated from the trees above


@settings(max_examples=400, deadline=None)
@given(node=TREES, answers=ANSWERS, within=st.sampled_from([OR, AND, ATOM]))
def test_guarded_source_equals_the_interpreter_however_parts_nest(
        node: Cond, answers: dict[str, Any], within: int) -> None:
    expected = truth(node, State(answers, frozenset(), SHAPES))
    code = to_python(node, name, within=within)
    assert bool(run(code, answers)) is expected, code
    # as an item of ``and``/``or`` in a larger test, where precedence matters most
    assert bool(run(f"True and {to_python(node, name, within=AND)} and True", answers)) \
        is expected
    assert bool(run(f"not {to_python(node, name, within=ATOM)}", answers)) is not expected


@settings(max_examples=400, deadline=None)
@given(node=TREES, answers=COMPLETE)
def test_unguarded_source_over_truth_values_equals_the_interpreter(
        node: Cond, answers: dict[str, Any]) -> None:
    expected = truth(node, State(answers, frozenset(), SHAPES))
    held = {q: (v == "yes" if q in FLAGS else v) for q, v in answers.items()}
    code = to_python(node, name, present=frozenset(SHAPES), flags=FLAGS, within=OR)
    assert bool(run(code, held)) is expected, code


EVERY_OPTION = {"problems": frozenset(PROBLEMS)}


@settings(max_examples=400, deadline=None)
@given(node=TREES, answers=ANSWERS)
def test_answers_known_to_be_sets_of_their_options_read_the_same(
        node: Cond, answers: dict[str, Any]) -> None:
    # a caller that guarantees a multiple-choice answer is a set of its options (or None)
    # gets shorter tests ("any place": the set itself; how many places: its size)
    expected = truth(node, State(answers, frozenset(), SHAPES))
    code = to_python(node, name, within=OR, every_option=EVERY_OPTION)
    assert bool(run(code, answers)) is expected, code
    if set(answers) == set(SHAPES):
        held = {q: (v == "yes" if q in FLAGS else v) for q, v in answers.items()}
        code = to_python(node, name, present=frozenset(SHAPES), flags=FLAGS, within=OR,
                         every_option=EVERY_OPTION)
        assert bool(run(code, held)) is expected, code


@pytest.mark.parametrize(("node", "present", "expected"), [
    (Compare("==", Count((STIFF, STRAIN)), Number(0.0)), True,
     "not ('stiffness' in problems or 'strain' in problems)"),
    (Compare("<", EVERY, Number(1.0)), True, "not problems"),
    (Compare("<=", EVERY, Number(0.0)), False, "not problems"),
    (Compare(">=", EVERY, Number(2.0)), True, "len(problems) >= 2"),
    (Compare(">=", EVERY, Number(2.0)), False, "len(problems or ()) >= 2"),
    # one option counted twice, or one left out: not the answer's size
    (Compare(">=", Count((*EVERY.items, STIFF)), Number(2.0)), True,
     "('stiffness' in problems) + ('strain' in problems) + ('overuse' in problems)"
     " + ('sciatica' in problems) + ('stiffness' in problems) >= 2"),
    (Compare(">=", Count(EVERY.items[:3]), Number(2.0)), True,
     "('stiffness' in problems) + ('strain' in problems) + ('overuse' in problems) >= 2"),
])
def test_counts_of_options_compile_to_the_shortest_test(node: Cond, present: bool,
                                                        expected: str) -> None:
    assert to_python(node, name, present=frozenset(SHAPES) if present else frozenset(),
                     flags=FLAGS, within=OR, every_option=EVERY_OPTION) == expected


def test_a_shared_comparison_is_made_once_per_memo_and_reads_the_same() -> None:
    # a large pack's conditions share their comparisons (see the quick reader): each is made
    # into source once per way of reading answers
    tree = Or((And((FEVER, NECK)), Not(NECK), Compare(">", Answer("age"), Number(3.0))))
    memo: dict[int, tuple[str, int]] = {}
    first = to_python(tree, name, within=OR, memo=memo)
    assert first == to_python(tree, name, within=OR)
    assert set(memo) == {id(FEVER), id(NECK), id(tree.items[2])}
    memo[id(NECK)] = ("area_seen", ATOM)  # what the memo holds is what is used
    assert to_python(tree, name, within=OR, memo=memo) == \
        "fever == 'yes' and area_seen or not area_seen or age is not None and age > 3"
