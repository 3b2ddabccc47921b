"""What a rule that holds is shown with: the reason of the branch that held, and its name as
the person said it. A rule that holds on several branches ("a fever, or constant pain with a
weak immune system, or not sure") must not tell the person about answers they never gave,
nor name a doubt ("Arthritis flare with a weak immune system (or not sure)") to a person who
said "long-term steroids"."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any, Protocol

from triage.conditions.tree import questions_read
from triage.conditions.truth import State, truth
from triage.engine.policy import NOT_SURE
from triage.pack.compiled import CompiledPack
from triage.pack.specs import RuleSpec


class Outcome(Protocol):
    """What is read of a :class:`triage.engine.outcome.Outcome` (which calls this module:
    named here, not imported)."""

    @property
    def pack(self) -> CompiledPack: ...
    @property
    def record(self) -> tuple[Any, ...]: ...
    @property
    def fired_known(self) -> tuple[RuleSpec, ...] | None: ...
    def pending_questions(self, answers: dict[str, Any],
                          among: Iterable[str] | None = None) -> frozenset[str]: ...


def as_held(outcome: Outcome, rules: tuple[RuleSpec, ...]) -> tuple[RuleSpec, ...]:
    """The rules, each with the reason of its branch known to hold with these answers (its
    first ``reason_when`` whose condition is true, else its ``reason``), and named by its
    ``definite_label`` where it holds on the definite answers alone (:func:`definite_state`).

    After a questionnaire stopped early (``fired_known``), the questions it could still have
    asked are unknown, not unanswered: a branch that needs one of them may or may not hold, so
    its reason is not given as *the* reason ("not sure about your health history" before the
    health history was asked; read as unanswered, ``not (age > 40)`` held before the age was
    asked), nor is a rule that needs one of them named as held for sure."""
    pack = outcome.pack
    # the answers as the outcome has them, without keeping them (no dict made: see Outcome)
    answers = pack.answers_of(outcome.record)
    pending: frozenset[str] = frozenset()
    if outcome.fired_known is not None:  # only the questions without an answer that these
        # rules read can be pending (and a walk is slow)
        unanswered = {q for r in rules for when in _conditions_of(r)
                      for q in questions_read(when) if q not in answers}
        if unanswered:
            pending = outcome.pending_questions(answers, unanswered)
    state = State(answers, pending, pack.shapes)
    sure: State | None = None

    def held(rule: RuleSpec) -> RuleSpec:
        nonlocal sure
        if rule.definite_label is not None:
            sure = sure or definite_state(answers, pending, pack.shapes)
            if truth(rule.when, sure) is True:
                rule = replace(rule, label=rule.definite_label)
        for i, (when, reason) in enumerate(rule.reason_when):
            if truth(when, state) is True:
                # a note's branch about the patient too (reception mode), never the words of
                # another branch
                caller = rule.caller_reason_when[i] if rule.caller_reason_when else None
                return replace(rule, reason=reason, caller_reason=caller)
        return rule
    return tuple(held(r) if r.reason_when or r.definite_label else r for r in rules)


def definite_state(answers: dict[str, Any], pending: Iterable[str],
                   shapes: dict[str, Any]) -> State:
    """The answers with every "not sure" taken out, for what held on definite answers alone
    (a rule's :attr:`~triage.pack.specs.RuleSpec.definite_label`): a single choice answered
    "not sure" may be any of its answers (three-valued: a condition holds only if it holds
    whatever that answer is), a multiple choice keeps the options ticked without "not sure"
    (health history "steroids, not sure" is a definite "steroids")."""
    doubted = {q for q, v in answers.items() if v == NOT_SURE}
    kept = {q: v - {NOT_SURE} if isinstance(v, frozenset) else v
            for q, v in answers.items() if q not in doubted}
    return State(kept, frozenset(pending) | doubted, shapes)


def _conditions_of(rule: RuleSpec) -> list[Any]:
    """The conditions :func:`as_held` reads for ``rule``: its branches', and its own when it
    has a definite label."""
    return [*(when for when, _ in rule.reason_when),
            *((rule.when,) if rule.definite_label is not None else ())]
