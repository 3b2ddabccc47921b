"""The bundled pack after clin-f's fixes (pack 0.2.22): the vascular, neurological, infection
and pregnancy holes of docs/clinical-safety.md (open points 14, 26, 27, 35 and 36). Each hole
was one example of a class, so these tests sweep the class (every bleeding risk, injury
answer and place for a knock on the head; every weak immunity; every lower-body place for
angina) and check what the pack's own cases (rules/tests/audit_0_2_20_f.yaml) cannot: the
words a person reads when choosing an answer, in both languages and both voices."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import partial
from typing import Any

import pytest

from tests.conftest import REPO_ROOT
from tests.ids import answers_id
from tests.test_clinical_pack import fired_ids, option_by_id, rule_by_id, walk_and_evaluate
from triage.engine.outcome import Outcome
from triage.engine.policy import urgency_tier
from triage.pack.load import load_pack
from triage.pack.specs import QuestionSpec

PACK = load_pack(REPO_ROOT / "rules", use_cache=False)

# every answer a questionnaire may ask on the way, as a person with nothing else to tell
QUIET: Mapping[str, Any] = {
    "emergency_signs": frozenset(), "age": 50, "recent_stroke_signs": "no",
    "problem_somewhere": "yes", "ces_signs": frozenset(), "neck_neuro": frozenset(),
    "bladder_bowel": frozenset(), "bladder_bowel_later": frozenset(),  # pack 0.2.24
    "exertion_pain": "no", "today_signs": frozenset(), "fever_signs": frozenset(),
    "health_history": frozenset(), "pregnancy_signs": frozenset(), "wound_signs": frozenset(),
    "aneurysm_pain": "no", "injury": "none", "head_injury": "no",
    "head_injury_signs": frozenset(), "spine_hurt": "no", "spine_injury": frozenset(),
    "duration": "under_6_weeks", "onset": "gradual", "other_symptoms": frozenset(),
    "first_time": "no", "myelopathy_signs": frozenset(), "ibp_items": frozenset(),
    "weakness_brain_signs": frozenset(),  # review of 0.2.29
    "reasons": frozenset({"other_pain"}), "conditions": frozenset(), "cardiac_cleared": "yes",
    "wound_signs_later": frozenset(), "exertion_pain_later": "no", "problem_now": "yes",
    "can_walk_4_steps": "yes", "can_walk_4_steps_later": "yes", "arm_injury_signs": frozenset(),
    "leg_injury_signs": frozenset(), "knee_signs": frozenset(), "ankle_tender": frozenset(),
    "head_injury_later": "no", "head_injury_signs_later": frozenset(),
    "fall_signs_later": frozenset(),
    # asked since pack 0.2.23 (clin-g): polymyalgia at 50 or over with a shoulder, a hip, the
    # neck, many places or none; whether a swollen joint is artificial
    "pmr_signs": "no", "pmr_gca_signs": "no", "artificial_joint": "no",
    # asked since pack 0.2.26 (clin-i): the lower back's own duration beside another place
    "back_duration": "under_3_months",
    # asked since pack 0.2.27 (clin-j): after cancer, nerve pain down a limb; with night pain
    # in the spine, its infection risks
    "cancer_nerve_pain": "no", "infection_risks": frozenset(),
    # asked since pack 0.2.29: which side, after weakness with nothing hurting or not sure
    # (no place chosen)
    "weakness_both_sides": "no"}

PLACES = ["head", "neck", "shoulder", "upper_back", "trunk", "low_back", "hip_buttock", "arm",
          "leg", "knee", "ankle_foot", "whole_body"]
# a place, several, many places, a problem with no place chosen, and nothing hurting
WHERE: list[dict[str, Any]] = [
    *({"areas": frozenset({p})} for p in PLACES),
    {"areas": frozenset({"knee", "ankle_foot"})},
    {"areas": frozenset(), "problem_somewhere": "yes"},
    {"areas": frozenset(), "problem_somewhere": "not_sure"},
    {"areas": frozenset(), "problem_somewhere": "no", "reasons": frozenset({"relaxation"})}]
# Since 0.2.29 "not sure" with no place counts as weakness with nothing hurting too: a doctor
# today already (weakness_with_nothing_hurting), so a question that can give no more than that
# is not asked.
NOT_SURE_NO_PLACE = WHERE[-2]
LOWER_BODY = ["low_back", "hip_buttock", "leg", "knee", "ankle_foot"]


_option = partial(option_by_id, PACK)
_rule = partial(rule_by_id, PACK)
_asked = partial(walk_and_evaluate, PACK, QUIET)
_fired = fired_ids


def _question(qid: str) -> QuestionSpec:
    return PACK.question_by_id[qid]


def _at_least(outcome: Outcome, disposition: str) -> bool:
    return urgency_tier(outcome.disposition) >= urgency_tier(disposition)


# ---------------------------------------------------------------- 1: a knock on the head

# each member of the bleeding risk (score bleeding_risk), at an age below 65 but the first
RISKS: list[dict[str, Any]] = [
    {"age": 65}, {"age": 88},
    {"health_history": frozenset({"blood_thinners"})},
    {"health_history": frozenset({"bleeding_disorder"})},
    {"health_history": frozenset({"not_sure"})}]
INJURIES = ["none", "last_2_days", "recent", "older", "not_sure"]


@pytest.mark.parametrize("risk", RISKS, ids=answers_id)
@pytest.mark.parametrize("where", WHERE, ids=answers_id)
@pytest.mark.parametrize("injury", INJURIES)
def test_a_knock_yesterday_with_a_bleeding_risk_is_found_whatever_else(
        risk: dict[str, Any], where: dict[str, Any], injury: str) -> None:
    """On apixaban, a knock yesterday, "no injury" to the sore neck that brought her (or
    nothing hurting): physiotherapy, the knock never asked. With any bleeding risk, at any
    place or none, whatever the injury answer, the knock is asked and a knock in the last 2
    days (or not sure) is the emergency department for a head scan (NICE NG232, QS74)."""
    for knock in ("last_2_days", "not_sure"):
        asked, outcome = _asked({**where, **risk, "injury": injury, "head_injury": knock})
        assert "head_injury" in asked
        assert _at_least(outcome, "emergency_department"), (asked, outcome.disposition)
        assert "head_injury_high_risk" in _fired(outcome)


@pytest.mark.parametrize("risk", RISKS[2:], ids=answers_id)
@pytest.mark.parametrize("where", WHERE, ids=answers_id)
@pytest.mark.parametrize("injury", INJURIES)
def test_an_older_knock_on_blood_thinners_is_a_doctor_today(
        risk: dict[str, Any], where: dict[str, Any], injury: str) -> None:
    """Open point 14: a knock 3 days to 4 weeks ago on a blood thinner (or a bleeding
    disorder, or not sure) with no sign since got therapy. A bleed can grow slowly: a doctor
    today, at every place and injury answer."""
    asked, outcome = _asked({**where, **risk, "injury": injury, "head_injury": "earlier"})
    assert "head_injury" in asked
    assert _at_least(outcome, "same_day"), (asked, outcome.disposition)
    assert "head_knock_on_blood_thinners" in _fired(outcome)


# the head, many places and a problem with no place ask the knock at any age since pack
# 0.2.26 (clin-i; a headache: tests/test_clinical_audit_0_2_25_i.py)
NO_HEADACHE = [w for w in WHERE if (w["areas"] and not {"head", "whole_body"} & w["areas"])
               or w.get("problem_somewhere") == "no"]


@pytest.mark.parametrize("where", NO_HEADACHE, ids=answers_id)
def test_the_knock_is_not_asked_without_a_risk_or_an_injury(where: dict[str, Any]) -> None:
    """Near miss: at 64, no blood thinner, no bleeding disorder, no injury, no headache: one
    question less."""
    asked, _ = _asked({**where, "age": 64, "injury": "none"})
    assert "head_injury" not in asked


@pytest.mark.parametrize("age", [30, 64, 65, 80])
def test_an_older_knock_without_a_blood_thinner_is_not_a_doctor_today(age: int) -> None:
    """Near miss: 65 or over alone, an older knock with no sign: the signs are what is asked
    (open point 14); the danger signs themselves still send to the emergency department."""
    _, outcome = _asked({"age": age, "areas": frozenset({"knee"}), "injury": "older",
                         "head_injury": "earlier"})
    assert "head_knock_on_blood_thinners" not in _fired(outcome)
    _, signs = _asked({"age": age, "areas": frozenset({"knee"}), "injury": "older",
                       "head_injury": "earlier",
                       "head_injury_signs": frozenset({"vomited_twice"})})
    assert signs.disposition == "emergency"


def test_falls_ask_the_knock_again_only_when_it_was_not_asked() -> None:
    """The knock and its repeat after falls are one answer: never both asked."""
    for extra in ({}, {"age": 70}, {"health_history": frozenset({"blood_thinners"})}):
        asked, _ = _asked({"areas": frozenset(), "problem_somewhere": "no", **extra,
                           "conditions": frozenset({"falls"})})
        assert ("head_injury" in asked) != ("head_injury_later" in asked), asked


def test_the_knock_question_says_why_it_is_asked_without_an_injury() -> None:
    question = _question("head_injury")
    assert question.help is not None and question.caller_help is not None
    assert "even if your problem did not start with an injury" in question.help["en"]
    assert "même si votre problème n'a pas commencé par une blessure" in question.help["fr"]
    assert "the person's problem" in question.caller_help["en"]
    assert "le problème de la personne" in question.caller_help["fr"]
    reason = _rule("head_knock_on_blood_thinners").reason
    assert "doctor should see you today" in reason["en"] and "Call 911" in reason["en"]
    assert "aujourd'hui" in reason["fr"] and "Appelez le 911" in reason["fr"]


# ---------------------------------------------------------------- 2: a clot in the arm

def test_every_clot_sign_names_the_arm_in_both_languages() -> None:
    """A swollen arm (after a line, a pacemaker, effort) had no box: the calf option only.
    The option, the clot in the health history, the red flag's reason and every branch of
    the clot safety net name the arm, and the lung signs are told with it."""
    def arm(text: dict[str, str]) -> bool:  # the word: "warm" holds "arm" too
        return bool(re.search(r"\barm\b", text["en"]) and re.search(r"\bbras\b", text["fr"]))

    option = _option("today_signs", "calf_swelling").text
    assert arm(option) and option["en"].startswith("One arm, calf or leg")
    clot = _option("health_history", "recent_clot").text
    assert "an arm" in clot["en"] and "un bras" in clot["fr"]
    for text in (_rule("dvt_signs").reason, _rule("today_sign_unsure").reason):
        assert arm(text), text["en"]
    net = _rule("sn_after_surgery")
    for text in (net.reason, *(reason for _, reason in net.reason_when)):
        assert arm(text), text["en"]
        assert "911" in text["en"] and "911" in text["fr"]


@pytest.mark.parametrize("where", WHERE[:-1], ids=answers_id)
def test_a_swollen_arm_is_a_doctor_today_with_the_lung_signs(where: dict[str, Any]) -> None:
    _, outcome = _asked({**where, "today_signs": frozenset({"calf_swelling"})})
    assert _at_least(outcome, "same_day")
    assert {"dvt_signs", "ci_suspected_clot"} <= _fired(outcome)
    if outcome.disposition != "emergency":
        assert "sn_after_surgery" in _fired(outcome)


# ---------------------------------------------------------------- 3: stroke signs on waking

def test_every_sudden_stroke_sign_names_waking_in_every_voice() -> None:
    """0.2.19 named waking for one-sided weakness only: speech, balance and sight, and the
    2-week question, said "sudden" only. Every option of the first question and the 2-week
    question that says "sudden" names waking too, in English and French, both voices."""
    stroke_options = ["arm_weakness", "speech_trouble", "balance_loss", "vision_change"]
    for oid in stroke_options:
        option = _option("emergency_signs", oid)
        for text in (option.text, option.caller_text or option.text):
            assert "woke up" in text["en"] or "on waking" in text["en"], text["en"]
            assert "au réveil" in text["fr"], text["fr"]
    question = _question("recent_stroke_signs")
    assert question.caller_text is not None
    for text in (question.text, question.caller_text):
        assert "came on suddenly or that" in text["en"] and "woke up with" in text["en"]
        assert "soudainement ou au réveil" in text["fr"]
    assert "you woke up" in question.text["en"]
    assert "they woke up" in question.caller_text["en"]


@pytest.mark.parametrize("oid", ["speech_trouble", "balance_loss", "vision_change"])
def test_a_stroke_sign_on_waking_is_911(oid: str) -> None:
    asked, outcome = _asked({"emergency_signs": frozenset({oid})})
    assert asked == ["emergency_signs"] and outcome.disposition == "emergency"


# ---------------------------------------------------------------- 4: an infection, weak immunity

WEAK = [frozenset({"weak_immunity"}), frozenset({"steroids"}), frozenset({"not_sure"}),
        frozenset({"chemo"}), frozenset({"steroids", "osteoporosis"})]


@pytest.mark.parametrize("history", WEAK, ids=lambda h: "+".join(sorted(h)))
@pytest.mark.parametrize("where", WHERE, ids=answers_id)
def test_an_infection_with_a_weak_immune_system_is_a_doctor_today(
        history: frozenset[str], where: dict[str, Any]) -> None:
    """Long-term steroids, a biologic, HIV, no spleen, with the flu and no fever ticked: self
    care, "wait until you are well". Sepsis may come without a high temperature (NICE NG51):
    a doctor today at least, at every place, nothing hurting too; the emergency department
    during cancer treatment (or not sure)."""
    _, outcome = _asked({**where, "health_history": history,
                         "today_signs": frozenset({"acute_infection"})})
    assert _at_least(outcome, "same_day"), outcome.disposition
    assert "infection_weak_immunity" in _fired(outcome)
    if history & {"chemo", "not_sure"}:
        assert _at_least(outcome, "emergency_department")


def test_an_infection_without_a_weak_immune_system_still_waits() -> None:
    _, outcome = _asked({"areas": frozenset(), "problem_somewhere": "no",
                         "reasons": frozenset({"relaxation"}),
                         "today_signs": frozenset({"acute_infection"})})
    assert outcome.disposition == "self_care"


def test_the_weak_immunity_option_names_no_spleen() -> None:
    text = _option("health_history", "weak_immunity").text
    assert "no spleen" in text["en"] and "absence de rate" in text["fr"]


# ---------------------------------------------------------------- 5: after a birth

@pytest.mark.parametrize("age", [16, 31, 45])
@pytest.mark.parametrize("where", WHERE, ids=answers_id)
def test_a_fever_after_a_birth_is_a_doctor_today(age: int, where: dict[str, Any]) -> None:
    """NICE NG51 names the weeks after a birth, a miscarriage or a termination among those
    at higher risk of sepsis: they were not asked (a fever 2 weeks after a birth, nothing
    hurting: a doctor before therapy)."""
    _, outcome = _asked({**where, "age": age, "health_history": frozenset({"recently_pregnant"}),
                         "today_signs": frozenset({"fever"})})
    assert _at_least(outcome, "same_day")
    assert "fever_older_or_pregnant" in _fired(outcome)
    if outcome.disposition == "same_day" and where["areas"]:
        shown = next(r.reason for r in outcome.fired if r.id == "fever_older_or_pregnant")
        assert "6 weeks after a birth" in shown["en"]
        assert "6 semaines après un accouchement" in shown["fr"]


@pytest.mark.parametrize("oid", ["pregnant", "recently_pregnant"])
def test_pregnancy_and_the_weeks_after_are_told_the_clot_signs(oid: str) -> None:
    _, outcome = _asked({"areas": frozenset({"low_back"}), "health_history": frozenset({oid})})
    net = next(r for r in outcome.fired if r.id == "sn_after_surgery")
    assert "6 weeks after a birth" in net.reason["en"] and "911" in net.reason["en"]
    assert "6 semaines après un accouchement" in net.reason["fr"]


def test_the_option_names_a_birth_a_miscarriage_and_a_termination() -> None:
    text = _option("health_history", "recently_pregnant").text
    for word in ("birth", "miscarriage", "termination", "6 weeks"):
        assert word in text["en"]
    for word in ("accouchement", "fausse couche", "interruption de grossesse", "6"):
        assert word in text["fr"]


# ---------------------------------------------------------------- 6: new angina, a lower place

@pytest.mark.parametrize("where", [*({"areas": frozenset({p})} for p in LOWER_BODY),
                                   {"areas": frozenset({"knee", "ankle_foot"})},
                                   {"areas": frozenset(), "problem_somewhere": "no",
                                    "reasons": frozenset({"relaxation"})}],
                         ids=answers_id)
@pytest.mark.parametrize("answer", ["new_or_worse", "not_sure"])
def test_chest_pain_on_effort_named_asks_the_effort_question_anywhere(
        where: dict[str, Any], answer: str) -> None:
    """New angina with a knee alone and no heart problem named was never asked: named in the
    health history (asked of everyone), the effort question follows whatever the place."""
    asked, outcome = _asked({**where, "health_history": frozenset({"effort_chest_pain"}),
                             "exertion_pain_later": answer})
    assert "exertion_pain_later" in asked
    assert _at_least(outcome, "emergency_department")
    assert "angina_new_or_worse" in _fired(outcome)


@pytest.mark.parametrize("place", LOWER_BODY)
def test_the_effort_question_is_not_asked_without_chest_pain_named(place: str) -> None:
    asked, _ = _asked({"areas": frozenset({place}), "age": 40})
    assert "exertion_pain_later" not in asked and "exertion_pain" not in asked
