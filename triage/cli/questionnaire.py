"""`triage` / `triage assess` without --answers: checks, the pack, the questionnaire, the record.

Called by the entry point without typer (a person waits for the first question, and typer
with its pydantic adapters would be most of that wait) and by typer's `assess` alike, so both
behave the same. Returns an exit code.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from triage.cli.exitcodes import EXIT_INTERRUPTED, EXIT_PROBLEMS, EXIT_USAGE
from triage.cli.output import Output, caller_ref_ok, err, messages_for, report_suffix_ok

if TYPE_CHECKING:
    from triage.cli.record_option import RecordPlan
    from triage.engine.evaluate import Outcome


def run_questionnaire(opts: dict[str, Any]) -> int:
    from triage.cli import interactive as run
    from triage.i18n import default_language, t

    language = opts["lang"] or default_language()
    messages_for(opts["plain"], language)
    report = Path(opts["report"]) if opts["report"] else None
    if not report_suffix_ok(report):
        err(t("report_suffix", language, path=report))
        return EXIT_USAGE
    if not caller_ref_ok(opts["caller_ref"]):
        # the store would refuse it, and the record with it, at the end of the call; a
        # screening is never refused for the record's sake: the reference is asked for then
        err(t("caller_ref_option", language))
        opts = {**opts, "caller_ref": None}
    from triage.pack.load import load_pack
    from triage.problems import ProblemsError

    # the pack first: a missing or broken pack is named (file:line:col, exit 1) before "needs
    # a terminal", which said nothing of the problem the person could fix first
    asking = run.can_ask()
    try:
        pack = load_pack(Path(opts["pack"]) if opts["pack"] else None)
    except ProblemsError as exc:
        from triage.cli.fastpath import print_problems

        code = print_problems(exc, language)
        if not asking:  # every problem at once
            err(t("needs_terminal", language))
        return code
    except KeyboardInterrupt:
        err(t("stopped", language))
        return EXIT_INTERRUPTED
    if not asking:
        err(t("needs_terminal", language))
        return EXIT_USAGE
    out = Output(language, opts["output_format"], opts["plain"], opts["caller"], report)
    saved_code: list[int] = []
    planned: list[RecordPlan] = []

    def plan() -> RecordPlan:
        """Whether a record will be kept, and whether the store can take it: decided as the
        screening starts, before its first question (a problem is told then, not after the
        call); no store code is imported when no record can be wanted."""
        if not planned:  # once: the store is checked once, and the result saved as planned
            from triage.cli.record_option import plan_record

            planned.append(plan_record(opts["record"]))
        return planned[0]

    def after_result(outcome: Outcome, normal: dict[str, Any], ask: Any, lang: str) -> None:
        # imported after the result is on the screen: typer is no longer in anyone's way
        from triage.cli.record_option import save_after_result

        try:
            save_after_result(pack, normal, outcome, plan=planned[0], record=opts["record"],
                              caller_ref=opts["caller_ref"], ask_ref=ask, lang=lang,
                              caller=bool(opts["caller"]))
        except Exception as exc:  # typer.Exit from the shared code: keep its exit code
            code = getattr(exc, "exit_code", None)
            if code is None:
                raise
            saved_code.append(int(code))

    from triage.cli.fastpath import clinic_config_may_exist

    recording = opts["record"] is True or (opts["record"] is None and clinic_config_may_exist())
    code = run.interactive(pack, out, lang_given=opts["lang"] is not None,
                           save=Path(opts["save"]) if opts["save"] else None,
                           resume=Path(opts["resume"]) if opts["resume"] else None,
                           after_result=after_result, recording=recording, plan=plan,
                           options=_options(opts))
    return saved_code[0] if saved_code and code == 0 else code


def _options(opts: dict[str, Any]) -> list[str]:
    """The options given, as typed again (the command that keeps the answers next time
    starts the same kind of session: its language, reception mode, records, pack)."""
    words: list[str] = []
    if opts["lang"]:
        words += ["--lang", str(opts["lang"])]
    words += [flag for key, flag in (("caller", "--caller"), ("plain", "--plain")) if opts[key]]
    if opts["record"] is not None:
        words.append("--record" if opts["record"] else "--no-record")
    if opts["pack"]:
        words += ["--pack", str(opts["pack"])]
    if opts["output_format"] != "text":
        words += ["--format", str(opts["output_format"])]
    if opts["report"]:
        words += ["--report", str(opts["report"])]
    return words


__all__ = ["EXIT_PROBLEMS", "run_questionnaire"]
