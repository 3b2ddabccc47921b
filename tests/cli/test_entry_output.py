"""A result that cannot be written (standard output on a full disk) is a clear message and
exit 1, never "internal error" (audit finding 8).

The full device is made here with mknod (as /dev/full: char 1, 7) in a temporary folder: never
the real /dev/full, which a bug could replace for the whole machine when run as root."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO_ROOT
from triage.cli import entry
from triage.cli.exitcodes import EXIT_INTERNAL, EXIT_OK, EXIT_PROBLEMS

ANSWERS = str(REPO_ROOT / "examples" / "answers.yaml")


def _full_device(folder: Path) -> Path:
    path = folder / "full"
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    except PermissionError:
        pytest.skip("mknod needs root")  # CI runs as root: never skipped there
    return path


@pytest.mark.parametrize("extra", [[], ["--format", "json"], ["--format", "markdown"]])
def test_assess_to_a_full_disk_says_so_and_exits_1(tmp_path: Path, extra: list[str]) -> None:
    full = _full_device(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    env.pop("TRIAGE_DEBUG", None)
    with open(full, "w") as out:
        done = subprocess.run([sys.executable, "-m", "triage", "assess", "--answers", ANSWERS,
                               *extra], stdout=out, stderr=subprocess.PIPE, text=True,
                              env=env, cwd=tmp_path, timeout=60)
    assert done.returncode == EXIT_PROBLEMS, done.stderr
    assert done.stderr == "triage: cannot write the result: No space left on device\n"
    assert stat.S_ISCHR(full.stat().st_mode)


def test_the_version_to_a_full_disk_says_so_and_exits_1(tmp_path: Path) -> None:
    """``triage --version`` printed before any guard: a traceback on a full disk."""
    full = _full_device(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    env.pop("TRIAGE_DEBUG", None)
    with open(full, "w") as out:
        done = subprocess.run([sys.executable, "-m", "triage", "--version"], stdout=out,
                              stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path,
                              timeout=60)
    assert done.returncode == EXIT_PROBLEMS, done.stderr
    assert done.stderr == "triage: cannot write the result: No space left on device\n"


class _Full:
    """A standard output on a full disk."""

    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    def flush(self) -> None:
        pass


def test_a_write_failure_is_told_apart_from_a_bug(monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    exits: list[int] = []

    def fake_exit(code: int) -> Any:
        exits.append(code)
        raise SystemExit(code)
    monkeypatch.setattr(os, "_exit", fake_exit)
    monkeypatch.delenv("TRIAGE_DEBUG", raising=False)
    monkeypatch.setattr(sys, "stdout", _Full())
    with pytest.raises(SystemExit):
        entry._guarded(lambda: sys.stdout.write("result\n"))
    assert exits == [EXIT_PROBLEMS]
    assert "cannot write the result: No space left on device" in capsys.readouterr().err

    def handled() -> int:  # a command that deals with it (`records export | head`) decides
        try:
            sys.stdout.write("result\n")
        except OSError:
            return EXIT_OK
        return EXIT_INTERNAL
    monkeypatch.setattr(sys, "stdout", _Full())
    assert entry._guarded(handled) == EXIT_OK

    def other_file() -> int:  # an OSError that is not standard output's: still a bug
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(sys, "stdout", sys.__stdout__)
    assert entry._guarded(other_file) == EXIT_INTERNAL
    assert entry._guarded(lambda: EXIT_OK) == EXIT_OK


def test_columns_is_read_only_when_written_with_the_digits_0_to_9(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from triage.cli.output import screen_width

    monkeypatch.delenv("COLUMNS", raising=False)
    unset = screen_width()
    monkeypatch.setenv("COLUMNS", "100")
    assert screen_width() == 100
    for value in ("\u0661\u0660\u0660", "1_00", "\u00b2", "-100", "1" * 5000):
        monkeypatch.setenv("COLUMNS", value)
        assert screen_width() == unset, value  # int() read Arabic-Indic 100 as 100
