"""The pure questionnaire flow, on tests/packs/minimal."""

from __future__ import annotations

import functools
import itertools
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from triage.engine.evaluate import evaluate, next_question, question_states
from triage.engine.flow import Accepted, Flow, Rejected, parse_answer, stated_signs
from triage.engine.hidden import hidden_warning_signs
from triage.engine.policy import MEDICAL
from triage.pack.bundled import default_pack_dir
from triage.pack.compiled import CompiledPack
from triage.pack.load import load_pack

# -- parsing typed answers ----------------------------------------------------------------


@pytest.mark.parametrize(("lang", "raw", "value"), [
    ("en", "y", "yes"), ("en", "Yes", "yes"), ("en", " n ", "no"), ("en", "NO", "no"),
    ("fr", "o", "yes"), ("fr", "Oui", "yes"), ("fr", "n", "no"), ("fr", "non", "no"),
])
def test_yes_no_words_per_language(pack: CompiledPack, lang: str, raw: str, value: str) -> None:
    assert parse_answer(pack.question_by_id["fever"], raw, lang) == value


@pytest.mark.parametrize(("lang", "raw", "key"), [
    ("en", "", "empty_answer"), ("en", "   ", "empty_answer"), ("en", "o", "yes_no_expected"),
    ("en", "oui", "yes_no_expected"), ("fr", "y", "yes_no_expected"), ("fr", "", "empty_answer"),
    ("en", "1", "yes_no_expected"),
])
def test_yes_no_never_guesses(pack: CompiledPack, lang: str, raw: str, key: str) -> None:
    result = parse_answer(pack.question_by_id["fever"], raw, lang)
    assert isinstance(result, Rejected)
    assert result.key == key


def test_yes_no_rejection_names_the_keys_of_the_language(pack: CompiledPack) -> None:
    result = parse_answer(pack.question_by_id["fever"], "x", "fr")
    assert isinstance(result, Rejected)
    assert result.values == {"yes": "o", "no": "n"}


def test_single_choice_by_number_id_or_words(pack: CompiledPack) -> None:
    area = pack.question_by_id["area"]
    texts = {"neck": "Neck", "low_back": "Lower back", "knee": "Knee"}
    assert parse_answer(area, "2", "en", texts) == "low_back"
    assert parse_answer(area, "knee", "en", texts) == "knee"
    assert parse_answer(area, "lower back", "en", texts) == "low_back"
    for bad in ("0", "4", "", "back"):
        assert isinstance(parse_answer(area, bad, "en", texts), Rejected)
    # str.isdigit() takes these: int() raised on the first two (exit 70) and read the
    # Arabic-Indic two as the second choice
    for bad in ("\u00b2", "\u2460", "\u0662", "\uff12", "2" * 5000):
        result = parse_answer(area, bad, "en", texts)
        assert isinstance(result, Rejected) and result.key == "choice_expected", bad
    result = parse_answer(pack.question_by_id["problems"], "1 \u00b2", "en")
    assert isinstance(result, Rejected) and result.key == "choices_expected"


def test_multi_choice_numbers_separated_by_spaces_or_commas(pack: CompiledPack) -> None:
    problems = pack.question_by_id["problems"]
    assert parse_answer(problems, "1 3", "en") == frozenset({"stiffness", "strain"})
    assert parse_answer(problems, "3,1", "en") == frozenset({"stiffness", "strain"})
    assert parse_answer(problems, "1, 1", "en") == frozenset({"stiffness"})
    assert parse_answer(problems, "0", "en") == frozenset()
    empty = parse_answer(problems, "", "en")
    assert isinstance(empty, Rejected) and empty.key == "empty_answer"
    bad = parse_answer(problems, "1 9", "en")
    assert isinstance(bad, Rejected) and bad.key == "choices_expected"
    assert bad.values["token"] == "9"
    assert isinstance(parse_answer(problems, "0 1", "en"), Rejected)


@pytest.mark.parametrize(("lang", "raw", "result"), [
    ("en", "45", 45), ("en", "45 years", 45), ("fr", "45 ans", 45), ("en", "0", 0),
    ("en", "120", 120), ("en", "45.0", 45),
    ("en", "121", "out_of_range"), ("en", "-1", "out_of_range"), ("en", "abc", "number_expected"),
    ("en", "nan", "number_expected"), ("en", "inf", "number_expected"),
    ("en", "45.5", "whole_number_expected"), ("fr", "45,5", "whole_number_expected"),
    ("en", "", "empty_answer"),
    # ASCII digits only (issue 12): float() would read these as 38
    ("en", "3_8", "number_expected"), ("en", "\u0663\u0668", "number_expected"),
    ("en", "1e1", "number_expected"), ("en", "4E1", "number_expected"),  # typed: no exponent
    ("en", "\uff13\uff18", "number_expected"), ("en", "1" * 5000, "number_expected"),
    ("en", "\u00b2", "number_expected"), ("en", "\u2460", "number_expected"),
    # a fraction the float rounds away is still a fraction (audit finding 3): 15 and 16
    # give different results, and the float of 15.99999999999999999 is 16.0
    ("en", "15.99999999999999999", "whole_number_expected"),
    ("fr", "15,99999999999999999 ans", "whole_number_expected"),
    ("en", "16.00000000000000001", "whole_number_expected"), ("en", "16.000", 16),
    ("en", "9" * 39, "out_of_range"),
    # the unit after 1 too ("1 year", "1 an"), as the answer is echoed back
    ("en", "1 year", 1), ("fr", "1 an", 1), ("fr", "0 an", 0), ("en", "2 years", 2),
    # a comma before 3 digits: a thousand in English, one in French ("1,000" was read as 1,
    # a child's age, in every language); refused in both, a decimal comma kept
    ("en", "1,000", "number_comma_grouped"), ("fr", "1,000", "number_comma_grouped"),
    ("en", "2,000 years", "number_comma_grouped"), ("fr", "1,000,000", "number_comma_grouped"),
    ("en", "65,0", 65), ("fr", "65,00", 65), ("fr", "1,0000", 1),
])
def test_numbers_are_checked_against_range_and_unit(pack: CompiledPack, lang: str, raw: str,
                                                    result: Any) -> None:
    parsed = parse_answer(pack.question_by_id["age"], raw, lang)
    if isinstance(result, str):
        assert isinstance(parsed, Rejected)
        assert parsed.key == result
        if result != "empty_answer":
            assert parsed.values["min"] == "0" and parsed.values["max"] == "120"
    else:
        assert parsed == result


# -- the session ----------------------------------------------------------------------------


def run(flow: Flow, answers: dict[str, str]) -> list[str]:
    """Answer every question the flow asks from ``answers``; the ids asked, in order."""
    asked = []
    while not flow.finished:
        q = flow.current
        assert q is not None
        asked.append(q.id)
        result = flow.answer(q.id, answers[q.id])
        assert isinstance(result, Accepted), result
    return asked


STIFF_NECK = {"chest_pain": "n", "fall": "n", "age": "30", "fever": "n", "area": "1",
              "problems": "1", "blood_thinners": "n"}


def test_red_flag_screening_comes_first(pack: CompiledPack) -> None:
    flow = Flow(pack)
    asked = run(flow, STIFF_NECK)
    assert asked[:2] == ["chest_pain", "fall"]
    assert flow.outcome().disposition == "soft_tissue"
    assert list(flow.answers) == asked  # kept in the order given


def test_progress_counts_question_and_estimates_what_is_left(pack: CompiledPack) -> None:
    flow = Flow(pack)
    assert (flow.progress.number, flow.progress.left) == (1, 6)
    flow.answer("chest_pain", "n")
    assert (flow.progress.number, flow.progress.left) == (2, 5)
    flow.answer("fall", "y")  # opens can_bear_weight
    assert flow.current is not None and flow.current.id == "can_bear_weight"
    assert (flow.progress.number, flow.progress.left) == (3, 5)  # the raw estimate grew...


def test_progress_shown_never_goes_down(pack: CompiledPack) -> None:
    """...but the share done that front ends show never falls, on every answer path."""
    # the second path: "Lower back" opens more questions, so the raw estimate falls there
    paths = [STIFF_NECK, {"chest_pain": "n", "fall": "y", "can_bear_weight": "y", "age": "30",
                          "fever": "n", "area": "2", "problems": "1", "blood_thinners": "n",
                          "worry": "n", "low_mood": "n"}]
    for answers in paths:
        flow = Flow(pack)
        shown = [flow.progress.done]
        while not flow.finished:
            q = flow.current
            assert q is not None
            assert isinstance(flow.answer(q.id, answers[q.id]), Accepted)
            shown.append(flow.progress.done)
        assert shown == sorted(shown), shown
        assert shown[-1] == 1.0 and max(shown[:-1]) < 1.0


def test_going_back_restores_the_progress_shown_then(pack: CompiledPack) -> None:
    flow = Flow(pack)
    first = flow.progress.done
    flow.answer("chest_pain", "n")
    second = flow.progress.done
    flow.answer("fall", "y")
    flow.back()
    assert flow.progress.done == second
    flow.back()
    assert flow.progress.done == first


def test_back_keeps_the_earlier_answer_as_the_default(pack: CompiledPack) -> None:
    flow = Flow(pack)
    flow.answer("chest_pain", "n")
    flow.answer("fall", "y")
    flow.back()
    assert flow.earlier_answer("fall") == "yes"
    assert flow.earlier_answer("chest_pain") is None
    flow.answer("fall", "n")
    assert flow.earlier_answer("fall") is None  # answered again: no default left over


def test_going_back_keeps_the_later_answers_until_changed_or_hidden(pack: CompiledPack) -> None:
    flow = Flow(pack)
    for qid, raw in (("chest_pain", "n"), ("fall", "y"), ("can_bear_weight", "y"),
                     ("age", "30")):
        flow.answer(qid, raw)
    given = flow.answers
    for _ in range(3):
        flow.back()
    assert flow.answers == {"chest_pain": "no"}
    assert list(flow.kept_answers().items()) == list(given.items())  # only looked at
    flow.answer("fall", "n")  # hides can_bear_weight: its answer no longer applies
    assert flow.kept_answers() == {"chest_pain": "no", "fall": "no", "age": 30}
    flow.answer("age", "40")
    assert flow.kept_answers() == flow.answers == {"chest_pain": "no", "fall": "no", "age": 40}


def test_earlier_lists_the_defaults_kept_most_recent_first(pack: CompiledPack) -> None:
    """What a web page keeps between requests: ``earlier`` is what ``taken_back`` takes, and a
    flow rebuilt from the answers and it keeps (and removes) the same defaults."""
    flow = Flow(pack)
    for qid, raw in (("chest_pain", "n"), ("fall", "y"), ("can_bear_weight", "y"),
                     ("age", "30")):
        flow.answer(qid, raw)
    for _ in range(3):
        flow.back()
    assert flow.earlier == (("fall", "yes"), ("can_bear_weight", "yes"), ("age", 30))
    rebuilt, dropped = Flow.restore(pack, flow.answers.items())
    rebuilt.taken_back(flow.earlier)
    assert dropped == [] and rebuilt.earlier == flow.earlier
    for one in (flow, rebuilt):
        one.answer("fall", "n")  # hides can_bear_weight: no longer a default
        assert one.earlier == (("age", 30),)


def test_a_default_for_a_hidden_question_goes_with_the_next_answer(pack: CompiledPack) -> None:
    """A state no move makes (a default whose question the answers hide already) is not kept
    past the next answer, nor said removed (it was never kept): the defaults left are those
    the answers given let apply, as the web kept them before it read the flow's."""
    flow, _ = Flow.restore(pack, [("chest_pain", "no"), ("fall", "no")])
    flow.taken_back([("can_bear_weight", "yes"), ("age", 30)])
    assert flow.current is not None and flow.current.id == "age"
    accepted = flow.set_answer("age", 40)
    assert isinstance(accepted, Accepted) and accepted.dropped == ()
    assert flow.earlier == ()
    flow.back()
    flow.back()
    flow.set_answer("fall", "yes")  # can_bear_weight asked again: no default left over
    assert flow.current is not None and flow.current.id == "can_bear_weight"
    assert flow.earlier_answer("can_bear_weight") is None


def test_stops_with_tells_an_emergency_answer_before_it_is_recorded(pack: CompiledPack) -> None:
    flow = Flow(pack)
    assert flow.stops_with("chest_pain", "yes")
    assert not flow.stops_with("chest_pain", "no")
    assert flow.answers == {}  # nothing recorded by asking
    assert flow.parse("chest_pain", "y") == "yes"


def test_a_question_keeps_its_number_when_asked_again(pack: CompiledPack) -> None:
    """Review item 3 reopened is question 3; after a resume that dropped an answer, its
    question has the number of its place, not one after the answers that follow it."""
    flow = Flow(pack)
    run(flow, STIFF_NECK)
    review = flow.review()
    flow.reopen(review[2][0].id)
    assert flow.progress.number == 3
    resumed, dropped = Flow.restore(pack, [("chest_pain", "no"), ("fall", "maybe"),
                                           ("age", 60), ("fever", "no")])
    assert [d.question for d in dropped] == ["fall"]
    assert resumed.current is not None and resumed.current.id == "fall"
    assert resumed.progress.number == 2
    fresh = Flow(pack)
    for number, (qid, raw) in enumerate(list(STIFF_NECK.items())[:4], 1):
        assert fresh.progress.number == number  # going forwards: 1, 2, 3, ...
        fresh.answer(qid, raw)


def test_review_reopens_one_answer_and_continues(pack: CompiledPack) -> None:
    flow = Flow(pack)
    run(flow, STIFF_NECK)
    assert flow.finished
    assert [q.id for q, _ in flow.review()] == [q.id for q in pack.questions
                                                if q.id in flow.answers]
    flow.reopen("area")
    assert not flow.finished
    assert flow.current is not None and flow.current.id == "area"
    assert flow.earlier_answer("area") == "neck"
    assert isinstance(flow.answer("area", "3"), Accepted)
    assert flow.answers["area"] == "knee"
    while not flow.finished:  # whatever the new answer opens is asked next
        q = flow.current
        assert q is not None
        flow.set_answer(q.id, "no" if q.type == "yes_no" else [])
    assert flow.outcome().answers["area"] == "knee"


def test_back_while_reopened_puts_the_answer_back(pack: CompiledPack) -> None:
    flow = Flow(pack)
    run(flow, STIFF_NECK)
    before = flow.answers
    flow.reopen("age")
    flow.back()
    assert flow.finished and flow.answers == before


def test_emergency_stops_at_once(pack: CompiledPack) -> None:
    flow = Flow(pack)
    flow.answer("chest_pain", "y")
    assert flow.emergency
    assert flow.finished and flow.current is None
    outcome = flow.outcome()
    assert outcome.disposition == "emergency"
    assert outcome.main_red_flag == "heart_attack_signs"


def test_certain_medical_disposition_ends_the_questionnaire(pack: CompiledPack) -> None:
    flow = Flow(pack)
    asked = run(flow, {"chest_pain": "n", "fall": "y", "can_bear_weight": "n",
                       "age": "70"})
    assert asked == ["chest_pain", "fall", "can_bear_weight", "age"]
    assert not flow.emergency
    assert flow.outcome().disposition == "same_day"


def test_back_returns_to_the_previous_question(pack: CompiledPack) -> None:
    flow = Flow(pack)
    assert flow.back() is None  # nothing before the first question
    flow.answer("chest_pain", "n")
    flow.answer("fall", "y")
    back = flow.back()
    assert back is not None and back.id == "fall"
    assert flow.current is not None and flow.current.id == "fall"
    assert flow.answers == {"chest_pain": "no"}
    flow.answer("fall", "n")
    assert flow.current is not None and flow.current.id == "age"  # can_bear_weight now hidden


def test_changing_a_gate_drops_the_answers_it_hides(pack: CompiledPack) -> None:
    flow = Flow(pack)
    for qid, raw in [("chest_pain", "n"), ("fall", "n"), ("age", "40"), ("fever", "n"),
                     ("area", "2")]:
        flow.answer(qid, raw)
    asked = []
    while flow.current is not None and flow.current.id in ("worry", "low_mood", "problems",
                                                           "blood_thinners"):
        q = flow.current
        asked.append(q.id)
        flow.answer(q.id, {"problems": "1", "blood_thinners": "n"}.get(q.id, "y"))
    assert {"worry", "low_mood"} <= set(asked)
    changed = flow.answer("area", "1")  # neck: worry and low_mood no longer apply
    assert isinstance(changed, Accepted)
    assert set(changed.dropped) == {"worry", "low_mood"}
    assert "worry" not in flow.answers and "low_mood" not in flow.answers
    assert flow.answers["area"] == "neck"


def test_cascade_through_chained_gates(pack: CompiledPack) -> None:
    flow = Flow(pack)
    flow.answer("chest_pain", "n")
    flow.answer("fall", "y")
    flow.answer("can_bear_weight", "n")
    changed = flow.answer("fall", "n")
    assert isinstance(changed, Accepted) and changed.dropped == ("can_bear_weight",)


def test_a_question_not_being_asked_cannot_be_answered(pack: CompiledPack) -> None:
    flow = Flow(pack)
    with pytest.raises(ValueError, match="not being asked"):
        flow.answer("worry", "y")


def test_outcome_only_when_finished(pack: CompiledPack) -> None:
    with pytest.raises(RuntimeError):
        Flow(pack).outcome()


def test_set_answer_takes_values(pack: CompiledPack) -> None:
    flow = Flow(pack)
    assert isinstance(flow.set_answer("chest_pain", False), Accepted)
    bad = flow.set_answer("fall", "maybe")
    assert isinstance(bad, Rejected) and bad.key == "invalid_value"


def test_restore_rechecks_saved_answers(pack: CompiledPack) -> None:
    saved = [("chest_pain", "no"), ("gone", "yes"), ("fall", "no"), ("can_bear_weight", "no"),
             ("age", 400), ("area", "elbow"), ("fever", "no")]
    flow, dropped = Flow.restore(pack, saved, "en")
    assert [(d.question, d.reason) for d in dropped] == [
        ("gone", "unknown_question"), ("age", "invalid_answer"), ("area", "invalid_answer"),
        ("can_bear_weight", "not_asked_now")]
    assert flow.answers == {"chest_pain": "no", "fall": "no", "fever": "no"}
    # with no fall and no fever, no rule needs the age any more: it is not asked
    assert flow.current is not None and flow.current.id == "area"


# -- properties: never stops too early, never asks in vain ----------------------------------

DOMAIN: dict[str, list[Any]] = {}


def domain(pack: CompiledPack, qid: str) -> list[Any]:
    """Every answer worth distinguishing (numbers at the thresholds the rules use)."""
    q = pack.question_by_id[qid]
    if q.type == "yes_no":
        return ["yes", "no"]
    if q.type == "single":
        return list(q.choices)
    if q.type == "multi":
        return [frozenset(c) for n in range(len(q.options) + 1)
                for c in itertools.combinations(q.choices, n)]
    return [0, 54, 55, 64, 65, 120]


def full_answers(pack: CompiledPack) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({q.id: st.sampled_from(domain(pack, q.id))
                                  for q in pack.questions})


def ask_all(pack: CompiledPack, truth: dict[str, Any]) -> Flow:
    flow = Flow(pack)
    while not flow.finished:
        q = flow.current
        assert q is not None
        assert q == next_question(pack, flow.answers)  # the engine decides, not the flow
        assert isinstance(flow.set_answer(q.id, truth[q.id]), Accepted)
    return flow


def test_flow_agrees_with_the_full_evaluation(pack: CompiledPack) -> None:
    @settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
    @given(full_answers(pack))
    def check(truth: dict[str, Any]) -> None:
        flow = ask_all(pack, truth)
        everything = evaluate(pack, truth)
        got = flow.outcome()
        assert got.disposition == everything.disposition
        if got.disposition not in MEDICAL:
            # details (precautions, notes) were all asked for too
            assert {r.id for r in got.fired} == {r.id for r in everything.fired}
        if got.disposition == "emergency":
            assert len(flow.answers) == 1 + list(flow.answers).index("chest_pain")

    check()


def _signature(pack: CompiledPack, answers: dict[str, Any]) -> tuple[str, frozenset[str]]:
    """What a person is told: the disposition and its reasons (a medical disposition shows its
    red flags only; therapy ones also show precautions and notes)."""
    outcome = evaluate(pack, answers)
    shown = [r for r in outcome.fired
             if outcome.disposition not in MEDICAL or r.kind == "red_flag"]
    return outcome.disposition, frozenset(r.id for r in shown)


def test_every_question_asked_can_change_the_outcome(pack: CompiledPack) -> None:
    """For each question asked, some answers to the rest make two of its answers differ."""
    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
    @given(full_answers(pack))
    def check(truth: dict[str, Any]) -> None:
        flow = Flow(pack)
        while not flow.finished:
            q = flow.current
            assert q is not None
            assert _has_witness(pack, flow.answers, q.id), (
                f"{q.id} was asked but no answer to it can change the outcome")
            flow.set_answer(q.id, truth[q.id])

    check()


def test_the_witness_search_can_fail(pack: CompiledPack) -> None:
    # once an emergency is certain nothing else matters: the check above is not vacuous
    assert not _has_witness(pack, {"chest_pain": "yes"}, "blood_thinners")
    assert _has_witness(pack, {"chest_pain": "no"}, "blood_thinners")


def _has_witness(pack: CompiledPack, given_: dict[str, Any], qid: str) -> bool:
    rest = [x.id for x in pack.questions if x.id not in given_ and x.id != qid]
    for combo in itertools.product(*(domain(pack, r) for r in rest)):
        base = dict(given_, **dict(zip(rest, combo, strict=True)))
        visible = question_states(pack, base)
        if qid not in visible.pending:
            continue  # hidden by these answers: no witness here
        if len({_signature(pack, dict(base, **{qid: v})) for v in domain(pack, qid)}) > 1:
            return True
    return False


@pytest.mark.parametrize("raw", ["0 3", "1 0"])
def test_none_with_other_choices_says_why(pack: CompiledPack, raw: str) -> None:
    question = pack.question_by_id["problems"]
    rejected = parse_answer(question, raw, "en")
    assert isinstance(rejected, Rejected) and rejected.key == "none_and_choices"


def test_a_copy_carries_progress_defaults_and_a_reopened_question(pack: CompiledPack) -> None:
    flow = Flow(pack)
    run(flow, STIFF_NECK)
    flow.reopen("age")
    other = flow.copy()
    assert other.current is not None and other.current.id == "age"
    assert other.earlier_answer("age") == flow.earlier_answer("age")
    assert other.progress == flow.progress
    other.back()
    assert flow.current is not None and flow.current.id == "age"  # independent


# -- answers that no longer apply are never kept -----------------------------------------


def _any_answer(question: Any) -> st.SearchStrategy[Any]:
    shape = question.shape
    if shape.type in ("yes_no", "single"):
        return st.sampled_from(shape.choices)
    if shape.type == "multi":
        return st.frozensets(st.sampled_from(shape.options), max_size=2)
    return st.integers(int(shape.min or 0), int(shape.max or 120))


@pytest.mark.long(16)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_going_back_and_changing_answers_never_keeps_one_that_no_longer_applies(
        data: st.DataObject) -> None:
    """The questionnaire (terminal and web alike run this flow) drops an answer whose
    question a changed answer hides: what it finally assesses, and what a saved session
    keeps, never holds an answer the engine would ignore (so no warning sign is ever given
    where it does not apply; answers from files, rows and records are checked instead)."""
    pack = _clinical()
    flow = Flow(pack)
    for _ in range(120):
        move = data.draw(st.sampled_from(["answer", "answer", "answer", "back", "reopen"]))
        if move == "back":
            flow.back()
        elif move == "reopen" and flow.answers:
            flow.reopen(data.draw(st.sampled_from(sorted(flow.answers))))
        elif flow.current is not None:
            earlier = flow.earlier_answer(flow.current.id)
            keep = earlier is not None and data.draw(st.booleans())
            value = earlier if keep else data.draw(_any_answer(flow.current))
            assert isinstance(flow.set_answer(flow.current.id, value), Accepted)
        assert question_states(pack, flow.answers).ignored == ()
        assert question_states(pack, flow.kept_answers()).ignored == ()
        if flow.finished:
            break
    event("finished" if flow.finished else "still under way")
    if flow.finished:
        outcome = flow.outcome()
        assert outcome.ignored_answers == ()
        assert hidden_warning_signs(pack, flow.answers, outcome) == ()


@functools.cache
def _clinical() -> CompiledPack:
    return load_pack(None)


# -- a resumed session whose saved answers state a warning sign that no longer applies -------

BUNDLED = load_pack(default_pack_dir())
# a desk worker's neck and shoulder (examples/answers.yaml), as a finished session saves it
NECK_SHOULDER: list[tuple[str, Any]] = [
    ("emergency_signs", []), ("age", 38), ("recent_stroke_signs", "no"),
    ("areas", ["neck", "shoulder"]), ("neck_neuro", []), ("exertion_pain", "no"),
    ("today_signs", []), ("health_history", []), ("injury", "none"),
    ("duration", "under_6_weeks"), ("onset", "gradual"), ("other_symptoms", []),
    ("myelopathy_signs", []), ("reasons", ["desk_posture"]), ("conditions", [])]


def test_a_resumed_answer_that_states_a_hidden_warning_sign_is_named_with_it() -> None:
    # As after a pack update that narrowed the cauda equina question's gate: the answer is
    # still dropped (the question does not apply), but with the sign it states, which a
    # front end must not go on without (assess refuses the same answers).
    saved = [*NECK_SHOULDER, ("ces_signs", ["saddle_numbness", "both_legs_weak"])]
    flow, dropped = Flow.restore(BUNDLED, saved)
    assert "ces_signs" not in flow.answers
    [ces] = dropped
    assert (ces.question, ces.reason) == ("ces_signs", "not_asked_now")
    assert ces.value == frozenset({"saddle_numbness", "both_legs_weak"})
    assert [s.rule.id for s in ces.signs] == ["cauda_equina_signs"]
    assert ces.signs[0].gates == ("areas",)
    assert stated_signs(dropped) == ces.signs


def test_a_session_under_way_is_checked_too() -> None:
    # no outcome yet (safety questions still to come): the sign counts when no red flag the
    # answers already prove is as urgent
    saved = [*NECK_SHOULDER[:4], ("ces_signs", ["not_sure"])]
    flow, dropped = Flow.restore(BUNDLED, saved)
    assert not flow.finished
    assert [s.rule.id for s in stated_signs(dropped)] == ["cauda_equina_signs"]


@pytest.mark.parametrize("saved", [
    [*NECK_SHOULDER, ("ces_signs", [])],  # none of these: nothing stated
    # an emergency the other answers already prove: the sign changes nothing
    [("emergency_signs", ["chest_pain"]), *NECK_SHOULDER[1:], ("ces_signs", ["saddle_numbness"])],
])
def test_a_dropped_answer_that_changes_nothing_states_no_sign(saved: list[Any]) -> None:
    _, dropped = Flow.restore(BUNDLED, saved)
    assert [d.question for d in dropped] == ["ces_signs"]
    assert stated_signs(dropped) == ()


@pytest.mark.parametrize("ces", [["saddle_numbness", "an_option_since_removed"],
                                 "Saddle_Numbness; a typo", ["saddle_numbness", 3]])
def test_a_refused_answer_to_a_question_that_no_longer_applies_is_still_checked(
        ces: Any) -> None:
    # Dropped for the refused option, it was never looked at for the sign its other option
    # states: the resume went on and gave massage therapy for a cauda equina sign.
    _, dropped = Flow.restore(BUNDLED, [*NECK_SHOULDER, ("ces_signs", ces)])
    [d] = dropped
    assert (d.question, d.reason) == ("ces_signs", "invalid_answer")
    if isinstance(ces, str):  # one text, no option of the pack: nothing can be read
        assert (d.signs, d.value) == ((), None)
        return
    assert d.value == frozenset({"saddle_numbness"})  # what can be read of it
    assert [s.rule.id for s in stated_signs(dropped)] == ["cauda_equina_signs"]


@pytest.mark.parametrize("saved", [
    [*NECK_SHOULDER, ("ces_signs", ["an_option_since_removed"])],  # nothing readable
    [*NECK_SHOULDER, ("ces_signs", "maybe")],
    [*NECK_SHOULDER, ("a_question_since_removed", ["saddle_numbness"])],
    # the question applies: it is asked again, not read
    [*NECK_SHOULDER[:3], ("areas", ["low_back"]), ("ces_signs", ["saddle_numbness", "x"])],
])
def test_a_refused_answer_that_states_nothing_readable_drops_as_before(saved: list[Any]) -> None:
    _, dropped = Flow.restore(BUNDLED, saved)
    assert [d.reason for d in dropped] in (["invalid_answer"], ["unknown_question"])
    assert stated_signs(dropped) == ()
