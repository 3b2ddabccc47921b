"""A quick reader for the everyday shape of condition strings.

``fever == yes and (age >= 50 or area in [neck, low_back])``: names, numbers, quoted answers,
lists, ``and``/``or``/``not``, one comparison at a time. Such a string is read here directly
into the condition tree, several times faster than Python's parser plus the checker
(:mod:`triage.conditions.tree`), which matters when a pack has thousands of rules.

Anything else (``count()``, ``sum()``, chained comparisons, a number ``in`` a list, an
unknown name, any mistake at all) returns ``None`` and the condition goes through the full
checker, which also words every error. So this reader never reports a problem, and for any
string it accepts it must build exactly the tree the full checker builds: the tests compare
the two on every condition of the bundled packs and on generated ones.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Mapping
from typing import Any

from triage.conditions.tree import (
    _FLIP,
    MAX_NESTING,
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
from triage.untrusted import decimal_number

# numbers as Python writes them without exponent, underscores or leading zeros; names; quoted
# text without escapes; operators; then any other single character (which nothing accepts).
# Names, brackets and comparisons come first, being the most frequent: the alternatives
# start with different characters, so their order changes only the speed.
_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
# a comparison of a name with a name, a number or a list of names, in parentheses: one token
# (a group), read once per pack and then looked up whole (see _Reader.group); packs written
# by programs put every comparison in parentheses, thousands of rules the same few hundred
_GROUP = rf"""\({_NAME}\ (?:[=!<>]=|[<>]|in|not\ in)
              \ (?:{_NAME}|(?:[1-9][0-9]*|0)(?:\.[0-9]*)?|\[{_NAME}(?:,\ {_NAME})*\])\)"""
_TOKEN = re.compile(_GROUP + r"""|[A-Za-z_][A-Za-z0-9_]*|[()]|[=!<>]=
                        |(?:[1-9][0-9]*|0)(?:\.[0-9]*)?(?![\w.])|\.[0-9]+(?![\w.])
                        |'[^'\\\n]*'|"[^"\\\n]*"
                        |[<>\[\],-]|[^ ]""", re.VERBOSE)
_COMPARISONS = frozenset(_FLIP)
_YES = frozenset({"yes"})
_ENDS_LEAF = frozenset({"and", "or", ")", ""})  # "" marks the end of the tokens
_NOT_ONE_TOKEN = frozenset("([-")
_NUMBER_START = frozenset("0123456789.")  # atoms that start so are read from several tokens
# names that are not names: Python's keywords, constants and and/or/not/in included
_NAME_LIKE = frozenset(keyword.kwlist)


class _Unusual(Exception):
    """Not the everyday shape: let the full checker read it."""


class _Quoted(str):
    """A quoted answer (``'neck'``), as opposed to a name."""

    __slots__ = ()


# An atom is a name (str), a number (float), a _Quoted answer, True/False (bool), a list of
# atoms, or a parenthesised condition (a Cond).
Atom = Any


class _Reader:
    def __init__(self, tokens: list[str], questions: Mapping[str, QuestionShape],
                 scores: Mapping[str, NumExpr], leaves: dict[Any, Any],
                 unusual_names: frozenset[str]) -> None:
        tokens.append("")  # marks the end
        self.tokens = tokens
        self.pos = 0
        self.questions = questions
        self.scores = scores
        self.leaves = leaves
        self.unusual_names = unusual_names

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

    def negation(self, left: Atom = None) -> Cond:
        tokens = self.tokens
        if left is None:
            token = tokens[self.pos]
            if token == "not":
                self.pos += 1
                return Not(self.negation())
            if token[:1] != "(" or len(token) == 1:  # (a group is no leaf: see group)
                quick = self.leaf()
                if quick is not None:
                    return quick
            else:  # a group read before (mostly): if a comparison follows, what follows
                # it is read as no condition can be (nothing may follow one), so it fails
                found: Cond | None = self.leaves.get(("group", token))
                if found is not None:
                    self.pos += 1
                    return found
            left = self.atom()
        op = tokens[self.pos]
        if op in _COMPARISONS or op == "in":
            self.pos += 1
        elif op == "not":
            if tokens[self.pos + 1] != "in":
                raise _Unusual
            self.pos += 2
            op = "not in"
        else:  # the atom stands alone
            if isinstance(left, Cond):
                return left
            cls = left.__class__
            if cls is str:
                if left in ("true", "false"):
                    return Const(left == "true")
                shape = self.questions.get(left)
                if shape is not None and shape.type == YES_NO:
                    return self.single(left, "yes", False)
            elif cls is bool:
                return Const(left)
            raise _Unusual
        right = self.atom()
        following = tokens[self.pos]
        if following in _COMPARISONS or following == "in" or following == "not":
            raise _Unusual  # a chained comparison
        return self.comparison(left, op, right)

    def atom(self) -> Atom:
        token = self.tokens[self.pos]
        self.pos += 1
        if not token:
            raise _Unusual
        first = token[0]
        if first.isalpha() or first == "_":
            if token in _NAME_LIKE:
                if token == "True" or token == "False":
                    return token == "True"
                raise _Unusual
            if self.tokens[self.pos] == "(":
                raise _Unusual  # count(), sum(), or an unknown function
            return token
        if first == "(":
            if len(token) > 1:
                return self.group(token)
            if self.tokens[self.pos] == "not":
                node = self.any_of()
            elif (quick := self.leaf()) is not None:
                node = self.any_of(quick)
            else:
                inner = self.atom()
                if self.tokens[self.pos] == ")":  # a parenthesised name or literal is that
                    self.pos += 1                 # name or literal, as in Python
                    return inner
                node = self.any_of(self.negation(inner))
            if self.tokens[self.pos] != ")":
                raise _Unusual
            self.pos += 1
            return node
        if first in _NUMBER_START:
            return self.literal(token)
        if first == "[":
            items: list[Atom] = []
            while True:
                items.append(self.atom())
                separator = self.tokens[self.pos]
                self.pos += 1
                if separator == "]":
                    return items
                if separator != "," or self.tokens[self.pos] == "]":
                    raise _Unusual  # a trailing comma, or something else
        if first in "'\"":
            if len(token) < 2 or token[-1] != first:
                raise _Unusual
            return _Quoted(token[1:-1])
        if first == "-":
            number = self.tokens[self.pos]
            self.pos += 1
            return -self.literal(number)
        raise _Unusual

    @staticmethod
    def literal(token: str) -> float:
        """A number token. Anything else (a lone ".", or "²", which str.isdigit() takes and
        float() then raises on) is left to the full checker, which words the mistake; so
        are huge numbers."""
        number = decimal_number(token, exponent=False) if len(token) <= 15 else None
        if number is None:
            raise _Unusual
        return float(number)  # as the checker's Number: never a RoundedWhole

    def group(self, token: str) -> Cond:
        """A group token (``(age >= 50)``): what reading its parts in parentheses gives, read
        once per pack. (Names only ever become less unusual as scores are checked, so a
        group read once stays readable.)"""
        key = ("group", token)
        found: Cond | None = self.leaves.get(key)
        if found is None:
            inner = _TOKEN.findall(token, 1, len(token) - 1)
            if not self.unusual_names.isdisjoint(inner):
                raise _Unusual
            reader = _Reader(inner, self.questions, self.scores, self.leaves,
                             self.unusual_names)
            # as inside "(" ... ")" (see atom); a name, an operator and a value: read whole
            found = self.leaves[key] = reader.any_of()
        return found

    def leaf(self) -> Cond | None:
        """``age >= 50``, ``area == neck``: a comparison of two single tokens, read once per
        pack and then looked up (a pack of thousands of rules makes the same comparisons
        again and again); None for anything else, which is read the ordinary way.

        Only when the token after it ends it (``and``, ``or``, ``)`` or the end) is the
        result a function of the three tokens alone, as the ordinary way would read them.
        """
        tokens, pos = self.tokens, self.pos
        if pos + 3 >= len(tokens) or tokens[pos + 3] not in _ENDS_LEAF:
            return None
        left, op, right = tokens[pos], tokens[pos + 1], tokens[pos + 2]
        if op not in _COMPARISONS and op != "in":
            return None
        key = ("leaf", left, op, right)
        found: Cond | None = self.leaves.get(key)
        if found is None:
            if not left or left[0] in _NOT_ONE_TOKEN or not right or right[0] in _NOT_ONE_TOKEN:
                return None  # an atom of several tokens: ( [ -
            first = self.atom()
            self.pos += 1
            found = self.leaves[key] = self.comparison(first, op, self.atom())
        self.pos = pos + 3
        return found

    # -- comparisons ---------------------------------------------------------------------

    def comparison(self, left: Atom, op: str, right: Atom) -> Cond:
        questions = self.questions
        lq = questions.get(left) if left.__class__ is str else None
        rq = questions.get(right) if right.__class__ is str else None
        if op == "in" or op == "not in":
            if rq is not None:
                if rq.type != MULTI:
                    raise _Unusual
                option = self.option(rq, left)
                has_key = ("has", rq.id, option, op)
                has: Has | None = self.leaves.get(has_key)
                if has is None:
                    has = self.leaves[has_key] = Has(rq.id, option, negate=op == "not in")
                return has
            if lq is None or right.__class__ is not list or lq.type not in (YES_NO, SINGLE):
                raise _Unusual
            return Is(lq.id, frozenset([self.option(lq, a) for a in right]),
                      negate=op == "not in")
        if lq and rq and lq.type != NUMBER and rq.type != NUMBER:
            raise _Unusual
        if rq and not lq and rq.type != NUMBER:
            left, right, lq, op = right, left, rq, _FLIP[op]
        if lq is not None:
            kind = lq.type
            if kind in (YES_NO, SINGLE):
                if op not in ("==", "!="):
                    raise _Unusual
                return self.single(lq.id, self.option(lq, right), op == "!=")
            if kind == MULTI:
                raise _Unusual
        lnum, rnum = self.number(left), self.number(right)
        compare_key = (op, id(lnum), id(rnum))  # (numbers are shared too: ids stay theirs)
        compare: Compare | None = self.leaves.get(compare_key)
        if compare is None:
            compare = self.leaves[compare_key] = Compare(op, lnum, rnum)
        return compare

    def single(self, question: str, option: str, negate: bool) -> Is:
        """``question == option`` (or ``!=``), one shared node per pack: trees are frozen."""
        key = (question, option, negate)
        found: Is | None = self.leaves.get(key)
        if found is None:
            found = self.leaves[key] = Is(question, frozenset((option,)), negate)
        return found

    def option(self, shape: QuestionShape, atom: Atom) -> str:
        cls = atom.__class__
        if cls is bool and shape.type == YES_NO:
            return "yes" if atom else "no"
        if (cls is str or cls is _Quoted) and atom in shape.choices:
            return str(atom)
        raise _Unusual

    def number(self, atom: Atom) -> NumExpr:
        cls = atom.__class__
        if cls is not float and cls is not str:
            raise _Unusual
        key = ("num", cls, atom)
        found: NumExpr | None = self.leaves.get(key)
        if found is None:
            found = self.leaves[key] = self.new_number(atom)
        return found

    def new_number(self, atom: Atom) -> NumExpr:
        cls = atom.__class__
        if cls is float:
            return Number(atom)
        if cls is not str:
            raise _Unusual
        if atom in self.scores:
            return self.scores[atom]
        shape = self.questions.get(atom)
        if shape is None:
            raise _Unusual
        if shape.type == NUMBER:
            return Answer(atom)
        if shape.type == YES_NO:
            return Count((self.single(atom, "yes", False),))
        raise _Unusual


def read_condition(text: str, questions: Mapping[str, QuestionShape],
                   scores: Mapping[str, NumExpr], unusual_names: frozenset[str],
                   leaves: dict[Any, Any] | None = None) -> Cond | None:
    """The condition tree of ``text``, or None: then use the full checker.

    ``scores``: checked scores by name; ``unusual_names``: names the full checker must look
    at (scores declared but not checked, ids whose own definition is broken); ``leaves``:
    comparisons already built for other conditions of the same pack, shared (trees are
    immutable; a pack of thousands of rules compares the same answers again and again).
    """
    if "\n" in text:
        return None
    tokens = _TOKEN.findall(text)
    if not tokens or not unusual_names.isdisjoint(tokens):
        return None
    # read recursively here: deep text is left to the full checker, which measures its depth
    # and reports it; at half its limit, nothing read here is deeper than it accepts
    if tokens.count("(") + tokens.count("not") > MAX_NESTING // 2:
        return None
    try:
        reader = _Reader(tokens, questions, scores, {} if leaves is None else leaves,
                         unusual_names)
        node = reader.any_of()
    except _Unusual:
        return None
    return node if reader.pos == len(tokens) - 1 else None  # all read but the end mark
