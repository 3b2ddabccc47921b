"""Three-valued evaluation of a condition for an unfinished questionnaire.

An answer is present, absent (its question was not asked) or pending (it may still be asked);
``and``/``or``/``not`` follow Kleene's logic and ``count``/``sum`` carry intervals.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from triage.conditions.tree import (
    And,
    Answer,
    Compare,
    Cond,
    Count,
    Has,
    Is,
    Not,
    Number,
    NumExpr,
    Or,
    QuestionShape,
)

# --------------------------------------------------------------------------- three-valued eval

UNKNOWN = None  # the third truth value
Truth = bool | None


@dataclass(frozen=True, slots=True)
class State:
    """Answers so far. A question in neither ``answers`` nor ``pending`` is absent."""

    answers: Mapping[str, Any]
    pending: frozenset[str] | set[str]
    shapes: Mapping[str, QuestionShape]


def truth(node: Cond, s: State) -> Truth:
    if isinstance(node, Is):
        if node.question in s.pending:
            # unknown unless every possible answer gives the same result
            shape = s.shapes[node.question]
            hits = sum(1 for c in shape.choices if c in node.options)
            if node.negate:  # ``not in``: the choices outside the options hold
                hits = len(shape.choices) - hits
            if hits == 0:
                return False
            if hits == len(shape.choices):
                return True
            return UNKNOWN
        v = s.answers.get(node.question)
        if v is None:
            return False
        return (v not in node.options) if node.negate else (v in node.options)
    if isinstance(node, And):
        result: Truth = True
        for item in node.items:
            t = truth(item, s)
            if t is False:
                return False
            if t is UNKNOWN:
                result = UNKNOWN
        return result
    if isinstance(node, Or):
        result = False
        for item in node.items:
            t = truth(item, s)
            if t is True:
                return True
            if t is UNKNOWN:
                result = UNKNOWN
        return result
    if isinstance(node, Not):
        t = truth(node.item, s)
        return None if t is None else not t
    if isinstance(node, Compare):
        return _compare(node, s)
    if isinstance(node, Has):
        if node.question in s.pending:
            return UNKNOWN
        v = s.answers.get(node.question)
        if v is None:
            return False
        return (node.option not in v) if node.negate else (node.option in v)
    return node.value  # Const


def _compare(node: Compare, s: State) -> Truth:
    left = interval(node.left, s)
    right = interval(node.right, s)
    if left is None or right is None:  # an absent answer compared directly
        return False
    (a, b), (c, d) = left, right
    op = node.op
    if op == "<":
        return True if b < c else False if a >= d else UNKNOWN
    if op == "<=":
        return True if b <= c else False if a > d else UNKNOWN
    if op == ">":
        return True if a > d else False if b <= c else UNKNOWN
    if op == ">=":
        return True if a >= d else False if b < c else UNKNOWN
    equal_certain = a == b == c == d
    disjoint = b < c or d < a
    if op == "==":
        return True if equal_certain else False if disjoint else UNKNOWN
    return False if equal_certain else True if disjoint else UNKNOWN  # !=


def interval(node: NumExpr, s: State, *, in_sum: bool = False) -> tuple[float, float] | None:
    """The range a numeric expression can still take; None for an absent direct answer."""
    if isinstance(node, Number):
        return (node.value, node.value)
    if isinstance(node, Answer):
        if node.question in s.pending:
            shape = s.shapes[node.question]
            lo = shape.min if shape.min is not None else float("-inf")
            hi = shape.max if shape.max is not None else float("inf")
            return (min(lo, 0.0), max(hi, 0.0)) if in_sum else (lo, hi)
        v = s.answers.get(node.question)
        if v is None:
            return (0.0, 0.0) if in_sum else None
        return (float(v), float(v))
    if isinstance(node, Count):
        lo = hi = 0.0
        for item in node.items:
            t = truth(item, s)
            if t is True:
                lo += 1
                hi += 1
            elif t is UNKNOWN:
                hi += 1
        return (lo, hi)
    lo = hi = 0.0
    for term in node.items:
        r = interval(term, s, in_sum=True)
        assert r is not None
        lo += r[0]
        hi += r[1]
    return (lo, hi)
