"""The answer space of a pack: representative answers per question, and questionnaire paths.

A *path* is what one person sees: the engine's own :func:`~triage.engine.evaluate.next_question`
picks
each question, the person gives one answer, until the engine asks nothing more. Branching over
every answer at every step gives every path.

To keep the space finite, each question's answers are cut into classes on which every
condition of the pack (rules and ``ask_if``) is constant, and one representative per class is
tried:

* yes/no and single choice: every answer;
* multiple choice: every subset of the options that some condition mentions (options no
  condition mentions cannot change any result);
* number: each constant the question is compared with, and one value in each open range between
  them ("the ranges the pack's thresholds create"), inside ``min``..``max``.

The classes are *exact* (trying one representative is as good as trying all answers) when
every number question is only compared directly with constants (``age >= 55``) and no multiple
choice question has more than :data:`MAX_EXACT_OPTIONS` mentioned options. Otherwise
:attr:`Domains.inexact` says why, and results over representatives are samples, not proofs.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from triage.conditions.tree import (
    MULTI,
    NUMBER,
    And,
    Answer,
    Compare,
    Cond,
    Count,
    Has,
    Not,
    Number,
    NumExpr,
    Or,
    Sum,
    numeric_thresholds,
)
from triage.engine.evaluate import next_question
from triage.pack.compiled import CompiledPack

MAX_EXACT_OPTIONS = 8  # 2**8 subsets of a multiple-choice question's mentioned options


def all_conditions(pack: CompiledPack) -> list[Cond]:
    """Every condition of a pack: rule conditions and ``ask_if`` gates."""
    out = [r.when for r in pack.rules]
    out += [q.ask_if for q in pack.questions if q.ask_if is not None]
    return out


def _answers_in(node: NumExpr) -> set[str]:
    """Number questions read directly by a numeric expression (not through count())."""
    if isinstance(node, Answer):
        return {node.question}
    if isinstance(node, Sum):
        out: set[str] = set()
        for item in node.items:
            out |= _answers_in(item)
        return out
    return set()


def _walk(node: Cond | NumExpr) -> Iterator[Cond | NumExpr]:
    stack: list[Cond | NumExpr] = [node]
    while stack:
        n = stack.pop()
        yield n
        if isinstance(n, And | Or | Count | Sum):
            stack.extend(n.items)
        elif isinstance(n, Not):
            stack.append(n.item)
        elif isinstance(n, Compare):
            stack.extend((n.left, n.right))


def _is_direct(node: Compare) -> bool:
    """``answer OP constant`` (either way round): the case thresholds split exactly."""
    sides = (node.left, node.right)
    return any(isinstance(a, Answer) and isinstance(b, Number)
               for a, b in (sides, sides[::-1]))


@dataclass
class Domains:
    """Representative answers of every question of a pack (see the module docstring)."""

    pack: CompiledPack
    thresholds: dict[str, list[float]] = field(default_factory=dict)
    mentioned: dict[str, tuple[str, ...]] = field(default_factory=dict)
    inexact: list[str] = field(default_factory=list)
    _values: dict[str, list[Any]] = field(default_factory=dict)
    # options and number limits to try besides those the conditions use (triage diff: the
    # answers another pack cannot take, which no condition of this one may read)
    also_options: Mapping[str, Collection[str]] = field(default_factory=dict)
    also_thresholds: Mapping[str, Collection[float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        thresholds: dict[str, set[float]] = {q: set(ts) for q, ts in self.also_thresholds.items()}
        mentioned: dict[str, set[str]] = {q: set(os) for q, os in self.also_options.items()}
        loose: set[str] = set()
        for cond in all_conditions(self.pack):
            for qid, ts in numeric_thresholds(cond).items():
                thresholds.setdefault(qid, set()).update(ts)
            for n in _walk(cond):
                if isinstance(n, Has):
                    mentioned.setdefault(n.question, set()).add(n.option)
                elif isinstance(n, Compare) and not _is_direct(n):
                    loose |= _answers_in(n.left) | _answers_in(n.right)
        self.thresholds = {q: sorted(ts) for q, ts in thresholds.items()}
        for q in self.pack.questions:
            if q.type == MULTI:
                # keep the pack's option order so counter-examples read naturally
                self.mentioned[q.id] = tuple(o.id for o in q.options
                                             if o.id in mentioned.get(q.id, set()))
                if len(self.mentioned[q.id]) > MAX_EXACT_OPTIONS:
                    self.inexact.append(
                        f"'{q.id}': {len(self.mentioned[q.id])} options are used by conditions; "
                        f"only some of their combinations are tried")
        for name in sorted(loose):
            self.inexact.append(f"'{name}': compared through sum() or with another answer; "
                                f"its ranges are sampled, not split exactly")
        self._loose = loose
        for q in self.pack.questions:
            self._values[q.id] = self._compute(q.id)

    @property
    def exact(self) -> bool:
        return not self.inexact

    def values(self, qid: str) -> list[Any]:
        return self._values[qid]

    def _compute(self, qid: str) -> list[Any]:
        q = self.pack.question_by_id[qid]
        if q.type == MULTI:
            opts = self.mentioned[qid]
            if len(opts) <= MAX_EXACT_OPTIONS:
                return [frozenset(c) for r in range(len(opts) + 1)
                        for c in itertools.combinations(opts, r)]
            return [frozenset(), frozenset(opts), *(frozenset({o}) for o in opts),
                    *(frozenset(p) for p in itertools.combinations(opts, 2))]
        if q.type != NUMBER:
            return list(q.choices)
        lo = q.min if q.min is not None else 0.0
        hi = q.max if q.max is not None else lo + 100.0
        return number_representatives(lo, hi, self.thresholds.get(qid, []), q.integer,
                                      loose=qid in self._loose)


def _valid(v: float, lo: float, hi: float, integer: bool) -> bool:
    return lo <= v <= hi and (not integer or float(v).is_integer())


def number_representatives(lo: float, hi: float, thresholds: list[float], integer: bool,
                           *, loose: bool = False) -> list[Any]:
    """One answer per range the thresholds create, and each threshold itself.

    The range below the first threshold is represented by the value just below it (what a
    clinician would try: 54 for ``age >= 55``); every other range by the value just above its
    lower threshold.
    """
    inside = sorted({t for t in thresholds if lo <= t <= hi})
    step = 1.0 if integer else None
    points: list[float] = []

    def above(a: float, b: float) -> float | None:
        """The smallest valid answer in the open range (a, b), or None."""
        if integer:
            v = math.floor(a) + 1.0
            return v if v < b and _valid(v, lo, hi, True) else None
        return (a + b) / 2 if a < b else None

    def below(b: float) -> float | None:
        """The largest valid answer in [lo, b)."""
        if integer:
            v = math.ceil(b) - 1.0
            return v if v >= lo else None
        return max(lo, b - 1.0) if lo < b else None

    if not inside:
        points.append(lo if not integer else float(math.ceil(lo)))
    else:
        first = inside[0]
        if lo < first:
            v = below(first)
            if v is not None:
                points.append(v)
        for a, b in itertools.pairwise(inside):
            points.append(a)
            v = above(a, b)
            if v is not None:
                points.append(v)
        points.append(inside[-1])
        if inside[-1] < hi:
            v = above(inside[-1], hi + (step or 0.0)) if integer else (inside[-1] + hi) / 2
            if v is not None and v <= hi:
                points.append(v)
    if loose:  # no exact split exists: add the ends and a spread of values as samples
        spread = [lo, hi, *(lo + (hi - lo) * k / 8 for k in range(1, 8))]
        points += [float(round(v)) if integer else v for v in spread]
    out = sorted({p for p in points if _valid(p, lo, hi, integer)})
    return [int(p) if integer else p for p in out]


# --------------------------------------------------------------------------- paths


def explore(pack: CompiledPack, domains: Domains, start: Mapping[str, Any] | None = None,
            limit: int | None = None) -> Iterator[dict[str, Any]]:
    """Every path from ``start`` (depth first), as the answers given in asking order.

    Stops silently after ``limit`` paths; callers compare the count with the limit.
    """
    stack: list[dict[str, Any]] = [dict(start or {})]
    produced = 0
    while stack:
        answers = stack.pop()
        q = next_question(pack, answers)
        if q is None:
            yield answers
            produced += 1
            if limit is not None and produced >= limit:
                return
            continue
        for v in reversed(domains.values(q.id)):
            stack.append({**answers, q.id: v})


Favour = Mapping[str, list[Any]]


def random_path(pack: CompiledPack, domains: Domains, rng: random.Random,
                start: Mapping[str, Any] | None = None,
                favour: Favour | None = None) -> dict[str, Any]:
    """One random path: answers drawn from the question's representatives (uniformly, except
    that multiple choice answers are mostly empty or a single option). ``favour`` gives, per
    question, answers to draw from instead (a search for a path where some rule fires)."""
    answers = dict(start or {})
    while True:
        q = next_question(pack, answers)
        if q is None:
            return answers
        wanted = favour.get(q.id) if favour else None
        if wanted and rng.random() < 0.9:
            answers[q.id] = rng.choice(wanted)
            continue
        values = domains.values(q.id)
        mentioned = domains.mentioned.get(q.id, ())
        draw = rng.random()
        if q.type == MULTI and mentioned and draw < 0.8:
            # people tick few boxes: a uniform subset of ten red-flag options would almost
            # always contain one, and the therapy paths would hardly ever be sampled
            answers[q.id] = frozenset() if draw < 0.4 else frozenset({rng.choice(mentioned)})
        else:
            answers[q.id] = rng.choice(values)
