"""`triage verify`: check safety claims on every path of a pack's questionnaire.

The claims (issue 5), each checked on every path :mod:`triage.authoring.answer_space` explores:

``one_disposition``
    every path ends in exactly one disposition (the engine neither fails nor asks for more),
    and the compiled decision function agrees with the three-valued interpreter;
``red_flag_respected``
    where a red flag fires, the disposition is that flag's or more urgent;
``strike_respected``
    where a ``strike_soft_tissue`` contraindication fires, the disposition is neither
    ``soft_tissue`` nor ``both``;
``monotone``
    switching any one given answer to a *red-flag value* never lowers urgency (every way the
    questionnaire can go on after the switch is tried). A red-flag value of a question is an
    answer that pushes some red-flag rule towards firing: it makes a comparison in the rule
    true, or, under a ``not``, false, where the current answer did not. (Reading the negation
    matters: for ``not: area != low_back`` the red-flag value is ``low_back``, not every other
    area.) Single choice and number answers must also keep the red-flag comparisons the
    current answer meets (see :func:`red_flag_switches`). Urgency here is the policy's levels
    (``triage.engine.policy.LEVEL``): emergency > emergency_department > same_day >
    doctor_soon > doctor_first > any therapy or self care > not_enough_information;
``no_unreachable_question``
    every question is asked on some path (the loader already rejects an ``ask_if`` that can
    never be true on its own; this also catches gates that contradict each other, questions
    no rule needs, and questions only rules that are always settled earlier read);
``no_dead_rule``
    every rule fires on some path;
``no_unasked_read``
    no rule's result on a path depends on a question that was not asked there because its
    ``ask_if`` was false: a rule must never fire on an answer nobody gave, and a safety rule
    (red flag, ``strike_soft_tissue``) must never be silenced that way where it would have
    changed the disposition. (Indications and notes that stay quiet because their question
    does not apply are how ``ask_if`` is meant to be used; a safety rule meant to apply only
    where its question is asked says so by including the ``ask_if`` condition);
``no_duplicate_rule``
    no two rules of the same kind have the same condition (after putting ``all``/``any`` items
    in a fixed order) and the same effect. Checked on the rules themselves: always a proof.

Proof or sample. When every path is explored and the answer classes are exact
(:attr:`triage.authoring.answer_space.Domains.exact`), a
claim without counter-example is *proven* for this
pack and this engine, over every possible answer. Paths are counted first; when there are
more than ``max_paths``, random paths are checked instead (a count, or a time budget), with
a few random monotonicity switches per path, and then a targeted search for a path firing
each rule not yet seen. Claims are then only *sampled*; a rule seen firing or a question seen
asked is still proven alive or reachable (the path is the witness), but one not seen is
reported as unconfirmed, not as a violation. A counter-example is always a concrete answer set
run through the engine, so a violation is real in either mode. ``no_duplicate_rule`` is
always proven.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from triage.authoring.answer_space import Domains, explore, random_path
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
from triage.engine.evaluate import (
    MissingAnswers,
    Outcome,
    QuestionStates,
    assess_partial,
    evaluate,
    question_states,
)
from triage.engine.policy import CONTRAINDICATION, INDICATION, LEVEL, RED_FLAG, URGENCY
from triage.pack.compiled import CompiledPack
from triage.pack.specs import RuleSpec

PROVEN = "proven"
SAMPLED = "sampled"
VIOLATED = "violated"

CLAIMS: dict[str, str] = {
    "one_disposition": "every path ends in exactly one disposition",
    "red_flag_respected": "a fired red flag is never outranked by a less urgent disposition",
    "strike_respected": "a systemic contraindication never yields soft tissue therapy",
    "monotone": "switching one answer to a red-flag value never lowers urgency",
    "no_unreachable_question": "every question is asked on some path",
    "no_dead_rule": "every rule fires on some path",
    "no_unasked_read": "no rule result depends on a question not asked on that path",
    "no_duplicate_rule": "no two rules of the same kind are exact duplicates",
}
DEFAULT_MAX_PATHS = 20_000
MAX_COMPLETIONS = 5_000  # continuations enumerated after one monotonicity switch
SWITCH_SAMPLES = 3  # continuations drawn after a switch when sampling
SWITCHES_PER_SAMPLE = 4  # switches tried on each sampled path
DEFAULT_TIME_BUDGET = 5.0  # seconds of sampling: the bundled pack must verify in under 10 s
CACHE_LIMIT = 200_000
# Urgency for monotonicity: the policy's levels of care, where the three therapies and self care
# are one level (moving between physiotherapy and soft tissue therapy is not a change of urgency).
TIER = LEVEL


@dataclass(frozen=True)
class Violation:
    claim: str
    message: str
    answers: dict[str, Any] | None = None  # the counter-example, in asking order
    expect: str | None = None  # what a fixed pack should answer
    actual: str | None = None
    fires: tuple[str, ...] = ()
    not_fires: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClaimResult:
    name: str
    status: str  # proven | sampled | violated
    detail: str = ""

    @property
    def title(self) -> str:
        return CLAIMS[self.name]


@dataclass
class VerifyReport:
    pack_id: str
    pack_version: str
    mode: str  # exhaustive | sampled
    paths: int  # paths explored (or sampled)
    switch_checks: int  # answer sets tried for monotonicity
    seconds: float
    exact: bool
    inexact: list[str]
    claims: list[ClaimResult]
    violations: list[Violation]
    unconfirmed: list[str] = field(default_factory=list)  # sampled mode: not seen, not proven
    limit_note: str = ""

    @property
    def ok(self) -> bool:
        return not self.violations

    @property
    def proven(self) -> bool:
        return all(c.status == PROVEN for c in self.claims)


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


def red_flag_leaves(pack: CompiledPack) -> dict[str, list[Leaf]]:
    """For each question, the red-flag comparisons on it, each with its polarity."""
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
    """
    qtype = pack.question_by_id[qid].type
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


# --------------------------------------------------------------------------- checking paths


@dataclass
class _Checker:
    pack: CompiledPack
    domains: Domains
    rf_leaves: dict[str, list[Leaf]]
    check_monotone: bool = True
    rng: random.Random | None = None  # sampling mode: continuations are drawn, not enumerated
    truncated: bool = False  # some switch had more than MAX_COMPLETIONS continuations
    violations: list[Violation] = field(default_factory=list)
    fired: set[str] = field(default_factory=set)
    asked: set[str] = field(default_factory=set)
    switch_checks: int = 0
    _seen_keys: set[tuple[str, str]] = field(default_factory=set)
    _min_cache: dict[frozenset[tuple[str, Any]], tuple[int, dict[str, Any], str]] = field(
        default_factory=dict)
    # caches: the same answers are reached again and again by monotonicity switches
    _outcomes: dict[frozenset[tuple[str, Any]], Outcome | None] = field(default_factory=dict)
    _switches: dict[tuple[str, Any], list[Any]] = field(default_factory=dict)

    def report(self, v: Violation, key: str) -> None:
        """One counter-example per claim and subject is enough to act on."""
        if (v.claim, key) in self._seen_keys:
            return
        self._seen_keys.add((v.claim, key))
        self.violations.append(v)

    def outcome(self, answers: Mapping[str, Any]) -> Outcome | None:
        key = frozenset(answers.items())
        if key in self._outcomes:
            return self._outcomes[key]
        if len(self._outcomes) > CACHE_LIMIT:  # keep memory bounded on large packs
            self._outcomes.clear()
            self._min_cache.clear()
        try:
            result: Outcome | None = evaluate(self.pack, answers)
        except MissingAnswers:
            result = None
        self._outcomes[key] = result
        return result

    def switches(self, qid: str, current: Any) -> list[Any]:
        key = (qid, current)
        hit = self._switches.get(key)
        if hit is None:
            hit = red_flag_switches(self.pack, self.domains, self.rf_leaves.get(qid, []), qid,
                                    current)
            self._switches[key] = hit
        return hit

    def path(self, answers: dict[str, Any]) -> None:
        pack = self.pack
        self.asked.update(answers)
        outcome = self.outcome(answers)
        if outcome is None:
            partial = assess_partial(pack, answers)
            missing = sorted(partial.states.pending)
            self.report(Violation("one_disposition",
                                  f"the questionnaire stops without a disposition (safety "
                                  f"questions left: {', '.join(missing)})", answers,
                                  expect="doctor_first"), "stop")
            return
        disposition = outcome.disposition
        fired_ids = tuple(r.id for r in outcome.fired)
        self.fired.update(fired_ids)
        states = question_states(pack, answers)
        self._consistency(answers, states, outcome)
        for r in outcome.fired:
            if r.kind == RED_FLAG and URGENCY[disposition] < URGENCY[r.disposition or ""]:
                self.report(Violation(
                    "red_flag_respected",
                    f"red flag '{r.id}' ({r.disposition}) fired but the disposition is "
                    f"{disposition}", answers, expect=r.disposition, actual=disposition,
                    fires=(r.id,)), r.id)
            if r.kind == CONTRAINDICATION and r.effect == "strike_soft_tissue" \
                    and disposition in ("soft_tissue", "both"):
                self.report(Violation(
                    "strike_respected",
                    f"contraindication '{r.id}' removes soft tissue therapy but the disposition "
                    f"is {disposition}", answers, expect="physiotherapy" if disposition == "both"
                    else "doctor_first", actual=disposition, fires=(r.id,)), r.id)
        self._unasked_reads(answers, states, outcome)
        if self.check_monotone:
            self._monotone(states.applicable, disposition)

    def _consistency(self, answers: dict[str, Any], states: QuestionStates,
                     outcome: Outcome) -> None:
        """The compiled function and the interpreter must agree on a finished path."""
        if states.pending:
            return  # stopped early: the interpreter decided, there is nothing to compare
        s = State(states.applicable, frozenset(), self.pack.shapes)
        interpreted = tuple(r.id for r in self.pack.rules if truth(r.when, s) is True)
        compiled = tuple(r.id for r in outcome.fired)
        if interpreted != compiled:
            self.report(Violation(
                "one_disposition",
                f"the compiled decision function fired {list(compiled)} where the condition "
                f"interpreter fires {list(interpreted)} (an engine bug)", answers,
                expect=outcome.disposition), "engine")

    def _unasked_reads(self, answers: dict[str, Any], states: QuestionStates,
                       outcome: Outcome) -> None:
        pack = self.pack
        fired = {r.id for r in outcome.fired}
        hidden = {q.id for q in pack.questions} - set(states.applicable) - states.pending
        if not hidden:
            return
        base = State(states.applicable, states.pending, pack.shapes)
        for rule in pack.rules:
            unasked = rule.reads & hidden
            if not unasked:
                continue
            safety = rule.kind == RED_FLAG or (
                rule.kind == CONTRAINDICATION and rule.effect == "strike_soft_tissue")
            is_fired = rule.id in fired
            if not is_fired and not safety:
                continue
            if not is_fired and not _outranks(rule, outcome.disposition):
                continue  # silenced, but the path already ends at least as safely
            if truth(rule.when, base) is not is_fired:
                continue  # undecided on this path (stopped early): nothing was relied on
            opened = State(states.applicable, states.pending | unasked, pack.shapes)
            if truth(rule.when, opened) is not None:
                continue  # the result holds whatever the unasked questions would say
            names = ", ".join(sorted(unasked))
            if is_fired:
                msg = (f"{rule.kind.replace('_', ' ')} '{rule.id}' fires only because "
                       f"{names} was not asked (an unasked answer counts as no)")
                self.report(Violation("no_unasked_read", msg, answers,
                                      expect=outcome.disposition, actual=outcome.disposition,
                                      not_fires=(rule.id,)), rule.id)
            else:
                msg = (f"{rule.kind.replace('_', ' ')} '{rule.id}' cannot fire here because "
                       f"{names} was not asked (its ask_if is false on this path); if that "
                       f"is intended, write the ask_if condition into the rule")
                self.report(Violation("no_unasked_read", msg, answers,
                                      expect=outcome.disposition, actual=outcome.disposition),
                            rule.id)

    def _monotone(self, applicable: dict[str, Any], disposition: str) -> None:
        urgency = TIER[disposition]
        todo = [(qid, new) for qid, current in applicable.items() if qid in self.rf_leaves
                for new in self.switches(qid, current)]
        if self.rng is not None and len(todo) > SWITCHES_PER_SAMPLE:
            # sampling: spread the effort over many paths rather than every switch of a few
            todo = self.rng.sample(todo, SWITCHES_PER_SAMPLE)
        for qid, new in todo:
            switched = {**applicable, qid: new}
            low, example, got = self._lowest(switched)
            if low < urgency:
                shown = _show(self.pack, qid, new)
                self.report(Violation(
                    "monotone",
                    f"switching '{qid}' to the red-flag value {shown} lowers the "
                    f"disposition from {disposition} to {got}", example,
                    expect=disposition, actual=got), f"{qid}={shown}")

    def _lowest(self, start: dict[str, Any]) -> tuple[int, dict[str, Any], str]:
        """The least urgent way the questionnaire can end from these answers."""
        # Only answers that still apply can matter (a switch may hide questions): keying the
        # cache on them lets paths that differ only in hidden answers share one exploration.
        applicable = question_states(self.pack, start).applicable
        key = frozenset(applicable.items())
        hit = self._min_cache.get(key)
        if hit is not None:
            return hit
        best: tuple[int, dict[str, Any], str] = (TIER["emergency"] + 1, applicable, "")
        certain = assess_partial(self.pack, applicable).disposition
        if certain is not None:
            # settled already: the questions still to come (notes, precautions) cannot change
            # the disposition, so exploring them would only repeat it
            self.switch_checks += 1
            self._min_cache[key] = (TIER[certain], applicable, certain)
            return self._min_cache[key]
        if self.rng is not None:
            ends: Iterable[dict[str, Any]] = (
                random_path(self.pack, self.domains, self.rng, applicable)
                for _ in range(SWITCH_SAMPLES))
        else:
            ends = explore(self.pack, self.domains, applicable, limit=MAX_COMPLETIONS + 1)
        for n, end in enumerate(ends, 1):
            if n > MAX_COMPLETIONS:
                self.truncated = True
                break
            self.switch_checks += 1
            outcome = self.outcome(end)
            got = outcome.disposition if outcome else "no disposition"
            u = TIER.get(got, -1)
            if u < best[0]:
                best = (u, end, got)
        self._min_cache[key] = best
        return best


WITNESS_TRIES = 200  # targeted random paths per rule not yet seen firing


def favoured_answers(pack: CompiledPack, domains: Domains, rule: RuleSpec,
                     rng: random.Random) -> dict[str, list[Any]]:
    """Per question the rule reads, answers that make one of its comparisons hold."""
    out: dict[str, list[Any]] = {}
    for leaf, positive in comparisons(rule.when):
        qids = [leaf.question] if isinstance(leaf, Is | Has) else [
            side.question for side in (leaf.left, leaf.right) if isinstance(side, Answer)
        ] if isinstance(leaf, Compare) else []
        for qid in qids:
            if pack.question_by_id[qid].type == MULTI:
                continue  # below: subsets of the options the rule mentions
            good = [v for v in domains.values(qid)
                    if _leaf_truth(pack, leaf, qid, v) is positive]
            out.setdefault(qid, []).extend(v for v in good if v not in out[qid])
    mentioned: dict[str, list[str]] = {}
    for leaf, _ in comparisons(rule.when):
        if isinstance(leaf, Has):
            mentioned.setdefault(leaf.question, []).append(leaf.option)
    for qid, opts in mentioned.items():
        # random subsets of the options the rule mentions: counts like count(...) == 3 need
        # several ticked at once, which the everyday sampler (few boxes) rarely draws
        out[qid] = [frozenset(o for o in opts if rng.random() < 0.5) for _ in range(16)]
    return out


def _witness_search(checker: _Checker, rng: random.Random, deadline: float | None) -> int:
    """Sampling mode: look for a path on which each rule not yet seen firing does fire.

    A path found is a proof that the rule is alive (it is a real path of the questionnaire);
    not finding one proves nothing. Returns how many paths were tried (all are checked).
    """
    tried = 0
    for rule in checker.pack.rules:
        if rule.id in checker.fired:
            continue
        favour = favoured_answers(checker.pack, checker.domains, rule, rng)
        for _ in range(WITNESS_TRIES):
            if deadline is not None and time.perf_counter() > deadline:
                return tried
            checker.path(random_path(checker.pack, checker.domains, rng, favour=favour))
            tried += 1
            if rule.id in checker.fired:
                break
    return tried


def _outranks(rule: RuleSpec, disposition: str) -> bool:
    """Whether this safety rule, had it fired, would have changed the disposition."""
    if rule.kind == RED_FLAG:
        return URGENCY[disposition] < URGENCY[rule.disposition or ""]
    return disposition in ("soft_tissue", "both")


def _show(pack: CompiledPack, qid: str, value: Any) -> str:
    if isinstance(value, frozenset):
        return "[" + ", ".join(o.id for o in pack.question_by_id[qid].options
                               if o.id in value) + "]"
    return str(value)


# --------------------------------------------------------------------------- entry point


def verify(pack: CompiledPack, *, max_paths: int = DEFAULT_MAX_PATHS,
           samples: int | None = None, time_budget: float = DEFAULT_TIME_BUDGET, seed: int = 0,
           check_monotone: bool = True) -> VerifyReport:
    """Check every claim; see the module docstring. Sampling (beyond ``max_paths``) draws
    ``samples`` paths, or as many as ``time_budget`` seconds allow (at least 20)."""
    started = time.perf_counter()
    domains = Domains(pack)
    rng = random.Random(seed)
    # Count first (cheap: no checks), so a pack too large to enumerate goes straight to
    # sampling instead of spending the budget on the first branches of the tree.
    total = sum(1 for _ in explore(pack, domains, limit=max_paths + 1))
    exhaustive = total <= max_paths
    checker = _Checker(pack, domains, red_flag_leaves(pack), check_monotone,
                       rng=None if exhaustive else rng)
    limit_note = ""
    if exhaustive:
        for answers in explore(pack, domains):
            checker.path(answers)
        paths = total
    else:
        # with a time budget: 70% for everyday random paths, the rest for witness searches
        deadline = time.perf_counter() + time_budget
        sampling_ends = time.perf_counter() + 0.7 * time_budget
        paths = 0
        while (paths < samples) if samples is not None else (
                paths < 20 or time.perf_counter() < sampling_ends):
            checker.path(random_path(pack, domains, rng))
            paths += 1
        limit_note = (f"more than {max_paths:,} paths; checked "
                      f"{paths:,} random paths (seed {seed}) instead, trying "
                      f"{SWITCHES_PER_SAMPLE} monotonicity switches on each with "
                      f"{SWITCH_SAMPLES} random continuations, plus up to "
                      f"{WITNESS_TRIES} targeted paths per rule not seen firing")
        paths += _witness_search(checker, rng, None if samples is not None else deadline)
    checker.violations += duplicate_rules(pack)
    unconfirmed: list[str] = []
    for q in pack.questions:
        if q.id not in checker.asked:
            msg = f"{q.location}: question '{q.id}' is never asked on any path"
            if exhaustive:
                checker.violations.append(Violation("no_unreachable_question", msg))
            else:
                unconfirmed.append(f"question '{q.id}' was not asked on any path tried")
    for r in pack.rules:
        if r.id not in checker.fired:
            msg = (f"{r.location}: {r.kind.replace('_', ' ')} '{r.id}' never fires on any "
                   f"path")
            if exhaustive:
                checker.violations.append(Violation("no_dead_rule", msg))
            else:
                unconfirmed.append(f"rule '{r.id}' did not fire on any path tried")
    proof = exhaustive and domains.exact
    claims = []
    violated = {v.claim for v in checker.violations}
    for name in CLAIMS:
        if name in violated:
            claims.append(ClaimResult(name, VIOLATED))
        elif name == "no_duplicate_rule":
            claims.append(ClaimResult(name, PROVEN, "checked on the rules themselves"))
        elif name == "monotone" and not check_monotone:
            claims.append(ClaimResult(name, SAMPLED, "not checked (--no-monotone)"))
        elif name == "monotone" and proof and checker.truncated:
            claims.append(ClaimResult(name, SAMPLED, f"all paths, but at most "
                                                     f"{MAX_COMPLETIONS:,} continuations "
                                                     f"after a switch"))
        elif proof:
            claims.append(ClaimResult(name, PROVEN, f"all {paths:,} paths"))
        elif not exhaustive:
            claims.append(ClaimResult(name, SAMPLED, f"{paths:,} paths, not all"))
        else:
            claims.append(ClaimResult(name, SAMPLED, "all paths, representative answers only"))
    return VerifyReport(pack.id, pack.version, "exhaustive" if exhaustive else "sampled", paths,
                        checker.switch_checks, time.perf_counter() - started, domains.exact,
                        list(domains.inexact), claims, checker.violations, unconfirmed,
                        limit_note)


# --------------------------------------------------------------------------- counter-examples


def _yaml_scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    if text in ("true", "false", "null", "~", "") or not text.replace("_", "a").isalnum():
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


def answers_yaml(pack: CompiledPack, answers: Mapping[str, Any]) -> str:
    """Answers as a one-line YAML flow mapping, in the pack's asking order."""
    parts = []
    order = [q.id for q in pack.questions if q.id in answers]
    order += [k for k in answers if k not in order]
    for qid in order:
        value = answers[qid]
        if isinstance(value, frozenset | set | list | tuple):
            q = pack.question_by_id.get(qid)
            ids = [o.id for o in q.options if o.id in value] if q else sorted(value)
            shown = "[" + ", ".join(_yaml_scalar(v) for v in ids) + "]"
        else:
            shown = _yaml_scalar(value)
        parts.append(f"{qid}: {shown}")
    return "{" + ", ".join(parts) + "}"


def case_yaml(pack: CompiledPack, v: Violation, index: int) -> str:
    """A ready-to-paste test case (a list item under ``cases:``) for a violation."""
    assert v.answers is not None
    lines = [f"  - id: verify_{v.claim}_{index}",
             f"    description: {_yaml_scalar(v.message)}",
             f"    answers: {answers_yaml(pack, v.answers)}"]
    comment = ""
    if v.claim == "monotone":
        comment = f"  # at least this urgent; the pack now says {v.actual}"
    elif v.claim == "strike_respected":
        comment = "  # anything but soft_tissue or both"
    elif v.claim == "one_disposition":
        comment = "  # choose the disposition this path should give"
    elif v.claim == "no_unasked_read":
        comment = "  # what the pack says today: review it once the question is asked"
    lines.append(f"    expect: {v.expect or 'not_enough_information'}{comment}")
    if v.fires:
        lines.append(f"    fires: [{', '.join(v.fires)}]")
    if v.not_fires:
        lines.append(f"    not_fires: [{', '.join(v.not_fires)}]")
    return "\n".join(lines)


# --------------------------------------------------------------------------- text report


def report_text(pack: CompiledPack, report: VerifyReport) -> str:
    """The report for a terminal or a CI log (plain text, no colour)."""
    lines = [f"triage verify: pack {report.pack_id} {report.pack_version}"]
    how = "exhaustively" if report.mode == "exhaustive" else "by sampling"
    lines.append(f"Explored {report.paths:,} paths {how} "
                 f"(+{report.switch_checks:,} answer sets for monotonicity) "
                 f"in {report.seconds:.2f} s.")
    if report.limit_note:
        lines.append(f"Too large to enumerate ({report.limit_note}).")
    if report.exact:
        lines.append("Answer classes are exact: each representative answer stands for every "
                     "answer that behaves the same.")
    else:
        lines.append("Answer classes are NOT exact, so nothing below is a proof:")
        lines += [f"  - {why}" for why in report.inexact]
    lines.append("")
    width = max(len(c.title) for c in report.claims)
    for c in report.claims:
        detail = f"  ({c.detail})" if c.detail else ""
        lines.append(f"  {c.status.upper():<9} {c.title:<{width}}{detail}")
    if report.unconfirmed:
        lines.append("")
        lines.append("Not confirmed by the paths tried (not proven unreachable or dead):")
        lines += [f"  - {u}" for u in report.unconfirmed]
    if report.violations:
        lines.append("")
        lines.append(f"Violations ({len(report.violations)}):")
        for i, v in enumerate(report.violations, 1):
            lines.append(f"{i}. [{v.claim}] {v.message}")
            if v.answers is not None:
                lines.append("   Counter-example, ready to paste under 'cases:' in the pack's "
                             "tests/ folder:")
                lines.append(case_yaml(pack, v, i))
    lines.append("")
    if report.violations:
        lines.append(f"Result: {len(report.violations)} violation(s).")
    elif report.proven:
        lines.append("Result: every claim proven for this pack.")
    else:
        lines.append("Result: no violation found, but not every claim is proven (see above).")
    return "\n".join(lines) + "\n"


def report_json(report: VerifyReport) -> dict[str, Any]:
    def answers(a: dict[str, Any] | None) -> dict[str, Any] | None:
        if a is None:
            return None
        return {k: sorted(v) if isinstance(v, frozenset) else v for k, v in a.items()}

    return {
        "pack": {"id": report.pack_id, "version": report.pack_version},
        "mode": report.mode, "paths": report.paths, "switch_checks": report.switch_checks,
        "seconds": round(report.seconds, 4), "exact": report.exact, "inexact": report.inexact,
        "limit_note": report.limit_note,
        "claims": [{"name": c.name, "title": c.title, "status": c.status, "detail": c.detail}
                   for c in report.claims],
        "violations": [{"claim": v.claim, "message": v.message, "answers": answers(v.answers),
                        "expect": v.expect, "actual": v.actual} for v in report.violations],
        "unconfirmed": report.unconfirmed,
    }
