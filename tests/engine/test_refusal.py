"""triage.engine.refusal: the one check every entry point runs on a whole answer set (a
safety answer missing, a warning sign answered where it does not apply), both found at once,
and the one wording of the sign."""

from __future__ import annotations

from typing import Any

import pytest

from tests.engine.test_hidden import BUNDLED, SHOULDER
from triage.engine.evaluate import MissingAnswers, evaluate
from triage.engine.hidden import hidden_warning_signs_with_gaps
from triage.engine.refusal import Screened, screen_answers, sign_messages

CES = {"ces_signs": frozenset({"saddle_numbness"})}
NO_EMERGENCY_ANSWER = {q: v for q, v in SHOULDER.items() if q != "emergency_signs"}


def test_a_missing_safety_answer_and_a_hidden_sign_are_found_together() -> None:
    answers = {**NO_EMERGENCY_ANSWER, **CES}
    with pytest.raises(MissingAnswers) as exc:  # no outcome: the old check never ran
        evaluate(BUNDLED, answers)
    assert exc.value.questions == ["emergency_signs"]
    screened = screen_answers(BUNDLED, answers)
    assert screened.refused and screened.outcome is None
    assert screened.missing == ("emergency_signs",)
    assert [(s.rule.id, s.questions, s.gates) for s in screened.signs] == [
        ("cauda_equina_signs", ("ces_signs",), ("areas",))]


def test_with_a_gap_none_of_these_states_nothing() -> None:
    screened = screen_answers(BUNDLED, {**NO_EMERGENCY_ANSWER, "ces_signs": frozenset()})
    assert (screened.missing, screened.signs) == (("emergency_signs",), ())


def test_with_a_gap_a_red_flag_that_holds_is_the_least_the_result_can_be() -> None:
    # stroke signs gone within 2 days (the emergency department) hold already; 911 is still
    # open (no answer about emergency signs): a cauda equina sign (the emergency department)
    # is no news, the neck signs (911) are
    answers = {**NO_EMERGENCY_ANSWER, **CES, "recent_stroke_signs": "within_2_days"}
    screened = screen_answers(BUNDLED, answers)
    assert (screened.missing, screened.signs) == (("emergency_signs",), ())
    answers["neck_neuro"] = frozenset({"drop_attack"})
    assert [s.rule.id for s in screen_answers(BUNDLED, answers).signs] == [
        "neck_pain_neuro_new"]


def test_complete_answers_are_screened_as_evaluate_and_hidden_warning_signs_do() -> None:
    plain = screen_answers(BUNDLED, SHOULDER)
    assert not plain.refused and plain.outcome == evaluate(BUNDLED, SHOULDER)
    refused = screen_answers(BUNDLED, {**SHOULDER, **CES})
    assert refused.refused and refused.missing == ()
    assert refused.outcome is not None and refused.outcome.disposition == "soft_tissue"


def test_the_gap_search_takes_answers_in_any_accepted_form() -> None:
    answers: dict[str, Any] = {**{q: sorted(v) if isinstance(v, frozenset) else v
                                  for q, v in NO_EMERGENCY_ANSWER.items()},
                               "ces_signs": ["saddle_numbness"], "age": "38"}
    assert [s.rule.id for s in hidden_warning_signs_with_gaps(BUNDLED, answers)] == [
        "cauda_equina_signs"]


SIGN = ("ces_signs: the answer{} is a warning sign (Cauda equina signs: red flag "
        "cauda_equina_signs, emergency_department), but ces_signs does not apply with the "
        "answer to areas, so it would be ignored; correct areas or ces_signs")


def test_one_wording_with_or_without_the_answer() -> None:
    answers = {**SHOULDER, **CES}
    screened = screen_answers(BUNDLED, answers)
    assert sign_messages(BUNDLED, screened, answers) == [
        ("ces_signs", SIGN.format(" saddle_numbness"))]
    assert sign_messages(BUNDLED, screened) == [("ces_signs", SIGN.format(""))]


def test_what_the_other_answers_give_is_said_when_medical() -> None:
    # fever after surgery: a doctor today, whatever the cauda equina sign says
    answers = {**SHOULDER, **CES, "today_signs": frozenset({"fever"}),
               "fever_signs": frozenset(), "health_history": frozenset({"recent_surgery"}),
               "wound_signs": frozenset()}
    screened = screen_answers(BUNDLED, answers)
    assert screened.outcome is not None and screened.outcome.disposition == "same_day"
    [(_, message)] = sign_messages(BUNDLED, screened)
    assert message.startswith(SIGN.format(""))
    assert message.endswith(f"(the other answers already give same_day by red flag "
                            f"{screened.outcome.main_red_flag})")
    [(_, bare)] = sign_messages(BUNDLED, screened, already=False)
    assert bare == SIGN.format("")
    assert sign_messages(BUNDLED, Screened(None, ("age",), screened.signs)) == [
        ("ces_signs", SIGN.format(""))]
