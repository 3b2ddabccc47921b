"""`triage records ...`: the reception desk's records on the command line.

Registers on the app when :mod:`triage.cli.app` imports it. Exit codes
(:mod:`triage.cli.exitcodes`): 0 success; 1 `records replay` found a different result (or the
pack has problems), `records show`/`replay` found no such record, or a purge was not confirmed;
2 usage errors (a bad date, disposition, format, setting or value); 4 the records store or the
clinic config could not be used (after `assess --record`: the result was shown but could not
be saved). Results go to stdout; messages to stderr. Messages never carry answers, names or
dispositions: a StoreError's text is safe by construction, and replay names questions only.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from triage.cli.common import PackOption, _load, app, choice_of, out_path_given, store_failed
from triage.cli.exitcodes import EXIT_NOT_SAVED, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from triage.cli.output import data_stdout, on_screen, screen_width
from triage.cli.output import err as _err
from triage.files import write_private
from triage.i18n_counts import how_many

if TYPE_CHECKING:
    from triage.records import Record, Settings

records_app = typer.Typer(
    name="records",
    help="Saved screenings: list, show, export, purge and replay them.",
    no_args_is_help=True,
)
app.add_typer(records_app, name="records")


class RecordFormat(StrEnum):
    text = "text"
    json = "json"


def _settings() -> Settings:
    from triage.records import StoreError, resolve_settings

    try:
        return resolve_settings()
    except StoreError as err:
        store_failed(err)


# Records are kept in UTC; far-off dates overflow when moved between time zones.
_EARLIEST = date(1900, 1, 1)
_LATEST = date(9998, 12, 31)
MAX_DAYS = 36_500  # a century: a purge further back than that is a typo


def _parse_since(text: str | None) -> date | datetime | None:
    """YYYY-MM-DD (from local midnight) or an ISO date and time (local unless it says)."""
    if text is None:
        return None
    try:
        value: date | datetime = (date.fromisoformat(text.strip()) if len(text.strip()) == 10
                                  else datetime.fromisoformat(text.strip()))
        if not _EARLIEST <= (value if isinstance(value, date) and not isinstance(
                value, datetime) else value.date()) <= _LATEST:
            raise ValueError("out of range")
        return value
    except ValueError:
        _err(f"--since: {text!r} is not a date from {_EARLIEST.year} to {_LATEST.year}; use "
             "YYYY-MM-DD (or YYYY-MM-DDTHH:MM).")
        raise typer.Exit(EXIT_USAGE) from None


def _check_disposition(disposition: str | None) -> None:
    from triage.engine.policy import URGENCY

    if disposition is not None and disposition not in URGENCY:
        _err(f"--disposition: {disposition!r} is not a disposition "
             f"(one of: {', '.join(URGENCY)}).")
        raise typer.Exit(EXIT_USAGE)


# --------------------------------------------------------------------------- records


@records_app.command("list")
def list_records(
    today: Annotated[bool, typer.Option("--today", help="Only today's records.")] = False,
    since: Annotated[str | None, typer.Option(
        "--since", help="Only records created on or after DATE (YYYY-MM-DD).",
        metavar="DATE", show_default=False)] = None,
    disposition: Annotated[str | None, typer.Option(
        "--disposition", help="Only records with this disposition.", metavar="D",
        show_default=False)] = None,
) -> None:
    """List records, oldest first: id, created, desk, staff, caller ref, disposition."""
    from triage.records import StoreError, open_store
    from triage.render.records import records_table

    if today and since is not None:
        _err("Give either --today or --since, not both.")
        raise typer.Exit(EXIT_USAGE)
    since_value = _parse_since(since)
    _check_disposition(disposition)
    settings = _settings()
    if settings.database_url is None and not settings.store_path.exists():
        _err("No records found.")  # and no database made just to say so
        return
    try:
        with open_store(settings) as store:
            found = store.list(since=since_value, today=today, disposition=disposition)
            damaged = store.damaged
    except StoreError as err:
        store_failed(err)
    if found:
        sys.stdout.write(records_table(found))
    _err(f"{how_many(len(found), 'record', 'records')}." if found else "No records found.")
    _skipped(damaged)


def _skipped(damaged: list[str]) -> None:
    """Name the damaged records a listing or export went past; exit 1 if there were any."""
    if not damaged:
        return
    for record_id in damaged:
        _err(f"record {record_id} is damaged (its stored answers or outcome cannot be read): "
             f"skipped.")
    noun = "record was" if len(damaged) == 1 else "records were"
    _err(f"{len(damaged)} damaged {noun} skipped; restore them from a backup, or delete "
         f"them with the database's own tools.")
    raise typer.Exit(EXIT_PROBLEMS)


# Ids are Crockford base32: read aloud, "O" is a zero and "I"/"L" are ones.
_ID_TYPOS = str.maketrans("oil", "011")


def _normal_id(record_id: str) -> str:
    return record_id.strip().lower().translate(_ID_TYPOS)


def _get(record_id: str) -> Record:
    from triage.records import StoreError, open_store
    from triage.records.errors import DamagedRecord

    settings = _settings()
    try:
        with open_store(settings) as store:
            found = store.get(_normal_id(record_id))
    except DamagedRecord as err:
        _err(f"{err.message}; restore it from a backup.")
        raise typer.Exit(EXIT_PROBLEMS) from None
    except StoreError as err:
        store_failed(err)
    if found is None:
        from triage.render.records import clean

        _err(f"No record with id {clean(record_id)!r}. See: triage records list")
        raise typer.Exit(EXIT_PROBLEMS)
    return found


@records_app.command("show")
def show_record(
    record_id: Annotated[str, typer.Argument(metavar="ID", help="The record id.")],
    output_format: Annotated[RecordFormat, typer.Option(
        "--format",
        parser=choice_of(RecordFormat), help="Output format.")] = RecordFormat.text,
    pack: PackOption = None,
) -> None:
    """Show one record with its answers and outcome (audited as a view)."""
    from triage.i18n import default_language
    from triage.records import record_to_dict
    from triage.records.model import dumps_json
    from triage.render.records import record_text

    found = _get(record_id)
    if output_format is RecordFormat.json:
        sys.stdout.write(dumps_json(record_to_dict(found), ascii_only=True) + "\n")
    else:
        text = record_text(found, default_language(), _pack_for(found, pack))
        sys.stdout.write(on_screen(text, screen_width()))  # (whole words on a terminal)


def _pack_for(record: Record, pack_dir: Path | None) -> Any:
    """The pack the record was made with (its content hash) when at hand: --pack, else the
    bundled pack; else the pack at hand, which record_text names and leaves unused."""
    from triage.pack.load import load_pack
    from triage.problems import ProblemsError

    found = None
    for where in dict.fromkeys((pack_dir, None)):
        try:
            pack = load_pack(where)
        except (ProblemsError, OSError):
            continue
        if pack.content_hash == record.pack_hash:
            return pack
        found = found or pack
    return found


class _Counted:
    """Counts records as they stream past, for the closing message."""

    def __init__(self, records: Iterable[Record]) -> None:
        self._records = records
        self.count = 0

    def __iter__(self) -> Iterator[Record]:
        for record in self._records:
            self.count += 1
            yield record


@records_app.command("export")
def export_records(
    export_format: Annotated[str, typer.Option(
        "--format", help="csv, jsonl, or fhir (one FHIR QuestionnaireResponse per line).",
        metavar="FORMAT")],
    since: Annotated[str | None, typer.Option(
        "--since", help="Only records created on or after DATE (YYYY-MM-DD).",
        metavar="DATE", show_default=False)] = None,
    disposition: Annotated[str | None, typer.Option(
        "--disposition", help="Only records with this disposition.", metavar="D",
        show_default=False)] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", help="Write to FILE (owner-only, 0600) instead of standard output (- for "
                      "standard output).",
        metavar="FILE", show_default=False, parser=out_path_given)] = None,
    pack: PackOption = None,
    fhir_version: Annotated[str, typer.Option(
        "--fhir-version", help="With --format fhir: R5 or R4.", metavar="R5|R4")] = "R5",
) -> None:
    """Export records with their answers and outcomes (every record exported is audited)."""
    from triage.records import StoreError, export_formats, export_lines, open_store
    from triage.records.export import Exporter

    pack_exporter: Exporter | None = None
    if fhir_version not in ("R4", "R5"):
        _err(f"--fhir-version: {fhir_version!r} is not R5 or R4.")
        raise typer.Exit(EXIT_USAGE)
    if export_format == "fhir":
        from triage.cli.batch import fhir_settings
        from triage.interop.fhir import record_exporter
        from triage.pack.compiled import CompiledPack

        compiled = _load(pack)
        assert isinstance(compiled, CompiledPack)
        canon, _ = fhir_settings(compiled)
        pack_exporter = record_exporter(
            compiled, fhir_version="R4" if fhir_version == "R4" else "R5", canon=canon)
    if export_format not in export_formats():
        _err(f"--format: {export_format!r} is not available "
             f"(available: {', '.join(export_formats())}).")
        raise typer.Exit(EXIT_USAGE)
    since_value = _parse_since(since)
    _check_disposition(disposition)
    if out is not None and out.is_dir():
        _err(f"--out: {out} is a folder; give a file name.")
        raise typer.Exit(EXIT_USAGE)
    settings = _settings()
    try:
        with open_store(settings) as store:
            counted = _Counted(store.export(since=since_value, disposition=disposition))
            lines = export_lines(counted, export_format, pack_exporter)
            if out is None:
                data_stdout().writelines(lines)
            else:
                write_private(out, lines)
            damaged = store.damaged
    except StoreError as err:
        store_failed(err)
    except BrokenPipeError:
        if out is not None:
            _err(f"Cannot write {out} (broken pipe). Nothing was exported.")
            raise typer.Exit(EXIT_NOT_SAVED) from None
        # `records export ... | head`: the reader has what it wanted; stop quietly (and keep
        # Python from complaining about the closed pipe when it flushes at exit)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(EXIT_OK) from None
    except OSError as exc:
        if out is None:
            _err(f"Cannot write the export to standard output ({exc.strerror or 'error'}).")
        else:
            _err(f"Cannot write {out} ({exc.strerror or 'error'}). Nothing was exported.")
        raise typer.Exit(EXIT_NOT_SAVED) from None
    except ValueError as exc:  # a record made with another pack (FHIR needs its questions)
        _err(f"{exc}. Export it with --pack set to the pack it was made with.")
        raise typer.Exit(EXIT_PROBLEMS) from None
    where = f" to {out}" if out is not None else ""
    _err(f"Exported {how_many(counted.count, 'record', 'records')}{where}.")
    _skipped(damaged)


@records_app.command("purge")
def purge_records(
    older_than: Annotated[str | None, typer.Option(
        "--older-than", help="Delete records created more than N days ago (e.g. 90d; "
        "default: retention_days from the config, else 90).", metavar="Nd",
        show_default=False)] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]
    = False,
) -> None:
    """Delete old records for good (audited). Asks first unless --yes."""
    from triage.records import StoreError, open_store

    settings = _settings()
    if older_than is None:
        days = settings.retention_days
    else:
        from triage.untrusted import whole_number

        # the one number reader (the digits 0-9 only), as for every number typed
        text = older_than.strip()
        typed = whole_number(text[:-1].rstrip() if text.endswith("d") else text, 6)
        if typed is None or not 1 <= typed <= MAX_DAYS:
            _err(f"--older-than: {older_than!r} is not a number of days from 1 to {MAX_DAYS}; "
                 "use for example 90d.")
            raise typer.Exit(EXIT_USAGE)
        days = typed
    if not yes:
        try:
            confirmed = typer.confirm(
                f"Delete every record created more than {how_many(days, 'day', 'days')} ago? "
                "This cannot be undone.", default=False, err=True)
        except typer.Abort:  # no answer (end of input)
            _err("")
            confirmed = False
        if not confirmed:
            _err("Nothing was deleted.")
            raise typer.Exit(EXIT_PROBLEMS)
    try:
        with open_store(settings) as store:
            purged = store.purge(days)
    except StoreError as err:
        store_failed(err)
    print(f"Purged {how_many(purged, 'record', 'records')} older than "
          f"{how_many(days, 'day', 'days')}.")


@records_app.command("migrate")
def migrate_records(
    grant_to: Annotated[list[str] | None, typer.Option(
        "--grant-to", help="PostgreSQL role of the desks (repeatable): may read and add "
        "records and audit rows and purge through triage_purge(), nothing else.",
        metavar="ROLE", show_default=False)] = None,
) -> None:
    """Create or upgrade the records schema (PostgreSQL: run as the owner role)."""
    from triage.records import StoreError, open_store
    from triage.records.postgres_store import PostgresRecordStore

    settings = _settings()
    try:
        with open_store(settings) as store:  # opening creates or upgrades the schema
            if grant_to:
                if not isinstance(store, PostgresRecordStore):
                    _err("--grant-to is for PostgreSQL: an SQLite file belongs to one user.")
                    raise typer.Exit(EXIT_USAGE)
                store.grant_desk_roles(grant_to)
            version = store.schema_version()
            where = store.describe()
    except StoreError as err:
        store_failed(err)
    granted = f"; granted to {', '.join(grant_to)}" if grant_to else ""
    print(f"Records schema version {version} at {where}{granted}.")


@records_app.command("replay")
def replay_record(
    record_id: Annotated[str, typer.Argument(metavar="ID", help="The record id.")],
    pack: PackOption = None,
) -> None:
    """Re-evaluate a record's answers with the current pack; exit 0 same, 1 different."""
    from triage.cli.common import _load
    from triage.engine.answers import check_answers
    from triage.engine.refusal import screen_answers, screen_readable, sign_messages
    from triage.pack.compiled import CompiledPack
    from triage.render.records import Replay, replay_text

    compiled = _load(pack)
    assert isinstance(compiled, CompiledPack)
    found = _get(record_id)
    disposition: str | None = None
    fired: list[str] | None = None
    problem = ""
    normal, problems = check_answers(found.answers, compiled.shapes)
    if problems:
        # The messages quote the stored values; name the questions only; and a warning
        # sign stated where it does not apply, as when they all fit (every reason at once)
        names = ", ".join(dict.fromkeys(key for key, _ in problems))
        screened = screen_readable(compiled, normal, {k: found.answers[k] for k, _ in problems
                                                      if k in found.answers})[0]
        problem = "; ".join([f"stored answers no longer fit these questions: {names}",
                             *(m for _, m in sign_messages(compiled, screened, already=False))]
                            ) + "."
    else:
        screened = screen_answers(compiled, normal)
        if screened.refused:  # every reason at once, the warning signs as assess words them
            # (no answers passed: the messages name questions, never the stored values)
            reasons = [message for _, message in sign_messages(compiled, screened)]
            if screened.missing:
                reasons.append("the pack now needs answers the record does not have: "
                               f"{', '.join(screened.missing)}")
            problem = "; ".join(reasons) + "."
        else:
            assert screened.outcome is not None
            outcome = screened.outcome
            disposition, fired = outcome.disposition, [r.id for r in outcome.fired]
    replay = Replay(record=found, pack_id=compiled.id, pack_version=compiled.version,
                    pack_hash=compiled.content_hash, disposition=disposition, fired=fired,
                    problem=problem)
    sys.stdout.write(replay_text(replay))
    raise typer.Exit(EXIT_OK if replay.same else EXIT_PROBLEMS)
