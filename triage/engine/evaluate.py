"""The engine: answers in, one disposition out, with its reasons. Pure and deterministic.

The policy it applies is stated once, in :mod:`triage.engine.policy`; this module runs the
pack's compiled decision code (complete answers) or three-valued logic (answers missing).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from triage import __version__
from triage.conditions.tree import questions_read
from triage.conditions.truth import State, Truth, truth
from triage.engine.answers import check_answers
from triage.engine.policy import (
    AVOID_TECHNIQUE,
    CONTRAINDICATION,
    INDICATION,
    LEVEL,
    NOTE,
    RED_FLAG,
    RED_FLAG_DISPOSITIONS,
    URGENCY,
    certain_disposition,
    is_safety_rule,
    main_red_flag,
    safety_net_applies,
    strikes_soft_tissue,
)
from triage.engine.policy import disposition as decide_disposition
from triage.pack.compiled import CompiledPack
from triage.pack.specs import QuestionSpec, RuleSpec, Text


class MissingAnswers(Exception):
    """Safety questions that should have been answered were not (fail closed)."""

    def __init__(self, questions: list[str]) -> None:
        self.questions = questions
        super().__init__("unanswered safety questions: " + ", ".join(questions))


@dataclass(slots=True)  # not frozen: built 100,000s of times a second in batch screening
class Outcome:
    """One disposition and everything that led to it.

    ``fired`` (every rule that holds, for the reasons shown) is worked out on first use:
    screening many answer sets often needs only the disposition.
    """

    disposition: str
    main_red_flag: str | None
    soft_tissue_struck: bool
    points: tuple[int, int]  # (soft tissue, physiotherapy)
    indicated: int  # how many indications hold
    # the answers that count, one per question of the pack in order (None: hidden or not
    # answered), as the decision read them: an immutable snapshot (see ``answers``)
    record: tuple[Any, ...]
    ignored_answers: tuple[str, ...]  # answered, but the question does not apply
    pack: CompiledPack
    red_flags_unchecked: tuple[RuleSpec, ...] = ()  # not needed once the answer was certain
    # set when known, else by ``fired`` on first use (no store on the common path)
    fired_rules: tuple[RuleSpec, ...] = field(init=False, repr=False, compare=False)
    _answers: dict[str, Any] = field(init=False, repr=False, compare=False)

    @property
    def answers(self) -> dict[str, Any]:
        """The answers that count (hidden questions' answers dropped), in question order."""
        try:
            return self._answers
        except AttributeError:
            self._answers = self.pack.answers_of(self.record)
            return self._answers

    @property
    def fired(self) -> tuple[RuleSpec, ...]:
        try:
            return self.fired_rules
        except AttributeError:
            rules = self.pack.rules
            self.fired_rules = tuple(map(rules.__getitem__, self.pack.fired_in(self.record)))
            return self.fired_rules

    @property
    def advice(self) -> dict[str, Text]:
        """label / action / timeframe / if_worse for the disposition."""
        return self.pack.dispositions[self.disposition]

    @property
    def red_flags(self) -> tuple[RuleSpec, ...]:
        return self.pack.red_flag_rules

    @property
    def pack_id(self) -> str:
        return self.pack.id

    @property
    def pack_version(self) -> str:
        return self.pack.version

    @property
    def pack_hash(self) -> str:
        return self.pack.content_hash

    @property
    def tool_version(self) -> str:
        return __version__

    def fired_of(self, kind: str) -> tuple[RuleSpec, ...]:
        return tuple(r for r in self.fired if r.kind == kind)

    @property
    def red_flags_absent(self) -> tuple[RuleSpec, ...]:
        """Red flags checked and not present: every question they read was asked and answered.

        A flag that reads a question nobody was asked (its ``ask_if`` did not hold, e.g. the
        cauda equina questions for a shoulder problem) is *not asked*, never "absent"."""
        answered = self.answers.keys()
        return tuple(r for r in self._not_fired() if r.reads <= answered)

    @property
    def red_flags_not_asked(self) -> tuple[RuleSpec, ...]:
        """Red flags not present because some question they read was not asked: they did not
        apply to these answers (a knee rule for a neck problem), so nothing was checked."""
        answered = self.answers.keys()
        return tuple(r for r in self._not_fired() if not r.reads <= answered)

    # the name before "not asked" and "absent" were told apart for every flag (issue 14)
    red_flags_not_applicable = red_flags_not_asked

    def red_flag_status(self) -> dict[str, str]:
        """Every red flag of the pack: ``present``, ``absent`` (asked, not present),
        ``not_asked`` (its questions did not apply) or ``not_checked`` (the questionnaire
        stopped first), in pack order."""
        status = {r.id: "not_checked" for r in self.red_flags_unchecked}
        status.update({r.id: "present" for r in self.fired_of(RED_FLAG)})
        status.update({r.id: "absent" for r in self.red_flags_absent})
        status.update({r.id: "not_asked" for r in self.red_flags_not_asked})
        return {r.id: status[r.id] for r in self.red_flags}

    @property
    def safety_net(self) -> tuple[RuleSpec, ...]:
        """Safety-netting for this presentation: notes marked ``safety_net`` that hold and apply
        to this disposition (what to watch for, and what to do then)."""
        return tuple(r for r in self.fired if r.kind == NOTE and r.safety_net
                     and safety_net_applies(self.disposition, r.show_with))

    @property
    def techniques(self) -> tuple[Text, ...]:
        """Techniques of the indications that hold, without those an ``avoid_technique``
        contraindication leaves out (compared in the pack's first language)."""
        lang = self.pack.languages[0]
        avoided = {t.get(lang) for r in self.fired_of(CONTRAINDICATION)
                   if r.effect == AVOID_TECHNIQUE for t in r.techniques}
        shown: dict[str | None, Text] = {}
        for r in self.fired_of(INDICATION):
            for t in r.techniques:
                if t.get(lang) not in avoided:
                    shown.setdefault(t.get(lang), t)
        return tuple(shown.values())

    @property
    def notes(self) -> tuple[RuleSpec, ...]:
        """Notes that are advice, not safety-netting."""
        return tuple(r for r in self.fired if r.kind == NOTE and not r.safety_net)

    def _not_fired(self) -> tuple[RuleSpec, ...]:
        skip = {r.id for r in self.fired} | {r.id for r in self.red_flags_unchecked}
        return tuple(r for r in self.red_flags if r.id not in skip)

    @property
    def urgency(self) -> int:
        return URGENCY[self.disposition]

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready record of the outcome (texts in every language of the pack)."""
        def rule(r: RuleSpec) -> dict[str, Any]:
            out: dict[str, Any] = {"id": r.id, "kind": r.kind, "reason": r.reason,
                                   "source": {"citation": r.source.citation,
                                              "year": r.source.year, "kind": r.source.kind}}
            for name in ("disposition", "effect", "note", "supports"):
                if getattr(r, name):
                    out[name] = getattr(r, name)
            if r.techniques:
                out["techniques"] = list(r.techniques)
            return out

        return {
            "disposition": self.disposition,
            "advice": self.advice,
            "main_red_flag": self.main_red_flag,
            "fired": [rule(r) for r in self.fired],
            "urgency": {"rank": URGENCY[self.disposition], "level": LEVEL[self.disposition]},
            "safety_net": [{"id": r.id, "text": r.reason} for r in self.safety_net],
            "techniques": list(self.techniques),
            "red_flags": self.red_flag_status(),
            "red_flags_absent": [r.id for r in self.red_flags_absent],
            "red_flags_not_asked": [r.id for r in self.red_flags_not_asked],
            "red_flags_unchecked": [r.id for r in self.red_flags_unchecked],
            "soft_tissue_struck": self.soft_tissue_struck,
            "points": {"soft_tissue": self.points[0], "physiotherapy": self.points[1]},
            "indications_fired": self.indicated,
            "answers": {k: sorted(v) if isinstance(v, frozenset) else v
                        for k, v in self.answers.items()},
            "ignored_answers": list(self.ignored_answers),
            "pack": {"id": self.pack_id, "version": self.pack_version, "hash": self.pack_hash},
            "tool_version": self.tool_version,
        }


# --------------------------------------------------------------------------- question states


@dataclass(frozen=True)
class QuestionStates:
    applicable: dict[str, Any]  # answered and asked
    pending: frozenset[str]  # may still be asked
    askable: tuple[str, ...]  # pending and asked now (their ask_if holds), in asking order
    ignored: tuple[str, ...]  # answered but hidden by ask_if


def question_states(pack: CompiledPack, answers: Mapping[str, Any]) -> QuestionStates:
    applicable: dict[str, Any] = {}
    pending: set[str] = set()
    askable: list[str] = []
    ignored: list[str] = []
    for q in pack.questions:  # gates come before the questions they open
        gate: Truth = True
        if q.ask_if is not None:
            gate = truth(q.ask_if, State(applicable, pending, pack.shapes))
        if gate is False:
            if q.id in answers:
                ignored.append(q.id)
        elif gate is True and q.id in answers:
            applicable[q.id] = answers[q.id]
        else:
            pending.add(q.id)
            if gate is True:
                askable.append(q.id)
    return QuestionStates(applicable, frozenset(pending), tuple(askable), tuple(ignored))


# --------------------------------------------------------------------------- partial results


@dataclass(frozen=True)
class Partial:
    """Where an unfinished questionnaire stands."""

    states: QuestionStates
    truths: tuple[Truth, ...]  # per rule, in pack.rules order
    disposition: str | None  # None while unknown rules could still change it
    deciding: tuple[int, ...] = field(default=())  # unknown rules that could change the outcome


def assess_partial(pack: CompiledPack, answers: Mapping[str, Any]) -> Partial:
    states = question_states(pack, answers)
    s = State(states.applicable, states.pending, pack.shapes)
    truths = tuple(truth(r.when, s) for r in pack.rules)
    disposition, deciding = certain_disposition(pack.rules, truths, pack.both_threshold)
    return Partial(states, truths, disposition, deciding)


def next_question(pack: CompiledPack, answers: Mapping[str, Any]) -> QuestionSpec | None:
    """The next question worth asking, or None when the outcome is settled.

    A question is worth asking when an unknown rule that could change the outcome reads it,
    or when it opens (through ``ask_if``) a question that such a rule reads.
    """
    worth = questions_worth_asking(pack, answers)
    return worth[0] if worth else None


def questions_worth_asking(pack: CompiledPack,
                           answers: Mapping[str, Any]) -> tuple[QuestionSpec, ...]:
    """The questions worth asking now, in asking order (see :func:`next_question`).

    Questions behind a gate that is still unknown are not counted: this is what an interactive
    questionnaire can show as "about N left".
    """
    partial = assess_partial(pack, answers)
    if partial.disposition == "emergency":
        return ()
    wanted: set[str] = set()
    for i in partial.deciding:
        wanted |= pack.rules[i].reads
    wanted &= partial.states.pending
    # gates of wanted questions are wanted too
    frontier = list(wanted)
    while frontier:
        q = pack.question_by_id[frontier.pop()]
        if q.ask_if is not None:
            for dep in questions_read(q.ask_if):
                if dep in partial.states.pending and dep not in wanted:
                    wanted.add(dep)
                    frontier.append(dep)
    return tuple(pack.question_by_id[qid] for qid in partial.states.askable if qid in wanted)


# --------------------------------------------------------------------------- final outcome


class AnswersNotNormalised(ValueError):
    """Answers that :func:`triage.engine.answers.check_answers` would refuse (names questions only:
    answers are health data and stay out of messages and tracebacks)."""

    def __init__(self, questions: list[str]) -> None:
        self.questions = questions
        super().__init__("answers not in normal form (see triage.engine.answers."
                         "check_answers) for: "
                         + ", ".join(questions))


def evaluate(pack: CompiledPack, answers: Mapping[str, Any]) -> Outcome:
    """The outcome for normalised answers (see :mod:`triage.engine.answers`).

    A red-flag or contraindication question that applies but has no answer (or ``None``) is
    never taken as "no": unless the disposition is already certain, :class:`MissingAnswers`
    is raised. Questions that only refine a therapy choice count as not answered when
    missing. Answers in another accepted form (``True`` for yes, ``"7"`` for 7) are normalised
    first; answers that are not answers at all raise :class:`AnswersNotNormalised`.
    """
    try:
        # the common case: the compiled code finds every answer it reads, in normal form
        decision: tuple[Any, ...] | None = pack.fast_decision(answers)
    except (KeyError, TypeError):  # something is missing or not in normal form
        decision = None  # handled outside this handler: the error may quote an answer
    if decision is None:
        answers = _normal_answers(pack, answers)
        decision = pack.function("_decide_safe")(answers)
        if pack.question_ids.difference(answers).difference(decision[5]):
            # some question that may apply has no answer: decide with three-valued logic
            partial = assess_partial(pack, answers)
            if partial.disposition in RED_FLAG_DISPOSITIONS:  # a red flag (or strike) decided
                return _from_partial(pack, partial)
            unanswered = _unanswered_safety_questions(pack, partial)
            if unanswered:
                raise MissingAnswers(unanswered)
            # only therapy details are missing: they count as not answered
    red, strike, soft, physio, indicated, hidden, record = decision
    main_rule = pack.rules[red] if red >= 0 else None  # the first red flag: see policy
    disposition = decide_disposition(main_rule, strike, soft, physio, indicated,
                                     pack.both_threshold)
    main = main_rule.id if main_rule is not None else None
    # no copy of ``answers`` is kept: ``record`` is the snapshot the reasons are worked out from
    ignored = tuple(q for q in hidden if q in answers) if hidden else ()
    return Outcome(disposition, main, strike, (soft, physio), indicated, record, ignored, pack)


def _normal_answers(pack: CompiledPack, answers: Mapping[str, Any]) -> dict[str, Any]:
    """``answers`` in normal form, ``None`` (not answered) left out; AnswersNotNormalised."""
    normal, problems = check_answers(answers, pack.shapes)
    if problems:
        raise AnswersNotNormalised(sorted({question for question, _ in problems}))
    return normal


def _unanswered_safety_questions(pack: CompiledPack, partial: Partial) -> list[str]:
    missing: set[str] = set()
    for i, t in enumerate(partial.truths):
        rule = pack.rules[i]
        if t is None and is_safety_rule(rule):
            missing |= rule.reads & partial.states.pending
    # name only what can be answered now; questions behind an unanswered gate follow from it
    askable = [q for q in partial.states.askable if q in missing]
    return askable or [q.id for q in pack.questions if q.id in missing]


def _from_partial(pack: CompiledPack, partial: Partial) -> Outcome:
    """The outcome of a questionnaire stopped because a medical disposition is certain."""
    disposition = partial.disposition or "not_enough_information"
    rules = pack.rules
    fired = tuple(r for r, t in zip(rules, partial.truths, strict=True) if t is True)
    main_rule = main_red_flag(fired)
    main = main_rule.id if main_rule is not None else None
    strike = any(strikes_soft_tissue(r) for r in fired)
    soft = sum(r.points[0] for r in fired if r.kind == INDICATION)
    physio = sum(r.points[1] for r in fired if r.kind == INDICATION)
    applicable = partial.states.applicable
    outcome = Outcome(
        disposition=disposition, main_red_flag=main, soft_tissue_struck=strike,
        points=(soft, physio), indicated=sum(1 for r in fired if r.kind == INDICATION),
        record=pack.record_of(applicable),
        ignored_answers=partial.states.ignored, pack=pack,
        red_flags_unchecked=tuple(r for r, t in zip(rules, partial.truths, strict=True)
                                  if r.kind == RED_FLAG and t is None))
    outcome.fired_rules = fired
    return outcome


def outcome_when_stopped(pack: CompiledPack, answers: Mapping[str, Any]) -> Outcome | None:
    """The outcome if it is already certain with the answers so far, else None."""
    partial = assess_partial(pack, answers)
    if partial.disposition is None:
        return None
    if partial.disposition in RED_FLAG_DISPOSITIONS:
        return _from_partial(pack, partial)
    return evaluate(pack, answers)
