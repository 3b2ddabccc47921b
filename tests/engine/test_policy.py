"""Which red flag is the main reason: the most urgent, then the highest ``priority``, then the
first in the files, whether the answers are complete (compiled code) or the questionnaire
stopped early on a certain medical disposition (three-valued logic)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.policy_packs import FILE_ORDERS, priority_pack
from triage.engine.evaluate import evaluate, outcome_when_stopped
from triage.engine.policy import RED_FLAG
from triage.pack.compiled import CompiledPack
from triage.pack.load import load_pack

COMPLETE = {"chest_pain": "no", "fall": "no", "fever": "no", "age": 40, "area": "neck",
            "problems": frozenset({"stiffness"}), "blood_thinners": "no"}


@pytest.fixture(params=sorted(FILE_ORDERS))
def pack(request: pytest.FixtureRequest, tmp_path: Path) -> CompiledPack:
    return load_pack(priority_pack(tmp_path / "pack", request.param), use_cache=False)


def red_flags(rules: Any) -> list[str]:
    return [r.id for r in rules if r.kind == RED_FLAG]


def test_red_flags_are_kept_most_urgent_then_highest_priority_first(
        pack: CompiledPack) -> None:
    assert red_flags(pack.rules) == ["heart_attack_signs", "fall_cannot_walk", "fever_older",
                                     "fever_any"]


def test_the_highest_priority_flag_of_one_urgency_is_the_main_reason(
        pack: CompiledPack) -> None:
    outcome = evaluate(pack, {**COMPLETE, "fever": "yes", "age": 70})
    assert outcome.disposition == "doctor_first"
    assert outcome.main_red_flag == "fever_older"
    assert red_flags(outcome.fired) == ["fever_older", "fever_any"]  # reasons in this order


def test_a_lower_priority_flag_alone_is_the_main_reason(pack: CompiledPack) -> None:
    outcome = evaluate(pack, {**COMPLETE, "fever": "yes", "age": 40})
    assert (outcome.disposition, outcome.main_red_flag) == ("doctor_first", "fever_any")


def test_urgency_outranks_priority(pack: CompiledPack) -> None:
    # fall_cannot_walk has priority 2, heart_attack_signs none (0): urgency decides first
    outcome = evaluate(pack, {**COMPLETE, "chest_pain": "yes", "fall": "yes",
                              "can_bear_weight": "no", "fever": "yes", "age": 70})
    assert (outcome.disposition, outcome.main_red_flag) == ("emergency", "heart_attack_signs")
    assert red_flags(outcome.fired) == ["heart_attack_signs", "fall_cannot_walk",
                                        "fever_older", "fever_any"]


# --------------------------------------------------------------------------- stopped early


def test_stopped_early_the_highest_priority_flag_is_the_main_reason(pack: CompiledPack) -> None:
    # no more urgent flag can fire (no chest pain, no fall): doctor first is certain, and the
    # area, problems and blood thinners are never asked
    answers = {"chest_pain": "no", "fall": "no", "fever": "yes", "age": 70}
    for outcome in (evaluate(pack, answers), outcome_when_stopped(pack, answers)):
        assert outcome is not None
        assert (outcome.disposition, outcome.main_red_flag) == ("doctor_first", "fever_older")
        assert red_flags(outcome.fired) == ["fever_older", "fever_any"]
        assert red_flags(outcome.red_flags_unchecked) == []


def test_stopped_early_the_most_urgent_flag_is_the_main_reason(pack: CompiledPack) -> None:
    # chest pain makes it an emergency whatever else: the fall is never asked about
    answers = {"chest_pain": "yes", "fever": "yes", "age": 70}
    for outcome in (evaluate(pack, answers), outcome_when_stopped(pack, answers)):
        assert outcome is not None
        assert (outcome.disposition, outcome.main_red_flag) == ("emergency",
                                                                "heart_attack_signs")
        assert red_flags(outcome.fired) == ["heart_attack_signs", "fever_older", "fever_any"]
        assert red_flags(outcome.red_flags_unchecked) == ["fall_cannot_walk"]
