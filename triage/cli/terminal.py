"""Reading answers from a person: one key where the terminal allows it, else a line.

Everything the questionnaire shows goes to stderr (the result alone goes to stdout). Ctrl-C
raises KeyboardInterrupt and end of input raises EOFError, in both modes, so the caller can stop
the screening in one place.
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import locale
import os
import sys
import time
from collections.abc import Callable, Iterator
from typing import TextIO, TypeVar

_Read = TypeVar("_Read", bound=Callable[..., object])


def _gone_is_end_of_input(read: _Read) -> _Read:
    """A terminal that went away (its window closed, the ssh session dropped) is the end of
    the input, as Ctrl-D is: reading it, or setting its mode, fails (EIO) rather than
    returning nothing, and the screening is then saved as stopped. It was an error that
    escaped the questionnaire: the answers stayed "in progress", and with no hang-up
    signal after it, an internal error."""
    @functools.wraps(read)
    def reading(*args: object, **kwargs: object) -> object:
        import termios

        try:
            return read(*args, **kwargs)
        except (OSError, termios.error) as exc:
            raise EOFError(str(exc)) from exc
    return reading  # type: ignore[return-value]

# An Enter this soon after a one-key answer is the habit of ending every answer with Enter,
# not an answer to the next question: it is dropped.
HABITUAL_ENTER_SECONDS = 0.5
# Keys that come closer together than this are one thing being typed: after a key that is
# not taken (a digit at a page break), the rest of what is typed with it is dropped too, so
# no part of a half-typed answer is ever taken as the whole answer.
TYPING_GAP_SECONDS = 1.0
# Keys that follow one another this closely were typed together, as one answer ("1 8",
# "yes", "not sure"): a question asked by one key reads them whole, so that its first key is
# never taken alone and the rest dropped ("n" of "not sure" read as "no").
KEYS_TOGETHER_SECONDS = 0.3


def _quiet(keys: str) -> str:
    """Typed keys as they can be shown again: no control keys (Enter, Escape)."""
    return "".join(c if c.isprintable() else " " for c in keys).strip()


class LineTerminal:
    """Line input: piped input (TRIAGE_INTERACTIVE=1), ``TERM=dumb`` and other simple terminals."""

    one_key = False
    # what was written since the person last typed, from the line they typed on: the next
    # screen keeps it in sight if it can (the introduction, "You chose: ...")
    since_key = ""
    # what is on the screen since a page began (:meth:`page`), typed lines too: what a
    # message after it would push off the top
    since_page = ""

    def page(self) -> None:
        """A page begins: the question's last page, above its prompt."""
        self.since_page = ""

    def __init__(self, stdin: TextIO | None = None, stderr: TextIO | None = None) -> None:
        self.stdin = stdin or sys.stdin
        self.stderr = stderr or sys.stderr
        # what to say of keys typed before a prompt was on the screen, which are not taken,
        # and whether b at that prompt takes back the last answer (the session words it in
        # its language; nothing by default)
        self.not_taken: Callable[[str, bool], str] = lambda keys, back: ""
        # b at the prompts read now takes back an answer (:meth:`offering_back`)
        self.back_offered = False
        # how keys typed ahead are said: written on, or (:meth:`telling`) by the screen,
        # which may draw its question again so that nothing it needs scrolls away
        self.tell: Callable[[str], None] = self.write

    @contextlib.contextmanager
    def telling(self, tell: Callable[[str], None]) -> Iterator[None]:
        """Keys typed ahead of the prompts read inside are said by ``tell``."""
        before, self.tell = self.tell, tell
        try:
            yield
        finally:
            self.tell = before

    @contextlib.contextmanager
    def offering_back(self, offered: bool) -> Iterator[None]:
        """The prompts read inside take back the last answer on b (``offered``), or not: what
        is said of keys typed ahead offers b only where it does that (not at the first
        question, nor at the check before a 911 stop inside a question)."""
        before, self.back_offered = self.back_offered, offered
        try:
            yield
        finally:
            self.back_offered = before

    @property
    def encoding(self) -> str:
        """The terminal's encoding, as standard input's (the locale's, or PYTHONIOENCODING):
        a Latin-1 terminal sends "é" as one byte, which read as UTF-8 was "\ufffd"."""
        encoding = getattr(self.stdin, "encoding", None) or locale.getpreferredencoding(False)
        try:
            return codecs.lookup(encoding).name
        except LookupError:
            return "utf-8"

    def decode(self, data: bytes) -> str:
        """Bytes typed, as text (a byte the encoding has no letter for reads as "\ufffd")."""
        return data.decode(self.encoding, errors="replace")

    def write(self, text: str) -> None:
        self.stderr.write(text)
        self.stderr.flush()
        self.since_key += text
        self.since_page += text

    @_gone_is_end_of_input
    def read_line(self, prompt: str) -> str:
        self.write(prompt)
        line = self.stdin.readline()
        if not line:
            raise EOFError
        self.since_key = prompt
        if not self.stdin.isatty():
            # piped answers are not echoed by a terminal: show them so the transcript reads,
            # escaped (the file piped in may hold escape sequences the terminal would obey)
            from triage.text import printable

            self.write(printable(line.rstrip("\r\n")) + "\n")
        else:  # the terminal echoed the line
            self.since_key += line
            self.since_page += line
        return line.rstrip("\r\n")

    @_gone_is_end_of_input
    def read_key(self, prompt: str) -> str:
        return self.read_line(prompt)

    @_gone_is_end_of_input
    def drop_typing(self) -> None:
        """Drop what is still being typed after a key that was not taken: nothing here, a
        line is read whole."""


class KeyTerminal(LineTerminal):
    """A real terminal: single key presses in cbreak mode (Ctrl-C still sends SIGINT).

    Both keys and lines are read from the file descriptor, not through ``sys.stdin``'s buffer,
    so nothing typed ahead hides in a buffer and turns up in a later answer. A "key" is what
    was typed together (:data:`KEYS_TOGETHER_SECONDS`): one key, or a few ("1 8", "yes") for
    the screen to take whole or not at all; keys typed before a prompt are not taken, and
    said (:attr:`not_taken`).
    """

    one_key = True
    _last_key = 0.0  # when the last one-key answer was read (monotonic seconds)
    # keys read with an answer after its Enter: typed before the next prompt was written
    _ahead = b""

    def _habitual_enter(self, data: bytes) -> bool:
        return data in (b"\r", b"\n") and \
            time.monotonic() - self._last_key < HABITUAL_ENTER_SECONDS

    def _drop_typed_ahead(self, fd: int) -> None:
        """Keys typed before the prompt is written (after the Enter typed with the last answer,
        or while the program wrote) are not taken, as ever: a double press must not answer a
        question not read. They are said, not dropped without a word: one may be the rest of
        the last answer. Read in cbreak mode, where a line not yet ended is readable too."""
        import select

        data, self._ahead = self._ahead, b""
        while select.select([fd], [], [], 0)[0]:
            more = os.read(fd, 64)
            if not more:
                break
            data += more
        keys = _quiet(self.decode(data).replace("\x04", ""))
        if keys:  # an Enter alone is the habit of ending an answer with it: nothing lost
            self.tell(self.not_taken(keys, self.back_offered))

    @contextlib.contextmanager
    def _continued(self, fd: int, mode: Callable[[], None]) -> Iterator[None]:
        """Ctrl-Z stops the program and ``fg`` continues it; meanwhile the shell set the
        terminal to its own mode and wrote its lines ("[1]+ Stopped", "fg") under the
        question. Continued, the terminal is set to the mode of the read again (``mode``:
        keys were echoed and waited for Enter at a one-key question) and what was written
        since the last key (the question and its prompt) is written again below them."""
        import signal

        def continued(signum: int, frame: object) -> None:
            import termios

            try:
                mode()
                self.stderr.write("\n" + self.since_key)
                self.stderr.flush()
            except (OSError, termios.error, ValueError):
                # a terminal that went away sends SIGCONT with its hang-up: nothing to write
                # to, and the read that follows ends the input, saved as stopped
                pass

        try:
            previous = signal.signal(signal.SIGCONT, continued)
        except ValueError:  # not the main thread: nothing to do it with
            yield
            return
        try:
            yield
        finally:
            signal.signal(signal.SIGCONT, previous)

    @_gone_is_end_of_input
    def read_line(self, prompt: str) -> str:
        import termios
        import tty

        fd = self.stdin.fileno()
        saved = termios.tcgetattr(fd)
        try:
            tty.setcbreak(fd, termios.TCSANOW)
            self._drop_typed_ahead(fd)  # as for keys: nothing typed before the question
        finally:
            termios.tcsetattr(fd, termios.TCSANOW, saved)
        # canonical mode: one read returns one edited line (or what was typed before Ctrl-D)
        with self._continued(fd, lambda: termios.tcsetattr(fd, termios.TCSANOW, saved)):
            self.write(prompt)  # inside: a Ctrl-Z as soon as it shows is continued as ever
            data = os.read(fd, 4096)
            while self._habitual_enter(data):
                self._last_key = 0.0
                data = os.read(fd, 4096)
        if not data:
            raise EOFError
        line = self.decode(data)  # in the terminal's encoding (a Latin-1 "é" is one byte)
        self.since_key = prompt + line  # echoed by the terminal (canonical mode)
        self.since_page += line
        return line.rstrip("\r\n")

    def _typed_with(self, fd: int, data: bytes) -> bytes:
        """``data`` (a key press) and the keys typed with it: those that follow it within
        :data:`KEYS_TOGETHER_SECONDS` of one another, up to an Enter, which ends them (an
        Enter out of habit; what follows it was typed ahead, said at the next prompt)."""
        import select

        if data[:1] in (b"\r", b"\n"):
            # An Enter read together with keys after it (typed fast, or read late on a busy
            # machine): the Enter alone, and the rest typed ahead, said at the next prompt.
            # Cut at the Enter, the keys would be an empty answer: the end of the input.
            self._ahead = data[1:].lstrip(b"\n")
            return data[:1]
        if data.startswith(b"\x1b") or b"\x04" in data:
            return data
        while not (b"\r" in data or b"\n" in data) and \
                select.select([fd], [], [], KEYS_TOGETHER_SECONDS)[0]:
            more = os.read(fd, 64)
            data += more
            if not more or b"\x04" in more:
                break
        ends = [i for i in (data.find(b"\r"), data.find(b"\n")) if i >= 0]
        if ends:
            end = min(ends)
            data, self._ahead = data[:end], data[end + 1:].lstrip(b"\n")
        return data

    @_gone_is_end_of_input
    def read_key(self, prompt: str) -> str:
        import termios
        import tty

        fd = self.stdin.fileno()
        saved = termios.tcgetattr(fd)
        try:
            # cbreak, not raw: ISIG stays on, so Ctrl-C raises KeyboardInterrupt as usual.
            tty.setcbreak(fd, termios.TCSANOW)
            # Keys typed before this question was on the screen are not taken: a double
            # press must not answer a safety question the person has not read.
            self._drop_typed_ahead(fd)
            with self._continued(fd, lambda: tty.setcbreak(fd, termios.TCSANOW)):
                self.write(prompt)  # inside: a Ctrl-Z as soon as it shows is continued
                data = os.read(fd, 64)  # one key press may be several bytes (UTF-8, arrows)
                while self._habitual_enter(data):
                    self._last_key = 0.0
                    data = os.read(fd, 64)
                # one answer, whole: "1 8" or "not sure" typed in one go is never its first
                # key
                data = self._typed_with(fd, data)
            self._last_key = time.monotonic() if data not in (b"\r", b"\n") else 0.0
        finally:
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)
        self.since_key = prompt  # a key press is not echoed
        text = self.decode(data)
        if not text or "\x04" in text:  # end of input, or Ctrl-D (not special in cbreak mode)
            raise EOFError
        if text.startswith("\x1b"):
            return "\x1b"  # arrow and function keys: one unknown key, not several
        if len(set(text)) == 1:  # a key pressed twice, or one that bounced: that key
            return text[0]
        return text


    @_gone_is_end_of_input
    def drop_typing(self) -> None:
        """Drop the keys that follow, until none comes for :data:`TYPING_GAP_SECONDS`: the
        rest of an answer typed at a page break (" 8" after "1"), and its Enter. The person
        was told the key was not taken; the rest is not taken either. Ctrl-D raises
        EOFError, as at any key."""
        import select
        import termios
        import tty

        fd = self.stdin.fileno()
        saved = termios.tcgetattr(fd)
        try:
            tty.setcbreak(fd, termios.TCSANOW)  # keys, not echoed, as read_key reads them
            while select.select([fd], [], [], TYPING_GAP_SECONDS)[0]:
                data = os.read(fd, 64)
                if not data or b"\x04" in data:
                    raise EOFError
        finally:
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def open_terminal() -> LineTerminal:
    """A key terminal when stdin is a terminal that can do it, else line input."""
    if sys.stdin.isatty() and os.environ.get("TERM") != "dumb":
        try:
            import termios

            termios.tcgetattr(sys.stdin.fileno())
            return KeyTerminal()
        except Exception:  # termios.error is not an OSError; any failure means line input
            pass
    return LineTerminal()
