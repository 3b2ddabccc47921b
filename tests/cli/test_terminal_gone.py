"""A terminal that went away (its window closed, an ssh session dropped) is the end of the
input: reading it fails (EIO) rather than returning nothing. The screening is then saved as
stopped, whatever hang-up signal comes while it is saved; it was left "in progress", the
error escaping the questionnaire ("Stopped.", or with no signal after it an internal error).
"""

from __future__ import annotations

import io
import json
import os
import pty
import signal
import time
from pathlib import Path

import pytest

from tests.cli.test_terminal import press, spawn
from triage.cli.terminal import KeyTerminal


@pytest.mark.parametrize("read", ["read_line", "read_key", "drop_typing"])
def test_reading_a_closed_terminal_is_the_end_of_the_input(read: str) -> None:
    master, slave = pty.openpty()
    with os.fdopen(slave, "r") as stdin:
        term = KeyTerminal(stdin, io.StringIO())
        os.close(master)
        with pytest.raises(EOFError):
            getattr(term, read)(*(["> "] if read != "drop_typing" else []))


def test_a_closed_terminal_saves_the_screening_as_stopped(tmp_path: Path) -> None:
    saved = tmp_path / "s.json"
    child = spawn("--save", str(saved))
    press(child, "n")
    child.expect("Did this start with a fall")
    child.expect_exact("> ")
    os.close(child.child_fd)  # the window closed: no key, no signal from us
    deadline = time.monotonic() + 30
    while child.isalive() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not child.isalive()
    # ended by the end of its input (130) or by the hang-up that came with it
    assert child.exitstatus == 130 or child.signalstatus == signal.SIGHUP, (
        child.exitstatus, child.signalstatus)
    data = json.loads(saved.read_text())
    assert data["status"] == "stopped"
    assert data["answers"] == {"chest_pain": "no"}


def test_a_hang_up_while_saving_does_not_cut_the_saving_short() -> None:
    """A closed terminal ends the input, and its hang-up signal comes while the answers are
    being saved as stopped (seen with tmux closing its window): the saving goes on."""
    from triage.cli.interactive import _save_as_stopped
    from triage.engine.sessions import STOPPED

    saved: list[object] = []

    def keep(status: object) -> None:
        if not saved:
            saved.append("interrupted")
            raise KeyboardInterrupt  # as the hang-up's handler raises mid-save
        saved.append(status)

    before = {s: signal.getsignal(s) for s in (signal.SIGHUP, signal.SIGTERM)}
    try:
        _save_as_stopped(keep)
    except KeyboardInterrupt:
        pytest.fail("the hang-up cut the saving short")
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)
    assert saved == ["interrupted", STOPPED]
