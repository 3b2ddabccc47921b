"""Writing results: a FIFO or device is written in place, never replaced by a regular file
(audit finding 4); a link loop is a clear error, not an internal one (finding 5).

Device nodes are made here with mknod in a temporary folder: never the real /dev/null or
/dev/full (as root, a bug would replace them for the whole machine)."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import MINIMAL, REPO_ROOT
from triage.cli.app import app
from triage.engine.sessions import Session
from triage.files import output_target, write_private

ROWS = "chest_pain,fall,age,fever,area,problems,blood_thinners\nno,no,30,no,neck,stiffness,no\n"


def _null_device(folder: Path, name: str) -> Path:
    """A character device like /dev/null (1, 3), made here; skipped where mknod is not
    allowed (not root)."""
    path = folder / name
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("mknod needs root")  # CI runs as root: never skipped there
    return path


def _read_fifo(path: Path) -> tuple[threading.Thread, list[bytes]]:
    got: list[bytes] = []

    def read() -> None:
        with open(path, "rb") as fifo:
            got.append(fifo.read())
    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    return reader, got


def test_a_device_stays_a_device(tmp_path: Path) -> None:
    device = _null_device(tmp_path, "null")
    write_private(device, "health data\n")
    assert stat.S_ISCHR(device.stat().st_mode)
    assert output_target(device) == (device, True)


def test_a_fifo_gets_the_text_and_stays_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    reader, got = _read_fifo(fifo)
    write_private(fifo, iter(["a\n", "b\n"]))
    reader.join(10)
    assert got == [b"a\nb\n"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_regular_file_and_a_link_are_still_replaced_owner_only(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_text("keep\n")
    link = tmp_path / "out.txt"
    link.symlink_to(target)
    write_private(link, "new\n")
    assert not link.is_symlink() and link.read_text() == "new\n"  # never written through
    assert target.read_text() == "keep\n"
    assert stat.S_IMODE(link.stat().st_mode) == 0o600


def test_a_link_loop_is_an_os_error(tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")
    with pytest.raises(OSError):
        write_private(tmp_path / "a", "x")
    assert (tmp_path / "a").is_symlink()


def test_a_saved_session_to_a_device_keeps_the_device(tmp_path: Path) -> None:
    device = _null_device(tmp_path, "null.json")
    Session(pack_id="p", pack_version="1", pack_hash="x").save(device)
    assert stat.S_ISCHR(device.stat().st_mode)


def test_batch_out_to_a_device_and_a_fifo(tmp_path: Path) -> None:
    rows = tmp_path / "in.csv"
    rows.write_text(ROWS)
    device = _null_device(tmp_path, "null")
    runner = CliRunner()
    result = runner.invoke(app, ["batch", str(rows), "--out", str(device), "--pack",
                                 str(MINIMAL)])
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(device.stat().st_mode)
    assert not list(tmp_path.glob(".null.*"))  # no temporary file left
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    reader, got = _read_fifo(fifo)
    result = runner.invoke(app, ["batch", str(rows), "--out", str(fifo), "--pack",
                                 str(MINIMAL)])
    reader.join(10)
    assert result.exit_code == 0, result.output
    assert got and b'"disposition": "soft_tissue"' in got[0]
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_assess_report_to_a_device(tmp_path: Path) -> None:
    device = _null_device(tmp_path, "null.md")
    result = CliRunner().invoke(app, ["assess", "--answers",
                                      str(REPO_ROOT / "examples" / "answers.yaml"),
                                      "--report", str(device)])
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(device.stat().st_mode)


def test_batch_out_and_input_as_link_loops(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("loop1").symlink_to("loop2")
    Path("loop2").symlink_to("loop1")
    Path("loop.csv").symlink_to("loop.csv")
    Path("in.csv").write_text(ROWS)
    runner = CliRunner()
    out = runner.invoke(app, ["batch", "in.csv", "--out", "loop1", "--pack", str(MINIMAL)])
    assert out.exit_code == 1, out.output
    assert "Cannot write loop1: Too many levels of symbolic links" in out.output
    assert Path("loop1").is_symlink()
    got = runner.invoke(app, ["batch", "loop.csv", "--out", "o.jsonl", "--pack", str(MINIMAL)])
    assert got.exit_code == 1, got.output
    assert "Cannot read loop.csv" in got.output
    answers = runner.invoke(app, ["assess", "--answers", "loop1"])
    assert answers.exit_code == 1 and answers.output.startswith("loop1:1:1: "), answers.output


def test_a_deleted_working_folder_is_no_internal_error(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    runner = CliRunner()
    assessed = runner.invoke(app, ["assess", "--answers",
                                   str(REPO_ROOT / "examples" / "answers.yaml")])
    assert assessed.exit_code == 0, assessed.output
    validated = runner.invoke(app, ["validate", str(REPO_ROOT / "rules")])
    assert validated.exit_code == 0, validated.output
