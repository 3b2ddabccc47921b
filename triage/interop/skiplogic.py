"""``ask_if`` as FHIR skip logic: ``enableWhen`` where it can say it, SDC
``enableWhenExpression`` (FHIRPath) for everything else. Generated from the condition tree.

Semantics to keep (see :mod:`triage.conditions`): a comparison that reads an absent answer
is false (also ``!=`` and ``not in``), ``count`` adds up true conditions, and an absent
number counts 0 in ``sum``. In a filled form "absent" means "no answer in the response", and
FHIR itself says a disabled question counts as not answered, as in the engine.

- ``enableWhen``: ``q == option``, ``q in [..]``, ``option in q``, numeric comparisons with a
  constant, and all-of / any-of lists of those (``count(...) >= 1`` is an any-of). FHIR's
  ``!=`` is true when there is no answer, so ``!=`` / ``not in`` also get an ``exists``
  clause (hence only inside all-of).
- Anything else becomes a FHIRPath expression over ``%resource`` (the response being
  filled) that always yields true or false, never empty: ``contains`` with a literal on the
  right is false on an empty left side, and every direct read of a number is guarded by
  ``exists()``.
"""

from __future__ import annotations

from typing import Any

from triage.conditions.tree import (
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
    Sum,
)
from triage.interop.fhir_common import (
    ENABLE_WHEN_EXPRESSION,
    Canon,
    coding,
    number_value,
    option_code,
)
from triage.pack.compiled import CompiledPack
from triage.pack.specs import QuestionSpec

# --------------------------------------------------------------------------- simplification


def simplified(cond: Cond) -> Cond:
    """The same condition in the shape FHIR can say most directly: ``count(a, b) >= 1`` is
    ``a or b``, nested all-of / any-of are flattened, one-item lists are their item."""
    if isinstance(cond, And | Or):
        kind = type(cond)
        items: list[Cond] = []
        for item in (simplified(i) for i in cond.items):
            items.extend(item.items if isinstance(item, kind) else (item,))
        return items[0] if len(items) == 1 else kind(tuple(items))
    if isinstance(cond, Not):
        return Not(simplified(cond.item))
    if isinstance(cond, Compare):
        left, right, op = cond.left, cond.right, cond.op
        if isinstance(left, Number) and isinstance(right, Count):
            left, right, op = right, left, _FLIP[op]
        if isinstance(left, Count) and isinstance(right, Number) and (
                (op == ">=" and right.value == 1) or (op == ">" and right.value == 0)
                or (op == "!=" and right.value == 0)):
            return simplified(Or(left.items))
    return cond


_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}

# --------------------------------------------------------------------------- enableWhen


class _NotExpressible(Exception):
    pass


def enable_when(pack: CompiledPack, canon: Canon, cond: Cond, lang: str | None = None,
                ) -> tuple[list[dict[str, Any]], str | None] | None:
    """(enableWhen list, enableBehavior) with the meaning of ``cond``, or None if
    ``enableWhen`` cannot say it. ``enableBehavior`` is None when there is at most one
    clause."""
    lang = lang or pack.default_language
    cond = simplified(cond)
    try:
        if isinstance(cond, Const):
            if cond.value:
                return [], None
            raise _NotExpressible  # never asked: no enableWhen says "never"
        if isinstance(cond, Or):
            clauses = [c for item in cond.items for c in _any_clauses(pack, canon, lang, item)]
            return clauses, ("any" if len(clauses) > 1 else None)
        if isinstance(cond, Is) and not cond.negate and len(cond.options) > 1:
            return _any_clauses(pack, canon, lang, cond), "any"
        items = cond.items if isinstance(cond, And) else (cond,)
        clauses = [c for item in items for c in _all_clauses(pack, canon, lang, item)]
        return clauses, ("all" if len(clauses) > 1 else None)
    except _NotExpressible:
        return None


def _any_clauses(pack: CompiledPack, canon: Canon, lang: str, cond: Cond,
                 ) -> list[dict[str, Any]]:
    """Clauses any one of which makes ``cond`` true (only positive tests qualify)."""
    if isinstance(cond, Is) and not cond.negate:
        q = pack.question_by_id[cond.question]
        return [_clause(pack, canon, lang, q, "=", opt) for opt in _in_order(q, cond.options)]
    clauses = _all_clauses(pack, canon, lang, cond)
    if len(clauses) != 1:
        raise _NotExpressible  # an all-of inside an any-of
    return clauses


def _all_clauses(pack: CompiledPack, canon: Canon, lang: str, cond: Cond,
                 ) -> list[dict[str, Any]]:
    """Clauses all of which together mean ``cond``."""
    if isinstance(cond, Is):
        q = pack.question_by_id[cond.question]
        if not cond.negate:
            if len(cond.options) != 1:
                raise _NotExpressible  # an any-of inside an all-of
            return [_clause(pack, canon, lang, q, "=", next(iter(cond.options)))]
        return [_exists(q), *(_clause(pack, canon, lang, q, "!=", opt)
                              for opt in _in_order(q, cond.options))]
    if isinstance(cond, Has):
        q = pack.question_by_id[cond.question]
        if cond.negate:
            return [_exists(q), _clause(pack, canon, lang, q, "!=", cond.option)]
        return [_clause(pack, canon, lang, q, "=", cond.option)]
    if isinstance(cond, Compare):
        return _compare(pack, cond)
    if isinstance(cond, And):
        return [c for item in cond.items for c in _all_clauses(pack, canon, lang, item)]
    if isinstance(cond, Const) and cond.value:
        return []
    raise _NotExpressible


def _compare(pack: CompiledPack, cond: Compare) -> list[dict[str, Any]]:
    left, right, op = cond.left, cond.right, cond.op
    if isinstance(left, Number) and isinstance(right, Answer):
        left, right, op = right, left, _FLIP[op]
    if not (isinstance(left, Answer) and isinstance(right, Number)):
        raise _NotExpressible  # counts, sums, two questions
    q = pack.question_by_id[left.question]
    value = right.value
    if value in (float("inf"), float("-inf")) or (q.integer and not value.is_integer()):
        raise _NotExpressible
    answer = number_value(q, int(value) if value.is_integer() else value)
    key = {"answer" + k.removeprefix("value"): v for k, v in answer.items()}
    if op == "!=":
        return [_exists(q), {"question": q.id, "operator": "!=", **key}]
    return [{"question": q.id, "operator": "=" if op == "==" else op, **key}]


def _clause(pack: CompiledPack, canon: Canon, lang: str, q: QuestionSpec, operator: str,
            option: str) -> dict[str, Any]:
    if q.type == YES_NO:
        return {"question": q.id, "operator": operator, "answerBoolean": option == "yes"}
    return {"question": q.id, "operator": operator,
            "answerCoding": coding(pack, canon, q, option, lang, translations=False)}


def _exists(q: QuestionSpec) -> dict[str, Any]:
    return {"question": q.id, "operator": "exists", "answerBoolean": True}


def _in_order(q: QuestionSpec, options: frozenset[str]) -> list[str]:
    return [c for c in q.choices if c in options]


# --------------------------------------------------------------------------- FHIRPath


def fhirpath(pack: CompiledPack, cond: Cond | NumExpr) -> str:
    """A FHIRPath expression over ``%resource`` (a QuestionnaireResponse) with the meaning
    of ``cond`` under the engine's rules; always true or false for a condition."""
    return _FhirPath(pack).expr(simplified(cond) if not isinstance(
        cond, Number | Answer | Count | Sum) else cond)


def enable_when_expression(pack: CompiledPack, cond: Cond) -> dict[str, Any]:
    """The SDC ``enableWhenExpression`` extension for ``cond``."""
    return {"url": ENABLE_WHEN_EXPRESSION, "valueExpression": {
        "language": "text/fhirpath", "expression": fhirpath(pack, cond)}}


_FHIRPATH_OPS = {"==": "=", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
_INF = (float("inf"), float("-inf"))


class _FhirPath:
    def __init__(self, pack: CompiledPack) -> None:
        self.pack = pack

    @staticmethod
    def values(qid: str) -> str:
        return f"%resource.item.where(linkId = '{qid}').answer.value"

    def expr(self, node: Cond | NumExpr) -> str:
        if isinstance(node, Const):
            return "true" if node.value else "false"
        if isinstance(node, Is):
            return self._is(node)
        if isinstance(node, Has):
            test = f"({self.values(node.question)}.code contains "\
                   f"'{option_code(node.question, node.option)}')"
            return self._negated(node.question, test) if node.negate else test
        if isinstance(node, And):
            return "(" + " and ".join(self.expr(i) for i in node.items) + ")"
        if isinstance(node, Or):
            # "a in q or b in q": one pass over q's answers
            parts = [f"{self._chosen(qid, options)}.exists()" if qid else self.expr(options[0])
                     for qid, options in self._by_question(node.items)]
            return parts[0] if len(parts) == 1 else "(" + " or ".join(parts) + ")"
        if isinstance(node, Not):
            return f"({self.expr(node.item)}).not()"
        if isinstance(node, Compare):
            return self._compare(node)
        return self._number(node, in_sum=False)

    @staticmethod
    def _by_question(items: tuple[Cond, ...]) -> list[tuple[str, list[Any]]]:
        """Positive ``option in question`` tests grouped by question (the first one's place),
        as (question, [options]); anything else alone, as ("", [condition])."""
        groups: list[tuple[str, list[Any]]] = []
        where: dict[str, list[Any]] = {}
        for item in items:
            if isinstance(item, Has) and not item.negate:
                if item.question not in where:
                    where[item.question] = []
                    groups.append((item.question, where[item.question]))
                if item.option not in where[item.question]:
                    where[item.question].append(item.option)
            else:
                groups.append(("", [item]))
        return groups

    def _chosen(self, qid: str, options: list[Any]) -> str:
        """The distinct chosen codes of ``qid`` among ``options``."""
        tests = " or ".join(f"$this = '{option_code(qid, o)}'" for o in options)
        return f"{self.values(qid)}.code.where({tests}).distinct()"

    def _is(self, node: Is) -> str:
        q = self.pack.question_by_id[node.question]
        values = self.values(q.id)
        if q.type == YES_NO:
            tests = [f"({values} contains {'true' if opt == 'yes' else 'false'})"
                     for opt in _in_order(q, node.options)]
        else:
            tests = [f"({values}.code contains '{option_code(q, opt)}')"
                     for opt in _in_order(q, node.options)]
        test = tests[0] if len(tests) == 1 else "(" + " or ".join(tests) + ")"
        return self._negated(q.id, test) if node.negate else test

    def _negated(self, qid: str, test: str) -> str:
        # false when there is no answer, as in the engine
        return f"({self.values(qid)}.exists() and {test}.not())"

    def _compare(self, node: Compare) -> str:
        left, right, op = node.left, node.right, node.op
        if isinstance(left, Number) and left.value in _INF:
            left, right, op = right, left, _FLIP[op]
        guards = [f"{self.values(side.question)}.exists()"
                  for side in (left, right) if isinstance(side, Answer)]
        if isinstance(right, Number) and right.value in _INF:
            # only "answer < inf"-like tests can hold: they hold whenever there is a value
            holds = (op in ("<", "<=", "!=")) == (right.value > 0)
            return "(" + " and ".join(guards or ["true"]) + ")" if holds else "false"
        test = f"{self._number(left, in_sum=False)} {_FHIRPATH_OPS[op]} " \
               f"{self._number(right, in_sum=False)}"
        return "(" + " and ".join([*guards, test]) + ")"

    def _number(self, node: Cond | NumExpr, *, in_sum: bool) -> str:
        if isinstance(node, Number):
            value = node.value
            return str(int(value)) if value.is_integer() else repr(value)
        if isinstance(node, Answer):
            values = self.values(node.question)
            if in_sum:  # an absent number counts 0 in a sum
                return f"iif({values}.exists(), {values}.first(), 0)"
            return f"{values}.first()"
        if isinstance(node, Count):
            # count(a in q, b in q, ...): how many of those options q's answers hold
            parts = [f"{self._chosen(qid, options)}.count()" if qid
                     else f"iif({self.expr(options[0])}, 1, 0)"
                     for qid, options in self._by_question(node.items)]
            return "(" + " + ".join(parts) + ")"
        if isinstance(node, Sum):
            return "(" + " + ".join(self._number(i, in_sum=True) for i in node.items) + ")"
        raise TypeError(f"not a number: {node!r}")


# --------------------------------------------------------------------------- the pack's own syntax


def condition_text(node: Cond | NumExpr) -> str:
    """A condition in the pack's own syntax (scores appear expanded)."""
    if isinstance(node, Const):
        return "true" if node.value else "false"
    if isinstance(node, Is):
        opts = sorted(node.options)
        if len(opts) == 1:
            return f"{node.question} {'!=' if node.negate else '=='} {opts[0]}"
        return f"{node.question} {'not in' if node.negate else 'in'} [{', '.join(opts)}]"
    if isinstance(node, Has):
        return f"{node.option} {'not in' if node.negate else 'in'} {node.question}"
    if isinstance(node, Compare):
        return f"{condition_text(node.left)} {node.op} {condition_text(node.right)}"
    if isinstance(node, And | Or):
        joiner = " and " if isinstance(node, And) else " or "
        return joiner.join(_grouped(i) for i in node.items)
    if isinstance(node, Not):
        return f"not {_grouped(node.item)}"
    if isinstance(node, Number):
        return str(int(node.value)) if node.value.is_integer() else str(node.value)
    if isinstance(node, Answer):
        return node.question
    if isinstance(node, Count):
        return f"count({', '.join(condition_text(i) for i in node.items)})"
    return f"sum({', '.join(condition_text(i) for i in node.items)})"


def _grouped(node: Cond) -> str:
    text = condition_text(node)
    return f"({text})" if isinstance(node, And | Or) else text


def skip_logic(pack: CompiledPack, canon: Canon, cond: Cond | None, lang: str,
               ) -> dict[str, Any]:
    """The item fields that enable an item when ``cond`` holds: enableWhen (+
    enableBehavior) where it can say it, else an ``extension`` list holding an
    enableWhenExpression."""
    if cond is None:
        return {}
    found = enable_when(pack, canon, cond, lang)
    if found is None:
        return {"extension": [enable_when_expression(pack, cond)]}
    clauses, behavior = found
    out: dict[str, Any] = {}
    if clauses:
        out["enableWhen"] = clauses
    if behavior:
        out["enableBehavior"] = behavior
    return out
