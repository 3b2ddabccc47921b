"""What `--record` does: before the first question, whether a record will be kept and whether
the store can take one (staff learn a problem before the call, not after it); after the
result, save it and say where, on stderr. Shared by `assess --answers ... --record` and the
interactive `assess [--caller] --record`, and the clinic's `record_by_default`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from triage.cli.exitcodes import EXIT_NOT_SAVED
from triage.cli.output import err as _err
from triage.i18n import t

if TYPE_CHECKING:
    from triage.engine.evaluate import Outcome
    from triage.pack.compiled import CompiledPack
    from triage.records.config import Settings
    from triage.records.model import Status


@dataclass(frozen=True)
class RecordPlan:
    """What `--record` will do with this screening, decided before its first question."""

    wanted: bool = False  # a record is asked for: --record, or the clinic's record_by_default
    # the id it will be saved under (the reception summary names it, before it is saved);
    # None when nothing will be saved
    record_id: str | None = None
    # why the store cannot take one: (the text's key in triage.i18n_records, where: a file,
    # a folder or a masked URL, or what is wrong in the clinic config by its path); nothing
    # is saved, and that is said before and after
    problem: tuple[str, str] | None = None
    # the records settings the store was checked with: the record is saved with the same
    # (the clinic config is read once a screening)
    settings: Settings | None = None


NOT_RECORDING = RecordPlan()

# StoreError kinds with words of their own (store_<kind>); any other is said as store_io
_KINDS = ("not_folder", "permission", "read_only", "full", "locked", "unreachable", "bad_url",
          "schema", "corrupt", "foreign")


def plan_record(record: bool | None) -> RecordPlan:
    """Whether this screening will be recorded, and can be: called before its first
    question. ``record``: --record (True), --no-record (False), neither (None: the clinic
    config's record_by_default). When a record is wanted the store is opened and checked
    (:func:`triage.records.screening.ready_to_save`): settings readable, schema current or
    creatable, a write possible; nothing is stored. Imports no store code when no record can
    be wanted (no --record and no clinic config file): the first question waits on nothing.
    Never raises: a screening is never refused for its record's sake (a caller may be in an
    emergency)."""
    if record is False:
        return NOT_RECORDING
    from triage.cli.fastpath import clinic_config_may_exist

    if record is None and not clinic_config_may_exist():
        return NOT_RECORDING
    settings, problem = _settings()
    if settings is not None:
        if record is None and not settings.record_by_default:
            return NOT_RECORDING
        problem = _store_problem(settings)
    if problem is not None:
        return RecordPlan(wanted=True, problem=problem)
    from triage.records.model import new_id

    return RecordPlan(wanted=True, record_id=new_id(), settings=settings)


def store_problem(*, desk: str | None = None, staff: str | None = None,
                  ) -> tuple[str, str] | None:
    """Why the records store could not take a record now, as (text key, where) for
    :func:`problem_text`; None when it could. For `triage serve --record`, checked before
    anything listens (``desk`` and ``staff``: what its records are made as)."""
    settings, problem = _settings(desk=desk, staff=staff)
    return problem if settings is None else _store_problem(settings)


def _settings(*, desk: str | None = None, staff: str | None = None,
              ) -> tuple[Settings | None, tuple[str, str] | None]:
    """The effective records settings, or why there are none (text key, where)."""
    from triage.records import ConfigError, load_config, resolve_settings

    try:
        config = load_config()
    except ConfigError as exc:  # record_by_default unknown: recorded as before, which fails
        # its message names the file and what is wrong in it (the parser's line and column)
        return None, ("store_config", exc.message.rstrip("."))
    try:
        return resolve_settings(desk=desk, staff=staff, config=config), None
    except ConfigError:  # no home folder and no store_path
        return None, ("store_no_home", "")


def _store_problem(settings: Settings) -> tuple[str, str] | None:
    """(text key, where) when the store of ``settings`` cannot take a record now, else None."""
    from triage.records import StoreError
    from triage.records.config import store_location
    from triage.records.screening import ready_to_save

    where = store_location(settings)  # the password masked
    try:
        ready_to_save(settings)
    except StoreError as exc:
        kind: str = exc.kind
        if kind == "config":  # opening it needs what is not installed (psycopg)
            return "store_no_driver", where
        if kind == "permission" and settings.database_url is not None \
                and not settings.database_url.startswith("sqlite:"):
            kind = "permission_db"
        elif kind not in _KINDS:
            kind = "io"
        return f"store_{kind}", exc.where or where
    except Exception:  # a fault of the check (a bug) must not stop a caller being screened;
        # no answer exists yet to leak, and the end says again that nothing was saved
        return "store_io", where
    return None


def problem_text(plan: RecordPlan | tuple[str, str] | None, lang: str) -> str:
    """What is wrong with the store (a plan's problem, or :func:`store_problem`'s), and
    where, in ``lang`` ("" when nothing is)."""
    problem = plan.problem if isinstance(plan, RecordPlan) else plan
    if problem is None:
        return ""
    key, where = problem
    return t(key, lang, where=where)


def unusable_note(plan: RecordPlan, lang: str, *, answers: bool = False) -> str:
    """Said before the first question (``answers``: before the result of an answers file)
    when the store cannot take the record: what is wrong, where, and that the screening
    goes on without being saved."""
    return t("record_unusable_answers" if answers else "record_unusable", lang,
             problem=problem_text(plan, lang))


def save_after_result(pack: CompiledPack, answers: Mapping[str, Any], outcome: Outcome, *,
                      plan: RecordPlan, record: bool | None, caller_ref: str | None,
                      lang: str = "en", caller_name: str | None = None,
                      status: Status = "complete", ask_ref: Callable[[], str] | None = None,
                      caller: bool = False) -> None:
    """Call after the result is on stdout: save it as ``plan`` says (:func:`plan_record`),
    say where on stderr, exit 4 when it was not saved: the store could not take it at the
    start (said again, in ``lang``; no reference is asked for) or it failed now.
    ``caller``: reception mode (the record then shows the questions as staff read them).
    """
    if not plan.wanted:
        if caller_ref and record is None:
            _err("Nothing was saved (--caller-ref is used only with --record).")
        return
    if plan.problem is not None:
        import typer  # (only now: the questionnaire's fast path never needs it)

        _err(t("record_unusable_after", lang, problem=problem_text(plan, lang)))
        raise typer.Exit(EXIT_NOT_SAVED)
    from triage.records import StoreError
    from triage.records.screening import save_screening

    assert plan.settings is not None  # (a plan without a problem has them)
    try:
        if not caller_ref and ask_ref is not None:  # never "self" without asking
            caller_ref = ask_ref() or None
        saved = save_screening(pack, answers, outcome, caller_ref=caller_ref,
                               caller_name=caller_name, status=status, config=plan.settings,
                               record_id=plan.record_id,
                               mode="caller" if caller else "patient")
    except StoreError as err:
        import typer  # (only now: the questionnaire's fast path never needs it)

        # the summary above may name the record: say it does not exist
        missing = f" (there is no record {plan.record_id})" if plan.record_id else ""
        _err(f"The result above was NOT saved{missing}. {err.message}")
        raise typer.Exit(EXIT_NOT_SAVED) from None
    _err(f"Saved as record {saved}.")
