"""The engine: answers in, one disposition out, with its reasons. Pure and deterministic.

The policy it applies is stated once, in :mod:`triage.engine.policy`; this module runs the
pack's compiled decision code (complete answers) or three-valued logic (answers missing).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from triage.conditions.truth import State, Truth, truth
from triage.engine.answers import check_answers
from triage.engine.outcome import Outcome as Outcome  # re-exported: the public result type
from triage.engine.partial import compiled_partial
from triage.engine.policy import (
    RED_FLAG,
    RED_FLAG_DISPOSITIONS,
    certain_disposition,
    is_safety_rule,
    totals,
)
from triage.engine.policy import disposition as decide_disposition
from triage.engine.policy import known_at_least as _known_at_least
from triage.engine.states import QuestionStates as QuestionStates  # re-exported
from triage.engine.states import question_states as question_states
from triage.pack.compiled import CompiledPack
from triage.pack.specs import QuestionSpec


class MissingAnswers(Exception):
    """Safety questions that should have been answered were not (fail closed)."""

    def __init__(self, questions: list[str]) -> None:
        self.questions = questions
        super().__init__("unanswered safety questions: " + ", ".join(questions))


# --------------------------------------------------------------------------- partial results


@dataclass(frozen=True)
class Partial:
    """Where an unfinished questionnaire stands."""

    states: QuestionStates
    truths: tuple[Truth, ...]  # per rule, in pack.rules order
    disposition: str | None  # None while unknown rules could still change it
    deciding: tuple[int, ...] = field(default=())  # unknown rules that could change the outcome


def assess_partial(pack: CompiledPack, answers: Mapping[str, Any]) -> Partial:
    """Where answers in normal form stand (the pack's compiled three-valued code; answers in
    any other form are assessed by :func:`assess_partial_interpreted`, with the same result,
    as are a pack's first calls: see :meth:`CompiledPack.still_cold`)."""
    if "compiled_partial" not in pack.__dict__ and pack.still_cold("partial"):
        return assess_partial_interpreted(pack, answers)
    compiled = compiled_partial(pack)
    try:
        truths_known, pending_known, hidden, _ = compiled.run(answers, False)
    except (KeyError, TypeError):  # not in normal form, None, or to no question of the pack
        return assess_partial_interpreted(pack, answers)
    disposition, deciding, truths = compiled.certain(truths_known)
    pending, askable = compiled.split_pending(pending_known)
    order = pack.question_order
    ignored = frozenset(hidden)
    applicable = {qid: answers[qid] for j, qid in enumerate(order)
                  if not pending >> j & 1 and qid in answers and qid not in ignored}
    states = QuestionStates(applicable, frozenset(order[j] for j in range(len(order))
                                                  if pending >> j & 1),
                            tuple(order[j] for j in range(len(order)) if askable >> j & 1),
                            hidden)
    return Partial(states, truths, disposition, deciding)


def assess_partial_interpreted(pack: CompiledPack, answers: Mapping[str, Any]) -> Partial:
    """:func:`assess_partial` by interpreting the conditions (:mod:`triage.conditions.truth`):
    the reference the compiled code is tested against."""
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
    # the questions their gates read are wanted too
    wanted = pack.with_gates(wanted & partial.states.pending, partial.states.pending)
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
    fast = pack.fast_outcome
    if fast is None:
        if pack.still_cold("outcome"):  # a pack's first calls: see CompiledPack.still_cold
            return evaluate_cold(pack, answers)
        fast = _fast_outcome(pack)
    try:
        # the common case: the compiled code tried first (the complete-answer code, or while
        # answers come with gaps the three-valued code: see CompiledPartial.missed) finds
        # every answer it reads, in normal form, and makes the outcome itself; it raises for
        # an answer to no question of the pack too (it counts the answers it reads), which
        # is then refused below
        run = fast(answers)
    except (KeyError, TypeError):  # something is missing or not in normal form
        run = None  # handled outside this handler: the error may quote an answer
    if run.__class__ is Outcome:
        return run
    compiled = compiled_partial(pack)
    if fast is not compiled.run:  # the complete-answer code did not finish
        compiled.missed(fast)
        try:
            # three-valued, compiled: reads answers strictly too, and makes the outcome itself
            # when a red flag (or strike) decided with questions pending
            run = compiled.run(answers)
        except (KeyError, TypeError):  # not in normal form, None, or to no question
            run = None
    if run is None:
        answers = _normal_answers(pack, answers)
        try:
            run = compiled.run(answers)
        except (KeyError, TypeError):  # an answer of an unusual type (an int subclass)
            return _gaps_interpreted(pack, answers)
    if run.__class__ is Outcome:
        return run
    # some question that may apply has no answer (complete answers made the outcome above),
    # and the outcome is not certain
    unanswered = compiled.unanswered_safety_questions(run[0], run[1])
    if unanswered:
        raise MissingAnswers(unanswered)
    # only therapy details are missing: they count as not answered (read as _partial read
    # them: they raise nothing now)
    return compiled.settled(answers)


def evaluate_interpreted(pack: CompiledPack, answers: Mapping[str, Any]) -> Outcome:
    """:func:`evaluate` deciding answers with gaps by interpreting the conditions: the
    reference the compiled three-valued code is tested against."""
    try:
        outcome = two_valued_outcome(pack)(answers)
    except (KeyError, TypeError):  # something is missing or not in normal form
        outcome = None
    if outcome is not None:
        return outcome
    return _gaps_interpreted(pack, _normal_answers(pack, answers))


def evaluate_cold(pack: CompiledPack, answers: Mapping[str, Any]) -> Outcome:
    """:func:`evaluate` by interpreting the conditions alone, compiling nothing: what a pack's
    first calls run (see :meth:`CompiledPack.still_cold`), with the same outcome."""
    normal = _normal_answers(pack, answers)
    partial = assess_partial_interpreted(pack, normal)
    states = partial.states
    truths = partial.truths
    if states.pending:  # some question that may apply has no answer
        if partial.disposition in RED_FLAG_DISPOSITIONS:  # a red flag (or strike) decided
            return _from_partial(pack, partial)
        unanswered = _unanswered_safety_questions(pack, partial)
        if unanswered:
            raise MissingAnswers(unanswered)
        # only therapy details are missing: they count as not answered
        states = question_states(pack, normal, settled=True)
        settled = State(states.applicable, frozenset(), pack.shapes)
        truths = tuple(truth(r.when, settled) for r in pack.rules)
    fired = tuple(r for r, t in zip(pack.rules, truths, strict=True) if t is True)
    main_rule, strike, soft, physio, indicated = totals(fired)
    disposition = decide_disposition(main_rule, strike, soft, physio, indicated,
                                     pack.both_threshold)
    outcome = Outcome(disposition, main_rule.id if main_rule is not None else None, strike,
                      (soft, physio), indicated, pack.record_of(states.applicable),
                      states.ignored, pack)
    outcome.fired_rules = fired
    return outcome


def _gaps_interpreted(pack: CompiledPack, answers: dict[str, Any]) -> Outcome:
    decision = pack.function("_decide_safe")(answers)
    if pack.question_ids.difference(answers).difference(decision[5]):
        # some question that may apply has no answer: decide with three-valued logic
        partial = assess_partial_interpreted(pack, answers)
        if partial.disposition in RED_FLAG_DISPOSITIONS:  # a red flag (or strike) decided
            return _from_partial(pack, partial)
        unanswered = _unanswered_safety_questions(pack, partial)
        if unanswered:
            raise MissingAnswers(unanswered)
        # only therapy details are missing: they count as not answered
    return _complete(pack, answers)


def _complete(pack: CompiledPack, answers: Mapping[str, Any]) -> Outcome:
    """The outcome of the guarded two-valued decision (unanswered questions count as not
    answered)."""
    decision = pack.function("_decide_safe")(answers)
    red, strike, soft, physio, indicated, hidden, record = decision
    main_rule = pack.rules[red] if red >= 0 else None  # the first red flag: see policy
    disposition = decide_disposition(main_rule, strike, soft, physio, indicated,
                                     pack.both_threshold)
    main = main_rule.id if main_rule is not None else None
    # no copy of ``answers`` is kept: ``record`` is the snapshot the reasons are worked out from
    # (an answer of None is no answer: nothing to ignore)
    ignored = tuple(q for q in hidden if answers.get(q) is not None) if hidden else ()
    return Outcome(disposition, main, strike, (soft, physio), indicated, record, ignored, pack)


# an outcome's first fields: disposition, main red flag's id, points, indications held
Head = tuple[str, str | None, tuple[int, int], int]


class LoudAnswers(KeyError):
    """Raised by :func:`head_of_checked_answers`' function: an answer to a question that does
    not apply may state a warning sign more urgent than ``head`` (the result of the answers
    that count). ``ignored``: every question answered that does not apply, in asking order
    (``Outcome.ignored_answers``), and ``stating``: those of them whose answers may state
    a sign (the others change no red flag: ``triage.pack.codegen.quiet_answers``), so that
    the caller can look for such signs
    (:func:`triage.engine.hidden.hidden_warning_signs_of_head`) without evaluating the
    answers again."""

    def __init__(self, head: Head, ignored: tuple[str, ...],
                 stating: tuple[str, ...]) -> None:
        super().__init__()
        self.head = head
        self.ignored = ignored
        self.stating = stating


def _fast_outcome(pack: CompiledPack) -> Callable[[Mapping[str, Any]], Any]:
    """What :func:`evaluate` tries first, kept on the pack as ``fast_outcome``: the pack's
    ``_outcome_fast`` (see triage.pack.codegen), until answers come with gaps (see
    :meth:`~triage.engine.partial.CompiledPartial.missed`)."""
    fast = two_valued_outcome(pack)
    pack.fast_outcome = fast
    return fast


def two_valued_outcome(pack: CompiledPack) -> Callable[[Mapping[str, Any]], Outcome | None]:
    """The pack's ``_outcome_fast`` (see triage.pack.codegen), made on first use and kept on
    the pack."""
    found: Callable[[Mapping[str, Any]], Outcome | None] | None = pack.__dict__.get(
        "two_valued_outcome")
    if found is None:
        found = pack.__dict__["two_valued_outcome"] = pack.function(
            "_outcome_fast", _outcome_runtime(pack))
    return found


def head_of_checked_answers(pack: CompiledPack) -> Callable[..., Head]:
    """``head(*answers) -> (disposition, main red flag's id, points, indications held)``:
    :func:`evaluate`'s first fields, for callers that already hold one checked answer per
    question of ``pack``, in asking order (``pack.questions``): each in normal form, yes/no
    as ``True``/``False``, ``None`` for no answer. ``KeyError`` when a question that applies
    has no answer: then :func:`evaluate` decides (it may need the three-valued logic, or
    refuse); also when an answer to a question that does not apply may state a warning sign
    more urgent than the result, then as :class:`LoudAnswers` (a ``KeyError``), and
    :func:`triage.engine.hidden.hidden_warning_signs_of_head` decides. Compiled anew on each
    call: the caller keeps it (a batch, for its rows)."""
    head: Callable[..., Head] = pack.function("_head_values", _outcome_runtime(pack))
    return head


def _outcome_runtime(pack: CompiledPack) -> dict[str, Any]:
    """What the generated outcome code finds in its namespace (codegen.OUTCOME_RUNTIME). Its
    table of outcomes' first fields is filled by the policy, one entry per (red flag, strike,
    totals) met: the generated code never restates the policy."""
    heads: dict[int, Head] = {}
    rules, threshold = pack.rules, pack.both_threshold

    def dispose(key: int, red: int, strike: bool, soft: int, physio: int,
                indicated: int) -> Head:
        main_rule = rules[red] if red >= 0 else None
        disposition = decide_disposition(main_rule, strike, soft, physio, indicated, threshold)
        head = heads[key] = (disposition, main_rule.id if main_rule is not None else None,
                             (soft, physio), indicated)
        return head

    return {"_new": tuple.__new__, "_Outcome": Outcome, "_PACK": pack,
            "_HEADS": heads, "_dispose": dispose, "_LoudAnswers": LoudAnswers}


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
    main_rule, strike, soft, physio, indicated = totals(fired)
    main = main_rule.id if main_rule is not None else None
    applicable = partial.states.applicable
    outcome = Outcome(
        disposition=disposition, main_red_flag=main, soft_tissue_struck=strike,
        points=(soft, physio), indicated=indicated,
        record=pack.record_of(applicable),
        ignored_answers=partial.states.ignored, pack=pack,
        red_flags_unchecked=tuple(r for r, t in zip(rules, partial.truths, strict=True)
                                  if r.kind == RED_FLAG and t is None),
        fired_known=fired)  # three-valued: not what the record alone would give
    return outcome


def outcome_when_stopped(pack: CompiledPack, answers: Mapping[str, Any]) -> Outcome | None:
    """The outcome if it is already certain with the answers so far, else None."""
    partial = assess_partial(pack, answers)
    if partial.disposition is None:
        return None
    if partial.disposition in RED_FLAG_DISPOSITIONS:
        return _from_partial(pack, partial)
    return evaluate(pack, answers)


def known_at_least(pack: CompiledPack, answers: Mapping[str, Any]) -> str | None:
    """The least urgent result these unfinished answers can still have, when a red flag
    already holds whatever the missing answers are (:func:`triage.engine.policy.known_at_least`),
    else None: what a questionnaire stopped before its result can still say."""
    return _known_at_least(pack.rules, assess_partial(pack, answers).truths)
