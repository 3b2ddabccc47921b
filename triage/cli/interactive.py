"""`triage assess` without --answers: the interactive questionnaire.

The CLI parses options and calls into here; this module ties together the pure flow
(:mod:`triage.engine.flow`), the terminal (:mod:`triage.cli.terminal`), saved sessions
(:mod:`triage.engine.sessions`), rendering (:mod:`triage.render`) and the result output
(:mod:`triage.cli.output`). Return values are exit codes.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from triage.cli.exitcodes import EXIT_INTERRUPTED, EXIT_MISSING_ANSWERS, EXIT_PROBLEMS
from triage.cli.output import Output, accessible_wanted, emit
from triage.cli.output import err as _err
from triage.cli.terminal import LineTerminal, open_terminal
from triage.engine.evaluate import MissingAnswers, Outcome
from triage.engine.flow import Accepted, Flow, Rejected
from triage.engine.sessions import (
    COMPLETE,
    IN_PROGRESS,
    STOPPED,
    Session,
    SessionFileError,
    load_session,
)
from triage.i18n import t
from triage.pack.compiled import CompiledPack
from triage.problems import display_path
from triage.render import prompts
from triage.text import printable


def can_ask() -> bool:
    """Is there a person to ask? A terminal on stdin, or line input asked for explicitly."""
    return sys.stdin.isatty() or os.environ.get("TRIAGE_INTERACTIVE") == "1"


def interactive(pack: CompiledPack, out: Output, *, lang_given: bool, save: Path | None,
                resume: Path | None, terminal: LineTerminal | None = None,
                after_result: Callable[[Outcome, dict[str, Any]], None] | None = None) -> int:
    """Ask the questions one at a time, then show the result. An exit code.

    ``after_result(outcome, answers)`` runs once the result is on stdout (e.g. to record it).
    """
    lang = out.lang
    caller = out.caller
    flow = Flow(pack, lang)
    notes: list[str] = []
    if resume is not None:
        try:
            saved = load_session(resume)
        except SessionFileError as exc:
            _err(t("resume_failed", lang, path=display_path(resume), why=str(exc)))
            return EXIT_PROBLEMS
        if not lang_given and saved.language in ("en", "fr"):
            lang = saved.language
        caller = caller or saved.caller
        if saved.pack_id != pack.id:
            notes.append(t("other_pack", lang, old=saved.pack_id, new=pack.id))
        elif saved.pack_hash != pack.content_hash:
            notes.append(t("pack_changed", lang,
                           old=f"{saved.pack_version} {saved.pack_hash[:12]}",
                           new=f"{pack.version} {pack.content_hash[:12]}"))
        flow, dropped = Flow.restore(pack, saved.answers, lang)
        notes += [t("dropped_answer", lang, question=printable(d.question),
                    reason=t(d.reason, lang)) for d in dropped]
        notes.append(t("resumed", lang, path=display_path(resume), count=len(flow.answers)))
        save = save or resume
    out = Output(lang, out.output_format, out.plain, caller, out.report)
    styled = not (out.plain or accessible_wanted()) and sys.stderr.isatty()
    width = shutil.get_terminal_size((88, 24)).columns if styled else 88
    look = prompts.Look(lang, plain=out.plain or accessible_wanted(), styled=styled,
                        caller=caller, width=max(40, min(width, 120)))
    term = terminal or open_terminal()
    session = Session.for_pack(pack, lang, caller)
    save_warned = False

    def keep(status: str, disposition: str | None = None) -> None:
        nonlocal save_warned
        if save is None:
            return
        session.answers = list(flow.answers.items())
        session.status = status
        session.disposition = disposition
        try:
            session.save(save)
        except OSError as exc:
            if not save_warned:  # say it once; a failed save must not end a screening
                term.write(prompts.note(t("save_failed", lang, path=display_path(save),
                                          why=exc.strerror or exc), look))
                save_warned = True

    previous = _stop_on_hangup()
    try:
        term.write(prompts.intro(pack, look))
        for text in notes:
            term.write(prompts.note(text, look))
        if notes:
            term.write("\n")
        if resume is not None:
            keep(COMPLETE if flow.finished else IN_PROGRESS)
        while not flow.finished:
            _ask_current(flow, term, look, keep)
    except (KeyboardInterrupt, EOFError):
        keep(STOPPED)
        with contextlib.suppress(OSError):  # the terminal may be gone (hang-up)
            term.write(prompts.stopped(look))
        return EXIT_INTERRUPTED
    finally:
        _restore_signals(previous)
    if flow.emergency:
        term.write(prompts.emergency(look))
    try:
        outcome = flow.outcome()
    except MissingAnswers as exc:  # the engine found a safety question the flow did not ask
        keep(STOPPED)
        _err(t("missing_answers", lang, questions=", ".join(exc.questions)))
        return EXIT_MISSING_ANSWERS
    keep(COMPLETE, outcome.disposition)
    term.write("\n")
    code = emit(outcome, pack, out)
    if after_result is not None:
        after_result(outcome, flow.answers)
    return code


def _stop_on_hangup() -> dict[int, object]:
    """A closed terminal or a kill ends the screening like Ctrl-C: saved as stopped."""
    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous: dict[int, object] = {}
    for name in ("SIGHUP", "SIGTERM"):
        number = getattr(signal, name, None)
        if number is not None:
            previous[number] = signal.signal(number, stop)
    return previous


def _restore_signals(previous: dict[int, object]) -> None:
    for number, handler in previous.items():
        signal.signal(number, handler)  # type: ignore[arg-type]


def _ask_current(flow: Flow, term: LineTerminal, look: prompts.Look,
                 keep: Callable[[str], None]) -> None:
    """Ask the current question until it is answered, or the person goes back."""
    pack = flow.pack
    question = flow.current
    assert question is not None
    one_key = term.one_key and (question.type == "yes_no" or (
        question.type == "single" and len(question.options) <= 9))
    term.write(prompts.question_block(pack, question, flow.progress, look, one_key=one_key))
    while True:
        prompt = prompts.answer_prompt(look)
        raw = term.read_key(prompt) if one_key else term.read_line(prompt)
        command = raw.strip().casefold()
        result = None if command in ("?", "b") else flow.answer(question.id, raw)
        if one_key:
            # the terminal does not echo a key press: say what it meant, in words when it
            # answered ("> no"), else the key itself before the help or the message
            if isinstance(result, Accepted):
                term.write(prompts.echo(pack, question, result.value, look))
            else:
                term.write((command if command.isprintable() else "") + "\n")
        if command == "?":
            term.write(prompts.help_text(pack, question, look))
            continue
        if command == "b":
            if flow.back() is None:
                term.write(prompts.note(t("at_start", look.lang), look))
                continue
            term.write(prompts.note(t("going_back", look.lang), look) + "\n")
            keep(IN_PROGRESS)
            return
        if isinstance(result, Rejected):
            term.write(prompts.rejected(result, look))
            continue
        assert result is not None
        if result.dropped:
            term.write(prompts.note(t("dropped_later", look.lang,
                                      questions=", ".join(result.dropped)), look))
        keep(IN_PROGRESS)
        term.write("\n")
        return
