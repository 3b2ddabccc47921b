"""The outcome the generated code makes (``_outcome_fast``) equals the one worked out from the
condition interpreter and the policy, field by field, on random complete answer sets."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import MINIMAL
from tests.pack.test_pack_texts import _with_branch
from triage.conditions.tree import MULTI, NUMBER, SINGLE, questions_read
from triage.conditions.truth import State, truth
from triage.engine import policy
from triage.engine.doubts import untold
from triage.engine.evaluate import (
    MissingAnswers,
    assess_partial_interpreted,
    evaluate,
    question_states,
)
from triage.engine.held import definite_state
from triage.engine.outcome import FIELDS, Outcome
from triage.pack.compiled import CompiledPack
from triage.pack.load import default_pack_dir, load_pack

PACKS = {"minimal": load_pack(MINIMAL, use_cache=False),
         "bundled": load_pack(default_pack_dir(), use_cache=False)}


@st.composite
def complete_answers(draw: st.DrawFn, pack: CompiledPack) -> dict[str, Any]:
    """An answer to every question, hidden ones too (they must be listed as ignored)."""
    out: dict[str, Any] = {}
    for q in pack.questions:
        if q.type == MULTI:
            out[q.id] = draw(st.frozensets(st.sampled_from([o.id for o in q.options]),
                                           max_size=3))
        elif q.type == NUMBER:
            out[q.id] = draw(st.integers(int(q.min or 0), int(q.max or 0)))
        elif q.type == SINGLE:
            out[q.id] = draw(st.sampled_from([o.id for o in q.options]))
        else:
            out[q.id] = draw(st.sampled_from(["yes", "no"]))
    return out


def reference(pack: CompiledPack, answers: dict[str, Any]) -> tuple[Any, ...]:
    states = question_states(pack, answers)
    s = State(states.applicable, frozenset(), pack.shapes)
    fired = [r for r in pack.rules if truth(r.when, s) is True]
    # each named by its definite label when it holds without the doubts (definite_state)
    sure = definite_state(states.applicable, (), pack.shapes)
    fired = [replace(r, label=r.definite_label)
             if r.definite_label and truth(r.when, sure) is True else r for r in fired]
    # each with the reason of its first branch that holds (reason_when), else its own (and
    # that branch's words about the patient, for reception mode)
    fired = [next((replace(r, reason=reason, caller_reason=(
        r.caller_reason_when[i] if r.caller_reason_when else None))
        for i, (when, reason) in enumerate(r.reason_when) if truth(when, s) is True), r)
        for r in fired]
    main = policy.main_red_flag(fired)
    strike = any(policy.strikes_soft_tissue(r) for r in fired)
    indications = [r for r in fired if r.kind == policy.INDICATION]
    soft = sum(r.points[0] for r in indications)
    physio = sum(r.points[1] for r in indications)
    disposition = policy.disposition(main, strike, soft, physio, len(indications),
                                     pack.both_threshold)
    return (disposition, main.id if main else None, strike, (soft, physio), len(indications),
            pack.record_of(states.applicable), states.ignored, pack, (), None), tuple(fired)


@settings(max_examples=150, deadline=None)
@given(st.data(), st.sampled_from(sorted(PACKS)))
def test_generated_outcome_equals_the_interpreted_one(data: st.DataObject, name: str) -> None:
    pack = PACKS[name]
    answers = data.draw(complete_answers(pack))
    outcome = evaluate(pack, answers)
    assert isinstance(outcome, Outcome)
    expected, fired = reference(pack, answers)
    for field, got, want in zip(FIELDS, outcome, expected, strict=True):
        assert got == want, field
        assert getattr(outcome, field) == want, field
    assert outcome.fired == fired
    assert outcome.answers == pack.answers_of(outcome.record)


def test_an_outcome_is_a_named_tuple_that_pickles() -> None:
    import pickle

    outcome = evaluate(PACKS["minimal"], {"chest_pain": "yes"})
    again = pickle.loads(pickle.dumps(outcome))
    assert again == outcome and again.disposition == outcome.disposition == "emergency"
    assert dict(zip(FIELDS, outcome, strict=True))["main_red_flag"] == outcome.main_red_flag


# ------------------------------------------------------------------ the reason of the branch


@pytest.mark.parametrize("when", ["age > 40", "not (age > 40)"])
def test_a_stopped_questionnaire_gives_no_reason_of_a_branch_not_known_to_hold(
        pack_copy: Callable[..., Path], when: str) -> None:
    """A questionnaire stopped at chest pain never asked the age: a branch on the age is
    unknown, so its reason is not *the* reason (the rule's own is). Read as unanswered,
    ``not (age > 40)`` held, and a person never asked their age was told the reason of it."""
    pack = load_pack(pack_copy({"red_flags.yaml": _with_branch(when)}), use_cache=False)
    own, branch = "Chest pain can be a heart attack.", "Chest pain on effort can be angina."
    stopped = evaluate(pack, {"chest_pain": "yes"})
    assert stopped.fired_known is not None  # stopped: the age is still to be asked
    assert [r.reason["en"] for r in stopped.fired] == [own]
    assert [r["reason"]["en"] for r in stopped.as_dict()["fired"]] == [own]
    # once the age is known, the branch that holds gives the reason
    young, old = (evaluate(pack, {"chest_pain": "yes", "age": age}) for age in (30, 50))
    assert [r.reason["en"] for r in young.fired] == [own if when == "age > 40" else branch]
    assert [r.reason["en"] for r in old.fired] == [branch if when == "age > 40" else own]


def test_a_screening_stopped_before_the_health_history_says_no_not_sure_about_it() -> None:
    """The bundled pack: 80, a fall, thigh pain, cannot take 4 steps: the emergency
    department. Until pack 0.2.26 it was certain before the health history was asked, and
    the test was that the hip fracture rule's branch "not sure about the health history",
    unknown then, did not give the reason (the synthetic pack above still checks that). Since
    0.2.26 the health history can open a question a 911 flag reads at any place (a seizure in
    or after pregnancy, eclampsia_signs), so a screening stopped before it has no certain
    result: the health history is named as missing. Answered with nothing, the rule's own
    reason is given, not the "not sure" branch's. (The thigh, not the hip: since pack 0.2.16
    a heart or artery condition with hip, groin, back or belly pain asks about an aortic
    aneurysm, 911.)"""
    pack = PACKS["bundled"]
    case = next(c for c in pack.cases if c.id == "fall_age_80_cannot_walk_hip")
    answers = {k: v for k, v in case.answers.items() if k not in ("health_history", "onset")}
    answers["areas"] = frozenset({"leg"})
    with pytest.raises(MissingAnswers) as missing:
        evaluate(pack, answers)
    assert "health_history" in missing.value.questions
    outcome = evaluate(pack, {**answers, "health_history": frozenset(),
                              "leg_injury_signs": frozenset()})
    assert outcome.disposition == "emergency_department"
    for rule_id in ("hip_fracture_signs", "fall_fracture_risk"):
        rule = pack.rule_by_id[rule_id]
        said = next(r.reason for r in outcome.fired if r.id == rule_id)
        assert said == rule.reason != rule.reason_when[0][1], rule_id


# the bundled pack's cases whose result has a rule that gives a reason per branch
BRANCHED = [c for c in PACKS["bundled"].cases
            if any(PACKS["bundled"].rule_by_id[r].reason_when for r in c.fires)]


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_the_reason_given_is_of_a_branch_known_to_hold(data: st.DataObject) -> None:
    """A pack case with answers left out, above all those a branch reads: every rule that
    holds gives the reason of its first branch known to hold (three-valued, the questions a
    stopped questionnaire could still ask unknown), else its own reason; never that of a
    branch that may or may not hold."""
    pack = PACKS["bundled"]
    case = data.draw(st.sampled_from(BRANCHED))
    branch_reads = sorted({q for rid in case.fires for _, q in _branch_reads(pack, rid)}
                          & case.answers.keys())
    others = sorted(case.answers.keys() - set(branch_reads))
    left_out = data.draw(st.sets(st.sampled_from(branch_reads))) if branch_reads else set()
    left_out |= data.draw(st.sets(st.sampled_from(others), max_size=3)) if others else set()
    answers = {k: v for k, v in case.answers.items() if k not in left_out}
    try:
        outcome = evaluate(pack, answers)
    except MissingAnswers:
        return
    if outcome.fired_known is not None:  # stopped: the questions still to ask are unknown
        states = assess_partial_interpreted(pack, answers).states
        assert outcome.pending_questions(outcome.answers) == states.pending
        s = State(states.applicable, states.pending, pack.shapes)
    else:
        s = State(outcome.answers, frozenset(), pack.shapes)
    for rule in outcome.fired:
        own = pack.rule_by_id[rule.id]
        known = [reason for when, reason in own.reason_when if truth(when, s) is True]
        assert rule.reason == (known[0] if known else own.reason), rule.id


def _branch_reads(pack: CompiledPack, rule_id: str) -> list[tuple[str, str]]:
    return [(rule_id, q) for when, _ in pack.rule_by_id[rule_id].reason_when
            for q in questions_read(when)]


# ------------------------------------------------------------ the "not sure" a rule holds on


def _case(case_id: str) -> dict[str, Any]:
    return dict(next(c for c in PACKS["bundled"].cases if c.id == case_id).answers)


def test_a_rule_that_holds_on_a_not_sure_names_that_question() -> None:
    """Audit "a result a person sees", 2nd round, item 4: "not sure" about stroke signs in
    the last 2 weeks sends to the emergency department (recent_tia); with "no" it would not
    hold, so the doubt is what made it hold."""
    pack = PACKS["bundled"]
    outcome = evaluate(pack, _case("tia_not_sure"))
    # pack 0.2.35: and the note on what to watch for after stroke signs that went away
    assert outcome.doubts == {"recent_tia": ("recent_stroke_signs",),
                              "sn_recent_stroke_signs": ("recent_stroke_signs",)}
    (tia,) = [r for r in outcome.fired if r.id == "recent_tia"]
    assert untold(outcome, tia) == ("recent_stroke_signs",)  # its reason is silent
    assert outcome.as_dict()["fired"][0]["not_sure"] == ["recent_stroke_signs"]
    sure = evaluate(pack, {**_case("tia_not_sure"), "recent_stroke_signs": "within_2_days"})
    assert sure.doubts == {} and "not_sure" not in sure.as_dict()["fired"][0]


def test_a_not_sure_beside_a_definite_answer_is_not_what_made_a_rule_hold() -> None:
    """Cancer ticked and "not sure" beside it: the doubt decides nothing cancer does not."""
    pack = PACKS["bundled"]
    answers = _case("audit212_low_back_not_sure_history_not_sure_cord_signs")
    doubted = evaluate(pack, answers).doubts
    assert "health_history" in doubted["myelopathy_signs_present"]
    answers["health_history"] = frozenset({"cancer", "not_sure"})
    assert "health_history" not in evaluate(pack, answers).doubts.get(
        "myelopathy_signs_present", ())


def test_a_branch_written_for_the_not_sure_speaks_of_it() -> None:
    """The reason of a ``reason_when`` branch that singles out a "not sure" (``not_sure in
    health_history``) speaks of that doubt: the program does not say it again; a doubt the
    branch does not single out (no place chosen, "not sure" about pain) it still says."""
    pack = PACKS["bundled"]
    outcome = evaluate(pack, _case("audit212_low_back_not_sure_history_not_sure_cord_signs"))
    (rule,) = [r for r in outcome.fired if r.id == "cancer_with_nerve_signs"]
    own = pack.rule_by_id["cancer_with_nerve_signs"]
    assert rule.reason is own.reason_when[0][1]  # "not sure in history and in the signs"
    assert set(outcome.doubts[rule.id]) == {"health_history", "myelopathy_signs"}
    assert untold(outcome, rule) == ()
    no_place = evaluate(pack, _case("audit_no_place_not_sure_counts_as_pain"))
    (spine,) = [r for r in no_place.fired if r.id == "spinal_infection_signs"]
    assert untold(no_place, spine) == ("problem_somewhere",)


def test_questions_testing_finds_only_a_test_for_that_one_answer() -> None:
    from triage.conditions.tree import And, Compare, Count, Has, Is, Not, Number, Or
    from triage.conditions.tree import questions_testing as testing

    single = Is("onset", frozenset({"not_sure"}))
    either = Is("injury", frozenset({"recent", "not_sure"}))
    ticked = Has("ces_signs", "not_sure")
    assert testing(Or((single, either)), "not_sure") == {"onset"}
    assert testing(Compare(">=", Count((ticked, either)), Number(1)), "not_sure") == \
        {"ces_signs"}
    assert testing(And((Not(ticked), Has("x", "not_sure", negate=True))), "not_sure") == \
        frozenset()


# ------------------------------------------------------- the label of what was said


FLARE = {"emergency_signs": [], "age": 40, "recent_stroke_signs": "no", "areas": ["knee"],
         "today_signs": ["arthritis_flare"], "injury": "none", "other_symptoms": [],
         "conditions": [], "pregnancy_signs": [], "myelopathy_signs": [], "bladder_bowel": [],
         "exertion_pain_later": "no", "can_walk_4_steps": "yes", "leg_injury_signs": [],
         "wound_signs": [], "duration": "under_6_weeks", "artificial_joint": "no",
         "head_injury": "no"}  # asked with a bleeding risk, or not sure (pack 0.2.22)
# asked after cancer or not sure about the health history, with pain anywhere: since pack
# 0.2.33 its "weakness" is the emergency department, so the flare's result needs the answer
AFTER_CANCER = {"cancer_nerve_pain": "no"}


@pytest.mark.parametrize(("history", "definite"), [
    (["steroids"], True), (["steroids", "not_sure"], True), (["not_sure"], False)])
def test_a_rule_that_held_on_definite_answers_is_named_as_they_said(
        history: list[str], definite: bool) -> None:
    """"(or not sure)" after "long-term steroids" named a doubt nobody had: a rule that holds
    with every "not sure" taken out is named by its definite label; one that holds on the
    doubt keeps the label that names it (the reason of its branch as before)."""
    pack = PACKS["bundled"]
    outcome = evaluate(pack, {**FLARE, "health_history": history,
                              **(AFTER_CANCER if "not_sure" in history else {})})
    (flare,) = [r for r in outcome.fired if r.id == "arthritis_flare_weak_immunity"]
    label = pack.text(flare.label, "en")
    named = "Arthritis flare with a weak immune system or after an operation"
    assert label == (named if definite else f"{named} (or not sure)")
    assert ("not sure about your health history" in pack.text(flare.reason, "en")) is (
        "not_sure" in history)


def test_a_single_answer_not_sure_is_no_definite_answer() -> None:
    """"Not sure" to a single choice may be any answer: a rule that needs one of them held on
    the doubt ("is the weakness on both sides?" "not sure")."""
    pack = PACKS["bundled"]
    base = {**FLARE, "today_signs": [], "health_history": [], "areas": ["low_back"],
            "other_symptoms": ["weakness_worse"]}
    said = {}
    for answer in ("yes", "not_sure"):
        states = question_states(pack, {**base, "weakness_both_sides": answer})
        rule = pack.rule_by_id["weakness_both_sides"]
        sure = definite_state(states.applicable, (), pack.shapes)
        said[answer] = truth(rule.when, sure)
    assert said == {"yes": True, "not_sure": None}


def test_a_rule_named_as_held_for_sure_held_on_no_doubt() -> None:
    """The definite label and the "not sure" said next to a reason never disagree: over the
    bundled cases, a rule named by its definite label is not one a "not sure" made hold
    (:attr:`Outcome.doubts`), and one a "not sure" made hold keeps its label."""
    pack = PACKS["bundled"]
    named = 0
    for case in pack.cases:
        outcome = evaluate(pack, case.answers)
        for rule in outcome.fired:
            own = pack.rule_by_id[rule.id]
            if own.definite_label is None:
                continue
            definite = rule.label is own.definite_label
            named += definite
            assert definite is (rule.id not in outcome.doubts), (case.id, rule.id)
    assert named
