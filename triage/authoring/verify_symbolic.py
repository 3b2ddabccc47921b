"""`triage verify` by proof: each claim is a question to the Z3 solver over the encoding of
:mod:`triage.authoring.symbolic`. "No answer set breaks the claim" (unsatisfiable) is a proof
for this pack and this policy; otherwise the solver's model is a counter-example, which is run
through the engine (:func:`triage.engine.evaluate.evaluate`) before it is reported, so what is
reported is what ``triage assess --answers`` shows. A witness (a rule seen firing, a question
seen asked, each disposition reached) is run through the engine too: where engine and
encoding disagree, that is reported as a violation of ``one_disposition``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import z3

from triage.authoring.counter_examples import needed_questions, outranks, path_of, show_answer
from triage.authoring.red_flag_values import (
    comparisons,
    duplicate_rules,
    red_flag_leaves,
)
from triage.authoring.symbolic import (
    AnswerVars,
    Env,
    answer_vars,
    answers_of,
    any_of,
    cond,
    gate_env,
)
from triage.authoring.symbolic_policy import Decision, decision
from triage.authoring.symbolic_switches import opened_env, red_flag_switch
from triage.authoring.verify_places import place_violations
from triage.authoring.verify_report import CLAIMS, Violation
from triage.authoring.verify_switch_claims import not_sure_counts_as_yes, recency_respected
from triage.conditions.tree import MULTI
from triage.engine import policy
from triage.engine.evaluate import AnswersNotNormalised, MissingAnswers, evaluate
from triage.engine.policy import (
    DISPOSITIONS,
    RED_FLAG,
    WITH_SOFT_TISSUE,
    is_safety_rule,
    strikes_soft_tissue,
)
from triage.pack.compiled import CompiledPack
from triage.pack.specs import RuleSpec

MAX_SWITCHES_SHOWN = 3  # counter-examples per question for monotonicity
QUERY_TIMEOUT_MS = 60_000  # one solver query; past it the claim is reported as not proven


class Undecided(Exception):
    """The solver gave up on a query (time out): the claim is not proven."""


@dataclass
class Prover:
    pack: CompiledPack
    vars: dict[str, AnswerVars] = field(init=False)
    env: Env = field(init=False)
    dec: Decision = field(init=False)
    queries: int = 0
    violations: list[Violation] = field(default_factory=list)
    undecided: dict[str, str] = field(default_factory=dict)  # claim -> why not proven

    def __post_init__(self) -> None:
        self.vars = {q.id: answer_vars(q) for q in self.pack.questions}
        self.env = gate_env(self.pack, self.vars)
        self.dec = decision(self.pack, self.env)
        self.solver = self._solver(z3.Solver())
        self.solver.set("phase_selection", 1)  # try true first
        # witnesses (cover): set up for linear integer arithmetic, z3's models meet more goals
        # each (no_dead_rule on 0.2.30: 127 -> 46 queries, 3.2 -> 1.9 s CPU; 395 -> 101 on a
        # synthetic 400-question pack); not the proofs: monotone took 3 times longer there
        self.witness_solver = self._solver(z3.SolverFor("QF_LIA"))

    def _solver(self, solver: Any) -> Any:
        solver.set("timeout", QUERY_TIMEOUT_MS)
        for av in self.vars.values():
            solver.add(*av.domain())
        return solver

    # ------------------------------------------------------------------ solving

    def find(self, *constraints: Any, solver: Any = None) -> Any | None:
        """A model of the base encoding and ``constraints``, or None when there is none."""
        self.queries += 1
        solver = self.solver if solver is None else solver
        solver.push()
        try:
            solver.add(*constraints)
            result = solver.check()
            if result == z3.unknown:
                raise Undecided(solver.reason_unknown())
            return solver.model() if result == z3.sat else None
        finally:
            solver.pop()

    def answers(self, model: Any, env: Env | None = None) -> dict[str, Any]:
        return answers_of(self.pack, env or self.env, model)

    def disposition_in(self, model: Any, dec: Decision | None = None) -> str:
        dec = dec or self.dec
        return next(d for d, b in dec.is_disposition.items()
                    if z3.is_true(model.eval(b, model_completion=True)))

    def engine(self, answers: Mapping[str, Any], expected: str, what: str) -> str | None:
        """The engine's disposition for a complete answer set; a disagreement with the
        encoding is a violation (an engine or encoding bug), reported once."""
        try:
            got = evaluate(self.pack, answers).disposition
        except (MissingAnswers, AnswersNotNormalised) as exc:
            got = f"no disposition ({type(exc).__name__})"
        if got != expected:
            self.report(Violation(
                "one_disposition",
                f"the engine answers {got} where the policy applied to the pack's rules gives "
                f"{expected} ({what})", dict(answers), expect=expected, actual=got))
        return got

    def report(self, v: Violation) -> None:
        if not any(o.claim == v.claim and o.message == v.message for o in self.violations):
            self.violations.append(v)

    def claim(self, name: str, check: Callable[[], None]) -> None:
        try:
            check()
        except Undecided as exc:
            self.undecided[name] = f"the solver gave up ({exc})"

    # ------------------------------------------------------------------ claims

    def one_disposition(self) -> None:
        dec = self.dec
        for d in sorted(dec.returned):
            model = self.find(dec.is_disposition[d])
            if model is None:
                continue  # a branch of the policy this pack never reaches
            answers = self.answers(model)
            if d not in DISPOSITIONS or d not in self.pack.dispositions:
                self.report(Violation("one_disposition",
                                      f"the policy answers '{d}', which the pack does not "
                                      f"describe (no advice for it)", answers, actual=d))
                continue
            self.engine(answers, d, f"a witness of {d}")
        flags = list(dec.is_disposition.values())
        exactly_one = z3.PbEq([(b, 1) for b in flags], 1)
        model = self.find(z3.Not(exactly_one))
        if model is not None:
            got = [d for d, b in dec.is_disposition.items()
                   if z3.is_true(model.eval(b, model_completion=True))]
            self.report(Violation("one_disposition",
                                  f"the policy gives {len(got)} dispositions ({', '.join(got)})",
                                  self.answers(model)))

    def red_flag_respected(self) -> None:
        dec = self.dec
        for rule in self.pack.red_flag_rules:
            lower = [b for d, b in dec.is_disposition.items()
                     if _urgency(d) < _urgency(rule.disposition or "")]
            model = self.find(dec.fires[rule.id], z3.Or(*lower)) if lower else None
            if model is not None:
                answers, got = self.answers(model), self.disposition_in(model)
                self.engine(answers, got, "a red flag outranked")
                self.report(Violation(
                    "red_flag_respected",
                    f"red flag '{rule.id}' ({rule.disposition}) fires but the disposition is "
                    f"{got}", answers, expect=rule.disposition, actual=got, fires=(rule.id,)))

    def strike_respected(self) -> None:
        dec = self.dec
        soft = [b for d, b in dec.is_disposition.items() if d in WITH_SOFT_TISSUE]
        for rule in self.pack.rules:
            if not strikes_soft_tissue(rule) or not soft:
                continue
            model = self.find(dec.fires[rule.id], z3.Or(*soft))
            if model is not None:
                answers, got = self.answers(model), self.disposition_in(model)
                self.engine(answers, got, "soft tissue therapy after a strike")
                self.report(Violation(
                    "strike_respected",
                    f"contraindication '{rule.id}' removes soft tissue therapy but the "
                    f"disposition is {got}", answers,
                    expect="physiotherapy" if got == "both" else "doctor_first", actual=got,
                    fires=(rule.id,)))

    def cover(self, goals: Mapping[str, Any], seen: Callable[[Any, dict[str, Any]], set[str]],
              ) -> tuple[dict[str, dict[str, Any]], list[str]]:
        """A witness (answers) for each goal that can hold, and the goals that cannot (the
        last query proves it). ``seen`` tells which goals a model's answers meet, by running
        them through the engine: one answer set usually witnesses many goals, so there are
        far fewer queries than goals."""
        remaining = dict(goals)
        found: dict[str, dict[str, Any]] = {}
        while remaining:
            model = self.find(any_of(list(remaining.values())), solver=self.witness_solver)
            if model is None:
                break
            answers = self.answers(model)
            hits = seen(model, answers) & remaining.keys()
            if not hits:  # the encoding meets a goal the engine does not: report, move on
                hits = {k for k, f in remaining.items()
                        if z3.is_true(model.eval(f, model_completion=True))}
                self.report(Violation(
                    "one_disposition", f"the engine does not follow the pack's conditions "
                    f"here (expected: {', '.join(sorted(hits))})", answers))
            for key in hits:
                found[key] = answers
                del remaining[key]
        return found, list(remaining)

    def no_unreachable_question(self) -> None:
        needed = needed_questions(self.pack)
        for q in self.pack.questions:
            if q.id not in needed:
                self.report(Violation(
                    "no_unreachable_question",
                    f"{q.location}: question '{q.id}' is never asked: no rule reads it, nor "
                    f"the ask_if of a question a rule reads"))

        def seen(model: Any, answers: dict[str, Any]) -> set[str]:
            self.engine(answers, self.disposition_in(model), "questions asked")
            return set(answers)

        _, never = self.cover({q.id: self.env.present[q.id] for q in self.pack.questions
                               if q.id in needed}, seen)
        for qid in never:
            self.report(Violation(
                "no_unreachable_question",
                f"{self.pack.question_by_id[qid].location}: question '{qid}' is never asked: "
                f"its ask_if cannot hold on any answer set"))

    def no_dead_rule(self) -> None:
        dec, pack = self.dec, self.pack
        goals = {}
        for rule in pack.rules:
            goal = dec.fires[rule.id]
            if rule.kind == RED_FLAG:  # with no more urgent red flag
                goal = z3.And(goal, *(z3.Not(dec.fires[r.id]) for r in pack.red_flag_rules
                                      if _urgency(r.disposition or "")
                                      > _urgency(rule.disposition or "")))
            goals[rule.id] = goal

        def seen(model: Any, answers: dict[str, Any]) -> set[str]:
            got = self.engine(answers, self.disposition_in(model), "rules fire")
            if got not in DISPOSITIONS:
                return set()
            fired = evaluate(pack, answers).fired
            top = max((_urgency(r.disposition or "") for r in fired if r.kind == RED_FLAG),
                      default=-1)
            return {r.id for r in fired
                    if r.kind != RED_FLAG or _urgency(r.disposition or "") == top}

        _, never = self.cover(goals, seen)
        for rid in never:
            rule = pack.rule_by_id[rid]
            model = self.find(dec.fires[rid]) if rule.kind == RED_FLAG else None
            if model is None:
                self.report(Violation(
                    "no_dead_rule",
                    f"{rule.location}: {_kind(rule)} '{rid}' never fires: its condition "
                    f"cannot hold on any answer set"))
                continue
            outranking = [r.id for r in pack.red_flag_rules if r.id != rid and _urgency(
                r.disposition or "") > _urgency(rule.disposition or "") and z3.is_true(
                model.eval(dec.fires[r.id], model_completion=True))]
            self.report(Violation(
                "no_dead_rule",
                f"{rule.location}: red flag '{rid}' never fires on its own: whenever it "
                f"holds, a more urgent red flag holds too (for example "
                f"{', '.join(outranking)}), so it never decides the disposition"))

    def no_unasked_read(self) -> None:
        pack, dec = self.pack, self.dec
        for rule in pack.rules:
            gated = sorted(q for q in rule.reads if pack.question_by_id[q].ask_if is not None)
            if not gated:
                continue
            opened = opened_env(self.env, gated, pack.repeat_families)
            holds_opened = cond(rule.when, opened)
            hidden = z3.Or(*(z3.Not(self.env.present[q]) for q in gated))
            model = self.find(hidden, dec.fires[rule.id], z3.Not(holds_opened))
            if model is not None:
                answers, got = self.answers(model), self.disposition_in(model)
                names = ", ".join(q for q in gated if not z3.is_true(
                    model.eval(self.env.present[q], model_completion=True)))
                self.engine(answers, got, f"'{rule.id}' fires on an unasked question")
                self.report(Violation(
                    "no_unasked_read",
                    f"{_kind(rule)} '{rule.id}' fires only because {names} was not asked (an "
                    f"unasked answer counts as no)", answers, expect=got, actual=got,
                    not_fires=(rule.id,)))
                continue
            if not is_safety_rule(rule):
                continue
            outranked = [b for d, b in dec.is_disposition.items() if outranks(rule, d)]
            if not outranked:
                continue
            model = self.find(hidden, z3.Not(dec.fires[rule.id]), holds_opened,
                              z3.Or(*outranked))
            if model is not None:
                answers, got = self.answers(model), self.disposition_in(model)
                names = ", ".join(q for q in gated if not z3.is_true(
                    model.eval(self.env.present[q], model_completion=True)))
                self.engine(answers, got, f"'{rule.id}' silenced")
                self.report(Violation(
                    "no_unasked_read",
                    f"{_kind(rule)} '{rule.id}' cannot fire here because {names} was not "
                    f"asked (its ask_if is false); if that is intended, write the ask_if "
                    f"condition into the rule", answers, expect=got, actual=got))

    def monotone(self) -> None:
        for qid, leaves in red_flag_leaves(self.pack).items():
            q = self.pack.question_by_id[qid]
            new = answer_vars(q, "'")
            switched = self.switched(qid, new)
            allowed = red_flag_switch(q.type, self.vars[qid], new, leaves,
                                      places=q.places is not None)
            blocked: list[Any] = []  # switches already shown: one counter-example each
            for _ in range(MAX_SWITCHES_SHOWN):
                model = self.find(self.env.present[qid], *new.domain(), allowed,
                                  switched.lowered(self.dec), *blocked)
                if model is None:
                    break
                self.report_lowering("monotone", qid, model, switched,
                               "switching '{q}' to the red-flag value {v} lowers the "
                               "disposition from {d} to {got}")
                if q.type == MULTI:
                    old = self.vars[qid]
                    blocked += [old.options[o] == b for o, b in new.options.items()
                                if not z3.is_true(model.eval(old.options[o] == b,
                                                             model_completion=True))]
                else:
                    blocked.append(new.value != model.eval(new.value, model_completion=True))

    # ------------------------------------------------------------------ helpers

    def switched(self, qid: str, new: AnswerVars) -> Decision:
        """The decision over the same answers with ``qid``'s answer replaced by ``new``; the
        questions the change opens take any answer (the shared variables are free there)."""
        env = gate_env(self.pack, {**self.vars, qid: new}, base=self.env, changed=(qid,))
        return decision(self.pack, env, self.dec)

    def report_lowering(self, claim: str, qid: str, model: Any, switched: Decision,
                        message: str, *, not_sure_first: bool = False) -> None:
        """A switch of ``qid``'s answer that lowers urgency, as a violation of ``claim``."""
        before, after = self.answers(model), self.answers(model, switched.env)
        d_before = self.disposition_in(model)
        d_after = self.disposition_in(model, switched)
        self.engine(before, d_before, "before a switch")
        self.engine(after, d_after, "after a switch")
        text = message.format(q=qid, v=show_answer(self.pack, qid, after[qid]), d=d_before,
                              got=d_after, was=show_answer(self.pack, qid, before[qid]))
        example, expect, actual = ((before, d_after, d_before) if not_sure_first
                                   else (after, d_before, d_after))
        self.report(Violation(claim, text, path_of(self.pack, example, actual), expect=expect,
                              actual=actual))


def _urgency(disposition: str) -> int:
    """Read from the policy at call time; a disposition it does not rank is below all."""
    return policy.URGENCY.get(disposition, -1)


def _kind(rule: RuleSpec) -> str:
    return rule.kind.replace("_", " ")


def prove(pack: CompiledPack, *, check_monotone: bool = True,
          claims: Collection[str] | None = None) -> Prover:
    """Run every claim (or those named in ``claims``); the prover holds the violations and
    the claims the solver gave up on. ``no_duplicate_rule`` is checked on the rules
    themselves."""
    prover = Prover(pack)
    chosen = set(CLAIMS) if claims is None else set(claims)
    if not check_monotone:
        chosen.discard("monotone")
    checks: dict[str, Callable[[], None]] = {
        "one_disposition": prover.one_disposition,
        "red_flag_respected": prover.red_flag_respected,
        "strike_respected": prover.strike_respected,
        "no_unreachable_question": prover.no_unreachable_question,
        "no_dead_rule": prover.no_dead_rule, "no_unasked_read": prover.no_unasked_read,
        "not_sure_counts_as_yes": partial(not_sure_counts_as_yes, prover),
        "monotone": prover.monotone, "recency_respected": partial(recency_respected, prover)}
    for name, check in checks.items():
        if name in chosen:
            prover.claim(name, check)
    places = {"no_place_left_out", "no_answer_left_out"} & chosen
    if places:  # both from one search, with its own solver: see verify_places
        found, queries, gave_up = place_violations(pack)
        prover.violations += [v for v in found if v.claim in chosen]
        prover.queries += queries
        if gave_up:
            prover.undecided.update(dict.fromkeys(places, gave_up))
    if "no_duplicate_rule" in chosen:
        prover.violations += duplicate_rules(pack)
    return prover


__all__ = ["Prover", "Undecided", "comparisons", "prove"]
