"""`triage batch`: emergencies first in the summary; Ctrl-C keeps what was screened."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from tests.conftest import MINIMAL
from triage.batch.rows import RowResult
from triage.batch.writing import BatchSummary
from triage.cli.app import app
from triage.render.batch import RED, batch_summary_text

HEADER = "chest_pain,fall,age,fever,area,problems,blood_thinners\n"
CALM = "no,no,30,no,neck,stiffness,no\n"
EMERGENCY = "yes,,,,,,\n"


def test_emergency_rows_come_first_with_their_row_numbers(tmp_path: Path) -> None:
    rows = tmp_path / "in.csv"
    rows.write_text(HEADER + CALM + EMERGENCY + CALM + EMERGENCY)
    result = CliRunner().invoke(app, ["batch", str(rows), "--out", str(tmp_path / "o.jsonl"),
                                      "--pack", str(MINIMAL)])
    assert result.exit_code == 0, result.stderr
    first = result.stderr.splitlines()[0]
    assert first == "EMERGENCY (call 911 now): 2 rows: 3, 5"  # row numbers as in the file
    assert RED not in result.stderr  # not a terminal: words only


def test_one_row_is_one_row(tmp_path: Path) -> None:
    """"Screened 1 rows": each count and its noun agree."""
    rows = tmp_path / "in.csv"
    rows.write_text(HEADER + EMERGENCY)
    result = CliRunner().invoke(app, ["batch", str(rows), "--out", str(tmp_path / "o.jsonl"),
                                      "--pack", str(MINIMAL)])
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == "EMERGENCY (call 911 now): 1 row: 2"
    assert "Screened 1 row: 1 ok, 0 with errors." in lines, lines


def test_an_error_row_that_proves_an_emergency_is_listed_with_the_emergencies(
        tmp_path: Path) -> None:
    """A bad cell next to "chest pain: yes" is an error row that still carries the
    emergency: the act-now line must list it, not only the 'rows with errors' line."""
    rows = tmp_path / "in.csv"
    rows.write_text(HEADER + CALM + EMERGENCY + "yes,maybe,,,,,\n")
    out = tmp_path / "o.jsonl"
    result = CliRunner().invoke(app, ["batch", str(rows), "--out", str(out),
                                      "--pack", str(MINIMAL)])
    written = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(r["status"], r["disposition"]) for r in written][2] == ("error", "emergency")
    first = result.stderr.splitlines()[0]
    assert first == "EMERGENCY (call 911 now): 2 rows (1 of them with errors): 3, 4"


def test_emergencies_are_red_on_a_terminal() -> None:
    summary = BatchSummary()
    summary.add(RowResult(row=2, id=None, status="ok", disposition="emergency",
                          main_red_flag="x", fired=(), error_kind=None, error=None))
    text = batch_summary_text(summary, "o.jsonl", color=True)
    assert text.startswith(f"{RED} EMERGENCY (call 911 now): 1 row: 2 ")
    assert "\x1b" not in batch_summary_text(summary, "o.jsonl")


def test_a_terminal_shows_the_emergency_line_in_red_and_no_escape_of_a_file_name(
        tmp_path: Path) -> None:
    """On a real terminal: the red reached the screen as the text "\\x1b[1;37;41m" (every
    message is sanitised on its way to standard error, colour sequences too). Only colour
    goes through: an escape in the output file's name is still shown as text."""
    import pexpect

    rows = tmp_path / "in.csv"
    rows.write_text(HEADER + CALM + EMERGENCY)
    out = tmp_path / "o\x1b[31mut.jsonl"  # a colour sequence: the kind let through
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS", "LINES")}
    child = pexpect.spawn(sys.executable, ["-m", "triage", "batch", str(rows), "--out",
                                           str(out), "--pack", str(MINIMAL)],
                          env={**env, "TERM": "xterm"}, encoding="utf-8", timeout=60,
                          dimensions=(24, 200), preexec_fn=_default_sigint)
    child.expect(pexpect.EOF)
    child.close()
    shown = child.before
    assert child.exitstatus == 0, shown
    assert f"{RED} EMERGENCY (call 911 now): 1 row: 3 " in shown, repr(shown)
    assert "\\x1b[1;37;41m" not in shown, repr(shown)
    assert "\x1b[31m" not in shown and "o\\x1b[31mut.jsonl" in shown, repr(shown)


def test_emergency_department_rows_follow_the_911_rows() -> None:
    summary = BatchSummary()
    for row, disposition in ((2, "same_day"), (3, "emergency_department"), (4, "emergency"),
                             (5, "emergency_department")):
        summary.add(RowResult(row=row, id=None, status="ok", disposition=disposition,
                              main_red_flag="x", fired=(), error_kind=None, error=None))
    lines = batch_summary_text(summary, "o.jsonl").splitlines()
    assert lines[:2] == ["EMERGENCY (call 911 now): 1 row: 4",
                         "EMERGENCY DEPARTMENT (go now): 2 rows: 3, 5"]
    assert not any(line.startswith("same_day") for line in lines[:2])


def _default_sigint() -> None:
    """Ctrl-C as at a terminal, even when the tests run as a background job (``cmd &`` in a
    script), whose children start with SIGINT ignored: Python then never raises
    KeyboardInterrupt, and the child screens every row and exits 0."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_keeps_the_rows_screened_and_says_so(tmp_path: Path) -> None:
    rows = tmp_path / "in.csv"
    with rows.open("w") as fh:
        fh.write(HEADER)
        for _ in range(400_000):
            fh.write(CALM)
    out = tmp_path / "o.jsonl"
    env = dict(os.environ, TRIAGE_CACHE_DIR=str(tmp_path / "cache"))
    child = subprocess.Popen([sys.executable, "-m", "triage", "batch", str(rows), "--out",
                              str(out), "--pack", str(MINIMAL)], env=env,
                             stderr=subprocess.PIPE, text=True, preexec_fn=_default_sigint)
    deadline = time.monotonic() + 60
    partial = list(tmp_path.glob(".o.jsonl.*.partial"))
    while not (partial and partial[0].stat().st_size > 10_000):
        assert time.monotonic() < deadline and child.poll() is None, "never got going"
        time.sleep(0.05)
        partial = list(tmp_path.glob(".o.jsonl.*.partial"))
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=60)
    assert child.returncode == 130, err
    kept = out.read_text().splitlines()
    assert kept and all(json.loads(line)["status"] == "ok" for line in kept)  # whole lines
    assert f"Stopped (Ctrl-C) after {len(kept):,} rows: the results of those rows are in" \
        in err
    assert not list(tmp_path.glob("*.partial"))
