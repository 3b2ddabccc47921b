"""The command line: parse arguments, call the core once, print, choose the exit code.

Entry point: :func:`triage.entry.main`. Exit codes: 0 success; 1 problems in a rule pack or
answer file (or failing test cases); 2 usage errors; 3 a safety question has no answer
(fail closed); 4 = the result was shown but could not be saved (`--record`; for `triage
records` and `triage config`: the records store or clinic config could not be used);
70 internal error (a bug: reported without a traceback); 130 interrupted.
Results go to stdout; problems and messages to stderr.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

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


def _err(text: str) -> None:
    sys.stderr.write(text if text.endswith("\n") else text + "\n")


def _fail_problems(exc: Exception) -> NoReturn:
    from triage.i18n import default_language, t
    from triage.problems import ProblemsError
    from triage.render import problems_text

    assert isinstance(exc, ProblemsError)
    _err(problems_text(exc.problems))
    _err(t("problems_found", default_language(), count=len(exc.problems)))
    raise typer.Exit(EXIT_PROBLEMS)


def _load(pack_dir: Path | None, *, use_cache: bool = True) -> object:
    from triage.packs import load_pack
    from triage.problems import ProblemsError

    try:
        return load_pack(pack_dir, use_cache=use_cache)
    except ProblemsError as exc:
        _fail_problems(exc)


@app.callback(invoke_without_command=True)
def _root(ctx: typer.Context,
          version: Annotated[bool, typer.Option("--version", help="Show the tool and rule "
                                                "pack versions and exit.")] = False) -> None:
    if version:
        from triage.entry import version_line

        print(version_line())
        raise typer.Exit(EXIT_OK)
    if ctx.invoked_subcommand is None:
        _err("Usage: triage assess --answers FILE   (or: triage --help)")
        raise typer.Exit(EXIT_USAGE)


@app.command()
def validate(pack: PackArgument = None) -> None:
    """Check a rule pack and report every problem as file:line:col."""
    from triage.bundled import default_pack_dir
    from triage.i18n import default_language, t
    from triage.loader import check_files
    from triage.packs import content_hash, read_pack_files
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

    from triage.models import json_schema

    print(json.dumps(json_schema(), indent=2, ensure_ascii=False))


@app.command()
def assess(
    answers: Annotated[str | None, typer.Option(
        "--answers", help="YAML or JSON file of answers, or - for standard input.")] = None,
    pack: PackOption = None,
    output_format: Annotated[OutputFormat, typer.Option(
        "--format", help="Output format.")] = OutputFormat.text,
    lang: Annotated[Language | None, typer.Option(
        "--lang", help="Language (default: from the locale).", show_default=False)] = None,
    plain: Annotated[bool, typer.Option(
        "--plain", help="Plain text for screen readers: no colour, boxes or symbols.")] = False,
    record: Annotated[bool | None, typer.Option(
        "--record/--no-record", help="Save the screening in the records store (default: the "
        "clinic config's record_by_default, else no).", show_default=False)] = None,
    caller_ref: Annotated[str | None, typer.Option(
        "--caller-ref", help="The caller's reference for the saved record (not a name).",
        show_default=False)] = None,
) -> None:
    """Answer the questionnaire and get a recommendation."""
    from triage.answers import check_answers, read_answers_file
    from triage.compiled import CompiledPack
    from triage.engine import MissingAnswers, evaluate
    from triage.i18n import default_language, t
    from triage.problems import Problem, ProblemsError

    language = lang.value if lang else default_language()
    if answers is None:
        _err("Give the answers with --answers FILE (or - for standard input). "
             "The interactive questionnaire needs a terminal.")
        raise typer.Exit(EXIT_USAGE)
    compiled = _load(pack)
    assert isinstance(compiled, CompiledPack)
    try:
        if answers == "-":
            raw = read_answers_file(None, sys.stdin.read())
            shown = "<stdin>"
        else:
            raw = read_answers_file(Path(answers))
            shown = answers
    except ProblemsError as exc:
        _fail_problems(exc)
    normal, answer_problems = check_answers(raw, compiled.shapes)
    if answer_problems:
        _fail_problems(ProblemsError(Problem(shown, 1, 1, f"{key}: {msg}")
                                     for key, msg in answer_problems))
    try:
        outcome = evaluate(compiled, normal)
    except MissingAnswers as exc:
        _err(t("missing_answers", language, questions=", ".join(exc.questions)))
        raise typer.Exit(EXIT_MISSING_ANSWERS) from None
    from triage import render

    if output_format is OutputFormat.json:
        sys.stdout.write(render.outcome_json(outcome, compiled, language))
    elif output_format is OutputFormat.markdown:
        sys.stdout.write(render.outcome_markdown(outcome, compiled, language))
    else:
        sys.stdout.write(render.outcome_text(outcome, compiled, language,
                                             plain=plain or _plain_wanted()))
    sys.stdout.flush()  # the result is out before anything is saved
    from triage.cli_records import save_after_result

    save_after_result(compiled, normal, outcome, record=record, caller_ref=caller_ref)


@app.command("test")
def run_tests(pack: PackArgument = None) -> None:
    """Run the test cases of a rule pack."""
    from triage.cases import run_cases
    from triage.compiled import CompiledPack

    compiled = _load(pack, use_cache=False)
    assert isinstance(compiled, CompiledPack)
    results = run_cases(compiled)
    failed = [r for r in results if not r.passed]
    for r in failed:
        _err(f"{r.case.location}: case '{r.case.id}' failed: " + "; ".join(r.failures)
             + f" (fired: {', '.join(r.fired) or 'none'})")
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    if failed:
        raise typer.Exit(EXIT_PROBLEMS)


def _plain_wanted() -> bool:
    import os

    return bool(os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb"
                or os.environ.get("TRIAGE_ACCESSIBLE") == "1" or not sys.stdout.isatty())


from triage import cli_records as _cli_records  # noqa: E402,F401
