"""The bundled pack 0.2.36: safety-netting gaps of open point 49 (clinical audit clin-q of
0.2.34), items b, c and d.

b. Spinal cord signs getting worse fast (62, neck pain, clumsy hands and unsteady walking
   getting worse over days: a doctor today) had only the neck artery's watch-for; now
   ``sn_spinal_cord_fast``: the emergency department at once if an arm or a leg gets weak,
   walking gets much harder, or the bladder or bowels fail.
c. After cancer with new back pain (a doctor within 1 to 3 days) the watch-for named both
   legs only; now ``sn_cancer_spine`` names one arm or leg, trouble walking, the bladder or
   bowels, and pain round the chest or worse lying down (NICE NG234).
d. A hot swollen joint (a doctor today) had no watch-for; now ``sn_hot_joint``: the
   emergency department if a fever or shivers come too, or very unwell; not with a fever
   already said.

Swept: every place, ages, every answer that reaches each note (and those that must not), in
both languages and both voices; never with the emergency department or 911.

The pack's own cases are rules/tests/audit_0_2_35_s.yaml."""

from __future__ import annotations

from typing import Any

import pytest

from tests.ids import answers_id
from tests.test_clinical_audit_0_2_20_f import PLACES, WHERE
from tests.test_clinical_audit_0_2_22_h import PACK, _asked, _at_least
from triage.engine.outcome import Outcome
from triage.render.caller import caller_reason


def _net(outcome: Outcome, rid: str) -> Any:
    return next((r for r in outcome.safety_net if r.id == rid), None)


def _texts(note: Any) -> tuple[str, str, str, str]:
    return (note.reason["en"], note.reason["fr"], caller_reason(PACK, note, "en"),
            caller_reason(PACK, note, "fr"))


# ------------------------------------------------------------------ b. spinal cord signs
CORD = "sn_spinal_cord_fast"
SIGNS = [frozenset(), frozenset({"clumsy_hands", "unsteady_walking"}),
         frozenset({"both_hands_numb"}), frozenset({"electric_shock"}), frozenset({"not_sure"})]
HISTORY = [frozenset(), frozenset({"cancer"})]


def _cord_cases() -> list[dict[str, Any]]:
    return [{"myelopathy_signs": signs, "myelopathy_fast": fast, "age": age,
             "health_history": history, **where}
            for signs in SIGNS for fast in ["yes", "no", "not_sure"] for age in (30, 62)
            for history in HISTORY for where in WHERE]


@pytest.mark.parametrize("answers", _cord_cases(), ids=answers_id)
def test_cord_signs_getting_worse_fast_are_told_the_limb_and_bladder_warning(
        answers: dict[str, Any]) -> None:
    asked, outcome = _asked(answers)
    note = _net(outcome, CORD)
    # 0.2.38 (clin-u): every cord sign ticked or not sure is told it, however fast (a sign not
    # sure about, where how fast is not asked; slow signs, a doctor first); the bladder and
    # bowels are left to the back's watch-for where it is shown (said once):
    # tests/test_clinical_audit_0_2_36_u.py sweeps that class
    if ("myelopathy_signs" not in asked or not answers["myelopathy_signs"]
            or _at_least(outcome, "emergency_department")):
        assert note is None, outcome.disposition
        return
    assert note is not None, outcome.disposition
    en, fr, said_en, said_fr = _texts(note)
    back = _net(outcome, "sn_back_pain") is not None
    for text in (en, said_en):
        assert "emergency department at once" in text
        assert all(w in text for w in ("an arm or a leg", "walking"))
        assert all((w in text) != back for w in ("pee", "bladder", "bowels"))
    for text in (fr, said_fr):
        assert "l'urgence tout de suite" in text
        assert all(w in text for w in ("un bras ou une jambe", "marche"))
        assert all((w in text) != back for w in ("uriner", "vessie", "selles"))
    assert "your" not in said_en and "vous" not in said_fr


def test_the_cord_note_meets_a_doctor_today() -> None:
    seen = {_asked(a)[1].disposition for a in _cord_cases() if _net(_asked(a)[1], CORD)}
    assert "same_day" in seen


# ------------------------------------------------------------------ c. after cancer, spine
CANCER = "sn_cancer_spine"
SPINE = {"neck", "upper_back", "low_back"}
HISTORIES = [frozenset(), frozenset({"cancer"}), frozenset({"chemo"}), frozenset({"not_sure"}),
             frozenset({"high_bp"})]


def _cancer_cases() -> list[dict[str, Any]]:
    return [{"health_history": history, "age": age, **where}
            for history in HISTORIES for age in (18, 58, 80) for where in WHERE]


@pytest.mark.parametrize("answers", _cancer_cases(), ids=answers_id)
def test_back_pain_after_cancer_is_told_the_signs_of_cord_compression(
        answers: dict[str, Any]) -> None:
    _, outcome = _asked(answers)
    note = _net(outcome, CANCER)
    history = answers["health_history"] & {"cancer", "chemo", "not_sure"}
    areas = answers["areas"]
    if not history or _at_least(outcome, "emergency_department"):
        assert note is None, outcome.disposition
        return
    if areas and not areas & SPINE and len(areas) == 1 and areas != {"whole_body"}:
        assert note is None, areas  # one place, not the spine
        return
    if areas & SPINE:
        assert note is not None, outcome.disposition
    if note is None:
        return
    en, fr, said_en, said_fr = _texts(note)
    # 0.2.38 (clin-u): the bladder and bowels are the back's watch-for's where it is shown
    back = _net(outcome, "sn_back_pain") is not None
    for text in (en, said_en):
        assert all(w in text for w in ("emergency department at once", "numbness", "tingling",
                                       "weakness in an arm or a leg", "trouble walking",
                                       "round", "chest", "worse lying down"))
        assert ("bladder or bowel" in text) != back
    for text in (fr, said_fr):
        assert all(w in text for w in ("l'urgence tout de suite", "engourdissement",
                                       "picotements", "un bras ou une jambe", "marcher",
                                       "poitrine", "position couchée"))
        assert ("vessie ou d'intestin" in text) != back
    assert "your" not in said_en and "vous" not in said_fr


def test_the_cancer_note_meets_each_place_of_the_spine() -> None:
    for place in sorted(SPINE):
        _, outcome = _asked({"health_history": frozenset({"cancer"}), "age": 58,
                             "areas": frozenset({place})})
        assert _net(outcome, CANCER) is not None, place
    assert "whole_body" in PLACES


# ------------------------------------------------------------------ d. hot swollen joint
HOT = "sn_hot_joint"
TODAY = [frozenset({"hot_joint"}), frozenset({"hot_joint", "fever"}), frozenset({"fever"}),
         frozenset(), frozenset({"hot_joint", "acute_infection"})]


def _hot_cases() -> list[dict[str, Any]]:
    return [{"today_signs": signs, "age": age, **where}
            for signs in TODAY for age in (4, 16, 52, 80) for where in WHERE]


@pytest.mark.parametrize("answers", _hot_cases(), ids=answers_id)
def test_a_hot_swollen_joint_is_told_the_emergency_department_if_a_fever_comes(
        answers: dict[str, Any]) -> None:
    _, outcome = _asked(answers)
    note = _net(outcome, HOT)
    signs = answers["today_signs"]
    if ("hot_joint" not in signs or "fever" in signs
            or _at_least(outcome, "emergency_department")):
        assert note is None, outcome.disposition  # never "if a fever comes" with a fever
        return
    assert note is not None, outcome.disposition
    en, fr, said_en, said_fr = _texts(note)
    for text in (en, said_en):
        assert all(w in text for w in ("emergency department", "fever", "shivers",
                                       "very unwell"))
    for text in (fr, said_fr):
        assert all(w in text for w in ("l'urgence", "fièvre", "frissons", "très mal"))
    assert "your" not in said_en and "vous" not in said_fr


def test_the_hot_joint_note_meets_a_doctor_today() -> None:
    seen = {_asked(a)[1].disposition for a in _hot_cases() if _net(_asked(a)[1], HOT)}
    assert "same_day" in seen
