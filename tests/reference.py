"""An independent statement of what a pack decides, for tests to compare the real code with.

Conditions are evaluated by the interpreter of :mod:`triage.conditions.truth` (not by the
generated decision code), and the decision policy is written out again here from
docs/rule-format.md (not read from :mod:`triage.engine.policy`): if the generated code, the
engine or batch screening drift from the policy, they drift from this too.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from triage.conditions.tree import numeric_thresholds, questions_read
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


# --------------------------------------------------------------------------- ignored answers

# every disposition, most urgent first, as docs/rule-format.md orders them (the three
# therapies are one level: an order among them is no urgency)
URGENCY_ORDER = ("emergency", "emergency_department", "same_day", "doctor_soon",
                 "doctor_first", "therapy", "self_care", "not_enough_information")
_LEVEL = {"physiotherapy": "therapy", "both": "therapy", "soft_tissue": "therapy"}


def _rank(disposition: str) -> int:
    """Lower is more urgent."""
    return URGENCY_ORDER.index(_LEVEL.get(disposition, disposition))


def _values(pack: CompiledPack, qid: str, cond: Any, absent: bool) -> list[Any]:
    """Every answer to ``qid`` that ``cond`` can tell apart (and no answer, with ``absent``):
    yes/no and single choices whole, every set of the options of a multiple choice, numbers
    on and either side of each constant compared with."""
    shape = pack.shapes[qid]
    out: list[Any] = [None] if absent else []
    if shape.type in ("yes_no", "single"):
        return out + list(shape.choices)
    if shape.type == "multi":
        options = sorted(shape.options)
        return out + [frozenset(c) for k in range(len(options) + 1)
                      for c in itertools.combinations(options, k)]
    lo = shape.min if shape.min is not None else -1e9
    hi = shape.max if shape.max is not None else 1e9
    near = {v for t in numeric_thresholds(cond).get(qid, ()) for v in (t - 1, t, t + 1)}
    return out + sorted(v for v in near | {lo, hi} if lo <= v <= hi)


def _holds(pack: CompiledPack, cond: Any, answers: Mapping[str, Any]) -> bool:
    """``cond`` on answers that all count (None: not answered)."""
    present = {q: v for q, v in answers.items() if v is not None}
    return truth(cond, State(present, frozenset(), pack.shapes)) is True


def warning_signs_ignored(pack: CompiledPack, answers: Mapping[str, Any]) -> frozenset[str]:
    """The red flags a row must be refused for (``ignored_warning_sign``): more urgent than
    its result, and stated by answers to questions that do not apply. Worked out by trying
    every answer (slow: for small packs only).

    A flag is stated when answering the questions that make those questions not apply
    (their gates' questions) in some way makes it hold with the ignored answers and not
    without them; every other answer as given. Only ignored answers that make a difference
    to the flag somewhere count, and only their gates.

    With a safety answer missing (no result) the bar is the most urgent red flag that holds
    already (any flag, when none holds), and a question whose gate cannot be told yet is
    still to be asked, not ignored."""
    want = expected(pack, answers)
    if want.missing_safety:
        _, _, hidden = _states(pack, answers, finished=False)
        held = next((r for r in pack.rules if r.id == want.main_red_flag), None)
        bar = _rank(held.disposition or "") if held is not None else len(URGENCY_ORDER)
    elif want.disposition is None:
        return frozenset()
    else:
        _, _, hidden = _states(pack, answers, finished=True)
        bar = _rank(want.disposition)
    ignored = [q for q in hidden if answers.get(q) is not None]
    given = {q: v for q, v in answers.items() if v is not None}
    found = set()
    for flag in pack.rules:
        if flag.kind != "red_flag" or _rank(flag.disposition or "") >= bar:
            continue
        reads = sorted(questions_read(flag.when))
        matter = [q for q in ignored if q in reads and _makes_a_difference(pack, flag, q,
                                                                         given[q], reads)]
        if not matter:
            continue
        free = _gates(pack, matter, given, set(ignored))
        without = {q: v for q, v in given.items() if q not in matter}
        for combo in itertools.product(*(_values(pack, q, flag.when, q not in given)
                                         for q in free)):
            g = dict(zip(free, combo, strict=True))
            if _holds(pack, flag.when, {**given, **g}) \
                    and not _holds(pack, flag.when, {**without, **g}):
                found.add(flag.id)
                break
    return frozenset(found)


def _makes_a_difference(pack: CompiledPack, flag: RuleSpec, qid: str, value: Any,
                        reads: list[str]) -> bool:
    others = [q for q in reads if q != qid]
    for combo in itertools.product(*(_values(pack, q, flag.when, True) for q in others)):
        world = dict(zip(others, combo, strict=True))
        if _holds(pack, flag.when, {**world, qid: value}) != _holds(pack, flag.when, world):
            return True
    return False


def _gates(pack: CompiledPack, stated: list[str], given: Mapping[str, Any],
           ignored: set[str]) -> list[str]:
    """The questions the gates of ``stated`` read, and the gates of those not answered."""
    free: list[str] = []
    todo = list(stated)
    while todo:
        gate = pack.question_by_id[todo.pop()].ask_if
        for qid in sorted(questions_read(gate)) if gate is not None else ():
            if qid not in free and qid not in stated and qid not in ignored:
                free.append(qid)
                if qid not in given:
                    todo.append(qid)
    return free
