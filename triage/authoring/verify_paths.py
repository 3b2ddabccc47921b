"""`triage verify` by walking questionnaire paths: the fallback when a pack cannot be encoded
for the solver (see :mod:`triage.authoring.verify`). Every path the engine can follow is
explored when there are few enough, else random paths are checked and claims are reported as
*sampled*, never as proven.

The claims are those of :data:`triage.authoring.verify_report.CLAIMS`, checked on each path
:mod:`triage.authoring.answer_space` explores; a counter-example is always a concrete answer
set run through the engine, so a violation is real in either mode. When every path is explored
and the answer classes are exact, a claim without counter-example is proven for this pack.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from triage.authoring.answer_space import Domains, explore, random_path
from triage.authoring.counter_examples import outranks, show_answer
from triage.authoring.red_flag_values import (
    Leaf,
    _leaf_truth,
    comparisons,
    duplicate_rules,
    red_flag_leaves,
    red_flag_switches,
)
from triage.authoring.verify_places import carry_repeats
from triage.authoring.verify_report import (
    CLAIMS,
    NOT_CHECKED,
    PROVEN,
    SAMPLED,
    SYMBOLIC_ONLY,
    VIOLATED,
    ClaimResult,
    VerifyReport,
    Violation,
)
from triage.conditions.tree import MULTI, Answer, Compare, Has, Is
from triage.conditions.truth import State, truth
from triage.engine.evaluate import (
    MissingAnswers,
    Outcome,
    QuestionStates,
    assess_partial,
    evaluate,
    question_states,
)
from triage.engine.policy import (
    CONTRAINDICATION,
    RED_FLAG,
    URGENCY,
    WITH_SOFT_TISSUE,
    urgency_tier,
)
from triage.pack.compiled import CompiledPack
from triage.pack.specs import RuleSpec

DEFAULT_MAX_PATHS = 20_000
MAX_COMPLETIONS = 5_000  # continuations enumerated after one monotonicity switch
SWITCH_SAMPLES = 3  # continuations drawn after a switch when sampling
SWITCHES_PER_SAMPLE = 4  # switches tried on each sampled path
DEFAULT_TIME_BUDGET = 5.0  # seconds of sampling: the bundled pack must verify in under 10 s
CACHE_LIMIT = 200_000


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
                    and disposition in WITH_SOFT_TISSUE:
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
            if not is_fired and not outranks(rule, outcome.disposition):
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
        urgency = urgency_tier(disposition)
        todo = [(qid, new) for qid, current in applicable.items() if qid in self.rf_leaves
                for new in self.switches(qid, current)]
        if self.rng is not None and len(todo) > SWITCHES_PER_SAMPLE:
            # sampling: spread the effort over many paths rather than every switch of a few
            todo = self.rng.sample(todo, SWITCHES_PER_SAMPLE)
        for qid, new in todo:
            # a question asked again later keeps its answer when the switch moves it
            switched = carry_repeats(self.pack, {**applicable, qid: new})
            low, example, got = self._lowest(switched)
            if low < urgency:
                shown = show_answer(self.pack, qid, new)
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
        best: tuple[int, dict[str, Any], str] = (urgency_tier("emergency") + 1, applicable, "")
        certain = assess_partial(self.pack, applicable).disposition
        if certain is not None:
            # settled already: the questions still to come (notes, precautions) cannot change
            # the disposition, so exploring them would only repeat it
            self.switch_checks += 1
            self._min_cache[key] = (urgency_tier(certain), applicable, certain)
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
            u = urgency_tier(got) if got in URGENCY else -1
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




# --------------------------------------------------------------------------- entry point


def verify_by_paths(pack: CompiledPack, *, max_paths: int = DEFAULT_MAX_PATHS,
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
        elif name in SYMBOLIC_ONLY:
            claims.append(ClaimResult(name, NOT_CHECKED, "not checked on paths"))
        elif name == "no_duplicate_rule":
            claims.append(ClaimResult(name, PROVEN, "checked on the rules themselves"))
        elif name == "monotone" and not check_monotone:
            claims.append(ClaimResult(name, NOT_CHECKED, "--no-monotone"))
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
