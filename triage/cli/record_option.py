"""What `--record` does after a result: save it (when asked or the clinic's default says so)
and say where, on stderr. Shared by `assess --answers ... --record` and the interactive
`assess --caller --record`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from triage.cli.exitcodes import EXIT_NOT_SAVED
from triage.cli.output import err as _err

if TYPE_CHECKING:
    from triage.engine.evaluate import Outcome
    from triage.pack.compiled import CompiledPack
    from triage.records.model import Status


def record_id_before_result(record: bool | None) -> str | None:
    """The id the screening will be saved under, worked out before its result is shown (the
    reception summary names the record, which is saved after it): None when nothing will be
    saved (``record`` False, or None and the clinic does not record by default) or the
    settings cannot be read (saving then fails, and says so, after the result).

    Imports no typer (it runs before the result, on the questionnaire's fast path)."""
    if record is False:
        return None
    from triage.cli.fastpath import clinic_config_may_exist

    if record is None and not clinic_config_may_exist():
        return None
    from triage.records import StoreError, resolve_settings
    from triage.records.model import new_id

    try:
        settings = resolve_settings()
    except StoreError:
        return None
    return new_id() if record or settings.record_by_default else None


def save_after_result(pack: CompiledPack, answers: Mapping[str, Any], outcome: Outcome, *,
                      record: bool | None, caller_ref: str | None,
                      caller_name: str | None = None, status: Status = "complete",
                      ask_ref: Callable[[], str] | None = None,
                      record_id: str | None = None, caller: bool = False) -> None:
    """Call after the result is on stdout: save it when asked (``record``; None means the
    clinic's ``record_by_default``), say where on stderr, exit 4 when it could not be saved.
    ``record_id``: the id :func:`record_id_before_result` gave (the summary named it).
    ``caller``: reception mode (the record then shows the questions as staff read them).
    """
    if record is False:
        return
    from triage.cli.fastpath import clinic_config_may_exist

    if record is None and not clinic_config_may_exist():
        # the common case at home: nothing to save, and no storage code to import
        if caller_ref:
            _err("Nothing was saved (--caller-ref is used only with --record).")
        return
    from triage.records import StoreError, resolve_settings
    from triage.records.screening import save_screening

    try:
        settings = resolve_settings()
        if record is None and not settings.record_by_default:
            if caller_ref:
                _err("Nothing was saved (--caller-ref is used only with --record).")
            return
        if not caller_ref and ask_ref is not None:  # never "self" without asking
            caller_ref = ask_ref() or None
        saved = save_screening(pack, answers, outcome, caller_ref=caller_ref,
                               caller_name=caller_name, status=status, config=settings,
                               record_id=record_id, mode="caller" if caller else "patient")
    except StoreError as err:
        import typer  # (only now: the questionnaire's fast path never needs it)

        # the summary above may name the record: say it does not exist
        missing = f" (there is no record {record_id})" if record_id else ""
        _err(f"The result above was NOT saved{missing}. {err.message}")
        raise typer.Exit(EXIT_NOT_SAVED) from None
    _err(f"Saved as record {saved}.")
