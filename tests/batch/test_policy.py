"""Batch rows decide what the policy decides and name the red flag it names, also when a row
cannot be finished; checked against an independent reference (tests/reference.py)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests import reference
from tests.conftest import MINIMAL
from tests.policy_packs import FILE_ORDERS, priority_pack
from triage.batch.screening import Screener
from triage.conditions.tree import MULTI, SINGLE, YES_NO, QuestionShape
from triage.pack.compiled import CompiledPack
from triage.pack.load import load_pack

MISSING_SAFETY = "missing_safety_answers"  # the error kinds written to the results file
IGNORED_WARNING_SIGN = "ignored_warning_sign"


@pytest.fixture(scope="module")
def priority_packs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CompiledPack]:
    folder = tmp_path_factory.mktemp("priority")
    return {order: load_pack(priority_pack(folder / order, order), use_cache=False)
            for order in sorted(FILE_ORDERS)}


@pytest.fixture(params=sorted(FILE_ORDERS))
def pack(request: pytest.FixtureRequest,
         priority_packs: dict[str, CompiledPack]) -> CompiledPack:
    return priority_packs[request.param]


def row(pack: CompiledPack, **answers: Any) -> tuple[str, str | None, str | None, str | None]:
    result = Screener(pack).outcome(2, "r", answers)
    return result.status, result.disposition, result.main_red_flag, result.error


def test_a_complete_row_names_the_highest_priority_flag(pack: CompiledPack) -> None:
    assert row(pack, chest_pain="no", age=70, fall="no", fever="yes", area="neck",
               problems=frozenset({"stiffness"}), blood_thinners="no") == (
        "ok", "doctor_first", "fever_older", None)


def test_a_row_missing_a_safety_answer_names_the_most_urgent_flag_that_applies(
        pack: CompiledPack) -> None:
    # fell at 70 and cannot walk (same day) with a fever (two doctor-first flags), chest pain
    # not answered: an error for review that names the same-day flag, not a doctor-first one
    assert row(pack, age=70, fall="yes", can_bear_weight="no", fever="yes", area="knee",
               blood_thinners="no") == (
        "error", None, "fall_cannot_walk",
        "needs a doctor review: safety question chest_pain not answered (red flag "
        "fall_cannot_walk already applies: same_day or more urgent)")


def test_a_row_missing_a_safety_answer_names_the_highest_priority_flag(
        pack: CompiledPack) -> None:
    assert row(pack, age=70, fall="no", fever="yes", area="neck") == (
        "error", None, "fever_older",
        "needs a doctor review: safety question chest_pain not answered (red flag "
        "fever_older already applies: doctor_first or more urgent)")


def test_the_screener_and_the_engine_name_the_same_flag_when_stopped_early(
        pack: CompiledPack) -> None:
    # chest pain: an emergency whatever the rest; the fall questions were never answered
    result = Screener(pack).outcome(1, "d", {"chest_pain": "yes", "fever": "yes", "age": 70})
    assert (result.status, result.disposition, result.main_red_flag) == (
        "ok", "emergency", "heart_attack_signs")
    assert result.fired == ("heart_attack_signs", "fever_older", "fever_any",
                            "fever_no_massage")


# --------------------------------------------------------------------------- any answers


def answer_strategy(shape: QuestionShape) -> st.SearchStrategy[Any]:
    if shape.type == YES_NO:
        return st.sampled_from(["yes", "no"])
    if shape.type == SINGLE:
        return st.sampled_from(shape.options)
    if shape.type == MULTI:
        return st.frozensets(st.sampled_from(shape.options))
    lo = int(shape.min if shape.min is not None else -1000)
    hi = int(shape.max if shape.max is not None else 1000)
    return st.integers(lo, hi)


MINIMAL_PACK = load_pack(MINIMAL, use_cache=False)
# every question answered or not; ages at the thresholds, so that red flags fire often
SOME_ANSWERS = st.fixed_dictionaries({}, optional={
    **{qid: answer_strategy(s) for qid, s in MINIMAL_PACK.shapes.items()},
    "age": st.sampled_from([0, 30, 54, 55, 64, 65, 120])})


def check_row(pack: CompiledPack, answers: dict[str, Any]) -> None:
    got = Screener(pack).outcome(7, "x", dict(answers))
    want = reference.expected(pack, answers)
    assert (got.row, got.id) == (7, "x")
    ignored = reference.warning_signs_ignored(pack, answers)
    if ignored:  # refused; still with the disposition the other answers give, if medical
        assert (got.status, got.error_kind) == ("error", IGNORED_WARNING_SIGN)
        assert {flag for flag in ignored if f"red flag {flag}," in (got.error or "")} == ignored
        if want.missing_safety:  # named too, with the red flag that already applies
            assert (got.disposition, got.main_red_flag) == (None, want.main_red_flag)
            assert "needs a doctor review: safety question" in (got.error or "")
            return
        medical = want.disposition in reference.URGENCY_ORDER[:5]
        assert (got.disposition, got.main_red_flag) == (
            (want.disposition, want.main_red_flag) if medical else (None, None))
        return
    assert got.main_red_flag == want.main_red_flag
    if want.missing_safety:
        assert (got.status, got.error_kind, got.disposition) == ("error", MISSING_SAFETY, None)
        named = re.fullmatch(r"needs a doctor review: safety questions? ([a-z_, ]+) not "
                             r"answered( \(red flag .*\))?", got.error or "")
        assert named is not None, got.error
        assert set(named.group(1).split(", ")) <= want.pending_safety
    else:
        assert (got.status, got.disposition, got.fired) == ("ok", want.disposition, want.fired)


@settings(max_examples=500, deadline=None)
@given(answers=SOME_ANSWERS)
def test_rows_give_what_the_interpreted_policy_gives(answers: dict[str, Any]) -> None:
    check_row(MINIMAL_PACK, answers)


@settings(max_examples=300, deadline=None)
@given(order=st.sampled_from(sorted(FILE_ORDERS)), answers=SOME_ANSWERS)
def test_rows_of_the_priority_packs_give_what_the_interpreted_policy_gives(
        priority_packs: dict[str, CompiledPack], order: str, answers: dict[str, Any]) -> None:
    check_row(priority_packs[order], answers)
