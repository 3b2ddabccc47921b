"""Issue 12, items 2-6: no answers input crashes, hangs, slips through or repaints the screen.

Run through the installed entry point where the way the process reads matters (FIFOs,
devices, real standard input), through CliRunner elsewhere.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import MINIMAL, REPO_ROOT
from triage.cli.app import app
from triage.cli.exitcodes import EXIT_PROBLEMS

runner = CliRunner()
SAFE = {"chest_pain": "no", "fall": "no", "fever": "no", "age": 40, "area": "neck",
        "problems": ["stiffness"], "blood_thinners": "no"}


def triage(*args: str, stdin: bytes | None = None, timeout: float = 60,
           ) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
    return subprocess.run([sys.executable, "-m", "triage", *args], input=stdin,
                          capture_output=True, timeout=timeout, env=env, cwd=REPO_ROOT)


def assess(path: Path | str, *extra: str) -> list[str]:
    return ["assess", "--pack", str(MINIMAL), "--answers", str(path), *extra]


def test_a_duplicate_key_is_refused_everywhere_not_last_one_wins(tmp_path: Path) -> None:
    text = '{"chest_pain": "yes", "chest_pain": "no", ' + json.dumps(SAFE)[1:].replace(
        '"chest_pain": "no", ', "")
    path = tmp_path / "a.json"
    path.write_text(text)
    result = runner.invoke(app, assess(path))
    assert result.exit_code == EXIT_PROBLEMS
    assert "duplicate key 'chest_pain'" in result.stderr
    assert result.stdout == ""
    result = runner.invoke(app, assess("-"), input=text)
    assert result.exit_code == EXIT_PROBLEMS and result.stdout == ""


@pytest.mark.parametrize("payload", [
    '{"age": ' + "[" * 3000 + "]" * 3000 + "}",
    '{"age": ' + "1" * 5000 + "}",
    "age: " + "1" * 5000 + "\n",
    "age: " + "[" * 3000 + "]" * 3000 + "\n",
])
def test_deep_or_huge_answers_are_problems_not_internal_errors(tmp_path: Path,
                                                               payload: str) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(payload)
    for argv, stdin in ((assess(path), None), (assess("-"), payload)):
        result = runner.invoke(app, argv, input=stdin)
        assert result.exit_code == EXIT_PROBLEMS, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert result.stdout == ""


@pytest.mark.parametrize("age", ["3_8", "\u0663\u0668", "38\u0660", "nan", "inf", "1e999",
                                 "0x26", " 38_0 "])
def test_ages_are_plain_ascii_numbers(tmp_path: Path, age: str) -> None:
    path = tmp_path / "a.json"
    path.write_text(json.dumps({**SAFE, "age": age}))
    result = runner.invoke(app, assess(path))
    assert result.exit_code == EXIT_PROBLEMS, result.output
    assert age.strip() not in result.stderr  # the value is never echoed


def test_non_utf8_stdin_is_a_problem_located_by_its_byte() -> None:
    proc = triage(*assess("-"), stdin=b"chest_pain: no\nfever: \xff\n")
    assert proc.returncode == EXIT_PROBLEMS, proc.stderr
    assert b"<stdin>:2:8: the text is not UTF-8 (byte 0xFF)" in proc.stderr


def test_stdin_is_capped() -> None:
    proc = triage(*assess("-"), stdin=b"#" * 3_000_000)
    assert proc.returncode == EXIT_PROBLEMS
    assert b"too large" in proc.stderr


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_devices_are_refused_at_once(device: str) -> None:
    proc = triage(*assess(device), timeout=30)
    assert proc.returncode == EXIT_PROBLEMS
    assert b"not a regular file" in proc.stderr


def test_a_fifo_with_no_writer_does_not_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "answers.fifo"
    os.mkfifo(fifo)
    proc = triage(*assess(fifo), timeout=30)
    assert proc.returncode == EXIT_PROBLEMS
    assert b"not a regular file" in proc.stderr


ESCAPES = "\x1b]0;pwned\x07\x1b[2J"


def test_unknown_keys_with_terminal_escapes_are_shown_escaped(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(json.dumps({**SAFE, ESCAPES: "yes"}))
    proc = triage(*assess(path))
    assert proc.returncode == EXIT_PROBLEMS
    assert b"\x1b" not in proc.stderr and b"\x07" not in proc.stderr
    assert b"unknown question '\\x1b]0;pwned\\x07\\x1b[2J'" in proc.stderr


def test_a_file_name_with_escapes_is_shown_escaped(tmp_path: Path) -> None:
    path = tmp_path / "a\x1b[2J.yaml"
    path.write_text("chest_pain: maybe\n")
    proc = triage(*assess(path))
    assert proc.returncode == EXIT_PROBLEMS
    assert b"\x1b" not in proc.stderr


def session_file(tmp_path: Path, answers: object) -> Path:
    from triage.pack.load import load_pack

    pack = load_pack(MINIMAL)
    path = tmp_path / "s.json"
    path.write_text(json.dumps({
        "format": "triage-session", "format_version": 1, "status": "in_progress",
        "pack": {"id": pack.id, "version": pack.version, "hash": pack.content_hash},
        "language": "en", "caller": False, "answers": answers}))
    return path


def resume(path: Path) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT), TRIAGE_INTERACTIVE="1")
    return subprocess.run([sys.executable, "-m", "triage", "assess", "--pack", str(MINIMAL),
                           "--resume", str(path), "--plain"], input=b"", capture_output=True,
                          timeout=60, env=env, cwd=REPO_ROOT)


def test_dropped_keys_of_a_resumed_session_are_shown_escaped(tmp_path: Path) -> None:
    proc = resume(session_file(tmp_path, {ESCAPES: "yes", "chest_pain": "no"}))
    assert b"\x1b" not in proc.stderr + proc.stdout
    assert b"\\x1b]0;pwned" in proc.stderr + proc.stdout


@pytest.mark.parametrize("bad", [
    '{"format": "triage-session", "answers": ' + "[" * 3000 + "]" * 3000 + "}",
    '{"format": "triage-session", "format_version": ' + "1" * 5000 + "}",
    '{"format": "triage-session", "format": "triage-session"}',
])
def test_a_hostile_session_file_is_refused_plainly(tmp_path: Path, bad: str) -> None:
    path = tmp_path / "s.json"
    path.write_text(bad)
    proc = resume(path)
    assert proc.returncode == EXIT_PROBLEMS, proc.stderr
    assert b"cannot resume from this file" in proc.stderr
    assert b"internal error" not in proc.stderr


def test_a_session_file_that_is_a_device_or_fifo_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "s.fifo"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        proc = resume(path)
        assert proc.returncode == EXIT_PROBLEMS
        assert b"not a regular file" in proc.stderr


def test_a_pack_file_over_the_cap_is_refused_by_validate(pack_copy: object) -> None:
    from collections.abc import Callable

    assert callable(pack_copy)
    make: Callable[..., Path] = pack_copy
    pack = make()
    big = pack / "padding.yaml"
    big.write_bytes(b"# " + b"x" * 3_000_000 + b"\n")
    result = runner.invoke(app, ["validate", str(pack)])
    assert result.exit_code == EXIT_PROBLEMS
    assert "padding.yaml:1:1: the file is too large" in result.stderr


def test_a_huge_number_in_a_pack_is_a_problem_not_a_crash(pack_copy: object) -> None:
    from collections.abc import Callable

    assert callable(pack_copy)
    make: Callable[..., Path] = pack_copy
    pack = make()
    questions = pack / "questions.yaml"
    questions.write_text(questions.read_text().replace("max: 120", "max: " + "9" * 5000, 1))
    result = runner.invoke(app, ["validate", str(pack)])
    assert result.exit_code == EXIT_PROBLEMS, result.output
    assert "a number longer than 40 characters" in result.stderr


def test_piped_answers_are_echoed_escaped() -> None:
    # a questionnaire fed from a pipe writes each line it reads, for the transcript: a line
    # holding escape sequences (an arrow key, a title change) must not reach the terminal raw
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT), TRIAGE_INTERACTIVE="1")
    proc = subprocess.run([sys.executable, "-m", "triage", "assess", "--pack", str(MINIMAL),
                           "--plain"], input=(ESCAPES + "\nq\n").encode(), capture_output=True,
                          timeout=60, env=env, cwd=REPO_ROOT)
    assert b"\x1b" not in proc.stderr + proc.stdout and b"\x07" not in proc.stderr
    assert b"\\x1b]0;pwned\\x07\\x1b[2J" in proc.stderr
