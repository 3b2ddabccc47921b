"""The bundled pack after clin-i's fixes (pack 0.2.26): a fresh clinical audit of pack 0.2.25
(docs/clinical-safety.md, "Changes in 0.2.26", open point 41). Each hole was one example of a
class, so these tests sweep the class (every place, nothing hurting too, every answer of the
health history that opens the pregnancy question, every sign; every place, age, time and
sign for a knock on the head; every place beside the lower back and every duration for the
inflammatory back pain questions) and check what the pack's own cases
(rules/tests/audit_0_2_25_i.yaml) cannot: the words a person reads, in both languages and
both voices, and that nothing answered is asked again."""

from __future__ import annotations

from typing import Any

import pytest

from tests.ids import answers_id
from tests.test_clinical_audit_0_2_20_f import PLACES, WHERE

# the bundled pack and the audit's helpers, as the audit of 0.2.22 built them (one build)
from tests.test_clinical_audit_0_2_22_h import (
    PACK,
    _asked,
    _at_least,
    _fired,
    _option,
    _reason,
    _said_in_both_voices,
)

# the answers of the health history that open the pregnancy question
OPENS = ["pregnant", "recently_pregnant", "birth_last_year", "not_sure"]
PRE_ECLAMPSIA = ["severe_headache", "vision_problems", "upper_belly_pain", "vomiting",
                 "sudden_swelling"]


# ------------------------------------------------------ 1: a seizure in or after pregnancy

@pytest.mark.parametrize("sign", ["seizure", "not_sure"])
@pytest.mark.parametrize("history", OPENS)
@pytest.mark.parametrize("where", WHERE, ids=answers_id)
def test_a_seizure_in_or_after_pregnancy_is_911(
        where: dict[str, Any], history: str, sign: str) -> None:
    """A seizure was asked nowhere but after a knock on the head (35 weeks pregnant, a fit
    this morning, low back pain: massage and physiotherapy). In pregnancy, after it, and on
    "not sure" about the health history, at every place and with nothing hurting: 911
    (CDC Hear Her; eclampsia). "Not sure" about the signs counts as a seizure."""
    asked, outcome = _asked({**where, "health_history": frozenset({history}),
                             "pregnancy_signs": frozenset({sign})})
    assert "pregnancy_signs" in asked
    assert outcome.disposition == "emergency"
    assert "eclampsia_signs" in _fired(outcome)


@pytest.mark.parametrize("sign", [*PRE_ECLAMPSIA, "bleeding", "baby_moving_less",
                                  "waters_breaking", "early_labour", "itching"])
def test_no_seizure_is_not_911(sign: str) -> None:
    _, outcome = _asked({"areas": frozenset({"low_back"}),
                         "health_history": frozenset({"pregnant"}),
                         "pregnancy_signs": frozenset({sign})})
    assert "eclampsia_signs" not in _fired(outcome)
    assert outcome.disposition != "emergency"


def test_the_seizure_reasons_say_911_in_both_languages() -> None:
    _, seizure = _asked({"areas": frozenset({"neck"}),
                         "health_history": frozenset({"recently_pregnant"}),
                         "pregnancy_signs": frozenset({"seizure"})})
    _, unsure = _asked({"areas": frozenset({"neck"}),
                        "health_history": frozenset({"pregnant"}),
                        "pregnancy_signs": frozenset({"not_sure"})})
    for outcome in (seizure, unsure):
        reason = _reason(outcome, "eclampsia_signs")
        assert "911" in reason["en"] and "911" in reason["fr"]
        assert "eclampsia" in reason["en"] and "éclampsie" in reason["fr"]
    assert "not sure" in _reason(unsure, "eclampsia_signs")["en"]
    assert "not sure" not in _reason(seizure, "eclampsia_signs")["en"]


def test_the_pregnancy_question_comes_before_those_that_cannot_end_in_911() -> None:
    """A question a 911 flag reads is asked first (tests/test_clinical_ask_order.py): with
    the seizure, the pregnancy question now comes right after the onset question."""
    order = list(PACK.question_order)
    assert order.index("pregnancy_signs") < order.index("recent_stroke_signs")
    assert order.index("pregnancy_signs") < order.index("ces_signs")


# ------------------------------------------------------ 2: itching in pregnancy

@pytest.mark.parametrize("history", ["pregnant", "not_sure"])
@pytest.mark.parametrize("where", WHERE, ids=answers_id)
def test_itching_in_pregnancy_is_a_doctor_today(where: dict[str, Any], history: str) -> None:
    """Obstetric cholestasis (NHS; RCOG GTG 43): itching of the hands and feet in pregnancy
    (33 weeks, an aching upper back: massage) is a doctor or the maternity unit today, at
    every place and with nothing hurting."""
    asked, outcome = _asked({**where, "health_history": frozenset({history}),
                             "pregnancy_signs": frozenset({"itching"})})
    assert "pregnancy_signs" in asked
    assert _at_least(outcome, "same_day")
    assert "pregnancy_itching" in _fired(outcome)
    assert not outcome.techniques


def test_the_itching_option_and_reason_in_both_languages_and_voices() -> None:
    option = _option("pregnancy_signs", "itching")
    assert "while pregnant" in option.text["en"].lower()
    assert "hands and feet" in option.text["en"]
    assert "pendant la grossesse" in option.text["fr"].lower()
    assert "mains" in option.text["fr"] and "pieds" in option.text["fr"]
    assert option.caller_text is None  # no "you" in it: read as it is to the caller
    assert "you" not in option.text["en"].lower().split()
    _, outcome = _asked({"areas": frozenset({"upper_back"}),
                         "health_history": frozenset({"pregnant"}),
                         "pregnancy_signs": frozenset({"itching"})})
    reason = _reason(outcome, "pregnancy_itching")
    assert "today" in reason["en"] and "aujourd'hui" in reason["fr"]
    assert "cholestasis" in reason["en"] and "cholestase" in reason["fr"]


# ------------------------------------------------------ 3: the year after a birth

@pytest.mark.parametrize("sign", PRE_ECLAMPSIA)
@pytest.mark.parametrize("where", WHERE, ids=answers_id)
def test_the_urgent_maternal_warning_signs_in_the_year_after_a_birth(
        where: dict[str, Any], sign: str) -> None:
    """CDC Hear Her: the urgent maternal warning signs call for care at once up to a year
    after a birth; they were asked in the 6 weeks after it only (4 months after a birth, a
    headache that will not go away: physiotherapy). The emergency department, said as the
    year after a birth, not as pre-eclampsia of the 6 weeks."""
    asked, outcome = _asked({**where, "health_history": frozenset({"birth_last_year"}),
                             "pregnancy_signs": frozenset({sign})})
    assert "pregnancy_signs" in asked
    assert _at_least(outcome, "emergency_department")
    assert "pre_eclampsia_signs" in _fired(outcome)
    if outcome.disposition == "emergency_department":
        reason = _reason(outcome, "pre_eclampsia_signs")
        assert "year after a birth" in reason["en"]
        assert "l'année après un accouchement" in reason["fr"]
        assert "6 weeks" not in reason["en"] and "you are pregnant" not in reason["en"]


def test_heavy_bleeding_in_the_year_after_a_birth() -> None:
    _, outcome = _asked({"areas": frozenset({"upper_back"}),
                         "health_history": frozenset({"birth_last_year"}),
                         "pregnancy_signs": frozenset({"bleeding"})})
    assert outcome.disposition == "emergency_department"
    reason = _reason(outcome, "pregnancy_warning_signs")
    assert "year after a birth" in reason["en"] and "weeks after" not in reason["en"]
    assert "l'année après un accouchement" in reason["fr"]


def test_the_year_after_a_birth_is_told_the_warning_signs_not_the_weeks_rules() -> None:
    """With no sign: told CDC's signs (911 for a seizure); the rules of the 6 weeks after a
    birth (sepsis risk, NICE NG51; a clot, the safety net after surgery) do not read it."""
    _, calm = _asked({"areas": frozenset({"arm"}),
                      "health_history": frozenset({"birth_last_year"})})
    net = next(r for r in calm.fired if r.id == "sn_pregnancy")
    assert "year after a birth" in net.reason["en"] and "911" in net.reason["en"]
    assert "l'année après un accouchement" in net.reason["fr"]
    assert net.caller_reason is not None
    assert "the person should" in net.caller_reason["en"]
    assert "sn_after_surgery" not in _fired(calm)
    _, fever = _asked({"areas": frozenset({"arm"}), "age": 30,
                       "health_history": frozenset({"birth_last_year"}),
                       "today_signs": frozenset({"fever"})})
    assert "fever_older_or_pregnant" not in _fired(fever)


def test_the_question_names_the_year_after_a_birth_in_both_languages_and_voices() -> None:
    _said_in_both_voices("pregnancy_signs", "gave birth in the last year",
                         "accouché il y a moins d'un an")
    option = _option("health_history", "birth_last_year")
    assert "6 weeks to 1 year" in option.text["en"]
    assert "6 semaines à 1 an" in option.text["fr"]


# ------------------------------------------------------ 4: a knock on the head under 65

# the places that ask the knock at any age, with no injury and no bleeding risk: the head
# (a headache is its option), many places, and a problem with no place chosen
OPENS_KNOCK: list[dict[str, Any]] = [
    {"areas": frozenset({"head"})}, {"areas": frozenset({"head", "neck"})},
    {"areas": frozenset({"whole_body"})},
    {"areas": frozenset(), "problem_somewhere": "yes"},
    {"areas": frozenset(), "problem_somewhere": "not_sure"}]
# the signs of bleeding in the head that need a scan whenever the knock was (NICE NG232)
DANGER = ["vomited_twice", "seizure", "confused_drowsy", "weak_numb_vision",
          "fluid_or_bruising", "headache_worse", "not_sure"]
WHEN = ["last_2_days", "earlier", "longer_ago", "not_sure"]


@pytest.mark.parametrize("sign", DANGER)
@pytest.mark.parametrize("when", WHEN)
@pytest.mark.parametrize("age", [16, 30, 45, 64])
@pytest.mark.parametrize("where", OPENS_KNOCK, ids=answers_id)
def test_a_knock_with_a_headache_is_asked_at_any_age(
        where: dict[str, Any], age: int, when: str, sign: str) -> None:
    """Under 65 with no bleeding risk and "no injury" the knock was not asked (45, a knock
    on a cupboard 6 weeks ago, a headache getting worse and drowsy since: physiotherapy).
    With the head chosen, many places or none, it is asked at any age, and a sign of a
    bleed since is the emergency department or 911, whenever the knock was."""
    asked, outcome = _asked({**where, "age": age, "injury": "none", "head_injury": when,
                             "head_injury_signs": frozenset({sign})})
    assert "head_injury" in asked and "head_injury_signs" in asked
    assert _at_least(outcome, "emergency_department")
    assert {"head_injury_danger_signs", "head_bleed_weeks_later"} & _fired(outcome)


@pytest.mark.parametrize("place", [p for p in PLACES if p not in ("head", "whole_body")])
def test_no_headache_no_injury_no_risk_is_not_asked_the_knock(place: str) -> None:
    asked, _ = _asked({"areas": frozenset({place}), "age": 40, "injury": "none"})
    assert "head_injury" not in asked


def test_the_knock_question_says_why_with_a_headache() -> None:
    question = PACK.question_by_id["head_injury"]
    assert question.help is not None and question.caller_help is not None
    assert "headache" in question.help["en"] and "headache" in question.caller_help["en"]
    assert "mal de tête" in question.help["fr"] and "mal de tête" in question.caller_help["fr"]


# ------------------------------------------------------ 5: the back's duration asked once

BESIDE = ["head", "neck", "shoulder", "upper_back", "trunk", "arm", "knee", "ankle_foot"]
ONE_PROBLEM = [frozenset({"low_back"}), frozenset({"low_back", "hip_buttock"}),
               frozenset({"low_back", "leg"})]
IBP = frozenset({"onset_under_35", "wakes_late_night", "better_moving"})


@pytest.mark.parametrize("duration", ["over_3_months", "not_sure"])
@pytest.mark.parametrize("areas", [*ONE_PROBLEM, *(frozenset({"low_back", p}) for p in BESIDE)],
                         ids=lambda areas: "+".join(sorted(areas)))
def test_a_long_duration_is_not_asked_again(areas: frozenset[str], duration: str) -> None:
    """The wording fault: after "More than 3 months" for the lower back alone, the back items
    offered "The back pain has lasted more than 3 months". The duration is asked once where
    it is the back's, and the back's own only where it may be another place's and was
    short; the items name no duration."""
    asked, outcome = _asked({"areas": areas, "age": 30, "duration": duration,
                             "ibp_items": IBP})
    assert "back_duration" not in asked
    assert "ibp_items" in asked
    assert outcome.disposition == "doctor_first"
    assert "inflammatory_back_pain" in _fired(outcome)


def test_the_back_items_name_no_duration() -> None:
    for option in PACK.question_by_id["ibp_items"].options or ():
        assert "3 months" not in option.text["en"] and "3 mois" not in option.text["fr"]
        assert "lasted" not in option.text["en"]


# where the duration may be another place's: beside the lower back, many places, none
MAY_BE_ANOTHER: list[dict[str, Any]] = [
    *({"areas": frozenset({"low_back", p})} for p in BESIDE),
    {"areas": frozenset({"whole_body"})},
    {"areas": frozenset(), "problem_somewhere": "yes"}]


@pytest.mark.parametrize("duration", ["under_6_weeks", "up_to_3_months"])
@pytest.mark.parametrize("back", ["over_3_months", "not_sure"])
@pytest.mark.parametrize("where", MAY_BE_ANOTHER, ids=answers_id)
def test_the_backs_own_long_duration_keeps_the_check(
        where: dict[str, Any], back: str, duration: str) -> None:
    """Clinical audit of 0.2.12, finding 17 (a knee sprain 2 days ago, years of inflammatory
    back pain): the back's own duration is asked, and more than 3 months or not sure asks
    the items; 3 features before 45 is a doctor first (NICE NG65, Berlin)."""
    asked, outcome = _asked({**where, "age": 30, "duration": duration,
                             "back_duration": back, "ibp_items": IBP})
    assert asked.index("duration") < asked.index("back_duration") < asked.index("ibp_items")
    assert _at_least(outcome, "doctor_first")
    assert "inflammatory_back_pain" in _fired(outcome)


@pytest.mark.parametrize("where", MAY_BE_ANOTHER, ids=answers_id)
def test_a_new_back_beside_another_place_is_not_asked_the_items(where: dict[str, Any]) -> None:
    asked, outcome = _asked({**where, "age": 30, "duration": "under_6_weeks",
                             "back_duration": "under_3_months"})
    assert "back_duration" in asked and "ibp_items" not in asked
    assert "inflammatory_back_pain" not in _fired(outcome)


@pytest.mark.parametrize("items", [
    frozenset({"onset_under_35", "wakes_late_night"}),  # 2 of NG65, 1 of Berlin
    frozenset({"morning_stiffness", "better_moving"})])  # 1 of NG65, 2 of Berlin
def test_two_features_stay_below(items: frozenset[str]) -> None:
    _, outcome = _asked({"areas": frozenset({"low_back", "knee"}), "age": 30,
                         "duration": "under_6_weeks", "back_duration": "over_3_months",
                         "ibp_items": items})
    assert "inflammatory_back_pain" not in _fired(outcome)


def test_the_backs_duration_takes_nothing_as_given_in_both_voices() -> None:
    """Asked with no place chosen too, it takes no back pain as given ("If your lower back
    hurts"), and its first option reads for a back with no problem."""
    question = PACK.question_by_id["back_duration"]
    assert question.caller_text is not None
    assert question.text["en"].startswith("If your lower back")
    assert question.caller_text["en"].startswith("If the person's lower back")
    assert question.text["fr"].startswith("Si le bas de votre dos")
    assert question.caller_text["fr"].startswith("Si le bas du dos de la personne")
    short = _option("back_duration", "under_3_months")
    assert short.caller_text is not None
    assert "no problem" in short.text["en"] and "no problem" in short.caller_text["en"]
    assert "my" not in short.caller_text["en"].split()
    assert "treat it as more than 3 months" in _option("back_duration", "not_sure").text["en"]
