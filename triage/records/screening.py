"""Saving one screening as a record: the single place `assess ... --record` goes through.

Pure (no printing, no prompting): the interactive questionnaire and `assess --answers` both
call :func:`save_screening` after the result has been shown, and report a ``StoreError``
themselves. The answers stored are the checked, normalised answers given to the engine (not
only those the outcome used), so `triage records replay` can re-evaluate them with a later
pack whose questions or conditions changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from triage.engine.evaluate import Outcome
from triage.pack.compiled import CompiledPack
from triage.records import Settings, StoreError, new_record, open_store, resolve_settings
from triage.records.model import Mode, Status
from triage.text import MAX_REF_CHARS, plain_line

# Records need a caller reference; a home user who asks to keep a screening has none.
DEFAULT_CALLER_REF = "self"


def ready_to_save(settings: Settings) -> None:
    """Raise StoreError when the store of ``settings`` could not take a screening now: it
    does not open (no folder to make, a server down or refusing, a newer schema, another
    program's database) or could not be written (read-only, no privilege to add). Called
    before a screening's first question, so that a problem is told before the call, not
    after it. Stores nothing: the store may be created or migrated, as the first save
    would, but holds no record and no audit row more than before."""
    with open_store(settings) as store:
        store.check_can_add()


def save_screening(
    pack: CompiledPack,
    answers: Mapping[str, Any],
    outcome: Outcome,
    *,
    caller_ref: str | None,
    caller_name: str | None = None,
    status: Status = "complete",
    config: Settings | None = None,
    record_id: str | None = None,
    mode: Mode | None = None,
) -> str:
    """Store one screening and return the new record's id.

    ``answers``: the normalised answers (as `check_answers` returns them; frozensets are
    stored as sorted lists). ``config``: the effective settings (`resolve_settings()` when
    None). ``caller_name`` is refused (StoreError, kind "invalid") unless the settings keep
    names: ask for a name only when ``config.keep_names`` is on. ``status`` is "stopped" for
    a questionnaire ended early. ``record_id``: an id the caller worked out for this screening
    (the web's, so that every copy of the request that finished it names one record); a
    record already stored under it is not stored again. ``mode``: who answered ("caller":
    reception staff reading the questions about the patient; "patient"), so that the record
    shows the questions as they were read.

    Raises StoreError (never with answers in its message) for every storage problem,
    including a config file that cannot be read.
    """
    settings = resolve_settings() if config is None else config
    if outcome.pack_hash != pack.content_hash:
        raise StoreError("The outcome was not made with this rule pack; nothing was saved.",
                         kind="invalid")
    ref = (caller_ref or "").strip() or DEFAULT_CALLER_REF
    name = caller_name.strip() if caller_name is not None else None
    for label, value in (("caller reference", ref), ("caller name", name)):
        if value is not None and not plain_line(value):
            raise StoreError(f"The {label} must be printable text (no control characters or "
                             f"undecodable bytes), up to {MAX_REF_CHARS} characters; nothing "
                             "was saved.", kind="invalid")
    try:
        record = new_record(
            caller_ref=ref,
            caller_name=name or None,
            desk=settings.desk,
            staff=settings.staff,
            answers=answers,
            disposition=outcome.disposition,
            outcome=outcome.as_dict(),
            pack_id=outcome.pack_id,
            pack_version=outcome.pack_version,
            pack_hash=outcome.pack_hash,
            tool_version=outcome.tool_version,
            status=status,
            record_id=record_id,
            mode=mode,
        )
    except ValueError as exc:  # messages name the question, never the value
        raise StoreError(f"The screening could not be stored: {exc}.", kind="invalid") from None
    with open_store(settings) as store:
        try:
            return store.add(record)
        except StoreError as exc:
            # "invalid" is also how the store says the id exists; the audit trail, written in
            # the same transaction as every record, tells that from a record it refused
            if record_id is None or exc.kind != "invalid" or not any(
                    entry.action == "create" for entry in store.audit_log(record_id)):
                raise
            return record_id
