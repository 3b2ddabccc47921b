"""Text for people on standard output is broken between words on a terminal, as the result of
`assess` is: `triage records show` went out as long lines, which the terminal broke in the
middle of words ("...even if they w|ent away?"). A screen reader's lines stay whole (--plain:
the reception summary of `assess --caller --plain` was wrapped), and so does what goes to a
file or a pipe. Real pseudo-terminals of 40 columns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.cli.test_terminal import run_on_a_terminal, terminal_env
from tests.conftest import MINIMAL
from triage.cli.app import app

COLUMNS = 40
ANSWERS = {"chest_pain": "no", "fall": "no", "fever": "no", "age": 40, "area": "neck",
           "problems": ["stiffness"], "blood_thinners": "no"}


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    for name, value in (("TRIAGE_DATA_DIR", tmp_path / "data"),
                        ("TRIAGE_CONFIG_DIR", tmp_path / "config")):
        monkeypatch.setenv(name, str(value))
    monkeypatch.delenv("TRIAGE_DATABASE_URL", raising=False)
    return terminal_env()


def _on_a_terminal(args: list[str], env: dict[str, str], cwd: Path) -> list[str]:
    status, lines = run_on_a_terminal(args, env, cwd, COLUMNS)
    assert status == 0, lines
    return lines


def _record(tmp_path: Path) -> str:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(ANSWERS), encoding="utf-8")
    saved = CliRunner().invoke(app, ["assess", "--answers", str(answers), "--pack",
                                     str(MINIMAL), "--record"])
    assert saved.exit_code == 0, saved.output
    return saved.stderr.strip().splitlines()[-1].removeprefix("Saved as record ").rstrip(".")


def test_records_show_is_broken_between_words(env: dict[str, str], tmp_path: Path) -> None:
    record_id = _record(tmp_path)
    args = ["records", "show", record_id, "--pack", str(MINIMAL)]
    whole = CliRunner().invoke(app, args).stdout  # not a terminal: as written
    assert any(len(line) > COLUMNS for line in whole.splitlines())  # (else nothing to break)
    lines = _on_a_terminal(args, env, tmp_path)
    assert all(len(line) <= COLUMNS or " " not in line for line in lines), lines
    # the same words: one broken at a line's end would read as two
    assert " ".join(" ".join(lines).split()) == " ".join(whole.split())


def test_the_reception_summary_for_a_screen_reader_keeps_its_lines(
        env: dict[str, str], tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(ANSWERS), encoding="utf-8")
    args = ["assess", "--answers", str(answers), "--pack", str(MINIMAL), "--caller"]
    whole = CliRunner().invoke(app, [*args, "--plain"]).stdout.splitlines()
    long_lines = [line for line in whole if len(line) > COLUMNS and " " in line]
    assert long_lines
    shown = _on_a_terminal([*args, "--plain"], env, tmp_path)
    assert all(line in shown for line in long_lines), shown
    wrapped = _on_a_terminal(args, env, tmp_path)  # (without --plain: broken between words)
    assert all(len(line) <= COLUMNS or " " not in line for line in wrapped), wrapped


def test_an_authoring_report_is_broken_between_words(
        env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`explain` (as `verify`, `test --coverage` and `diff`): read by the clinic's editor of
    the rules on a terminal."""
    monkeypatch.chdir(tmp_path)  # (the files it names, as the terminal's program names them)
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(ANSWERS), encoding="utf-8")
    args = ["explain", "--answers", str(answers), "--pack", str(MINIMAL)]
    whole = CliRunner().invoke(app, args).stdout
    assert any(len(line) > COLUMNS for line in whole.splitlines())
    lines = _on_a_terminal(args, env, tmp_path)
    assert all(len(line) <= COLUMNS or " " not in line.strip() for line in lines), lines
    assert " ".join(" ".join(lines).split()) == " ".join(whole.split())
