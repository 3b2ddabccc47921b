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


# Low back pain at 45 with every other answer "none": answered by question id, in whatever
# order the pack asks (pack 0.2.23 asks the questions a 911 flag reads first).
LOW_BACK_45: dict[str, Any] = {
    "emergency_signs": [], "age": 45, "areas": ["low_back"], "neck_neuro": [],
    "today_signs": [], "health_history": [], "injury": "none", "onset": "gradual",
    "recent_stroke_signs": "no"}


def _answered_until(pack: CompiledPack, last: str, value: Any) -> Flow:
    """The flow answered from LOW_BACK_45 up to ``last``, which gets ``value``."""
    flow = Flow(pack, "en")
    while True:
        q = flow.current
        assert q is not None
        if q.id == last:
            flow.set_answer(q.id, value)
            return flow
        flow.set_answer(q.id, LOW_BACK_45[q.id])


def test_not_sure_on_a_warning_sign_is_already_the_emergency_department(
        bundled: CompiledPack) -> None:
    """The audit's path: low back pain, "not sure" on the cauda equina signs; the screening
    goes on (other questions could make it 911), but it can only end at the ED or above."""
    flow = _answered_until(bundled, "recent_stroke_signs", "no")
    assert known_at_least(bundled, flow.answers) is None  # nothing holds yet
    flow = _answered_until(bundled, "ces_signs", ["not_sure"])
    assert not flow.finished
    assert known_at_least(bundled, flow.answers) == "emergency_department"


def test_nothing_known_on_a_therapy_path(bundled: CompiledPack) -> None:
    flow = _answered_until(bundled, "ces_signs", [])
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
