"""A screening stopped before its result still knows its least urgent result: the most urgent
red flag that already holds whatever the missing answers are (engine.evaluate.known_at_least)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from tests.engine.test_flow import full_answers
from triage.engine.evaluate import known_at_least
from triage.engine.flow import Flow
from triage.engine.policy import URGENCY
from triage.pack.bundled import default_pack_dir
from triage.pack.compiled import CompiledPack
from triage.pack.load import load_pack


@pytest.fixture(scope="module")
def bundled() -> CompiledPack:
    return load_pack(default_pack_dir())


def _typed(pack: CompiledPack, keys: list[str]) -> Flow:
    flow = Flow(pack, "en")
    for raw in keys:
        assert flow.current is not None
        flow.answer(flow.current.id, raw)
    return flow


def test_not_sure_on_a_warning_sign_is_already_the_emergency_department(
        bundled: CompiledPack) -> None:
    """The audit's path: low back pain, "not sure" on the cauda equina signs; the screening
    goes on (other questions could make it 911), but it can only end at the ED or above."""
    flow = _typed(bundled, ["0", "45", "1", "6"])
    assert known_at_least(bundled, flow.answers) is None  # nothing holds yet
    flow = _typed(bundled, ["0", "45", "1", "6", "7"])
    assert not flow.finished
    assert known_at_least(bundled, flow.answers) == "emergency_department"


def test_nothing_known_on_a_therapy_path(bundled: CompiledPack) -> None:
    flow = _typed(bundled, ["0", "45", "1", "6", "0"])
    assert known_at_least(bundled, flow.answers) is None


def _never_above_the_result(pack: CompiledPack, truth: dict[str, Any]) -> None:
    flow = Flow(pack)
    known: list[str] = []
    while not flow.finished:
        found = known_at_least(pack, flow.answers)
        if found is not None:
            known.append(found)
        q = flow.current
        assert q is not None
        flow.set_answer(q.id, truth[q.id])
    final = flow.outcome().disposition
    assert all(URGENCY[final] >= URGENCY[k] for k in known), (known, final)
    # and it only ever rises as answers come in
    assert [URGENCY[k] for k in known] == sorted(URGENCY[k] for k in known)


def test_the_result_is_never_less_urgent_than_what_was_known(pack: CompiledPack) -> None:
    @settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
    @given(full_answers(pack))
    def check(truth: dict[str, Any]) -> None:
        _never_above_the_result(pack, truth)

    check()


def test_the_result_is_never_less_urgent_than_what_was_known_bundled(
        bundled: CompiledPack) -> None:
    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(full_answers(bundled))
    def check(truth: dict[str, Any]) -> None:
        _never_above_the_result(bundled, truth)

    check()
