"""The bundled pack 0.2.34: a review of 0.2.33 (rev-t), the reason shown by
cancer_with_weakness_worse against what the person answered.

On 0.2.33 the reason's branches were ordered doubt first, and the doubt's texts said "that is
getting worse": 63, "not sure" about the health history, a sore low back, a foot weak for a
week, "Yes, new weakness (even if it is not getting worse)": told "new weakness ... that is
getting worse"; "not sure" on the nerve question after cancer (which asks no "getting
worse"): told "getting worse"; a cancer ticked with a "not sure" elsewhere in the health
history: told "tell them about your health history", not the cancer; a sure new weakness
with "not sure" about another warning sign (weight loss): told "getting worse ... you were
not sure about it".

Swept: every answer that says a limb is weak (found in the pack, as the sweep of 0.2.33),
and the nerve question's two new answers, at every place, with each health history that
names a cancer or a doubt, alone and with "not sure" about the other warning signs; the
reason shown says the cancer only after a cancer, "getting worse" only after an answer that
says it, "not getting worse" only after the answer that says it, "not sure" only after one,
and "you were not sure" never after a sure weakness; the French says each as the English.

The pack's own cases are rules/tests/audit_0_2_33_t.yaml."""

from __future__ import annotations

from typing import Any

import pytest

from tests.ids import answers_id
from tests.test_clinical_audit_0_2_20_f import WHERE, _at_least
from tests.test_clinical_audit_0_2_22_h import PACK, QUIET, _asked, _fired
from tests.test_clinical_audit_0_2_32_p import OPENS, WEAK_ANSWERS, _answer
from triage.engine.evaluate import evaluate
from triage.engine.outcome import Outcome

FLAG = "cancer_with_weakness_worse"
HISTORIES = [frozenset({"cancer"}), frozenset({"chemo"}), frozenset({"not_sure"}),
             frozenset({"cancer", "not_sure"})]
# the answers that say a limb is getting weaker, and the nerve question's weakness
WORSE = {("other_symptoms", "weakness_worse"), ("problem_somewhere", "weakness"),
         ("ces_signs", "both_legs_weak"), ("ces_signs_later", "both_legs_weak")}
NEW = {("cancer_nerve_pain", "weakness")}
DOUBTS = {("other_symptoms", "not_sure"), ("problem_somewhere", "not_sure"),
          ("ces_signs", "not_sure"), ("ces_signs_later", "not_sure"),
          ("cancer_nerve_pain", "not_sure")}
ANSWERS = sorted({*WEAK_ANSWERS, *NEW, *DOUBTS})


def _said(answers: dict[str, Any], pairs: set[tuple[str, str]]) -> bool:
    for qid, oid in pairs:
        got = answers.get(qid)
        if got == oid or (isinstance(got, frozenset) and oid in got):
            return True
    return False


def _cases() -> list[tuple[dict[str, Any], dict[str, Any]]]:
    cases = []
    for qid, oid in ANSWERS:
        for where in WHERE:
            if qid == "problem_somewhere" and where["areas"]:
                continue
            for history in HISTORIES:
                for extra in ({}, {"other_symptoms": frozenset({"not_sure"})}):
                    if extra and qid == "other_symptoms":
                        continue
                    answers = {**where, **OPENS.get(qid, {}), "age": 63,
                               "health_history": history, **extra, qid: _answer(qid, oid)}
                    asked, outcome = _asked(answers)
                    if qid in asked and FLAG in _fired(outcome):
                        cases.append((answers, {q: answers[q] for q in asked if q in answers}))
    return cases


CASES = _cases()


def test_the_sweep_reaches_each_branch() -> None:
    said = [given for _, given in CASES]
    assert len(CASES) > 400
    assert any(_said(g, WORSE) for g in said) and any(_said(g, NEW) for g in said)
    assert any("cancer" not in g["health_history"] for g in said)
    assert any(_said(g, DOUBTS) and not _said(g, WORSE | NEW) for g in said)


@pytest.mark.parametrize(("answers", "given"), CASES, ids=[answers_id(a) for a, _ in CASES])
def test_after_cancer_the_weakness_reason_says_what_the_person_answered(
        answers: dict[str, Any], given: dict[str, Any]) -> None:
    """On 0.2.33: not sure about the health history and "new weakness (even if it is not
    getting worse)": told "weakness ... that is getting worse"."""
    _, outcome = _asked(answers)
    _check_reason(outcome, given)


# A file of answers (triage assess --answers, a record read again) may hold both: "not sure"
# about the other warning signs (asked first), and the nerve question's sure weakness, which
# the questionnaire then skips (the emergency department already). On 0.2.33: "getting
# worse ... you were not sure about it".
SURE_AND_UNSURE = [(answers, {**given, "other_symptoms": frozenset({"not_sure"})})
                   for answers, given in CASES
                   if given.get("cancer_nerve_pain") == "weakness"
                   and "other_symptoms" not in given and given["areas"]]


def test_a_sure_weakness_with_a_doubt_elsewhere_is_swept() -> None:
    assert len(SURE_AND_UNSURE) >= 10


@pytest.mark.parametrize(("answers", "given"), SURE_AND_UNSURE,
                         ids=[answers_id(g) for _, g in SURE_AND_UNSURE])
def test_a_file_with_a_sure_weakness_and_a_doubt_elsewhere_says_the_sure_one(
        answers: dict[str, Any], given: dict[str, Any]) -> None:
    outcome = evaluate(PACK, {**QUIET, **answers, "other_symptoms": frozenset({"not_sure"})})
    if given["health_history"] & {"cancer", "chemo"}:
        assert "even if it is not getting worse" in next(
            r.reason["en"] for r in outcome.fired if r.id == FLAG)
    _check_reason(outcome, given)


def _check_reason(outcome: Outcome, given: dict[str, Any]) -> None:
    assert _at_least(outcome, "emergency_department")
    reason = next(r.reason for r in outcome.fired if r.id == FLAG)
    en, fr = reason["en"], reason["fr"]
    history = given["health_history"]
    cancer = bool(history & {"cancer", "chemo"})
    # the cancer only after a cancer; the health history only after no cancer
    assert ("tell them about the cancer" in en) == cancer, en
    assert ("parlez-leur du cancer" in fr) == cancer, fr
    assert ("tell them about your health history" in en) == (not cancer), en
    assert ("parlez-leur de vos antécédents" in fr) == (not cancer), fr
    # "getting worse" only after an answer that says it; "not getting worse" only after it
    worse = en.replace("even if it is not getting worse", "")
    assert "getting worse" not in worse or _said(given, WORSE), en
    assert ("even if it is not getting worse" in en) <= _said(given, NEW), en
    assert ("qui empire" in fr) == ("getting worse" in worse), fr
    assert ("même si elle n'empire pas" in fr) == ("even if it is not getting worse" in en), fr
    # "not sure" only after a "not sure"; "you were not sure" never after a sure weakness
    assert "not sure" not in en or "not_sure" in history or _said(given, DOUBTS), en
    assert ("You were not sure" in en) <= (not _said(given, WORSE | NEW)), en
    assert ("je ne sais pas" in fr) == ("not sure" in en), fr
    assert ("Vous ne saviez pas" in fr) == ("You were not sure" in en), fr


# ------------------------------------------------ the swollen joint's French (0.2.33)

def test_the_swollen_joint_says_swelled_up_in_french_as_in_english() -> None:
    """On 0.2.33 the French said a joint « enflée et douloureuse » these last weeks (a state:
    a knee swollen for years fits it), the English one that "swelled up" (new)."""
    option = next(o for o in PACK.question_by_id["today_signs"].options or ()
                  if o.id == "new_swollen_joint")
    assert "swelled up" in option.text["en"]
    assert "qui a enflé" in option.text["fr"] and "ces dernières semaines" in option.text["fr"]
    assert all(len(text) <= 74 for text in option.text.values()), option.text
