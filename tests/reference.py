"""An independent statement of what a pack decides, for tests to compare the real code with.

Conditions are evaluated by the interpreter of :mod:`triage.conditions.truth` (not by the
generated decision code), and the decision policy is written out again here from
docs/rule-format.md (not read from :mod:`triage.engine.policy`): if the generated code, the
engine or batch screening drift from the policy, they drift from this too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from triage.conditions.truth import State, Truth, truth
from triage.pack.compiled import CompiledPack
from triage.pack.specs import RuleSpec

# most urgent first; a self_care flag (no therapy for now) still outranks every therapy
RED_FLAG_URGENCY = ("emergency", "emergency_department", "same_day", "doctor_soon",
                    "doctor_first", "self_care")


@dataclass(frozen=True)
class Expected:
    """What must come out for one set of (normalised) answers."""

    missing_safety: bool  # a safety question that may matter has no answer: no recommendation
    disposition: str | None  # None when missing_safety
    main_red_flag: str | None  # when missing_safety, the flag that already applies, if any
    fired: tuple[str, ...]  # ids of the rules that hold, in pack order (() when missing_safety)
    pending_safety: frozenset[str] = frozenset()  # unanswered questions of unknown safety rules


@dataclass(frozen=True)
class Decision:
    """What ``CompiledPack.decide`` must return, with its record as a dict of answers."""

    red: int
    strike: bool
    soft: int
    physio: int
    indicated: int
    hidden: tuple[str, ...]
    record: dict[str, Any]


def _strikes(rule: RuleSpec) -> bool:
    return rule.kind == "contraindication" and rule.effect == "strike_soft_tissue"


def _states(pack: CompiledPack, answers: Mapping[str, Any], *, finished: bool,
            ) -> tuple[dict[str, Any], frozenset[str], tuple[str, ...]]:
    """Answers that apply, questions still pending, questions hidden by their ``ask_if``.

    ``finished``: no more answers will come, so an unanswered question is absent, not pending.
    """
    applicable: dict[str, Any] = {}
    pending: set[str] = set()
    hidden: list[str] = []
    for q in pack.questions:
        gate: Truth = True
        if q.ask_if is not None:
            gate = truth(q.ask_if, State(applicable, frozenset(pending), pack.shapes))
        if gate is False:
            hidden.append(q.id)
        elif gate is True and answers.get(q.id) is not None:
            applicable[q.id] = answers[q.id]
        elif not finished:
            pending.add(q.id)
    return applicable, frozenset(pending), tuple(hidden)


def _main(flags: Sequence[tuple[int, RuleSpec]]) -> tuple[int, RuleSpec] | None:
    """The most urgent flag, then the highest priority, then the first in the pack."""
    return min(flags, default=None, key=lambda f: (
        RED_FLAG_URGENCY.index(f[1].disposition or ""), -f[1].priority, f[0]))


def therapy(strike: bool, soft: int, physio: int, indicated: int, threshold: int) -> str:
    if indicated == 0:
        result = "not_enough_information"
    elif soft >= threshold and physio >= threshold:
        result = "both"
    elif soft > physio:
        result = "soft_tissue"
    else:
        result = "physiotherapy"  # ties go to the assessing profession
    if strike:  # no soft tissue therapy: both -> physiotherapy, else a doctor first
        return "physiotherapy" if result in ("both", "physiotherapy") else "doctor_first"
    return result


def decision(pack: CompiledPack, answers: Mapping[str, Any]) -> Decision:
    """The decision for answers as they are (unanswered questions count as not answered)."""
    applicable, _, hidden = _states(pack, answers, finished=True)
    s = State(applicable, frozenset(), pack.shapes)
    holds = [truth(r.when, s) is True for r in pack.rules]
    main = _main([(i, r) for i, r in enumerate(pack.rules) if r.kind == "red_flag" and holds[i]])
    indications = [r for r, h in zip(pack.rules, holds, strict=True)
                   if h and r.kind == "indication"]
    return Decision(
        red=-1 if main is None else main[0],
        strike=any(h and _strikes(r) for r, h in zip(pack.rules, holds, strict=True)),
        soft=sum(r.points[0] for r in indications),
        physio=sum(r.points[1] for r in indications),
        indicated=len(indications),
        hidden=hidden,
        record=applicable)


def fired(pack: CompiledPack, answers: Mapping[str, Any]) -> list[RuleSpec]:
    """Every rule that holds for answers as they are, in pack order."""
    s = State(_states(pack, answers, finished=True)[0], frozenset(), pack.shapes)
    return [r for r in pack.rules if truth(r.when, s) is True]


def expected(pack: CompiledPack, answers: Mapping[str, Any]) -> Expected:
    """What evaluating ``answers`` must give, with the questionnaire's fail-closed rule: a red
    flag or a soft-tissue strike that is still unknown stops it, unless a red flag at least as
    urgent as any unknown one already holds."""
    applicable, pending, _ = _states(pack, answers, finished=False)
    s = State(applicable, pending, pack.shapes)
    truths = [truth(r.when, s) for r in pack.rules]
    flags = [(i, r) for i, r in enumerate(pack.rules) if r.kind == "red_flag"]
    main = _main([(i, r) for i, r in flags if truths[i] is True])
    unknown_safety = [r for r, t in zip(pack.rules, truths, strict=True)
                      if t is None and (r.kind == "red_flag" or _strikes(r))]
    pending_safety = frozenset(q for r in unknown_safety for q in r.reads if q in pending)
    if main is not None:
        rank = RED_FLAG_URGENCY.index(main[1].disposition or "")
        if any(truths[i] is None and RED_FLAG_URGENCY.index(r.disposition or "") < rank
               for i, r in flags):
            return Expected(True, None, main[1].id, (), pending_safety)
        holding = tuple(r.id for r, t in zip(pack.rules, truths, strict=True) if t is True)
        return Expected(False, main[1].disposition, main[1].id, holding)
    if unknown_safety:
        return Expected(True, None, None, (), pending_safety)
    final = decision(pack, answers)
    disposition = therapy(final.strike, final.soft, final.physio, final.indicated,
                          pack.both_threshold)
    return Expected(False, disposition, None, tuple(r.id for r in fired(pack, answers)))
