"""The bundled pack 0.2.39 (clin-v): after cancer, the nerve answers' watch-for and the
emergency department's "tell them what you told us".

1. After cancer, new pain, numbness or tingling down an arm or a leg and no weakness
   (``cancer_nerve_pain`` "yes", a doctor today) with no back, neck or sciatica (no place
   chosen, or a knee or a shoulder) had no "Watch for": going to the emergency department if
   a limb gets weak, walking gets unsteady, or the bladder or bowels, and "tell them about
   the cancer", were only in the reason (hidden behind d in the terminal, collapsed on the
   web). ``sn_cancer_nerve_pain`` is shown there, worded for someone who already has the
   tingling (never "new numbness or tingling"), in a parent's words under 16, the health
   history told where it was "not sure", the bladder said once beside the back's watch-for,
   never beside the emergency department or 911. Swept: every place and none, pain named
   later, sciatica and an operation named, each history that asks the nerve question, ages
   from 8 to 88, each nerve answer; both languages and both voices.
2. The emergency department's "What to do" had no "Tell them what you told us", unlike the
   other doctor results (after cancer "tell them about the cancer" was only in the reason).
   Each voice and language says it now, in no more screen lines than the other results.

The pack's own cases are rules/tests/audit_0_2_39_v.yaml."""

from __future__ import annotations

import textwrap
from typing import Any

import pytest

from tests.ids import answers_id
from tests.test_clinical_audit_0_2_22_h import PACK, _at_least, _fired
from tests.test_clinical_audit_0_2_36_u import (
    CANCER,
    EVERYWHERE,
    NAMED,
    NAMED_LATER,
    _asked,
    _bladder_notes,
)
from triage.engine.outcome import Outcome
from triage.render.caller import caller_reason

NOTE = "sn_cancer_nerve_pain"
SPINE = "sn_cancer_spine"
HISTORIES = [*(frozenset({c}) for c in CANCER), frozenset({"cancer", "not_sure"}),
             frozenset({"chemo", "high_bp"})]
AGES = [15, 16, 65]  # either side of the child band, and an older adult (CI time: see the commit)
WHERE_ALL = [*EVERYWHERE, *(w for w in NAMED_LATER if w["problem_now"] != "no")]
CONDITIONS = [frozenset(), frozenset({"sciatica"}), frozenset({"surgery_rehab"}),
              frozenset({"arthritis"})]


def _cases() -> list[dict[str, Any]]:
    return [{**where, "health_history": history, "age": age, "cancer_nerve_pain": answer,
             **({"conditions": where.get("conditions", frozenset()) | conditions})}
            for where in WHERE_ALL for history in HISTORIES for age in AGES
            for answer in ("yes", "not_sure", "weakness", "no") for conditions in CONDITIONS]


def _note(outcome: Outcome, rid: str) -> Any:
    return next((r for r in outcome.safety_net if r.id == rid), None)


@pytest.mark.parametrize("answers", _cases(), ids=answers_id)
def test_after_cancer_nerve_pain_below_the_emergency_department_has_a_limb_watch_for(
        answers: dict[str, Any]) -> None:
    """On 0.2.38: 65, cancer, nothing hurts, tingling down a limb, no weakness: a doctor
    today with no "Watch for" (the emergency department's signs only in the reason)."""
    asked, outcome = _asked(answers)
    note, spine = _note(outcome, NOTE), _note(outcome, SPINE)
    if _at_least(outcome, "emergency_department"):
        assert note is None and spine is None, (outcome.disposition, sorted(_fired(outcome)))
        return
    nerve = ("cancer_nerve_pain" in asked and answers["cancer_nerve_pain"] in ("yes", "not_sure"))
    assert nerve == ("cancer_with_nerve_pain" in _fired(outcome))
    if not nerve:
        assert note is None, (outcome.disposition, sorted(_fired(outcome)))
        return
    # a cancer watch-for: the spine's with the neck or the back chosen, else this one (both
    # with many places, a problem with no place, sciatica or pain named later)
    explicit = bool(answers["areas"] & {"neck", "upper_back", "low_back"})
    assert (note is None) == explicit, (outcome.disposition, sorted(_fired(outcome)))
    if note is None:
        assert spine is not None, (outcome.disposition, sorted(_fired(outcome)))
        return
    child = answers["age"] < 16
    named = bool(answers["health_history"] & NAMED)
    en, fr = note.reason["en"], note.reason["fr"]
    assert en.startswith("Go to the emergency department at once if "), en
    assert fr.startswith("Allez à l'urgence tout de suite si "), fr
    assert ("your child's arm or leg gets weak" in en) == child, en
    assert ("an arm or a leg gets weak" in en) != child, en
    assert ("un bras ou une jambe de votre enfant devient faible" in fr) == child, fr
    assert "walking gets unsteady or clumsy" in en
    assert "instable ou maladroite" in fr
    # someone who already has the tingling is not told "new numbness or tingling"
    for text in (en, fr, caller_reason(PACK, note, "en"), caller_reason(PACK, note, "fr")):
        assert not any(w in text.lower() for w in ("numb", "tingl", "engourd", "picot")), text
    assert ("Tell them about the cancer." in en) == named, en
    assert ("Parlez-leur du cancer." in fr) == named, fr
    assert ("health history" in en) != named, en
    assert ("antécédents de santé" in fr) != named, fr
    for lang in ("en", "fr"):
        caller = caller_reason(PACK, note, lang)
        assert caller.startswith(("The person should go to the emergency department at once",
                                  "La personne doit aller à l'urgence tout de suite")), caller
        assert "your" not in caller and "votre" not in caller and "vous" not in caller, caller
        assert ("cancer" in caller) == named, caller
    # the bladder said once: here, or in the back's watch-for beside it
    back = _note(outcome, "sn_back_pain") is not None
    assert ("bladder" in en) != back, en
    assert ("vessie" in fr) != back, fr
    said = _bladder_notes(outcome)
    assert len(said) == 4 and all(len(ids) == 1 for ids in said.values()), said


@pytest.mark.long(28)
def test_the_sweep_meets_each_form_of_the_nerve_watch_for() -> None:
    seen = set()
    for answers in _cases():
        _, outcome = _asked(answers)
        note = _note(outcome, NOTE)
        if note is not None:
            seen.add((outcome.disposition, answers["age"] < 16,
                      bool(answers["health_history"] & NAMED),
                      _note(outcome, "sn_back_pain") is not None))
    assert {(d, c, n, b) for d in ("same_day",) for c in (True, False)
            for n in (True, False) for b in (True, False)} <= seen, sorted(seen)


def test_the_finding_65_cancer_nothing_hurts_tingling() -> None:
    _, outcome = _asked({"areas": frozenset(), "problem_somewhere": "no",
                         "reasons": frozenset({"relaxation"}), "age": 65,
                         "health_history": frozenset({"cancer"}), "cancer_nerve_pain": "yes"})
    assert outcome.disposition == "same_day"
    assert [r.id for r in outcome.safety_net] == [NOTE]


# ------------------------------------------------ 2. the emergency department's "What to do"

DOCTORS = ["emergency_department", "same_day", "doctor_soon", "doctor_first"]
TOLD = {("action", "en"): "Tell the staff what you told us.",
        ("action", "fr"): "Dites au personnel ce que vous nous avez dit.",
        ("child_action", "en"): "Tell the staff what you told us.",
        ("child_action", "fr"): "Dites au personnel ce que vous nous avez dit.",
        ("caller_action", "en"): "tell the staff what was said on this call",
        ("caller_action", "fr"): "dire au personnel ce qui a été dit pendant cet appel"}
PREFIX = {("action", "en"): "What to do: ", ("action", "fr"): "Que faire : ",
          ("child_action", "en"): "What to do: ", ("child_action", "fr"): "Que faire : ",
          ("caller_action", "en"): "Tell the caller: ",
          ("caller_action", "fr"): "Dites à la personne qui appelle : "}


def _texts(field: str) -> dict[str, dict[str, Any]]:
    return {"action": PACK.dispositions, "caller_action": PACK.caller_dispositions,
            "child_action": PACK.child_dispositions}[field]


def _lines(disposition: str, field: str, lang: str) -> int:
    text = _texts(field)[disposition]
    said = text["action"][lang]
    if field == "caller_action":  # reception reads "if worse" on the same line
        said += " " + text["if_worse"][lang]
    return len(textwrap.wrap(PREFIX[field, lang] + said, 80))


@pytest.mark.parametrize(("field", "lang"), list(TOLD))
def test_the_emergency_department_says_tell_them_what_you_told_us(field: str,
                                                                  lang: str) -> None:
    assert TOLD[field, lang] in _texts(field)["emergency_department"]["action"][lang]
    # no more screen lines (80 columns) than the longest other doctor result
    most = max(_lines(d, field, lang) for d in DOCTORS[1:] if d in _texts(field))
    assert _lines("emergency_department", field, lang) <= most
