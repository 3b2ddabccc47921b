"""The bundled pack asks every question a 911 red flag reads before the questions that can
only end lower, wherever the gates allow it (pack 0.2.23, open point 39, item 1 of clin-g: at
65 or over with belly pain the walking question, and for everyone how long it has lasted,
came before the onset question, so a sudden worst-ever pain, an aneurysm, reached 911 a
question or two later). Someone with a sign of the emergency department is asked the 911
questions anyway, so the order costs them nothing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from tests.conftest import REPO_ROOT
from triage.conditions.tree import questions_read
from triage.engine.evaluate import evaluate, next_question
from triage.pack.compiled import CompiledPack
from triage.pack.load import load_pack

PACK = load_pack(REPO_ROOT / "rules", use_cache=False)


def _gate_inputs(pack: CompiledPack, qid: str) -> set[str]:
    """Every question ``qid``'s gate reads, and theirs, and so on."""
    out: set[str] = set()
    todo = [qid]
    while todo:
        gate = pack.question_by_id[todo.pop()].ask_if
        for dep in questions_read(gate) if gate is not None else ():
            if dep in pack.question_by_id and dep not in out:
                out.add(dep)
                todo.append(dep)
    return out


def _read_by_911(pack: CompiledPack) -> set[str]:
    return {q for r in pack.red_flag_rules if r.disposition == "emergency" for q in r.reads
            if q in pack.question_by_id}


def test_every_question_a_911_flag_reads_comes_before_those_that_cannot_end_in_911() -> None:
    """The rule, stated for the pack: a question no 911 flag reads comes before one a 911 flag
    reads only when it must: it is read by that question's gate (or a gate of its gate), or
    the engine asks every screening question before any other (the conditions, which name
    falls and so the knock on the head asked again, come after the screening)."""
    order = list(PACK.question_order)
    urgent = _read_by_911(PACK)
    late = []
    for j, q in enumerate(order):
        if q not in urgent:
            continue
        needs = _gate_inputs(PACK, q)
        held_back = any(not PACK.question_by_id[g].red_flag_screen for g in needs | {q})
        for p in order[:j]:
            screening = PACK.question_by_id[p].red_flag_screen
            if p not in urgent and p not in needs and not (held_back and screening):
                late.append(f"{q} (a 911 flag reads it) after {p}")
    assert late == []


# A person who answers every question "no" or "none of these"; each answer is given only if
# it is asked.
NOTHING: Mapping[str, Any] = {
    "emergency_signs": frozenset(), "age": 40, "recent_stroke_signs": "no",
    "problem_somewhere": "yes", "ces_signs": frozenset(), "neck_neuro": frozenset(),
    "bladder_bowel": frozenset(), "bladder_bowel_later": frozenset(),  # pack 0.2.24
    "back_duration": "under_3_months",  # pack 0.2.26
    "cancer_nerve_pain": "no", "infection_risks": frozenset(),  # pack 0.2.27
    "exertion_pain": "no", "today_signs": frozenset(), "fever_signs": frozenset(),
    "health_history": frozenset(), "pregnancy_signs": frozenset(), "wound_signs": frozenset(),
    "aneurysm_pain": "no", "injury": "none", "head_injury": "no",
    "head_injury_signs": frozenset(), "spine_hurt": "no", "spine_injury": frozenset(),
    "arm_injury_signs": frozenset(), "can_walk_4_steps": "yes", "ankle_tender": frozenset(),
    "knee_signs": frozenset(), "leg_injury_signs": frozenset(), "duration": "under_6_weeks",
    "onset": "gradual", "other_symptoms": frozenset(), "weakness_both_sides": "no",
    "first_time": "no", "myelopathy_signs": frozenset(), "myelopathy_fast": "no",
    "ibp_items": frozenset(), "reasons": frozenset({"other_pain"}), "conditions": frozenset(),
    "cardiac_cleared": "yes", "exertion_pain_later": "no", "ces_signs_later": frozenset(),
    "can_walk_4_steps_later": "yes", "leg_injury_signs_later": frozenset(),
    "problem_now": "yes", "head_injury_later": "no", "head_injury_signs_later": frozenset(),
    "fall_signs_later": frozenset(), "wound_signs_later": frozenset(), "artificial_joint": "no",
    "pmr_signs": "no", "pmr_gca_signs": "no"}


def walk_quietly(pack: CompiledPack = PACK, /,
                 **answers: Any) -> tuple[list[str], dict[str, Any]]:
    """The questions ``pack`` asks one at a time of a person who gives ``answers`` and
    otherwise says no or none (``NOTHING``), and the answers they gave."""
    persona = {**NOTHING, **answers}
    given: dict[str, Any] = {}
    asked: list[str] = []
    while (question := next_question(pack, given)) is not None:
        given[question.id] = persona[question.id]
        asked.append(question.id)
    return asked, given


ONSET_PLACES = ("low_back", "upper_back", "trunk", "hip_buttock", "whole_body")


@pytest.mark.parametrize("place", ONSET_PLACES)
@pytest.mark.parametrize("age", [50, 64, 65, 80])
@pytest.mark.parametrize("worst", ["sudden_severe", "suddenly_much_worse", "not_sure"])
@pytest.mark.parametrize("history", [frozenset(), frozenset({"osteoporosis"})])
def test_a_sudden_worst_ever_pain_reaches_911_before_any_question_that_cannot(
        place: str, age: int, worst: str, history: frozenset[str]) -> None:
    """Open point 37's example and its class: every place that asks how the pain started,
    every age of the aneurysm flag (50 and over) either side of the walking question's 65,
    weak bones (which ask the walking question at any age), each answer read as sudden and
    worst-ever: 911, and every question asked on the way is one a 911 flag reads."""
    asked, given = walk_quietly(areas=frozenset({place}), age=age, onset=worst,
                         health_history=history)
    assert evaluate(PACK, given).disposition == "emergency"
    assert asked[-1] == "onset"
    urgent = _read_by_911(PACK)
    assert [q for q in asked if q not in urgent] == []


def test_the_knock_on_the_head_asked_again_comes_first_of_what_the_conditions_open() -> None:
    """Falls and sciatica named with no injury answered, a shoulder chosen: the knock on the
    head (911 with its danger signs) is asked right after the conditions, before the back's
    signs asked again for the sciatica, and the conditions come before the reasons. At 50:
    at 65 or over, or with a bleeding risk, the knock is asked among the screening questions
    whatever the injury answer (pack 0.2.22, head_knock_asked), so it is not asked again."""
    asked, given = walk_quietly(areas=frozenset({"shoulder"}), age=50,
                         conditions=frozenset({"falls", "sciatica"}),
                         head_injury_later="last_2_days",
                         head_injury_signs_later=frozenset({"seizure"}))
    assert evaluate(PACK, given).disposition == "emergency"
    assert asked[asked.index("conditions"):] == [
        "conditions", "head_injury_later", "head_injury_signs_later"]
    assert "reasons" not in asked
