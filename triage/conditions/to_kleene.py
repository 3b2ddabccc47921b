"""Conditions as Python source for three-valued evaluation (answers still missing), the compiled
form of :func:`triage.conditions.truth.truth`.

A three-valued truth is held as two booleans: *must* (true whatever the pending answers turn
out to be) and *may* (not false for certain). True is (True, True), false (False, False) and
unknown (False, True). Kleene's ``and``/``or``/``not`` are then plain Python on each half:
``must(a and b) = must(a) and must(b)``, ``may(not a) = not must(a)``. ``count`` and ``sum``
carry an interval, (sum of the musts, sum of the mays).

Every question has two variables (see :func:`to_kleene`): its answer (``None`` when pending or
absent) and whether it is pending. A part of a condition that reads one question only is
compiled as its two-valued test (:func:`triage.conditions.to_python.to_python`) plus the value
``truth`` gives it while that question is pending, worked out here by ``truth`` itself, so the
two cannot disagree. Only the numeric comparisons that read several questions are compiled
interval by interval, as ``truth`` computes them. The generated ``_partial`` reads conditions
through :mod:`triage.conditions.to_atoms`, which hands such comparisons to :func:`to_kleene`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from triage.conditions.to_python import to_python
from triage.conditions.tree import (
    And,
    Answer,
    Compare,
    Cond,
    Count,
    Not,
    Number,
    NumExpr,
    Or,
    QuestionShape,
    questions_read,
)
from triage.conditions.truth import State, interval, truth

Names = Callable[[str], str]


def to_kleene(node: Cond, var: Names, pending: Names,
              shapes: Mapping[str, QuestionShape]) -> tuple[str, str]:
    """(must, may): Python sources of two boolean expressions (see the module docstring).

    ``var(q)`` names the variable holding question ``q``'s answer, ``None`` unless it applies
    and was answered; ``pending(q)`` the one that is ``True`` while it may still be asked.
    """
    read = questions_read(node)
    if len(read) <= 1:
        return _one_question(node, read, var, pending, shapes)
    if isinstance(node, And | Or):
        halves = [to_kleene(item, var, pending, shapes) for item in node.items]
        joiner = " and " if isinstance(node, And) else " or "
        return ("(" + joiner.join(m for m, _ in halves) + ")",
                "(" + joiner.join(m for _, m in halves) + ")")
    if isinstance(node, Not):
        must, may = to_kleene(node.item, var, pending, shapes)
        return f"(not {may})", f"(not {must})"
    assert isinstance(node, Compare)  # Is, Has and Const read one question at most
    return _compare(node, var, pending, shapes)


def _one_question(node: Cond, read: frozenset[str], var: Names, pending: Names,
                  shapes: Mapping[str, QuestionShape]) -> tuple[str, str]:
    """A part reading one question (or none): its two-valued test while the question is
    answered, and ``truth``'s constants while it is absent or pending."""
    settled = truth(node, State({}, frozenset(), shapes))  # the question absent
    if not read:
        return repr(settled), repr(settled)
    (question,) = read
    when_pending = truth(node, State({}, frozenset(read), shapes))
    must = False if when_pending is None else when_pending  # unknown: (False, True)
    may = True if when_pending is None else when_pending
    return (one_question_test(node, question, var, pending, settled, must),
            one_question_test(node, question, var, pending, settled, may))


def one_question_test(node: Cond, question: str, var: Names, pending: Names,
                      absent: bool | None, when_pending: bool | None) -> str:
    """``node`` (reading ``question`` only) as a boolean: its test while the question is
    answered, ``absent`` while it is absent and ``when_pending`` while it is pending (the
    answer variable is None in both)."""
    v = var(question)
    test = to_python(node, var, present=frozenset({question}))
    if absent == when_pending:
        otherwise = repr(absent)
    elif when_pending:
        otherwise = pending(question)  # (True if pending else False)
    else:
        otherwise = f"(not {pending(question)})"
    return f"({test} if {v} is not None else {otherwise})"


def _compare(node: Compare, var: Names, pending: Names, shapes: Mapping[str, QuestionShape],
             ) -> tuple[str, str]:
    """A comparison over several questions, interval against interval (see
    :func:`triage.conditions.truth.interval`)."""
    guards: list[str] = []
    a, b = _bounds(node.left, var, pending, shapes, guards, in_sum=False)
    c, d = _bounds(node.right, var, pending, shapes, guards, in_sum=False)
    must, may = compare_sources(node.op, a, b, c, d)
    guard = "".join(f"{g} and " for g in guards)  # an absent direct answer: false
    return f"({guard}{must})", f"({guard}{may})"


def compare_sources(op: str, a: str, b: str, c: str, d: str) -> tuple[str, str]:
    """(must, may) of ``[a, b] op [c, d]``: sources of the intervals' ends (see
    :func:`triage.conditions.truth.interval`)."""
    if op == "<":
        must, may = f"{b} < {c}", f"{a} < {d}"
    elif op == "<=":
        must, may = f"{b} <= {c}", f"{a} <= {d}"
    elif op == ">":
        must, may = f"{a} > {d}", f"{b} > {c}"
    elif op == ">=":
        must, may = f"{a} >= {d}", f"{b} >= {c}"
    else:
        equal = f"{a} == {b} == {c} == {d}"
        disjoint = f"({b} < {c} or {d} < {a})"
        must, may = (equal, f"not {disjoint}") if op == "==" else (disjoint, f"not ({equal})")
    return f"({must})", f"({may})"


def _bounds(node: NumExpr, var: Names, pending: Names, shapes: Mapping[str, QuestionShape],
            guards: list[str], *, in_sum: bool) -> tuple[str, str]:
    """(low, high) sources of the interval ``node`` can still take; appends to ``guards``
    what must hold for it to exist (a direct answer that is absent has none)."""
    if isinstance(node, Number):
        text = number_source(node.value)
        return text, text
    if isinstance(node, Answer):
        low, high = interval(node, State({}, frozenset({node.question}), shapes),
                             in_sum=in_sum) or (0.0, 0.0)
        v, p = var(node.question), pending(node.question)
        if in_sum:  # absent counts 0
            return (f"({number_source(low)} if {p} else ({v} or 0))",
                    f"({number_source(high)} if {p} else ({v} or 0))")
        guards.append(f"({p} or {v} is not None)")
        return f"({number_source(low)} if {p} else {v})", f"({number_source(high)} if {p} else {v})"
    if isinstance(node, Count):
        halves = [to_kleene(item, var, pending, shapes) for item in node.items]
        return ("(" + " + ".join(m for m, _ in halves) + ")",
                "(" + " + ".join(m for _, m in halves) + ")")
    parts = [_bounds(item, var, pending, shapes, guards, in_sum=True)
             for item in node.items]
    return ("(" + " + ".join(lo for lo, _ in parts) + ")",
            "(" + " + ".join(hi for _, hi in parts) + ")")


def number_source(value: float) -> str:
    """A number as Python source (infinities included)."""
    if value in (float("inf"), float("-inf")):
        return f"float({str(value)!r})"
    return repr(int(value)) if float(value).is_integer() else repr(value)
