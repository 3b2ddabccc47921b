"""The command line: parse arguments, call the core once, print, choose the exit code.

Entry point: :func:`triage.cli.entry.main`. Exit codes: 0 success; 1 problems in a rule pack or
answer file (or failing test cases); 2 usage errors; 3 a safety question has no answer
(fail closed); 4 = the result was shown but could not be saved (`--record`; for `triage
records` and `triage config`: the records store or clinic config could not be used);
70 internal error (a bug: reported without a traceback); 130 interrupted (Ctrl-C or end of
input in the questionnaire: no recommendation made).
Results go to stdout; problems and messages to stderr.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from triage.cli.output import err as _err

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_MISSING_ANSWERS = 3
EXIT_NOT_SAVED = 4
EXIT_INTERNAL = 70  # EX_SOFTWARE: a bug; never a traceback
EXIT_INTERRUPTED = 130

app = typer.Typer(
    name="triage",
    help="Soft tissue therapy (RMT), physiotherapy, both, or a doctor first? "
         "A plain-language questionnaire. This is not a diagnosis.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,  # never show a traceback (or the answers in it)
)


class OutputFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


class Language(StrEnum):
    en = "en"
    fr = "fr"


PackOption = Annotated[Path | None, typer.Option(
    "--pack", help="Rule pack folder (default: the bundled pack).", show_default=False)]
PackArgument = Annotated[Path | None, typer.Argument(
    help="Rule pack folder (default: the bundled pack).", show_default=False)]


def _fail_problems(exc: Exception) -> NoReturn:
    from triage.cli.fastpath import print_problems
    from triage.problems import ProblemsError

    assert isinstance(exc, ProblemsError)
    raise typer.Exit(print_problems(exc))


def _load(pack_dir: Path | None, *, use_cache: bool = True) -> object:
    from triage.pack.load import load_pack
    from triage.problems import ProblemsError

    try:
        return load_pack(pack_dir, use_cache=use_cache)
    except ProblemsError as exc:
        _fail_problems(exc)


def read_checked_answers(pack: Any, answers: str) -> dict[str, Any]:
    """Answers from a file (or ``-``: standard input), normalised against ``pack``; every
    problem is reported and the command exits 1."""
    from triage.cli.fastpath import checked_answers
    from triage.problems import ProblemsError

    try:
        return checked_answers(pack, answers)
    except ProblemsError as exc:
        _fail_problems(exc)


@app.callback(invoke_without_command=True)
def _root(ctx: typer.Context,
          version: Annotated[bool, typer.Option("--version", help="Show the tool and rule "
                                                "pack versions and exit.")] = False) -> None:
    """With no command, run the questionnaire (as ``triage assess``)."""
    if version:
        from triage.cli.entry import version_line

        print(version_line())
        raise typer.Exit(EXIT_OK)
    if ctx.invoked_subcommand is None:
        ctx.invoke(assess)


@app.command()
def validate(pack: PackArgument = None) -> None:
    """Check a rule pack and report every problem as file:line:col."""
    from triage.i18n import default_language, t
    from triage.pack.bundled import default_pack_dir
    from triage.pack.sources import content_hash, read_pack_files
    from triage.pack.validate import check_files
    from triage.problems import ProblemsError, display_path
    from triage.render import problems_text

    pack_dir = pack or default_pack_dir()
    try:
        files = read_pack_files(pack_dir)
    except ProblemsError as exc:
        _fail_problems(exc)
    compiled, problems = check_files(pack_dir, files, content_hash(files))
    if problems:
        _err(problems_text(problems))
    errors = [p for p in problems if p.is_error]
    if compiled is None or errors:
        _err(t("problems_found", default_language(), count=len(errors)))
        raise typer.Exit(EXIT_PROBLEMS)
    print(t("pack_ok", default_language(), path=display_path(pack_dir), id=compiled.id,
            version=compiled.version, questions=len(compiled.questions),
            rules=len(compiled.rules), cases=len(compiled.cases)))


@app.command()
def schema() -> None:
    """Print the JSON Schema of rule pack files (rules/schema.json)."""
    import json

    from triage.pack.models import json_schema

    print(json.dumps(json_schema(), indent=2, ensure_ascii=False))


@app.command()
def assess(
    answers: Annotated[str | None, typer.Option(
        "--answers", help="YAML or JSON file of answers, or - for standard input. "
                          "Without it, the questions are asked one at a time.")] = None,
    pack: PackOption = None,
    output_format: Annotated[OutputFormat, typer.Option(
        "--format", help="Output format.")] = OutputFormat.text,
    lang: Annotated[Language | None, typer.Option(
        "--lang", help="Language (default: from the locale).", show_default=False)] = None,
    plain: Annotated[bool, typer.Option(
        "--plain", help="Plain text for screen readers: one question per line, options "
                        "spelled out, no colour, boxes or symbols.")] = False,
    caller: Annotated[bool, typer.Option(
        "--caller", help="Reception mode: questions about the caller, and a booking summary "
                         "at the end.")] = False,
    save: Annotated[Path | None, typer.Option(
        "--save", help="Save progress to this file after each answer (owner-only).",
        show_default=False)] = None,
    resume: Annotated[Path | None, typer.Option(
        "--resume", help="Continue a session saved with --save.", show_default=False)] = None,
    report: Annotated[Path | None, typer.Option(
        "--report", help="Also write a printable summary: FILE.md or FILE.html.",
        show_default=False)] = None,
    record: Annotated[bool | None, typer.Option(
        "--record/--no-record", help="Save the screening in the records store (default: the "
        "clinic config's record_by_default, else no).", show_default=False)] = None,
    caller_ref: Annotated[str | None, typer.Option(
        "--caller-ref", help="The caller's reference for the saved record (not a name).",
        show_default=False)] = None,
) -> None:
    """Answer the questionnaire and get a recommendation."""
    from triage.cli import output
    from triage.engine.evaluate import Outcome
    from triage.i18n import default_language, t
    from triage.pack.compiled import CompiledPack

    language = lang.value if lang else default_language()
    if not output.report_suffix_ok(report):
        _err(t("report_suffix", language, path=report))
        raise typer.Exit(EXIT_USAGE)
    out = output.Output(language, output_format.value, plain, caller, report)
    if answers is None:
        from triage.cli import interactive as run

        if not run.can_ask():
            _err(t("needs_terminal", language))
            raise typer.Exit(EXIT_USAGE)
        try:
            compiled = _load(pack)
        except KeyboardInterrupt:
            _err(t("stopped", language))
            raise typer.Exit(EXIT_INTERRUPTED) from None
        assert isinstance(compiled, CompiledPack)
        loaded = compiled  # a name the closure below can rely on the type of

        def after_result(outcome: Outcome, normal: dict[str, Any]) -> None:
            from triage.cli.records import save_after_result

            save_after_result(loaded, normal, outcome, record=record, caller_ref=caller_ref)

        raise typer.Exit(run.interactive(compiled, out, lang_given=lang is not None,
                                         save=save, resume=resume, after_result=after_result))
    if resume is not None or save is not None:
        _err(t("save_with_answers", language))
        raise typer.Exit(EXIT_USAGE)
    from triage.cli.fastpath import assess_answers

    code, screened, normal, outcome = assess_answers({
        "answers": answers, "pack": pack, "output_format": output_format.value,
        "lang": language, "report": report, "plain": plain, "caller": caller})
    if outcome is not None and screened is not None and normal is not None:
        from triage.cli.records import save_after_result

        save_after_result(screened, normal, outcome, record=record, caller_ref=caller_ref)
    raise typer.Exit(code)


from triage.cli import authoring as _authoring  # noqa: E402,F401  (registers authoring commands)
from triage.cli import batch as _cli_batch  # noqa: E402,F401  (registers batch, export)
from triage.cli import records as _cli_records  # noqa: E402,F401
