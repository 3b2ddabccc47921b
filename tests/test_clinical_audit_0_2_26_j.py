"""The bundled pack after clin-j's fixes (pack 0.2.27): a fresh clinical audit of pack 0.2.26
(docs/clinical-safety.md, "Changes in 0.2.27", open point 42). Each hole was one example of a
class, so these tests sweep the class (every place, nothing hurting too, every answer of the
health history that counts as a cancer history; every place of the spine and every risk with
night pain; every place with fresh swelling) and check what the pack's own cases
(rules/tests/audit_0_2_26_j.yaml) cannot: the words a person reads, in both languages and
both voices."""

from __future__ import annotations

from typing import Any

import pytest

from tests.ids import answers_id
from tests.test_clinical_audit_0_2_20_f import NOT_SURE_NO_PLACE, WHERE
from tests.test_clinical_audit_0_2_22_h import (
    PACK,
    _asked,
    _at_least,
    _fired,
    _option,
    _reason,
    _said_in_both_voices,
)

# pain somewhere: every place, several, many places, a problem with no place chosen (the last
# of WHERE, nothing hurting, asks neither new question: nothing to run down a limb or hurt
# at night)
PAIN = WHERE[:-1]
NOTHING_HURTS = WHERE[-1]


# ------------------------------------------------------ 1: after cancer, nerve pain down a limb

# the answers of the health history that count as a cancer history (score cancer_history)
CANCER = ["cancer", "chemo", "not_sure"]


@pytest.mark.parametrize("answer", ["yes", "not_sure"])
@pytest.mark.parametrize("history", CANCER)
@pytest.mark.parametrize("where", PAIN, ids=answers_id)
def test_after_cancer_new_nerve_pain_down_a_limb_is_a_doctor_today(
        where: dict[str, Any], history: str, answer: str) -> None:
    """62, breast cancer, new sciatica: a doctor within 1 to 3 days, as any new pain after
    cancer (NICE NG234 names radicular pain among the symptoms of cord compression). Every
    place, and a problem with no place: asked, and a doctor today at least; "not sure"
    counts as yes."""
    asked, outcome = _asked({**where, "health_history": frozenset({history}),
                             "cancer_nerve_pain": answer})
    assert _at_least(outcome, "same_day")
    if where == NOT_SURE_NO_PLACE:
        assert "weakness_with_nothing_hurting" in _fired(outcome)
    elif history != "not_sure":  # (unsure of the history, a more urgent sign may stop first)
        assert "cancer_nerve_pain" in asked
        assert "cancer_with_nerve_pain" in _fired(outcome)


@pytest.mark.parametrize("where", PAIN, ids=answers_id)
def test_after_cancer_no_nerve_pain_changes_nothing(where: dict[str, Any]) -> None:
    _, outcome = _asked({**where, "health_history": frozenset({"cancer"}),
                         "cancer_nerve_pain": "no"})
    assert "cancer_with_nerve_pain" not in _fired(outcome)


@pytest.mark.parametrize("where", WHERE, ids=answers_id)
def test_without_cancer_nerve_pain_is_not_asked(where: dict[str, Any]) -> None:
    asked, _ = _asked({**where, "cancer_nerve_pain": "yes"})
    assert "cancer_nerve_pain" not in asked


def test_the_nerve_pain_reasons_say_today_and_when_it_is_the_emergency_department() -> None:
    _said_in_both_voices("cancer_nerve_pain", "runs down an arm or a leg",
                         "descendent dans un bras ou une jambe")
    _, outcome = _asked({"areas": frozenset({"low_back"}), "health_history":
                         frozenset({"cancer"}), "cancer_nerve_pain": "not_sure"})
    reason = _reason(outcome, "cancer_with_nerve_pain")
    assert "today" in reason["en"] and "aujourd'hui" in reason["fr"]
    assert "not sure" in reason["en"]  # the branch of "not sure"
    assert "emergency department" in reason["en"]  # a limb getting weak: sooner


# ------------------------------------------------------ 2: the spine's infection risks

SPINE = [{"areas": frozenset({p})} for p in ("neck", "upper_back", "low_back", "whole_body")] + [
    {"areas": frozenset(), "problem_somewhere": "yes"},
    {"areas": frozenset({"knee", "low_back"})}]
RISKS = ["diabetes", "spine_procedure", "recent_infection", "not_sure"]


@pytest.mark.parametrize("risk", RISKS)
@pytest.mark.parametrize("where", SPINE, ids=answers_id)
def test_night_pain_in_the_spine_with_an_infection_risk_is_a_doctor_today(
        where: dict[str, Any], risk: str) -> None:
    """An epidural injection 2 weeks ago and constant night pain got "within the next weeks"
    (nobody calls an injection an operation); controlled diabetes the same (the weak immune
    system option says "hard to control"). References section 1a, spinal infection:
    diabetes, a recent bacterial infection or a spinal procedure, with constant pain at
    rest: the same day."""
    asked, outcome = _asked({**where, "other_symptoms": frozenset({"night_pain"}),
                             "infection_risks": frozenset({risk})})
    assert "infection_risks" in asked
    assert outcome.disposition == "same_day"
    assert "spinal_infection_signs" in _fired(outcome)
    reason = _reason(outcome, "spinal_infection_signs")
    assert "diabetes" in reason["en"] and "diabète" in reason["fr"]


@pytest.mark.parametrize("where", SPINE, ids=answers_id)
def test_night_pain_with_no_risk_stays_a_doctor_first(where: dict[str, Any]) -> None:
    _, outcome = _asked({**where, "other_symptoms": frozenset({"night_pain"})})
    assert "spinal_infection_signs" not in _fired(outcome)


@pytest.mark.parametrize("where", [{"areas": frozenset({p})} for p in
                                   ("knee", "shoulder", "arm", "ankle_foot", "hip_buttock")],
                         ids=answers_id)
def test_away_from_the_spine_or_without_night_pain_the_risks_are_not_asked(
        where: dict[str, Any]) -> None:
    asked, _ = _asked({**where, "other_symptoms": frozenset({"night_pain"}),
                       "infection_risks": frozenset({"diabetes"})})
    assert "infection_risks" not in asked
    asked, _ = _asked({"areas": frozenset({"low_back"}),
                       "infection_risks": frozenset({"diabetes"})})
    assert "infection_risks" not in asked


def test_diabetes_alone_is_no_weak_immune_system() -> None:
    """A cold with diabetes is not made a doctor today (infection_weak_immunity): diabetes is
    asked only with night pain in the spine, and read only by the spinal infection flag."""
    readers = [r.id for r in PACK.rules if "infection_risks" in r.reads]
    assert readers == ["spinal_infection_signs"]


# ------------------------------------------------------ 3: the kneecap bone

def test_the_kneecap_option_asks_the_bone_whatever_the_parts_around_it() -> None:
    """"Only the kneecap is sore" read no to a fall onto the kneecap whose soft parts hurt
    too; Ottawa's "isolated" means no other bone (Stiell 1995)."""
    option = _option("knee_signs", "kneecap_tender")
    assert option.caller_text is not None
    for voice in (option.text, option.caller_text):
        assert "kneecap bone" in voice["en"] and "only" not in voice["en"].lower()
        assert "os de la rotule" in voice["fr"] and "seule" not in voice["fr"].lower()
    _, outcome = _asked({"areas": frozenset({"knee"}), "injury": "last_2_days",
                         "knee_signs": frozenset({"kneecap_tender"}), "age": 35})
    assert "ottawa_knee" in _fired(outcome)


# ------------------------------------------------------ 4: an infection on antibiotics

def test_an_infection_on_antibiotics_is_asked_in_one_row_in_both_voices() -> None:
    option = _option("today_signs", "acute_infection")
    assert option.caller_text is not None
    assert "antibiotics" in option.text["en"] and "antibiotiques" in option.text["fr"]
    assert "antibiotics" in option.caller_text["en"]
    assert "antibiotiques" in option.caller_text["fr"]
    # one row at 80 columns, as every option of today's signs (one screen in English)
    assert all(len(text) <= 74 for text in (*option.text.values(),
                                            *option.caller_text.values())), option


@pytest.mark.parametrize("where", WHERE, ids=answers_id)
def test_an_infection_stops_massage_at_every_place(where: dict[str, Any]) -> None:
    _, outcome = _asked({**where, "today_signs": frozenset({"acute_infection"})})
    assert {"acute_infection_now", "ci_acute_infection"} <= _fired(outcome)
    for rule in PACK.rules:
        if rule.id in {"acute_infection_now", "ci_acute_infection"}:
            assert "antibiotics" in rule.reason["en"], rule.id
            assert "antibiotiques" in rule.reason["fr"], rule.id


# ------------------------------------------------------ 5: fresh swelling after a knock

@pytest.mark.parametrize("where", WHERE, ids=answers_id)
def test_fresh_swelling_after_a_knock_is_an_avoid_area_note(where: dict[str, Any]) -> None:
    _, outcome = _asked({**where, "today_signs": frozenset({"swelling_after_knock"})})
    assert "ci_swelling_after_knock" in _fired(outcome)
    rule = next(r for r in PACK.rules if r.id == "ci_swelling_after_knock")
    assert rule.effect == "avoid_area"  # a note for the therapist, not a strike
    _, quiet = _asked(where)
    assert "ci_swelling_after_knock" not in _fired(quiet)
    assert NOTHING_HURTS in WHERE
