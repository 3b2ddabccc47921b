"""The condition language and its checked tree (parsing: ``checker``; three-valued evaluation:
``truth``; compilation to Python: ``to_python``).

A condition is either an expression string or a structured block::

    "fever == yes and age >= 50"
    "area in [neck, low_back] or count(fear, anxiety, low_mood) >= 2"
    {all: ["fever", {any: ["age >= 50", "not walks_normally"]}]}
    {question: age, op: ">=", value: 65}

Strings are parsed with Python's own parser (``ast.parse``) and then only a whitelisted set of
node types is accepted: names, literals, lists, ``and``/``or``/``not``, comparisons, ``in`` and
the functions ``count(...)`` and ``sum(...)``. Nothing is ever evaluated with ``eval``: the
checked tree is either interpreted (three-valued, for unfinished questionnaires) or turned into
Python source built only from validated identifiers and ``repr`` of literals.

Semantics. An answer is *present*, *absent* (the question was not asked because its ``ask_if``
is false, or was left unanswered where that is allowed) or *pending* (it may still be asked).
Every comparison that reads an absent answer is false; in ``sum`` an absent answer counts 0.
Pending answers make a comparison *unknown* unless every possible answer gives the same result;
``and``/``or``/``not`` follow Kleene's three-valued logic and ``count``/``sum`` carry intervals.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# --------------------------------------------------------------------------- question shapes

YES_NO = "yes_no"
SINGLE = "single"
MULTI = "multi"
NUMBER = "number"
YES_NO_OPTIONS = ("yes", "no")
# How deep one condition or score expression may nest (brackets, not, signs, a chain of + or
# -): as deep as a pack file may nest (triage.pack.yamlio.MAX_DEPTH), far more than any rule
# needs, and shallow enough that every stage that walks a tree (checking, compiling, proofs)
# stays far from Python's recursion limit. Deeper text is a problem in the pack.
MAX_NESTING = 40
# A checked tree has every score it uses built in, so a chain of scores each using the one
# before nests deeper than any text, and doubles at each link if it uses it twice (a pack of
# 22 such lines took minutes per answer set). The bundled pack's largest: 12 levels, 148
# parts.
MAX_TREE_DEPTH = 100
MAX_TREE_SIZE = 20_000


@dataclass(frozen=True, slots=True)
class QuestionShape:
    """What the condition checker needs to know of a question."""

    id: str
    type: str
    options: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    integer: bool = True

    @property
    def choices(self) -> tuple[str, ...]:
        return YES_NO_OPTIONS if self.type == YES_NO else self.options


# --------------------------------------------------------------------------- checked tree


@dataclass(frozen=True, slots=True)
class Const:
    """A condition that is always true or always false."""

    value: bool


@dataclass(frozen=True, slots=True)
class Is:
    """``question == option`` / ``question in [options]`` for yes/no and single choice."""

    question: str
    options: frozenset[str]
    negate: bool = False  # ``!=`` / ``not in``: still false when the answer is absent


@dataclass(frozen=True, slots=True)
class Has:
    """``option in question`` for multiple choice."""

    question: str
    option: str
    negate: bool = False


@dataclass(frozen=True, slots=True)
class Compare:
    """A numeric comparison: ``left OP right``."""

    op: str
    left: NumExpr
    right: NumExpr


@dataclass(frozen=True, slots=True)
class And:
    items: tuple[Cond, ...]


@dataclass(frozen=True, slots=True)
class Or:
    items: tuple[Cond, ...]


@dataclass(frozen=True, slots=True)
class Not:
    item: Cond


@dataclass(frozen=True, slots=True)
class Number:
    value: float


@dataclass(frozen=True, slots=True)
class Answer:
    """The numeric answer to a number question (absent: comparisons false, 0 in sums)."""

    question: str


@dataclass(frozen=True, slots=True)
class Count:
    """How many of the conditions are true."""

    items: tuple[Cond, ...]


@dataclass(frozen=True, slots=True)
class Sum:
    items: tuple[NumExpr, ...]


Cond = Const | Is | Has | Compare | And | Or | Not
NumExpr = Number | Answer | Count | Sum

_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
_AST_OPS = {"Eq": "==", "NotEq": "!=", "Lt": "<", "LtE": "<=", "Gt": ">", "GtE": ">=",
            "In": "in", "NotIn": "not in"}
STRUCTURED_OPS = ("==", "!=", "<", "<=", ">", ">=", "in", "not in", "contains")


# as tuples: ``isinstance(n, A | B)`` makes the union anew on every call (read for every rule)
_READS_ONE = (Is, Has, Answer)
_HAS_ITEMS = (And, Or, Count, Sum)


def questions_read(node: Cond | NumExpr) -> frozenset[str]:
    """Every question a condition reads."""
    out: set[str] = set()
    stack: list[Any] = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, _READS_ONE):
            out.add(n.question)
        elif isinstance(n, _HAS_ITEMS):
            stack.extend(n.items)
        elif isinstance(n, Not):
            stack.append(n.item)
        elif isinstance(n, Compare):
            stack.extend((n.left, n.right))
    return frozenset(out)


def parts_of(n: Any) -> tuple[Any, ...]:
    """The conditions and numbers a node is made of (none for a leaf)."""
    if isinstance(n, _HAS_ITEMS):
        return n.items
    if isinstance(n, Not):
        return (n.item,)
    if isinstance(n, Compare):
        return (n.left, n.right)
    return ()


def extent(node: Cond | NumExpr) -> tuple[int, int]:
    """(depth, size) of a checked tree as every walk of it meets it: a score is built into
    each condition that uses it, so a chain of scores that each use the one before twice
    doubles at every link. Counted once per shared node, without recursion."""
    measured: dict[int, tuple[int, int]] = {}
    stack: list[tuple[Any, bool]] = [(node, False)]
    while stack:
        n, parts_measured = stack.pop()
        if id(n) in measured:
            continue
        if parts_measured:
            measure(n, measured)
        else:  # its parts first, then itself again
            stack.append((n, True))
            stack.extend((p, False) for p in parts_of(n) if id(p) not in measured)
    return measured[id(node)]


def measure(node: Cond | NumExpr, measured: dict[int, tuple[int, int]]) -> tuple[int, int]:
    """:func:`extent` of ``node`` from those of its parts, in ``measured`` (by ``id``), where
    it is kept too (a table of nodes, each made of those before it, is measured in one
    pass: triage.pack.plain)."""
    parts = [measured[id(p)] for p in parts_of(node)]
    found = measured[id(node)] = (1 + max((d for d, _ in parts), default=0),
                                  1 + sum(size for _, size in parts))
    return found


def questions_testing(node: Cond | NumExpr, answer: str) -> frozenset[str]:
    """The questions a condition tests for the one answer ``answer`` (``answer in q`` of a
    multiple choice, ``q == answer`` of a single one; not ``q in [answer, other]``, which
    does not single it out, nor a negated test): the branches a reason written for that
    answer ("not sure") is given on."""
    out: set[str] = set()
    stack: list[Any] = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Has):
            if n.option == answer and not n.negate:
                out.add(n.question)
        elif isinstance(n, Is):
            if n.options == {answer} and not n.negate:
                out.add(n.question)
        elif isinstance(n, _HAS_ITEMS):
            stack.extend(n.items)
        elif isinstance(n, Compare):  # a count of answers: count(not_sure in q, ...) >= 1
            stack.extend((n.left, n.right))
        # not under a ``not``: there the answer is ruled out, not singled out
    return frozenset(out)


def numeric_thresholds(node: Cond | NumExpr) -> dict[str, set[float]]:
    """Constants each number question is compared against (for splitting its range)."""
    out: dict[str, set[float]] = {}
    stack: list[Any] = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Compare):
            for a, b in ((n.left, n.right), (n.right, n.left)):
                if isinstance(a, Answer) and isinstance(b, Number):
                    out.setdefault(a.question, set()).add(b.value)
            stack.extend((n.left, n.right))
        elif isinstance(n, _HAS_ITEMS):
            stack.extend(n.items)
        elif isinstance(n, Not):
            stack.append(n.item)
    return out




