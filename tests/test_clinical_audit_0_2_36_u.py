"""The bundled pack 0.2.38 (clin-u): holes left around cancer and the spinal cord signs.

1. Open points 46 b and 47 c: after cancer with nothing hurting, new weakness that is not
   getting worse had no box (the "nothing hurts" question offers weakness "that is getting
   worse", for everyone; the nerve question after cancer was asked only with pain
   somewhere). 65, prostate cancer, nothing hurts, a foot weak for a week, not getting
   worse: physiotherapy, where the same weakness with pain is the emergency department
   (0.2.33). The nerve question (``cancer_nerve_pain``) is now asked after cancer with no
   place chosen too (score ``cancer_nerve_place``), and only then: no question for anyone
   else. Swept: new weakness after cancer (or not sure), every place and none, each
   answer that says a cancer, every answer of the nerve question.
2. Open point 46 e: the cauda equina signs after cancer other than weakness (numbness
   between the legs, both legs' pain, sexual problems) were the emergency department
   without "tell them about the cancer". ``cauda_equina_signs`` says it where cancer or its
   treatment was answered, and not otherwise. Swept: each sign and the bladder and bowels,
   every place that asks them (and after sciatica named later), each history.
3. Left by 0.2.36: "not sure" about a cord sign (a doctor today, where how fast is not
   asked) and slow cord signs (a doctor first) had no cord watch-for; after cancer with
   spine pain the bladder warning showed twice. ``sn_spinal_cord_fast`` is now shown with
   every cord sign ticked or not sure (below the emergency department), and the cancer and
   cord watch-fors leave the bladder and bowels to the back's where it is shown (score
   ``back_net``). Swept: every result of the sweeps below says the bladder at most once, in
   both languages and both voices.

The pack's own cases are rules/tests/audit_0_2_36_u.yaml."""

from __future__ import annotations

from typing import Any

import pytest

from tests.ids import answers_id
from tests.test_clinical_audit_0_2_20_f import WHERE
from tests.test_clinical_audit_0_2_22_h import PACK, _at_least, _fired
from tests.test_clinical_audit_0_2_22_h import _asked as _asked_quiet
from triage.engine.outcome import Outcome
from triage.render.caller import caller_reason

CANCER = ["cancer", "chemo", "not_sure"]
NAMED = {"cancer", "chemo"}  # a cancer answered ("not sure" about the history is not one)
AGES = [18, 65, 88]
# nothing hurting: no place chosen and "no" to pain or weakness getting worse, with each
# kind of reason a person with nothing hurting gives (pain named later: "no" pain now)
NOTHING_HURTS: list[dict[str, Any]] = [
    {"areas": frozenset(), "problem_somewhere": "no", "reasons": frozenset({r})}
    for r in ("relaxation", "injury_prevention", "feeling_off")] + [
    {"areas": frozenset(), "problem_somewhere": "no", "reasons": frozenset({"other_pain"}),
     "problem_now": "no"},
    {"areas": frozenset(), "problem_somewhere": "no", "conditions": frozenset({"falls"}),
     "reasons": frozenset({"injury_prevention"})}]
EVERYWHERE = [*WHERE, *NOTHING_HURTS]


# asked after sciatica named later (with no back, hip or leg chosen), as nothing else to tell
LATER = {"ces_signs_later": frozenset(), "leg_injury_signs_later": frozenset()}


def _asked(answers: dict[str, Any]) -> tuple[list[str], Outcome]:
    return _asked_quiet({**LATER, **answers})


def _reason(outcome: Outcome, rid: str) -> dict[str, str]:
    return dict(next(r.reason for r in outcome.fired if r.id == rid))


# ------------------------------------------------------------ 1. weakness, nothing hurting

@pytest.mark.parametrize("answer", ["weakness", "not_sure"])
@pytest.mark.parametrize("age", AGES)
@pytest.mark.parametrize("cancer", CANCER)
@pytest.mark.parametrize("where", EVERYWHERE, ids=answers_id)
def test_after_cancer_new_weakness_is_the_emergency_department_wherever_it_hurts_or_not(
        where: dict[str, Any], cancer: str, age: int, answer: str) -> None:
    """On 0.2.36: 65, prostate cancer, nothing hurts, a foot weak for a week, not getting
    worse: physiotherapy (no box). The level 0.2.33 gave it with pain: the emergency
    department, saying the cancer (or the health history, not sure of it)."""
    asked, outcome = _asked({**where, "age": age, "health_history": frozenset({cancer}),
                             "cancer_nerve_pain": answer})
    assert _at_least(outcome, "emergency_department"), (outcome.disposition, _fired(outcome))
    if outcome.disposition == "emergency":
        return
    if "cancer_nerve_pain" not in asked:  # a more urgent answer stopped first, or the
        # weakness getting worse was said with nothing hurting (its own box)
        assert where.get("problem_somewhere") in ("not_sure", "weakness") or cancer == "not_sure"
        return
    assert "cancer_with_weakness_worse" in _fired(outcome), sorted(_fired(outcome))
    reason = _reason(outcome, "cancer_with_weakness_worse")
    if cancer in NAMED:
        assert "tell them about the cancer" in reason["en"]
        assert "parlez-leur du cancer" in reason["fr"]
    if answer == "weakness":
        assert "even if it is not getting worse" in reason["en"] or cancer == "not_sure"


@pytest.mark.parametrize("cancer", CANCER)
@pytest.mark.parametrize("where", NOTHING_HURTS, ids=answers_id)
def test_after_cancer_with_nothing_hurting_the_nerve_question_is_asked(
        where: dict[str, Any], cancer: str) -> None:
    asked, outcome = _asked({**where, "health_history": frozenset({cancer}),
                             "cancer_nerve_pain": "no"})
    assert "cancer_nerve_pain" in asked
    assert "cancer_with_weakness_worse" not in _fired(outcome)  # *below*: "no"
    assert "cancer_with_nerve_pain" not in _fired(outcome)


@pytest.mark.parametrize("where", NOTHING_HURTS, ids=answers_id)
def test_after_cancer_with_nothing_hurting_numbness_down_a_limb_is_a_doctor_today(
        where: dict[str, Any]) -> None:
    """Numbness or tingling down a limb after cancer (nothing hurts): a doctor today, as
    with pain somewhere (NICE NG234: radicular symptoms)."""
    _, outcome = _asked({**where, "health_history": frozenset({"cancer"}),
                         "cancer_nerve_pain": "yes"})
    assert _at_least(outcome, "same_day")
    assert "cancer_with_nerve_pain" in _fired(outcome)
    assert "cancer_with_weakness_worse" not in _fired(outcome)


@pytest.mark.parametrize("history", [frozenset(), frozenset({"high_bp"}),
                                     frozenset({"osteoporosis"}), frozenset({"pregnant"})],
                         ids=lambda h: "+".join(sorted(h)) or "none")
@pytest.mark.parametrize("where", EVERYWHERE, ids=answers_id)
def test_without_cancer_the_questionnaire_is_no_longer(
        where: dict[str, Any], history: frozenset[str]) -> None:
    """The nerve question is asked only after cancer (or not sure about the history)."""
    asked, _ = _asked({**where, "health_history": history, "cancer_nerve_pain": "weakness"})
    assert "cancer_nerve_pain" not in asked


# ------------------------------------------------------------ 2. cauda equina after cancer

CES_SIGNS = ["saddle_numbness", "sexual_change", "both_legs_pain", "both_legs_weak", "not_sure"]
BLADDER = ["bladder_change", "bowel_change", "not_sure"]
HISTORIES = [frozenset({"cancer"}), frozenset({"chemo"}), frozenset({"cancer", "not_sure"}),
             frozenset({"not_sure"}), frozenset(), frozenset({"high_bp"})]
# the cauda equina signs asked at a place, or again after sciatica named with a neck
CES_WHERE: list[dict[str, Any]] = [
    *(w for w in WHERE if w.get("problem_somewhere") != "no"),
    {"areas": frozenset({"neck"}), "conditions": frozenset({"sciatica"})}]


def _ces_cases() -> list[tuple[str, str, dict[str, Any], frozenset[str]]]:
    cases = []
    for where in CES_WHERE:
        later = "sciatica" in where.get("conditions", ())
        for history in HISTORIES:
            for sign in CES_SIGNS:
                cases.append(("ces_signs_later" if later else "ces_signs", sign, where, history))
            for sign in BLADDER:
                cases.append(("bladder_bowel_later" if later else "bladder_bowel", sign,
                              where, history))
    return cases


@pytest.mark.parametrize(("question", "sign", "where", "history"), _ces_cases(),
                         ids=[f"{q}={s}&{answers_id(w)}&history={'+'.join(sorted(h)) or 'none'}"
                              for q, s, w, h in _ces_cases()])
def test_a_cauda_equina_sign_after_cancer_says_the_cancer_and_not_otherwise(
        question: str, sign: str, where: dict[str, Any], history: frozenset[str]) -> None:
    """On 0.2.36: 66, cancer, low back pain, numbness between the legs: the emergency
    department, "Go to the emergency department now", the cancer never named."""
    asked, outcome = _asked({**where, "health_history": history, question: frozenset({sign})})
    if question not in asked or "cauda_equina_signs" not in _fired(outcome):
        return  # not asked at this place, or a 911 sign stopped first
    assert _at_least(outcome, "emergency_department")
    reason = _reason(outcome, "cauda_equina_signs")
    named = bool(history & NAMED)
    assert ("tell them about the cancer" in reason["en"]) == named, reason["en"]
    assert ("parlez-leur du cancer" in reason["fr"]) == named, reason["fr"]
    assert ("After cancer" in reason["en"]) == named
    assert "not sure" not in reason["en"]  # the program says a doubt, not the reason


def test_each_cauda_equina_sign_meets_the_cancer_reason() -> None:
    seen = set()
    for question, sign, where, history in _ces_cases():
        asked, outcome = _asked({**where, "health_history": history,
                                 question: frozenset({sign})})
        if (question in asked and history & NAMED
                and "cauda_equina_signs" in _fired(outcome)
                and outcome.disposition == "emergency_department"):
            seen.add((question, sign))
    assert {("ces_signs", s) for s in CES_SIGNS} <= seen
    assert {("ces_signs_later", s) for s in CES_SIGNS} <= seen


# ------------------------------------------------------------ 3. cord watch-for, bladder once

CORD = "sn_spinal_cord_fast"
MYELOPATHY = [frozenset(), *(frozenset({s}) for s in ("clumsy_hands", "unsteady_walking",
                                                      "both_hands_numb", "electric_shock",
                                                      "not_sure"))]
CORD_BLADDER = [frozenset(), frozenset({"bladder_change"}), frozenset({"not_sure"})]
SAYS_BLADDER = {"en": ("bladder", "pee"), "fr": ("vessie", "uriner")}


def _cord_cases() -> list[dict[str, Any]]:
    return [{**where, "myelopathy_signs": signs, "myelopathy_fast": fast,
             "bladder_bowel": bladder, "health_history": history}
            for where in WHERE for signs in MYELOPATHY for fast in ("yes", "no", "not_sure")
            for bladder in CORD_BLADDER
            for history in (frozenset(), frozenset({"cancer"}))
            if fast == "no" or signs]


def _bladder_notes(outcome: Outcome) -> dict[str, list[str]]:
    said: dict[str, list[str]] = {}
    for lang, words in SAYS_BLADDER.items():
        for voice in ("patient", "caller"):
            for note in outcome.safety_net:
                text = (note.reason[lang] if voice == "patient"
                        else caller_reason(PACK, note, lang))
                if any(w in text for w in words):
                    said.setdefault(f"{lang}/{voice}", []).append(note.id)
    return said


@pytest.mark.parametrize("answers", _cord_cases(), ids=answers_id)
def test_every_cord_sign_ticked_or_not_sure_is_told_the_cord_watch_for(
        answers: dict[str, Any]) -> None:
    """On 0.2.36: 62, neck pain, not sure about the cord signs: a doctor today, no cord
    watch-for (how fast was not asked); clumsy hands not getting worse fast: a doctor first,
    no cord watch-for at all."""
    asked, outcome = _asked(answers)
    note = next((r for r in outcome.safety_net if r.id == CORD), None)
    # new bladder or bowel trouble is a cord sign where the cord signs are asked (at a
    # back, hip or leg it is the emergency department: cauda_equina_signs)
    said = (("myelopathy_signs" in asked and answers["myelopathy_signs"])
            or ("bladder_bowel" in asked and answers["bladder_bowel"]))
    if not said or _at_least(outcome, "emergency_department"):
        assert note is None, (outcome.disposition, sorted(_fired(outcome)))
        return
    assert note is not None, (outcome.disposition, sorted(_fired(outcome)))
    assert "emergency department at once" in note.reason["en"]
    assert "l'urgence tout de suite" in note.reason["fr"]
    assert "an arm or a leg gets weak" in note.reason["en"]
    assert "un bras ou une jambe devient faible" in note.reason["fr"]


def test_the_cord_watch_for_meets_each_result_below_the_emergency_department() -> None:
    seen = set()
    for answers in _cord_cases():
        _, outcome = _asked(answers)
        if any(r.id == CORD for r in outcome.safety_net):
            seen.add(outcome.disposition)
    assert {"same_day", "doctor_first"} <= seen


# the places, histories and answers that can show the back's, the cancer's and the cord's
# watch-for together
ONCE_CASES: list[dict[str, Any]] = [
    {**where, "health_history": history, "myelopathy_signs": signs, "myelopathy_fast": fast,
     "conditions": conditions, "age": age}
    for where in EVERYWHERE
    for history in (frozenset(), frozenset({"cancer"}), frozenset({"chemo"}),
                    frozenset({"not_sure"}))
    for signs, fast in ((frozenset(), "no"), (frozenset({"clumsy_hands"}), "no"),
                        (frozenset({"not_sure"}), "no"),
                        (frozenset({"unsteady_walking"}), "yes"))
    for conditions in (frozenset(), frozenset({"sciatica"}), frozenset({"surgery_rehab"}))
    for age in (40, 70)]


@pytest.mark.parametrize("answers", ONCE_CASES, ids=answers_id)
def test_the_bladder_warning_is_said_once(answers: dict[str, Any]) -> None:
    """On 0.2.36: 58, cancer, mid back pain: the back's watch-for and the cancer's both
    named the bladder and bowels."""
    _, outcome = _asked(answers)
    said = _bladder_notes(outcome)
    assert all(len(ids) <= 1 for ids in said.values()), said
    # every note that leaves the bladder out does so because the back's says it
    back = any(r.id == "sn_back_pain" for r in outcome.safety_net)
    for note in outcome.safety_net:
        if note.id in (CORD, "sn_cancer_spine"):
            assert ("bladder" in note.reason["en"]) != back, (note.id, note.reason["en"])
            assert ("vessie" in note.reason["fr"]) != back, (note.id, note.reason["fr"])


def test_the_bladder_once_sweep_meets_each_pair() -> None:
    pairs = set()
    for answers in ONCE_CASES:
        _, outcome = _asked(answers)
        ids = {r.id for r in outcome.safety_net}
        pairs |= {(a, "sn_back_pain") for a in (CORD, "sn_cancer_spine")
                  if a in ids and "sn_back_pain" in ids}
        pairs |= {(a, "alone") for a in (CORD, "sn_cancer_spine")
                  if a in ids and "sn_back_pain" not in ids}
    assert pairs == {(CORD, "sn_back_pain"), ("sn_cancer_spine", "sn_back_pain"),
                     (CORD, "alone"), ("sn_cancer_spine", "alone")}


# ------------------------------------------- 4. review (rev-u): pain named after nothing hurts

# pain or an injury named after "nothing hurts" (the reasons and conditions that ask
# problem_now), each answer to it: "yes" and "not sure" are a problem now, its place not asked
NAMED_LATER: list[dict[str, Any]] = [
    {"areas": frozenset(), "problem_somewhere": "no", **named, "problem_now": now}
    for named in ({"reasons": frozenset({"strain"})}, {"reasons": frozenset({"other_pain"})},
                  {"reasons": frozenset({"sports_injury"})},
                  {"conditions": frozenset({"arthritis"}),
                   "reasons": frozenset({"relaxation"})})
    for now in ("yes", "not_sure", "no")]


@pytest.mark.parametrize("age", AGES)
@pytest.mark.parametrize("history", [*(frozenset({c}) for c in CANCER), frozenset(),
                                     frozenset({"high_bp"})],
                         ids=lambda h: "+".join(sorted(h)) or "none")
@pytest.mark.parametrize("where", NAMED_LATER, ids=answers_id)
def test_after_cancer_pain_named_after_nothing_hurts_is_told_the_cancer_watch_for(
        where: dict[str, Any], history: frozenset[str], age: int) -> None:
    """Review of 0.2.38: 64, cancer, nothing hurts, then a strained muscle and pain now: a
    doctor today with the back's and the neck's watch-fors (the place not asked counts as
    every place there), never the cancer's (a limb getting weak, trouble walking: the
    emergency department). Shown after cancer (or not sure of the history) with a problem
    now, beside the back's (the bladder said there, once); not without a cancer or with
    nothing hurting now."""
    _, outcome = _asked({**where, "age": age, "health_history": history,
                         "cancer_nerve_pain": "no"})
    notes = {r.id: r for r in outcome.safety_net}
    due = bool(history & set(CANCER)) and where["problem_now"] in ("yes", "not_sure")
    if _at_least(outcome, "emergency_department"):
        assert "sn_cancer_spine" not in notes, (outcome.disposition, sorted(notes))
        return
    assert ("sn_cancer_spine" in notes) == due, (outcome.disposition, sorted(notes))
    if due:
        note = notes["sn_cancer_spine"]
        assert "sn_back_pain" in notes
        assert "weakness in an arm or a leg" in note.reason["en"]
        assert "faiblesse dans un bras ou une jambe" in note.reason["fr"]
        caller = caller_reason(PACK, note, "en")
        assert caller.startswith("The person should go to the emergency department"), caller
        said = _bladder_notes(outcome)
        assert len(said) == 4 and all(len(ids) == 1 for ids in said.values()), said


def test_the_named_later_sweep_meets_a_result_with_the_cancer_watch_for() -> None:
    seen = set()
    for where in NAMED_LATER:
        _, outcome = _asked({**where, "health_history": frozenset({"cancer"}),
                             "cancer_nerve_pain": "no"})
        if any(r.id == "sn_cancer_spine" for r in outcome.safety_net):
            seen.add(outcome.disposition)
    assert "same_day" in seen
