"""The bundled pack after clin-h's fixes (pack 0.2.25): the under-triage holes left open by pack
0.2.22 (docs/clinical-safety.md, open points 29 and 38). Each hole was one example of a class,
so these tests sweep the class (every place, every answer of the health history that opens
the pregnancy question, every sign; every bleeding risk, injury answer and place for a knock
on the head, and the knock asked again after falls) and check what the pack's own cases
(rules/tests/audit_0_2_22_h.yaml) cannot: the words a person reads, in both languages and
both voices."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

import pytest

from tests.conftest import REPO_ROOT
from tests.ids import answers_id
from tests.test_clinical_audit_0_2_20_f import QUIET, WHERE
from tests.test_clinical_pack import fired_ids, option_by_id, walk_and_evaluate
from triage.engine.outcome import Outcome
from triage.engine.policy import urgency_tier
from triage.pack.load import load_pack

PACK = load_pack(REPO_ROOT / "rules", use_cache=False)

_option = partial(option_by_id, PACK)
_asked = partial(walk_and_evaluate, PACK, QUIET)
_fired = fired_ids


def _at_least(outcome: Outcome, disposition: str) -> bool:
    return urgency_tier(outcome.disposition) >= urgency_tier(disposition)


def _reason(outcome: Outcome, rule_id: str) -> Mapping[str, str]:
    return next(r.reason for r in outcome.fired if r.id == rule_id)


# ------------------------------------------------------ 1: pre-eclampsia after the birth

PRE_ECLAMPSIA = ["severe_headache", "vision_problems", "upper_belly_pain", "vomiting",
                 "sudden_swelling", "not_sure"]
OBSTETRIC = ["bleeding", "baby_moving_less", "waters_breaking", "early_labour"]
# the answers of the health history that open the pregnancy question
OPENS = ["pregnant", "recently_pregnant", "not_sure"]


@pytest.mark.parametrize("sign", PRE_ECLAMPSIA)
@pytest.mark.parametrize("where", WHERE, ids=answers_id)
def test_the_signs_of_pre_eclampsia_after_a_birth_go_to_the_hospital(
        where: dict[str, Any], sign: str) -> None:
    """Pre-eclampsia can start in the 6 weeks after the birth (NHS): its signs were asked in
    pregnancy only, so a very bad headache a week after a birth got therapy. Every place,
    nothing hurting too: asked, and the emergency department, saying the weeks after a
    birth (not "tell them you are pregnant") unless the answer was "not sure"."""
    asked, outcome = _asked({**where, "health_history": frozenset({"recently_pregnant"}),
                             "pregnancy_signs": frozenset({sign})})
    assert "pregnancy_signs" in asked
    assert _at_least(outcome, "emergency_department")
    assert "pre_eclampsia_signs" in _fired(outcome)
    if outcome.disposition == "emergency_department" and sign != "not_sure":
        reason = _reason(outcome, "pre_eclampsia_signs")
        assert "6 weeks after a birth" in reason["en"]
        assert "6 semaines après un accouchement" in reason["fr"]
        assert "you are pregnant" not in reason["en"]


@pytest.mark.parametrize("history", OPENS)
@pytest.mark.parametrize("sign", OBSTETRIC)
@pytest.mark.parametrize("where", WHERE, ids=answers_id)
def test_the_obstetric_warning_signs_go_to_the_hospital(
        where: dict[str, Any], sign: str, history: str) -> None:
    """Open point 29: bleeding, the baby moving less, the waters breaking and early labour
    were not asked (30 weeks pregnant, low back pain and bleeding: massage and
    physiotherapy). Each, at every place, in pregnancy, after it and on "not sure" about the
    health history: the emergency department or the maternity unit."""
    asked, outcome = _asked({**where, "health_history": frozenset({history}),
                             "pregnancy_signs": frozenset({sign})})
    assert "pregnancy_signs" in asked
    assert _at_least(outcome, "emergency_department")
    assert "pregnancy_warning_signs" in _fired(outcome)
    assert not outcome.techniques


def test_heavy_bleeding_after_a_birth_is_said_so() -> None:
    _, outcome = _asked({"areas": frozenset({"upper_back"}),
                         "health_history": frozenset({"recently_pregnant"}),
                         "pregnancy_signs": frozenset({"bleeding"})})
    reason = _reason(outcome, "pregnancy_warning_signs")
    assert "after a birth, a miscarriage or a termination" in reason["en"]
    assert "911" in reason["en"] and "911" in reason["fr"]
    assert "après un accouchement" in reason["fr"]


@pytest.mark.parametrize("history", OPENS)
def test_no_sign_is_no_warning(history: str) -> None:
    _, outcome = _asked({"areas": frozenset({"low_back"}),
                         "health_history": frozenset({history})})
    assert not {"pre_eclampsia_signs", "pregnancy_warning_signs"} & _fired(outcome)
    assert outcome.disposition not in ("emergency", "emergency_department")


def test_the_weeks_after_a_birth_are_told_the_signs() -> None:
    """The safety net of a result below the hospital: after a birth the signs of
    pre-eclampsia and heavy bleeding; in pregnancy every warning sign asked."""
    _, after = _asked({"areas": frozenset({"low_back"}),
                       "health_history": frozenset({"recently_pregnant"})})
    _, during = _asked({"areas": frozenset({"low_back"}),
                        "health_history": frozenset({"pregnant"})})
    after_net = next(r for r in after.fired if r.id == "sn_pregnancy").reason
    during_net = next(r for r in during.fired if r.id == "sn_pregnancy").reason
    assert "heavy bleeding" in after_net["en"] and "pre-eclampsia" in after_net["en"].lower()
    assert "saignement abondant" in after_net["fr"]
    for words in ("bleeding from the vagina", "baby moving less", "waters breaking",
                  "before 37 weeks"):
        assert words in during_net["en"], words
    for words in ("saignement du vagin", "bébé qui bouge moins", "perte des eaux",
                  "avant 37 semaines"):
        assert words in during_net["fr"], words


def _said_in_both_voices(qid: str, en: str, fr: str) -> None:
    """The question's words to the patient and to reception staff say ``en`` and ``fr``."""
    question = PACK.question_by_id[qid]
    assert question.caller_text is not None
    assert en in question.text["en"]
    assert en in question.caller_text["en"]
    assert fr in question.text["fr"]
    assert fr in question.caller_text["fr"]


def test_the_question_names_the_weeks_after_in_both_languages_and_voices() -> None:
    _said_in_both_voices("pregnancy_signs", "in the last 6 weeks", "moins de 6 semaines")
    # what cannot happen after a birth says "pregnant" (a person after a birth chooses none)
    assert "while pregnant" in _option("pregnancy_signs", "waters_breaking").text["en"].lower()
    assert "37 weeks" in _option("pregnancy_signs", "early_labour").text["en"]
    assert "heavy bleeding" in _option("pregnancy_signs", "bleeding").text["en"]


# ------------------------------------------------------ 3: a knock more than 4 weeks ago

# each member of the bleeding risk (score bleeding_risk), and an injury at 40 with no risk
RISKS: list[dict[str, Any]] = [
    {"age": 65}, {"age": 88},
    {"health_history": frozenset({"blood_thinners"})},
    {"health_history": frozenset({"bleeding_disorder"})},
    {"health_history": frozenset({"not_sure"})},
    {"age": 40, "injury": "older"}]
SIGNS = ["vomited_twice", "seizure", "confused_drowsy", "weak_numb_vision", "fluid_or_bruising",
         "headache_worse", "passed_out", "memory_loss", "vomited_once", "not_sure"]


# where the knock is asked: every place, many, none chosen and nothing hurting with a
# bleeding risk; the injury (no risk) only where a place was chosen (the injury question's)
KNOCKED = [(w, r) for w in WHERE for r in RISKS if w["areas"] or "injury" not in r]


@pytest.mark.parametrize("sign", SIGNS)
@pytest.mark.parametrize(("where", "risk"), KNOCKED,
                         ids=[f"{answers_id(w)}; {answers_id(r)}" for w, r in KNOCKED])
def test_a_sign_since_a_knock_more_than_4_weeks_ago_is_the_emergency_department(
        where: dict[str, Any], risk: dict[str, Any], sign: str) -> None:
    """Open point 38: a knock more than 4 weeks ago had no answer (78, a knock 6 weeks ago,
    confused since: physiotherapy). Wherever the knock is asked, any sign of a slow bleed
    since (or not sure) is the emergency department (NHS, Subdural haematoma)."""
    answers = {**where, **risk, "head_injury": "longer_ago",
               "head_injury_signs": frozenset({sign})}
    asked, outcome = _asked(answers)
    assert "head_injury" in asked
    assert _at_least(outcome, "emergency_department")
    if "head_injury_signs" not in asked:
        # pack 0.2.32: not sure about the health history (a cancer) and about a problem with
        # no place (weakness getting worse) is the emergency department already, which a
        # knock this old cannot raise: its signs are not asked
        assert "cancer_with_weakness_worse" in _fired(outcome)
        return
    assert "head_bleed_weeks_later" in _fired(outcome)


@pytest.mark.parametrize("risk", RISKS, ids=answers_id)
def test_a_knock_more_than_4_weeks_ago_with_no_sign_is_told_the_signs(
        risk: dict[str, Any]) -> None:
    _, outcome = _asked({"areas": frozenset({"knee"}), **risk, "head_injury": "longer_ago"})
    fired = _fired(outcome)
    assert "sn_head_knock_weeks_ago" in fired
    assert "head_bleed_weeks_later" not in fired and "sn_head_injury" not in fired
    assert "head_knock_on_blood_thinners" not in fired


@pytest.mark.parametrize("sign", ["confused_drowsy", "headache_worse", "not_sure"])
def test_after_falls_the_older_knock_is_asked_again_with_its_signs(sign: str) -> None:
    """Falls named, the knock not asked before (60, a knee, no injury): the knock asked again
    offers the older knock, and a sign since is the emergency department."""
    asked, outcome = _asked({"areas": frozenset({"knee"}), "age": 60,
                             "conditions": frozenset({"falls"}),
                             "head_injury_later": "longer_ago",
                             "head_injury_signs_later": frozenset({sign})})
    assert "head_injury" not in asked and "head_injury_signs_later" in asked
    assert _at_least(outcome, "emergency_department")
    assert "head_bleed_weeks_later" in _fired(outcome)


@pytest.mark.parametrize("qid", ["head_injury", "head_injury_later"])
def test_the_knock_question_asks_3_months_and_offers_the_older_knock(qid: str) -> None:
    question = PACK.question_by_id[qid]
    assert question.caller_text is not None
    assert "3 months" in question.text["en"] and "3 months" in question.caller_text["en"]
    assert "3 derniers mois" in question.text["fr"]
    assert "3 derniers mois" in question.caller_text["fr"]
    older = _option(qid, "longer_ago").text
    assert "more than 4 weeks" in older["en"] and "plus de 4 semaines" in older["fr"]
