"""`triage` without a terminal and with a pack it cannot load (ux walk-through, item 4): it
said "needs a terminal" (exit 2) and never named the missing pack; the pack's problems come
first, as file:line:col, exit 1, and the terminal sentence after them (every problem at
once). Both ways in: the entry point's own reading and typer's `assess`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from triage.cli.exitcodes import EXIT_PROBLEMS, EXIT_USAGE


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """triage with standard input not a terminal (and not TRIAGE_INTERACTIVE)."""
    env = dict(os.environ, LANG="C.UTF-8")
    for var in ("TRIAGE_INTERACTIVE", "TRIAGE_LANG"):
        env.pop(var, None)
    return subprocess.run([sys.executable, "-m", "triage", *args], input="",
                          capture_output=True, text=True, env=env, timeout=120)


@pytest.mark.parametrize("args", [(), ("assess",), ("--plain",), ("assess", "--lang", "fr")])
def test_a_missing_pack_is_named_before_the_terminal(args: tuple[str, ...],
                                                     tmp_path: Path) -> None:
    missing = tmp_path / "missing"
    done = run(*args, "--pack", str(missing), "--no-record")
    assert done.returncode == EXIT_PROBLEMS, done.stderr
    lines = done.stderr.splitlines()
    assert lines[0] == f"{missing}:1:1: no such rule pack folder", done.stderr
    assert "terminal" in lines[-1] and "Traceback" not in done.stderr


def test_a_good_pack_without_a_terminal_is_still_a_usage_error() -> None:
    done = run("--no-record")
    assert done.returncode == EXIT_USAGE
    assert done.stderr.startswith("The questionnaire needs a terminal"), done.stderr
