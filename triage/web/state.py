"""The state of one unfinished questionnaire, kept by the browser in a sealed cookie.

Nothing about a screening is kept on the server (unless the clinic records results): the answers
so far travel in a cookie that is encrypted and authenticated (Fernet: AES-128-CBC with
HMAC-SHA256 and a timestamp). A changed byte, a cookie from another server key, or one idle for
longer than :data:`IDLE_SECONDS` is refused (the cookie names its key, so one sealed with a key
this server lacks reads as a session ended, not a damaged page: triage.web.token). So any
number of ``serve`` processes that share the key can answer any request, behind any load
balancer. Encrypted rather than only signed: answers are health data, and a cookie can be read
by anyone who gets at the browser's profile.

A replayed request cannot be told from the same browser going back in time, so each form also
carries the ``step`` it was made for: a form from an older page (the browser's back button, a
double submission) is refused with a clear page rather than applied to newer answers.

The cookie must fit: browsers drop a cookie over about 4 KB without a word, and a server that
refused its own cookie would lose a person's answers mid-way. So the state is sealed in a
compact form (:class:`StateCodec`): questions and options as their places in the pack, a
multiple choice as one number (a bit per option), a yes/no as 0 or 1. Those places mean
something only in the pack that made them, so the cookie names the pack by a tag of its
content hash, and a cookie from another pack (or an older cookie format) is refused as
``outdated``, never read with the wrong questions. The largest state a pack allows is worked
out from the pack itself (:attr:`StateCodec.worst_kept`) and a pack whose answers could ever
outgrow the cookie is refused before a server starts; if a state is still too large,
:meth:`Sealer.seal` drops what is only a convenience (the ``earlier`` answers shown again as
defaults, oldest first, then ``prefill``), never an answer that counts.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import secrets
import time
from dataclasses import dataclass, replace
from typing import Any

from cryptography.fernet import Fernet, InvalidToken

from triage.conditions.tree import MULTI, SINGLE, YES_NO
from triage.engine.answers import normalise
from triage.pack.compiled import CompiledPack
from triage.pack.specs import QuestionSpec
from triage.web.bounded import bounded, fail, number_width, widest, word
from triage.web.config import MIN_KEY_CHARS
from triage.web.token import KEY_ID_CHARS, derive, fernet_shaped, key_id, sealed_bytes

IDLE_SECONDS = 30 * 60  # a session left alone this long is gone: answers are health data
MAX_AGE_SECONDS = 3 * 60 * 60  # and none lives longer than this, however active
# The largest cookie value sealed or opened. Browsers keep a cookie of up to 4096 bytes, name,
# value and attributes together (RFC 6265 5.3, the least a browser must keep); ours adds about
# 75 bytes of name and attributes (tests/web/test_cookie_size.py checks the real header), so
# this leaves room and the server never makes a cookie it would refuse or a browser would drop.
MAX_TOKEN_BYTES = 3500
COOKIE_LIMIT = 4096  # bytes of one Set-Cookie header value a browser must keep
VERSION = 2  # 1: the answers as JSON with their ids (could outgrow the cookie)

# Limits of the values the codec takes, which bound the largest state a pack allows: a field
# that could grow without end (a step counter, a reference) would make no bound hold.
STEP_LIMIT = 10**9  # the step counter wraps here; see WebState.changed
# the count of screenings started in one browser session wraps here: a screening is named
# with its start time too, and a million screenings take more than a second
SCREENINGS_LIMIT = 10**6
MAX_STARTED = 10**11  # epoch seconds (year 5138)
MAX_NONCE = 43  # secrets.token_urlsafe(32); WebState.new makes 22
MAX_REF = 32  # a record reference: web.recording.reference_for makes 11 characters
MAX_SHOWN = 1000  # progress per mille
TAG_CHARS = 12


class StateError(Exception):
    """A cookie that cannot be used; ``kind`` is ``tampered``, ``expired``, ``outdated``
    (sealed for another rule pack, or in an older format: the server was updated) or
    ``other_key`` (well formed, sealed with a key this server does not have)."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


class StateTooLarge(Exception):
    """A state that does not fit in a cookie even without the conveniences: never sealed."""


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
    # screenings started in this browser session (wrapping): with the nonce and the start
    # time, what names a screening (web.recording), so that two started within one second
    # differ while ``started`` stays the true time
    screenings: int = 0
    # the questions whose answers the last change made no longer apply, removed: the next
    # page says so (Flow's Accepted.dropped), and the move after it forgets them
    dropped: tuple[str, ...] = ()

    @classmethod
    def new(cls, nonce: str | None = None) -> WebState:
        return cls(nonce=nonce or secrets.token_urlsafe(16), started=int(time.time()))

    def changed(self, **values: Any) -> WebState:
        # wraps rather than grows: a form is checked against the step of the page it was
        # made for, and a form a billion steps old cannot come from a 3-hour session
        return replace(self, **{"step": (self.step + 1) % STEP_LIMIT, "dropped": (),
                                **values})


class StateCodec:
    """The compact, pack-bound form of a :class:`WebState` (a JSON list of small numbers).

    ``[VERSION, tag, nonce, started, step, screening, ref, last_ref, answers, shown, pending,
    prefill, earlier]`` (and ``dropped``, question places, only when there are any: so a
    cookie without them is the format before), where an answer is two numbers: the question's
    place in the pack's questions, then its value (yes/no: 1 or 0; a single choice: the
    option's place; a multiple choice: the sum of 2**place over the options chosen; a number:
    itself).
    ``pending`` and ``prefill`` are one such pair or ``[]``.
    """

    def __init__(self, pack: CompiledPack) -> None:
        self.questions: tuple[QuestionSpec, ...] = pack.questions
        self.place = {q.id: i for i, q in enumerate(pack.questions)}
        self.option_place = [{o.id: i for i, o in enumerate(q.options)} for q in pack.questions]
        # the places are what the tag must pin: the content hash covers every pack file, and
        # the tables themselves are hashed too, so no two packs that number differently share
        # a tag (a cookie read with another pack's numbering would be other answers)
        tables = "\n".join(f"{q.id}:{q.type}:{','.join(o.id for o in q.options)}"
                           for q in pack.questions)
        digest = hashlib.sha256(f"{pack.content_hash}\0{tables}".encode())
        self.tag = digest.hexdigest()[:TAG_CHARS]
        self.worst = sealed_bytes(len(self._worst_payload(convenience=True)))
        # what can never be dropped: it must fit for every state (checked when a server starts)
        self.worst_kept = sealed_bytes(len(self._worst_payload(convenience=False)))

    # -- encoding --------------------------------------------------------------------------

    def encode(self, state: WebState) -> bytes:
        """The payload to seal; ValueError for a state outside the codec's limits (a bug: the
        flow only makes answers that fit the pack)."""
        if len(state.shown) > len(self.questions) + 1:
            fail()
        data = [VERSION, self.tag, word(state.nonce, MAX_NONCE),
                bounded(state.started, MAX_STARTED), bounded(state.step, STEP_LIMIT),
                # (one number: a cookie of the format before, 0 or 1, reads as screening 0)
                2 * bounded(state.screenings, SCREENINGS_LIMIT) + int(state.started_screening),
                _ref(state.ref), _ref(state.last_ref),
                self._pairs(state.answers), [bounded(x, MAX_SHOWN + 1) for x in state.shown],
                self._pairs([state.pending] if state.pending else []),
                self._pairs([state.prefill] if state.prefill else []),
                self._pairs(state.earlier)]
        if state.dropped:
            data.append(self._places(state.dropped))
        return json.dumps(data, separators=(",", ":"), ensure_ascii=True,
                          allow_nan=False).encode("ascii")

    def _places(self, questions: tuple[str, ...]) -> list[int]:
        if len(set(questions)) != len(questions) or not set(questions) <= self.place.keys():
            fail()
        return [self.place[q] for q in questions]

    def _pairs(self, answers: Any) -> list[Any]:
        flat: list[Any] = []
        seen: set[str] = set()
        for qid, value in answers:
            if qid not in self.place or qid in seen:  # one answer per question, as the flow
                fail()
            seen.add(qid)
            flat += [self.place[qid], self._value(self.place[qid], value)]
        return flat

    def _value(self, place: int, value: Any) -> Any:
        q = self.questions[place]
        options = self.option_place[place]
        if q.type == YES_NO:
            return {"yes": 1, "no": 0}[value] if value in ("yes", "no") else fail()
        if q.type == SINGLE:
            return options[value] if isinstance(value, str) and value in options else fail()
        if q.type == MULTI:
            if not isinstance(value, list | tuple | set | frozenset) \
                    or not all(isinstance(v, str) and v in options for v in value):
                fail()
            return sum(1 << options[v] for v in set(value))
        if not self._number_ok(q, value):  # a number question: the number itself
            fail()
        return value

    def _number_ok(self, q: QuestionSpec, value: Any) -> bool:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        if isinstance(value, float) and not math.isfinite(value):
            return False
        return (len(json.dumps(value)) <= number_width(q)
                and not normalise(q.shape, value)[1])

    # -- decoding --------------------------------------------------------------------------

    def decode(self, data: Any) -> WebState:
        """A state from a payload this server's key sealed: ``outdated`` for another pack or
        format, ``tampered`` for anything else that is not what :meth:`encode` makes."""
        if not isinstance(data, list) or not data or data[0] != VERSION:
            raise StateError("outdated")  # format 1 was a JSON object
        if len(data) not in (13, 14) or data[1] != self.tag:
            raise StateError("outdated" if len(data) in (13, 14) else "tampered")
        try:
            (_, _, nonce, started, step, screening, ref, last_ref, answers, shown, pending,
             prefill, earlier, *places) = data
            dropped = tuple(self.questions[bounded(p, len(self.questions))].id
                            for p in (places[0] if places else ()))
            if (places and not dropped) or len(set(dropped)) != len(dropped):
                raise ValueError  # (encode writes no empty list, and each question once)
            pend, pre = self._pairs_back(pending), self._pairs_back(prefill)
            if len(pend) > 1 or len(pre) > 1 or not isinstance(shown, list) \
                    or len(shown) > len(self.questions) + 1:
                raise ValueError
            return WebState(
                nonce=word(nonce, MAX_NONCE), started=bounded(started, MAX_STARTED),
                answers=self._pairs_back(answers), step=bounded(step, STEP_LIMIT),
                shown=tuple(bounded(x, MAX_SHOWN + 1) for x in shown),
                pending=pend[0] if pend else None, prefill=pre[0] if pre else None,
                earlier=self._pairs_back(earlier), last_ref=_ref(last_ref), ref=_ref(ref),
                started_screening=bounded(screening, 2 * SCREENINGS_LIMIT) % 2 == 1,
                screenings=screening // 2, dropped=dropped)
        except (TypeError, ValueError, IndexError):
            raise StateError("tampered") from None

    def _pairs_back(self, flat: Any) -> tuple[tuple[str, Any], ...]:
        if not isinstance(flat, list) or len(flat) % 2 or len(flat) > 2 * len(self.questions):
            raise ValueError
        out = tuple((self.questions[bounded(p, len(self.questions))].id,
                     self._value_back(p, v)) for p, v in zip(flat[::2], flat[1::2], strict=True))
        if len({q for q, _ in out}) != len(out):
            raise ValueError  # one answer per question
        return out

    def _value_back(self, place: int, code: Any) -> Any:
        q = self.questions[place]
        if q.type == YES_NO:
            return ("no", "yes")[bounded(code, 2)]
        if q.type == SINGLE:
            return q.options[bounded(code, len(q.options))].id
        if q.type == MULTI:
            bits = bounded(code, 1 << len(q.options))
            return frozenset(o.id for i, o in enumerate(q.options) if bits >> i & 1)
        if not self._number_ok(q, code):
            raise ValueError
        return code

    # -- the largest state -----------------------------------------------------------------

    def _worst_payload(self, *, convenience: bool) -> bytes:
        """The longest payload any state of this pack can have: every question answered with
        its longest value, and (``convenience``) every one also taken back into ``earlier``
        and ``prefill``, and said removed (``dropped``). Every field is a number or a string
        of bounded width, so this is an upper bound for each field and so for the whole."""
        pairs = [[place, widest(q)] for place, q in enumerate(self.questions)]
        every = [x for pair in pairs for x in pair]
        widest_pair = max(pairs, key=lambda p: len(json.dumps(p)), default=[])
        data = [VERSION, "x" * TAG_CHARS, "x" * MAX_NONCE, MAX_STARTED - 1, STEP_LIMIT - 1,
                2 * SCREENINGS_LIMIT - 1,
                "x" * MAX_REF, "x" * MAX_REF, every, [MAX_SHOWN] * (len(self.questions) + 1),
                widest_pair, widest_pair if convenience else [], every if convenience else []]
        if convenience:
            data.append(list(range(len(self.questions))))
        return json.dumps(data, separators=(",", ":")).encode("ascii")


def _ref(x: Any) -> str | None:
    return None if x is None else word(x, MAX_REF)



class PackTooLarge(ValueError):
    """A pack with so many questions and options that its answers alone could outgrow the
    cookie: ``serve`` refuses it before it listens, rather than lose a person's answers."""

    def __init__(self, worst: int) -> None:
        super().__init__(
            f"this rule pack is too large for the web questionnaire: the answers to all its "
            f"questions could take {worst} bytes in the session cookie, and browsers keep "
            f"{MAX_TOKEN_BYTES} (fewer questions or options, or `triage assess` instead)")
        self.worst = worst


def fitting_codec(pack: CompiledPack) -> StateCodec:
    """The codec of ``pack``, or :class:`PackTooLarge` if its answers could outgrow a cookie."""
    codec = StateCodec(pack)
    if codec.worst_kept > MAX_TOKEN_BYTES:
        raise PackTooLarge(codec.worst_kept)
    return codec


class Sealer:
    """Seals states into cookie values and opens them; makes and checks CSRF tokens.

    ``secrets_``: the server key first, older keys after it (still accepted, so a key can be
    rotated without ending every session at once). ``pack``: the rule pack whose questions
    the cookie numbers; :class:`PackTooLarge` if its answers could outgrow a cookie.
    """

    def __init__(self, secrets_: list[str], pack: CompiledPack, *,
                 idle_seconds: int = IDLE_SECONDS,
                 max_age_seconds: int = MAX_AGE_SECONDS) -> None:
        if not secrets_ or any(len(s) < MIN_KEY_CHARS for s in secrets_):
            raise ValueError(f"a server key needs at least {MIN_KEY_CHARS} characters")
        self.codec = fitting_codec(pack)
        fernets = [(key_id(s), Fernet(derive(s, b"triage-web-state"))) for s in secrets_]
        self._key_id, self._fernet = fernets[0]  # the newest key seals; each opens its own
        self._by_key_id = dict(reversed(fernets))  # (the newest wins a tie of ids)
        # one CSRF key per server key, newest first: new forms carry the newest key's token,
        # and a form made before a rotation (open in a browser tab) still carries an older
        # key's, accepted for as long as that key is configured, as its cookie is
        self._csrf_keys = [hashlib.sha256(b"triage-web-csrf\0" + s.encode()).digest()
                           for s in secrets_]
        self.idle_seconds = idle_seconds
        self.max_age_seconds = max_age_seconds

    def seal(self, state: WebState) -> str:
        return self._key_id + self._fernet.encrypt(self.fitted(state)).decode("ascii")

    def fitted(self, state: WebState) -> bytes:
        """The payload of ``state``, short enough to seal into at most MAX_TOKEN_BYTES: what
        is only a convenience is dropped first (the answers taken back, oldest first, then
        the one shown as the default, then the answers said removed), never an answer, a
        pending red flag or a reference. For a pack a Sealer accepts, the answers alone
        always fit (``worst_kept``)."""
        while True:
            payload = self.codec.encode(state)
            if sealed_bytes(len(payload)) <= MAX_TOKEN_BYTES:
                return payload
            if state.earlier:
                state = replace(state, earlier=state.earlier[:-1])
            elif state.prefill is not None:
                state = replace(state, prefill=None)
            elif state.dropped:
                state = replace(state, dropped=())
            else:
                raise StateTooLarge

    def open(self, token: str, *, now: float | None = None) -> WebState:
        """The state in ``token``; StateError ``other_key`` if well formed but sealed with a key
        this server lacks, ``tampered`` if malformed or its seal fails under its own key."""
        if len(token) > MAX_TOKEN_BYTES or not token.isascii():
            raise StateError("tampered")
        sealed = token[KEY_ID_CHARS:]
        fernet = self._by_key_id.get(token[:KEY_ID_CHARS])
        if fernet is None:
            if fernet_shaped(sealed):
                raise StateError("other_key")
            if fernet_shaped(token):  # the format before key ids: the server was updated
                raise StateError("outdated")
            raise StateError("tampered")
        try:
            data = fernet.decrypt(sealed.encode("ascii"))
        except (InvalidToken, ValueError):
            raise StateError("tampered") from None
        # the timestamp is authenticated with the data: decrypt first, then tell an old
        # cookie (expired) from a forged one (tampered)
        when = now if now is not None else time.time()
        try:
            sealed_at = fernet.extract_timestamp(sealed.encode("ascii"))
        except InvalidToken:
            raise StateError("tampered") from None
        if when - sealed_at > self.idle_seconds:
            raise StateError("expired")
        try:
            state = self.codec.decode(json.loads(data))
        except ValueError:  # not JSON (json's errors are ValueErrors)
            raise StateError("tampered") from None
        if when - state.started > self.max_age_seconds:
            raise StateError("expired")
        return state

    def csrf_token(self, state: WebState) -> str:
        return _csrf(self._csrf_keys[0], state)

    def csrf_ok(self, state: WebState, token: str) -> bool:
        """Whether ``token`` (from a request: any text at all) was made for ``state`` with
        one of the configured keys."""
        # compared as bytes: compare_digest raises TypeError for a str with a non-ASCII
        # character (a form with csrf=%C3%A9 was an internal error, 500); no token of ours
        # has one, so such a token is simply wrong
        if not token.isascii():
            return False
        given = token.encode("ascii")
        return any(hmac.compare_digest(_csrf(key, state).encode("ascii"), given)
                   for key in self._csrf_keys)


def _csrf(key: bytes, state: WebState) -> str:
    return hmac.new(key, state.nonce.encode(), hashlib.sha256).hexdigest()
