"""What the entry point says when a command fails or is stopped (a bug, Ctrl-C, a result that
cannot be written) is said in the session's language: after a bug it tells the person
whether the result on the screen still stands, so an English "The result above stands" under
"Allez à l'urgence maintenant." told a French reader nothing. On a terminal it is broken
between words, as every message is; a screen reader's line stays whole."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_entry_streams import bug_after
from tests.cli.test_entry_streams_paged import BROKEN_SAVE
from tests.conftest import REPO_ROOT
from triage.cli import entry, output
from triage.cli.exitcodes import EXIT_INTERNAL, EXIT_INTERRUPTED
from triage.i18n import LANGUAGES, t


@pytest.fixture(autouse=True)
def no_session(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRIAGE_DEBUG", raising=False)
    monkeypatch.setattr(output, "result_shown", False)
    monkeypatch.setattr(output, "message_language", "")
    monkeypatch.setattr(output, "_reader_lines", False)
    for var in ("TRIAGE_LANG", "LC_ALL", "LC_MESSAGES", "NO_COLOR", "TRIAGE_ACCESSIBLE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(("write", "shown", "stands"), [
    ("Call 911 now.\n", True, "bug_result_stands"),
    ("{\"row\": 1", False, "bug_output_incomplete"),
    ("", False, "bug_no_result"),
])
def test_after_a_bug_what_stands_is_said_in_the_session_language(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], lang: str,
        write: str, shown: bool, stands: str) -> None:
    output.messages_for(False, lang)  # as `assess` and the questionnaire say it
    assert entry._guarded(bug_after(write, shown)) == EXIT_INTERNAL
    said = capsys.readouterr().err
    assert said == t("internal_error", lang, kind="RuntimeError", stands=t(stands, lang)) + "\n"


def test_the_french_words_are_french() -> None:
    """(Not the English fallback of :func:`t`, which a missing key would give.)"""
    for key in ("internal_error", "bug_result_stands", "bug_output_incomplete",
                "bug_no_result", "stopped_command", "cannot_write_result"):
        assert t(key, "fr") != t(key, "en"), key


@pytest.mark.parametrize("lang", LANGUAGES)
def test_ctrl_c_is_said_in_the_session_language(capsys: pytest.CaptureFixture[str],
                                                lang: str) -> None:
    output.messages_for(False, lang)

    def stopped() -> int:
        raise KeyboardInterrupt

    assert entry._guarded(stopped) == EXIT_INTERRUPTED
    assert capsys.readouterr().err == t("stopped_command", lang) + "\n"


def test_before_a_command_knows_its_language_the_locale_says(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LANG", "fr_CA.UTF-8")
    assert entry._guarded(bug_after("", False)) == EXIT_INTERNAL
    assert t("bug_no_result", "fr") in capsys.readouterr().err
    output.messages_for(False, "en")  # `--lang en` in a French locale: the session's
    assert entry._guarded(bug_after("", False)) == EXIT_INTERNAL
    assert t("bug_no_result", "en") in capsys.readouterr().err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("reader", [False, True])
def test_on_a_terminal_the_message_is_broken_between_words(
        monkeypatch: pytest.MonkeyPatch, reader: bool) -> None:
    screen = _Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    monkeypatch.setenv("COLUMNS", "40")
    output.messages_for(reader, "fr")
    assert entry._guarded(bug_after("Allez à l'urgence maintenant.\n", True)) == EXIT_INTERNAL
    message = t("internal_error", "fr", kind="RuntimeError", stands=t("bug_result_stands", "fr"))
    lines = screen.getvalue().splitlines()
    if reader:  # --plain: one line, read as one item
        assert lines == [message]
    else:
        assert len(lines) > 1 and all(len(line) <= 40 for line in lines), lines
        assert " ".join(lines) == message  # every word whole


def test_said_plainly_when_the_message_layer_itself_fails(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("err is broken too")

    monkeypatch.setattr(output, "err", broken)
    output.messages_for(False, "fr")
    assert entry._guarded(bug_after("", False)) == EXIT_INTERNAL
    assert capsys.readouterr().err == t("internal_error", "fr", kind="RuntimeError",
                                        stands=t("bug_no_result", "fr")) + "\n"


def test_assess_answers_in_french_says_the_result_stands_in_french(tmp_path: Path) -> None:
    """A real process: ``--lang fr`` in an English locale; saving the record fails after
    "Appelez le 911 maintenant." is written."""
    answers = tmp_path / "answers.yaml"
    answers.write_text("emergency_signs: [chest_pain]\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "LANG": "en_CA.UTF-8",
           "TRIAGE_DATA_DIR": str(tmp_path / "data"), "TRIAGE_CONFIG_DIR": str(tmp_path)}
    for var in ("TRIAGE_DEBUG", "TRIAGE_LANG", "LC_ALL", "LC_MESSAGES"):
        env.pop(var, None)
    done = subprocess.run([sys.executable, "-c", BROKEN_SAVE, "assess", "--answers", str(answers),
                           "--lang", "fr", "--record", "--caller-ref", "3"],
                          capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path)
    assert "911" in done.stdout
    assert done.returncode == EXIT_INTERNAL, done.stderr
    assert t("bug_result_stands", "fr") in " ".join(done.stderr.split()), done.stderr
    assert "stands" not in done.stderr
