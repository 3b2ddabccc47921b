"""Parsing and checking conditions: expression strings through Python's parser and a whitelist,
or structured all/any/not blocks, into the checked tree of :mod:`triage.conditions.tree`.

Nothing is ever evaluated with ``eval``. Every problem is reported with its path in the YAML
document and a did-you-mean for unknown names.
"""

from __future__ import annotations

import ast  # only checking a pack parses expressions; running one never imports this module
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeGuard

from triage.conditions.exactness import adds_a_decimal, too_precise
from triage.conditions.limits import bounded
from triage.conditions.parse_text import Invalid, Report, every_one, parse_expression
from triage.conditions.quick_reader import read_condition
from triage.conditions.tree import (
    _AST_OPS,
    _FLIP,
    MULTI,
    NUMBER,
    SINGLE,
    STRUCTURED_OPS,
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
from triage.problems import did_you_mean
from triage.untrusted import Rounded

# --------------------------------------------------------------------------- checking


@dataclass
class ConditionChecker:
    """Parses and checks conditions against a pack's questions and scores."""

    questions: Mapping[str, QuestionShape]
    scores: Mapping[str, NumExpr] = field(default_factory=dict)
    score_names: frozenset[str] = frozenset()  # declared, maybe not yet checked
    broken: frozenset[str] = frozenset()  # ids whose definitions failed: already reported
    # a file of the pack could not be read, so it may define any name: an unknown one is not
    # reported (a cascade), only counted
    names_incomplete: bool = False
    unknown_names_held_back: int = 0
    # names the quick reader must leave to the full checker, for the scores checked so far
    _unusual: tuple[int, frozenset[str]] = field(default=(-1, frozenset()), repr=False)
    _leaves: dict[Any, Any] = field(default_factory=dict, repr=False)  # see read_condition

    # -- entry points ------------------------------------------------------------------------

    def condition(self, raw: Any, report: Report) -> Cond | None:
        """Check a condition (string, boolean or structured block); None if it has problems."""
        errors: list[int] = []

        def counting(path: tuple[str | int, ...], offset: int, message: str) -> None:
            errors.append(1)
            report(path, offset, message)

        try:
            node = self._structured(raw, (), counting)
        except Invalid:
            return None
        return None if errors else bounded(node, "condition", report)

    def numeric(self, raw: Any, report: Report) -> NumExpr | None:
        """Check a numeric expression (used by scores)."""
        if not isinstance(raw, str):
            report((), 0, "a score must be an expression such as 'count(a, b, c)'")
            return None
        errors: list[int] = []

        def counting(path: tuple[str | int, ...], offset: int, message: str) -> None:
            errors.append(1)
            report(path, offset, message)

        try:
            tree = parse_expression(raw, (), counting)
            node = _ExprChecker(self, (), counting).num(tree)
        except Invalid:
            return None
        return None if errors else bounded(node, "score", report)

    # -- structured blocks -------------------------------------------------------------------

    def _structured(self, raw: Any, path: tuple[str | int, ...], report: Report) -> Cond:
        if isinstance(raw, bool):
            return Const(raw)
        if isinstance(raw, str):
            # the everyday shape is read directly; anything else, and every error, goes
            # through Python's parser and the checker below
            if self._unusual[0] != len(self.scores):  # scores are checked before conditions
                self._unusual = (len(self.scores),
                                 self.broken | self.score_names.difference(self.scores))
            quick = read_condition(raw, self.questions, self.scores, self._unusual[1],
                                   self._leaves)
            if quick is not None:
                return quick
            tree = parse_expression(raw, path, report)
            return _ExprChecker(self, path, report).cond(tree)
        if isinstance(raw, dict):
            keys = set(raw)
            for block in ("all", "any"):
                if keys == {block}:
                    items = raw[block]
                    if not isinstance(items, list) or not items:
                        report((*path, block), 0, f"'{block}' needs a non-empty list of conditions")
                        raise Invalid
                    parts = every_one(lambda x, where: self._structured(x, where, report),
                                      items, (*path, block))
                    return And(parts) if block == "all" else Or(parts)
            if keys == {"not"}:
                return Not(self._structured(raw["not"], (*path, "not"), report))
            if "question" in keys:
                return self._leaf(raw, path, report)
            shown = ", ".join(sorted(str(k) for k in keys)) or "nothing"
            report(path, 0, f"a condition block needs exactly one of all, any, not, or "
                            f"question/op/value (found {shown})")
            raise Invalid
        report(path, 0, "a condition must be text, true/false, or a block "
                        "(all / any / not / question)")
        raise Invalid

    def _leaf(self, raw: dict[str, Any], path: tuple[str | int, ...], report: Report) -> Cond:
        extra = set(raw) - {"question", "op", "value"}
        if extra:
            report((*path, sorted(extra)[0]), 0,
                   f"unknown field '{sorted(extra)[0]}' in a question condition"
                   f"{did_you_mean(sorted(extra)[0], ['question', 'op', 'value'])}")
            raise Invalid
        qid, op, value = raw.get("question"), raw.get("op", "=="), raw.get("value")
        if not isinstance(qid, str):
            report((*path, "question"), 0, "'question' must be a question id")
            raise Invalid
        if op not in STRUCTURED_OPS:
            report((*path, "op"), 0, f"unknown operator '{op}'; use one of "
                                     f"{', '.join(STRUCTURED_OPS)}")
            raise Invalid
        if "value" not in raw:
            report(path, 0, "missing 'value'")
            raise Invalid
        checker = _ExprChecker(self, path, report)
        shape = checker.question((*path, "question"), 0, qid)
        if shape.type == MULTI:
            if op not in ("contains", "in"):
                report((*path, "op"), 0, f"'{qid}' allows several answers: use op 'contains'")
                raise Invalid
            opt = checker.option(shape, (*path, "value"), 0, value)
            return Has(qid, opt)
        if op == "contains":
            report((*path, "op"), 0, "'contains' is for multiple-choice questions")
            raise Invalid
        if shape.type == NUMBER:
            if op in ("in", "not in") or not _is_number(value):
                report((*path, "value"), 0, f"'{qid}' is a number: compare it with a number")
                raise Invalid
            if isinstance(value, Rounded):
                report((*path, "value"), 0, too_precise())  # (its text is not kept)
                raise Invalid
            return Compare(op, Answer(qid), Number(float(value)))
        if op in ("in", "not in"):
            if not isinstance(value, list) or not value:
                report((*path, "value"), 0, "'in' needs a list of answer ids")
                raise Invalid
            opts = frozenset(checker.option(shape, (*path, "value", i), 0, v)
                             for i, v in enumerate(value))
            return Is(qid, opts, negate=op == "not in")
        if op not in ("==", "!="):
            report((*path, "op"), 0, f"'{qid}' is not a number: use == or !=")
            raise Invalid
        return Is(qid, frozenset({checker.option(shape, (*path, "value"), 0, value)}),
                  negate=op == "!=")


def _is_number(v: Any) -> TypeGuard[int | float]:
    return isinstance(v, int | float) and not isinstance(v, bool)


@dataclass
class _ExprChecker:
    ctx: ConditionChecker
    path: tuple[str | int, ...]
    report: Report

    def fail(self, node: ast.AST | None, message: str) -> Invalid:
        self.report(self.path, getattr(node, "col_offset", 0), message)
        return Invalid()

    # names -----------------------------------------------------------------------------------

    def question(self, path: tuple[str | int, ...], offset: int, name: str) -> QuestionShape:
        shape = self.ctx.questions.get(name)
        if shape is None and name in self.ctx.broken:
            raise Invalid  # its own definition is the problem, reported there
        if shape is None and self.ctx.names_incomplete:
            self.ctx.unknown_names_held_back += 1
            raise Invalid
        if shape is None:
            known = [*self.ctx.questions, *self.ctx.score_names]
            self.report(path, offset, f"unknown question '{name}'{did_you_mean(name, known)}")
            raise Invalid
        return shape

    def option(self, shape: QuestionShape, path: tuple[str | int, ...], offset: int,
               value: Any) -> str:
        if isinstance(value, bool) and shape.type == YES_NO:
            return "yes" if value else "no"
        if not isinstance(value, str) or value not in shape.choices:
            shown = value if isinstance(value, str) else repr(value)
            self.report(path, offset,
                        f"'{shown}' is not an answer of '{shape.id}' (answers: "
                        f"{', '.join(shape.choices)}){did_you_mean(str(shown), shape.choices)}")
            raise Invalid
        return value

    # conditions ------------------------------------------------------------------------------

    def cond(self, node: ast.expr) -> Cond:
        if isinstance(node, ast.BoolOp):
            items = every_one(lambda v, _: self.cond(v), node.values, ())
            return And(items) if isinstance(node.op, ast.And) else Or(items)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return Not(self.cond(node.operand))
        if isinstance(node, ast.Compare):
            parts: list[Cond] = []
            left = node.left
            for op, right in zip(node.ops, node.comparators, strict=True):
                parts.append(self.comparison(left, op, right))
                left = right
            return parts[0] if len(parts) == 1 else And(tuple(parts))
        if isinstance(node, ast.Name):
            if node.id in ("true", "false"):
                return Const(node.id == "true")
            if node.id in self.ctx.score_names and node.id not in self.ctx.questions:
                raise self.fail(node, f"'{node.id}' is a score: compare it, e.g. "
                                      f"'{node.id} >= 4'")
            shape = self.question(self.path, node.col_offset, node.id)
            if shape.type == YES_NO:
                return Is(shape.id, frozenset({"yes"}))
            hint = {NUMBER: f"e.g. '{node.id} >= 50'",
                    MULTI: f"e.g. '{shape.options[0] if shape.options else 'x'} in {node.id}'",
                    SINGLE: f"e.g. '{node.id} == {shape.options[0] if shape.options else 'x'}'"}
            raise self.fail(node, f"'{node.id}' is not a yes/no question: compare it, "
                                  f"{hint[shape.type]}")
        if isinstance(node, ast.Constant) and isinstance(node.value, bool):
            return Const(node.value)
        raise self.fail(node, f"'{ast.unparse(node)}' is not a condition: use question ids, "
                              f"answers, and/or/not, comparisons, count() and sum()")

    def comparison(self, left: ast.expr, op: ast.cmpop, right: ast.expr) -> Cond:
        for side in (left, right):
            if isinstance(side, ast.Name) and side.id in self.ctx.broken:
                raise Invalid  # the question's own definition is the problem, reported there
        sym = _AST_OPS.get(type(op).__name__)
        if sym is None:
            raise self.fail(left, "only == != < <= > >= in and 'not in' are allowed")
        if sym in ("in", "not in"):
            return self.membership(left, right, negate=sym == "not in")
        lq = self.as_question(left)
        rq = self.as_question(right)
        if lq and rq and lq.type != NUMBER and rq.type != NUMBER:
            raise self.fail(right, "compare a question with an answer, not with another question")
        if rq and not lq and rq.type != NUMBER:
            left, right, lq, sym = right, left, rq, _FLIP[sym]
        if lq and lq.type in (YES_NO, SINGLE):
            if sym not in ("==", "!="):
                raise self.fail(left, f"'{lq.id}' is not a number: use == or != (or 'in')")
            opt = self.option_literal(lq, right)
            return Is(lq.id, frozenset({opt}), negate=sym == "!=")
        if lq and lq.type == MULTI:
            raise self.fail(left, f"'{lq.id}' allows several answers: write "
                                  f"'{lq.options[0] if lq.options else 'x'} in {lq.id}'")
        for side in (left, right):
            if isinstance(side, ast.Name) and self.as_question(side) is None \
                    and side.id not in self.ctx.scores and side.id not in self.ctx.broken \
                    and side.id not in self.ctx.score_names and lq and lq.type == NUMBER:
                raise self.fail(side, f"'{lq.id}' is a number: compare it with a number, "
                                      f"e.g. '{lq.id} >= 50' ('{side.id}' is not a question)")
        return Compare(sym, self.num(left), self.num(right))

    def membership(self, left: ast.expr, right: ast.expr, *, negate: bool) -> Cond:
        rq = self.as_question(right)
        if rq is not None:
            if rq.type != MULTI:
                raise self.fail(right, f"'{rq.id}' has one answer: write '{rq.id} == ...'")
            return Has(rq.id, self.option_literal(rq, left), negate=negate)
        lq = self.as_question(left)
        if lq is None:
            if isinstance(right, ast.Name):  # "answer in question": the question is unknown
                self.question(self.path, right.col_offset, right.id)  # reports it, did-you-mean
            elif isinstance(left, ast.Name):  # "question in [answers]": the question is unknown
                self.question(self.path, left.col_offset, left.id)
            raise self.fail(left, "the left side of 'in' must be a question or an answer id")
        if not isinstance(right, ast.List | ast.Tuple) or not right.elts:
            raise self.fail(right, "'in' needs a list, e.g. [neck, low_back]")
        if lq.type == MULTI:
            raise self.fail(left, f"'{lq.id}' allows several answers: write "
                                  f"'option in {lq.id}' for each option, joined with 'or'")
        if lq.type == NUMBER:
            values = [self.num(e) for e in right.elts]
            eqs = tuple(Compare("==", Answer(lq.id), v) for v in values)
            inside: Cond = eqs[0] if len(eqs) == 1 else Or(eqs)
            return And((Compare(">=", Answer(lq.id), Number(float("-inf"))), Not(inside))) \
                if negate else inside
        opts = frozenset(self.option_literal(lq, e) for e in right.elts)
        return Is(lq.id, opts, negate=negate)

    def as_question(self, node: ast.expr) -> QuestionShape | None:
        if isinstance(node, ast.Name) and node.id in self.ctx.questions:
            return self.ctx.questions[node.id]
        return None

    def option_literal(self, shape: QuestionShape, node: ast.expr) -> str:
        if isinstance(node, ast.Name):
            value: Any = node.id
        elif isinstance(node, ast.Constant) and isinstance(node.value, str | bool):
            value = node.value
        else:
            raise self.fail(node, f"expected an answer of '{shape.id}' "
                                  f"({', '.join(shape.choices)})")
        return self.option(shape, self.path, node.col_offset, value)

    # numbers ---------------------------------------------------------------------------------

    def num(self, node: ast.expr) -> NumExpr:
        if isinstance(node, ast.Constant) and _is_number(node.value):
            return Number(float(node.value))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) \
                and isinstance(node.operand, ast.Constant) and _is_number(node.operand.value):
            return Number(-float(node.operand.value))
        if isinstance(node, ast.Name):
            if node.id in self.ctx.scores:
                return self.ctx.scores[node.id]
            if node.id in self.ctx.broken and node.id not in self.ctx.questions:
                raise Invalid  # the score's own expression is the problem, reported there
            if node.id in self.ctx.score_names and node.id not in self.ctx.questions:
                raise self.fail(node, f"score '{node.id}' is used before it is defined "
                                      f"(or is part of a cycle)")
            shape = self.question(self.path, node.col_offset, node.id)
            if shape.type == NUMBER:
                return Answer(shape.id)
            if shape.type == YES_NO:
                return Count((Is(shape.id, frozenset({"yes"})),))
            raise self.fail(node, f"'{node.id}' is not a number")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in ("count", "sum") and not node.keywords:
            if not node.args:
                raise self.fail(node, f"{node.func.id}() needs at least one argument")
            if node.func.id == "count":
                return Count(tuple(self.cond(a) for a in node.args))
            total = Sum(tuple(self.sum_item(a) for a in node.args))
            if adds_a_decimal(total, self.ctx.questions):  # (0.1 + 0.2 > 0.3 in floats)
                raise self.fail(node, "sum() adds a decimal number, which cannot be added "
                                      "exactly: compare each number on its own")
            return total
        if isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else ast.unparse(node.func)
            raise self.fail(node, f"unknown function '{name}' (only count() and sum())")
        raise self.fail(node, f"'{ast.unparse(node)}' is not allowed here: use numbers, number "
                              f"questions, scores, count() and sum()")

    def sum_item(self, node: ast.expr) -> NumExpr:
        is_cond = isinstance(node, ast.Compare | ast.BoolOp) or (
            isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not))
        if is_cond:
            return Count((self.cond(node),))
        return self.num(node)
