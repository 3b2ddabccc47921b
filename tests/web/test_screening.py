"""One web step at a time on the shared flow: confirm step, back, progress, answers from forms."""

from __future__ import annotations

import functools
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import MINIMAL
from triage.engine.evaluate import question_states
from triage.engine.flow import Rejected
from triage.engine.hidden import hidden_warning_signs
from triage.pack.compiled import CompiledPack
from triage.pack.load import load_pack
from triage.web import screening
from triage.web.state import Sealer, WebState


@pytest.fixture(scope="module")
def clinical() -> CompiledPack:
    return load_pack(None, use_cache=False)


def started() -> WebState:
    return screening.start(WebState.new())


def walk(pack: CompiledPack, answers: dict[str, Any]) -> tuple[WebState, list[int]]:
    """Answer each page as asked, confirming red flags; the progress shown on every page."""
    state = started()
    shown: list[int] = []
    for _ in range(100):
        page = screening.page_for(pack, state)
        if page.kind == "confirm":
            state = screening.confirm(pack, state, yes=True)
            continue
        if page.kind != "question":
            return state, shown
        assert page.question is not None
        shown.append(page.percent)
        moved = screening.answer(pack, state, page.question.id, answers[page.question.id])
        assert not isinstance(moved, Rejected)
        state = moved
    raise AssertionError("the questionnaire never ended")


@pytest.mark.long(10)
def test_every_pack_case_ends_as_the_flow_does(clinical: CompiledPack) -> None:
    for case in clinical.cases:
        state, _ = walk(clinical, case.answers)
        page = screening.page_for(clinical, state)
        assert page.outcome is not None, case.id
        assert page.outcome.disposition == case.expect, case.id
        assert page.kind == ("emergency" if case.expect == "emergency" else "result")


@pytest.mark.long(11)
def test_progress_never_goes_backwards_going_forwards(clinical: CompiledPack) -> None:
    for case in clinical.cases:
        _, shown = walk(clinical, case.answers)
        assert shown == sorted(shown), (case.id, shown)
        assert all(0 <= p < 100 for p in shown)


@pytest.mark.long(10)
def test_progress_can_fall_when_the_flow_finds_more_questions(clinical: CompiledPack) -> None:
    """Why the floor is needed: the raw share of questions answered does go down."""
    falls = 0
    for case in clinical.cases:
        state = started()
        last = -1.0
        while (page := screening.page_for(clinical, state)).kind == "question":
            flow = screening.restore(clinical, state)
            raw = len(state.answers) / (len(state.answers) + 1 + flow.progress.left)
            falls += raw < last
            last = raw
            assert page.question is not None
            moved = screening.answer(clinical, state, page.question.id,
                                     case.answers[page.question.id])
            assert isinstance(moved, WebState)
            state = moved if moved.pending is None else screening.confirm(
                clinical, moved, yes=True)
    assert falls > 0


def test_an_emergency_answer_waits_for_confirmation(clinical: CompiledPack) -> None:
    state = started()
    held = screening.answer(clinical, state, "emergency_signs", ["chest_pain"])
    assert isinstance(held, WebState)
    assert held.answers == () and held.pending == ("emergency_signs", frozenset({"chest_pain"}))
    assert screening.page_for(clinical, held).kind == "confirm"
    stop = screening.confirm(clinical, held, yes=True)
    page = screening.page_for(clinical, stop)
    assert page.kind == "emergency" and page.outcome is not None
    assert page.outcome.disposition == "emergency"


def test_no_takes_the_answer_back_and_shows_it_again(clinical: CompiledPack) -> None:
    held = screening.answer(clinical, started(), "emergency_signs", ["chest_pain"])
    assert isinstance(held, WebState)
    again = screening.confirm(clinical, held, yes=False)
    page = screening.page_for(clinical, again)
    assert page.kind == "question" and page.question is not None
    assert page.question.id == "emergency_signs"
    assert set(page.selected) == {"chest_pain"}
    assert again.answers == ()


def test_a_non_emergency_answer_is_not_held(clinical: CompiledPack) -> None:
    moved = screening.answer(clinical, started(), "emergency_signs", [])
    assert isinstance(moved, WebState)
    assert moved.pending is None and moved.answers == (("emergency_signs", frozenset()),)


def test_back_shows_the_earlier_answer_and_then_the_start_page(clinical: CompiledPack) -> None:
    one = screening.answer(clinical, started(), "emergency_signs", [])
    assert isinstance(one, WebState)
    two = screening.answer(clinical, one, "age", 45)
    assert isinstance(two, WebState)
    back = screening.back(clinical, two)
    page = screening.page_for(clinical, back)
    assert page.question is not None and page.question.id == "age" and page.selected == 45
    first = screening.back(clinical, back)
    assert screening.page_for(clinical, first).question.id == "emergency_signs"  # type: ignore[union-attr]
    assert screening.page_for(clinical, screening.back(clinical, first)).kind == "start"


def test_going_back_keeps_the_later_answers_until_changed_or_hidden() -> None:
    """As in the terminal: going back three questions and on again shows each later answer
    again; an answer whose question a changed answer hides is forgotten."""
    pack = load_pack(MINIMAL, use_cache=False)
    sealer = Sealer(["k" * 32], pack)
    state = started()
    given = {"chest_pain": "no", "fall": "yes", "can_bear_weight": "yes", "age": 30}
    for qid, value in given.items():
        moved = screening.answer(pack, state, qid, value)
        assert isinstance(moved, WebState)
        state = sealer.open(sealer.seal(moved))  # through the cookie, as between requests
    for _ in range(3):
        state = sealer.open(sealer.seal(screening.back(pack, state)))
    went_back = state
    for qid in ("fall", "can_bear_weight", "age"):
        page = screening.page_for(pack, state)
        assert page.question is not None and page.question.id == qid
        assert page.selected == given[qid]
        moved = screening.answer(pack, state, qid, page.selected)
        assert isinstance(moved, WebState)
        state = sealer.open(sealer.seal(moved))
    assert dict(state.answers) == given and state.earlier == ()
    changed = screening.answer(pack, went_back, "fall", "no")  # hides can_bear_weight
    assert isinstance(changed, WebState)
    assert changed.earlier == (("age", 30),)
    page = screening.page_for(pack, changed)
    assert page.question is not None and (page.question.id, page.selected) == ("age", 30)


def test_a_form_for_another_question_is_stale(clinical: CompiledPack) -> None:
    with pytest.raises(screening.StaleForm):
        screening.answer(clinical, started(), "age", 45)
    with pytest.raises(screening.StaleForm):
        screening.confirm(clinical, started(), yes=True)


def test_every_change_moves_the_step(clinical: CompiledPack) -> None:
    state = started()
    moved = screening.answer(clinical, state, "emergency_signs", [])
    assert isinstance(moved, WebState)
    assert moved.step == state.step + 1
    assert screening.back(clinical, moved).step == moved.step + 1


@pytest.mark.parametrize(("qid", "values", "expected"), [
    ("emergency_signs", [], "web_choose_some"),
    ("emergency_signs", [":none", "chest_pain"], "web_none_and_others"),
    ("age", [], "web_type_number"),
    ("age", ["  "], "web_type_number"),
    ("age", ["abc"], "number_expected"),
    ("age", ["9" * 50], "number_expected"),
    ("age", ["500"], "out_of_range"),
])
def test_a_persons_slip_is_rejected_with_a_message(clinical: CompiledPack, qid: str,
                                                   values: list[str], expected: str) -> None:
    q = clinical.question_by_id[qid]
    result = screening.read_answer(q, values, "en", {})
    assert isinstance(result, Rejected) and result.key == expected


def test_answers_read_from_forms(clinical: CompiledPack) -> None:
    signs = clinical.question_by_id["emergency_signs"]
    age = clinical.question_by_id["age"]
    assert screening.read_answer(signs, [":none"], "en", {}) == []
    assert screening.read_answer(signs, ["fainting", "chest_pain"], "en", {}) == [
        "chest_pain", "fainting"]
    assert isinstance(screening.read_answer(age, ["45,5 ans"], "fr", {}), Rejected)  # whole
    assert screening.read_answer(age, ["45 years"], "en", {}) == 45


@pytest.mark.parametrize(("qid", "values"), [
    ("emergency_signs", ["not_an_option"]),
    ("emergency_signs", ["none"]),
    ("age", ["1", "2"]),
])
def test_values_no_page_offers_are_unknown(clinical: CompiledPack, qid: str,
                                           values: list[str]) -> None:
    with pytest.raises(screening.UnknownAnswer):
        screening.read_answer(clinical.question_by_id[qid], values, "en", {})


def test_yes_no_and_single_choice_take_exactly_one_offered_value(
        clinical: CompiledPack, minimal_pack: CompiledPack) -> None:
    yes_no = next(q for q in minimal_pack.questions if q.type == "yes_no")
    single = next(q for q in clinical.questions if q.type == "single")
    assert screening.read_answer(yes_no, ["yes"], "en", {}) == "yes"
    assert isinstance(screening.read_answer(yes_no, [], "en", {}), Rejected)
    for bad in (["oui"], ["yes", "no"]):
        with pytest.raises(screening.UnknownAnswer):
            screening.read_answer(yes_no, bad, "en", {})
    first = single.options[0].id
    assert screening.read_answer(single, [first], "en", {}) == first
    with pytest.raises(screening.UnknownAnswer):
        screening.read_answer(single, [first, single.options[1].id], "en", {})


def test_recent_flows_are_the_flows_restore_builds_and_stay_bounded(
        clinical: CompiledPack) -> None:
    from triage.engine.flow import Flow

    recent = screening.RecentFlows(size=8)
    for case in clinical.cases[:20]:
        flow = Flow(clinical)
        while not flow.finished:
            assert flow.current is not None
            flow.set_answer(flow.current.id, case.answers[flow.current.id])
            recent.put(flow)
            again = recent.get(clinical, flow.answers.items())
            fresh, _ = Flow.restore(clinical, list(flow.answers.items()))
            assert again is not None and again is not flow
            assert (again.current, again.progress, again.answers) == (
                fresh.current, fresh.progress, fresh.answers)
            again.back()  # a copy: changing it leaves the cached one alone
            assert recent.get(clinical, flow.answers.items()).answers == flow.answers  # type: ignore[union-attr]
    assert len(recent._flows) == 8


def _any_answer(q: Any) -> st.SearchStrategy[Any]:
    shape = q.shape
    if shape.type in ("yes_no", "single"):
        return st.sampled_from(shape.choices)
    if shape.type == "multi":
        return st.lists(st.sampled_from(shape.options), max_size=2, unique=True)
    return st.integers(int(shape.min or 0), int(shape.max or 120))


@pytest.mark.long(12)
@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_going_back_never_leaves_an_answer_that_no_longer_applies(
        data: st.DataObject) -> None:
    """Back, change an answer, on again, through the cookie as between requests: the answers
    the web flow keeps (and shows again) never include one whose question no longer applies,
    so its result never ignores a warning sign somebody gave."""
    pack = _clinical()
    sealer = Sealer(["k" * 32], pack)
    state = started()
    for _ in range(80):
        page = screening.page_for(pack, state)
        if page.kind in ("emergency", "result", "no_result"):
            if page.outcome is not None:
                assert page.outcome.ignored_answers == ()
                assert hidden_warning_signs(pack, dict(state.answers), page.outcome) == ()
            if not data.draw(st.booleans()):  # done, or back from the result
                break
            state = screening.back(pack, state)
        elif page.kind == "confirm":
            state = screening.confirm(pack, state, yes=data.draw(st.booleans()))
        elif data.draw(st.integers(0, 3)) == 0:
            state = screening.back(pack, state)
            if not state.started_screening:
                state = screening.start(state)
        else:
            assert page.question is not None
            value = page.selected if page.selected is not None and data.draw(
                st.booleans()) else data.draw(_any_answer(page.question))
            moved = screening.answer(pack, state, page.question.id, value)
            assert isinstance(moved, WebState)
            state = moved
        state = sealer.open(sealer.seal(state))
        answers = dict(state.answers)
        assert question_states(pack, answers).ignored == ()
        shown_again = {**dict(state.earlier), **answers}
        assert not set(question_states(pack, shown_again).ignored) & set(dict(state.earlier))


@functools.cache
def _clinical() -> CompiledPack:
    return load_pack(None, use_cache=False)


def test_a_state_stating_a_warning_sign_that_does_not_apply_gets_no_page(
        clinical: CompiledPack) -> None:
    # The web's restore refuses any answer the pack would drop (its cookies are sealed for
    # one pack, so only a changed pack could bring one): never a result without the sign.
    answers = (("emergency_signs", frozenset()), ("age", 38), ("recent_stroke_signs", "no"),
               ("areas", frozenset({"shoulder"})),
               ("ces_signs", frozenset({"saddle_numbness"})))
    state = started().changed(answers=answers)
    with pytest.raises(screening.StaleForm):
        screening.page_for(clinical, state)
