"""Ctrl-Z, then ``fg``: the questionnaire goes on as it was (a pseudo-terminal, pexpect).

Stopped, the program leaves the terminal to the shell, which sets its own mode (canonical,
echoing) and writes its lines ("[1]+ Stopped", "fg") under the question. Found by hand: after
``fg`` a one-key question echoed the key and waited for Enter, and the question was nowhere
near the cursor. Here the test is the shell: it stops the program with Ctrl-Z, sets the
terminal's mode as a shell does, writes its lines, and continues the program.
"""

from __future__ import annotations

import io
import os
import pty
import signal
import termios
import time

import pexpect
import pytest

from tests.cli.test_terminal import spawn
from triage.cli.terminal import KeyTerminal


def stop_and_continue(child: pexpect.spawn) -> None:
    """Ctrl-Z, the shell's mode, then ``fg``. The program is stopped by SIGSTOP: pexpect
    makes it a session of its own with no shell, an orphaned process group, which the
    kernel does not let Ctrl-Z (SIGTSTP) stop."""
    os.kill(child.pid, signal.SIGSTOP)
    for _ in range(200):  # stopped: /proc says T
        with open(f"/proc/{child.pid}/stat") as stat:
            if stat.read().split(") ")[1].startswith("T"):
                break
        time.sleep(0.05)
    else:
        pytest.fail("Ctrl-Z did not stop the questionnaire")
    # the shell's own mode: canonical and echoing (on Linux the master sets the pair's mode)
    mode = termios.tcgetattr(child.child_fd)
    mode[3] |= termios.ICANON | termios.ECHO
    termios.tcsetattr(child.child_fd, termios.TCSANOW, mode)
    os.kill(child.pid, signal.SIGCONT)


def test_a_one_key_question_takes_one_key_after_fg() -> None:
    child = spawn()
    child.expect("Type y for yes or n for no")
    child.expect_exact("> ")
    stop_and_continue(child)
    # the question is written again below the shell's lines
    child.expect("Type y for yes or n for no")
    child.expect_exact("> ")
    time.sleep(0.6)
    child.send("n")  # one key, no Enter: taken as ever
    child.expect("Question 2", timeout=10)
    child.sendcontrol("c")
    child.expect(pexpect.EOF)


def test_a_line_question_is_written_again_after_fg() -> None:
    child = spawn()
    for _ in range(2):
        child.expect("Type y for yes or n for no")
        child.expect_exact("> ")
        time.sleep(0.6)
        child.send("n")
    child.expect("Type a number from 0 to 120")
    child.expect_exact("> ")
    stop_and_continue(child)
    child.expect("Type a number from 0 to 120", timeout=10)
    child.expect_exact("> ")
    child.send("30\r")
    child.expect("Question 4", timeout=10)
    child.sendcontrol("c")
    child.expect(pexpect.EOF)



class _PromptWatcher(io.StringIO):
    """The screen: notes what SIGCONT would do the moment the prompt is on it, then types
    the answer."""

    def __init__(self, master: int) -> None:
        super().__init__()
        self.master = master
        self.on_continue_at_prompt: object = None

    def write(self, text: str) -> int:
        written = super().write(text)
        if text == "> ":
            self.on_continue_at_prompt = signal.getsignal(signal.SIGCONT)
            os.write(self.master, b"30\r")
        return written


@pytest.mark.parametrize("read", ["read_line", "read_key"])
def test_the_prompt_shows_only_once_fg_would_write_the_question_again(read: str) -> None:
    """The prompt was written before the read's SIGCONT handler was set. The CI's pexpect
    stop came in between: after fg the question was not written again (a person's Ctrl-Z
    the moment the prompt shows, too)."""
    before = signal.getsignal(signal.SIGCONT)
    master, slave = pty.openpty()
    try:
        with os.fdopen(slave, "r") as stdin:
            screen = _PromptWatcher(master)
            answer = getattr(KeyTerminal(stdin, screen), read)("> ")
    finally:
        os.close(master)
    assert answer == "30"
    assert callable(screen.on_continue_at_prompt), screen.on_continue_at_prompt
    assert screen.on_continue_at_prompt is not before
    assert signal.getsignal(signal.SIGCONT) is before  # set back after the read
