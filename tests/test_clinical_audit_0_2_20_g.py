"""The bundled pack's belly, joint, spine and knee holes of pack 0.2.20 (helper clin-g; open
point 39 of docs/clinical-safety.md): each hole was one example of a class, so these tests
sweep the class (every place, every age around a threshold, every "not sure") rather than
the one answer set rules/tests/audit_0_2_20_g.yaml keeps."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import REPO_ROOT
from tests.test_clinical_ask_order import walk_quietly as _walk
from triage.engine.evaluate import evaluate
from triage.pack.load import load_pack

PACK = load_pack(REPO_ROOT / "rules", use_cache=False)
PLACES = [o.id for o in PACK.question_by_id["areas"].options or ()]


def _fired(given: dict[str, Any]) -> tuple[str, set[str]]:
    outcome = evaluate(PACK, given)
    return outcome.disposition, {r.id for r in outcome.fired}


# ------------------------------------------------------------------ an artificial joint


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("sign", ["new_swollen_joint", "arthritis_flare"])
@pytest.mark.parametrize("replaced", ["yes", "not_sure"])
@pytest.mark.parametrize("age", [16, 40, 64, 65, 90])
def test_an_artificial_joint_newly_swollen_is_a_doctor_today_at_any_place_and_age(
        place: str, sign: str, replaced: str, age: int) -> None:
    """Open point 37: a joint replaced years ago (no operation in the last 3 months named),
    newly swollen and painful with no injury, or in a flare, got a doctor within 1 to 3 days
    (a flare: before therapy). An infected joint replacement comes at any time after the
    operation: a doctor today, wherever the person says it hurts, at any adult age, and
    "not sure" whether the joint is artificial counts as yes."""
    asked, given = _walk(areas=frozenset({place}), age=age, today_signs=frozenset({sign}),
                         artificial_joint=replaced)
    assert "artificial_joint" in asked
    disposition, fired = _fired(given)
    assert disposition == "same_day"
    assert "replaced_joint_swollen" in fired


@pytest.mark.parametrize("signs", [frozenset(), frozenset({"hot_joint"}),
                                   frozenset({"swelling_after_knock"}),
                                   frozenset({"open_wound"})])
def test_the_artificial_joint_is_asked_only_of_a_swollen_joint_or_a_flare(
        signs: frozenset[str]) -> None:
    """A short question for those it concerns: no swollen joint, no flare, no question (a
    hot joint is a doctor today already; a swelling after a knock is an injury)."""
    asked, _ = _walk(areas=frozenset({"knee"}), age=70, today_signs=signs)
    assert "artificial_joint" not in asked


def test_a_natural_joint_newly_swollen_stays_within_1_to_3_days() -> None:
    """*Below*: the same knee, not replaced, no weak immunity, no operation: unchanged."""
    _, given = _walk(areas=frozenset({"knee"}), age=70,
                     today_signs=frozenset({"new_swollen_joint"}), artificial_joint="no")
    disposition, fired = _fired(given)
    assert disposition == "doctor_soon"
    assert "replaced_joint_swollen" not in fired


# ------------------------------------------------------- a twisted ovary: belly or groin

URGENCY = ["emergency", "emergency_department", "same_day", "doctor_soon", "doctor_first"]
BELLY_OR_GROIN = [frozenset({"trunk"}), frozenset({"hip_buttock"}), frozenset({"whole_body"}),
                  frozenset(), frozenset({"trunk", "knee"})]


@pytest.mark.parametrize("areas", BELLY_OR_GROIN, ids=lambda a: "+".join(sorted(a)) or "none")
@pytest.mark.parametrize("onset", ["sudden_severe", "suddenly_much_worse", "not_sure"])
@pytest.mark.parametrize("age", [10, 15, 16, 30, 49, 50, 80])
def test_sudden_worst_ever_belly_or_groin_pain_is_the_emergency_department_at_any_age(
        areas: frozenset[str], onset: str, age: int) -> None:
    """Open point 34: sudden, very bad pain low on one side of the belly or in the groin (a
    twisted ovary) got a doctor today under 50, where a testicle is the emergency
    department. Every place that names the belly or the groin (many places and no place
    too), each answer read as sudden and worst-ever, "not sure" included, at every age: the
    emergency department, or 911 at 50 or over (the aneurysm)."""
    _, given = _walk(areas=areas, age=age, onset=onset)
    disposition, fired = _fired(given)
    assert "sudden_severe_belly_groin_pain" in fired
    assert disposition == ("emergency" if age >= 50 else "emergency_department")


@pytest.mark.parametrize("areas", [frozenset({"low_back"}), frozenset({"upper_back"}),
                                   frozenset({"neck"})], ids=lambda a: "+".join(sorted(a)))
def test_sudden_worst_ever_back_or_neck_pain_under_50_stays_a_doctor_today(
        areas: frozenset[str]) -> None:
    """*Below*: the back or the neck alone (no belly, no groin) under 50: unchanged, but
    for the upper back, the emergency department since pack 0.2.28 (a tear in the aorta:
    sudden_severe_upper_back_pain, tests/test_clinical_audit_0_2_27_k.py)."""
    _, given = _walk(areas=areas, age=40, onset="sudden_severe")
    disposition, fired = _fired(given)
    assert "sudden_severe_belly_groin_pain" not in fired
    assert disposition == ("emergency_department" if "upper_back" in areas else "same_day")


# ------------------------------------------------------------------------- polymyalgia

PMR_PLACES = {"shoulder", "hip_buttock", "neck", "whole_body"}


@pytest.mark.parametrize("place", [*PLACES, "none"])
@pytest.mark.parametrize("age", [49, 50, 64, 72, 95])
def test_polymyalgia_is_asked_at_50_or_over_at_the_shoulders_hips_and_neck(
        place: str, age: int) -> None:
    """Open point 36 (audit a04: 72, aching shoulders and hips, stiff every morning, got
    massage): asked at 50 or over with a shoulder, a hip or groin, the neck, many places or
    no place, and nowhere else, never under 50."""
    areas = frozenset() if place == "none" else frozenset({place})
    asked, _ = _walk(areas=areas, age=age)
    expected = age >= 50 and (place in PMR_PLACES or place == "none")
    assert ("pmr_signs" in asked) == expected


@pytest.mark.parametrize("place", sorted(PMR_PLACES))
@pytest.mark.parametrize("pmr", ["yes", "not_sure"])
@pytest.mark.parametrize("gca", ["yes", "no", "not_sure"])
@pytest.mark.parametrize("age", [50, 72])
def test_polymyalgia_is_a_doctor_within_days_and_today_with_the_arterys_signs(
        place: str, pmr: str, gca: str, age: int) -> None:
    """Yes or not sure: a doctor within 1 to 3 days; with a new headache, jaw pain, a sore
    scalp or a change in sight (or not sure), a doctor today (giant cell arteritis)."""
    _, given = _walk(areas=frozenset({place}), age=age, pmr_signs=pmr, pmr_gca_signs=gca)
    disposition, fired = _fired(given)
    assert "polymyalgia_signs" in fired
    assert URGENCY.index(disposition) <= URGENCY.index(
        "same_day" if gca != "no" else "doctor_soon")
    assert ("polymyalgia_with_gca_signs" in fired) == (gca != "no")


# ------------------------------------------------------------------------ a locked knee

LEG_PLACES = ["knee", "leg", "ankle_foot", "whole_body"]


@pytest.mark.parametrize("place", LEG_PLACES)
@pytest.mark.parametrize("injury", ["last_2_days", "recent", "older", "not_sure"])
@pytest.mark.parametrize("age", [16, 40, 70])
def test_a_knee_stuck_since_an_injury_is_a_doctor_within_days_however_long_ago(
        place: str, injury: str, age: int) -> None:
    """A knee stuck since an injury or a twist, that can't be straightened, got therapy
    (a torn meniscus caught in the joint): a doctor within 1 to 3 days, or sooner, at
    every place of the leg below the hip and many places, after any injury answer."""
    asked, given = _walk(areas=frozenset({place}), age=age, injury=injury,
                         leg_injury_signs=frozenset({"locked_knee"}))
    assert "leg_injury_signs" in asked
    disposition, fired = _fired(given)
    assert "locked_knee" in fired
    assert URGENCY.index(disposition) <= URGENCY.index("doctor_soon")


def test_a_knee_stuck_named_after_sciatica_is_read_from_the_repeat() -> None:
    """Sciatica named after a shoulder only: the leg's signs are asked again, and the knee's
    lock there holds as it does at its own place."""
    asked, given = _walk(areas=frozenset({"shoulder"}), injury="recent",
                         conditions=frozenset({"sciatica"}),
                         leg_injury_signs_later=frozenset({"locked_knee"}))
    assert "leg_injury_signs_later" in asked
    assert "locked_knee" in _fired(given)[1]


# ------------------------------------------------------------------------------ the spine

SUDDEN_PLACES = [frozenset({"low_back"}), frozenset({"upper_back"}), frozenset({"trunk"}),
                 frozenset({"hip_buttock"}), frozenset({"whole_body"}), frozenset()]


@pytest.mark.parametrize("areas", SUDDEN_PLACES, ids=lambda a: "+".join(sorted(a)) or "none")
@pytest.mark.parametrize("age", [49, 50, 57, 64, 65])
@pytest.mark.parametrize("injury", ["none", "last_2_days"])
def test_sudden_pain_not_that_bad_at_50_or_over_is_a_doctor_within_days(
        areas: frozenset[str], age: int, injury: str) -> None:
    """Sudden back pain at 50 to 64, "not that bad", no known aneurysm and not the first
    time, got therapy (at 65 or over it is an X-ray; worst-ever is 911). Every place of the
    aneurysm flag (the back, the belly, the groin, many places, no place), with or without
    an injury: a doctor within 1 to 3 days from 50; under 50 it is not read."""
    _, given = _walk(areas=areas, age=age, onset="sudden", injury=injury)
    disposition, fired = _fired(given)
    assert ("sudden_pain_at_50" in fired) == (age >= 50)
    if age >= 50:
        assert URGENCY.index(disposition) <= URGENCY.index("doctor_soon")


def test_sudden_neck_pain_at_55_is_not_read_as_the_aneurysm() -> None:
    """*Below* the places: the neck alone names no back, belly or groin."""
    _, given = _walk(areas=frozenset({"neck"}), age=55, onset="sudden")
    assert "sudden_pain_at_50" not in _fired(given)[1]


@pytest.mark.parametrize(("question", "sign"), [
    ("ces_signs_later", "saddle_numbness"), ("ces_signs_later", "both_legs_weak"),
    ("ces_signs_later", "not_sure"), ("bladder_bowel_later", "bladder_change"),
    ("bladder_bowel_later", "bowel_change"), ("bladder_bowel_later", "not_sure")])
def test_after_an_operation_with_nothing_hurting_the_backs_signs_are_asked(
        question: str, sign: str) -> None:
    """Open point 26: after spine surgery with "nothing hurts", the cauda equina signs and
    the back pain warning were never asked (the option names spine surgery, which is no
    place). Recovery after an operation with no place asks them, and (pack 0.2.24) the
    bladder and bowels on their own (bladder_bowel_later); each sign, and not sure, is the
    emergency department."""
    asked, given = _walk(areas=frozenset(), problem_somewhere="no",
                         conditions=frozenset({"surgery_rehab"}), **{question: frozenset({sign})})
    assert question in asked
    disposition, fired = _fired(given)
    assert disposition == "emergency_department"
    assert {"cauda_equina_signs", "sn_back_pain"} <= fired


@pytest.mark.parametrize("place", ["knee", "shoulder", "neck"])
def test_after_an_operation_at_a_place_chosen_the_backs_signs_are_not_asked_again(
        place: str) -> None:
    """*Below*: a place chosen (a knee replaced) is that place's problem: not asked again."""
    asked, _ = _walk(areas=frozenset({place}), conditions=frozenset({"surgery_rehab"}))
    assert "ces_signs_later" not in asked
