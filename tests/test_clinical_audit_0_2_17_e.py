"""The bundled pack after the clinical red-team audit of pack 0.2.17, its stroke, clot,
vascular, technique and text findings (2, 3, 6, 8, 9) and the consequences it confirmed of
open points 26 and 35. Each finding was one example of a class, so these tests sweep the class
(every way a heart problem is named, every place that is not the upper body, every result with
a clot), and check what the pack's own cases (rules/tests/audit_0_2_17_e.yaml) cannot: the
words a person reads when choosing an answer, and the advice a result gives."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

import pytest

from tests.conftest import REPO_ROOT
from tests.test_clinical_pack import fired_ids, option_by_id, rule_by_id, walk_and_evaluate
from triage.pack.load import load_pack

PACK = load_pack(REPO_ROOT / "rules", use_cache=False)
ELECTRO = "Electrotherapy (like ultrasound or TENS)"

# every answer a questionnaire may ask on the way, as a person with nothing else to tell
QUIET: Mapping[str, Any] = {
    "emergency_signs": frozenset(), "age": 62, "recent_stroke_signs": "no",
    "problem_somewhere": "yes", "ces_signs": frozenset(), "bladder_bowel": frozenset(),
    "neck_neuro": frozenset(),
    "exertion_pain": "no", "today_signs": frozenset(), "fever_signs": frozenset(),
    "health_history": frozenset(), "pregnancy_signs": frozenset(), "wound_signs": frozenset(),
    "aneurysm_pain": "no", "injury": "none", "duration": "under_6_weeks", "onset": "gradual",
    "other_symptoms": frozenset(), "first_time": "no", "myelopathy_signs": frozenset(),
    "ibp_items": frozenset(), "reasons": frozenset({"other_pain"}), "conditions": frozenset(),
    "cardiac_cleared": "yes", "wound_signs_later": frozenset(), "exertion_pain_later": "no",
    "problem_now": "yes",
    # asked since 0.2.20 with "not sure" about the health history (weak bones, a broken
    # bone): walking with no injury, and the arm's and the leg's injury signs
    "can_walk_4_steps": "yes", "can_walk_4_steps_later": "yes",
    "arm_injury_signs": frozenset(), "leg_injury_signs": frozenset(),
    # asked since 0.2.22 at 65 or over, on blood thinners or not sure, with no injury too
    "head_injury": "no",
    # asked since 0.2.23: polymyalgia at 50 or over with a shoulder, a hip or the neck
    "pmr_signs": "no",
    # asked since 0.2.27: after cancer (or not sure), nerve pain down a limb; with night
    # pain in the spine, its infection risks
    "cancer_nerve_pain": "no", "infection_risks": frozenset()}


_option = partial(option_by_id, PACK)
_rule = partial(rule_by_id, PACK)
_asked = partial(walk_and_evaluate, PACK, QUIET)
_fired = fired_ids


# ---------------------------------------------------------------- finding 2: stroke, any onset

def test_the_one_side_stroke_sign_names_hours_and_waking_in_every_voice() -> None:
    """Finding 2: "that came on within minutes" left out weakness found on waking (70, a weak,
    numb arm on waking: physiotherapy) and weakness creeping in over hours. FAST sets no time
    of onset (references section 1c); the option names both, in English and French, in the
    patient's and the caller's words."""
    option = _option("emergency_signs", "arm_weakness")
    assert option.caller_text is not None  # "you woke up" is the patient's voice
    for text in (option.text, option.caller_text):
        assert "within minutes or hours" in text["en"] and "woke up with" in text["en"]
        assert "en minutes ou en heures" in text["fr"] and "au réveil" in text["fr"]
    assert "you woke up" in option.text["en"]
    assert "the person woke up" in option.caller_text["en"]


@pytest.mark.parametrize("rid", ["weakness_getting_worse", "other_symptom_unsure"])
def test_a_result_for_weakness_says_call_911_if_it_came_on_within_hours(rid: str) -> None:
    """Finding 2: weakness getting worse over 3 hours at 70 was told "a pinched nerve that
    needs a doctor today". Every reason given for weakness (or "not sure" about it) says to
    call 911 if it came on within hours or on waking: it can be a stroke."""
    reason = _rule(rid).reason
    assert "within hours" in reason["en"] and "woke up with it" in reason["en"]
    assert "call 911 now" in reason["en"] and "stroke" in reason["en"]
    assert "en quelques heures ou au réveil" in reason["fr"]
    assert "appelez le 911 maintenant" in reason["fr"] and "AVC" in reason["fr"]
    if rid == "weakness_getting_worse":
        assert "face droops" in reason["en"] and "speech changes" in reason["en"]
        assert "visage s'affaisse" in reason["fr"] and "parole change" in reason["fr"]


def test_weakness_over_hours_shows_the_stroke_sentence_on_its_result() -> None:
    _, outcome = _asked({"age": 70, "areas": frozenset({"arm"}),
                         "other_symptoms": frozenset({"weakness_worse"}),
                         "weakness_both_sides": "no"})
    assert outcome.disposition == "same_day"
    shown = next(r.reason["en"] for r in outcome.fired if r.id == "weakness_getting_worse")
    assert "call 911 now: it can be a stroke" in shown


# ---------------------------------------------------------------- finding 6: a blocked artery

@pytest.mark.parametrize("areas", [frozenset(), frozenset({"leg"}), frozenset({"arm"}),
                                   frozenset({"knee", "ankle_foot"})])
def test_a_limb_gone_cold_and_pale_is_911_whatever_the_place(areas: frozenset[str]) -> None:
    """Finding 6: sudden pain in a cold, pale foot at 72 with atrial fibrillation got
    physiotherapy: nothing asked about it. The first question asks everyone, whatever the
    place chosen afterwards (it is the first question: no place is known yet)."""
    asked, outcome = _asked({"emergency_signs": frozenset({"cold_limb"}), "areas": areas})
    assert asked == ["emergency_signs"]
    assert outcome.disposition == "emergency"
    assert "limb_ischaemia_signs" in _fired(outcome)
    option = _option("emergency_signs", "cold_limb").text
    assert "cold and pale" in option["en"] and "froid et pâle" in option["fr"]
    reason = _rule("limb_ischaemia_signs").reason
    assert "Call 911 now" in reason["en"] and "Appelez le 911 maintenant" in reason["fr"]


# ---------------------------------------------------------------- finding 3: a clot in the lung

CLOT_ANSWERS = [
    # a swollen calf (a suspected clot in the leg), or not sure about today's signs
    ({"areas": frozenset({"leg"}), "today_signs": frozenset({"calf_swelling"})}, "same_day",
     "A clot in an arm or a leg can move to the lung"),
    ({"areas": frozenset({"leg"}), "today_signs": frozenset({"not_sure"})}, "same_day",
     "A clot in an arm or a leg can move to the lung"),
    ({"areas": frozenset(), "problem_somewhere": "no",
      "today_signs": frozenset({"calf_swelling"}), "reasons": frozenset({"relaxation"})},
     "same_day", "A clot in an arm or a leg can move to the lung"),
    # a clot in the last 6 months, or not sure about the health history
    ({"areas": frozenset({"shoulder"}), "health_history": frozenset({"recent_clot"})},
     "doctor_first", "After a blood clot"),
    ({"areas": frozenset({"shoulder"}), "health_history": frozenset({"not_sure"})},
     "doctor_soon", "If you had a blood clot, or are not sure"),
    # after surgery, the reason it always had
    ({"areas": frozenset({"knee"}), "health_history": frozenset({"recent_surgery"})}, None,
     "After surgery, a cast or time in bed"),
]


@pytest.mark.parametrize(("answers", "disposition", "opening"), CLOT_ANSWERS)
def test_every_result_with_a_clot_known_or_suspected_names_the_signs_in_the_lung(
        answers: Mapping[str, Any], disposition: str | None, opening: str) -> None:
    """Finding 3: a swollen calf after a flight (a doctor today) and a clot 3 months ago (a
    doctor before therapy) were never told the signs of a clot that has moved to the lung:
    the note was for surgery, a cast or bed rest only (references section 1c). Each such
    result now says it, in words that claim only what was answered."""
    _, outcome = _asked(answers)
    if disposition is not None:
        assert outcome.disposition == disposition
    nets = {r.id: r.reason for r in outcome.safety_net}
    assert "sn_after_surgery" in nets, outcome.disposition
    text = nets["sn_after_surgery"]
    assert text["en"].startswith(opening)
    assert "911" in text["en"] and "coughing up blood" in text["en"]
    assert "911" in text["fr"] and "toux avec du sang" in text["fr"]
    if "recent_surgery" not in answers.get("health_history", ()):
        assert "surgery" not in text["en"] and "opération" not in text["fr"]


def test_no_clot_named_no_clot_signs() -> None:
    _, outcome = _asked({"areas": frozenset({"leg"}), "reasons": frozenset({"strain"})})
    assert "sn_after_surgery" not in _fired(outcome)


# ---------------------------------------------------------------- finding 8 and open point 26

# each way a heart problem is named, with a place that is not the upper body (the knee)
HEART_NAMED = [
    {"health_history": frozenset({"heart_condition"})},
    {"conditions": frozenset({"cardiac_rehab"})},
    {"health_history": frozenset({"heart_condition"}), "conditions": frozenset({"cardiac_rehab"})},
]


def test_the_heart_precautions_read_one_condition() -> None:
    """Finding 8: the electrotherapy precaution read the heart option only, the heart
    precaution also heart rehab and known angina: TENS was listed for a defibrillator after a
    heart attack named as heart rehab. One condition for both, so they cannot drift apart."""
    assert _rule("ci_heart_electrotherapy").when == _rule("ci_heart_condition").when
    assert {"health_history", "conditions", "exertion_pain", "exertion_pain_later"} <= \
        _rule("ci_heart_electrotherapy").reads


SHOULDER, KNEE = frozenset({"shoulder"}), frozenset({"knee"})


@pytest.mark.parametrize(("areas", "named"), [
    *[(place, named) for place in (SHOULDER, KNEE) for named in HEART_NAMED],
    # angina the doctor knows, unchanged: asked for the shoulder, or again for the knee
    # after a heart problem named or "not sure" about the health history
    (SHOULDER, {"exertion_pain": "known_stable"}),
    (KNEE, {"exertion_pain_later": "known_stable", "health_history": frozenset({"not_sure"})}),
    (KNEE, {"exertion_pain_later": "known_stable", "conditions": frozenset({"cardiac_rehab"})}),
])
def test_every_way_a_heart_problem_is_named_leaves_electrotherapy_out(
        areas: frozenset[str], named: Mapping[str, Any]) -> None:
    """Finding 8, as a class: with each answer that names a heart problem, whatever the
    place, both heart precautions hold and a therapy result lists no electrotherapy."""
    _, outcome = _asked({"areas": areas, **named})
    fired = _fired(outcome)
    assert {"ci_heart_condition", "ci_heart_electrotherapy"} <= fired, named
    assert ELECTRO not in {t["en"] for t in outcome.techniques}


PLACES_BELOW = [frozenset({"knee"}), frozenset({"ankle_foot"}), frozenset({"hip_buttock"}),
                frozenset({"leg"}), frozenset({"low_back"}), frozenset()]


@pytest.mark.parametrize("areas", PLACES_BELOW, ids=lambda a: "-".join(sorted(a)) or "none")
@pytest.mark.parametrize("named", [*HEART_NAMED, {"health_history": frozenset({"not_sure"})}])
def test_a_heart_problem_named_asks_about_pain_on_effort_whatever_the_place(
        areas: frozenset[str], named: Mapping[str, Any]) -> None:
    """Open point 26's consequence: 2 months after a heart attack, chest tightness on the
    stairs again, with only a knee chosen, got physiotherapy with exercise: the effort
    question was asked for the upper body's places only. A heart problem named (or "not
    sure" about the health history, which counts as one) asks it whatever the place, and
    new or worse pain on effort, or not sure, is the emergency department."""
    base = {"areas": areas, **named}
    if not areas:  # nothing hurts: what a person getting fit after a heart attack wants
        base |= {"problem_somewhere": "no", "reasons": frozenset({"injury_prevention"})}
    asked, calm = _asked(base)
    assert "exertion_pain_later" in asked and "exertion_pain" not in asked
    assert "angina_new_or_worse" not in _fired(calm)
    for answer in ("new_or_worse", "not_sure"):
        _, outcome = _asked({**base, "exertion_pain_later": answer})
        assert outcome.disposition == "emergency_department", answer
        assert "angina_new_or_worse" in _fired(outcome)


@pytest.mark.parametrize("areas", PLACES_BELOW[:-1], ids=lambda a: "-".join(sorted(a)))
def test_no_heart_problem_named_no_extra_question(areas: frozenset[str]) -> None:
    asked, _ = _asked({"areas": areas})
    assert "exertion_pain_later" not in asked and "exertion_pain" not in asked


def test_with_an_upper_body_place_the_effort_question_is_asked_once() -> None:
    asked, _ = _asked({"areas": frozenset({"shoulder", "knee"}),
                       "conditions": frozenset({"cardiac_rehab"})})
    assert "exertion_pain" in asked and "exertion_pain_later" not in asked


# ---------------------------------------------------------------- open point 35: cancer treatment

@pytest.mark.parametrize("areas", [frozenset(), frozenset({"knee"}), frozenset({"low_back"}),
                                   frozenset({"shoulder"})])
@pytest.mark.parametrize("history", ["chemo", "not_sure"])
def test_an_infection_during_cancer_treatment_is_the_emergency_department(
        areas: frozenset[str], history: str) -> None:
    """Open point 35's consequence: on chemotherapy, the flu, no fever ticked, nothing
    hurting: self care, "wait until you are well". NICE CG151: suspect neutropenic sepsis in
    anyone on cancer treatment who becomes unwell; a fever need not come first. Wherever the
    places; "not sure" about the health history counts as the treatment."""
    base: dict[str, Any] = {"areas": areas, "today_signs": frozenset({"acute_infection"}),
                            "health_history": frozenset({history})}
    if not areas:
        base |= {"problem_somewhere": "no", "reasons": frozenset({"relaxation"})}
    _, outcome = _asked(base)
    assert outcome.disposition == "emergency_department"
    assert "infection_during_cancer_treatment" in _fired(outcome)
    assert outcome.main_red_flag is not None
    said = next(r.reason for r in outcome.fired if r.id == "infection_during_cancer_treatment")
    assert "emergency department now" in said["en"] and "urgence maintenant" in said["fr"]
    assert "wait until you are well" not in said["en"].lower()
    assert ("not sure" in said["en"]) == (history == "not_sure")


@pytest.mark.parametrize(("history", "expect"), [
    ("cancer", "self_care"), ("weak_immunity", "same_day"), ("steroids", "same_day")])
def test_an_infection_without_recent_cancer_treatment_is_not_the_emergency_department(
        history: str, expect: str) -> None:
    """Below the change: cancer in the past with a cold and no fever stays self care; another
    weak immunity is a doctor today since 0.2.22 (infection_weak_immunity, open point 38),
    not the emergency department of cancer treatment."""
    _, outcome = _asked({"areas": frozenset(), "problem_somewhere": "no",
                         "reasons": frozenset({"relaxation"}),
                         "today_signs": frozenset({"acute_infection"}),
                         "health_history": frozenset({history})})
    assert outcome.disposition == expect


# ---------------------------------------------------------------- finding 9: French

def test_the_french_chest_pain_days_ago_says_now_gone() -> None:
    """Finding 9: « ... il y a 1 à 7 jours » dropped "now gone" (ongoing pain is 911, which
    wins, so no harm; the words still differed). « passée »: the pain has passed, or was in
    the past; either reading is "not now"."""
    option = _option("emergency_signs", "chest_pain_days_ago").text
    assert "now gone" in option["en"] and "passée" in option["fr"]
    assert "15 min" in option["fr"] and "1 à 7 jours" in option["fr"]
