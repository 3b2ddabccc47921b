"""The bundled pack 0.2.30: a clinical audit of 0.2.29 (clin-m). Questions that ask when
something happened take one answer, so a person with two injuries, two knocks on the head or
two mini-strokes could give the older one and get a less urgent result: they ask for the most
recent time, and `triage verify` proves a more recent answer never less urgent over every
answer set (claim recency_respected: it found a knock 3 days to 4 weeks ago with one sign less
urgent than the same knock more than 4 weeks ago). A fever brought down by a medicine
counts; a drooping eyelid is a nerve sign with neck pain or headache; how a pain started is
asked for the most sudden one. The pack's own cases are rules/tests/audit_0_2_29_m.yaml."""

from __future__ import annotations

from typing import Any

import pytest

from tests.ids import answers_id
from tests.test_clinical_audit_0_2_22_h import KNOCKED, PACK, _asked, _at_least, _fired, _option

# the options of each question that asks when something happened, oldest first ("not sure"
# is compared with every answer by verify's not_sure_counts_as_yes)
WHEN = {
    "injury": ["older", "recent", "last_2_days"],
    "head_injury": ["longer_ago", "earlier", "last_2_days"],
    "head_injury_later": ["longer_ago", "earlier", "last_2_days"],
    "recent_stroke_signs": ["days_3_to_14", "within_2_days"],
}


def test_the_time_questions_list_their_times_for_triage_verify() -> None:
    """``recency`` (oldest first): `triage verify` proves a more recent answer is never less
    urgent (recency_respected; tests/authoring/test_verify_recency.py). It found one sign
    after a knock 3 days to 4 weeks ago less urgent than after a knock more than 4 weeks ago."""
    assert {q.id: list(q.recency) for q in PACK.questions if q.recency} == WHEN


def _said_in_both_voices(qid: str, en: str, fr: str) -> None:
    question = PACK.question_by_id[qid]
    assert question.caller_text is not None
    for text, words in ((question.text["en"], en), (question.caller_text["en"], en),
                        (question.text["fr"], fr), (question.caller_text["fr"], fr)):
        assert words in text, text


@pytest.mark.parametrize("qid", sorted(WHEN))
def test_the_question_asks_for_the_most_recent_time(qid: str) -> None:
    _said_in_both_voices(qid, "more than once, answer for the most recent time",
                         "fois la plus récente")


def test_the_signs_of_a_knock_count_from_the_first_knock() -> None:
    """The knock is asked for the most recent time, its signs since the first: knocked out
    3 weeks ago and a small knock yesterday, the signs answered for yesterday gave massage
    (review of 0.2.30)."""
    for qid in ("head_injury_signs", "head_injury_signs_later"):
        _said_in_both_voices(qid, "since the first knock, if there was more than one",
                             "depuis le premier coup, s'il y en a eu plus d'un")
    _said_in_both_voices("spine_injury", "(any of them, if there was more than one)",
                         "(n'importe laquelle, s'il y en a eu plus d'une)")


def test_how_a_pain_started_takes_the_first_answer_that_fits_in_order_of_urgency() -> None:
    """"The one that came on most suddenly" picked a neck crick over old back pain suddenly
    the worst ever (review of 0.2.30): the first answer that fits, most urgent first."""
    _said_in_both_voices("onset", "choose the first answer in this list that fits any of them",
                         "la première réponse de la liste qui convient à l'un d'eux")
    order = [o.id for o in PACK.question_by_id["onset"].options]
    assert order == ["sudden_severe", "suddenly_much_worse", "sudden", "gradual", "not_sure"]


def test_a_fever_or_shivers_a_medicine_brought_down_count() -> None:
    fever = _option("today_signs", "fever")
    assert fever.caller_text is not None
    for text in (fever.text["en"], fever.caller_text["en"]):
        assert "could not stop with feeling hot and cold, now or in the last 24 hours, even " \
               "if a medicine brought it down" in text
    for text in (fever.text["fr"], fever.caller_text["fr"]):
        assert "de froid, maintenant ou dans les dernières 24 heures, même si un médicament " \
               "les a fait baisser" in text


def test_a_drooping_eyelid_is_a_nerve_sign_with_neck_pain() -> None:
    option = _option("neck_neuro", "double_vision").text
    assert "drooping eyelid" in option["en"]
    assert "paupière qui s'est mise à tomber" in option["fr"]  # new, as the other signs
    _, outcome = _asked({"areas": frozenset({"neck", "head"}), "age": 40,
                         "neck_neuro": frozenset({"double_vision"})})
    assert outcome.disposition == "emergency"
    assert "neck_pain_neuro_new" in _fired(outcome)


SIGNS = ["passed_out", "memory_loss", "vomited_once"]


@pytest.mark.parametrize("sign", SIGNS)
@pytest.mark.parametrize(("where", "risk"), KNOCKED,
                         ids=[f"{answers_id(w)}; {answers_id(r)}" for w, r in KNOCKED])
def test_one_sign_after_a_knock_3_days_to_4_weeks_ago_is_the_emergency_department(
        where: dict[str, Any], risk: dict[str, Any], sign: str) -> None:
    """With or without a bleeding risk, wherever the knock is asked (on 0.2.29, massage
    with no risk, where a knock more than 4 weeks ago with the same sign was the emergency
    department)."""
    asked, outcome = _asked({**where, **risk, "head_injury": "earlier",
                             "head_injury_signs": frozenset({sign})})
    assert {"head_injury", "head_injury_signs"} <= set(asked)
    assert _at_least(outcome, "emergency_department")
    assert "head_injury_high_risk" in _fired(outcome)


@pytest.mark.parametrize("sign", SIGNS)
@pytest.mark.parametrize("age", [18, 40, 64])
def test_after_falls_one_sign_after_a_knock_3_days_to_4_weeks_ago_too(age: int,
                                                                      sign: str) -> None:
    asked, outcome = _asked({"areas": frozenset({"knee"}), "age": age,
                             "conditions": frozenset({"falls"}),
                             "head_injury_later": "earlier",
                             "head_injury_signs_later": frozenset({sign})})
    assert "head_injury_signs_later" in asked
    assert _at_least(outcome, "emergency_department")
    assert "head_injury_high_risk" in _fired(outcome)


@pytest.mark.parametrize("age", [18, 40, 54])  # at 55 or over a knee injury is Ottawa's
def test_a_knock_3_days_to_4_weeks_ago_with_no_sign_and_no_risk_stays_therapy(
        age: int) -> None:
    _, outcome = _asked({"areas": frozenset({"knee"}), "age": age, "injury": "recent",
                         "head_injury": "earlier"})
    assert "head_injury_high_risk" not in _fired(outcome)
    assert not _at_least(outcome, "doctor_soon")



def test_the_reception_voice_asks_what_a_caller_can_answer() -> None:
    """An audit of the reception voice and of several places (0.2.30): an injury to any of
    the places, the cauda equina signs over the last weeks or months, and what those around
    the person noticed (a daughter calling about her father with dementia)."""
    _said_in_both_voices("injury", "answer yes if an injury hurt any of them",
                         "si une blessure a touché l'un d'eux")
    _said_in_both_voices("ces_signs", "or over the last weeks or months",
                         "ou depuis quelques semaines ou mois")
    _said_in_both_voices("myelopathy_signs", "anyone around", "proches")


@pytest.mark.parametrize("places", [{"shoulder", "low_back"}, {"knee", "low_back"},
                                    {"neck", "low_back"}])
def test_the_cauda_equina_signs_are_asked_with_another_place_chosen(places: set[str]) -> None:
    asked, outcome = _asked({"areas": frozenset(places), "age": 45,
                             "ces_signs": frozenset({"saddle_numbness"})})
    assert "ces_signs" in asked
    assert _at_least(outcome, "emergency_department")
