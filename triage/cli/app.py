"""The command line: parse arguments, call the core once, print, choose the exit code.

Entry point: :func:`triage.cli.entry.main`; exit codes: :mod:`triage.cli.exitcodes`. This
module holds the root and the assess, validate and schema commands, and registers the others
(authoring, batch, records) by importing their modules. Results go to stdout; problems and
messages to stderr.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from triage.cli.common import (
    Language,
    OutputFormat,
    PackArgument,
    PackOption,
    _fail_problems,
    app,
    choice_of,
    language_of,
    path_given,
    path_text_given,
)

__all__ = ["app"]
from triage.cli.exitcodes import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from triage.cli.output import err as _err
from triage.cli.version import version_line


@app.callback(invoke_without_command=True)
def _root(ctx: typer.Context,
          version: Annotated[bool, typer.Option("--version", help="Show the tool and rule "
                                                "pack versions and exit.")] = False) -> None:
    """With no command, run the questionnaire (as ``triage assess``)."""
    if version:
        print(version_line())
        raise typer.Exit(EXIT_OK)
    if ctx.invoked_subcommand is None:
        ctx.invoke(assess)


@app.command()
def assess(
    answers: Annotated[str | None, typer.Option(
        "--answers", help="YAML or JSON file of answers, or - for standard input. "
                          "Without it, the questions are asked one at a time.",
        parser=path_text_given, metavar="<str>")] = None,
    pack: PackOption = None,
    output_format: Annotated[OutputFormat, typer.Option(
        "--format",
        parser=choice_of(OutputFormat), help="Output format.")] = OutputFormat.text,
    lang: Annotated[Language | None, typer.Option(
        "--lang",
        parser=language_of,
        help="Language (default: from the locale).", show_default=False)] = None,
    plain: Annotated[bool, typer.Option(
        "--plain", help="Plain text for screen readers: one item a line, each option read "
                        "as '1, Neck', no colour, boxes or symbols.")] = False,
    caller: Annotated[bool, typer.Option(
        "--caller", help="Reception mode: questions about the patient (who may not be the "
                         "caller), and a booking summary at the end.")] = False,
    save: Annotated[Path | None, typer.Option(
        "--save", help="Save progress to this file after each answer (owner-only).",
        show_default=False, parser=path_given, metavar="<path>")] = None,
    resume: Annotated[Path | None, typer.Option(
        "--resume", help="Continue a session saved with --save.", show_default=False,
        parser=path_given, metavar="<path>")] = None,
    report: Annotated[Path | None, typer.Option(
        "--report", help="Also write a printable summary: FILE.md or FILE.html.",
        show_default=False, parser=path_given, metavar="<path>")] = None,
    record: Annotated[bool | None, typer.Option(
        "--record/--no-record", help="Save the screening in the records store (default: the "
        "clinic config's record_by_default, else no).", show_default=False)] = None,
    caller_ref: Annotated[str | None, typer.Option(
        "--caller-ref", help="The caller's reference for the saved record (not a name).",
        show_default=False)] = None,
) -> None:
    """Answer the questionnaire and get a recommendation."""
    from triage.cli import output
    from triage.i18n import default_language, t

    language = lang.value if lang else default_language()
    output.messages_for(plain, language)
    if not output.report_suffix_ok(report):
        _err(t("report_suffix", language, path=report))
        raise typer.Exit(EXIT_USAGE)
    if answers is None:
        from triage.cli.questionnaire import run_questionnaire

        raise typer.Exit(run_questionnaire({
            "lang": lang.value if lang else None, "pack": pack, "report": report,
            "output_format": output_format.value, "plain": plain, "caller": caller,
            "save": save, "resume": resume, "record": record, "caller_ref": caller_ref}))
    if resume is not None or save is not None:
        _err(t("save_with_answers", language))
        raise typer.Exit(EXIT_USAGE)
    from triage.cli.fastpath import assess_answers
    from triage.cli.record_option import plan_record, save_after_result, unusable_note

    # the record is planned (and the store checked) before the result: a store that cannot
    # take it is said first; the result is still shown, and the exit code is then 4
    plan = plan_record(record)
    if plan.problem is not None:
        _err(unusable_note(plan, language, answers=True))
    code, screened, normal, outcome = assess_answers({
        "answers": answers, "pack": pack, "output_format": output_format.value,
        "lang": language, "report": report, "plain": plain, "caller": caller,
        "record_id": plan.record_id})  # the reception summary names the record
    if outcome is not None and screened is not None and normal is not None:
        save_after_result(screened, normal, outcome, plan=plan, record=record,
                          caller_ref=caller_ref, lang=language, caller=caller)
    raise typer.Exit(code)


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
        _err(problems_text(problems), wrap=False)
    errors = [p for p in problems if p.is_error]
    if compiled is None or errors:
        _err(t("problems_found", default_language(), count=len(errors)))
        raise typer.Exit(EXIT_PROBLEMS)
    lang = default_language()
    print(t("pack_ok", lang, path=display_path(pack_dir), id=compiled.id,
            version=compiled.version,
            questions=t("n_questions", lang, count=len(compiled.questions)),
            rules=t("n_rules", lang, count=len(compiled.rules)),
            cases=t("n_cases", lang, count=len(compiled.cases))))


@app.command()
def schema() -> None:
    """Print the JSON Schema of rule pack files (rules/schema.json)."""
    import json

    from triage.pack.models import json_schema

    print(json.dumps(json_schema(), indent=2, ensure_ascii=True))


# The other command modules register their commands on `app` when imported; imported last
# because --help lists commands in the order they were registered (assess and validate first).
from triage.cli import authoring as _authoring  # noqa: E402,F401
from triage.cli import batch as _batch  # noqa: E402,F401
from triage.cli import clinic_config as _clinic_config  # noqa: E402,F401
from triage.cli import records as _records  # noqa: E402,F401
from triage.cli import serve as _serve  # noqa: E402,F401
