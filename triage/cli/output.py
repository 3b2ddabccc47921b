"""The result of `triage assess` on stdout, and the --report file. Shared by --answers and the
interactive questionnaire; kept light (no flow, terminal or session code) so the --answers path
starts fast.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from triage.cli.exitcodes import EXIT_NOT_SAVED, EXIT_OK
from triage.i18n import t
from triage.problems import display_path
from triage.text import printable

if TYPE_CHECKING:
    from collections.abc import Iterable

    from triage.engine.evaluate import Outcome
    from triage.pack.compiled import CompiledPack


REPORT_SUFFIXES = (".md", ".html", ".htm")

# Set once a result is on standard output (in full, or the first page of a screen of it, which
# the person has read): an error after it (saving the record) must not be reported as "no
# recommendation was made" (triage.cli.entry); one before it must not say the result stands.
result_shown = False


def mark_result_shown() -> None:
    """The result is on standard output (all of it, or a screen's first page of it)."""
    global result_shown
    result_shown = True


def accessible_wanted() -> bool:
    """Plain mode from the environment: NO_COLOR, TERM=dumb or TRIAGE_ACCESSIBLE=1."""
    return bool(os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb"
                or os.environ.get("TRIAGE_ACCESSIBLE") == "1")


@dataclass(frozen=True)
class Output:
    """Where and how the result goes."""

    lang: str
    output_format: str = "text"  # text | json | markdown | none (only the report)
    plain: bool = False
    caller: bool = False
    report: Path | None = None
    # the record this screening is being saved as, when it is (the reception summary names
    # it: record_option.plan_record)
    record_id: str | None = None


class _Utf8Stdout:
    """Standard output's bytes, written as UTF-8 (see :func:`data_stdout`)."""

    def __init__(self, binary: Any) -> None:
        self._binary = binary

    def write(self, text: str) -> int:
        self._binary.write(text.encode("utf-8"))
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        self._binary.flush()


def data_stdout() -> Any:
    """Standard output for data (CSV, JSON Lines: ``batch --out -``, ``records export``):
    UTF-8 whatever the locale, the bytes ``--out FILE`` writes. A CSV cell has no escape for
    a character the locale's codec lacks, and spelling it another way (as text for people is,
    :func:`triage.text.speak_through`) would change the data: two patients' ids
    ("Łukasz-1", "Lukasz-1") would read the same."""
    from triage.text import is_utf8

    binary = getattr(sys.stdout, "buffer", None)
    if binary is None or is_utf8(sys.stdout):
        return sys.stdout
    sys.stdout.flush()  # anything written as text before comes first
    return _Utf8Stdout(binary)


def screen_width() -> int:
    """The terminal's width for wrapping (words are never broken): 40 to 120 columns."""
    from triage.untrusted import whole_number  # (lazy: not on the path of --version)

    # COLUMNS first, then the terminal, as shutil.get_terminal_size (not imported: slow);
    # with the result going to a file, the questions' terminal (stderr)
    columns = whole_number(os.environ.get("COLUMNS", "").strip()) or 0
    for stream in (sys.__stdout__, sys.__stderr__):
        if columns > 0:
            break
        try:
            columns = os.get_terminal_size(stream.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return max(40, min(columns or 88, 120))


def screen_rows() -> int:
    """The terminal's height, so that what does not fit comes in pages: ``LINES`` first,
    then the terminal the questions are on; 0 when not known (one page: a height below 10
    rows is taken for a terminal that misreports its size, not one to page at)."""
    from triage.untrusted import whole_number

    rows = whole_number(os.environ.get("LINES", "").strip()) or 0
    for stream in (sys.__stderr__, sys.__stdout__):
        if rows > 0:
            break
        try:
            rows = os.get_terminal_size(stream.fileno()).lines  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            rows = 0
    return rows if rows >= 10 else 0


# --plain (or the environment's plain mode): a screen reader's lines are whole messages, never
# broken by us (on stderr, and on stdout through :func:`on_screen`); set by the commands that
# take --plain (:func:`messages_for`)
_reader_lines = False
# the session's language once a command has worked it out (:func:`messages_for`): the entry
# point's own words after a bug or Ctrl-C are said in it (""; not known yet)
message_language = ""


def messages_for(plain: bool, lang: str) -> None:
    """Messages on standard error keep their lines whole (--plain): a screen reader reads a
    line as one item; and what the entry point says if the command fails is in ``lang``."""
    global _reader_lines, message_language
    _reader_lines = plain
    message_language = lang


def err(text: str, *, wrap: bool = True, colours: bool = False) -> None:
    """A message for the person, on standard error (results go to standard output).

    Messages quote file names, keys and references from outside: every one goes through the
    one sanitiser (:func:`triage.text.printable`), so no terminal escape reaches the screen;
    with ``colours``, colour sequences (``ESC [ ... m``, the batch summary's red emergency
    line) are let through and nothing else (what they wrap is sanitised as ever).
    On a terminal a message is broken between words (the terminal breaks it mid-word), except
    for a screen reader and for ``wrap=False`` (``file:line:col`` problems: one a line, as a
    compiler's, for the editor that reads them).
    """
    if colours:
        import re

        # (split with its group: the colour sequences are the odd pieces, kept as they are)
        pieces = re.split(r"(\x1b\[[0-9;]*m)", text)
        text = "".join(piece if i % 2 else printable(piece, multiline=True)
                       for i, piece in enumerate(pieces))
    else:
        text = printable(text, multiline=True)
    if wrap:
        text = _between_words(text, sys.stderr, screen_width())
    sys.stderr.write(text if text.endswith("\n") else text + "\n")
    sys.stderr.flush()


def _between_words(text: str, stream: Any, width: int) -> str:
    """``text`` broken between words when ``stream`` is a terminal (which breaks lines in
    the middle of words); untouched for a file or a pipe (the program reading it wraps lines
    itself) and for a screen reader (one item a line)."""
    try:
        terminal = bool(stream.isatty())
    except (AttributeError, ValueError):  # closed, or a stand-in without isatty
        terminal = False
    if not terminal or _reader_lines or accessible_wanted():
        return text
    from triage.render.typography import wrap_words

    return "".join(wrap_words(line, width) for line in text.splitlines())


def emit(outcome: Outcome, pack: CompiledPack, out: Output) -> int:
    """Print the result on stdout, write the report; an exit code."""
    from triage import render

    lang = out.lang
    if out.output_format == "json":
        sys.stdout.write(render.outcome_json(outcome, pack, lang))
    elif out.output_format == "markdown":
        sys.stdout.write(render.outcome_markdown(outcome, pack, lang))
    elif out.output_format == "none":  # shown already (the questionnaire's result screen)
        pass
    elif out.caller:  # reception: the summary alone (the patient's result is not read out)
        from triage.render.caller import ListsAt, booking_summary

        sys.stdout.write(on_screen(booking_summary(outcome, pack, lang, ListsAt(out.record_id)),
                                   screen_width()))
    else:
        reader = out.plain or accessible_wanted()
        # a screen reader's lines are the items: one a line, never broken by us (--plain)
        sys.stdout.write(render.outcome_text(outcome, pack, lang,
                                             plain=reader or not sys.stdout.isatty(),
                                             width=screen_width(),
                                             wrap=sys.stdout.isatty() and not reader))
    sys.stdout.flush()
    if out.output_format != "none":  # (the questionnaire's screen says when it is shown)
        mark_result_shown()
    if out.report is not None:
        from triage.render.report import report_html, report_markdown

        if out.report.suffix.lower() == ".md":
            text = report_markdown(outcome, pack, lang)
        else:
            from datetime import date

            text = report_html(outcome, pack, lang, date=date.today().isoformat())
        from triage.engine.sessions import write_private

        try:
            write_private(out.report, text)
        except OSError as exc:
            err(t("report_failed", lang, path=display_path(out.report),
                   why=exc.strerror or exc))
            # the result was shown, its copy refused by the disk: the environment (4), not a
            # problem in the answers (1), as a record that cannot be saved
            return EXIT_NOT_SAVED
        err(t("report_written", lang, path=display_path(out.report)))
    return EXIT_OK


def on_screen(text: str, width: int) -> str:
    """Plain text as it goes to stdout: whole words on a terminal, untouched for a file (the
    program it is pasted into wraps lines itself) and for a screen reader (one item a line:
    --plain, or plain mode from the environment)."""
    return _between_words(text, sys.stdout, width)


def report_suffix_ok(path: Path | None) -> bool:
    return path is None or path.suffix.lower() in REPORT_SUFFIXES


def caller_ref_ok(ref: str | None) -> bool:
    """A ``--caller-ref`` the records store will take (no control character, 200 characters
    at most), or none: one it would refuse lost the whole record at the end of the call."""
    from triage.text import plain_line

    return ref is None or plain_line(ref.strip())
