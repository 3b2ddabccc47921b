"""The bundled pack 0.2.37: what a person sees, open point 49 (clinical audit clin-q of
0.2.34), items a and e.

a. The age question says a parent may answer for a child, but results for a child spoke to
   the child ("if you feel very unwell", "ask someone to drive you"). The pack's
   ``child_when`` ("age < 16") now chooses each disposition's ``child_*`` texts and the
   safety nets' ``age < 16`` branches ("your child"); adults keep their own words. A child
   with a sore hip, leg, knee or foot is told when to be seen today or go to the emergency
   department (``sn_child_limp``; NICE CKS Limp in children, consensus).
e. The emergency department's "now, within a few hours" sat beside reasons that say "do not
   wait": the disposition itself now says "now: do not wait" and "Now, at once", in every
   voice.

Swept: every place, ages 0 to 15, 16 and 20, in both languages and both voices (the patient's result
and the reception summary). The pack's own cases are rules/tests/audit_0_2_36_t.yaml."""

from __future__ import annotations

from typing import Any

import pytest

from tests.ids import answers_id
from tests.test_clinical_audit_0_2_20_f import WHERE
from tests.test_clinical_audit_0_2_22_h import PACK, _asked, _at_least
from triage.engine.outcome import Outcome
from triage.render.caller import booking_summary, caller_reason
from triage.render.result import outcome_text

CHILD_AGES = [0, 1, 2, 4, 5, 9, 12, 15]
ADULT_AGES = [16, 20]
# a few presentations a child may come with, at every place (each reaches a different result)
STORIES: list[dict[str, Any]] = [
    {},
    {"today_signs": frozenset({"fever"})},
    {"injury": "last_2_days", "head_injury": "last_2_days",
     "head_injury_signs": frozenset({"vomited_once"})},
    {"can_walk_4_steps": "no"},
    # sciatica names the leg after another place: the walking question is asked again
    {"conditions": frozenset({"sciatica"}), "ces_signs_later": frozenset(),
     "can_walk_4_steps": "no", "can_walk_4_steps_later": "no"},
    {"recent_stroke_signs": "days_3_to_14"},
]

# words that speak to the person about their own body or care, in the texts a child's result
# shows from the pack: each has a parent's form ("your child")
TO_THE_PERSON = {
    "en": ["you feel very unwell", "drive you,", "Do not drive yourself", "if you get",
           "before you start therapy", "Do not stay alone", "between your legs", "Do not drive.",
           "you cannot pee", "or you feel", "Look after yourself"],
    "fr": ["vous vous sentez très mal", "de vous conduire", "Ne conduisez pas vous-même",
           "si vous avez", "avant de commencer la thérapie", "rester avec vous",
           "Ne conduisez pas.", "Prenez soin de vous"],
}
# the notes whose words a helper working on cancer and cord signs (clin-u, 0.2.38) may
# change: their child forms are left to it (docs/clinical-safety.md, Changes in 0.2.37)
LEFT = {"sn_spinal_cord_fast", "sn_cancer_spine"}


def _cases(ages: list[int]) -> list[dict[str, Any]]:
    return [{**where, **story, "age": age} for age in ages for story in STORIES
            for where in WHERE]


def _shown(outcome: Outcome, lang: str) -> str:
    """What the patient's result shows from the pack, apart from the red flags' reasons
    (which say why, in the person's voice still: open point 49 a, left)."""
    advice = [PACK.text(v, lang) for v in outcome.advice.values()]
    nets = [PACK.text(r.reason, lang) for r in outcome.safety_net if r.id not in LEFT]
    return "\n".join(advice + nets)


@pytest.mark.parametrize("answers", _cases(CHILD_AGES), ids=answers_id)
def test_a_childs_result_speaks_to_the_parent(answers: dict[str, Any]) -> None:
    _, outcome = _asked(answers)
    own = PACK.dispositions[outcome.disposition]
    assert outcome.disposition in PACK.child_dispositions, outcome.disposition
    for lang, words in TO_THE_PERSON.items():
        shown = _shown(outcome, lang)
        assert not [w for w in words if w in shown], (lang, shown)
        child = "your child" if lang == "en" else "votre enfant"
        # every part the pack words for a parent is shown so
        for part, text in PACK.child_dispositions[outcome.disposition].items():
            assert outcome.advice[part] == text != own[part]
            assert child in PACK.text(text, lang).lower(), (part, lang)
    # the screen shows them, as the JSON does
    screen = outcome_text(outcome, PACK, "en", plain=True)
    assert PACK.text(outcome.advice["action"], "en") in " ".join(screen.split())
    assert outcome.as_dict()["advice"]["action"] == outcome.advice["action"]


@pytest.mark.parametrize("answers", _cases(ADULT_AGES), ids=answers_id)
def test_an_adults_result_keeps_its_own_words(answers: dict[str, Any]) -> None:
    _, outcome = _asked(answers)
    assert outcome.advice is PACK.dispositions[outcome.disposition]
    for lang in ("en", "fr"):
        shown = _shown(outcome, lang)
        assert "child" not in shown and "enfant" not in shown, (lang, shown)


@pytest.mark.parametrize("answers", _cases(CHILD_AGES[::3] + ADULT_AGES), ids=answers_id)
def test_reception_reads_about_the_person_whoever_answers(answers: dict[str, Any]) -> None:
    _, outcome = _asked(answers)
    for lang in ("en", "fr"):
        said = booking_summary(outcome, PACK, lang)
        assert "your child" not in said and "votre enfant" not in said, said


LIMP_PLACES = {"hip_buttock", "leg", "knee", "ankle_foot", "whole_body"}


@pytest.mark.parametrize("answers", _cases(CHILD_AGES + ADULT_AGES), ids=answers_id)
def test_a_child_with_a_sore_hip_leg_knee_or_foot_is_told_when_to_be_seen(
        answers: dict[str, Any]) -> None:
    _, outcome = _asked(answers)
    note = next((r for r in outcome.safety_net if r.id == "sn_child_limp"), None)
    places = answers["areas"]
    leg = bool(places & LIMP_PLACES) or (
        not places and answers.get("problem_somewhere") in ("yes", "not_sure")) or (
        "sciatica" in outcome.answers.get("conditions", frozenset()))
    if answers["age"] >= 16 or not leg or _at_least(outcome, "emergency_department"):
        assert note is None, outcome.disposition
        return
    assert note is not None, outcome.disposition
    en, fr = note.reason["en"], note.reason["fr"]
    said_en, said_fr = caller_reason(PACK, note, "en"), caller_reason(PACK, note, "fr")
    assert "emergency department if your child" in en and "seems very unwell" in en
    assert "l'urgence" in fr and "semble très malade" in fr
    assert "your" not in said_en and "vous" not in said_fr and "The child" in said_en
    for text in (en, said_en):
        assert "knee can come from the hip" in text
    for text in (fr, said_fr):
        assert "peut venir de la hanche" in text
    # a sign already said (a fever, not walking) is not named as a sign to come
    fever = "fever" in answers.get("today_signs", frozenset())
    given = outcome.answers
    walks = "no" not in (given.get("can_walk_4_steps"), given.get("can_walk_4_steps_later"))
    assert ("a fever" in en) != fever and ("fait de la fièvre" in fr) != fever
    assert ("will not walk or put weight on the leg" in en) == walks
    assert ("ne veut pas marcher ou mettre du poids sur la jambe" in fr) == walks


def test_a_childs_knee_that_is_a_doctor_first_has_a_watch_for() -> None:
    for age in CHILD_AGES:
        _, outcome = _asked({"areas": frozenset({"knee"}), "age": age})
        # under 3, any sore leg is a doctor today (child_limp_fever)
        assert outcome.disposition == ("same_day" if age < 3 else "doctor_first")
        assert [r.id for r in outcome.safety_net] == ["sn_child_limp"]


# ------------------------------------------------- e. the emergency department: at once
def test_the_emergency_department_says_at_once_in_every_voice() -> None:
    own = PACK.dispositions["emergency_department"]
    voices = [own, {**own, **PACK.caller_dispositions["emergency_department"]},
              {**own, **PACK.child_dispositions["emergency_department"]}]
    for texts in voices:
        en, fr = texts["action"]["en"], texts["action"]["fr"]
        assert "now: do not wait" in en or "now, without waiting" in en, en
        assert "maintenant, sans attendre" in fr, fr
        assert texts["timeframe"] == {"en": "Now, at once", "fr": "Maintenant, tout de suite"}
        for part in ("label", "action", "timeframe", "if_worse"):
            assert "hours" not in texts[part]["en"] and "heures" not in texts[part]["fr"]


def test_no_emergency_department_flag_gives_hours_to_go() -> None:
    """A flag may say the condition must be treated within hours; none tells the person to
    go within hours (the head injury's "scan at the emergency department within hours")."""
    for rule in PACK.red_flag_rules:
        if rule.disposition != "emergency_department":
            continue
        for reason in (rule.reason, *(r for _, r in rule.reason_when)):
            assert "department within hours" not in reason["en"], rule.id
            assert "l'urgence d'ici quelques heures" not in reason["fr"], rule.id
