"""Whether a condition can hold at all: a small search over each question's answer classes."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

from triage.conditions.tree import (
    MULTI,
    SINGLE,
    YES_NO,
    Cond,
    QuestionShape,
    numeric_thresholds,
    questions_read,
)
from triage.conditions.truth import State, truth

# --------------------------------------------------------------------------- satisfiability

MAX_ENUMERATION = 20_000  # answer combinations tried before a condition counts as possible


def domain(shape: QuestionShape, thresholds: Iterable[float], *, can_be_absent: bool) -> list[Any]:
    """Representative answers of a question: every choice, or numbers around each threshold."""
    values: list[Any]
    if shape.type in (YES_NO, SINGLE):
        values = list(shape.choices)
    elif shape.type == MULTI:
        opts = shape.options
        if len(opts) <= 6:
            values = [frozenset(c) for r in range(len(opts) + 1)
                      for c in itertools.combinations(opts, r)]
        else:
            values = [frozenset(), frozenset(opts), *(frozenset({o}) for o in opts)]
    else:
        lo = shape.min if shape.min is not None else 0.0
        hi = shape.max if shape.max is not None else lo + 1
        points = {lo, hi}
        for t in thresholds:
            for v in (t - 1, t - 0.5, t, t + 0.5, t + 1):
                if lo <= v <= hi:
                    points.add(v)
        values = sorted(points)
    if can_be_absent:
        values.append(None)
    return values


def satisfiable(cond: Cond, shapes: dict[str, QuestionShape], gates: dict[str, Cond | None],
                reachable: dict[str, bool]) -> bool:
    """Whether some answers make ``cond`` true; True when there are too many to try."""
    reads = sorted(questions_read(cond))
    thresholds = numeric_thresholds(cond)
    domains = []
    for qid in reads:
        if not reachable.get(qid, True):
            domains.append([None])
        else:
            domains.append(domain(shapes[qid], thresholds.get(qid, ()),
                                  can_be_absent=gates.get(qid) is not None))
    total = 1
    for d in domains:
        total *= len(d)
    if total > MAX_ENUMERATION:
        return True
    for combo in itertools.product(*domains):
        answers = {q: v for q, v in zip(reads, combo, strict=True) if v is not None}
        if truth(cond, State(answers, frozenset(), shapes)):
            return True
    return False
