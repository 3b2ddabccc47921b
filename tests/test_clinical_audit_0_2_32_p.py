"""The bundled pack 0.2.33: a review of 0.2.32 (clin-p) for the holes it left in its own class.

1. After cancer (or not sure about the health history), every answer of the questionnaire
   that says a limb is weak reaches the emergency department (or 911) and, below 911, says
   the cancer (cancer_with_weakness_worse: "tell them about the cancer"). On 0.2.32, weakness
   in both legs said among the cauda equina signs (ces_signs: asked before the other warning
   signs, which were then skipped), or among the same signs asked after sciatica named later
   (ces_signs_later), or "not sure" about them, gave the emergency department through
   cauda_equina_signs only: the reason never named the cancer.

The answers that say weakness are found in the pack (every option whose English text says
weak or weakness), so that a new one is swept too; the few that are not a limb getting
weaker are named below with why.

Wording (the words a person picks, in both languages and both voices):

1. After cancer, new weakness of a limb that is not getting worse had no box: the warning
   sign says "new weakness ... that is getting worse" (other_symptoms, for everyone). 63,
   bowel cancer, a foot weak for a week, "not getting worse": a doctor in 1 to 3 days. NICE
   NG234 names any limb weakness after cancer. Now asked with the nerve pain after cancer
   (cancer_nerve_pain, its own answer): the emergency department; "not sure" counts as it.
2. "A joint that swelled up and hurts in the last few days" left out a knee still swollen
   after 10 days with no injury (physiotherapy): now "in the last few weeks".

The pack's own cases are rules/tests/audit_0_2_32_p.yaml."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.ids import answers_id
from tests.test_clinical_audit_0_2_20_f import WHERE, _at_least
from tests.test_clinical_audit_0_2_22_h import PACK, _asked, _fired

CANCER = ["cancer", "chemo", "not_sure"]
AGES = [8, 40, 70]
# Options whose words say weak but not a limb getting weaker, or that only lead to another
# question that says it: (question, option) -> why.
NOT_A_LIMB_GETTING_WEAKER = {
    ("health_history", "osteoporosis"): "weak bones",
    ("health_history", "weak_immunity"): "a weak immune system",
    ("bladder_bowel", "bladder_change"): "a weak stream",
    ("bladder_bowel_later", "bladder_change"): "a weak stream",
    ("conditions", "after_immobilisation"): "weak after a cast or bed rest: deconditioning",
    ("weakness_both_sides", "no"): "a no answer",
    ("problem_somewhere", "yes"): "pain with or without weakness: other_symptoms says which",
    ("cancer_nerve_pain", "yes"): "pain, numbness or tingling, but no weakness",
}
SAYS_WEAK = re.compile(r"\bweak(ness)?\b", re.IGNORECASE)
WEAK_ANSWERS = sorted(
    (q.id, o.id) for q in PACK.questions for o in q.options or ()
    if SAYS_WEAK.search(o.text["en"]) and (q.id, o.id) not in NOT_A_LIMB_GETTING_WEAKER)
# what opens each question beyond a place (the answers of a person with nothing else to tell)
OPENS: dict[str, dict[str, Any]] = {
    "head_injury_signs": {"injury": "recent", "head_injury": "last_2_days"},
    "head_injury_signs_later": {"conditions": frozenset({"falls"}),
                                "head_injury_later": "last_2_days"},
    "ces_signs_later": {"conditions": frozenset({"sciatica"}),
                        "leg_injury_signs_later": frozenset()},
}


def _answer(qid: str, oid: str) -> Any:
    return frozenset({oid}) if PACK.question_by_id[qid].type == "multi" else oid


def test_the_weakness_answers_are_found() -> None:
    assert {("other_symptoms", "weakness_worse"), ("problem_somewhere", "weakness"),
            ("ces_signs", "both_legs_weak"), ("ces_signs_later", "both_legs_weak"),
            ("emergency_signs", "arm_weakness")} <= set(WEAK_ANSWERS)
    every = {(q.id, o.id) for q in PACK.questions for o in q.options or ()}
    assert set(NOT_A_LIMB_GETTING_WEAKER) <= every  # a renamed option is looked at again


def _answers(qid: str, oid: str, where: dict[str, Any], cancer: str, age: int) -> dict[str, Any]:
    return {**where, **OPENS.get(qid, {}), "age": age, "health_history": frozenset({cancer}),
            qid: _answer(qid, oid)}


# each weakness answer at each place, cancer answer and age where its question is asked
# (the knock asked again after falls only where the first was not: under 65, a sure history)
CASES = [(qid, oid, where, cancer, age) for qid, oid in WEAK_ANSWERS for where in WHERE
         for cancer in CANCER for age in AGES
         if not (qid == "problem_somewhere" and where["areas"])
         and qid in _asked(_answers(qid, oid, where, cancer, age))[0]]


def test_each_weakness_answer_is_asked_somewhere() -> None:
    assert {qid for qid, *_ in CASES} == {qid for qid, _ in WEAK_ANSWERS}
    assert len(CASES) > 300


@pytest.mark.parametrize(("qid", "oid", "where", "cancer", "age"), CASES,
                         ids=[f"{q}={o}&{answers_id(w)}&{c}&{a}" for q, o, w, c, a in CASES])
def test_after_cancer_every_weakness_answer_is_the_emergency_department_and_says_the_cancer(
        qid: str, oid: str, where: dict[str, Any], cancer: str, age: int) -> None:
    """On 0.2.32: 71, prostate cancer, low back pain, both legs getting weaker (among the
    cauda equina signs): the emergency department with the cauda equina reason only."""
    asked, outcome = _asked(_answers(qid, oid, where, cancer, age))
    assert qid in asked
    assert _at_least(outcome, "emergency_department"), (outcome.disposition, _fired(outcome))
    if outcome.disposition != "emergency":
        assert "cancer_with_weakness_worse" in _fired(outcome), sorted(_fired(outcome))


@pytest.mark.parametrize("question", ["ces_signs", "ces_signs_later"])
def test_not_sure_about_the_legs_after_cancer_says_the_doubt_and_the_cancer(
        question: str) -> None:
    answers = {**OPENS.get(question, {}), "areas": frozenset({"low_back"})
               if question == "ces_signs" else frozenset({"neck"}),
               "health_history": frozenset({"cancer"}), question: frozenset({"not_sure"})}
    asked, outcome = _asked(answers)
    assert question in asked
    assert outcome.disposition == "emergency_department"
    reason = next(r.reason for r in outcome.fired if r.id == "cancer_with_weakness_worse")
    assert "not sure" in reason["en"] and "cancer" in reason["en"]
    assert "je ne sais pas" in reason["fr"] and "cancer" in reason["fr"]


@pytest.mark.parametrize("sign", ["saddle_numbness", "sexual_change", "both_legs_pain"])
def test_the_other_cauda_equina_signs_do_not_say_weakness(sign: str) -> None:
    """*below*: after cancer, numbness between the legs is the emergency department
    (cauda_equina_signs), not a weakness."""
    _, outcome = _asked({"areas": frozenset({"low_back"}), "health_history": frozenset({"cancer"}),
                         "ces_signs": frozenset({sign})})
    assert outcome.disposition == "emergency_department"
    assert "cancer_with_weakness_worse" not in _fired(outcome)


def test_both_legs_weak_without_cancer_is_not_the_cancer_flag() -> None:
    """*below*: no cancer and a sure health history: the cauda equina flag alone."""
    _, outcome = _asked({"areas": frozenset({"low_back"}),
                         "health_history": frozenset({"osteoporosis"}),
                         "ces_signs": frozenset({"both_legs_weak"})})
    assert outcome.disposition == "emergency_department"
    assert "cauda_equina_signs" in _fired(outcome)
    assert "cancer_with_weakness_worse" not in _fired(outcome)


# ------------------------------------------------ wording 1: new weakness after cancer

PAIN = [w for w in WHERE if w["areas"] or w.get("problem_somewhere") == "yes"]


@pytest.mark.parametrize("answer", ["weakness", "not_sure"])
@pytest.mark.parametrize("cancer", CANCER)
@pytest.mark.parametrize("where", PAIN, ids=answers_id)
def test_after_cancer_new_weakness_not_getting_worse_is_the_emergency_department(
        where: dict[str, Any], cancer: str, answer: str) -> None:
    """On 0.2.32: 63, bowel cancer, a sore low back, a foot weak for a week, not getting
    worse: no box, a doctor in 1 to 3 days. Every place, every answer that names a cancer."""
    asked, outcome = _asked({**where, "health_history": frozenset({cancer}),
                             "cancer_nerve_pain": answer})
    assert "cancer_nerve_pain" in asked
    assert _at_least(outcome, "emergency_department"), (outcome.disposition, _fired(outcome))
    assert "cancer_with_weakness_worse" in _fired(outcome)


@pytest.mark.parametrize("where", PAIN, ids=answers_id)
def test_after_cancer_nerve_pain_without_weakness_stays_a_doctor_today(
        where: dict[str, Any]) -> None:
    """*below*: pain, numbness or tingling down a limb and no weakness: a doctor today."""
    _, outcome = _asked({**where, "health_history": frozenset({"cancer"}),
                         "cancer_nerve_pain": "yes"})
    assert "cancer_with_nerve_pain" in _fired(outcome)
    assert "cancer_with_weakness_worse" not in _fired(outcome)


def test_the_nerve_question_asks_for_weakness_that_is_not_getting_worse() -> None:
    question = PACK.question_by_id["cancer_nerve_pain"]
    for text in (question.text, question.caller_text):
        assert text is not None
        assert "new weakness" in text["en"] and "nouvelle faiblesse" in text["fr"]
    weak = next(o for o in question.options or () if o.id == "weakness")
    assert "not getting worse" in weak.text["en"] and "n'empire pas" in weak.text["fr"]
    pain = next(o for o in question.options or () if o.id == "yes")
    assert "no weakness" in pain.text["en"] and "pas de faiblesse" in pain.text["fr"]
    flag = next(r for r in PACK.rules if r.id == "cancer_with_weakness_worse")
    branch = next(r for w, r in flag.reason_when
                  if "cancer_nerve_pain" in repr(w) and "weakness" in repr(w))
    assert "not getting worse" in branch["en"] and "n'empire pas" in branch["fr"]


# ------------------------------------------------ wording 2: a joint swollen for weeks


def test_the_swollen_joint_answer_keeps_a_joint_still_swollen_after_days() -> None:
    """On 0.2.32: 58, a knee swollen for 10 days, no injury, not hot: "in the last few days"
    did not fit; physiotherapy. The answer and its reason say weeks, in both languages."""
    option = next(o for o in PACK.question_by_id["today_signs"].options or ()
                  if o.id == "new_swollen_joint")
    assert "few weeks" in option.text["en"] and "days" not in option.text["en"]
    assert "semaines" in option.text["fr"] and "jours" not in option.text["fr"]
    reason = next(r for r in PACK.rules if r.id == "new_swollen_joint").reason
    assert "few weeks" in reason["en"] and "semaines" in reason["fr"]
