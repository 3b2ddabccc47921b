"""The questionnaire as a pure state machine: no terminal, no printing, no files.

A :class:`Flow` holds the answers in the order they were given. The next question is always the
engine's :func:`~triage.engine.evaluate.next_question`, so a question whose answer cannot change the
outcome is never asked, and red-flag screening comes first (the pack's asking order). The flow
ends when the engine has nothing left worth asking: an emergency is certain, a disposition is
certain and no detail (precaution, note) is still open, or nothing askable is left.

Typed answers are read in the person's language (``y``/``yes``/``n``/``no``; ``o``/``oui``/
``n``/``non`` in French) and numbered choices. Rejections carry an :mod:`triage.i18n` message key
and its values, so the caller can say why in the right language and ask the same question again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from triage.conditions.tree import MULTI, NUMBER, SINGLE, YES_NO
from triage.engine.answers import normalise
from triage.engine.evaluate import (
    Outcome,
    assess_partial,
    evaluate,
    outcome_when_stopped,
    question_states,
    questions_worth_asking,
)
from triage.engine.typed_number import Rejected as Rejected  # (re-exported: front ends)
from triage.engine.typed_number import number_text as number_text
from triage.engine.typed_number import typed_number
from triage.pack.compiled import CompiledPack
from triage.pack.specs import QuestionSpec
from triage.untrusted import whole_number

if TYPE_CHECKING:  # imported where needed: most sessions never look for a hidden sign
    from triage.engine.hidden import HiddenWarningSign

# Per-language words for yes/no. "n" is "no" in both languages, which is why French uses "o".
YES_WORDS: dict[str, tuple[str, ...]] = {"en": ("y", "yes"), "fr": ("o", "oui")}
NO_WORDS: dict[str, tuple[str, ...]] = {"en": ("n", "no"), "fr": ("n", "non")}
NONE_OF_THESE = "0"  # multiple choice: an explicit "none", never an empty line
_SPLIT = re.compile(r"[\s,;]+")


def yes_no_keys(lang: str) -> tuple[str, str]:
    """The one-key answers for yes and no in ``lang``."""
    return YES_WORDS.get(lang, YES_WORDS["en"])[0], NO_WORDS.get(lang, NO_WORDS["en"])[0]


@dataclass(frozen=True)
class Accepted:
    question: QuestionSpec
    value: Any
    dropped: tuple[str, ...] = ()  # later answers dropped because their question is now hidden


@dataclass(frozen=True)
class Progress:
    number: int  # of the current question, counting from 1
    left: int  # questions worth asking after this one, as far as can be told now (may grow)
    # share of the questionnaire done, 0 to 1: never lower than at an earlier question (an
    # answer that opens more questions slows it down instead), so it never seems to go back
    done: float = field(default=0.0, compare=False)  # history, not where the flow is

    @property
    def percent(self) -> int:
        return int(self.done * 100)


@dataclass(frozen=True)
class DroppedAnswer:
    """An answer from a saved session that no longer fits the pack; for one whose question no
    longer applies, its value and the warning signs it states (:mod:`triage.engine.hidden`, as
    ``assess`` finds them): a result without the answer would leave them out."""

    question: str
    reason: str  # unknown_question | invalid_answer | not_asked_now
    signs: tuple[HiddenWarningSign, ...] = ()
    value: Any = None  # not_asked_now: the answer, in normal form


def stated_signs(dropped: Iterable[DroppedAnswer]) -> tuple[HiddenWarningSign, ...]:
    """The warning signs the dropped answers state, once each, most urgent first."""
    found: dict[str, HiddenWarningSign] = {}
    for answer in dropped:
        for sign in answer.signs:
            found.setdefault(sign.rule.id, sign)
    return tuple(found.values())


def parse_answer(question: QuestionSpec, raw: str, lang: str,
                 option_texts: Mapping[str, str] | None = None,
                 other_texts: Mapping[str, str] | None = None) -> Any | Rejected:
    """The normal form of a typed answer, or :class:`Rejected`. ``option_texts`` (option id
    -> text in ``lang``, as shown), then ``other_texts`` (in reception mode, the patient's
    words), let a person type an option's words."""
    text = raw.strip().casefold()
    if not text:
        return Rejected(question, "empty_answer")
    if question.type == YES_NO:
        if text in YES_WORDS.get(lang, YES_WORDS["en"]):
            return "yes"
        if text in NO_WORDS.get(lang, NO_WORDS["en"]):
            return "no"
        yes, no = yes_no_keys(lang)
        return Rejected(question, "yes_no_expected", {"yes": yes, "no": no})
    if question.type == SINGLE:
        choice = _choice(question, text, option_texts, other_texts)
        if choice is None:
            return Rejected(question, "choice_expected", {"last": str(len(question.options))})
        return choice
    if question.type == MULTI:
        tokens = [x for x in _SPLIT.split(text) if x]
        if tokens == [NONE_OF_THESE]:
            return frozenset()
        if NONE_OF_THESE in tokens:  # "0 3": none, and also 3?
            return Rejected(question, "none_and_choices", {"last": str(len(question.options))})
        chosen: list[str] = []
        for token in tokens:
            choice = _choice(question, token, option_texts, other_texts)
            if choice is None:
                return Rejected(question, "choices_expected",
                                {"last": str(len(question.options)), "token": token})
            chosen.append(choice)
        return frozenset(chosen)
    assert question.type == NUMBER
    return typed_number(question, text, lang)


def _choice(question: QuestionSpec, text: str, *texts: Mapping[str, str] | None) -> str | None:
    number = whole_number(text)
    if number is not None and 1 <= number <= len(question.options):
        return question.options[number - 1].id
    for option in question.options:
        if text == option.id.casefold():
            return option.id
    for words in texts:  # the words on the screen first: no other wording outranks them
        for option in question.options:
            if words and text == words.get(option.id, "").casefold():
                return option.id
    return None


class Flow:
    """One questionnaire session over a compiled pack."""

    def __init__(self, pack: CompiledPack, lang: str = "en") -> None:
        self.pack = pack
        self.lang = lang
        self._answers: dict[str, Any] = {}  # insertion order is the order given
        self._worth: tuple[QuestionSpec, ...] = questions_worth_asking(pack, {})
        self._shown: list[float] = []  # progress shown at each answered question, in order
        self._earlier: dict[str, Any] = {}  # answers taken back (b, review): the defaults
        self._editing: str | None = None  # a question reopened from the review

    # -- building from saved answers -----------------------------------------------------

    @classmethod
    def restore(cls, pack: CompiledPack, saved: Iterable[tuple[str, Any]],
                lang: str = "en") -> tuple[Flow, list[DroppedAnswer]]:
        """A flow from saved (question id, raw answer) pairs, re-checked against ``pack``."""
        flow = cls(pack, lang)
        dropped: list[DroppedAnswer] = []
        refused: dict[str, Any] = {}  # answers this pack cannot take as they are
        for qid, raw in saved:
            shape = pack.shapes.get(qid)
            normal, why = normalise(shape, raw) if shape is not None else (None, "")
            if shape is None or why:
                refused[qid] = raw
                continue
            flow._answers[qid] = normal
        given = dict(flow._answers)
        hidden = flow._drop_hidden()
        signs: tuple[HiddenWarningSign, ...] = ()
        read: dict[str, Any] = {}
        if hidden or refused:  # (only then: the common resume pays nothing for the check)
            from triage.engine.refusal import screen_readable

            # the check assess --answers makes (also with a safety answer still to come),
            # whatever else is wrong with an answer: resume nothing assess would refuse
            screened, read = screen_readable(pack, given, refused)
            signs = screened.signs
        for qid, value, reason in [
                *((q, read.get(q), "unknown_question" if q not in pack.shapes
                   else "invalid_answer") for q in refused),
                *((q, given[q], "not_asked_now") for q in hidden)]:
            dropped.append(DroppedAnswer(qid, reason, tuple(
                sign for sign in signs if qid in sign.questions), value))
        flow._refresh()
        flow._shown = [flow._raw_done()] * len(flow._answers)
        return flow, dropped

    def taken_back(self, earlier: Iterable[tuple[str, Any]]) -> None:
        """The answers taken back before, most recent first, as :meth:`back` leaves them: a
        flow rebuilt from saved answers (a web page) then says what a changed answer makes
        no longer apply among them (:attr:`Accepted.dropped`), as the terminal's does."""
        self._earlier = {q: v for q, v in reversed(tuple(earlier)) if q not in self._answers}

    @property
    def earlier(self) -> tuple[tuple[str, Any], ...]:
        """The answers taken back that are kept as defaults, most recent first, as
        :meth:`taken_back` takes them (a changed answer removes those it makes not apply)."""
        return tuple(reversed(self._earlier.items()))

    def copy(self) -> Flow:
        """An independent flow at the same point, with nothing worked out again (a web
        server rebuilds the flow of a page on every request)."""
        other = Flow.__new__(Flow)
        other.pack, other.lang = self.pack, self.lang
        other._answers = dict(self._answers)
        other._worth = self._worth
        other._shown = list(self._shown)
        other._earlier = dict(self._earlier)
        other._editing = self._editing
        return other

    # -- state -----------------------------------------------------------------------------

    @property
    def answers(self) -> dict[str, Any]:
        """The answers so far, in the order given."""
        return dict(self._answers)

    @property
    def current(self) -> QuestionSpec | None:
        """The question to ask now, or None when the questionnaire is over."""
        if self._editing is not None:
            return self.pack.question_by_id[self._editing]
        return self._worth[0] if self._worth else None

    @property
    def finished(self) -> bool:
        return not self._worth and self._editing is None

    @property
    def progress(self) -> Progress:
        floor = self._shown[-1] if self._shown else 0.0
        return Progress(self._number(), max(len(self._worth) - 1, 0),
                        max(floor, self._raw_done()))

    def _number(self) -> int:
        """The current question's number: its place among the answered questions in the
        questionnaire's order, the numbers of the review (a question reopened from review
        item 4 is question 4; one asked again after a resume is not counted after the
        answers that follow it)."""
        current = self.current
        if current is None:
            return len(self._answers) + 1
        before = 0
        for question in self.pack.questions:
            if question.id == current.id:
                return before + 1
            before += question.id in self._answers
        return len(self._answers) + 1

    def earlier_answer(self, qid: str) -> Any | None:
        """The answer taken back from ``qid`` (by :meth:`back` or :meth:`reopen`), if any:
        what a front end shows, and keeps when the person confirms it."""
        return self._earlier.get(qid)

    def kept_answers(self) -> dict[str, Any]:
        """The answers to keep while the questionnaire is under way (a saved session): those
        given, then those taken back by going back or reopening that have not been changed
        and still apply. Going back to look at an answer must not lose the ones after it."""
        kept = dict(self._answers)
        for qid, value in reversed(self._earlier.items()):  # taken back last first
            kept.setdefault(qid, value)
        hidden = set(question_states(self.pack, kept).ignored)
        return {qid: value for qid, value in kept.items() if qid not in hidden}

    def review(self) -> list[tuple[QuestionSpec, Any]]:
        """The answers given, in the order of the questionnaire: what a review lists."""
        return [(q, self._answers[q.id]) for q in self.pack.questions if q.id in self._answers]

    def stops_with(self, qid: str, value: Any) -> bool:
        """Would this answer make an emergency certain (and so stop the questionnaire)?

        Front ends ask the person to confirm such an answer with one key before stopping:
        a typo must not end a screening with "call 911".
        """
        question = self._answerable(qid)
        normal, why = normalise(question.shape, value)
        if why:
            return False
        trial = {**self._answers, qid: normal}
        return assess_partial(self.pack, trial).disposition == "emergency"

    @property
    def emergency(self) -> bool:
        """An emergency red flag is certain: stop asking at once."""
        return assess_partial(self.pack, self._answers).disposition == "emergency"

    def option_texts(self, question: QuestionSpec) -> dict[str, str]:
        return {o.id: self.pack.text(o.text, self.lang) for o in question.options}

    # -- moves -------------------------------------------------------------------------------

    def answer(self, qid: str, raw: str) -> Accepted | Rejected:
        """Record a typed answer to the current question (or change an earlier one)."""
        question = self._answerable(qid)
        value = parse_answer(question, raw, self.lang, self.option_texts(question))
        if isinstance(value, Rejected):
            return value
        return self._set(question, value)

    def set_answer(self, qid: str, value: Any) -> Accepted | Rejected:
        """Record an answer given as a value (``"yes"``, an option id, a list, a number)."""
        question = self._answerable(qid)
        normal, why = normalise(question.shape, value)
        if why:
            return Rejected(question, "invalid_value", {"detail": why})
        return self._set(question, normal)

    def parse(self, qid: str, raw: str) -> Any | Rejected:
        """A typed answer's normal form (or :class:`Rejected`), without recording it."""
        question = self._answerable(qid)
        return parse_answer(question, raw, self.lang, self.option_texts(question))

    @property
    def reopened(self) -> bool:
        """A question reopened from the review is being asked: :meth:`back` returns to the
        review, not to the previous question."""
        return self._editing is not None

    def back(self) -> QuestionSpec | None:
        """Take back the last answer; its question is asked again, with the answer taken back
        as its default (:meth:`earlier_answer`). None at the first question.

        While a question reopened from the review is being asked, going back puts its answer
        back and returns to the review.
        """
        if self._editing is not None:
            qid, self._editing = self._editing, None
            self._answers[qid] = self._earlier.pop(qid)
            self._refresh()
            return self.pack.question_by_id[qid]
        if not self._answers:
            return None
        qid = next(reversed(self._answers))
        self._earlier[qid] = self._answers.pop(qid)
        del self._shown[len(self._answers):]
        self._refresh()
        return self.pack.question_by_id[qid]

    def reopen(self, qid: str) -> QuestionSpec:
        """Ask an answered question again (from the review); the questions that follow from
        the new answer are asked next, and answers it makes irrelevant are dropped."""
        if qid not in self._answers:
            raise ValueError(f"question '{qid}' has no answer to change")
        if self._editing is not None:
            self.back()
        self._earlier[qid] = self._answers.pop(qid)
        self._editing = qid
        self._refresh()
        return self.pack.question_by_id[qid]

    def outcome(self) -> Outcome:
        """The result; only once the questionnaire is over."""
        if not self.finished:
            raise RuntimeError("the questionnaire is not finished")
        stopped = outcome_when_stopped(self.pack, self._answers)
        return stopped if stopped is not None else evaluate(self.pack, self._answers)

    # -- internals ---------------------------------------------------------------------------

    def _answerable(self, qid: str) -> QuestionSpec:
        current = self.current
        if qid in self._answers or (current is not None and current.id == qid):
            return self.pack.question_by_id[qid]
        raise ValueError(f"question '{qid}' is not being asked")

    def _set(self, question: QuestionSpec, value: Any) -> Accepted:
        if question.id == self._editing:
            self._editing = None
        elif question.id not in self._answers:
            self._shown.append(self.progress.done)
        # the answers taken back by going back (b) that still applied: a changed answer can
        # make some of them no longer apply, as it can the answers given (the review's
        # change); they are removed and said the same way, never left out without a word
        # (one hidden already, in a state no move makes, goes too, without a word)
        before = self._kept_earlier() if self._earlier else None
        self._earlier.pop(question.id, None)
        self._answers[question.id] = value
        dropped = self._drop_hidden()
        if before is not None:
            after = set(self._kept_earlier())
            gone = tuple(q for q in before if q not in after and q != question.id)
            self._earlier = {q: v for q, v in self._earlier.items() if q in after}
            # in the questionnaire's order, as the answers given are
            dropped = tuple(q.id for q in self.pack.questions
                            if q.id in dropped or q.id in gone)
        self._refresh()
        return Accepted(question, value, dropped)

    def _kept_earlier(self) -> tuple[str, ...]:
        """The answers taken back that still apply: those :meth:`kept_answers` keeps."""
        kept = self.kept_answers()
        return tuple(qid for qid in self._earlier if qid in kept and qid not in self._answers)

    def _drop_hidden(self) -> tuple[str, ...]:
        """Drop answers to questions that an earlier answer now hides (cascading)."""
        hidden = question_states(self.pack, self._answers).ignored
        for qid in hidden:
            del self._answers[qid]
        return hidden

    def _refresh(self) -> None:
        self._worth = questions_worth_asking(self.pack, self._answers)

    def _raw_done(self) -> float:
        """Answered / (answered + still worth asking), held below 1 until the end."""
        answered = len(self._answers)
        if not self._worth and self._editing is None:
            return 1.0
        return min(0.95, answered / (answered + len(self._worth)))
