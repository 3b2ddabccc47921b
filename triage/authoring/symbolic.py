"""A rule pack as a formula for the Z3 solver: answers, ``ask_if`` gates, conditions, points and
the decision policy, so that `triage verify` can prove claims over every answer set.

The answer space is every *complete* answer set: each question whose ``ask_if`` holds has an
answer, each other question is absent (as :mod:`triage.conditions.truth` reads it: every
comparison on an absent answer is false, in ``sum`` it counts 0). The questionnaire stops early
only when the three-valued evaluation is certain, and Kleene's logic is sound, so the outcome of
every questionnaire path is the outcome of every complete answer set that extends it: a claim
proven here holds on every path too.

Variables, per question: yes/no a Bool (true is yes), single choice an Int option index,
multiple choice a Bool per option, number an Int (``integer``) or Real within ``min``..``max``.
Numbers need no splitting into ranges: comparisons and sums are linear arithmetic, exact.

The policy is not restated: :func:`policy_cases` runs :func:`triage.engine.policy.disposition`
itself on symbolic totals, following every branch it takes, so a new disposition or a new
step in the policy is encoded with no change here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import z3

from triage.conditions.tree import (
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
)
from triage.engine.evaluate import question_states
from triage.pack.compiled import CompiledPack
from triage.pack.specs import QuestionSpec


class NotEncodable(Exception):
    """The pack or the policy uses something this encoding cannot express exactly."""


# --------------------------------------------------------------------------- answers


@dataclass(frozen=True)
class AnswerVars:
    """The solver variables of one question's answer (its presence is worked out apart)."""

    question: QuestionSpec
    value: Any  # Bool (yes/no), Int (single: option index; number), Real (number)
    options: Mapping[str, Any]  # multiple choice: option id -> Bool
    name: str | None = None  # the variables' name (options: name.option); None: expressions

    def domain(self) -> list[Any]:
        """Constraints every answer meets (an option index in range, a number in bounds)."""
        q = self.question
        if q.type == SINGLE:
            return [self.value >= 0, self.value < len(q.options)]
        if q.type == NUMBER:
            out = []
            if q.min is not None:
                out.append(self.value >= _num(q.min))
            if q.max is not None:
                out.append(self.value <= _num(q.max))
            return out
        return []


# The formulas are built through z3's C API: z3.And, z3.Or, z3.Not and z3.If check and
# convert every argument in Python (its sort, its context), which was about a third of the
# CPU time of `triage verify` on the bundled pack, more than some claims' solving. The
# arguments here are z3 expressions of one context and of the right sort by construction.

def any_of(exprs: Sequence[Any]) -> Any:
    """``z3.Or`` of Bool expressions without z3's argument checks (slow on long lists)."""
    return _joined(z3.Z3_mk_or, exprs, empty=False)


def all_of(exprs: Sequence[Any]) -> Any:
    """``z3.And`` of Bool expressions, as :func:`any_of`."""
    return _joined(z3.Z3_mk_and, exprs, empty=True)


def _joined(make: Callable[..., Any], exprs: Sequence[Any], *, empty: bool) -> Any:
    if not exprs:
        return z3.BoolVal(empty)
    if len(exprs) == 1:
        return exprs[0]
    ctx = exprs[0].ctx
    array = (z3.Ast * len(exprs))(*(e.as_ast() for e in exprs))
    return z3.BoolRef(make(ctx.ref(), len(exprs), array), ctx)


def negation(expr: Any) -> Any:
    """``z3.Not`` of a Bool expression, as :func:`any_of`."""
    return z3.BoolRef(z3.Z3_mk_not(expr.ctx.ref(), expr.as_ast()), expr.ctx)


def either(test: Any, then: Any, otherwise: Any) -> Any:
    """``z3.If(test, then, otherwise)`` for two numbers of one sort (Int or Real)."""
    ctx = test.ctx
    return z3.ArithRef(z3.Z3_mk_ite(ctx.ref(), test.as_ast(), then.as_ast(),
                                    otherwise.as_ast()), ctx)


def total(terms: Sequence[Any]) -> Any:
    """``z3.Sum`` of numbers; through the C API when they are all of one sort (z3.Sum
    converts Ints to Reals beside a Real)."""
    if not terms:
        return z3.IntVal(0)
    if len(terms) == 1:
        return terms[0]
    sort = terms[0].sort()
    if any(t.sort() != sort for t in terms[1:]):
        return z3.Sum(*terms)
    ctx = terms[0].ctx
    array = (z3.Ast * len(terms))(*(t.as_ast() for t in terms))
    return z3.ArithRef(z3.Z3_mk_add(ctx.ref(), len(terms), array), ctx)


def weighted(conds: Sequence[Any], weights: Sequence[int]) -> Any:
    """``Sum(If(c, w, 0))`` of Bool expressions and whole-number weights, as :func:`total`
    (a weight of 0 adds nothing and is left out)."""
    terms = [(c, w) for c, w in zip(conds, weights, strict=True) if w]
    if not terms:
        return z3.IntVal(0)
    zero = z3.IntVal(0, terms[0][0].ctx)
    values = {w: z3.IntVal(w, zero.ctx) for _, w in terms}
    return total([either(c, values[w], zero) for c, w in terms])


def _num(x: float) -> Any:
    return z3.IntVal(int(x)) if float(x).is_integer() else z3.RealVal(Fraction(x))


def answer_vars(q: QuestionSpec, tag: str = "") -> AnswerVars:
    """The variables of ``q``'s answer. A question that repeats another (asked again later,
    for those it was not asked: their gates never both hold) shares that question's
    variables: the same person gives the same answer whichever of the two is asked, so a
    switch that moves the question from one place to the other changes nothing else."""
    name = f"{q.repeats or q.id}{tag}"
    if q.type == YES_NO:
        return AnswerVars(q, z3.Bool(name), {}, name)
    if q.type == SINGLE:
        return AnswerVars(q, z3.Int(name), {}, name)
    if q.type == NUMBER:
        return AnswerVars(q, z3.Int(name) if q.integer else z3.Real(name), {}, name)
    if q.type == MULTI:
        return AnswerVars(q, None, {o.id: z3.Bool(f"{name}.{o.id}") for o in q.options}, name)
    raise NotEncodable(f"question '{q.id}' has a type the solver does not know: {q.type}")


@dataclass
class Env:
    """One answer set: each question's answer variables and whether it is present."""

    vars: dict[str, AnswerVars]
    present: dict[str, Any]  # question id -> Bool expression
    # questions whose answer or presence differ from the env this one was made from
    changed: set[str] = field(default_factory=set)
    memo: dict[int, Any] = field(default_factory=dict)  # id(condition node) -> expression


def gate_env(pack: CompiledPack, vars: Mapping[str, AnswerVars], *, base: Env | None = None,
             changed: Iterable[str] = ()) -> Env:
    """Presence of every question from its ``ask_if`` (gates read only earlier questions).
    With ``base``, only the gates that read a ``changed`` question are encoded again."""
    env = Env(dict(vars), {}, set(changed))
    for q in pack.questions:
        if q.ask_if is None:
            env.present[q.id] = z3.BoolVal(True)
        elif base is not None and not pack.gate_reads[q.id] & env.changed:
            env.present[q.id] = base.present[q.id]
        else:
            env.present[q.id] = z3.simplify(cond(q.ask_if, env))
            if base is not None:
                env.changed.add(q.id)
    return env


def cond(node: Cond, env: Env) -> Any:
    """A condition as a Bool over ``env`` (absent answers as in conditions.truth)."""
    key = id(node)  # the pack's trees live as long as the encoding; shared subtrees repeat
    hit = env.memo.get(key)
    if hit is None:
        hit = env.memo[key] = _cond(node, env)
    return hit


def _cond(node: Cond, env: Env) -> Any:
    if isinstance(node, Const):
        return z3.BoolVal(node.value)
    if isinstance(node, Is):
        av = env.vars[node.question]
        q = av.question
        if q.type == YES_NO:
            tests = [av.value if o == "yes" else negation(av.value) for o in node.options]
        else:
            index = {o.id: i for i, o in enumerate(q.options)}
            tests = [av.value == index[o] for o in sorted(node.options)]
        inside = any_of(tests)
        return all_of([env.present[node.question], negation(inside) if node.negate else inside])
    if isinstance(node, Has):
        ticked = env.vars[node.question].options[node.option]
        return all_of([env.present[node.question], negation(ticked) if node.negate else ticked])
    if isinstance(node, And):
        return all_of([cond(i, env) for i in node.items])
    if isinstance(node, Or):
        return any_of([cond(i, env) for i in node.items])
    if isinstance(node, Not):
        return negation(cond(node.item, env))
    if isinstance(node, Compare):
        guards = [env.present[side.question] for side in (node.left, node.right)
                  if isinstance(side, Answer)]  # a direct comparison with an absent answer
        left, right = number(node.left, env), number(node.right, env)
        return all_of([*guards, _COMPARE[node.op](left, right)])
    raise NotEncodable(f"condition node {type(node).__name__}")


_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b, "==": lambda a, b: a == b, "!=": lambda a, b: a != b}


def number(node: NumExpr, env: Env) -> Any:
    if isinstance(node, Number):
        return _num(node.value)
    if isinstance(node, Answer):
        # inside a sum an absent answer counts 0; a direct comparison is guarded by the caller
        value = env.vars[node.question].value
        zero = z3.IntVal(0, value.ctx) if value.is_int() else z3.RealVal(0, value.ctx)
        return either(env.present[node.question], value, zero)
    if isinstance(node, Count):
        return weighted([cond(i, env) for i in node.items], [1] * len(node.items))
    return total([number(i, env) for i in node.items])


def answers_of(pack: CompiledPack, env: Env, model: Any) -> dict[str, Any]:
    """The answers of a solver model, in normal form, in pack order: the questions whose
    ``ask_if`` holds, worked out by the engine's own gates (evaluating each presence through
    the model is slow on large packs; the engine's disposition is compared with the model's
    by every caller, so a gate read differently shows there).

    Read from the model's assignments in one pass; a variable the model leaves free takes its
    first value."""
    assigned = {d.name(): model[d] for d in model.decls()}
    raw: dict[str, Any] = {}
    for q in pack.questions:
        name = env.vars[q.id].name
        assert name is not None  # answers are read only from plain variables
        if q.type == YES_NO:
            raw[q.id] = "yes" if z3.is_true(assigned.get(name)) else "no"
        elif q.type == SINGLE:
            v = assigned.get(name)
            raw[q.id] = q.options[v.as_long() if v is not None else 0].id
        elif q.type == MULTI:
            raw[q.id] = frozenset(o.id for o in q.options
                                  if z3.is_true(assigned.get(f"{name}.{o.id}")))
        else:
            v = assigned.get(name)
            if v is None:
                raw[q.id] = int(q.min or 0) if q.integer else float(q.min or 0)
            elif q.integer:
                raw[q.id] = v.as_long()
            else:
                f = v.as_fraction()
                raw[q.id] = int(f) if f.denominator == 1 else float(f)
    return question_states(pack, raw).applicable
