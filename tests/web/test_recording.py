"""The reference and the record id of a web screening, worked out from its state: the same
for every copy of a request, another for any other screening or result."""

from __future__ import annotations

import re
from dataclasses import replace

from triage.records.model import new_id
from triage.web import screening
from triage.web.recording import record_id_for, reference_for
from triage.web.state import WebState

PACK = "0" * 64


def finished(**values: object) -> WebState:
    state = screening.start(WebState.new())
    return replace(state, answers=(("emergency_signs", frozenset({"chest_pain", "stroke"})),
                                   ("age", 45)), step=7, **values)


def test_a_reference_reads_out_on_the_phone_and_names_one_screening() -> None:
    state = finished()
    ref = reference_for(state)
    assert re.fullmatch(r"W-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}", ref)
    # every page of the screening, whatever was answered since
    assert reference_for(replace(state, answers=(), step=99)) == ref
    assert reference_for(replace(state, nonce=state.nonce + "x")) != ref
    assert reference_for(replace(state, started=state.started + 1)) != ref


def test_a_record_id_names_one_finished_state() -> None:
    state = finished()
    rid = record_id_for(PACK, state)
    assert len(rid) == len(new_id()) and set(rid) <= set("0123456789abcdefghjkmnpqrstvwxyz")
    same = replace(state, answers=(("emergency_signs", ["stroke", "chest_pain"]), ("age", 45)))
    assert record_id_for(PACK, same) == rid  # as the cookie gives it back, or the flow
    for other in (replace(state, step=8), replace(state, answers=state.answers[:1]),
                  replace(state, answers=(*state.answers[:1], ("age", 46))),
                  replace(state, started=state.started + 1), replace(state, nonce="other")):
        assert record_id_for(PACK, other) != rid
    assert record_id_for("1" * 64, state) != rid


def test_screenings_of_one_browser_session_start_at_different_times() -> None:
    """Started within the same second, each screening still has its own start time, so its
    own reference: the nonce stays for the whole browser session."""
    first = screening.start(WebState.new())
    second = screening.start(first)
    third = screening.start(second)
    assert first.nonce == second.nonce == third.nonce
    assert first.started < second.started < third.started
    assert len({reference_for(s) for s in (first, second, third)}) == 3
