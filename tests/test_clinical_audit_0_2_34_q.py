"""The bundled pack 0.2.35: the safety-netting gaps the clinical audit of 0.2.34 (clin-q)
found in what a person sees.

1. Stroke signs in the last 2 weeks that went away (``recent_stroke_signs``: a mini-stroke)
   sent to the emergency department or a doctor today, and the result never said to call
   911 at once if a sign comes back (Heart & Stroke Foundation: call even if the signs have
   gone). 70, an arm weak for 30 minutes yesterday, a low back ache: "Watch for" empty.
2. A feverish baby of 5 months was told adult signs to call 911 for (confusion, a stiff
   neck), not the signs a parent can see (NICE NG143, fever in under 5s).

Swept: every answer of ``recent_stroke_signs`` at every place, at ages around each band,
alone and with answers that make the result more or less urgent: the note is shown, in both
languages and both voices, with every result but 911, and never after "No". A fever or an
infection at every age from 0 to 20 at every place: under 5 the child's signs, from 5 the
others, in both languages and both voices.

The pack's own cases are rules/tests/audit_0_2_34_q.yaml."""

from __future__ import annotations

from typing import Any

import pytest

from tests.ids import answers_id
from tests.test_clinical_audit_0_2_20_f import WHERE
from tests.test_clinical_audit_0_2_22_h import PACK, _asked
from triage.engine.outcome import Outcome
from triage.render.caller import caller_reason

STROKE_NOTE = "sn_recent_stroke_signs"
COUNTS = ["within_2_days", "days_3_to_14", "not_sure"]
# answers that move the result: none, a fever (a doctor today or the emergency department),
# an emergency sign (911: no note, whose only message is to call), a sign not sure about
MORE: list[dict[str, Any]] = [
    {}, {"today_signs": frozenset({"fever"})}, {"emergency_signs": frozenset({"face_droop"})},
    {"today_signs": frozenset({"not_sure"})}, {"health_history": frozenset({"not_sure"})}]
AGES = [0, 4, 5, 15, 16, 40, 64, 65, 80]


def _net(outcome: Outcome, rid: str) -> Any:
    return next((r for r in outcome.safety_net if r.id == rid), None)


def _stroke_cases() -> list[dict[str, Any]]:
    around = [{"recent_stroke_signs": a, "age": age, "areas": frozenset({"low_back"})}
              for a in COUNTS for age in AGES]
    return [{"recent_stroke_signs": a, "age": age, **where, **more}
            for a in [*COUNTS, "no"] for where in WHERE for age in (16, 70)
            for more in MORE] + around


@pytest.mark.parametrize("answers", _stroke_cases(), ids=answers_id)
def test_a_mini_stroke_is_told_to_call_911_if_a_sign_comes_back(answers: dict[str, Any]) -> None:
    asked, outcome = _asked(answers)
    note = _net(outcome, STROKE_NOTE)
    if outcome.disposition == "emergency":
        assert note is None  # 911 now is the only message (here the questionnaire stops)
        return
    if "recent_stroke_signs" not in asked:
        # the questionnaire stopped at the emergency department, where no answer goes further
        assert outcome.disposition == "emergency_department"
        return
    if answers["recent_stroke_signs"] == "no":
        assert STROKE_NOTE not in {r.id for r in outcome.fired}
        return
    assert note is not None, outcome.disposition
    en, fr = note.reason["en"], note.reason["fr"]
    assert "911" in en and "comes back" in en and "Do not drive" in en
    assert "911" in fr and "revient" in fr and "Ne conduisez pas" in fr
    for sign_en, sign_fr in [("face drooping", "visage affaissé"), ("one side", "d'un côté"),
                             ("speaking", "parler"), ("vision", "vision"),
                             ("balance", "équilibre")]:
        assert sign_en in en and sign_fr in fr
    said_en, said_fr = caller_reason(PACK, note, "en"), caller_reason(PACK, note, "fr")
    assert "911" in said_en and "The person should not drive" in said_en
    assert "911" in said_fr and "La personne ne doit pas conduire" in said_fr


def test_the_mini_stroke_note_meets_each_result_below_911() -> None:
    """The sweep above reached the emergency department and a doctor today with the note
    (the dispositions ``recent_stroke_signs`` leads to)."""
    seen = set()
    for answers in _stroke_cases():
        if answers["recent_stroke_signs"] != "no":
            _, outcome = _asked(answers)
            if _net(outcome, STROKE_NOTE) is not None:
                seen.add(outcome.disposition)
    assert {"emergency_department", "same_day"} <= seen


FEVERS = [frozenset({"fever"}), frozenset({"acute_infection"}),
          frozenset({"fever", "acute_infection"})]


def _fever_cases() -> list[dict[str, Any]]:
    return [{"age": age, "today_signs": signs, **where}
            for age in range(0, 21) for signs in FEVERS for where in WHERE]


@pytest.mark.parametrize("answers", _fever_cases(), ids=answers_id)
def test_a_feverish_child_under_5_is_told_the_signs_a_parent_can_see(
        answers: dict[str, Any]) -> None:
    _, outcome = _asked(answers)
    assert outcome.disposition != "emergency"
    note = _net(outcome, "sn_fever")
    assert note is not None, outcome.disposition
    en, fr = note.reason["en"], note.reason["fr"]
    said_en, said_fr = caller_reason(PACK, note, "en"), caller_reason(PACK, note, "fr")
    assert all("911" in s for s in (en, fr, said_en, said_fr))
    child = answers["age"] < 5
    for words, lang_texts in [(["floppy", "hard to wake", "feeding", "high-pitched", "blotchy",
                                "blue", "does not fade", "trouble breathing"], (en, said_en)),
                              (["mou", "difficile à réveiller", "refuse de boire", "aigus",
                                "marbrée", "bleutée", "ne pâlissent pas",
                                "difficulté à respirer"], (fr, said_fr))]:
        for text in lang_texts:
            assert all(w in text for w in words) == child, text
    for text in (en, said_en):
        assert ("confusion" in text) != child and ("stiff neck" in text) != child
    for text in (fr, said_fr):
        assert ("confusion" in text) != child and ("cou raide" in text) != child
    assert ("your child" in en) == child and "your" not in said_en
    assert ("votre enfant" in fr) == child and "votre" not in said_fr
