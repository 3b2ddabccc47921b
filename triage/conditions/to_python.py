"""Conditions as Python source, built only from validated identifiers and ``repr`` of literals
(the pack's generated decision code is made of these).
"""

from __future__ import annotations

from collections.abc import Callable

from triage.conditions.tree import (
    And,
    Answer,
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
)

# --------------------------------------------------------------------------- compilation

_JOINED = (And, Or)  # a tuple: ``And | Or`` would be made anew on every call


def to_python(node: Cond, var: Callable[[str], str], *,
              present: frozenset[str] = frozenset(),
              flags: frozenset[str] = frozenset()) -> str:
    """Python source for the two-valued test of ``node`` (absent answers are ``None``).

    ``present``: questions whose variable the caller guarantees is never ``None`` (it reads
    them so that a missing or ``None`` answer raises, and then runs fully guarded code
    instead); their ``is not None`` guards are left out. ``flags``: yes/no questions whose
    variable holds ``True``/``False`` (or ``None``, if not ``present``) instead of
    ``"yes"``/``"no"``, tested by truth value as a person would write them.
    """
    if isinstance(node, Is):
        v = var(node.question)
        if node.question in flags:
            return _flag_python(v, node, node.question in present)
        guard = "" if node.question in present else f"{v} is not None and "
        if len(node.options) == 1:
            (opt,) = node.options
            return f"({guard}{v} != {opt!r})" if node.negate else f"({v} == {opt!r})"
        # a set display after 'in' becomes a frozenset constant: one hash lookup
        opts = "{" + ", ".join(repr(o) for o in sorted(node.options)) + "}"
        return f"({guard}{v} not in {opts})" if node.negate else f"({v} in {opts})"
    if isinstance(node, _JOINED):
        joiner = " and " if isinstance(node, And) else " or "
        return "(" + joiner.join([to_python(i, var, present=present, flags=flags)
                                  for i in node.items]) + ")"
    if isinstance(node, Not):
        return f"(not {to_python(node.item, var, present=present, flags=flags)})"
    if isinstance(node, Has):
        v = var(node.question)
        test = "not in" if node.negate else "in"
        if node.question in present:
            return f"({node.option!r} {test} {v})"
        return f"({v} is not None and {node.option!r} {test} {v})"
    if isinstance(node, Const):
        return "True" if node.value else "False"
    left, left_nullable = _num_python(node.left, var, present, flags)
    right, right_nullable = _num_python(node.right, var, present, flags)
    guards = [f"{x} is not None" for x, n in ((left, left_nullable), (right, right_nullable)) if n]
    test = f"{left} {node.op} {right}"
    return "(" + " and ".join([*guards, test]) + ")"


def _flag_python(v: str, node: Is, present: bool) -> str:
    """``node`` over a yes/no answer held as ``True``/``False`` (``None`` when absent, unless
    ``present``); the result is always a bool, so ``count`` can add it up."""
    on_yes = ("yes" in node.options) != node.negate  # the test holds for a yes
    on_no = ("no" in node.options) != node.negate
    if on_yes and on_no:
        return "True" if present else f"({v} is not None)"
    if on_yes:
        return v if present else f"({v} is True)"
    if on_no:
        return f"(not {v})" if present else f"({v} is False)"
    return "False"


def _num_python(node: NumExpr, var: Callable[[str], str],
                present: frozenset[str] = frozenset(),
                flags: frozenset[str] = frozenset()) -> tuple[str, bool]:
    """(source, whether it may be None and needs a guard before comparing)."""
    if isinstance(node, Number):
        value = node.value
        if value in (float("inf"), float("-inf")):
            return f"float({str(value)!r})", False
        return (repr(int(value)) if value.is_integer() else repr(value)), False
    if isinstance(node, Answer):
        return var(node.question), node.question not in present
    if isinstance(node, Count):
        return "(" + " + ".join(to_python(i, var, present=present, flags=flags)
                                for i in node.items) + ")", False
    parts = []
    for item in node.items:
        code, nullable = _num_python(item, var, present, flags)
        parts.append(f"({code} or 0)" if nullable else code)
    return "(" + " + ".join(parts) + ")", False


def not_a_number_answer(v: str, shape: QuestionShape) -> str:
    """A test that holds when the local ``v`` is not an answer to the number question
    ``shape``: not an int (or float, where fractions are allowed; True and False are no
    numbers, nor are None and text) or outside its range (NaN too)."""
    assert shape.min is not None and shape.max is not None  # the loader requires both
    kinds = "(int,)" if shape.integer else "(int, float)"
    return (f"{v}.__class__ not in {kinds} or not "
            f"{_bound(shape.min)} <= {v} <= {_bound(shape.max)}")


def _bound(bound: float) -> str:
    """A bound as it is compared fastest: whole numbers as ints (answers mostly are)."""
    return repr(int(bound)) if float(bound).is_integer() else repr(float(bound))
