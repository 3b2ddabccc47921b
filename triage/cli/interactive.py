"""`triage assess` without --answers: the interactive questionnaire.

The CLI parses options and calls into here; this module ties together the pure flow
(:mod:`triage.engine.flow`), the terminal (:mod:`triage.cli.terminal`), saved sessions
(:mod:`triage.engine.sessions`), rendering (:mod:`triage.render`) and the result output
(:mod:`triage.cli.output`). Return values are exit codes.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from triage.cli import screens, stopping
from triage.cli.exitcodes import EXIT_INTERRUPTED, EXIT_MISSING_ANSWERS, EXIT_PROBLEMS
from triage.cli.output import (
    Output,
    accessible_wanted,
    emit,
    mark_result_shown,
    on_screen,
    screen_rows,
    screen_width,
)
from triage.cli.output import err as _err
from triage.cli.record_option import NOT_RECORDING, RecordPlan, unusable_note
from triage.cli.terminal import LineTerminal, open_terminal
from triage.engine.evaluate import MissingAnswers, Outcome, known_at_least
from triage.engine.flow import Flow, stated_signs
from triage.engine.policy import MEDICAL, URGENT
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
from triage.render import prompts, stops
from triage.render.reasons import quoted
from triage.text import printable

if TYPE_CHECKING:
    from triage.engine.hidden import HiddenWarningSign

# (outcome, answers, ask for a caller reference, the session's language) -> None
AfterResult = Callable[[Outcome, dict[str, Any], Callable[[], str], str], None]


def sized(look: prompts.Look) -> prompts.Look:
    """``look`` at the terminal's size now, read for every screen: a terminal resized between
    two questions (a phone turned, a window split) pages the next at its new size. Pages
    wait for a key only with a terminal at both ends: never with answers piped in, whose
    lines would turn pages instead of answering."""
    paged = sys.stderr.isatty() and sys.stdin.isatty()
    return replace(look, width=screen_width(), rows=screen_rows() if paged else 0)


def can_ask() -> bool:
    """Is there a person to ask? A terminal on stdin, or line input asked for explicitly."""
    return sys.stdin.isatty() or os.environ.get("TRIAGE_INTERACTIVE") == "1"


def interactive(pack: CompiledPack, out: Output, *, lang_given: bool, save: Path | None,
                resume: Path | None, terminal: LineTerminal | None = None,
                after_result: AfterResult | None = None, recording: bool = False,
                plan: Callable[[], RecordPlan] | None = None,
                options: Sequence[str] = ()) -> int:
    """Ask the questions one at a time, then show the result. An exit code.

    ``after_result(outcome, answers, ask_ref, lang)`` runs once the result is on stdout (e.g.
    to record it); ``ask_ref()`` asks the person at the terminal for a caller reference.
    ``recording``: a record may be wanted, so a stop before the screening starts says
    nothing was recorded. ``plan()``: called as the screening starts, before its first
    question: whether the result is to be recorded (a stop before it then says nothing
    was), under which id (the reception summary names the record), and why the store cannot
    take it (said before the first question). ``options``: those the session was started
    with (``--lang fr``, ``--record``), said again in the command that saves the answers
    next time.
    """
    lang = out.lang
    caller = out.caller
    flow = Flow(pack, lang)
    notes: list[str] = []
    signs: tuple[HiddenWarningSign, ...] = ()
    stating: dict[str, Any] = {}  # the saved answers that state them
    if resume is not None:
        try:
            saved = load_session(resume)
        except SessionFileError as exc:
            _err(t("resume_failed", lang, where=f"{display_path(resume)}:{exc.line}:{exc.col}",
                   why=str(exc)))
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
        signs = stated_signs(dropped)
        stating = {d.question: d.value for d in dropped if d.signs}
        notes += [t("dropped_answer", lang,
                    question=printable(quoted(pack, d.question, lang, caller=caller)),
                    reason=t(d.reason, lang)) for d in dropped if not d.signs]
        if not signs:  # (with them nothing is resumed: see below)
            notes.append(t("resumed", lang, path=display_path(resume),
                           count=len(flow.answers)))
        save = save or resume
    out = Output(lang, out.output_format, out.plain, caller, out.report)
    styled = not (out.plain or accessible_wanted()) and sys.stderr.isatty()
    reader = out.plain or accessible_wanted()
    # --plain: one item a line for a screen reader, so never broken into two by us
    look = sized(prompts.Look(lang, plain=reader, styled=styled, caller=caller,
                              wrap=sys.stderr.isatty() and not reader))
    term = terminal or open_terminal()
    term.not_taken = lambda keys, back: prompts.note(
        t("typed_ahead_back" if back else "typed_ahead", lang, keys=keys), look)
    if signs and resume is not None:
        # The saved answers state a warning sign the current questions would leave out (a
        # pack that narrowed a gate): every result from here would ignore it, as assess
        # --answers refuses to. Stop before any question, say what to do if it is true, and
        # leave the file as it was (it is the only copy of what was said).
        command = "triage --caller" if caller else "triage"
        with contextlib.suppress(OSError):
            term.write(prompts.intro(pack, look)
                       + "".join(prompts.note(n, look) for n in notes)
                       + stops.hidden_signs_stop(pack, signs, stating, look,
                                                   saved=display_path(resume),
                                                   command=command)
                       + (prompts.note(t("nothing_recorded", lang), look) if recording
                          else ""))
        return EXIT_PROBLEMS
    # the screening starts: the record is decided, and the store checked, now (not after a
    # stop above, which records nothing); a problem is said before the first question
    record = plan() if plan is not None else NOT_RECORDING
    recording = record.wanted
    if record.problem is not None:
        notes.append(unusable_note(record, lang))
    session = Session.for_pack(pack, lang, caller)
    save_warned = False
    save_failed = False  # the last save did not write the file

    def keep(status: str, disposition: str | None = None) -> None:
        nonlocal save_warned, save_failed
        if save is None:
            return
        # a finished screening keeps the answers its result used; one under way also keeps
        # the answers taken back by going back (until changed, or no longer applying)
        session.answers = list((flow.answers if status == COMPLETE
                                else flow.kept_answers()).items())
        session.status = status
        session.disposition = disposition
        try:
            session.save(save)
            save_failed = False
        except OSError as exc:
            save_failed = True
            if not save_warned:  # say it once; a failed save must not end a screening
                term.write(prompts.note(t("save_failed", lang, path=display_path(save),
                                          why=exc.strerror or exc), look))
                save_warned = True

    opening = prompts.intro(pack, look) + "".join(prompts.note(n, look) for n in notes) + (
        "\n" if notes else "")
    if resume is not None:
        known = known_at_least(pack, flow.answers)
        if known in URGENT:  # the sign first: the file was left to go, not to finish
            opening += stops.resumed_known(pack, known, look)
    # a closed terminal or a kill ends the screening like Ctrl-C: saved as stopped, then the
    # process ends by that signal (129, 143) as every command does (stopping)
    previous = stopping.catch()
    try:
        try:
            shown = _ask_and_show(flow, pack, out, look, term, keep, opening,
                                  resume is not None, record.record_id,
                                  hold_above=record.problem is not None)
        except KeyboardInterrupt as stop:  # a hang-up in the instant the questions ended
            shown = Stopped(stop)
        if isinstance(shown, Stopped):  # before any result was shown
            _save_as_stopped(keep)
            level, known = _known_level(flow, look)
            with contextlib.suppress(OSError):  # the terminal may be gone (hang-up)
                term.write(_stop_message(
                    shown.why, look, recording,
                    None if save is None or save_failed else display_path(save), known,
                    level in URGENT, display_path(save) if save is not None and save_failed
                    else None, options))
            return EXIT_INTERRUPTED
        code, outcome = shown
        if outcome is None:  # no result (a safety question without its answer)
            return code
        # the result is on the screen: from here on an interruption keeps it (and records it)
        if after_result is not None:
            after_result(outcome, flow.answers, lambda: screens.ask_caller_ref(term, look), lang)
        return code
    finally:
        stopping.restore(previous)


class Stopped:
    """The screening was stopped (Ctrl-C, end of input, q, a hang-up) before its result."""

    def __init__(self, why: BaseException) -> None:
        self.why = why


def _ask_and_show(flow: Flow, pack: CompiledPack, out: Output, look: prompts.Look,
                  term: LineTerminal, keep: Callable[..., None], opening: str,
                  resumed: bool, record_id: str | None = None, hold_above: bool = False,
                  ) -> tuple[int, Outcome | None] | Stopped:
    """The questions, the review and the result with its keys: (exit code, outcome), or
    :class:`Stopped` when it ends before the result is shown. ``hold_above``: the opening
    says what must be read before question 1 (a record that cannot be kept)."""
    lang = look.lang
    try:
        term.write(opening)
        if resumed:
            keep(COMPLETE if flow.finished else IN_PROGRESS)
        while True:
            while not flow.finished:
                screens.ask_current(flow, term, sized(look), lambda: keep(IN_PROGRESS), sized,
                                    hold_above=hold_above and not flow.answers)
            if flow.emergency:  # no review: the result at once
                if look.caller or out.output_format != "text" or not screens.stdout_is_screen():
                    # said here unless the result on this screen says it next: "call 911"
                    # once as the result, not a stop line above "Result: Call 911 now"
                    term.write(stops.emergency(sized(look)))
            elif not screens.review(flow, term, sized(look)):
                continue  # a question was reopened: ask it, then review again
            try:
                outcome = flow.outcome()
            except MissingAnswers as exc:  # a safety question the flow did not ask
                keep(STOPPED)
                _err(t("missing_answers", lang, questions=", ".join(exc.questions)))
                return EXIT_MISSING_ANSWERS, None
            keep(COMPLETE, outcome.disposition)
            term.write("\n")
            if out.output_format != "text":
                return emit(outcome, pack, out), outcome
            shown = _show_result(outcome, pack, out, sized(look), term, record_id)
            if shown is None:  # b: back to the answers
                if flow.emergency:
                    flow.back()  # the answer that stopped it is asked again, as the default
                keep(IN_PROGRESS)
                continue
            return shown, outcome
    except (KeyboardInterrupt, EOFError) as stop:
        return Stopped(stop)


def _known_level(flow: Flow, look: prompts.Look) -> tuple[str, str]:
    """What the answers given so far already say: a red flag that holds whatever the rest
    would be, at a level that needs a doctor, and its words (:func:`stops.known_level`);
    else ("", "")."""
    known = known_at_least(flow.pack, flow.answers)
    if known is None or known not in MEDICAL:
        return "", ""
    return known, stops.known_level(flow.pack, known, look)


def _stop_message(stop: BaseException, look: prompts.Look, recording: bool,
                  saved: str | None, known: str = "", urgent: bool = False,
                  failed: str | None = None, options: Sequence[str] = ()) -> str:
    """What is said when the screening stops before its result. At the check of an answer
    that means "call 911", that answer and what to do if it is true come first; a warning
    sign the answers already show (``known``, :func:`_known_level`) is said next, in place
    of "no recommendation made". ``urgent``: that sign needs care today or sooner, so the
    saved file is not offered "to continue later" (finishing first would delay going).
    ``failed``: the --save file could not be written: said so, not "start with --save".
    After an urgent sign (the 911 check, a warning sign told that needs care today or
    sooner) nothing routine is said: no "next time", no "to continue later". ``options``:
    the session's own, kept in the command that saves next time."""
    at_check = isinstance(stop, screens.StoppedAtEmergencyCheck)
    again = stops.keep_command(look, options)
    if not at_check and not look.caller:
        text = stops.stopped(look, saved, known, urgent, failed, again)
    else:  # staff are told about the caller; after an emergency sign, what to do if true
        said = (stops.stopped_at_check(stop.answer, look)
                if isinstance(stop, screens.StoppedAtEmergencyCheck)
                else t("stopped_caller", look.lang,
                       call_911=stops.caller_call_911(look.lang)))
        # in reception mode the answers are the call's, not the staff member's at the keyboard
        how = stops.how_kept(look, saved, failed, again,
                             urgent=(urgent and bool(known)) or at_check)
        told = prompts.note(how, look) if how else ""
        if known and not at_check:
            text = known + told
        else:
            text = "\n" + prompts.note(said, look) + known + told
    if recording:
        text += prompts.note(t("nothing_recorded", look.lang), look)
    return text


def _show_result(outcome: Outcome, pack: CompiledPack, out: Output, look: prompts.Look,
                 term: LineTerminal, record_id: str | None = None,
                 ) -> int | None:
    """The result on stdout, then its keys. An exit code, or None when the person goes back.

    On a screen only the summary is shown (details on `d`), in pages when it does not fit
    (:func:`triage.render.pages.result_pages`: the last holds what to do); to a file or a
    pipe, everything. Either way the outcome line is the last line written.
    """
    from triage.render.caller import ListsAt, booking_summary, caller_details, caller_result_keys
    from triage.render.pages import result_pages, rows_of, summary_pages
    from triage.render.result import result_keys

    plain = look.plain or not sys.stdout.isatty()
    # `d` offers only what it shows for this result
    keys = (caller_result_keys if out.caller else result_keys)(outcome, pack, look.lang)
    shown_keys = t("result_keys_shown", look.lang)  # after `d`: the details are on the screen
    # the full lists: the record, when one will be saved, and `d` while this is on the screen
    lists = ListsAt(record_id if out.caller else None, details_key=True)

    def show(part: str) -> None:
        now = sized(look)  # `d` after the terminal was resized: at its size now
        width = now.width
        if out.caller:  # the reception summary, which ends with what to book; `d` adds the
            # full lists above it. On a screen, in pages with the keys on the last (a summary
            # taller than the screen scrolled them away); to a file or pipe, one block
            footer = shown_keys if part == "details" else keys
            summary = booking_summary(
                outcome, pack, look.lang,
                replace(lists, details_above=True) if part == "details" else lists)
            if part == "details":
                summary = caller_details(outcome, pack, look.lang) + "\n" + summary
            if part == "all" or not screens.stdout_is_screen():
                if part == "details":  # the keys above the block, as before the summary
                    term.write(prompts.result_keys(footer, now))
                pages = [on_screen(summary, width)]
            else:
                pages = summary_pages(summary, width=width, rows=now.rows,
                                      footer=prompts.result_keys(footer, now), wrap=True,
                                      reserve=rows_of(prompts.result_more(99, 99, part, now),
                                                      width))
        else:
            # the keys go just above the outcome line, which stays the last line on the screen
            pages = result_pages(outcome, pack, look.lang, plain=plain, width=width,
                                 rows=now.rows if part != "all" else 0, part=part,
                                 footer={"summary": keys, "details": shown_keys}.get(part, ""),
                                 wrap=sys.stdout.isatty() and not now.plain,
                                 reserve=rows_of(prompts.result_more(99, 99, part, now),
                                                 width))
        number = 1
        while True:
            sys.stdout.write(pages[number - 1])
            sys.stdout.flush()
            mark_result_shown()  # from its first page: a failure after it does not undo it
            if number == len(pages):
                return
            # Enter shows the next page, q the last (what to do, the keys): ten pages of
            # details at 40x24 need not be ten key presses
            refused = t("page_refused_details" if part == "details" else "page_refused_result",
                        look.lang)
            key = screens.page_break(term, prompts.result_more(number, len(pages), part, now),
                                     prompts.note(refused, now))
            number = len(pages) if key in screens.QUIT else number + 1

    # to a file or pipe the keys go above the result (in reception mode, above the summary,
    # which stays one block to copy); on a screen they are on its last page
    if not screens.stdout_is_screen():
        term.write(prompts.result_keys(keys, look))
    code = 0
    try:
        try:
            show("summary" if screens.stdout_is_screen() else "all")
        finally:  # the result is on the screen from its first page: its report is written
            code = emit(outcome, pack, Output(out.lang, "none", report=out.report))
        if screens.result_keys(term, look, lambda: show("details"), keys, shown_keys):
            return None
    except (KeyboardInterrupt, EOFError):  # Ctrl-C (or a hang-up) after the result: it
        # stands, as with q
        with contextlib.suppress(OSError):
            term.write("\n")
    return code


def _save_as_stopped(keep: Callable[..., None]) -> None:
    """Saved as stopped whatever signal comes meanwhile: a closed terminal ends the input,
    then hangs up (the signal is noted; the process ends by it once the rest is said)."""
    while True:
        try:
            stopping.hold()
            keep(STOPPED)
            return
        except KeyboardInterrupt:
            continue


