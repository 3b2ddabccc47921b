"""Three-valued evaluation of a condition for an unfinished questionnaire.

An answer is present, absent (its question was not asked) or pending (it may still be asked);
``and``/``or``/``not`` follow Kleene's logic and ``count``/``sum`` carry intervals.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from triage.conditions.tree import (
    NUMBER,
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

# --------------------------------------------------------------------------- three-valued eval

UNKNOWN = None  # the third truth value
Truth = bool | None


@dataclass(frozen=True, slots=True)
class State:
    """Answers so far. A question in neither ``answers`` nor ``pending`` is absent."""

    answers: Mapping[str, Any]
    pending: frozenset[str] | set[str]
    shapes: Mapping[str, QuestionShape]
    # id(comparison) -> (the comparison, its truth): a score is one node shared by every
    # condition that compares it (and a chain of scores reads the one before more than once),
    # so the rules of a pack read a few hundred nodes several thousand times. Kept per state,
    # as its answers are: a state is not to outlive a change of the answers it was made with.
    # The node is kept with its truth so that its id is not reused while the state lives.
    memo: dict[int, tuple[Compare, Truth]] = field(default_factory=dict, compare=False,
                                                   repr=False)


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
        known = s.memo.get(id(node))
        if known is None:
            known = s.memo[id(node)] = (node, _compare(node, s))
        return known[1]
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


# ------------------------------------------------------------------- what is known, folded in


def with_answer(node: Cond, question: str, value: Any,
                shapes: Mapping[str, QuestionShape]) -> Cond:
    """``node`` with the answer to ``question`` fixed (``None``: absent) and folded in.

    Every part that then reads no question becomes a constant, as does a comparison that the
    answers still open can no longer change; ``and``/``or``/``not`` of constants are worked
    out and a ``count`` drops the items that are false. Two answers that give the same tree
    cannot be told apart by any other answers: this is how an answer is shown to change
    nothing about a condition (an answer to a question that did not apply, such as "none of
    these", against no answer at all)."""
    s = State({} if value is None else {question: value}, frozenset(), shapes)
    return _fold(node, (question,), None, s)


def with_answers(node: Cond, questions: Collection[str], answers: Mapping[str, Any],
                 shapes: Mapping[str, QuestionShape]) -> Cond:
    """:func:`with_answer` for each of ``questions`` at once (those not in ``answers``:
    absent), in one walk of the condition."""
    return _fold(node, questions, None, State(answers, frozenset(), shapes))


def changes_nothing(node: Cond, question: str, value: Any,
                    shapes: Mapping[str, QuestionShape]) -> bool:
    """Whether ``node`` is the same with ``value`` answered to ``question`` as with the
    question not answered, whatever the other answers are (a sufficient test: the two
    folded conditions are the same, see :func:`with_answer`)."""
    return with_answer(node, question, value, shapes) == with_answer(node, question, None,
                                                                     shapes)


def with_option(node: Cond, question: str, option: str, chosen: bool,
                shapes: Mapping[str, QuestionShape]) -> Cond:
    """``node`` knowing only whether ``option`` of the multiple choice ``question`` (which is
    answered) is chosen, folded in as by :func:`with_answer`: a multiple choice can so be
    settled one option at a time."""
    return _fold(node, (question,), (option, chosen), State({}, frozenset(), shapes))


def _fold(node: Cond, known: Collection[str], option: tuple[str, bool] | None,
          s: State) -> Cond:
    """``node`` with what is known of the ``known`` questions folded in (their answers in
    ``s``, else absent; with ``option``, of the one question only whether that option is
    chosen); ``node`` itself (the same object) when it reads none of them, so that nothing
    is rebuilt or compared twice (and no set of questions read is worked out at every level:
    large counts made that the slow part)."""
    if isinstance(node, Has):
        if node.question not in known:
            return node
        if option is not None:  # one option known
            return node if node.option != option[0] else Const(option[1] is not node.negate)
        return Const(truth(node, s) is True)
    if isinstance(node, Is):
        if node.question not in known or option is not None:
            return node
        return Const(truth(node, s) is True)
    if isinstance(node, And | Or):
        stop = isinstance(node, Or)  # the constant that decides: true in an or
        items: list[Cond] = []
        changed = False
        for item in node.items:
            folded = _fold(item, known, option, s)
            if folded is not item:
                changed = True
                if isinstance(folded, Const):
                    if folded.value is stop:
                        return Const(stop)
                    continue  # the neutral constant
            items.append(folded)
        if not changed:
            return node
        if not items:
            return Const(not stop)
        return items[0] if len(items) == 1 else (Or if stop else And)(tuple(items))
    if isinstance(node, Not):
        inner = _fold(node.item, known, option, s)
        if inner is node.item:
            return node
        return Const(not inner.value) if isinstance(inner, Const) else Not(inner)
    if isinstance(node, Compare):
        # an answer not given, or given as None, compared directly: false, as truth() has
        # it (None is no answer); folding None as 0 made "age < 18" hold for no age
        if option is None and any(side is not None and side in known
                                  and s.answers.get(side) is None
                                  for side in (_direct(node.left), _direct(node.right))):
            return Const(False)
        left = _fold_number(node.left, known, option, s)
        right = _fold_number(node.right, known, option, s)
        if left is node.left and right is node.right:
            return node
        return _settled(Compare(node.op, left, right), s.shapes)
    return node  # Const


def _settled(node: Compare, shapes: Mapping[str, QuestionShape]) -> Cond:
    """``node``, or the constant it is whatever the answers it still reads turn out to be,
    not answering included (a count that already has enough items true)."""
    left, right = _bounds(node.left, shapes), _bounds(node.right, shapes)
    if left is None or right is None:
        return node
    # the two ranges as two pending number answers: truth's own comparison of ranges
    ranges = {side: QuestionShape(side, NUMBER, min=lo, max=hi)
              for side, (lo, hi) in (("<left>", left), ("<right>", right))}
    t = _compare(Compare(node.op, Answer("<left>"), Answer("<right>")),
                 State({}, frozenset(ranges), ranges))
    return node if t is None else Const(t)


def _bounds(node: NumExpr, shapes: Mapping[str, QuestionShape],
            ) -> tuple[float, float] | None:
    """The range ``node`` can take, an item that is not a constant being true or false and
    an answer in a sum being absent (0) or anywhere in its question's range; None for an
    answer compared directly (absent, the comparison is false: no range says that)."""
    if isinstance(node, Number):
        return (node.value, node.value)
    if isinstance(node, Count):
        known = sum(1 for i in node.items if isinstance(i, Const) and i.value)
        unknown = sum(1 for i in node.items if not isinstance(i, Const))
        return (float(known), float(known + unknown))
    if isinstance(node, Sum):
        lo = hi = 0.0
        for item in node.items:
            if isinstance(item, Answer):
                shape = shapes[item.question]
                r = (min(shape.min if shape.min is not None else float("-inf"), 0.0),
                     max(shape.max if shape.max is not None else float("inf"), 0.0))
            else:
                found = _bounds(item, shapes)
                if found is None:
                    return None
                r = found
            lo += r[0]
            hi += r[1]
        return (lo, hi)
    return None


def _direct(node: NumExpr) -> str | None:
    return node.question if isinstance(node, Answer) else None


def _fold_number(node: NumExpr, known: Collection[str], option: tuple[str, bool] | None,
                 s: State) -> NumExpr:
    if isinstance(node, Answer):
        if node.question not in known or option is not None:
            return node
        v = s.answers.get(node.question)
        return Number(0.0 if v is None else float(v))  # absent (or None) counts 0 in a sum
    if isinstance(node, Count):
        items = [_fold(i, known, option, s) for i in node.items]
        if all(f is i for f, i in zip(items, node.items, strict=True)):
            return node
        return Count(tuple(f for f in items  # a false item counts nothing
                           if not (isinstance(f, Const) and f.value is False)))
    if isinstance(node, Sum):
        terms = [_fold_number(i, known, option, s) for i in node.items]
        if all(f is i for f, i in zip(terms, node.items, strict=True)):
            return node
        return Sum(tuple(terms))
    return node
