"""Which "not sure" answers made a rule hold, and which of them its reason speaks of.

"Not sure" on a safety question counts as yes: a rule can hold because of the doubt alone.
A person sent to the emergency department for a "not sure" about the cauda equina signs read
only what those signs mean; sure they have none of them, they could discard the advice. So
wherever a reason is shown, the program says which "not sure" it was, unless the reason
(a ``reason_when`` branch written for that doubt) already says it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from triage.conditions.tree import questions_testing
from triage.conditions.truth import State, truth
from triage.engine.policy import NOT_SURE
from triage.engine.states import question_states
from triage.pack.compiled import CompiledPack
from triage.pack.specs import RuleSpec


class Outcome(Protocol):
    """What is read of a :class:`triage.engine.outcome.Outcome` (which reads this module's
    answers through its ``doubts``: named here, not imported)."""

    @property
    def pack(self) -> CompiledPack: ...
    @property
    def answers(self) -> Mapping[str, Any]: ...
    @property
    def fired(self) -> tuple[RuleSpec, ...]: ...
    @property
    def doubts(self) -> dict[str, tuple[str, ...]]: ...


def doubts(outcome: Outcome) -> dict[str, tuple[str, ...]]:
    """Rule id -> the questions answered "not sure" without which that rule, among those that
    hold, would not be known to hold: some definite answer in the doubt's place (a single
    choice: any other option; a multiple choice: the box unticked, the others kept) leaves it
    false or unknown, with the questions that answer opens or hides as the questionnaire
    would (an opened one is still to be answered: unknown)."""
    pack = outcome.pack
    answers = outcome.answers
    out: dict[str, list[str]] = {}
    for qid, value in answers.items():
        if isinstance(value, frozenset):
            if NOT_SURE not in value:
                continue
            definite: list[Any] = [value - {NOT_SURE}]
        elif value == NOT_SURE:
            definite = [o.id for o in pack.question_by_id[qid].options if o.id != NOT_SURE]
        else:
            continue
        states = [question_states(pack, {**answers, qid: other}) for other in definite]
        for rule in outcome.fired:
            if any(truth(rule.when, State(s.applicable, s.pending, pack.shapes)) is not True
                   for s in states):
                out.setdefault(rule.id, []).append(qid)
    return {rule_id: tuple(questions) for rule_id, questions in out.items()}


def untold(outcome: Outcome, rule: RuleSpec) -> tuple[str, ...]:
    """The questions of :func:`doubts` that made ``rule`` hold and that the reason it is shown
    with does not speak of. A ``reason_when`` branch speaks of the "not sure" answers its
    condition singles out (``not_sure in q``, ``q == not_sure``: it was written for them; a
    question and the questions that repeat it are one); a rule's own ``reason``, which must
    be true of every branch, of none. The program says the rest in its own words."""
    found = outcome.doubts.get(rule.id, ())
    if not found:
        return ()
    own = outcome.pack.rule_by_id[rule.id]
    told = next((questions_testing(when, NOT_SURE) for when, reason in own.reason_when
                 if reason is rule.reason), frozenset())
    for family in outcome.pack.repeat_families:
        if family & told:
            told = told | family
    return tuple(q for q in found if q not in told)
