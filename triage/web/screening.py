"""One web questionnaire step at a time, on the same flow as the terminal (no HTTP here).

Every request rebuilds the :class:`~triage.flow.Flow` from the answers in the sealed state
(``Flow.restore`` checks them against the pack again), makes one move (answer, confirm, back)
and returns the new state; :func:`page_for` says what to show. The flow decides the next
question, when to stop and the outcome, exactly as in ``triage assess``; this module adds only
what a web page needs: answers read from form fields, the confirm-a-red-flag step, and progress
that never goes backwards while going forwards.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from triage.conditions.tree import MULTI, NUMBER, SINGLE, YES_NO
from triage.engine.evaluate import MissingAnswers, Outcome
from triage.engine.flow import Accepted, Flow, Rejected, parse_answer
from triage.pack.compiled import CompiledPack
from triage.pack.specs import QuestionSpec
from triage.untrusted import MAX_NUMBER_CHARS
from triage.web.state import SCREENINGS_LIMIT, WebState

NONE_OF_THESE = ":none"  # the "none of these" box; never an option id (ids are identifiers)
MAX_NUMBER_TEXT = MAX_NUMBER_CHARS  # typed: the one limit of every number reader


class StaleForm(Exception):
    """A form made for another step or question (the browser's back button, a replay)."""


class UnknownAnswer(Exception):
    """A form value that no page of ours offers: a changed form, not a person's mistake."""


@dataclass(frozen=True)
class Page:
    kind: str  # start | question | confirm | emergency | result | no_result
    question: QuestionSpec | None = None
    number: int = 0  # of the question, from 1
    percent: int = 0  # progress shown
    selected: Any = None  # the answer to show as chosen (going back, "no, change it")
    outcome: Outcome | None = None
    missing: tuple[str, ...] = ()


class RecentFlows:
    """The flows of the last few pages, so a page's GET reuses what its POST worked out.

    Each request rebuilds its flow from the answers in the cookie, and the three-valued
    evaluation behind it is most of a page's time. Bounded (least recently used dropped), in
    this process's memory only, and keyed by the pack and the answers themselves: a cached
    flow is exactly the flow ``Flow.restore`` would build.
    """

    def __init__(self, size: int = 1024) -> None:
        self.size = size
        self._flows: OrderedDict[tuple[str, tuple[Any, ...]], Flow] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def key(pack: CompiledPack, answers: Iterable[tuple[str, Any]]) -> tuple[str, tuple[Any, ...]]:
        return pack.content_hash, tuple(
            (q, tuple(sorted(v)) if isinstance(v, list | frozenset | set) else v)
            for q, v in answers)

    def get(self, pack: CompiledPack, answers: Iterable[tuple[str, Any]]) -> Flow | None:
        key = self.key(pack, answers)
        with self._lock:
            flow = self._flows.get(key)
            if flow is None:
                return None
            self._flows.move_to_end(key)
        return flow.copy()

    def put(self, flow: Flow) -> None:
        key = self.key(flow.pack, flow.answers.items())
        kept = flow.copy()
        kept.taken_back(())  # a state's answers taken back are its own: never cached
        with self._lock:
            self._flows[key] = kept
            self._flows.move_to_end(key)
            while len(self._flows) > self.size:
                self._flows.popitem(last=False)


RECENT = RecentFlows()


def restore(pack: CompiledPack, state: WebState) -> Flow:
    cached = RECENT.get(pack, state.answers)
    if cached is not None:
        return cached
    flow, dropped = Flow.restore(pack, state.answers)
    if dropped:  # only if the pack changed under a running session: never guess
        raise StaleForm
    RECENT.put(flow)
    return flow


def page_for(pack: CompiledPack, state: WebState) -> Page:
    if not state.started_screening:
        return Page("start")
    flow = restore(pack, state)
    if state.pending is not None:
        qid, value = state.pending
        return Page("confirm", pack.question_by_id[qid], selected=value)
    if flow.finished:
        try:
            outcome = flow.outcome()
        except MissingAnswers as exc:  # fail closed: no recommendation without them
            return Page("no_result", missing=tuple(exc.questions))
        kind = "emergency" if outcome.disposition == "emergency" else "result"
        return Page(kind, outcome=outcome)
    question = flow.current
    assert question is not None
    selected = dict(state.earlier).get(question.id)
    if state.prefill is not None and state.prefill[0] == question.id:
        selected = state.prefill[1]
    return Page("question", question, flow.progress.number,
                percent=_shown(state, flow) // 10, selected=selected)


def _shown(state: WebState, flow: Flow) -> int:
    """Per mille done: the share answered, never below what the previous page showed."""
    answered = len(state.answers)
    raw = 1000 * answered // (answered + 1 + flow.progress.left)
    floor = state.shown[answered - 1] if 0 < answered <= len(state.shown) else 0
    return max(raw, floor)


def read_answer(question: QuestionSpec, values: list[str], lang: str,
                option_texts: dict[str, str]) -> Any | Rejected:
    """The answer from a question's form fields, a :class:`Rejected` for a person's mistake
    (nothing chosen), or :class:`UnknownAnswer` for a value no page offers."""
    ids = {o.id for o in question.options}
    if question.type in (YES_NO, SINGLE):
        allowed = {"yes", "no"} if question.type == YES_NO else ids
        if not values:
            return Rejected(question, "web_choose_one")
        if len(values) > 1 or values[0] not in allowed:
            raise UnknownAnswer
        return values[0]
    if question.type == MULTI:
        if any(v not in ids and v != NONE_OF_THESE for v in values):
            raise UnknownAnswer
        if not values:
            return Rejected(question, "web_choose_some")
        if NONE_OF_THESE in values:
            if len(set(values)) > 1:
                return Rejected(question, "web_none_and_others")
            return []
        return sorted(set(values))
    assert question.type == NUMBER
    if len(values) > 1:
        raise UnknownAnswer
    text = values[0] if values else ""
    if not text.strip():
        return Rejected(question, "web_type_number")
    if len(text) > MAX_NUMBER_TEXT:
        return Rejected(question, "number_expected")
    return parse_answer(question, text, lang, option_texts)


def _shown_after(state: WebState, flow: Flow) -> tuple[int, ...]:
    """The progress record once the current page is answered (before the flow moves on)."""
    answered = len(state.answers)
    return (*state.shown[:answered], _shown(state, flow))


def answer(pack: CompiledPack, state: WebState, qid: str, value: Any,
           flow: Flow | None = None) -> WebState | Rejected:
    """Answer the current question. An answer that makes an emergency certain is held until
    the person confirms it (the terminal's one-key check, as one click). ``flow``: the
    state's flow, when the caller has restored it already."""
    flow = flow or restore(pack, state)
    current = flow.current
    if state.pending is not None or current is None or current.id != qid:
        raise StaleForm
    shown = _shown_after(state, flow)  # progress as shown on this page
    flow.taken_back(state.earlier)
    result = flow.set_answer(qid, value)
    if not isinstance(result, Accepted):
        return result
    # an emergency ends the questionnaire: no need to ask the engine while questions remain
    if flow.finished and flow.emergency:
        return state.changed(pending=(qid, result.value), prefill=None)
    RECENT.put(flow)
    return state.changed(answers=tuple(flow.answers.items()), shown=shown, prefill=None,
                         earlier=flow.earlier, dropped=result.dropped)


def confirm(pack: CompiledPack, state: WebState, *, yes: bool) -> WebState:
    if state.pending is None:
        raise StaleForm
    if not yes:
        return state.changed(pending=None, prefill=state.pending)
    flow = restore(pack, state)
    qid, value = state.pending
    if flow.current is None or flow.current.id != qid:
        raise StaleForm
    shown = _shown_after(state, flow)
    flow.taken_back(state.earlier)
    result = flow.set_answer(qid, value)
    if not isinstance(result, Accepted):
        raise StaleForm
    RECENT.put(flow)
    return state.changed(answers=tuple(flow.answers.items()), shown=shown, pending=None,
                         prefill=None, earlier=flow.earlier, dropped=result.dropped)


def back(pack: CompiledPack, state: WebState) -> WebState:
    """One step back: from a confirmation to its question, else the last answer is taken back
    and shown again as the default; from the first question to the start page."""
    if state.pending is not None:
        return state.changed(pending=None, prefill=state.pending)
    if not state.answers:
        return state.changed(started_screening=False, prefill=None)
    flow = restore(pack, state)
    flow.taken_back(state.earlier)
    taken = flow.back()
    assert taken is not None
    return state.changed(answers=tuple(flow.answers.items()),
                         shown=state.shown[:len(state.answers) - 1],
                         prefill=(taken.id, flow.earlier_answer(taken.id)), ref=None,
                         last_ref=state.ref or state.last_ref, earlier=flow.earlier)


def start(state: WebState) -> WebState:
    """A new questionnaire in the same browser session (the CSRF nonce stays)."""
    # the nonce, the start time and the count of screenings name the screening, and its
    # record reference is made from them (web.recording): the count tells apart two started
    # within one second, so the start time stays the true time (it was pushed a second past
    # the screening before: a script starting many a second pushed it hours ahead)
    return replace(WebState.new(state.nonce),
                   screenings=(state.screenings + 1) % SCREENINGS_LIMIT).changed(
        step=state.step + 1, started_screening=True)
