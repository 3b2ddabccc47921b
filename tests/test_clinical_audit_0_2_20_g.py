"""The bundled pack's belly, joint, spine and knee holes of pack 0.2.20 (helper clin-g; open
point 39 of docs/clinical-safety.md): each hole was one example of a class, so these tests
sweep the class (every place, every age around a threshold, every "not sure") rather than
the one answer set rules/tests/audit_0_2_20_g.yaml keeps."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import REPO_ROOT
from tests.test_clinical_ask_order import NOTHING
from triage.engine.evaluate import evaluate, next_question
from triage.pack.load import load_pack

PACK = load_pack(REPO_ROOT / "rules", use_cache=False)
PLACES = [o.id for o in PACK.question_by_id["areas"].options or ()]


def _walk(**answers: Any) -> tuple[list[str], dict[str, Any]]:
    persona = {**NOTHING, "artificial_joint": "no", **answers}
    given: dict[str, Any] = {}
    asked: list[str] = []
    while (question := next_question(PACK, given)) is not None:
        given[question.id] = persona[question.id]
        asked.append(question.id)
    return asked, given


def _fired(given: dict[str, Any]) -> tuple[str, set[str]]:
    outcome = evaluate(PACK, given)
    return outcome.disposition, {r.id for r in outcome.fired}


# ------------------------------------------------------------------ an artificial joint


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("sign", ["new_swollen_joint", "arthritis_flare"])
@pytest.mark.parametrize("replaced", ["yes", "not_sure"])
@pytest.mark.parametrize("age", [16, 40, 64, 65, 90])
def test_an_artificial_joint_newly_swollen_is_a_doctor_today_at_any_place_and_age(
        place: str, sign: str, replaced: str, age: int) -> None:
    """Open point 37: a joint replaced years ago (no operation in the last 3 months named),
    newly swollen and painful with no injury, or in a flare, got a doctor within 1 to 3 days
    (a flare: before therapy). An infected joint replacement comes at any time after the
    operation: a doctor today, wherever the person says it hurts, at any adult age, and
    "not sure" whether the joint is artificial counts as yes."""
    asked, given = _walk(areas=frozenset({place}), age=age, today_signs=frozenset({sign}),
                         artificial_joint=replaced)
    assert "artificial_joint" in asked
    disposition, fired = _fired(given)
    assert disposition == "same_day"
    assert "replaced_joint_swollen" in fired


@pytest.mark.parametrize("signs", [frozenset(), frozenset({"hot_joint"}),
                                   frozenset({"swelling_after_knock"}),
                                   frozenset({"open_wound"})])
def test_the_artificial_joint_is_asked_only_of_a_swollen_joint_or_a_flare(
        signs: frozenset[str]) -> None:
    """A short question for those it concerns: no swollen joint, no flare, no question (a
    hot joint is a doctor today already; a swelling after a knock is an injury)."""
    asked, _ = _walk(areas=frozenset({"knee"}), age=70, today_signs=signs)
    assert "artificial_joint" not in asked


def test_a_natural_joint_newly_swollen_stays_within_1_to_3_days() -> None:
    """*Below*: the same knee, not replaced, no weak immunity, no operation: unchanged."""
    _, given = _walk(areas=frozenset({"knee"}), age=70,
                     today_signs=frozenset({"new_swollen_joint"}), artificial_joint="no")
    disposition, fired = _fired(given)
    assert disposition == "doctor_soon"
    assert "replaced_joint_swollen" not in fired
