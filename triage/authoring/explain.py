"""`triage explain`: why one answer set got its disposition, and what would have changed it.

The trace lists every rule as true, false or unknown (three-valued: unknown while a question
it needs is unanswered), with each comparison inside it and the answer it read. The
counterfactuals are the smallest answer changes that change the disposition: every single
change first, then pairs of changes, but only for dispositions no single change reaches.
Answers are changed to the representatives of :mod:`triage.authoring.answer_space` (every
choice; for numbers, one value per range the pack's thresholds create), so every distinct
outcome is found.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from triage.authoring.answer_space import Domains
from triage.authoring.describe import cond_text
from triage.conditions.tree import And, Compare, Cond, Count, Not, NumExpr, Or, Sum, questions_read
from triage.conditions.truth import State, Truth, truth
from triage.engine.evaluate import assess_partial
from triage.engine.refusal import screen_answers, sign_messages
from triage.pack.compiled import CompiledPack
from triage.pack.specs import RuleSpec
from triage.render import answer_text

MAX_PER_DISPOSITION = 5  # counterfactuals shown per new disposition


@dataclass(frozen=True)
class LeafTrace:
    text: str
    value: Truth
    reads: tuple[tuple[str, str], ...]  # (question id, what we know of its answer)


@dataclass(frozen=True)
class RuleTrace:
    rule: RuleSpec
    value: Truth
    leaves: tuple[LeafTrace, ...]


@dataclass(frozen=True)
class Change:
    """Answer changes (question id, new answer) and the disposition they lead to."""

    changes: tuple[tuple[str, Any], ...]
    disposition: str


@dataclass(frozen=True)
class IgnoredSign:
    """A warning sign answered to a question that does not apply (no disposition then)."""

    question: str
    red_flag: str
    message: str  # as ``assess`` words it


@dataclass
class Explanation:
    disposition: str | None
    missing: list[str]  # safety questions without an answer (no disposition then)
    rules: list[RuleTrace]
    ignored_signs: list[IgnoredSign] = field(default_factory=list)
    one: list[Change] = field(default_factory=list)
    two: list[Change] = field(default_factory=list)


def _leaf_nodes(node: Cond) -> list[Cond]:
    out: list[Cond] = []
    if isinstance(node, And | Or):
        for item in node.items:
            out += _leaf_nodes(item)
    elif isinstance(node, Not):
        out += _leaf_nodes(node.item)
    else:
        out.append(node)
    return out


def _count_items(node: NumExpr) -> list[Cond]:
    if isinstance(node, Count):
        return [leaf for item in node.items for leaf in _leaf_nodes(item)]
    if isinstance(node, Sum):
        return [leaf for item in node.items for leaf in _count_items(item)]
    return []


def _known(pack: CompiledPack, qid: str, s: State, lang: str,
           given: Mapping[str, Any]) -> str:
    if qid in s.pending:
        return "not answered yet"
    if qid in s.answers:
        return answer_text(pack, qid, s.answers[qid], lang)
    if given.get(qid) is not None:  # the answer the engine ignores: the author must see it
        return (f"{answer_text(pack, qid, given[qid], lang)}, answered but not asked "
                "(its ask_if is false): ignored")
    return "not asked (its ask_if is false)"


def trace_rule(pack: CompiledPack, rule: RuleSpec, s: State, lang: str,
               given: Mapping[str, Any] | None = None) -> RuleTrace:
    """``given``: every answer given, so that an ignored one is shown next to its leaf."""
    leaves = []
    for leaf in _leaf_nodes(rule.when):
        parts = [leaf]
        if isinstance(leaf, Compare):  # show what a count() or sum() is made of
            parts += _count_items(leaf.left) + _count_items(leaf.right)
        for part in parts:
            reads = tuple((q, _known(pack, q, s, lang, given or {}))
                          for q in sorted(questions_read(part)))
            leaves.append(LeafTrace(cond_text(part), truth(part, s), reads))
    return RuleTrace(rule, truth(rule.when, s), tuple(leaves))


def settled(pack: CompiledPack, answers: Mapping[str, Any]) -> str | None:
    """The disposition these answers give, or None if ``assess`` would give none (a safety
    answer missing, a warning sign answered where it does not apply)."""
    screened = screen_answers(pack, answers)
    return None if screened.refused or screened.outcome is None else screened.outcome.disposition


def _alternatives(pack: CompiledPack, domains: Domains, qid: str, current: Any) -> list[Any]:
    values = domains.values(qid)
    if pack.question_by_id[qid].type == "multi":
        # the smallest change to a multiple choice answer: tick or untick one option
        have = current if isinstance(current, frozenset) else frozenset()
        values = [have ^ {o} for o in domains.mentioned.get(qid, ())]
    return [v for v in values if v != current]


def explain(pack: CompiledPack, answers: Mapping[str, Any], lang: str = "en",
            *, counterfactuals: bool = True) -> Explanation:
    partial = assess_partial(pack, answers)
    s = State(partial.states.applicable, partial.states.pending, pack.shapes)
    rules = [trace_rule(pack, r, s, lang, answers) for r in pack.rules]
    screened = screen_answers(pack, answers)
    disposition = None
    if not screened.refused and screened.outcome is not None:
        disposition = screened.outcome.disposition
    red_flag = {q: sign.rule.id for sign in screened.signs for q in sign.questions}
    result = Explanation(disposition, list(screened.missing), rules, [
        IgnoredSign(q, red_flag[q], message)
        for q, message in sign_messages(pack, screened, answers)])
    if not counterfactuals or disposition is None:
        return result
    domains = Domains(pack)
    singles = [(q.id, v) for q in pack.questions
               for v in _alternatives(pack, domains, q.id, answers.get(q.id))]
    reached: dict[str, list[Change]] = {}
    for qid, v in singles:
        got = settled(pack, {**answers, qid: v})
        if got is not None and got != disposition:
            _keep(reached, Change(((qid, v),), got), answers)
    result.one = [c for changes in reached.values() for c in changes[:MAX_PER_DISPOSITION]]
    pairs: dict[str, list[Change]] = {}
    for (q1, v1), (q2, v2) in itertools.combinations(singles, 2):
        if q1 == q2:
            continue
        got = settled(pack, {**answers, q1: v1, q2: v2})
        if got is None or got == disposition or got in reached:
            continue
        _keep(pairs, Change(((q1, v1), (q2, v2)), got), answers)
    result.two = [c for changes in pairs.values() for c in changes[:MAX_PER_DISPOSITION]]
    return result


def _distance(change: Change, answers: Mapping[str, Any]) -> float:
    total = 0.0
    for qid, v in change.changes:
        old = answers.get(qid)
        if isinstance(v, int | float) and isinstance(old, int | float):
            total += abs(v - old)
    return total


def _keep(found: dict[str, list[Change]], change: Change, answers: Mapping[str, Any]) -> None:
    """One change per set of questions and outcome: the nearest number wins (54 -> 55)."""
    same = found.setdefault(change.disposition, [])
    qids = tuple(q for q, _ in change.changes)
    for i, other in enumerate(same):
        if tuple(q for q, _ in other.changes) == qids:
            if _distance(change, answers) < _distance(other, answers):
                same[i] = change
            return
    same.append(change)


# --------------------------------------------------------------------------- text


_WORD = {True: "TRUE", False: "FALSE", None: "UNKNOWN"}


def change_sentence(pack: CompiledPack, change: Change, answers: Mapping[str, Any],
                    lang: str) -> str:
    """"You would have been told ... if you had answered yes to ..." in plain words."""

    label = pack.text(pack.dispositions[change.disposition]["label"], lang)
    parts = []
    for qid, value in change.changes:
        q = pack.question_by_id[qid]
        question = f"\"{pack.text(q.text, lang)}\""
        if q.type == "multi":
            old = answers.get(qid)
            have = old if isinstance(old, frozenset) else frozenset()
            names = {o.id: f"\"{pack.text(o.text, lang)}\"" for o in q.options}
            words = [f"also ticked {names[o]}" for o in sorted(value - have)]
            words += [f"not ticked {names[o]}" for o in sorted(have - value)]
            parts.append(" and ".join(words) + f" for {question}")
        else:
            parts.append(f"answered {answer_text(pack, qid, value, lang)} to {question}")
    return (f"You would have been told \"{label}\" ({change.disposition}) if you had "
            + " and ".join(parts) + ".")


def explanation_text(pack: CompiledPack, e: Explanation, answers: Mapping[str, Any],
                     lang: str) -> str:
    if e.disposition is None:
        lines = []
        if e.ignored_signs:
            lines.append("No disposition: answers to questions that do not apply state a "
                         "warning sign:")
            lines += [f"  - {sign.message}" for sign in e.ignored_signs]
        if e.missing:
            lines.append(f"No disposition: these safety questions have no answer: "
                         f"{', '.join(e.missing)}")
    else:
        label = pack.text(pack.dispositions[e.disposition]["label"], lang)
        lines = [f"Disposition: {e.disposition} ({label})"]
    lines += ["", "Rules (in the engine's order: red flags most urgent first):"]
    for t in e.rules:
        r = t.rule
        extra = r.disposition or r.effect or r.supports or ""
        lines.append(f"  {_WORD[t.value]:<8} {r.kind.replace('_', ' ')} '{r.id}'"
                     + (f" -> {extra}" if extra else "") + f"  [{r.location}]")
        for leaf in t.leaves:
            known = "; ".join(f"{q}: {k}" for q, k in leaf.reads)
            lines.append(f"             {leaf.text}: {_WORD[leaf.value].lower()}"
                         + (f"  ({known})" if known else ""))
    if e.disposition is not None:
        lines += ["", "What would have changed the disposition:"]
        if not e.one and not e.two:
            lines.append("  No change of one or two answers changes it.")
        if e.one:
            lines.append("  One answer different:")
            lines += [f"  - {change_sentence(pack, c, answers, lang)}" for c in e.one]
        if e.two:
            lines.append("  Two answers different (only outcomes no single change reaches):")
            lines += [f"  - {change_sentence(pack, c, answers, lang)}" for c in e.two]
    return "\n".join(lines) + "\n"


def explanation_json(e: Explanation) -> dict[str, Any]:
    def plain(v: Any) -> Any:
        return sorted(v) if isinstance(v, frozenset) else v

    def change(c: Change) -> dict[str, Any]:
        return {"changes": {q: plain(v) for q, v in c.changes}, "disposition": c.disposition}

    return {
        "disposition": e.disposition, "missing": e.missing,
        "ignored_warning_signs": [{"question": i.question, "red_flag": i.red_flag,
                                   "message": i.message} for i in e.ignored_signs],
        "rules": [{"id": t.rule.id, "kind": t.rule.kind, "value": t.value,
                   "leaves": [{"condition": lf.text, "value": lf.value, "answers": dict(lf.reads)}
                              for lf in t.leaves]} for t in e.rules],
        "one_change": [change(c) for c in e.one],
        "two_changes": [change(c) for c in e.two],
    }

