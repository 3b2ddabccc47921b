"""The sealed state always fits in a cookie a browser keeps, and comes back exactly as it was.

A browser keeps a cookie of up to 4096 bytes, name, value and attributes together, and drops a
larger one without a word; the server refuses a value over MAX_TOKEN_BYTES. The state used to
be the answers as JSON with their ids: every question answered with every box ticked, the
same taken back, a pending red flag and references made a cookie of about 8.8 KB, which the
browser dropped and the server refused (the person's answers lost mid-way).
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from hypothesis import HealthCheck, given, settings, target
from hypothesis import strategies as st
from starlette.responses import Response
from typer.testing import CliRunner

from tests.conftest import MINIMAL
from triage.cli.app import app
from triage.pack.compiled import CompiledPack
from triage.web import screening
from triage.web.config import WebConfig
from triage.web.pages import STATE_COOKIE, Web
from triage.web.state import (
    MAX_NONCE,
    MAX_REF,
    MAX_STARTED,
    MAX_TOKEN_BYTES,
    SCREENINGS_LIMIT,
    PackTooLarge,
    Sealer,
    StateCodec,
    StateError,
    WebState,
)
from triage.web.token import fernet_token_bytes

from .conftest import KEY, Visitor, make_client
from .cookie_states import (
    LARGEST_STEP,
    answers_of,
    any_states,
    maximal_journey,
    move,
    moves,
    worst_case_state,
)
from .test_app import replace_cookie

BROWSER_LIMIT = 4096  # bytes of one cookie, name, value and attributes (RFC 6265 section 6.1)
FIXTURES = [HealthCheck.function_scoped_fixture]


def set_cookie(web: Web, state: WebState) -> tuple[bytes, str]:
    """The Set-Cookie header the server sends for ``state``, and the cookie's value."""
    response = web.with_state(Response(), state)
    header = [v for k, v in response.raw_headers if k == b"set-cookie"][-1]
    value = header.split(b";")[0].split(b"=", 1)[1].strip(b'"').decode("ascii")
    return header, value


def assert_fits_and_comes_back(web: Web, state: WebState) -> str:
    header, token = set_cookie(web, state)
    assert len(header) <= BROWSER_LIMIT, len(header)
    assert len(token) <= MAX_TOKEN_BYTES, len(token)
    assert web.sealer.open(token) == state
    return token


@pytest.fixture(scope="module")
def web(clinical: CompiledPack) -> Web:
    return Web(clinical, WebConfig(secrets=[KEY]))


# ------------------------------------------------------------------------------ the worst case


def test_the_worst_case_of_the_bundled_pack_fits_and_comes_back_as_it_was(
        web: Web, clinical: CompiledPack) -> None:
    """Every question answered with its largest answer and taken back too, a pending red
    flag, an answer shown again, two references, the largest step: 8.8 KB before, refused by
    the server that made it and dropped by the browser."""
    state = worst_case_state(clinical)
    token = assert_fits_and_comes_back(web, state)
    assert len(token) <= StateCodec(clinical).worst


def test_the_bound_of_the_bundled_pack_leaves_room(clinical: CompiledPack) -> None:
    codec = StateCodec(clinical)
    assert codec.worst_kept <= codec.worst <= MAX_TOKEN_BYTES
    # the compact form, every convenience kept: about 20 bytes a question (31 questions: under
    # 1200; pack 0.2.8, 38 questions: 1208; pack 0.2.10, 39 questions: 1228; pack 0.2.16, 43
    # questions, 14 options on the first: 1316; pack 0.2.23, 47 questions: 1400; pack 0.2.27,
    # 52 questions: 1508; every question said removed besides (the answers a change removed,
    # said on the next page), 53 questions: 1536 -> 1748), far from the limit of 3500
    assert codec.worst < 1850


def test_the_token_length_is_worked_out_as_fernet_makes_it() -> None:
    fernet = Fernet(Fernet.generate_key())
    for size in range(0, 300):
        assert len(fernet.encrypt(b"x" * size)) == fernet_token_bytes(size), size


def test_the_longest_value_the_server_sends_makes_a_cookie_a_browser_keeps(
        web: Web, monkeypatch: pytest.MonkeyPatch) -> None:
    """Name and attributes count too: a value of MAX_TOKEN_BYTES (padded with '=', so the
    cookie is quoted as Fernet tokens are) still leaves the header under 4096 bytes."""
    longest = "A" * (MAX_TOKEN_BYTES - 2) + "=="
    monkeypatch.setattr(web.sealer, "seal", lambda state: longest)
    header, value = set_cookie(web, WebState.new())
    assert value == longest and header.startswith(STATE_COOKIE.encode() + b'="')
    assert len(header) <= BROWSER_LIMIT


def test_a_cookie_over_the_browsers_limit_is_never_sent(
        web: Web, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(web.sealer, "seal", lambda state: "A" * BROWSER_LIMIT)
    with pytest.raises(RuntimeError):
        web.with_state(Response(), WebState.new())


# ------------------------------------------------------------------------- every state fits


@pytest.mark.long(19)
@settings(max_examples=300, suppress_health_check=FIXTURES)
@given(data=st.data())
def test_any_state_of_the_bundled_pack_fits_and_round_trips(
        data: st.DataObject, web: Web, clinical: CompiledPack) -> None:
    """Any combination of answers, answers taken back, pending, prefill, progress and
    references the cookie can carry (more than a person can reach): under the pack's bound,
    and back exactly, so nothing is ever dropped for this pack."""
    state = data.draw(any_states(clinical))
    token = assert_fits_and_comes_back(web, state)
    target(len(token), label="cookie bytes")  # hypothesis looks for larger states
    assert len(token) <= web.sealer.codec.worst


@pytest.mark.long(8)
@settings(max_examples=50, suppress_health_check=FIXTURES)
@given(data=st.data())
def test_every_state_a_person_reaches_fits_and_round_trips(
        data: st.DataObject, web: Web, clinical: CompiledPack) -> None:
    """Walks through the real flow, as the server makes each move from a form: any answer,
    back, an emergency confirmed or taken back, results recorded, started again; every state
    on the way goes through the cookie and comes back the same."""
    state = WebState.new()
    largest = 0
    for _ in range(data.draw(st.integers(1, 100))):
        action = data.draw(st.sampled_from(moves(clinical, state)))
        state = move(clinical, state, action, lambda q: data.draw(answers_of(q)))
        token = assert_fits_and_comes_back(web, state)
        largest = max(largest, len(token))
        state = web.sealer.open(token)
    target(largest, label="largest cookie on the way")


def test_the_maximal_journey_fits_at_every_step(web: Web, clinical: CompiledPack) -> None:
    """The journey the Chromium test plays (test_browser_cookie.py)."""
    _, states = maximal_journey(clinical)
    assert max(len(s.earlier) for s in states) >= 10  # it does fill the cookie
    assert screening.page_for(clinical, states[-1]).kind == "result"
    for state in states:
        assert_fits_and_comes_back(web, state)


def test_the_step_wraps_rather_than_grows() -> None:
    state = WebState(nonce="n", started=1, step=LARGEST_STEP)
    assert state.changed().step == 0


# ------------------------------------------------------------------ another pack, another format


def test_a_cookie_from_another_pack_is_outdated(clinical: CompiledPack,
                                                minimal_pack: CompiledPack) -> None:
    """Question and option numbers mean something only in the pack that made them."""
    state = WebState.new().changed(answers=(("chest_pain", "no"),), started_screening=True)
    token = Sealer([KEY], minimal_pack).seal(state)
    with pytest.raises(StateError, match="outdated"):
        Sealer([KEY], clinical).open(token)
    # the same questions but another pack version (any file changed): outdated too
    edited = dataclasses.replace(minimal_pack, content_hash="0" * 64)
    with pytest.raises(StateError, match="outdated"):
        Sealer([KEY], edited).open(token)
    assert Sealer([KEY], minimal_pack).open(token) == state


def test_a_cookie_of_the_first_format_is_outdated(clinical: CompiledPack) -> None:
    sealer = Sealer([KEY], clinical)
    old = {"v": 1, "n": "n", "t": 1, "a": [["age", 45]], "s": 1, "p": [], "c": None,
           "f": None, "r": None, "g": True, "e": [], "l": None}
    token = sealer._key_id + sealer._fernet.encrypt(json.dumps(old).encode()).decode()
    with pytest.raises(StateError, match="outdated"):
        sealer.open(token)


def test_an_outdated_cookie_is_a_page_that_says_start_again(
        visitor: Visitor, minimal_pack: CompiledPack) -> None:
    visitor.start()
    csrf = visitor.hidden()["csrf"]
    other = WebState.new().changed(started_screening=True)
    replace_cookie(visitor, Sealer([KEY], minimal_pack).seal(other))
    for response in (visitor.client.get("/s"),
                     visitor.client.post("/s", data={"csrf": csrf, "step": "1",
                                                     "action": "back"})):
        assert response.status_code == 410
        assert "This questionnaire has been updated" in response.text
        assert "Please start again" in response.text and 'href="/"' in response.text
    assert visitor.client.get("/").status_code == 200  # starts afresh


@pytest.mark.parametrize("change", [
    lambda d: d.__setitem__(8, [99, 0]),  # no such question
    # a box the first question does not have (it has 14 since pack 0.2.16: 1 << 12 is one)
    lambda d: d.__setitem__(8, [0, 1 << 24]),
    lambda d: d.__setitem__(8, [1, 121]),  # age out of range
    lambda d: d.__setitem__(8, [1, 45.5]),  # age is a whole number
    lambda d: d.__setitem__(8, [1, True]),
    lambda d: d.__setitem__(8, [1, 45, 1, 46]),  # one answer per question
    lambda d: d.__setitem__(8, [1]),
    lambda d: d.__setitem__(10, [1, 45, 2, 0]),  # one pending answer
    lambda d: d.__setitem__(9, [1001]),
    lambda d: d.__setitem__(4, -1),
    lambda d: d.__setitem__(2, "a b"),
    lambda d: d.__setitem__(5, 2 * SCREENINGS_LIMIT),  # (2 * count + started: 2 is fine)
    lambda d: d.__setitem__(5, -1),
    lambda d: d.pop(),
])
def test_a_payload_encode_never_makes_is_tampered(clinical: CompiledPack, change: Any) -> None:
    sealer = Sealer([KEY], clinical)
    state = WebState.new().changed(answers=(("age", 45),), started_screening=True)
    data = json.loads(sealer.codec.encode(state))
    assert sealer.codec.decode(data) == state
    change(data)
    token = sealer._key_id + sealer._fernet.encrypt(json.dumps(data).encode()).decode()
    with pytest.raises(StateError, match="tampered"):
        sealer.open(token)


# ------------------------------------------------------------------------- larger packs


def copies(pack: CompiledPack, n: int) -> CompiledPack:
    """``pack`` with ``n`` more questions like its widest multiple choice."""
    widest = max(pack.questions, key=lambda q: len(q.options))
    more = tuple(dataclasses.replace(widest, id=f"more_{i}") for i in range(n))
    return dataclasses.replace(pack, questions=pack.questions + more)


def test_what_would_not_fit_drops_the_answers_taken_back_first(clinical: CompiledPack) -> None:
    """A pack whose answers always fit but not every convenience besides: the oldest answers
    taken back go first, then the answer shown again; never an answer, a pending red flag, a
    reference or the progress."""
    # as many more wide questions as fit (a count written here went stale as the pack grew:
    # 120 before pack 0.2.23, 110 before 0.2.27)
    pack = at_the_bound(clinical)
    codec = StateCodec(pack)
    assert codec.worst_kept <= MAX_TOKEN_BYTES < codec.worst
    sealer = Sealer([KEY], pack)
    given = dataclasses.replace(worst_case_state(pack), dropped=())
    token = sealer.seal(given)
    assert len(token) <= MAX_TOKEN_BYTES
    back = sealer.open(token)
    assert 0 < len(back.earlier) < len(given.earlier)
    assert back == dataclasses.replace(given, earlier=given.earlier[:len(back.earlier)])
    # the answers said removed go after the answer shown again, never before it
    many = dataclasses.replace(given, dropped=tuple(q.id for q in pack.questions[:20]))
    back = sealer.open(sealer.seal(many))
    assert back == dataclasses.replace(many, earlier=back.earlier)
    assert back.dropped == many.dropped and len(back.earlier) < len(given.earlier)


def at_the_bound(pack: CompiledPack) -> CompiledPack:
    """``pack`` with as many more wide questions as still fit (found, not counted by hand:
    the bundled pack grows)."""
    low, high = 0, 300  # 300 more do not fit (test below)
    while high - low > 1:
        middle = (low + high) // 2
        if StateCodec(copies(pack, middle)).worst_kept <= MAX_TOKEN_BYTES:
            low = middle
        else:
            high = middle
    return copies(pack, low)


def widest_given(pack: CompiledPack) -> WebState:
    """The widest state of ``pack``: the answer pending and shown again is the widest one at
    the pack's last place (its place number is widest there too)."""
    worst = worst_case_state(pack)
    last = (pack.questions[-1].id, dict(worst.answers)[pack.questions[-1].id])
    return dataclasses.replace(worst, nonce="x" * MAX_NONCE, pending=last, prefill=last,
                               dropped=(),
                               started=MAX_STARTED - 1, ref="r" * MAX_REF,
                               last_ref="l" * MAX_REF, shown=(1000,) * (len(pack.questions) + 1))


def test_at_the_bound_the_answer_shown_again_goes_too(clinical: CompiledPack) -> None:
    """The widest state of a pack just inside the limit: nothing taken back is left, and the
    answer shown again as the default goes too; what counts is all there. Whether the default
    still fits in the last cipher block depends on the pack's length in bytes (each wide copy
    adds one 16-byte block, so from pack 0.2.7 on the default always fitted): a few short
    questions more (copies of the age) shift it, found, not counted by hand."""
    short = next(q for q in clinical.questions if not q.options)

    def no_room_for_the_default(pack: CompiledPack) -> bool:
        state = dataclasses.replace(widest_given(pack), earlier=())
        return fernet_token_bytes(len(StateCodec(pack).encode(state))) > MAX_TOKEN_BYTES

    def shifted(k: int) -> CompiledPack:
        more = tuple(dataclasses.replace(short, id=f"short_{i}") for i in range(k))
        return at_the_bound(dataclasses.replace(clinical, questions=clinical.questions + more))

    pack = next(p for p in map(shifted, range(16)) if no_room_for_the_default(p))
    sealer = Sealer([KEY], pack)
    assert sealer.codec.worst_kept <= MAX_TOKEN_BYTES
    assert StateCodec(copies(pack, 1)).worst_kept > MAX_TOKEN_BYTES  # just inside
    given = widest_given(pack)
    payload = sealer.fitted(given)
    assert fernet_token_bytes(len(payload)) <= MAX_TOKEN_BYTES
    back = sealer.codec.decode(json.loads(payload))  # (open() would find it too old)
    assert back == dataclasses.replace(given, earlier=(), prefill=None)


def test_the_answers_said_removed_go_after_the_answer_shown_again(
        clinical: CompiledPack) -> None:
    """The names of the answers a change removed (said on the next page) are the last
    convenience to go: a state that fits once the answer shown again is left out keeps them.
    Found, not counted by hand: the widest state with nothing taken back that fits, then as
    many questions said removed as make it just too large (one place more costs at most 4
    bytes, leaving out the default saves more)."""
    wide = len(at_the_bound(clinical).questions) - len(clinical.questions)

    def fits(codec: StateCodec, state: WebState) -> bool:
        return fernet_token_bytes(len(codec.encode(state))) <= MAX_TOKEN_BYTES

    pack = next(p for p in (copies(clinical, k) for k in range(wide, 0, -1))
                if fits(StateCodec(p), dataclasses.replace(widest_given(p), earlier=())))
    sealer = Sealer([KEY], pack)
    ids = [q.id for q in pack.questions]
    given = next(state for n in range(1, len(ids) + 1)
                 if not fits(sealer.codec, state := dataclasses.replace(
                     widest_given(pack), earlier=(), dropped=tuple(ids[:n]))))
    back = sealer.codec.decode(json.loads(sealer.fitted(given)))
    assert back == dataclasses.replace(given, prefill=None) and back.dropped


def test_a_pack_whose_answers_could_outgrow_the_cookie_is_refused(
        clinical: CompiledPack) -> None:
    with pytest.raises(PackTooLarge, match="too large for the web questionnaire"):
        Sealer([KEY], copies(clinical, 300))


def test_serve_refuses_such_a_pack_before_it_listens(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(MINIMAL, tmp_path / "pack")
    questions = tmp_path / "pack" / "questions.yaml"
    boxes = "".join(f"      - {{id: o{j}, text: {{en: O{j}, fr: O{j}}}}}\n" for j in range(40))
    more = "".join(f"  - id: extra_{i}\n    text: {{en: Extra {i}?, fr: Extra {i}?}}\n"
                   f"    type: multi\n    options:\n{boxes}" for i in range(150))
    questions.write_text(questions.read_text().replace("scores:\n", more + "scores:\n"))

    def never(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("serve listened")

    monkeypatch.setattr("triage.web.server.serve", never)
    result = CliRunner().invoke(app, ["serve", "--pack", str(tmp_path / "pack")])
    assert result.exit_code == 1
    assert "questions.yaml:" in result.stderr
    assert "too large for the web questionnaire" in result.stderr


def test_the_minimal_pack_still_serves(minimal_pack: CompiledPack) -> None:
    with make_client(minimal_pack) as client:
        visitor = Visitor(client)
        visitor.start()
        assert visitor.question() == "chest_pain"
