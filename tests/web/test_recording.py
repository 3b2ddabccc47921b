"""The reference and the record id of a web screening, worked out from its state: the same
for every copy of a request, another for any other screening or result."""

from __future__ import annotations

import json
import re
import time
from dataclasses import replace

import pytest

from tests.conftest import MINIMAL
from triage.pack.load import load_pack
from triage.records.model import new_id
from triage.web import screening
from triage.web.recording import record_id_for, reference_for
from triage.web.state import StateCodec, WebState

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


def test_screenings_of_one_browser_session_have_their_own_references_and_true_times(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Started within the same second, each screening still has its own reference (the
    nonce stays for the whole browser session), and its start time is the time it started:
    each start used to push it one second past the one before, so a script starting 100 a
    second made the 100th start 99 seconds in the future (and never expire by age)."""
    monkeypatch.setattr(time, "time", lambda: 1_800_000_000.5)
    states = [screening.start(WebState.new())]
    for _ in range(99):
        states.append(screening.start(states[-1]))
    assert {s.nonce for s in states} == {states[0].nonce}
    assert {s.started for s in states} == {1_800_000_000}  # the true time, every time
    assert len({reference_for(s) for s in states}) == 100
    assert len({record_id_for(PACK, s) for s in states}) == 100
    # the count goes through the cookie
    codec = StateCodec(load_pack(MINIMAL, use_cache=False))
    assert codec.decode(json.loads(codec.encode(states[-1]))) == states[-1]


def test_a_screening_under_way_before_the_count_keeps_its_reference() -> None:
    # a cookie of the format before: the screening slot 0 or 1, no count; its reference and
    # record id are worked out as they were
    state = WebState(nonce="n", started=1_700_000_000, started_screening=True)
    assert state.screenings == 0
    codec = StateCodec(load_pack(MINIMAL, use_cache=False))
    assert json.loads(codec.encode(state))[5] == 1
    assert reference_for(state) == "W-" + "-".join(_old_code(state))


def _old_code(state: WebState) -> tuple[str, str]:
    import hashlib

    from triage.records.model import code_from_digest
    from triage.web.recording import REFERENCE_ALPHABET

    text = json.dumps([state.nonce, state.started], sort_keys=True, separators=(",", ":"))
    code = code_from_digest(hashlib.sha256(b"triage-web-reference\0" + text.encode()).digest(),
                            REFERENCE_ALPHABET, 8)
    return code[:4], code[4:]
