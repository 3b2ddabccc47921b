"""Messages on standard error, on a terminal, are broken between words: left to itself a
terminal breaks a long message in the middle of a word ("...blocker is a fil|e where..."). A
screen reader's lines (--plain, TRIAGE_ACCESSIBLE=1) stay whole, as do ``file:line:col``
problems (one a line, as a compiler's) and every message that does not go to a terminal.
Real pseudo-terminals of 80 columns."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.cli.test_record_note_in_sight import _unusable_store as unusable_store
from tests.cli.test_terminal import run_on_a_terminal, terminal_env
from triage.cli.app import app
from triage.i18n import t

COLUMNS = 80


def _unusable_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                    ) -> tuple[dict[str, str], str]:
    """The terminal's environment in a clinic whose records would go under a file; the note
    about it."""
    blocker = unusable_store(tmp_path, monkeypatch)
    note = t("record_unusable_answers", "en",
             problem=t("store_not_folder", "en", where=blocker))
    return terminal_env(), note


def _answers(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "answers.yaml"
    path.write_text(text)
    return path


def _lines_on_a_terminal(args: list[str], env: dict[str, str], cwd: Path) -> list[str]:
    status, lines = run_on_a_terminal(args, env, cwd, COLUMNS)
    assert status == 3, lines  # a safety question left out
    return lines


def _said(lines: list[str]) -> str:
    return " ".join(" ".join(lines).split())


def test_a_long_message_is_broken_between_words(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    env, note = _unusable_store(tmp_path, monkeypatch)
    answers = _answers(tmp_path, "age: 45\n")
    lines = _lines_on_a_terminal(["assess", "--answers", str(answers), "--record"], env,
                                 tmp_path)
    assert len(note) > COLUMNS  # (else nothing to break)
    # (a word longer than a line, the test folder's path, has a line of its own)
    assert all(len(line) <= COLUMNS or " " not in line for line in lines), lines
    # every word whole: a word broken at the line's end would read as two
    assert " ".join(note.split()) in _said(lines), lines
    missing = [line for line in lines if line.startswith("These safety questions")]
    assert missing and len(missing[0].split()) > 3, lines  # the next message wrapped too


@pytest.mark.parametrize("reader", ["--plain", "TRIAGE_ACCESSIBLE=1"])
def test_a_screen_reader_gets_each_message_on_one_line(
        reader: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env, note = _unusable_store(tmp_path, monkeypatch)
    answers = _answers(tmp_path, "age: 45\n")
    args = ["assess", "--answers", str(answers), "--record"]
    if reader.startswith("--"):
        args.append(reader)
    else:
        env.update([reader.split("=")])
    lines = _lines_on_a_terminal(args, env, tmp_path)
    assert " ".join(note.split()) in lines, lines


def test_problems_in_a_file_stay_one_a_line(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    env, _note = _unusable_store(tmp_path, monkeypatch)
    folder = tmp_path / "a-folder-whose-name-makes-the-location-long-enough-to-wrap"
    folder.mkdir()
    answers = _answers(folder, "age_years: 45\n")
    status, lines = run_on_a_terminal(["assess", "--answers", str(answers)], env, tmp_path,
                                      COLUMNS)
    assert status == 1, lines
    problem = [line for line in lines if "answers.yaml:1:1:" in line]
    assert problem and len(problem[0]) > COLUMNS, lines
    assert problem[0].endswith("(did you mean 'age'?)"), lines


def test_a_message_that_goes_to_a_file_is_left_whole(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    env, note = _unusable_store(tmp_path, monkeypatch)
    answers = _answers(tmp_path, "age: 45\n")
    result = CliRunner().invoke(app, ["assess", "--answers", str(answers), "--record"],
                                env={"COLUMNS": str(COLUMNS),
                                     "TRIAGE_CONFIG_DIR": env["TRIAGE_CONFIG_DIR"]})
    assert result.exit_code == 3, result.output
    assert note in result.stderr.splitlines(), result.stderr
