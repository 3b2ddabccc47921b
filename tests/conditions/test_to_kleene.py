"""Compiled three-valued conditions (``to_kleene``) against the interpreter (``truth``).

Random condition trees over questions of every type (so ``not``, ``sum``, ``==``/``!=`` and
comparisons across several questions are covered even where no pack uses them), random
states (each question answered, absent or pending).
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from triage.conditions.to_kleene import to_kleene
from triage.conditions.tree import (
    MULTI,
    NUMBER,
    SINGLE,
    YES_NO,
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
    NumExpr,
    Or,
    QuestionShape,
    Sum,
)
from triage.conditions.truth import State, truth

SHAPES = {
    "fever": QuestionShape("fever", YES_NO),
    "cough": QuestionShape("cough", YES_NO),
    "area": QuestionShape("area", SINGLE, ("neck", "back", "knee")),
    "signs": QuestionShape("signs", MULTI, ("numb", "weak", "hot")),
    "age": QuestionShape("age", NUMBER, min=0, max=120),
    "pain": QuestionShape("pain", NUMBER, min=0, max=10),
}
NAMES = {q: f"q{i}" for i, q in enumerate(SHAPES)}
OPS = ("<", "<=", ">", ">=", "==", "!=")


def var(q: str) -> str:
    return NAMES[q]


def pending(q: str) -> str:
    return "p" + NAMES[q][1:]


def leaf() -> st.SearchStrategy[Cond]:
    yes_no = st.builds(Is, st.sampled_from(["fever", "cough"]),
                       st.frozensets(st.sampled_from(["yes", "no"]), min_size=1),
                       st.booleans())
    single = st.builds(Is, st.just("area"),
                       st.frozensets(st.sampled_from(SHAPES["area"].options), min_size=1),
                       st.booleans())
    has = st.builds(Has, st.just("signs"), st.sampled_from(SHAPES["signs"].options),
                    st.booleans())
    compare = st.builds(Compare, st.sampled_from(OPS),
                        st.builds(Answer, st.sampled_from(["age", "pain"])),
                        st.builds(Number, st.sampled_from([0.0, 5.0, 65.0, 120.0])))
    return st.one_of(yes_no, single, has, compare, st.builds(Const, st.booleans()))


def conditions() -> st.SearchStrategy[Cond]:
    def extend(inner: st.SearchStrategy[Cond]) -> st.SearchStrategy[Cond]:
        numbers: st.SearchStrategy[NumExpr] = st.one_of(
            st.builds(Answer, st.sampled_from(["age", "pain"])),
            st.builds(Number, st.sampled_from([0.0, 1.0, 2.0, 7.0, 70.0])),
            st.builds(Count, st.lists(inner, min_size=1, max_size=3).map(tuple)))
        sums = st.builds(Sum, st.lists(numbers, min_size=1, max_size=3).map(tuple))
        return st.one_of(
            st.builds(And, st.lists(inner, min_size=2, max_size=3).map(tuple)),
            st.builds(Or, st.lists(inner, min_size=2, max_size=3).map(tuple)),
            st.builds(Not, inner),
            st.builds(Compare, st.sampled_from(OPS), st.one_of(numbers, sums),
                      st.one_of(numbers, sums)),
            # answers of two questions added up (absent counts 0) and compared
            st.builds(Compare, st.sampled_from(OPS),
                      st.just(Sum((Answer("age"), Answer("pain")))),
                      st.builds(Number, st.sampled_from([0.0, 3.0, 10.0, 130.0]))))
    return st.recursive(leaf(), extend, max_leaves=8)


def value(q: str) -> st.SearchStrategy[Any]:
    shape = SHAPES[q]
    if shape.type == YES_NO:
        return st.sampled_from(["yes", "no"])
    if shape.type == SINGLE:
        return st.sampled_from(shape.options)
    if shape.type == MULTI:
        return st.frozensets(st.sampled_from(shape.options))
    assert shape.max is not None
    return st.integers(0, int(shape.max))


@st.composite
def states(draw: st.DrawFn) -> tuple[dict[str, Any], frozenset[str]]:
    answers: dict[str, Any] = {}
    waiting: set[str] = set()
    for q in SHAPES:
        kind = draw(st.sampled_from(["answered", "absent", "pending"]))
        if kind == "answered":
            answers[q] = draw(value(q))
        elif kind == "pending":
            waiting.add(q)
    return answers, frozenset(waiting)


def compiled(conds: list[Cond]) -> Any:
    body = [f"    {var(q)} = a.get({q!r})" for q in SHAPES]
    body += [f"    {pending(q)} = {q!r} in w" for q in SHAPES]
    halves = [to_kleene(c, var, pending, SHAPES) for c in conds]
    body.append("    return [" + ", ".join(f"({m}, {x})" for m, x in halves) + "]")
    namespace: dict[str, Any] = {}
    exec(compile("def f(a, w):\n" + "\n".join(body) + "\n", "<kleene>", "exec"), namespace)
    return namespace["f"]


@settings(max_examples=400)
@given(conds=st.lists(conditions(), min_size=1, max_size=3),
       state=states())
def test_compiled_three_valued_equals_truth(conds: list[Cond],
                                            state: tuple[dict[str, Any], frozenset[str]],
                                            ) -> None:
    answers, waiting = state
    got = compiled(conds)(answers, waiting)
    s = State(answers, waiting, SHAPES)
    for cond, (must, may) in zip(conds, got, strict=True):
        expected = truth(cond, s)
        assert (must, may) == (expected is True, expected is not False), cond
        assert type(must) is bool and type(may) is bool  # count() adds them up
