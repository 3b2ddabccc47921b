"""The sealed client-side state: round trip, tamper evidence, expiry, CSRF tokens."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from triage.pack.compiled import CompiledPack
from triage.web.state import KEY_ID_CHARS, Sealer, StateError, WebState

KEY = "k" * 40


@pytest.fixture
def sealer(clinical: CompiledPack) -> Sealer:
    return Sealer([KEY], clinical)


def test_round_trip_keeps_answers_in_order(sealer: Sealer) -> None:
    state = WebState.new().changed(
        answers=(("areas", frozenset({"neck", "leg"})), ("recent_stroke_signs", "no"),
                 ("age", 45)),
        shown=(0, 300), pending=("emergency_signs", frozenset({"chest_pain"})),
        started_screening=True)
    back = sealer.open(sealer.seal(state))
    assert back == state
    assert [q for q, _ in back.answers] == ["areas", "recent_stroke_signs", "age"]


def test_the_cookie_does_not_show_the_answers(sealer: Sealer) -> None:
    token = sealer.seal(WebState.new().changed(
        answers=(("emergency_signs", frozenset({"chest_pain"})),)))
    raw = base64.urlsafe_b64decode(token + "==")
    assert b"chest_pain" not in raw and b"emergency_signs" not in raw


@pytest.mark.parametrize("position", [10, 40, 80, -5])
def test_a_changed_character_is_refused_as_tampered(position: int, sealer: Sealer) -> None:
    token = sealer.seal(WebState.new())
    chars = list(token)
    chars[position] = "A" if chars[position] != "A" else "B"
    with pytest.raises(StateError) as caught:
        sealer.open("".join(chars))
    assert caught.value.kind == "tampered"


def test_another_servers_key_is_refused(clinical: CompiledPack) -> None:
    # never read; told apart from a changed cookie: the session ended (the server restarted
    # with a key made at start, or its key was changed), the page was not damaged
    token = Sealer(["o" * 40], clinical).seal(WebState.new())
    with pytest.raises(StateError) as caught:
        Sealer([KEY], clinical).open(token)
    assert caught.value.kind == "other_key"


def test_a_cookie_names_the_key_that_sealed_it(clinical: CompiledPack) -> None:
    one, two = Sealer(["o" * 40], clinical), Sealer([KEY], clinical)
    sealed_by_one = one.seal(WebState.new())
    assert sealed_by_one[:KEY_ID_CHARS] != two.seal(WebState.new())[:KEY_ID_CHARS]
    # the id is of the newest key; an older key's cookie is opened with that key
    assert Sealer(["o" * 40, KEY], clinical).seal(WebState.new())[:KEY_ID_CHARS] \
        == sealed_by_one[:KEY_ID_CHARS]


@pytest.mark.parametrize("position", [KEY_ID_CHARS, KEY_ID_CHARS + 12, KEY_ID_CHARS + 40, -40])
def test_a_changed_byte_under_a_key_this_server_has_is_tampered(
        position: int, sealer: Sealer) -> None:
    """The cookie names this server's key but its seal fails: only a change explains it.
    Byte-wise (not character-wise), so the cookie keeps its form."""
    token = sealer.seal(WebState.new())
    raw = bytearray(base64.urlsafe_b64decode(token[KEY_ID_CHARS:]))
    raw[(position - KEY_ID_CHARS) if position >= 0 else position] ^= 0x01
    changed = token[:KEY_ID_CHARS] + base64.urlsafe_b64encode(bytes(raw)).decode()
    with pytest.raises(StateError) as caught:
        sealer.open(changed)
    assert caught.value.kind == "tampered"


@pytest.mark.parametrize("cut", [
    lambda t: t[:-1],  # not whole base64
    lambda t: t[:-8],  # not whole blocks
    lambda t: t[:KEY_ID_CHARS + 20],  # shorter than any seal
    lambda t: t + "AAAA",
    lambda t: t[:KEY_ID_CHARS] + "h" + t[KEY_ID_CHARS + 1:],  # not Fernet's version byte
    lambda t: t[:KEY_ID_CHARS + 30] + "." + t[KEY_ID_CHARS + 31:],
])
def test_a_malformed_cookie_of_another_key_is_tampered(clinical: CompiledPack, cut: Any) -> None:
    """A key this server lacks explains a well-formed cookie it cannot open, never a
    malformed one."""
    token = Sealer(["o" * 40], clinical).seal(WebState.new())
    with pytest.raises(StateError) as caught:
        Sealer([KEY], clinical).open(cut(token))
    assert caught.value.kind == "tampered"


def test_a_cookie_without_a_key_id_is_outdated(sealer: Sealer) -> None:
    """The format before key ids (a server before an update): outdated, never read."""
    token = sealer._fernet.encrypt(sealer.fitted(WebState.new())).decode()
    with pytest.raises(StateError) as caught:
        sealer.open(token)
    assert caught.value.kind == "outdated"


def test_an_old_key_is_still_accepted_while_rotating(clinical: CompiledPack) -> None:
    token = Sealer(["o" * 40], clinical).seal(WebState.new())
    assert Sealer([KEY, "o" * 40], clinical).open(token).step == 0


def test_idle_and_absolute_expiry(clinical: CompiledPack) -> None:
    sealer = Sealer([KEY], clinical, idle_seconds=60, max_age_seconds=600)
    state = WebState.new()
    token = sealer.seal(state)
    assert sealer.open(token, now=state.started + 30) == state
    with pytest.raises(StateError, match="expired"):
        sealer.open(token, now=state.started + 120)
    old = WebState(nonce="n", started=state.started - 10_000)
    with pytest.raises(StateError, match="expired"):
        sealer.open(sealer.seal(old))


@pytest.mark.parametrize("token", ["", "x" * 5000, "not a token", "gAAAA\u00e9"])
def test_garbage_is_tampered(token: str, sealer: Sealer) -> None:
    with pytest.raises(StateError, match="tampered"):
        sealer.open(token)


def test_csrf_token_is_bound_to_the_session(sealer: Sealer) -> None:
    one, two = WebState.new(), WebState.new()
    assert sealer.csrf_ok(one, sealer.csrf_token(one))
    assert not sealer.csrf_ok(two, sealer.csrf_token(one))
    assert not sealer.csrf_ok(one, "")


def test_short_keys_are_refused(clinical: CompiledPack) -> None:
    with pytest.raises(ValueError):
        Sealer(["short"], clinical)


@pytest.mark.parametrize("token", ["\u00e9", "\ufffd\ufffd", "a" * 63 + "\u00e9", "\udcff"])
def test_a_token_with_a_character_no_token_has_is_refused(sealer: Sealer, token: str) -> None:
    """Not a TypeError from compare_digest (which takes only ASCII text): a wrong token."""
    assert not sealer.csrf_ok(WebState.new(), token)


def test_a_form_made_before_a_key_rotation_is_still_accepted(clinical: CompiledPack) -> None:
    """TRIAGE_WEB_SECRET=new,old: a form open in a browser tab carries the old key's token;
    it is accepted while the old key is configured, as the old key's cookie is."""
    state = WebState.new()
    before = Sealer(["o" * 40], clinical).csrf_token(state)
    rotated = Sealer([KEY, "o" * 40], clinical)
    assert rotated.csrf_ok(state, before)
    assert rotated.csrf_ok(state, rotated.csrf_token(state))
    assert rotated.csrf_token(state) == Sealer([KEY], clinical).csrf_token(state)  # newest
    assert not Sealer([KEY], clinical).csrf_ok(state, before)  # the old key retired
    assert not rotated.csrf_ok(WebState.new(), before)  # still bound to its session
