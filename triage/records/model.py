"""The stored shape of one screening call, and the audit trail around it."""

from __future__ import annotations

import json
import math
import secrets
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, TypeAlias

AnswerValue: TypeAlias = str | int | float | list[str]
Status: TypeAlias = Literal["complete", "stopped"]
AuditAction: TypeAlias = Literal["create", "view", "export", "purge"]

STATUSES: frozenset[str] = frozenset({"complete", "stopped"})
# Who answered: "caller" (reception staff reading the questions about the patient, to a
# caller: `--caller`) or "patient" (the person, in their own words). A record kept before
# schema version 3 has none (None): how its questions were read is not known.
Mode: TypeAlias = Literal["patient", "caller"]
MODES: frozenset[str] = frozenset({"patient", "caller"})
AUDIT_ACTIONS: frozenset[str] = frozenset({"create", "view", "export", "purge"})

# Crockford base32 without look-alike letters: staff read ids aloud and type them back.
_ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
_ID_LENGTH = 12  # 60 random bits: collisions stay negligible across a clinic's lifetime


def new_id() -> str:
    return "".join(secrets.choice(_ID_ALPHABET) for _ in range(_ID_LENGTH))


def code_from_digest(digest: bytes, alphabet: str, length: int) -> str:
    """``length`` characters of ``alphabet`` worked out from a digest: an id or a reference
    that must come out the same whoever works it out again."""
    number = int.from_bytes(digest, "big")
    out = []
    for _ in range(length):
        number, place = divmod(number, len(alphabet))
        out.append(alphabet[place])
    return "".join(out)


def id_from_digest(digest: bytes) -> str:
    """A record id worked out from a digest (for a record that must be stored once, however
    often it is sent): the alphabet and length of :func:`new_id`."""
    return code_from_digest(digest, _ID_ALPHABET, _ID_LENGTH)


def utc_now() -> str:
    return format_ts(datetime.now(UTC))


def format_ts(moment: datetime) -> str:
    """One fixed-width UTC form, so text comparison orders timestamps on both backends."""
    if moment.tzinfo is None:
        raise ValueError("timestamps must carry a time zone")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_ts(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError("timestamp without a time zone")
    return moment.astimezone(UTC)


def _check_answers(answers: Mapping[str, Any]) -> None:
    # Messages name the question, never the value: this text can reach a log.
    for key, value in answers.items():
        if not isinstance(key, str):
            raise ValueError("answer keys must be question ids (strings)")
        if isinstance(value, bool) or not isinstance(value, str | int | float | list):
            raise ValueError(f"answer to {key!r} must be text, a number or a list of text")
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"answer to {key!r} must be a finite number")
        if isinstance(value, list) and not all(isinstance(item, str) for item in value):
            raise ValueError(f"answer to {key!r} must be a list of text")


@dataclass(frozen=True, slots=True)
class Record:
    """One screening call. The repr leaves out everything clinical or identifying."""

    id: str
    created_at: str
    updated_at: str
    caller_ref: str
    desk: str
    staff: str
    pack_id: str
    pack_version: str
    pack_hash: str
    tool_version: str
    status: Status
    disposition: str = field(repr=False)
    answers: dict[str, AnswerValue] = field(repr=False)
    outcome: dict[str, Any] = field(repr=False)
    caller_name: str | None = field(default=None, repr=False)
    mode: Mode | None = None

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {sorted(STATUSES)}")
        if self.mode is not None and self.mode not in MODES:
            raise ValueError(f"mode must be one of {sorted(MODES)}, or none")
        if not self.id or not self.caller_ref:
            raise ValueError("a record needs an id and a caller reference")
        for stamp in (self.created_at, self.updated_at):
            parse_ts(stamp)
        _check_answers(self.answers)
        # Fail here, not halfway through a database write.
        json.dumps(self.outcome, allow_nan=False)


def _stored_answer(value: Any) -> Any:
    # The engine keeps multiple-choice answers as frozensets; stored, they are sorted lists
    # so the same answers always give the same JSON.
    if isinstance(value, set | frozenset | tuple | list):
        items = list(value)
        return sorted(items) if isinstance(value, set | frozenset) else items
    return value


def new_record(
    *,
    caller_ref: str,
    desk: str,
    staff: str,
    answers: Mapping[str, AnswerValue | AbstractSet[str] | tuple[str, ...]],
    disposition: str,
    outcome: Mapping[str, Any],
    pack_id: str,
    pack_version: str,
    pack_hash: str,
    tool_version: str,
    status: Status = "complete",
    caller_name: str | None = None,
    record_id: str | None = None,
    mode: Mode | None = None,
) -> Record:
    """A fresh record with a new id (or ``record_id``) and the current time; copies the
    mappings it is given.

    Sets and tuples of option ids are accepted as answers and stored as lists.
    """
    now = utc_now()
    return Record(
        id=record_id or new_id(),
        created_at=now,
        updated_at=now,
        caller_ref=caller_ref,
        caller_name=caller_name,
        desk=desk,
        staff=staff,
        answers={k: _stored_answer(v) for k, v in answers.items()},
        disposition=disposition,
        outcome=json.loads(json.dumps(dict(outcome), allow_nan=False)),
        pack_id=pack_id,
        pack_version=pack_version,
        pack_hash=pack_hash,
        tool_version=tool_version,
        status=status,
        mode=mode,
    )


RECORD_FIELDS: tuple[str, ...] = (
    "id",
    "created_at",
    "updated_at",
    "caller_ref",
    "caller_name",
    "desk",
    "staff",
    "answers",
    "disposition",
    "outcome",
    "pack_id",
    "pack_version",
    "pack_hash",
    "tool_version",
    "status",
    "mode",  # schema version 3: last, so that older exports keep their columns in place
)


def record_to_dict(record: Record) -> dict[str, Any]:
    return {name: getattr(record, name) for name in RECORD_FIELDS}


def record_from_dict(data: Mapping[str, Any]) -> Record:
    fields_: dict[str, Any] = {name: data.get(name) for name in RECORD_FIELDS}
    return Record(**fields_)


def dumps_json(value: Any, *, ascii_only: bool = False) -> str:
    """Stable JSON for storage and export (sorted keys, no NaN); ``ascii_only`` for JSON
    written out (\\u escapes: the same in every locale, see triage.render.result.outcome_json)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=ascii_only, allow_nan=False)


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is acting on the store, written into every audit row."""

    staff: str
    desk: str


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    at: str
    staff: str
    desk: str
    action: AuditAction
    record_id: str | None
    detail: str
