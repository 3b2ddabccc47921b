"""Pack 0.2 dispositions (issue 14): the urgency order, self care, safety-netting, and every red
flag told apart as present, absent, not asked or not checked."""

from __future__ import annotations

import itertools
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, get_args

from tests.conftest import MINIMAL, REPO_ROOT
from triage.conditions.truth import State, truth
from triage.engine.evaluate import MissingAnswers, Outcome, evaluate
from triage.engine.outcome import merge_named
from triage.engine.policy import (
    CONTRAINDICATION,
    DISPOSITIONS,
    INDICATION,
    LEVEL,
    MEDICAL,
    OPTIONAL_DISPOSITIONS,
    RED_FLAG,
    RED_FLAG_DISPOSITIONS,
    STRIKE_SOFT_TISSUE,
    THERAPY,
    URGENCY,
    URGENT,
    note_applies,
    rule_said_with,
    said_with,
)
from triage.pack import models
from triage.pack.load import load_pack
from triage.pack.sources import content_hash, read_pack_files
from triage.pack.validate import check_files
from triage.render.caller import booking_summary
from triage.render.result import outcome_json, outcome_text

ROOT = REPO_ROOT
PACK = load_pack(ROOT / "rules", use_cache=False)

NO_FLAGS: dict[str, Any] = {
    "emergency_signs": frozenset(), "recent_stroke_signs": "no", "today_signs": frozenset(),
    "health_history": frozenset(), "injury": "none", "duration": "under_6_weeks",
    "other_symptoms": frozenset(), "myelopathy_signs": frozenset(), "bladder_bowel": frozenset(),
    "conditions": frozenset(),
    "reasons": frozenset(), "onset": "gradual", "ces_signs": frozenset(),
    "neck_neuro": frozenset(), "exertion_pain": "no", "fever_signs": frozenset(),
    "problem_somewhere": "no",  # asked only when no area is chosen
    "head_injury": "no",  # asked with a bleeding risk whatever the injury (pack 0.2.22)
    "pmr_signs": "no",  # asked since pack 0.2.23 at 50 or over with a shoulder, hip or neck
}


def outcome(age: int, areas: set[str], **answers: Any) -> Outcome:
    given = {**NO_FLAGS, "age": age, "areas": frozenset(areas)}
    given.update({k: frozenset(v) if isinstance(v, set) else v for k, v in answers.items()})
    return evaluate(PACK, given)


# ------------------------------------------------------------------------------ the policy


def test_the_order_is_total_and_the_levels_follow_it() -> None:
    assert len(set(DISPOSITIONS)) == len(DISPOSITIONS)
    ranks = [URGENCY[d] for d in DISPOSITIONS]
    assert ranks == sorted(ranks, reverse=True) and len(set(ranks)) == len(ranks)
    levels = [LEVEL[d] for d in DISPOSITIONS]
    assert levels == sorted(levels, reverse=True)
    assert {LEVEL[d] for d in THERAPY | {"self_care"}} == {1}
    assert all(LEVEL[d] > 1 for d in MEDICAL) and URGENT < MEDICAL


def test_the_file_format_lists_the_policy_dispositions() -> None:
    """models.py needs static Literals; they must say what the policy says."""
    assert get_args(models.Disposition) == DISPOSITIONS
    assert get_args(models.RedFlagDisposition) == RED_FLAG_DISPOSITIONS
    assert set(models.Dispositions.model_fields) == set(DISPOSITIONS)
    optional = {n for n, f in models.Dispositions.model_fields.items() if not f.is_required()}
    assert optional == OPTIONAL_DISPOSITIONS


def test_the_bundled_pack_words_every_disposition() -> None:
    assert set(PACK.dispositions) == set(DISPOSITIONS)
    for name, parts in PACK.dispositions.items():
        assert set(parts) == {"label", "action", "timeframe", "if_worse"}, name


def test_an_optional_disposition_needs_its_texts(pack_copy: Callable[..., Path]) -> None:
    target = pack_copy({"red_flags.yaml": lambda text: text.replace(
        "    disposition: same_day\n", "    disposition: doctor_soon\n", 1)})
    files = read_pack_files(target)
    _, problems = check_files(target, files, content_hash(files))
    messages = [str(p) for p in problems]
    assert any("red_flags.yaml:" in m and "disposition 'doctor_soon' has no texts" in m
               for m in messages), messages


# ------------------------------------------------------------------------------ self care


def test_a_cold_is_self_care_not_a_doctor_whatever_therapy_is_wanted() -> None:
    result = outcome(35, {"shoulder"}, today_signs={"acute_infection"},
                     reasons={"desk_posture"})
    assert result.disposition == "self_care"
    assert result.main_red_flag == "acute_infection_now"


def test_self_care_loses_to_any_medical_flag() -> None:
    result = outcome(35, {"knee"}, today_signs={"acute_infection", "hot_joint"})
    assert result.disposition == "same_day"


def test_a_fever_without_pain_waits_but_with_chemotherapy_goes_to_the_ed() -> None:
    assert outcome(41, set(), today_signs={"fever"}).disposition == "self_care"
    chemo = outcome(41, set(), today_signs={"fever"}, health_history={"chemo"})
    assert chemo.disposition == "emergency_department"


# ------------------------------------------------------------------------------ red flag status


def test_not_asked_and_absent_are_told_apart() -> None:
    """Issue 14 item 16: a shoulder problem never asks the cauda equina questions."""
    shoulder = outcome(40, {"shoulder"}, reasons={"stiffness"})
    status = shoulder.red_flag_status()
    assert status["cauda_equina_signs"] == "not_asked"
    assert status["stroke_signs"] == "absent"
    assert "cauda_equina_signs" not in {r.id for r in shoulder.red_flags_absent}
    back = outcome(40, {"low_back"}, reasons={"stiffness"})
    assert back.red_flag_status()["cauda_equina_signs"] == "absent"
    assert set(status) == {r.id for r in PACK.red_flag_rules}


def test_the_question_asked_only_with_no_place_leaves_placed_flags_checked() -> None:
    """With a place chosen, "do you have pain?" (asked only when no place is chosen) is not
    asked: a flag that also holds for a problem with no place was still checked when its
    questions were answered. Pack 0.2.2 listed a knee injury's head injury flags, and 0.2.3
    would have listed a back problem's cauda equina flag, as not asked."""
    knee = outcome(40, {"knee"}, injury="last_2_days", head_injury="last_2_days",
                   head_injury_signs=set(), knee_signs=set(), can_walk_4_steps="yes",
                   leg_injury_signs=set(), reasons={"sports_injury"})
    status = knee.red_flag_status()
    assert status["head_injury_danger_signs"] == status["fever_with_pain"] == "absent"
    assert status["cauda_equina_signs"] == "not_asked"  # its own questions were not asked
    back = outcome(40, {"low_back"}, reasons={"stiffness"})
    assert back.red_flag_status()["cauda_equina_signs"] == "absent"
    nothing = outcome(40, set(), reasons={"relaxation"})  # no place, nothing hurts
    assert nothing.red_flag_status()["cauda_equina_signs"] == "not_asked"


def test_a_question_asked_again_later_counts_as_one_with_its_original() -> None:
    """Pack 0.2.5 asks the cauda equina signs again after sciatica is named (ces_signs_later,
    which repeats ces_signs) for those not asked them with the places. The flag reads both:
    it was checked when either was answered, never "not asked" only because the other was not;
    and the conditions, where sciatica is named, do not make a back's flag "not asked" when the
    questionnaire stops before them (a fever: a doctor today; after an injury, whose head
    injury question was asked, so falls named among the conditions ask nothing again; more
    than 10 days ago since pack 0.2.16, where sciatica after a recent injury asks the leg's
    injury signs again, an emergency department answer, so the conditions come first (after
    any injury since pack 0.2.20); the emergency department itself since pack 0.2.19, where
    heart rehab named among the conditions asks the effort question, another emergency
    department answer, before a doctor today)."""
    knee = outcome(45, {"knee"}, conditions={"sciatica"}, ces_signs_later=set(),
                   bladder_bowel_later=set(),
                   reasons={"other_pain"})
    assert "ces_signs" not in knee.answers
    assert knee.red_flag_status()["cauda_equina_signs"] == "absent"
    unsure = outcome(45, {"knee"}, conditions={"sciatica"}, ces_signs_later={"not_sure"},
                     bladder_bowel_later=set())
    assert unsure.red_flag_status()["cauda_equina_signs"] == "present"
    back = evaluate(PACK, {"emergency_signs": frozenset(), "age": 40, "recent_stroke_signs": "no",
                           "areas": frozenset({"low_back"}), "ces_signs": frozenset(),
                           "bladder_bowel": frozenset(),
                           "today_signs": frozenset({"fever"}), "fever_signs": frozenset(),
                           "health_history": frozenset(), "injury": "older",
                           "head_injury": "no", "duration": "under_6_weeks",
                           "onset": "gradual", "other_symptoms": frozenset({"weakness_worse"}),
                           "weakness_both_sides": "yes"})
    assert back.disposition == "emergency_department" and "conditions" not in back.answers
    status = back.red_flag_status()
    assert status["cauda_equina_signs"] == status["child_limp_fever"] == "absent"
    shoulder = outcome(45, {"shoulder"}, conditions=set(), reasons={"stiffness"})
    assert shoulder.red_flag_status()["cauda_equina_signs"] == "not_asked"


def test_flags_left_open_by_an_early_stop_are_not_checked() -> None:
    result = evaluate(PACK, {"emergency_signs": frozenset({"chest_pain"})})
    status = result.red_flag_status()
    assert status["heart_attack_signs"] == "present"
    assert status["cauda_equina_signs"] == "not_checked"
    assert "absent" in status.values()  # the other emergency signs were asked


def test_the_result_lists_not_asked_flags_apart() -> None:
    text = outcome_text(outcome(40, {"shoulder"}, reasons={"stiffness"}), PACK, "en",
                        plain=True)
    absent = text.split("Warning signs checked and not present:")[1].split("Not asked")[0]
    not_asked = text.split("Not asked: these did not apply to your answers:")[1]
    assert "Cauda equina signs" not in absent
    assert "Cauda equina signs" in not_asked.split("Your answers:")[0]


def _pack_outcomes() -> list[Outcome]:
    """The bundled pack's own cases whose answers are complete."""
    found = []
    for case in PACK.cases:
        try:
            found.append(evaluate(PACK, case.answers))
        except MissingAnswers:  # a case that leaves safety questions open is tested elsewhere
            continue
    return found


PACK_OUTCOMES = _pack_outcomes()


def _unsure(result: Outcome) -> set[str]:
    return {q for q, v in result.answers.items()
            if v == "not_sure" or (isinstance(v, frozenset) and "not_sure" in v)}


def test_a_flag_read_from_a_not_sure_answer_is_never_told_absent() -> None:
    """'Not sure' is a doubt, not a no: a flag that reads such an answer is 'not ruled out'."""
    unsure = outcome(40, {"shoulder"}, today_signs={"not_sure"})
    assert unsure.disposition == "same_day"
    status = unsure.red_flag_status()
    assert status["dvt_signs"] == "not_ruled_out"
    assert "dvt_signs" not in ids(unsure.red_flags_absent)
    assert "dvt_signs" in ids(unsure.red_flags_unsure)
    # a doubt leaves open only what some answer could make hold: not a child's flag at 40
    assert status["child_limp_fever"] == "absent"
    assert unsure.as_dict()["red_flags_not_ruled_out"] == [r.id for r in unsure.red_flags_unsure]
    sure = outcome(40, {"shoulder"}, reasons={"stiffness"})
    assert sure.red_flag_status()["dvt_signs"] == "absent" and sure.red_flags_unsure == ()
    checked = 0
    for result in PACK_OUTCOMES:
        doubted = sorted(_unsure(result))
        if not doubted:
            continue
        checked += 1
        for r in result.red_flags_absent + result.red_flags_unsure:
            could = any(truth(r.when, State(answers, frozenset(), PACK.shapes))
                        for answers in _definite_answers(result.answers, doubted))
            assert could == (r in result.red_flags_unsure), (r.id, doubted)
    assert checked >= 10  # the pack's cases do answer "not sure"


def _definite_answers(answers: dict[str, Any], doubted: list[str]) -> list[dict[str, Any]]:
    """Every way of replacing each "not sure" by one definite answer (a multiple choice
    keeps its other boxes and gains one more, or none)."""
    ways: list[list[Any]] = []
    for qid in doubted:
        q = PACK.question_by_id[qid]
        others = [o.id for o in q.options if o.id != "not_sure"]
        value = answers[qid]
        if isinstance(value, frozenset):
            kept = value - {"not_sure"}
            ways.append([kept] + [kept | {o} for o in others])
        else:
            ways.append(others)
    return [{**answers, **dict(zip(doubted, combo, strict=True))}
            for combo in itertools.product(*ways)]


def test_flags_not_ruled_out_are_said_before_those_checked() -> None:
    unsure = outcome(40, {"shoulder"}, today_signs={"not_sure"})
    text = outcome_text(unsure, PACK, "en", plain=True)
    assert text.index("Not ruled out: you were not sure") < text.index(
        "Warning signs checked and not present")
    doubted = text.split("Not ruled out")[1].split("Warning signs checked")[0]
    assert "clot" in doubted.lower()
    summary = booking_summary(unsure, PACK, "en")
    assert "Not ruled out (the caller was not sure)" in summary
    assert "you were not sure" not in summary  # the receptionist reads it, not the caller
    # next to "get medical care today", staff are not told to ask anyone "before booking"
    assert unsure.disposition == "same_day" and "booking" not in summary.split(
        "Not ruled out")[1].splitlines()[0]


def test_an_outranked_flag_is_named_not_explained() -> None:
    """A second, less urgent flag's advice ('see a doctor soon') must not sit next to the
    emergency it is outranked by: it is named as also found, with its source; one of no
    medical level (self care: a cold) next to care today is not named at all (nothing
    routine: tests/render/test_said_how.py)."""
    checked = 0
    for result in PACK_OUTCOMES:
        flags = result.fired_of("red_flag")
        outranked = [r for r in flags if URGENCY[r.disposition] < result.urgency]
        if not outranked:
            continue
        checked += 1
        why = outcome_text(result, PACK, "en", plain=True).split("Why:")[1].split(
            "\n\n")[0]
        for r in flags:
            reason = PACK.text(r.reason, "en")
            named = f"Also found: {PACK.text(r.label, 'en')} [" in why
            if r in outranked:
                routine = result.disposition in URGENT and r.disposition not in MEDICAL
                assert reason not in why and named is not routine, r.id
            else:
                assert reason in why
    assert checked, "no pack case has an outranked red flag"


def test_every_urgent_pack_case_explains_only_flags_at_its_level() -> None:
    for result in PACK_OUTCOMES:
        if result.disposition not in MEDICAL:
            continue
        data = json.loads(outcome_json(result, PACK, "en"))
        assert data["referral"] is None and data["techniques"] == []
        why = next((v for k, v in data["summary"].items() if k == "Why"), [])
        told = [PACK.text(r.reason, "en") for r in result.fired_of("red_flag")
                if URGENCY[r.disposition] < result.urgency]
        assert not [w for w in why if any(w.startswith(x) for x in told)]


def test_answers_the_result_did_not_use_are_said() -> None:
    given = {**NO_FLAGS, "age": 40, "areas": frozenset({"shoulder"}),
             "reasons": frozenset({"stiffness"}), "ces_signs": frozenset({"saddle_numbness"}),
             "bladder_bowel": frozenset()}
    result = evaluate(PACK, given)
    assert "ces_signs" in result.ignored_answers
    text = outcome_text(result, PACK, "en", plain=True)
    not_used = text.split("Answered, but not used")[1]
    assert PACK.text(PACK.question_by_id["ces_signs"].text, "en")[:30] in not_used
    used = {k: v for k, v in given.items() if k not in result.ignored_answers}
    clean = evaluate(PACK, used)
    assert clean.ignored_answers == () and clean.disposition == result.disposition
    assert "not used" not in outcome_text(clean, PACK, "en", plain=True)


# ------------------------------------------------------------------------------ safety-netting


def ids(rules: tuple[Any, ...]) -> set[str]:
    return {r.id for r in rules}


def test_back_pain_therapy_gets_the_cauda_equina_warning_and_the_4_week_rule() -> None:
    result = outcome(40, {"low_back"}, reasons={"stiffness"})
    assert result.disposition == "both"
    assert ids(result.safety_net) == {"sn_back_pain", "sn_therapy_not_better"}
    assert not ids(result.notes) & ids(result.safety_net)


def test_after_surgery_the_clot_signs_are_given() -> None:
    result = outcome(69, {"hip_buttock"}, health_history={"recent_surgery"},
                     wound_signs=set(), can_walk_4_steps="yes", conditions={"surgery_rehab"})
    assert "sn_after_surgery" in ids(result.safety_net)


def test_the_4_week_rule_is_only_for_therapy_and_nothing_is_added_to_911() -> None:
    same_day = outcome(40, {"low_back"}, other_symptoms={"weakness_worse"},
                       weakness_both_sides="no")
    assert same_day.disposition == "same_day"
    assert ids(same_day.safety_net) == {"sn_back_pain"}
    emergency = evaluate(PACK, {"emergency_signs": frozenset({"chest_pain"})})
    assert emergency.safety_net == ()
    assert note_applies("same_day", True, ()) and not note_applies("emergency", True, ())
    assert not note_applies("same_day", True, ("physiotherapy",))


def test_a_watch_for_note_is_not_shown_with_a_result_that_already_sends_there() -> None:
    """Audit "a result a person sees", finding 2: "Go to the emergency department now", then
    "Watch for: Go to the emergency department at once if you get numbness between your
    legs..." (given for that very sign) read as if going were still conditional."""
    for signs in ({"not_sure"}, {"saddle_numbness"}):
        result = outcome(40, {"low_back"}, ces_signs=signs)
        assert result.disposition == "emergency_department"
        assert "sn_back_pain" not in ids(result.safety_net)
        text = outcome_text(result, PACK, "en", plain=True)
        assert "at once if you get new trouble peeing" not in text
        assert "at once if you get new trouble peeing" not in booking_summary(result, PACK, "en")
        # nor in JSON or a record, which say whose words go with the result (said_with)
        fired = {r["id"]: r for r in result.as_dict()["fired"]}
        assert fired["sn_back_pain"]["shown"] is False and "reason" not in fired["sn_back_pain"]
    # less urgent results still say when to go
    same_day = outcome(40, {"low_back"}, other_symptoms={"weakness_worse"},
                       weakness_both_sides="no")
    assert "sn_back_pain" in ids(same_day.safety_net)


def test_a_note_is_redundant_with_a_result_as_urgent_as_its_own_advice() -> None:
    assert not note_applies("emergency_department", True, (), "emergency_department")
    assert not note_applies("emergency", True, (), "emergency_department")
    assert note_applies("same_day", True, (), "emergency_department")
    assert note_applies("emergency_department", True, (), "emergency")
    assert not note_applies("emergency", True, ())  # a safety net's default: 911
    assert note_applies("emergency", True, ("emergency",))  # unless show_with says so
    assert not note_applies("doctor_first", True, ("doctor_first",), "doctor_first")
    assert not note_applies("same_day", False, ("same_day",), "same_day")
    assert note_applies("physiotherapy", False, (), "doctor_first")


def test_a_red_flag_outranked_by_a_more_urgent_result_is_not_said() -> None:
    """Its reason carries its own advice ("It needs an X-ray today"): under "call 911" it
    reads as a second instruction. Said with a result of its own level (or none known)."""
    assert said_with("emergency", RED_FLAG, None, False, (), "emergency")
    assert not said_with("emergency", RED_FLAG, None, False, (), "same_day")
    assert not said_with("emergency_department", RED_FLAG, None, False, (), "doctor_soon")
    assert said_with("same_day", RED_FLAG, None, False, (), "same_day")
    assert said_with("same_day", RED_FLAG, None, False, ())
    result = outcome(40, {"low_back"}, other_symptoms={"weakness_worse"},
                     weakness_both_sides="no")
    flag = next(r for r in result.fired if r.kind == RED_FLAG)
    assert rule_said_with(result.disposition, flag)
    assert not rule_said_with("emergency", flag)


def test_a_strike_is_said_only_where_therapy_is_still_to_be_chosen() -> None:
    """"No massage while you have a fever" under "Call 911" is a second, routine message; so
    it is under "Go to the emergency department now" or "see a doctor today", whose advice
    already says not to book therapy (a cold during cancer treatment: "Massage (soft tissue)
    therapy is not safe for you right now" among the reasons to go to the emergency
    department). Next to a doctor in the coming days it says why no therapy meanwhile."""
    by_id = {c.id: c for c in PACK.cases}
    for case_id, disposition in (("meningitis_fever_headache_stiff_neck", "emergency"),
                                 ("fever_on_chemotherapy", "emergency_department")):
        result = evaluate(PACK, by_id[case_id].answers)
        assert result.disposition == disposition
        fired = {r["id"]: r for r in result.as_dict()["fired"]}
        # still in the data, with its effect; its words are not given
        assert fired["ci_fever"]["shown"] is False and "reason" not in fired["ci_fever"]
        assert fired["ci_fever"]["effect"] == STRIKE_SOFT_TISSUE
        assert result.as_dict()["soft_tissue_struck"] is True
        text = outcome_text(result, PACK, "en", plain=True)
        assert "No massage while you have a fever." not in text, case_id
    for disposition, said in (("emergency", False), ("emergency_department", False),
                              ("same_day", False), ("doctor_soon", True),
                              ("doctor_first", True), ("physiotherapy", True),
                              ("self_care", False)):
        assert said_with(disposition, CONTRAINDICATION, STRIKE_SOFT_TISSUE, False, ()) is said
        if disposition in URGENT:
            assert not said_with(disposition, CONTRAINDICATION, "precaution", False, ())
            assert not said_with(disposition, INDICATION, None, False, ())


def test_advice_notes_go_with_results_that_are_not_urgent_unless_show_with_says() -> None:
    assert note_applies("doctor_soon", False, ()) and note_applies("physiotherapy", False, ())
    for urgent in ("emergency", "emergency_department", "same_day"):
        assert not note_applies(urgent, False, ())
    assert note_applies("same_day", False, ("same_day",))
    assert not note_applies("doctor_soon", False, ("physiotherapy", "both", "soft_tissue"))


def test_safety_net_is_in_the_json_the_screen_and_the_booking_summary() -> None:
    result = outcome(40, {"low_back"}, reasons={"stiffness"})
    data = json.loads(json.dumps(result.as_dict()))
    assert [s["id"] for s in data["safety_net"]] == [r.id for r in result.safety_net]
    assert data["red_flags"]["cauda_equina_signs"] == "absent"
    assert data["urgency"] == {"rank": URGENCY["both"], "level": 1}
    text = outcome_text(result, PACK, "en", plain=True)
    assert "Watch for:" in text and "numbness between your legs" in text
    # the reception summary says it about the patient (the note's caller_reason)
    assert "numbness between the legs" in booking_summary(result, PACK, "en")


def test_urgent_results_carry_nothing_routine() -> None:
    same_day = outcome(40, {"low_back"}, other_symptoms={"weakness_worse"},
                       weakness_both_sides="no")
    text = outcome_text(same_day, PACK, "en", plain=True)
    assert "insurance" not in text.split("Your answers:")[0]
    therapy = outcome_text(outcome(40, {"low_back"}, reasons={"stiffness"}), PACK, "en",
                           plain=True)
    assert "insurance" in therapy


# ------------------------------------------------------------------------------ techniques


def test_avoided_techniques_are_left_out_of_the_list() -> None:
    """Issue 14 item 14: on blood thinners, no 'deep tissue' or 'trigger point' beside
    'gentle pressure only'."""
    plain = outcome(45, {"shoulder"}, reasons={"strain"})
    thinners = outcome(45, {"shoulder"}, reasons={"strain"}, health_history={"blood_thinners"})
    shown = [t["en"] for t in thinners.techniques]
    assert "Deep tissue massage" in [t["en"] for t in plain.techniques]
    assert "Deep tissue massage" not in shown and "Trigger point therapy" not in shown
    assert "Massage" in shown
    text = outcome_text(thinners, PACK, "en", plain=True)
    assert "Trigger point therapy" not in text.split("Your answers:")[0]


def _techniques_of(result: Outcome, supports: set[str]) -> set[str]:
    return {t["en"] for r in result.fired if r.kind == "indication" and r.supports in supports
            for t in r.techniques}


def test_a_result_lists_only_the_techniques_of_the_therapist_it_books() -> None:
    """A whiplash with stiffness gives soft tissue therapy; the physiotherapy indication that
    also held listed electrotherapy and joint mobilisation under "what the therapist may use"
    for an RMT."""
    case = next(c for c in PACK.cases if c.id == "whiplash_age_40_low_risk_then_stiffness")
    whiplash = evaluate(PACK, case.answers)
    assert whiplash.disposition == "soft_tissue"
    assert "Joint mobilisation" in _techniques_of(whiplash, {"physiotherapy"})
    assert "Joint mobilisation" not in {t["en"] for t in whiplash.techniques}
    for result in PACK_OUTCOMES:
        shown = {t["en"] for t in result.techniques}
        if result.disposition == "soft_tissue":
            assert shown <= _techniques_of(result, {"soft_tissue", "both"}), result.answers
        elif result.disposition == "physiotherapy":
            assert shown <= _techniques_of(result, {"physiotherapy", "both"}), result.answers


def test_no_massage_technique_once_soft_tissue_therapy_is_struck(minimal_pack: Any) -> None:
    """A fever strikes soft tissue therapy: the physiotherapy result must not list the
    massage of the stiffness indication that also held."""
    answers = {"chest_pain": "no", "fall": "no", "fever": "yes", "age": 30, "area": "neck",
               "problems": frozenset({"stiffness", "after_surgery"}), "blood_thinners": "no"}
    struck = evaluate(minimal_pack, answers)
    assert struck.soft_tissue_struck and struck.disposition == "physiotherapy"
    assert "Massage" in _techniques_of(struck, {"soft_tissue"})
    assert "Massage" not in {t["en"] for t in struck.techniques}
    assert "\n- Massage\n" not in outcome_text(struck, minimal_pack, "en", plain=True)
    unstruck = evaluate(minimal_pack, {**answers, "fever": "no"})
    assert "Massage" in {t["en"] for t in unstruck.techniques}


def test_an_avoided_technique_must_be_one_the_indications_list(
        pack_copy: Callable[..., Path]) -> None:
    target = pack_copy({"contraindications.yaml": lambda text: text + (
        "  - id: ci_extra\n    when: blood_thinners\n    effect: avoid_technique\n"
        "    techniques: [{en: Cupping, fr: Ventouses}]\n"
        "    reason: {en: No cupping., fr: Pas de ventouses.}\n"
        "    source: {citation: \"Batavia 2004\", year: 2004, kind: consensus}\n")})
    files = read_pack_files(target)
    _, problems = check_files(target, files, content_hash(files))
    assert any("technique 'Cupping' is not a technique of any indication" in str(p)
               for p in problems), [str(p) for p in problems]


def test_show_with_is_honoured_on_advice_notes_too(tmp_path: Path) -> None:
    """`show_with` on a note that is not safety-netting was accepted and then ignored: a
    booking tip meant for therapy results was shown next to "see a doctor first"."""
    shutil.copytree(MINIMAL, tmp_path / "pack")
    with (tmp_path / "pack" / "notes.yaml").open("a", encoding="utf-8") as notes:
        notes.write('''  - id: booking_tip
    when: true
    show_with: [soft_tissue]
    reason: {en: Book a long first visit., fr: Prenez une longue première visite.}
    source: {citation: "Test pack", year: 2024, kind: consensus}
''')
    pack = load_pack(tmp_path / "pack", use_cache=False)
    stiff = {"chest_pain": "no", "fall": "no", "fever": "no", "age": 30, "area": "neck",
             "problems": frozenset({"stiffness"}), "blood_thinners": "no"}
    therapy = evaluate(pack, stiff)
    with_fever = evaluate(pack, {**stiff, "fever": "yes"})
    assert (therapy.disposition, with_fever.disposition) == ("soft_tissue", "doctor_first")
    assert "booking_tip" in ids(therapy.fired) and "booking_tip" in ids(with_fever.fired)
    assert ids(therapy.notes) == {"booking_tip"} and ids(with_fever.notes) == set()
    assert "Book a long first visit." in outcome_text(therapy, pack, "en", plain=False)
    assert "Book a long first visit." not in outcome_text(with_fever, pack, "en", plain=False)


# ------------------------------------------------------------------------------ techniques


def test_techniques_one_of_which_names_the_other_are_listed_once() -> None:
    """Audit "a result a person sees", finding 17: "Exercise therapy (strength and balance)"
    and "Exercise therapy" in one list read as two treatments."""
    def tech(en: str) -> dict[str, str]:
        return {"en": en, "fr": en}

    listed = (tech("Massage"), tech("Stretching"), tech("Massage (alongside exercise)"),
              tech("Exercise therapy (strength and balance)"), tech("exercise therapy"),
              tech("Exercise"), tech("Massage therapy"))
    assert [t["en"] for t in merge_named(listed, "en")] == [
        "Massage (alongside exercise)", "Stretching", "Exercise therapy (strength and balance)",
        "Exercise", "Massage therapy"]
    # low back pain with stiffness: "Massage" (stiffness) and "Massage (alongside exercise)"
    result = outcome(40, {"low_back"}, reasons={"stiffness"})
    shown = [t["en"] for t in result.techniques]
    assert "Massage (alongside exercise)" in shown and "Massage" not in shown
    assert shown.index("Massage (alongside exercise)") == 0


# ------------------------------------------------------------------------------ reasons


def test_a_rule_that_holds_on_several_branches_gives_the_reason_of_the_branch_that_held() -> None:
    """Audit "a result a person sees", finding 12: spinal infection signs said "Back or neck
    pain with a fever" with no fever and "We count not sure about your health history as
    yes" with the history "None of these"."""
    def reason(result: Outcome) -> str:
        return next(r.reason["en"] for r in result.fired if r.id == "spinal_infection_signs")

    fever = outcome(40, {"low_back"}, today_signs={"fever"})
    unsure = outcome(40, {"low_back"}, health_history={"not_sure"}, wound_signs=set(),
                     pregnancy_signs=set(), aneurysm_pain="no", other_symptoms={"night_pain"},
                     exertion_pain_later="no", cancer_nerve_pain="no")
    steroids = outcome(40, {"low_back"}, health_history={"steroids"},
                       other_symptoms={"night_pain"})
    assert reason(fever).startswith("Back or neck pain with a fever")
    assert "not sure" in reason(unsure) and "fever" not in reason(unsure)
    assert "not sure" not in reason(steroids) and "fever" not in reason(steroids)
    for result in (fever, unsure, steroids):  # the same reason everywhere it is shown
        said = reason(result)
        assert said in outcome_text(result, PACK, "en", plain=True)
        assert said in [r["reason"]["en"] for r in result.as_dict()["fired"] if "reason" in r]
