"""A kill (SIGTERM: `timeout`, a service manager) or a hang-up (SIGHUP: a closed ssh session)
stops every command as Ctrl-C does, so its clean-up runs: no hidden temporary file of results
or records is left behind (audit "inputs" C1). Python's default for both ends the process on
the spot. The process still ends by the signal (what scripts and service managers expect), and
a signal the parent ignores (`nohup`) stays ignored.

Real processes and real signals; the input is a FIFO kept open (or the export slowed) so the
signal always comes in the middle of the work."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import MINIMAL, REPO_ROOT
from triage.cli.exitcodes import EXIT_OK

HEADER = "chest_pain,fall,age,fever,area,problems,blood_thinners\n"
CALM = "no,no,30,no,neck,stiffness,no\n"


def _as_at_a_terminal(ignored: tuple[int, ...] = ()) -> Callable[[], None]:
    """Default signal handling in the child, whatever the test run inherited (a background
    job, nohup); then ``ignored`` ignored, as `nohup` leaves them."""
    def prepare() -> None:
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(number, signal.SIG_IGN if number in ignored else signal.SIG_DFL)
    return prepare


def _env() -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    env.pop("TRIAGE_DEBUG", None)
    return env


def _wait_for(found: Callable[[], list[Path]], child: subprocess.Popen[str]) -> list[Path]:
    deadline = time.monotonic() + 60
    while not found():
        assert time.monotonic() < deadline and child.poll() is None, "never got going"
        time.sleep(0.05)
    return found()


def _batch_from_fifo(tmp_path: Path, ignored: tuple[int, ...] = (),
                     ) -> tuple[subprocess.Popen[str], Path, object]:
    fifo = tmp_path / "in.csv"
    os.mkfifo(fifo)
    child = subprocess.Popen([sys.executable, "-m", "triage", "batch", str(fifo), "--out",
                              str(tmp_path / "o.jsonl"), "--pack", str(MINIMAL)],
                             env=_env(), stderr=subprocess.PIPE, text=True,
                             preexec_fn=_as_at_a_terminal(ignored))
    writer = open(fifo, "w")  # noqa: SIM115 - kept open: the batch waits for more rows
    writer.write(HEADER + CALM * 500)
    writer.flush()
    _wait_for(lambda: list(tmp_path.glob(".o.jsonl.*.partial")), child)
    return child, fifo, writer


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_batch_out_stopped_by_a_signal_leaves_no_temporary_file(
        tmp_path: Path, signum: signal.Signals) -> None:
    child, _, writer = _batch_from_fifo(tmp_path)
    try:
        time.sleep(0.3)  # the rows sent are screened: the batch now waits for more
        child.send_signal(signum)
        _, err = child.communicate(timeout=60)
    finally:
        writer.close()  # type: ignore[attr-defined]
    assert child.returncode == -signum, err  # ended by the signal, after the clean-up
    assert not list(tmp_path.glob(".o.jsonl.*")), "a temporary file of results was left"
    kept = (tmp_path / "o.jsonl").read_text().splitlines()  # as with Ctrl-C: kept, and said
    assert len(kept) == 500
    assert f"Stopped ({signum.name}) after 500 rows: the results of those rows are in" in err


def test_a_signal_nohup_ignores_stays_ignored(tmp_path: Path) -> None:
    child, _, writer = _batch_from_fifo(tmp_path, ignored=(signal.SIGHUP,))
    child.send_signal(signal.SIGHUP)
    time.sleep(0.3)
    assert child.poll() is None  # still screening
    writer.write(CALM * 10)  # type: ignore[attr-defined]
    writer.close()  # type: ignore[attr-defined]
    _, err = child.communicate(timeout=60)
    assert child.returncode == EXIT_OK, err
    assert len((tmp_path / "o.jsonl").read_text().splitlines()) == 510


def test_records_export_out_stopped_by_a_signal_leaves_no_temporary_file(
        tmp_path: Path) -> None:
    """The export is slowed after its first record (as a large store is slow), and killed."""
    answers = REPO_ROOT / "examples" / "answers.yaml"
    env = _env()
    saved = subprocess.run([sys.executable, "-m", "triage", "assess", "--answers", str(answers),
                            "--record", "--caller-ref", "7"], env=env, capture_output=True,
                           text=True, timeout=120)
    assert saved.returncode == EXIT_OK, saved.stderr
    shim = ("import sys, time, triage.records as r\n"
            "lines = r.export_lines\n"
            "def slow(*a, **k):\n"
            "    for line in lines(*a, **k):\n"
            "        yield line\n"
            "        time.sleep(60)\n"
            "r.export_lines = slow\n"
            "sys.argv[0] = 'triage'\n"
            "from triage.cli.entry import main\nmain()\n")
    out = tmp_path / "exp.jsonl"
    child = subprocess.Popen([sys.executable, "-c", shim, "records", "export", "--format",
                              "jsonl", "--out", str(out)], env=env, stderr=subprocess.PIPE,
                             text=True, preexec_fn=_as_at_a_terminal())
    (partial,) = _wait_for(lambda: [p for p in tmp_path.glob(".exp.jsonl.*.tmp")
                                    if p.stat().st_size], child)  # the first record is in it
    child.send_signal(signal.SIGTERM)
    _, err = child.communicate(timeout=60)
    assert child.returncode == -signal.SIGTERM, err
    assert not partial.exists() and not out.exists()  # no record left anywhere
    assert "Traceback" not in err
