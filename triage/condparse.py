"""A quick reader for the everyday shape of condition strings.

``fever == yes and (age >= 50 or area in [neck, low_back])``: names, numbers, quoted answers,
lists, ``and``/``or``/``not``, one comparison at a time. Such a string is read here directly
into the condition tree, several times faster than Python's parser plus the checker
(:mod:`triage.conditions`), which matters when a pack has thousands of rules.

Anything else (``count()``, ``sum()``, chained comparisons, a number ``in`` a list, an
unknown name, any mistake at all) returns ``None`` and the condition goes through the full
checker, which also words every error. So this reader never reports a problem, and for any
string it accepts it must build exactly the tree the full checker builds: the tests compare
the two on every condition of the bundled packs and on generated ones.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from triage.conditions import (
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
)

# numbers as Python writes them without exponent, underscores or leading zeros; names; quoted
# text without escapes; operators; then any other single character (which nothing accepts)
_TOKEN = re.compile(r"""(?:[1-9][0-9]*|0)(?:\.[0-9]*)?(?![\w.])|\.[0-9]+(?![\w.])
                        |[A-Za-z_][A-Za-z0-9_]*|'[^'\\\n]*'|"[^"\\\n]*"
                        |[=!<>]=|[<>()\[\],-]|[^ ]""", re.VERBOSE)
_COMPARISONS = frozenset({"==", "!=", "<", "<=", ">", ">="})
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
# Python's keywords other than and/or/not/in: as a name they mean something else, or nothing
_KEYWORDS = frozenset({"None", "as", "assert", "async", "await", "break", "class", "continue",
                       "def", "del", "elif", "else", "except", "finally", "for", "from",
                       "global", "if", "import", "is", "lambda", "nonlocal", "pass", "raise",
                       "return", "try", "while", "with", "yield"})
_YES = frozenset({"yes"})
# names that are not names: constants and keywords
_NAME_LIKE = _KEYWORDS | {"True", "False", "and", "or", "not", "in"}


class _Unusual(Exception):
    """Not the everyday shape: let the full checker read it."""


# atoms: ("name", text) | ("num", float) | ("text", str) | ("bool", bool) | ("list", [atoms]) |
# ("cond", Cond) for a parenthesised condition
Atom = tuple[str, Any]


class _Reader:
    def __init__(self, tokens: list[str], questions: Mapping[str, QuestionShape],
                 scores: Mapping[str, NumExpr]) -> None:
        self.tokens = [*tokens, ""]  # "" marks the end
        self.pos = 0
        self.questions = questions
        self.scores = scores

    def take(self) -> str:
        token = self.tokens[self.pos]
        if not token:
            raise _Unusual
        self.pos += 1
        return token

    # -- conditions ----------------------------------------------------------------------

    def any_of(self, first: Cond | None = None) -> Cond:
        item = self.all_of(first)
        if self.tokens[self.pos] != "or":
            return item
        items = [item]
        while self.tokens[self.pos] == "or":
            self.pos += 1
            items.append(self.all_of())
        return Or(tuple(items))

    def all_of(self, first: Cond | None = None) -> Cond:
        item = self.negation() if first is None else first
        if self.tokens[self.pos] != "and":
            return item
        items = [item]
        while self.tokens[self.pos] == "and":
            self.pos += 1
            items.append(self.negation())
        return And(tuple(items))

    def negation(self, left: Atom | None = None) -> Cond:
        tokens = self.tokens
        if left is None:
            if tokens[self.pos] == "not":
                self.pos += 1
                return Not(self.negation())
            left = self.atom()
        op = tokens[self.pos]
        if op == "not":
            self.pos += 1
            if self.take() != "in":
                raise _Unusual
            op = "not in"
        elif op in _COMPARISONS or op == "in":
            self.pos += 1
        else:
            return self.truth(left)
        right = self.atom()
        following = tokens[self.pos]
        if following in _COMPARISONS or following == "in" or following == "not":
            raise _Unusual  # a chained comparison
        return self.comparison(left, op, right)

    def atom(self) -> Atom:
        token = self.take()
        first = token[0]
        if first.isalpha() or first == "_":
            if token in _NAME_LIKE:
                if token in ("True", "False"):
                    return ("bool", token == "True")
                raise _Unusual
            if self.tokens[self.pos] == "(":
                raise _Unusual  # count(), sum(), or an unknown function
            return ("name", token)
        if first == "(":
            if self.tokens[self.pos] == "not":
                node = self.any_of()
            else:
                inner = self.atom()
                if self.tokens[self.pos] == ")":  # a parenthesised name or literal is that
                    self.pos += 1                 # name or literal, as in Python
                    return inner
                node = self.any_of(self.negation(inner))
            if self.take() != ")":
                raise _Unusual
            return ("cond", node)
        if first.isdigit() or first == ".":
            if len(token) > 15:
                raise _Unusual  # leave huge numbers to the full checker
            return ("num", float(token))
        if first == "[":
            items: list[Atom] = []
            while True:
                items.append(self.atom())
                separator = self.take()
                if separator == "]":
                    return ("list", items)
                if separator != "," or self.tokens[self.pos] == "]":
                    raise _Unusual  # a trailing comma, or something else
        if first in "'\"":
            if len(token) < 2 or token[-1] != first:
                raise _Unusual
            return ("text", token[1:-1])
        if first == "-":
            number = self.take()
            if not (number[0].isdigit() or number[0] == ".") or len(number) > 15:
                raise _Unusual
            return ("num", -float(number))
        raise _Unusual

    def truth(self, atom: Atom) -> Cond:
        """An atom standing alone as a condition."""
        kind, value = atom
        if kind == "cond":
            return value  # type: ignore[no-any-return]
        if kind == "bool":
            return Const(value)
        if kind == "name":
            if value in ("true", "false"):
                return Const(value == "true")
            shape = self.questions.get(value)
            if shape is not None and shape.type == YES_NO:
                return Is(value, _YES)
        raise _Unusual

    # -- comparisons ---------------------------------------------------------------------

    def question(self, atom: Atom) -> QuestionShape | None:
        return self.questions.get(atom[1]) if atom[0] == "name" else None

    def comparison(self, left: Atom, op: str, right: Atom) -> Cond:
        if op in ("in", "not in"):
            negate = op == "not in"
            rq = self.question(right)
            if rq is not None:
                if rq.type != MULTI:
                    raise _Unusual
                return Has(rq.id, self.option(rq, left), negate=negate)
            lq = self.question(left)
            if lq is None or right[0] != "list" or lq.type not in (YES_NO, SINGLE):
                raise _Unusual
            return Is(lq.id, frozenset(self.option(lq, a) for a in right[1]), negate=negate)
        lq, rq = self.question(left), self.question(right)
        if lq and rq and lq.type != NUMBER and rq.type != NUMBER:
            raise _Unusual
        if rq and not lq and rq.type != NUMBER:
            left, right, lq, op = right, left, rq, _FLIP[op]
        if lq and lq.type in (YES_NO, SINGLE):
            if op not in ("==", "!="):
                raise _Unusual
            return Is(lq.id, frozenset({self.option(lq, right)}), negate=op == "!=")
        if lq and lq.type == MULTI:
            raise _Unusual
        return Compare(op, self.number(left), self.number(right))

    def option(self, shape: QuestionShape, atom: Atom) -> str:
        kind, value = atom
        if kind == "bool" and shape.type == YES_NO:
            return "yes" if value else "no"
        if kind not in ("name", "text") or value not in shape.choices:
            raise _Unusual
        return value  # type: ignore[no-any-return]

    def number(self, atom: Atom) -> NumExpr:
        kind, value = atom
        if kind == "num":
            return Number(value)
        if kind != "name":
            raise _Unusual
        if value in self.scores:
            return self.scores[value]
        shape = self.questions.get(value)
        if shape is None:
            raise _Unusual
        if shape.type == NUMBER:
            return Answer(value)
        if shape.type == YES_NO:
            return Count((Is(value, _YES),))
        raise _Unusual


def read_condition(text: str, questions: Mapping[str, QuestionShape],
                   scores: Mapping[str, NumExpr], unusual_names: frozenset[str]) -> Cond | None:
    """The condition tree of ``text``, or None: then use the full checker.

    ``scores``: checked scores by name; ``unusual_names``: names the full checker must look
    at (scores declared but not checked, ids whose own definition is broken).
    """
    if "\n" in text:
        return None
    tokens = _TOKEN.findall(text)
    if not tokens or not unusual_names.isdisjoint(tokens):
        return None
    try:
        reader = _Reader(tokens, questions, scores)
        node = reader.any_of()
    except _Unusual:
        return None
    return node if reader.pos == len(tokens) else None
