"""Red-flag values (what "switching an answer to a red-flag value" means) and duplicate rules,
for `triage verify`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from triage.authoring.answer_space import Domains
from triage.authoring.verify_report import Violation
from triage.conditions.tree import (
    MULTI,
    NUMBER,
    SINGLE,
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
from triage.conditions.truth import State, truth
from triage.engine.policy import (
    CONTRAINDICATION,
    INDICATION,
    NOT_SURE,
    RED_FLAG,
    is_safety_rule,
)
from triage.pack.compiled import CompiledPack
from triage.pack.specs import QuestionSpec, RuleSpec

# --------------------------------------------------------------------------- red-flag values


def comparisons(node: Cond, positive: bool = True) -> Iterable[tuple[Cond, bool]]:
    """Comparisons of a condition with their polarity (False under an odd number of nots)."""
    if isinstance(node, And | Or):
        for item in node.items:
            yield from comparisons(item, positive)
    elif isinstance(node, Not):
        yield from comparisons(node.item, not positive)
    elif isinstance(node, Compare):
        yield node, positive
        # items counted towards a score: more of them pushes '>=' up, '<=' down
        for side, other_first in ((node.left, True), (node.right, False)):
            for count in _counts(side):
                grows = node.op in ((">", ">=") if other_first else ("<", "<="))
                shrinks = node.op in (("<", "<=") if other_first else (">", ">="))
                for item in count.items:
                    if grows or node.op in ("==", "!="):
                        yield from comparisons(item, positive)
                    if shrinks or node.op in ("==", "!="):
                        yield from comparisons(item, not positive)
    elif isinstance(node, Is | Has):
        yield node, positive


def _counts(node: NumExpr) -> Iterable[Count]:
    if isinstance(node, Count):
        yield node
    elif isinstance(node, Sum):
        for item in node.items:
            yield from _counts(item)


Leaf = tuple[Cond, bool]


def safety_questions(pack: CompiledPack) -> list[QuestionSpec]:
    """The questions whose "not sure" must count as yes (claim ``not_sure_counts_as_yes``):
    those offering "not sure" that the pack marks as safety questions (``red_flag_screen``)
    or that a safety rule reads. A question whose "not sure" deliberately does not escalate
    must say so by being neither; :func:`not_sure_not_safety` lists them in the report."""
    reads: set[str] = set()
    for rule in pack.rules:
        if is_safety_rule(rule):
            reads |= rule.reads
    return [q for q in pack.questions if q.type in (SINGLE, MULTI) and NOT_SURE in q.choices
            and (q.red_flag_screen or q.id in reads)]


def not_sure_not_safety(pack: CompiledPack) -> list[str]:
    """Questions offering "not sure" that are not safety questions: their "not sure" is not
    compared with the definite answers."""
    checked = {q.id for q in safety_questions(pack)}
    return [q.id for q in pack.questions if q.type in (SINGLE, MULTI)
            and NOT_SURE in q.choices and q.id not in checked]


def red_flag_leaves(pack: CompiledPack) -> dict[str, list[Leaf]]:
    """For each question, the red-flag comparisons on it, each with its polarity.

    On a question that says where the problem is (``places``), only the comparisons met by
    choosing a place: choosing one more place is a red-flag value, leaving one out is not
    (a red flag that repeats "no place chosen", the gate of the follow-up question, reads
    every place negatively; that is the place question's empty answer, not a sign of
    anything; see :func:`red_flag_switches`)."""
    out: dict[str, list[Leaf]] = {}
    for rule in pack.rules:
        if rule.kind != RED_FLAG:
            continue
        for leaf, positive in comparisons(rule.when):
            reads: set[str] = set()
            if isinstance(leaf, Is | Has):
                reads = {leaf.question}
            elif isinstance(leaf, Compare):
                reads = {side.question for side in (leaf.left, leaf.right)
                         if isinstance(side, Answer)}
            for qid in reads:
                if not positive and pack.question_by_id[qid].places is not None:
                    continue
                if (leaf, positive) not in out.setdefault(qid, []):
                    out[qid].append((leaf, positive))
    return out


def _leaf_truth(pack: CompiledPack, leaf: Cond, qid: str, value: Any) -> bool | None:
    return truth(leaf, State({qid: value}, frozenset(), pack.shapes))


def red_flag_switches(pack: CompiledPack, domains: Domains, leaves: list[Leaf], qid: str,
                      current: Any) -> list[Any]:
    """The answers that are red-flag values *compared with* ``current``.

    A new answer is a red-flag value when it makes some red-flag comparison (read with its
    negations) hold that the current answer leaves unmet. Comparing with the current answer
    matters for numbers: moving age from 66 to 55 meets no new red-flag threshold even though
    55 meets ``age >= 55``.

    For single choice and number questions the new answer must also keep every red-flag
    comparison the current answer meets: their answers are categories and ranges, and moving
    from one area with its own red flag to another area with another is a different
    complaint, not a worse one. Yes/no answers and ticked options are symptoms present or
    absent, so there a red flag that is lost on the way is exactly what the claim is about
    (``severe_pain and not fever`` lost by answering yes to fever, itself a red flag).

    On a question that says where the problem is (``places``), a red-flag value chooses one
    more place *beside a place already chosen*. With no place chosen, the pack's
    ``problem_with_no_place`` says whether there is a problem at all; where there is, it
    counts as every place (claim ``no_place_left_out`` proves it), so choosing a first
    place narrows the questions rather than adding a sign.
    """
    question = pack.question_by_id[qid]
    qtype = question.type
    if question.places is not None and not current:
        return []
    if qtype == MULTI:
        have = current if isinstance(current, frozenset) else frozenset()
        candidates: list[Any] = []
        for leaf, _ in leaves:
            if isinstance(leaf, Has):
                candidates += [have | {leaf.option}, have - {leaf.option}]
    else:
        candidates = list(domains.values(qid))
    categorical = qtype in (SINGLE, NUMBER)
    out: list[Any] = []
    for new in candidates:
        if new == current or new in out:
            continue
        before = [_leaf_truth(pack, leaf, qid, current) is positive for leaf, positive in leaves]
        after = [_leaf_truth(pack, leaf, qid, new) is positive for leaf, positive in leaves]
        gained = any(a and not b for a, b in zip(after, before, strict=True))
        lost = any(b and not a for a, b in zip(after, before, strict=True))
        if gained and not (categorical and lost):
            out.append(new)
    return out


# --------------------------------------------------------------------------- duplicates


def canonical(node: Cond | NumExpr) -> Any:
    """A hashable form of a checked tree in which ``all``/``any`` item order does not count."""
    if isinstance(node, And | Or):
        items: list[Any] = []
        for item in node.items:
            c = canonical(item)
            # nested all-in-all (any-in-any) is the same condition flattened
            if isinstance(c, tuple) and c and c[0] == type(node).__name__:
                items.extend(c[1])
            else:
                items.append(c)
        if len(items) == 1:
            return items[0]
        return (type(node).__name__, frozenset(items))
    if isinstance(node, Not):
        return ("Not", canonical(node.item))
    if isinstance(node, Count):
        return ("Count", tuple(sorted((canonical(i) for i in node.items), key=repr)))
    if isinstance(node, Sum):
        return ("Sum", tuple(sorted((canonical(i) for i in node.items), key=repr)))
    if isinstance(node, Compare):
        return ("Compare", node.op, canonical(node.left), canonical(node.right))
    if isinstance(node, Const | Is | Has | Number | Answer):
        return node
    raise TypeError(node)  # pragma: no cover - every node type is handled above


def _effect(rule: RuleSpec) -> Any:
    if rule.kind == RED_FLAG:
        return rule.disposition
    if rule.kind == CONTRAINDICATION:
        # a strike is a strike whatever its note says; other effects differ by their note
        return (rule.effect,) if rule.effect == "strike_soft_tissue" else (
            rule.effect, tuple(sorted((rule.note or {}).items())))
    if rule.kind == INDICATION:
        return (rule.supports, rule.points, tuple(tuple(sorted(t.items()))
                                                  for t in rule.techniques))
    return tuple(sorted(rule.reason.items()))  # notes: the advice itself is the effect


def duplicate_rules(pack: CompiledPack) -> list[Violation]:
    seen: dict[Any, RuleSpec] = {}
    out = []
    for rule in sorted(pack.rules, key=lambda r: (r.location.file, r.location.line)):
        key = (rule.kind, canonical(rule.when), _effect(rule))
        first = seen.get(key)
        if first is None:
            seen[key] = rule
            continue
        out.append(Violation(
            "no_duplicate_rule",
            f"{rule.location}: {rule.kind.replace('_', ' ')} '{rule.id}' duplicates "
            f"'{first.id}' ({first.location}): same condition, same effect"))
    return out

