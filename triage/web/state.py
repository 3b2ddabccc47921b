"""The state of one unfinished questionnaire, kept by the browser in a sealed cookie.

Nothing about a screening is kept on the server (unless the clinic records results): the answers
so far travel in a cookie that is encrypted and authenticated (Fernet: AES-128-CBC with
HMAC-SHA256 and a timestamp). A changed byte, a cookie from another server key, or one idle for
longer than :data:`IDLE_SECONDS` is refused; so any number of ``serve`` processes that share
the key can answer any request, behind any load balancer. Encrypted rather than only signed:
answers are health data, and a cookie can be read by anyone who gets at the browser's profile.

A replayed request cannot be told from the same browser going back in time, so each form also
carries the ``step`` it was made for: a form from an older page (the browser's back button, a
double submission) is refused with a clear page rather than applied to newer answers.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass, replace
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

IDLE_SECONDS = 30 * 60  # a session left alone this long is gone: answers are health data
MAX_AGE_SECONDS = 3 * 60 * 60  # and none lives longer than this, however active
MAX_TOKEN_BYTES = 3500  # browsers keep cookies up to ~4 KB; anything larger is not ours
VERSION = 1


class StateError(Exception):
    """A cookie that cannot be used; ``kind`` is ``tampered`` or ``expired``."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


@dataclass(frozen=True)
class WebState:
    nonce: str  # random per browser session: what the CSRF token is bound to
    started: int  # epoch seconds
    answers: tuple[tuple[str, Any], ...] = ()  # (question id, answer) in the order given
    step: int = 0  # bumped by every change; each form names the step it was made for
    shown: tuple[int, ...] = ()  # progress shown (per mille) at each answered question
    pending: tuple[str, Any] | None = None  # a red-flag answer waiting to be confirmed
    prefill: tuple[str, Any] | None = None  # an answer taken back, shown as the default
    # answers taken back by going back, most recent first: each is shown again as the default
    # when its question comes again (going back to look must not lose the later answers)
    earlier: tuple[tuple[str, Any], ...] = ()
    # the reference of a result recorded before the person went back to change an answer:
    # the new result is recorded under the same reference, so the two can be read together
    last_ref: str | None = None
    ref: str | None = None  # the record reference, once recorded ("" when saving failed)
    started_screening: bool = False

    @classmethod
    def new(cls, nonce: str | None = None) -> WebState:
        return cls(nonce=nonce or secrets.token_urlsafe(16), started=int(time.time()))

    def changed(self, **values: Any) -> WebState:
        return replace(self, **{"step": self.step + 1, **values})

    def as_json(self) -> dict[str, Any]:
        return {"v": VERSION, "n": self.nonce, "t": self.started,
                "a": [[q, _jsonable(v)] for q, v in self.answers], "s": self.step,
                "p": list(self.shown),
                "c": None if self.pending is None else [self.pending[0],
                                                        _jsonable(self.pending[1])],
                "f": None if self.prefill is None else [self.prefill[0],
                                                        _jsonable(self.prefill[1])],
                "r": self.ref, "g": self.started_screening,
                "e": [[q, _jsonable(v)] for q, v in self.earlier], "l": self.last_ref}

    @classmethod
    def from_json(cls, data: Any) -> WebState:
        """Checks the shape only: the answers are checked again against the pack by the flow."""
        try:
            if not isinstance(data, dict) or data.get("v") != VERSION:
                raise ValueError
            answers = tuple((_qid(q), _value(v)) for q, v in data["a"])
            pending = data["c"]
            prefill = data["f"]
            state = cls(
                nonce=_str(data["n"]), started=_int(data["t"]), answers=answers,
                step=_int(data["s"]), shown=tuple(_int(x) for x in data["p"]),
                pending=None if pending is None else (_qid(pending[0]), _value(pending[1])),
                prefill=None if prefill is None else (_qid(prefill[0]), _value(prefill[1])),
                ref=None if data["r"] is None else _str(data["r"]),
                started_screening=bool(data["g"]),
                # "e" came later: a cookie from before it has no earlier answers
                earlier=tuple((_qid(q), _value(v)) for q, v in data.get("e", ())),
                last_ref=None if data.get("l") is None else _str(data["l"]))
        except (KeyError, TypeError, ValueError, IndexError):
            raise StateError("tampered") from None
        return state


def _jsonable(value: Any) -> Any:
    return sorted(value) if isinstance(value, frozenset | set) else value


def _str(x: Any) -> str:
    if not isinstance(x, str) or len(x) > 200:
        raise ValueError
    return x


def _qid(x: Any) -> str:
    return _str(x)


def _int(x: Any) -> int:
    if not isinstance(x, int) or isinstance(x, bool):
        raise ValueError
    return x


def _value(x: Any) -> Any:
    if isinstance(x, list):
        return [_str(i) for i in x]
    if isinstance(x, bool) or not isinstance(x, str | int | float):
        raise ValueError
    return _str(x) if isinstance(x, str) else x


class Sealer:
    """Seals states into cookie values and opens them; makes and checks CSRF tokens.

    ``secrets_``: the server key first, older keys after it (still accepted, so a key can be
    rotated without ending every session at once).
    """

    def __init__(self, secrets_: list[str], *, idle_seconds: int = IDLE_SECONDS,
                 max_age_seconds: int = MAX_AGE_SECONDS) -> None:
        if not secrets_ or any(len(s) < 32 for s in secrets_):
            raise ValueError("a server key needs at least 32 characters")
        self._fernet = MultiFernet([Fernet(_derive(s, b"triage-web-state")) for s in secrets_])
        self._csrf_key = hashlib.sha256(b"triage-web-csrf\0" + secrets_[0].encode()).digest()
        self.idle_seconds = idle_seconds
        self.max_age_seconds = max_age_seconds

    def seal(self, state: WebState) -> str:
        raw = json.dumps(state.as_json(), separators=(",", ":"), ensure_ascii=True)
        return self._fernet.encrypt(raw.encode()).decode("ascii")

    def open(self, token: str, *, now: float | None = None) -> WebState:
        if len(token) > MAX_TOKEN_BYTES:
            raise StateError("tampered")
        try:
            data = self._fernet.decrypt(token.encode("ascii"))
        except (InvalidToken, UnicodeEncodeError, ValueError):
            raise StateError("tampered") from None
        # the timestamp is authenticated with the data: decrypt first, then tell an old
        # cookie (expired) from a forged one (tampered)
        when = now if now is not None else time.time()
        try:
            sealed_at = self._fernet.extract_timestamp(token.encode("ascii"))
        except InvalidToken:
            raise StateError("tampered") from None
        if when - sealed_at > self.idle_seconds:
            raise StateError("expired")
        try:
            state = WebState.from_json(json.loads(data))
        except ValueError:
            raise StateError("tampered") from None
        if when - state.started > self.max_age_seconds:
            raise StateError("expired")
        return state

    def csrf_token(self, state: WebState) -> str:
        return hmac.new(self._csrf_key, state.nonce.encode(), hashlib.sha256).hexdigest()

    def csrf_ok(self, state: WebState, token: str) -> bool:
        return hmac.compare_digest(self.csrf_token(state), token)


def _derive(secret: str, label: bytes) -> bytes:
    return base64.urlsafe_b64encode(hashlib.sha256(label + b"\0" + secret.encode()).digest())
