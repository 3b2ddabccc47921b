"""The console entry point. Kept free of heavy imports so ``triage --version`` starts fast."""

from __future__ import annotations

import os
import sys
from typing import Any, NoReturn

from triage.cli import stopping
from triage.cli.exitcodes import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_OK, EXIT_PROBLEMS
from triage.cli.version import version_line


def keep_only_invoked_command(app: Any, argv: list[str]) -> None:
    """Build only the command being run: typer builds every command's options on each start.

    When the first word names a command (``triage assess ...``), the others are dropped from
    this process's app; anything else (``triage --help``, a typo) keeps them all.
    """
    words = [a for a in argv if not a.startswith("-")]
    if not words or (argv and argv[0].startswith("-")):
        return
    name = words[0]

    def command_name(info: Any) -> str:
        return str(info.name or info.callback.__name__.replace("_", "-"))

    commands = [c for c in app.registered_commands if command_name(c) == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if commands or groups:
        app.registered_commands = commands
        app.registered_groups = groups


def main() -> None:
    if not _streams_ready():
        sys.exit(EXIT_PROBLEMS)
    if sys.argv[1:] == ["--version"]:  # guarded too: `triage --version > /dev/full`
        sys.exit(_guarded(_version))
    from triage.cli.fastpath import command_words

    argv = command_words(sys.argv[1:])
    # reading the options is inside the guard too: it asks where the clinic config is, which
    # can fail (no home folder, an unreadable folder) and must not end in a traceback
    try:
        code = _guarded(lambda: _run(argv))
    finally:
        if stopping.stopped_by:  # cleaned up: now end as that signal would have ended it
            _die_of(stopping.stopped_by[0])
    sys.exit(code)


def _version() -> int:
    print(version_line())
    return EXIT_OK


def _run(argv: list[str]) -> int:
    from triage.cli.fastpath import parse, parse_questionnaire

    quick = parse(argv)
    if quick is not None:  # `assess --answers FILE`: no typer needed (see triage.cli.fastpath)
        from triage.cli.fastpath import assess_answers

        return assess_answers(quick)[0]
    asking = parse_questionnaire(argv)
    if asking is not None:  # the questionnaire: a person waits for its first question
        from triage.cli.questionnaire import run_questionnaire

        return run_questionnaire(asking)
    from triage.cli.app import app

    keep_only_invoked_command(app, argv)
    return int(app(args=argv, standalone_mode=True) or 0)


def _streams_ready() -> bool:
    """Standard streams a command can use, or False (after saying why) when there is nowhere
    to put a result.

    A stream closed by the shell (``<&-``, ``>&-``) is None in Python; a file opened later
    would also take its descriptor, and whatever is written to that stream would land in it.
    A closed input reads as empty, closed error output swallows messages; closed standard
    output would lose the result, so nothing is done. A stream whose codec is not UTF-8
    spells what it lacks the nearest way (:func:`triage.text.speak_through`) instead of
    failing after half a result."""
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the run
    if sys.stdin is None:
        sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 - for the run
    if sys.stdout is None:
        sys.stderr.write("triage: standard output is closed, so a result would be lost: "
                         "nothing was done.\n")
        return False
    from triage.text import speak_through

    speak_through(sys.stdout)
    speak_through(sys.stderr)
    return True


class _WatchedStdout:
    """Standard output as it was, noting a failure to write to it (a full disk, a closed
    pipe), so that failure is told apart from a bug."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.failed: OSError | None = None
        self.written = False  # anything at all: a message after it must not contradict it

    def write(self, text: str) -> Any:
        try:
            self.written = self.written or bool(text)
            return self._stream.write(text)
        except OSError as exc:
            self.failed = exc
            raise

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            self.failed = exc
            raise

    def settle(self) -> OSError | None:
        """Flush now: the result reaches its file here, or why not is returned (not met at
        exit, after the exit code was chosen)."""
        try:
            self.flush()
        except OSError as exc:
            return exc
        return None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _guarded(run: Any) -> int:
    """Run a command: Ctrl-C is 130; a bug is 70 with a plain message, never a traceback
    (which could carry answers, i.e. health data); a result that cannot be written (a full
    disk, a closed pipe) is 1 with the reason."""
    _stop_on_signals()
    stream = sys.stdout
    out = _WatchedStdout(stream)
    sys.stdout = out
    try:
        return _watched(run, out)
    finally:
        sys.stdout = stream


def _stop_on_signals() -> None:
    """A kill (SIGTERM: ``timeout``, a service manager) or a hang-up (a closed ssh session)
    stops a command as Ctrl-C does: its clean-up runs, so no temporary file of results
    (``batch --out``, ``records export --out``) is left behind; Python's default would end
    the process on the spot. The process then ends by that signal all the same
    (:func:`_die_of`): its exit status (143, 129) is what scripts and service managers
    expect. A signal the parent chose to ignore (``nohup``) stays ignored.
    """
    stopping.catch()


def _die_of(signum: int) -> NoReturn:
    """End the process by ``signum``, its default action, once what it interrupted is
    cleaned up and said."""
    import contextlib
    import signal

    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)
    os._exit(128 + signum)  # (not reached: the signal ends the process)


def _watched(run: Any, out: _WatchedStdout) -> int:
    # A write that failed and was dealt with by the command (``records export | head``) is
    # the command's business; one that ends the command, or a result still unwritten at the
    # end, is "cannot write the result".
    unwritten: OSError | None = None
    try:
        try:
            code = int(run())
        finally:
            unwritten = out.settle()
    except KeyboardInterrupt:
        _say("stopped_command")
        return EXIT_INTERRUPTED
    except SystemExit:  # typer's way to end a command
        if unwritten is not None:
            _cannot_write(unwritten)
        raise
    except Exception as exc:
        if out.failed is not None:
            _cannot_write(unwritten or out.failed)
        if os.environ.get("TRIAGE_DEBUG") == "1":
            raise
        language = _language()
        _say("internal_error", language, kind=type(exc).__name__,
             stands=_what_stands(out, language))
        return EXIT_INTERNAL
    if unwritten is not None:
        _cannot_write(unwritten)
    return code


def _what_stands(out: _WatchedStdout, language: str) -> str:
    """After a bug: what the person may rely on. A result already shown stands (a failure
    after it, such as saving the record, does not take it back); "no recommendation was
    made" would tell them to ignore a "call 911" on the screen."""
    from triage.i18n import t

    output = sys.modules.get("triage.cli.output")  # (only a command that shows results)
    if output is not None and getattr(output, "result_shown", False):
        return t("bug_result_stands", language)
    return t("bug_output_incomplete" if out.written else "bug_no_result", language)


def _language() -> str:
    """The session's language (``--lang``, as the command worked it out), else the locale's:
    what the person was reading when the command failed."""
    from triage.i18n import default_language

    output = sys.modules.get("triage.cli.output")
    return getattr(output, "message_language", "") or default_language()


def _say(key: str, language: str = "", **values: object) -> None:
    """One of the entry point's own messages on standard error, in the session's language and
    broken between words on a terminal as every message is (:func:`triage.cli.output.err`).
    Said plainly if that cannot be done: it may be what failed."""
    from triage.i18n import t

    text = t(key, language or _language(), **values)
    try:
        from triage.cli.output import err

        err(text)
    except Exception:  # the message must reach the person all the same
        sys.stderr.write(text + "\n")
        sys.stderr.flush()


def _cannot_write(exc: OSError) -> NoReturn:
    """Say why the result could not be written and end with exit 1, leaving out the exit-time
    flush of what standard output still holds (it would fail again, with a traceback)."""
    _say("cannot_write_result", reason=exc.strerror or "error")
    os._exit(EXIT_PROBLEMS)
