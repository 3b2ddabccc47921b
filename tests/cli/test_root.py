"""`triage` itself: the questionnaire's options work at the root, and --help says how to begin.

Run as the installed program does (``python -m triage``), since the root options are the
entry point's (typer's own runner would not see them).
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import MINIMAL


def run(*args: str, text: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    full = dict(os.environ, TRIAGE_INTERACTIVE="1", LANG="C.UTF-8", **env)
    full.pop("TRIAGE_LANG", None)
    return subprocess.run([sys.executable, "-m", "triage", *args], input=text,
                          capture_output=True, text=True, env=full, timeout=120)


@pytest.mark.parametrize(("lang", "question"), [("en", "Do you have chest pain"),
                                                ("fr", "Avez-vous une douleur")])
def test_questionnaire_options_at_the_root(lang: str, question: str) -> None:
    done = run("--lang", lang, "--plain", "--pack", str(MINIMAL), text="n\n")
    assert done.returncode == 130, done.stderr  # end of input after one answer
    assert question in done.stderr
    assert "No such option" not in done.stderr


def test_caller_at_the_root() -> None:
    done = run("--caller", "--pack", str(MINIMAL), text="")
    assert "Does the caller have chest pain" in done.stderr


def test_root_options_and_assess_agree() -> None:
    a = run("--lang", "fr", "--pack", str(MINIMAL), text="n\nn\n")
    b = run("assess", "--lang", "fr", "--pack", str(MINIMAL), text="n\nn\n")
    assert (a.returncode, a.stderr, a.stdout) == (b.returncode, b.stderr, b.stdout)


def test_help_starts_with_how_to_begin() -> None:
    done = run("--help")
    assert done.returncode == 0
    lines = [line.strip() for line in done.stdout.splitlines() if line.strip()]
    assert lines[1].startswith("To start, run: triage")
    commands = done.stdout.split("Commands:")[1].split()
    assert commands[0] == "assess"


def test_assess_help_is_not_squeezed() -> None:
    done = run("assess", "--help", COLUMNS="80")
    assert done.returncode == 0
    # the description of --plain runs on one line after its option, not in a narrow column
    plain = next(line for line in done.stdout.splitlines() if "--plain" in line)
    assert len(plain.split("--plain", 1)[1].strip()) > 30


def test_unknown_root_option_is_a_usage_error() -> None:
    done = run("--langue", "fr")
    assert done.returncode == 2


@pytest.mark.parametrize(("args", "option", "choices"), [
    (("assess", "--lang", "es"), "--lang", "en, fr"),
    (("--lang", "es"), "--lang", "en, fr"),
    (("assess", "--answers", "-", "--format", "xml"), "--format", "text, json, markdown"),
    (("verify", "--method", "guess"), "--method", "auto, symbolic, paths"),
    (("graph", "--format", "png"), "--format", "mermaid, dot"),
    (("batch", "rows.csv", "--format", "xlsx"), "--format", "jsonl, csv"),
])
def test_a_choice_that_is_not_one_says_which_are(args: tuple[str, ...], option: str,
                                                 choices: str) -> None:
    """In the tool's words, not the library's ("Value error, ... is not one of ...")."""
    done = run(*args)
    assert done.returncode == 2
    assert f"Invalid value for '{option}': '{args[-1]}' is not one of: {choices}." \
        in done.stderr
    assert "Value error" not in done.stderr and "Traceback" not in done.stderr
