"""The bundled pack 0.2.31: a clinical audit of the therapy results of 0.2.30 (clin-n). Two
classes of answer sets ended in massage or physiotherapy where the references (section 2)
say never, or a doctor first:

1. a time window that leaves out the condition still present: a clot more than 6 months ago
   that is still being treated, or one a doctor suspects (a known or suspected clot, a
   systemic contraindication), could not be ticked, nor a bone broken more than 3 months ago
   that has not healed (a local one);
2. a local contraindication whose cause is unknown goes to a doctor first, and a rash or
   skin infection had one answer whatever its cause (a wound and a lump had two since 0.2.10).

Each is swept over every place (several, none, nothing hurting), ages 16 to 95 and every
reason for coming. The pack's own cases are rules/tests/audit_0_2_30_n.yaml."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.ids import answers_id
from tests.test_clinical_audit_0_2_20_f import NOT_SURE_NO_PLACE, PLACES, WHERE, _at_least
from tests.test_clinical_audit_0_2_22_h import PACK, _asked, _fired, _option
from tests.test_clinical_pack import rule_by_id
from triage.engine.policy import THERAPY

AGES = [16, 17, 40, 64, 65, 95]
REASONS = [o.id for o in PACK.question_by_id["reasons"].options or ()]
TODAY = PACK.question_by_id["today_signs"].options or ()
# the options of today's signs whose cause nobody knows (a doctor first: references section
# 2): those that say so, and the rash's second answer, every rash the first is not (review
# rev-q: "any other rash or skin infection, even one that is spreading")
NO_CLEAR_CAUSE = [o.id for o in TODAY
                  if "no clear cause" in o.text["en"] or o.text["en"].startswith("Any other")]


def _with(where: dict[str, Any], reason: str) -> dict[str, Any]:
    """A reason for coming, on top of the place (nothing hurting keeps its relaxation)."""
    reasons = where.get("reasons", frozenset()) | {reason}
    return {**where, "reasons": reasons}


# ------------------------------------------------ 1: an older clot or fracture still there

def test_the_clot_and_the_broken_bone_name_the_older_one_still_there() -> None:
    clot = _option("health_history", "recent_clot").text
    assert clot["en"].endswith("in the last 6 months, an older one still being treated, or one "
                               "a doctor suspects")
    assert clot["fr"].endswith("au cours des 6 derniers mois, un plus ancien encore traité, ou "
                               "un caillot soupçonné par un médecin")
    bone = _option("health_history", "recent_fracture").text
    assert bone["en"] == "A broken bone in the last 3 months, or an older one not healed yet"
    assert bone["fr"] == "Un os cassé au cours des 3 derniers mois, ou plus ancien et pas " \
                         "encore guéri"


def test_the_reasons_say_still_treated_and_not_healed() -> None:
    flag = rule_by_id(PACK, "recent_clot_history")
    for reason in (flag.reason, *(r for _, r in flag.reason_when)):
        assert "still being treated" in reason["en"], reason["en"]
        assert "suspect" in reason["en"], reason["en"]
        assert "encore traité" in reason["fr"], reason["fr"]
        assert "soupçonn" in reason["fr"], reason["fr"]
    assert flag.definite_label is not None
    assert "still treated or suspected" in flag.definite_label["en"]
    bone = rule_by_id(PACK, "ci_recent_fracture").reason
    assert "or has not healed yet" in bone["en"] and "pas encore guéri" in bone["fr"]


@pytest.mark.parametrize("age", AGES)
@pytest.mark.parametrize("where", WHERE, ids=answers_id)
def test_a_clot_still_being_treated_is_a_doctor_first_whatever_brought_the_person(
        where: dict[str, Any], age: int) -> None:
    """On 0.2.30 a clot 8 months ago, still treated, could not be ticked: on blood thinners
    alone, massage (gentle pressure); a clot a doctor suspects, massage. Ticked, every place
    and reason: never therapy, the clot's flag decides at least, and the signs of a clot in
    the lung are told."""
    for reason in REASONS:
        asked, outcome = _asked({**_with(where, reason), "age": age,
                                 "health_history": frozenset({"recent_clot",
                                                              "blood_thinners"})})
        assert "health_history" in asked
        assert outcome.disposition not in THERAPY, reason
        assert _at_least(outcome, "doctor_first"), reason
        assert {"recent_clot_history", "ci_suspected_clot", "sn_after_surgery"} \
            <= _fired(outcome), reason


@pytest.mark.parametrize("age", AGES)
@pytest.mark.parametrize("where", WHERE, ids=answers_id)
def test_a_bone_not_healed_yet_is_told_to_the_therapist(where: dict[str, Any],
                                                        age: int) -> None:
    """Every therapy result with the broken bone ticked says where not to press (and some
    reason ends in therapy, wherever a place or nothing hurting was given: "not sure" with
    no place is a doctor today, weakness with nothing hurting)."""
    therapies = 0
    for reason in REASONS:
        _, outcome = _asked({**_with(where, reason), "age": age,
                             "health_history": frozenset({"recent_fracture"})})
        if outcome.disposition in THERAPY:
            therapies += 1
            assert "ci_recent_fracture" in _fired(outcome), reason
    assert therapies or where is NOT_SURE_NO_PLACE


@pytest.mark.parametrize(("place", "signs"), [("arm", "arm_injury_signs"),
                                              *((p, "leg_injury_signs")
                                                for p in ("leg", "knee", "ankle_foot"))])
def test_a_bone_not_healed_yet_asks_the_limb_injury_signs(place: str, signs: str) -> None:
    """A cast too tight, or pain out of proportion, after a broken bone (score
    limb_injury_to_check): the bone not healed yet reads as a recent one."""
    asked, _ = _asked({"areas": frozenset({place}), "injury": "none",
                       "health_history": frozenset({"recent_fracture"})})
    assert signs in asked
    asked, _ = _asked({"areas": frozenset({place}), "injury": "none"})
    assert signs not in asked


# ------------------------------------------------ 2: a rash whose cause nobody knows

def test_the_rash_has_two_answers_as_the_wound_has() -> None:
    """The second answer is every rash the first is not (review rev-q: both said "not
    spreading", so a growing ring after a tick bite had no box and got massage)."""
    assert NO_CLEAR_CAUSE == ["open_wound_unchecked", "rash_unchecked"]
    checked = _option("today_signs", "skin_infection").text
    assert checked["en"] == "A rash or skin infection, not spreading, clear cause or seen by " \
                            "a doctor"
    assert checked["fr"].endswith("qui ne s'étend pas, qui a une cause claire ou qu'un "
                                  "médecin a vue")
    unchecked = _option("today_signs", "rash_unchecked").text
    assert unchecked["en"] == "Any other rash or skin infection, even one that is spreading"
    assert unchecked["fr"] == "Toute autre éruption ou infection de la peau, même si elle " \
                              "s'étend"
    label = rule_by_id(PACK, "unchecked_rash").label
    assert label is not None and "spreading" in label["en"] and "s'étend" in label["fr"]


# a text that says someone checked or saw a sign (EN; FR: vérifiée, « a vue », « vue par »)
_CHECKED = {"en": re.compile(r"\b(checked|seen|saw)\b"),
            "fr": re.compile(r"\bvérifiée?s?\b|\ba vue\b|\bvue par\b")}
_WHO = {"en": ("doctor",), "fr": ("médecin",)}


def test_an_answer_that_says_checked_says_by_whom() -> None:
    """Review rev-q: "with a clear cause or checked" said by no one, and a person who looked
    at the rash (or whose husband did) took it for theirs and got massage. Every option of
    every question, both languages and voices: a sign someone checked or saw names a doctor
    (the wound's answers add a nurse)."""
    said = 0
    for question in PACK.questions:
        for option in question.options or ():
            for text in (option.text, option.caller_text):
                for lang, pattern in _CHECKED.items():
                    if text is not None and pattern.search(text[lang]):
                        said += 1
                        assert any(w in text[lang] for w in _WHO[lang]), \
                            (question.id, option.id, text[lang])
    assert said >= 8  # the wound's, the rash's and the lump's answers, in both languages


def test_the_rash_that_keeps_therapy_is_the_only_one_that_is_not_spreading() -> None:
    """Every option of today's signs that says "not spreading" is one that keeps therapy
    (the note only); a rash or skin infection that is spreading is read by a doctor first
    or sooner (the second answer; red, hot and swollen: a doctor today)."""
    not_spreading = [o.id for o in TODAY
                     if "not spreading" in o.text["en"] or "ne s'étend pas" in o.text["fr"]]
    assert not_spreading == ["skin_infection"]
    spreading = [o.id for o in TODAY if o.id not in not_spreading
                 and "spreading" in o.text["en"] and "s'étend" in o.text["fr"]]
    assert spreading == ["spreading_skin_infection", "rash_unchecked"]
    for sign in spreading:
        _, outcome = _asked({"areas": frozenset({"upper_back"}), "age": 50,
                             "today_signs": frozenset({sign}),
                             "reasons": frozenset({"stiffness"})})
        assert _at_least(outcome, "doctor_first"), sign


@pytest.mark.parametrize("sign", NO_CLEAR_CAUSE)
@pytest.mark.parametrize("age", AGES)
@pytest.mark.parametrize("where", WHERE, ids=answers_id)
def test_a_local_sign_with_no_clear_cause_is_a_doctor_first(
        where: dict[str, Any], age: int, sign: str) -> None:
    """References section 2: a local contraindication is "DR-FIRST if cause unknown". Every
    option of today's signs that says no clear cause, every place, age and reason: never
    therapy; the skin's note is kept for the therapist (a therapy booked later)."""
    for reason in REASONS:
        asked, outcome = _asked({**_with(where, reason), "age": age,
                                 "today_signs": frozenset({sign})})
        assert "today_signs" in asked
        assert outcome.disposition not in THERAPY, reason
        assert _at_least(outcome, "doctor_first"), reason
        if sign == "rash_unchecked":
            assert {"unchecked_rash", "ci_skin_infection"} <= _fired(outcome), reason


@pytest.mark.parametrize("place", PLACES)
def test_a_rash_with_a_clear_cause_keeps_its_therapy_with_the_note(place: str) -> None:
    """The near miss: eczema a doctor diagnosed is the first answer, therapy avoiding the
    skin (no doctor first for a rash everyone knows)."""
    _, outcome = _asked({"areas": frozenset({place}), "age": 30,
                         "today_signs": frozenset({"skin_infection"}),
                         "reasons": frozenset({"stiffness"})})
    fired = _fired(outcome)
    assert "ci_skin_infection" in fired
    assert "unchecked_rash" not in fired
