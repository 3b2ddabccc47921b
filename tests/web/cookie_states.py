"""States of the web questionnaire as large as a pack allows: a generator of the worst case,
hypothesis strategies over a pack's questions, and a maximal journey through the real flow.

Shared by the cookie-size tests (in process) and the Chromium test that plays the journey.
"""

from __future__ import annotations

import json
import math
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from triage.conditions.tree import MULTI, NUMBER, SINGLE, YES_NO
from triage.engine.answers import normalise
from triage.engine.flow import Flow, Rejected
from triage.pack.compiled import CompiledPack
from triage.pack.specs import QuestionSpec
from triage.web import screening
from triage.web.recording import reference_for
from triage.web.state import WebState

LARGEST_STEP = 10**9 - 1  # the largest step a cookie carries (state.STEP_LIMIT - 1)


def _legal(q: QuestionSpec, value: Any) -> bool:
    return not normalise(q.shape, value)[1]


def _numbers(q: QuestionSpec) -> list[Any]:
    """Legal answers to a number question, the widest as text among them: the bounds, and for
    a question with no bound or fractions, what 40 typed characters can make."""
    low = q.min if q.min is not None else -1e39
    high = q.max if q.max is not None else 1e40
    found: list[Any] = [low, high, math.nextafter(low, high), low + (high - low) / 3]
    if q.integer:
        found = [int(x) for x in found if float(x).is_integer()] + [int(low), int(high)]
    return [x for x in found if _legal(q, x)]


def largest_answer(q: QuestionSpec) -> Any:
    """The answer of ``q`` that takes the most room: every box ticked, the longest option id
    (the cookie's first format wrote ids as text), the widest number."""
    if q.type == MULTI:
        return frozenset(o.id for o in q.options)
    if q.type == SINGLE:
        return max((o.id for o in q.options), key=len)
    if q.type == YES_NO:
        return "yes"
    return max(_numbers(q), key=lambda x: len(json.dumps(x)))


def _old_width(value: Any) -> int:
    return len(json.dumps(sorted(value) if isinstance(value, frozenset) else value))


def worst_case_state(pack: CompiledPack) -> WebState:
    """Everything a state can hold at once, each at its largest: every question answered
    with its largest answer and also taken back into ``earlier``, the largest answer pending
    confirmation and shown as the default, progress at every step, a record reference and the
    one before it, the largest step, every question said removed. (More than any one walk
    through the questionnaire reaches: a bound for all of them.)"""
    every = tuple((q.id, largest_answer(q)) for q in pack.questions)
    widest = max(every, key=lambda a: _old_width(a[1]))
    return WebState(nonce=secrets.token_urlsafe(16), started=int(time.time()), answers=every,
                    step=LARGEST_STEP, shown=(999,) * len(every) + (1000,), pending=widest,
                    prefill=widest, earlier=every[::-1], last_ref=a_reference(),
                    ref=a_reference(), started_screening=True,
                    dropped=tuple(q.id for q in pack.questions))


def a_reference() -> str:
    """A record reference as the server makes them (of some screening)."""
    return reference_for(WebState.new())


# ------------------------------------------------------------------------ hypothesis strategies


def answers_of(q: QuestionSpec) -> st.SearchStrategy[Any]:
    """Every legal answer of ``q``, in the flow's normal form."""
    if q.type == YES_NO:
        return st.sampled_from(["yes", "no"])
    if q.type == SINGLE:
        return st.sampled_from([o.id for o in q.options])
    if q.type == MULTI:
        ids = [o.id for o in q.options]
        return st.one_of(st.just(frozenset(ids)), st.frozensets(st.sampled_from(ids)))
    assert q.type == NUMBER
    edges = st.sampled_from(_numbers(q))
    if q.integer:
        low = int(q.min) if q.min is not None else -10**39
        high = int(q.max) if q.max is not None else 10**40
        return st.one_of(edges, st.integers(low, high))
    return st.one_of(edges, st.floats(q.min, q.max, allow_nan=False, allow_infinity=False))


@st.composite
def any_states(draw: st.DrawFn, pack: CompiledPack) -> WebState:
    """Any state the cookie can carry for ``pack``: some questions answered (in any order),
    others taken back, maybe one pending and one shown again, progress, references, some
    said removed."""
    questions = draw(st.permutations(pack.questions))
    n_answered = draw(st.integers(0, len(questions)))
    n_earlier = draw(st.integers(0, len(questions) - n_answered))
    answered = questions[:n_answered]
    taken = questions[n_answered:n_answered + n_earlier]

    def pair(q: QuestionSpec) -> tuple[str, Any]:
        return q.id, draw(answers_of(q))

    def maybe_pair() -> tuple[str, Any] | None:
        return pair(draw(st.sampled_from(questions))) if draw(st.booleans()) else None

    refs = st.one_of(st.none(), st.just(""), st.builds(a_reference))
    return WebState(
        nonce=secrets.token_urlsafe(16), started=int(time.time()),
        answers=tuple(pair(q) for q in answered), step=draw(st.integers(0, LARGEST_STEP)),
        shown=tuple(draw(st.lists(st.integers(0, 1000), max_size=n_answered + 1))),
        pending=maybe_pair(), prefill=maybe_pair(), earlier=tuple(pair(q) for q in taken),
        last_ref=draw(refs), ref=draw(refs), started_screening=draw(st.booleans()),
        dropped=tuple(draw(st.lists(st.sampled_from([q.id for q in questions]), unique=True))))


# ------------------------------------------------------------------ walks through the real flow


def moves(pack: CompiledPack, state: WebState) -> list[str]:
    """What a person can do on the page of ``state``."""
    page = screening.page_for(pack, state)
    if page.kind == "start":
        return ["start"]
    if page.kind == "confirm":
        return ["confirm_yes", "confirm_no", "back"]
    if page.kind == "question":
        # mostly on (any answer, or the largest that goes on), sometimes back
        return ["answer", "largest", "largest", "back"]
    # a result or a stop: recorded (or not: saving failed), back, or start again
    return ["record", "back", "start"]


def move(pack: CompiledPack, state: WebState, action: str,
         value_of: Callable[[QuestionSpec], Any]) -> WebState:
    """One move, as the server makes it for a form (``value_of`` answers a question)."""
    if action == "start":
        return screening.start(state)
    if action in ("confirm_yes", "confirm_no"):
        return screening.confirm(pack, state, yes=action == "confirm_yes")
    if action == "back":
        return screening.back(pack, state) if state.answers or state.pending else state
    if action == "record":
        return state.changed(ref=reference_for(state))
    page = screening.page_for(pack, state)
    assert page.question is not None
    value = value_of(page.question) if action == "answer" else \
        largest_going_on(screening.restore(pack, state), page.question)
    moved = screening.answer(pack, state, page.question.id, value)
    return state if isinstance(moved, Rejected) else moved


def largest_going_on(flow: Flow, q: QuestionSpec) -> Any:
    """The largest answer of ``q`` that does not stop the questionnaire with an emergency:
    every box that does not stop it on its own, fewer if together they would."""
    if q.type == MULTI:
        chosen = [o.id for o in q.options if not flow.stops_with(q.id, [o.id])]
        while chosen and flow.stops_with(q.id, chosen):
            chosen.pop()
        return frozenset(chosen)
    if q.type == NUMBER:
        candidates = sorted(_numbers(q), key=lambda x: -len(json.dumps(x)))
    elif q.type == SINGLE:
        candidates = sorted((o.id for o in q.options), key=lambda x: -len(x))
    else:
        candidates = ["yes", "no"]
    return next((v for v in candidates if not flow.stops_with(q.id, v)), candidates[-1])


@dataclass(frozen=True)
class Step:
    action: str  # start | answer | confirm_no | back | continue (the answer shown, as it is)
    question: str = ""
    value: Any = None


def maximal_journey(pack: CompiledPack) -> tuple[list[Step], list[WebState]]:
    """A journey that fills the cookie as far as a person can: every box of the first
    question ticked (an emergency, taken back at its check), then each question with its
    largest answer that goes on, to the result; back to the first question (every answer
    kept to be shown again), and on again through the answers shown. The steps and the
    state after each."""
    state = screening.start(WebState.new())
    steps, states = [Step("start")], [state]

    def do(step: Step, new: WebState) -> None:
        nonlocal state
        steps.append(step)
        states.append(new)
        state = new

    first = pack.questions[0]
    everything = largest_answer(first) if first.type == MULTI else None
    if everything is not None:
        moved = screening.answer(pack, state, first.id, everything)
        assert isinstance(moved, WebState) and moved.pending is not None
        do(Step("answer", first.id, everything), moved)
        do(Step("confirm_no"), screening.confirm(pack, state, yes=False))
    while (page := screening.page_for(pack, state)).kind == "question":
        assert page.question is not None
        value = largest_going_on(screening.restore(pack, state), page.question)
        moved = screening.answer(pack, state, page.question.id, value)
        assert isinstance(moved, WebState) and moved.pending is None
        do(Step("answer", page.question.id, value), moved)
    while state.answers:
        do(Step("back"), screening.back(pack, state))
    while (page := screening.page_for(pack, state)).kind == "question":
        assert page.question is not None and page.selected is not None
        moved = screening.answer(pack, state, page.question.id, page.selected)
        assert isinstance(moved, WebState)
        do(Step("continue", page.question.id, page.selected), moved)
    return steps, states
