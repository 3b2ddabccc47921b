"""The bundled pack's fever, infection and children classes (clinical audit of pack 0.2.12,
findings 2, 3, 9 and 14): each finding was one example of a class, so these tests sweep the
class (every answer that means an infection, every age, every arm sign) rather than the
audit's one answer set, which rules/tests/audit_0_2_12_b.yaml keeps."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from tests.conftest import REPO_ROOT
from tests.test_clinical_pack import walk
from triage.engine.evaluate import evaluate
from triage.pack.compiled import CompiledPack
from triage.pack.load import load_pack

PACK = load_pack(REPO_ROOT / "rules", use_cache=False)

# nothing hurts, relaxation wanted: the shortest path through today's signs and the history
NOTHING_HURTS: Mapping[str, Any] = {
    "emergency_signs": frozenset(), "age": 40, "recent_stroke_signs": "no",
    "areas": frozenset(), "problem_somewhere": "no", "today_signs": frozenset(),
    "fever_signs": frozenset(), "health_history": frozenset(), "pregnancy_signs": frozenset(),
    "reasons": frozenset({"relaxation"}), "conditions": frozenset(),
    "head_injury": "no",  # asked at 65 or over, nothing hurting too (pack 0.2.22)
    "artificial_joint": "no"}  # asked since 0.2.23 with a swollen joint or a flare

# an arm problem with no injury, as a parent answers for a child who stopped using the arm
ARM_NO_INJURY: Mapping[str, Any] = {
    "emergency_signs": frozenset(), "age": 2, "recent_stroke_signs": "no",
    "areas": frozenset({"arm"}), "exertion_pain": "no", "today_signs": frozenset(),
    "health_history": frozenset(), "injury": "none", "arm_injury_signs": frozenset(),
    "duration": "under_6_weeks", "other_symptoms": frozenset(), "myelopathy_signs": frozenset(),
    "bladder_bowel": frozenset(),
    "reasons": frozenset({"other_pain"}), "conditions": frozenset()}


def _today(**answers: Any) -> dict[str, Any]:
    return {**NOTHING_HURTS, **answers}


@pytest.fixture(scope="module")
def pack() -> CompiledPack:
    return PACK


def test_every_answer_that_can_be_an_infection_opens_the_meningitis_signs(
        pack: CompiledPack) -> None:
    """Finding 3: the meningitis signs were asked after a ticked fever only, so "a cold, the
    flu or another infection" with no thermometer closed them. Of today's signs, the fever,
    the infection and "not sure" open them; none of the others does."""
    options = [o.id for o in pack.question_by_id["today_signs"].options or ()]
    opening = {"fever", "acute_infection", "not_sure"}
    assert opening <= set(options)
    for option in options:
        asked = walk(pack, _today(today_signs=frozenset({option})))
        assert ("fever_signs" in asked) == (option in opening), option


@pytest.mark.parametrize("infection", ["fever", "acute_infection"])
def test_each_meningitis_sign_with_an_infection_is_911(pack: CompiledPack, infection: str) -> None:
    """With a fever or with a cold or the flu alike: every sign alone, or not sure, is 911;
    a bad headache alone (no neck problem) is a doctor today."""
    signs = [o.id for o in pack.question_by_id["fever_signs"].options or ()]
    for sign in signs:
        outcome = evaluate(pack, _today(today_signs=frozenset({infection}),
                                        fever_signs=frozenset({sign})))
        expected = "same_day" if sign == "bad_headache" else "emergency"
        assert outcome.disposition == expected, sign
    none = evaluate(pack, _today(today_signs=frozenset({infection})))
    assert "meningitis_signs" not in {r.id for r in none.fired}


def test_a_fever_in_a_child_is_seen_today_and_in_a_baby_at_the_emergency_department(
        pack: CompiledPack) -> None:
    """Finding 2: a feverish child with nothing hurting got a doctor "within the next weeks",
    even at 2 months, and less urgently than "not sure" about the same signs. Every age."""
    for age in range(0, 19):
        fever = evaluate(pack, _today(age=age, today_signs=frozenset({"fever"}))).disposition
        unsure = evaluate(pack, _today(age=age, today_signs=frozenset({"not_sure"}))).disposition
        if age < 1:
            assert (fever, unsure) == ("emergency_department", "emergency_department"), age
        elif age < 16:
            assert (fever, unsure) == ("same_day", "same_day"), age
        else:
            assert (fever, unsure) == ("self_care", "same_day"), age


def test_a_fever_in_nice_ng51_higher_risk_groups_is_a_doctor_today(pack: CompiledPack) -> None:
    """Finding 9: a fever at 85, or in pregnancy, with nothing hurting got self care; NICE NG51
    names people over 75 and pregnancy among those at higher risk of sepsis."""
    fever = frozenset({"fever"})
    for age in (16, 40, 74):
        assert evaluate(pack, _today(age=age, today_signs=fever)).disposition == "self_care", age
    for age in (75, 85, 120):
        assert evaluate(pack, _today(age=age, today_signs=fever)).disposition == "same_day", age
    # "not sure" about the health history also counts as cancer treatment: more urgent still
    for history, expected in (("pregnant", "same_day"), ("not_sure", "emergency_department")):
        outcome = evaluate(pack, _today(today_signs=fever, health_history=frozenset({history})))
        assert outcome.disposition == expected, history
        assert "fever_older_or_pregnant" in {r.id for r in outcome.fired}, history


@pytest.mark.parametrize("place", ["arm", "shoulder"])
def test_a_child_is_asked_about_an_arm_with_or_without_an_injury(pack: CompiledPack,
                                                                 place: str) -> None:
    """Finding 14: the arm signs were asked only after an injury, so a 1-year-old who stopped
    using an arm with no injury known got a doctor "within the next weeks" (the walking
    question already asked a child without one). Every age under 16, and not at 16."""
    for age in range(0, 18):
        asked = walk(pack, {**ARM_NO_INJURY, "age": age, "areas": frozenset({place})})
        assert ("arm_injury_signs" in asked) == (age < 16), age


def test_each_arm_sign_in_a_child_with_no_injury_is_seen_today_or_sooner(
        pack: CompiledPack) -> None:
    """An arm out of shape, a tight forearm or cast (pressure building up in the muscle), or
    not sure, is the emergency department (as after an injury); every other sign a doctor
    today; none of them a doctor before therapy: a sign asked is never left unread."""
    signs = [o.id for o in pack.question_by_id["arm_injury_signs"].options or ()]
    for sign in signs:
        outcome = evaluate(pack, {**ARM_NO_INJURY, "arm_injury_signs": frozenset({sign})})
        expected = ("emergency_department" if sign in {"deformity", "tight_forearm", "not_sure"}
                    else "same_day")
        assert outcome.disposition == expected, sign
    assert evaluate(pack, ARM_NO_INJURY).disposition == "doctor_first"
