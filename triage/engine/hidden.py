"""Warning signs stated in answers that the engine ignores. Pure: no terminal, no files.

An answers file, a batch row, a FHIR QuestionnaireResponse or a stored record can answer a
question whose ``ask_if`` does not hold for the other answers: a cauda equina sign ticked for
a shoulder problem. The engine ignores such an answer (``Outcome.ignored_answers``), as the
questionnaire would never have asked the question, and a pack's red flags repeat the gates of
the questions they read (``triage verify``: no_unasked_read), so the flag stays silent. When
the ignored answer states a warning sign, the input contradicts itself on a safety matter and
a result that leaves the sign out is under-triage: whoever answered said something that needs
care sooner. :func:`hidden_warning_signs` finds those signs, so that every way answers come in
from outside the questionnaire can refuse them (fail closed). The questionnaire itself never
keeps such an answer: it drops answers to questions that no longer apply.

A red flag counts when it is more urgent than the outcome (a flag that is not cannot change
it: an emergency already found is not hidden behind an error) and there is a way of answering
the questions that make the ignored questions not apply (their gates' questions, such as
``areas``) under which the flag holds with the ignored answers counted and does not hold
without them. Every other answer is taken as given, and questions not answered (or answered
None: no answer, as everywhere in the engine) stay absent.
So "none of these", or "no" to a sign, changes nothing; and a flag that would hold only
because the areas were different, whatever the ignored answers, is not the answers' doing.

The search uses three-valued logic (:mod:`triage.conditions.truth`): the gates' questions are
*pending* and the flag's truth is worked out with and without the ignored answers; where that
cannot tell, one of those questions is answered in turn with each answer that can matter to
the flag, until it can. It runs only when some answer was ignored, and an ignored answer that
changes nothing about a flag (most are) is recognised without it, once per pack and answer.
What a search finds is remembered per pack by what it depends on, the *kinds* of the answers
it reads (:mod:`triage.engine.hidden_kinds`; an answer's kind: the flag's condition with that
answer folded in, so any one of a list of signs is one kind), not by the answers themselves:
random rows (a batch) almost never repeat their answers, but repeat their kinds, and a batch
then searches a few hundred times in all instead of about five times a row that states a
sign (issue 15).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from triage.conditions.tree import (
    MULTI,
    NUMBER,
    SINGLE,
    YES_NO_OPTIONS,
    Cond,
    Has,
    QuestionShape,
    numeric_thresholds,
    questions_read,
)
from triage.conditions.truth import (
    State,
    truth,
    with_answer,
    with_answers,
    with_option,
)
from triage.engine import hidden_kinds
from triage.engine.answers import check_answers, normalise
from triage.engine.evaluate import AnswersNotNormalised, Partial, assess_partial
from triage.engine.outcome import Outcome
from triage.engine.policy import RED_FLAG, URGENCY
from triage.i18n import LANGUAGES
from triage.i18n_said import PerLanguage, Said
from triage.pack.compiled import CompiledPack
from triage.pack.specs import RuleSpec

# The most evaluations of one red flag a search makes; beyond that the flag is taken to hold
# (fail closed). A pack's gates read a handful of questions: the bundled pack's searches take
# a few dozen at most.
MAX_TRIES = 20_000
MOST_URGENT = max(URGENCY.values())  # nothing is more urgent: nothing to look for
_NOT_FOUND = ("<not remembered>",)


@dataclass(frozen=True)
class HiddenWarningSign:
    """A red flag that the ignored answers state but the outcome leaves out.

    ``questions``: the ignored questions whose answers state it (asking order: each that may
    state it on its own, else all those that state it together); ``gates``: the answered
    questions whose answers make them not apply (asking order), as a person would correct
    them (``areas``)."""

    rule: RuleSpec
    questions: tuple[str, ...]
    gates: tuple[str, ...]


def hidden_warning_signs(pack: CompiledPack, answers: Mapping[str, Any],
                         outcome: Outcome) -> tuple[HiddenWarningSign, ...]:
    """The red flags more urgent than ``outcome`` that its ignored answers state (see the
    module docstring), most urgent first; ``()`` when no answer was ignored.

    ``answers``: the answers as given (any form :func:`triage.engine.evaluate.evaluate`
    takes); ``outcome``: what ``evaluate`` made of them."""
    if not outcome.ignored_answers:
        return ()
    return _signs(pack, answers, outcome.ignored_answers, URGENCY[outcome.disposition],
                  lambda: outcome.answers)


def hidden_warning_signs_of_head(pack: CompiledPack, answers: Mapping[str, Any],
                                 ignored: tuple[str, ...], disposition: str,
                                 stating: tuple[str, ...] | None = None,
                                 ) -> tuple[HiddenWarningSign, ...]:
    """:func:`hidden_warning_signs` for a caller that has the result's disposition and the
    ignored questions already, and no outcome (:class:`triage.engine.evaluate.LoudAnswers`,
    a batch row read straight from its cells): the same signs, with no evaluation again.
    ``answers``: every answer given, each in normal form (no None: leave a question out);
    ``stating``: the ignored questions whose answers may state a sign, when known (the
    others must be answers that change no red flag), else all of them are looked at."""
    if not ignored:
        return ()
    return _signs(pack, answers, ignored, URGENCY[disposition], None, stating)


def hidden_warning_signs_with_gaps(pack: CompiledPack, answers: Mapping[str, Any],
                                   partial: Partial | None = None,
                                   ) -> tuple[HiddenWarningSign, ...]:
    """:func:`hidden_warning_signs` for answers that leave a safety question open
    (``evaluate`` raised MissingAnswers, so there is no outcome): the answers are refused
    for the gap anyway, but whoever corrects them must hear of both at once, not of the sign
    only after filling the gap. A sign counts when it is more urgent than every red flag
    that already holds (the least the result can be); the unanswered questions stay
    unanswered in the search. ``partial``: :func:`assess_partial` of the same answers, if
    the caller has it (``answers`` must then be in normal form)."""
    if partial is None:
        partial = assess_partial(pack, _normal(pack, answers))
    ignored = partial.states.ignored
    if not ignored:
        return ()
    held = [URGENCY[r.disposition or ""] for r, t in zip(pack.rules, partial.truths, strict=True)
            if t is True and r.kind == RED_FLAG]
    return _signs(pack, answers, ignored, max(held, default=-1),
                  lambda: partial.states.applicable)


def _signs(pack: CompiledPack, answers: Mapping[str, Any], ignored: tuple[str, ...],
           rank: int, counted: Callable[[], Mapping[str, Any]] | None,
           scan: tuple[str, ...] | None = None) -> tuple[HiddenWarningSign, ...]:
    """The red flags more urgent than ``rank`` that the answers to ``ignored`` state, given
    the answers that count (``counted()``, only worked out if some ignored answer may state
    one: most change nothing). ``counted`` None: ``answers`` are all in normal form, none
    None (a batch row's known cells), so they are the answers the search reads as they are.
    ``scan``: the ignored answers looked at (None: all of them); a caller leaves out only
    answers known to change no red flag."""
    if rank >= MOST_URGENT:
        return ()
    stated: dict[str, Any] = {}  # the ignored answers, in normal form
    # red flag (its place among the pack's red flags) -> the ignored answers that may state it
    candidates: dict[int, list[str]] = {}
    known = pack.hidden_answer_flags
    for qid in ignored if scan is None else scan:
        value = answers.get(qid)
        try:  # an answer in normal form met before (most are: checked answers, batch rows)
            places = known[(qid, value)]
        except (KeyError, TypeError):  # (a list is no key: not in normal form)
            value, why = normalise(pack.shapes[qid], value)
            if value is None or why:
                continue
            places = _stated_places(pack, qid, value)
        if counted is not None:
            stated[qid] = value
        for place, urgency in places:
            if urgency > rank:
                candidates.setdefault(place, []).append(qid)
    if not candidates:
        return ()
    given = answers if counted is None else {**counted(), **stated}
    ignored_set = frozenset(ignored)
    found = []
    for place in sorted(candidates):  # the pack's order: most urgent first
        rule = pack.red_flag_rules[place]
        sign = _hidden_sign(pack, rule, tuple(candidates[place]), given, ignored_set)
        if sign is not None:
            found.append(sign)
    return tuple(found)


def _stated_places(pack: CompiledPack, question: str, value: Any) -> tuple[tuple[int, int], ...]:
    """(place among the pack's red flags, urgency) of each of :func:`stated_flags`,
    remembered per pack (``pack.hidden_answer_flags``)."""
    places = _flag_places(pack)
    found = tuple(places[r.id] for r in stated_flags(pack, question, value))
    if len(pack.hidden_answer_flags) < hidden_kinds.MEMO_SIZE:
        pack.hidden_answer_flags[question, value] = found
    return found


def _flag_places(pack: CompiledPack) -> dict[str, tuple[int, int]]:
    """Red flag id -> (its place among the pack's red flags, its urgency), once a pack."""
    places: dict[str, tuple[int, int]] | None = pack.hidden_sign_memo.get(("places",))
    if places is None:
        places = {r.id: (i, URGENCY[r.disposition or ""])
                  for i, r in enumerate(pack.red_flag_rules)}
        if len(pack.hidden_sign_memo) < hidden_kinds.MEMO_SIZE:
            pack.hidden_sign_memo["places",] = places
    return places


def _normal(pack: CompiledPack, answers: Mapping[str, Any]) -> dict[str, Any]:
    normal, problems = check_answers(answers, pack.shapes)
    if problems:  # (names questions only: answers are health data)
        raise AnswersNotNormalised(sorted({q for q, _ in problems}))
    return normal


def _hidden_sign(pack: CompiledPack, rule: RuleSpec, stated: tuple[str, ...],
                 given: Mapping[str, Any], ignored: frozenset[str],
                 ) -> HiddenWarningSign | None:
    """:func:`_searched_sign`, remembered per pack by what decides it (:func:`sign_key`):
    random rows almost never repeat the answers a search reads, but nearly always repeat
    what the flag makes of them, so a batch searches each flag a few hundred times in all,
    not once a row (the search was most of the time of a row that states a sign)."""
    memo = pack.hidden_sign_memo
    try:
        key = hidden_kinds.sign_key(pack, rule, stated, given, ignored)
        found = memo.get(key, _NOT_FOUND)
    except hidden_kinds.NO_KEY:  # (an answer not in normal form, or a full memo: search)
        return _searched_sign(pack, rule, stated, given, ignored)
    if found is not _NOT_FOUND:
        return found  # type: ignore[no-any-return]
    sign = _searched_sign(pack, rule, stated, given, ignored)
    if len(memo) < hidden_kinds.MEMO_SIZE:
        memo[key] = sign
    return sign


def _searched_sign(pack: CompiledPack, rule: RuleSpec, stated: tuple[str, ...],
                   given: Mapping[str, Any], ignored: frozenset[str],
                   ) -> HiddenWarningSign | None:
    """``rule`` as a :class:`HiddenWarningSign` if the ignored answers to ``stated`` (those
    that may change it: the others change nothing) make it hold, else None: the search
    itself, nothing remembered (the reference the tests hold the remembered one to)."""
    free = hidden_kinds.gate_questions(pack, stated, given, ignored)
    without = {q: v for q, v in given.items() if q not in stated}
    if not _holds_only_with(pack, rule.when, given, without, free):
        return None
    if len(stated) > 1:
        # which of them: those that may state it on their own (three-valued, with the
        # gates' questions open: a name for the message, so no search), else all of
        # them together; and the questions that make those not apply
        pending = frozenset(free)
        alone = tuple(q for q in stated if truth(rule.when, State(
            {**without, q: given[q]}, pending, pack.shapes)) is not False)
        if alone and alone != stated:
            stated = alone
            free = hidden_kinds.gate_questions(pack, stated, given, ignored)
    return HiddenWarningSign(rule, stated, tuple(q for q in free if q in given) or free)


def stated_flags(pack: CompiledPack, question: str, value: Any) -> tuple[RuleSpec, ...]:
    """The red flags that ``value`` (in normal form), answered to ``question``, may make
    hold where leaving the question unanswered would not: those on which
    :func:`~triage.conditions.truth.with_answer` tells the two apart (the answer's kind,
    :func:`triage.engine.hidden_kinds.kind`, is not that of no answer); its kinds are
    remembered per pack, and :func:`_stated_places` remembers what it finds."""
    return tuple(r for r in pack.red_flag_rules if question in r.reads
                 and not hidden_kinds.changes_nothing_by_kind(pack, r, question, value))


class _Exhausted(Exception):
    """The search tried :data:`MAX_TRIES` evaluations without an answer."""


def _holds_only_with(pack: CompiledPack, cond: Cond, given: Mapping[str, Any],
                     without: Mapping[str, Any], free: tuple[str, ...]) -> bool:
    """Whether some answers to the ``free`` questions make ``cond`` hold with the answers
    ``given`` and not with the answers ``without`` (the same, less the ignored ones); true
    also when the search gives up (fail closed).

    The other answers are folded into the two conditions first, so they read only ``free``
    questions; then one question (one option of a multiple choice) is settled at a time,
    with three-valued logic deciding as early as it can. Where the two conditions become the
    same, nothing answered to the rest can tell them apart: that branch is done."""
    shapes = pack.shapes
    pending = frozenset(free)  # first without folding anything: most searches end here
    tw = truth(cond, State(given, pending, shapes))
    if tw is False:
        return False
    ta = truth(cond, State(without, pending, shapes))
    if ta is True:
        return False
    if tw is True and ta is False:
        return True
    others = questions_read(cond).difference(free)
    with_ = with_answers(cond, others, given, shapes)
    alone = with_answers(cond, others, without, shapes)
    tries = [0]

    def search(w: Cond, a: Cond, present: frozenset[str]) -> bool:
        tries[0] += 1
        if tries[0] > MAX_TRIES:
            raise _Exhausted
        if w == a:
            return False
        read = questions_read(w) | questions_read(a)
        tw = truth(w, State({}, read, shapes))
        if tw is False:
            return False
        ta = truth(a, State({}, read, shapes))
        if ta is True:  # holds here without the ignored answers: not their doing
            return False
        if tw is True and ta is False:
            return True
        qid = next(q for q in free if q in read)
        shape = shapes[qid]
        if shape.type != MULTI or qid not in present:
            if shape.type == MULTI:  # answered (any options), or not answered at all
                choices: Iterable[Any] = (None,) if qid not in given else ()
            else:
                choices = _answers_that_matter(cond, shape, qid not in given)
            for value in choices:
                if search(with_answer(w, qid, value, shapes),
                          with_answer(a, qid, value, shapes), present):
                    return True
            return shape.type == MULTI and search(w, a, present | {qid})
        option = min(_options_named(w, qid) | _options_named(a, qid))
        return any(search(with_option(w, qid, option, chosen, shapes),
                          with_option(a, qid, option, chosen, shapes), present)
                   for chosen in (True, False))

    try:
        return search(with_, alone, frozenset())
    except _Exhausted:
        return True


def _answers_that_matter(cond: Cond, shape: QuestionShape, may_be_absent: bool,
                         ) -> Iterator[Any]:
    """One answer per way ``cond`` can read a yes/no, single choice or number question
    (``None``: not answered, when it was not)."""
    if may_be_absent:
        yield None
    if shape.type == SINGLE:
        yield from shape.options
    elif shape.type == NUMBER:
        yield from _numbers_that_matter(cond, shape)
    else:
        yield from YES_NO_OPTIONS


def _options_named(cond: Any, question: str) -> set[str]:
    """The options of a multiple choice that ``cond`` tests (the others cannot change it)."""
    if isinstance(cond, Has):
        return {cond.option} if cond.question == question else set()
    out: set[str] = set()
    for name in ("items", "item", "left", "right"):
        child = getattr(cond, name, None)
        if isinstance(child, tuple):
            for c in child:
                out |= _options_named(c, question)
        elif child is not None:
            out |= _options_named(child, question)
    return out


def _numbers_that_matter(cond: Cond, shape: QuestionShape) -> list[float]:
    """A number on each side of every constant ``cond`` compares the answer with, and at
    them, within the question's range."""
    lo = shape.min if shape.min is not None else float("-inf")
    hi = shape.max if shape.max is not None else float("inf")
    step = 1.0 if shape.integer else 0.5
    points = sorted(numeric_thresholds(cond).get(shape.id, set()))
    values = {v for t in points for v in (t - step, t, t + step)}
    values |= {(a + b) / 2 for a, b in itertools.pairwise(points)}
    values |= {v for v in (lo, hi) if v not in (float("-inf"), float("inf"))}
    if not values:
        values = {0.0}
    kept = sorted(v for v in values if lo <= v <= hi)
    return [int(v) if shape.integer and float(v).is_integer() else v for v in kept
            if not shape.integer or float(v).is_integer()]


def already_given_text(disposition: str, main_red_flag: str | None) -> str:
    """" (the other answers already give emergency by red flag x)": added to a refusal whose
    other answers make a medical result certain, so that refusing never hides it."""
    by = Said("sign_by_flag", flag=main_red_flag) if main_red_flag else ""
    return Said("sign_already_given", disposition=disposition, by=by)


def hidden_sign_text(pack: CompiledPack, sign: HiddenWarningSign, question: str,
                     answer: Any = None, lang: str | None = None) -> str:
    """What to tell whoever gave the answers, about ``question`` (one of ``sign.questions``):
    the question, the answer (when given: in normal form, so option ids or a number, never
    free text), the warning sign and the questions that make it not apply."""
    rule = sign.rule
    # the label in the language asked for; else in each language the message is said in
    label: str | PerLanguage = (
        pack.text(rule.label, lang) if lang else PerLanguage(
            {code: pack.text(rule.label, pack.default_language if code == "en" else code)
             for code in LANGUAGES})) \
        if rule.label else rule.id
    said = Said("sign_the_answer") if answer is None else Said(
        "sign_the_answer_is", answer=_answer_text(answer))
    gates = ", ".join(sign.gates) or Said("sign_other_answers")
    return Said("sign_hidden", question=question, said=said, label=label, rule=rule.id,
                disposition=rule.disposition, gates=gates)


def _answer_text(value: Any) -> str:
    if isinstance(value, frozenset):
        return ", ".join(sorted(value)) if value else "none"
    return str(value)
