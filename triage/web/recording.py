"""Recording a finished web screening (``serve --record``) once, however often it is sent.

The servers keep no session, so a request cannot be told from a copy of it: a double click, a
browser or proxy that retries a POST, or anyone who replays one with the cookie it was sent
with. Each copy finishes the screening again, and each used to be stored as a new record under
a new reference. So both are worked out from the state instead of drawn at random:

- the reference (``W-7K3Q-9PXD``) from the screening: the browser session's nonce, the
  time the screening started and how many screenings the session started. A person who
  goes back from a result and finishes again gets the same reference, so the records of
  the two results are read together;
- the record id from that and the finished state itself (its step and its answers): a copy
  of the request that finished the screening makes the same id, and the store's primary key
  lets only one record have it, even when the copies reach several workers or machines at
  once. A changed answer sent with an old cookie is another state: another record.

Neither is keyed with the server key: the nonce is 128 random bits that never leave the
sealed cookie, so nobody can work either out from outside, and both stay the same when the
key is rotated (a keyed id would change under a rotation, and a copy sent across it would be
stored again).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from triage.records.model import code_from_digest, id_from_digest
from triage.web.state import WebState

# read out on the phone: no 0/O or 1/I to confuse
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def reference_for(state: WebState) -> str:
    """``W-7K3Q-9PXD``: the screening's reference, the same on every page of it."""
    code = code_from_digest(_digest(b"reference", _screening(state)), REFERENCE_ALPHABET, 8)
    return f"W-{code[:4]}-{code[4:]}"


def record_id_for(pack_hash: str, state: WebState) -> str:
    """The id of the record of the finished ``state``: the same for every copy of the request
    that finished it, another for any other state (another step or other answers)."""
    answers = {q: sorted(v) if isinstance(v, list | tuple | set | frozenset) else v
               for q, v in state.answers}
    key = [pack_hash, *_screening(state)[:2], state.step, answers, *_screening(state)[2:]]
    return id_from_digest(_digest(b"record", key))


def _screening(state: WebState) -> list[Any]:
    """What names the screening: the nonce, the start time and the count of screenings
    started in the browser session (left out at 0: a screening under way when the count
    came keeps its reference)."""
    return [state.nonce, state.started, *([state.screenings] if state.screenings else [])]


def _digest(label: bytes, data: Any) -> bytes:
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(b"triage-web-" + label + b"\0" + text.encode("ascii")).digest()
