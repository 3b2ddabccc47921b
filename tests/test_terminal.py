"""The questionnaire in a real terminal (a pseudo-terminal driven by pexpect).

Only what a person sees is checked, never how long anything takes; the timeout only stops a
broken run from hanging the test suite.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

import pexpect
import pytest

from .conftest import MINIMAL

TIMEOUT = 60


def spawn(*args: str, term: str = "xterm", lang: str = "en", **env: str) -> pexpect.spawn:
    full_env = dict(os.environ, TERM=term, LANG="C.UTF-8", TRIAGE_LANG=lang, **env)
    for var in ("NO_COLOR", "TRIAGE_ACCESSIBLE", "TRIAGE_INTERACTIVE"):
        if var not in env:
            full_env.pop(var, None)
    child = pexpect.spawn(sys.executable, ["-m", "triage", "assess", "--pack", str(MINIMAL),
                                           *args],
                          env=full_env, encoding="utf-8", timeout=TIMEOUT, dimensions=(50, 120))
    return child


def finish(child: pexpect.spawn) -> int:
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus is not None, f"killed by signal {child.signalstatus}"
    return int(child.exitstatus)


def test_one_key_answers_without_enter() -> None:
    child = spawn()
    child.expect("Do you have chest pain")
    child.send("n")  # no Enter: one key is the answer
    child.expect("> no\r\n")
    child.expect("Did this start with a fall")
    child.send("n")
    child.expect("How old are you")
    child.send("30\r")  # numbers take a line
    child.expect("Do you have a fever")
    child.send("n")
    child.expect("Where is the problem")
    child.send("1")
    child.expect("> Neck")
    child.expect("Which describe it")
    child.send("1 3\r")
    child.expect("Do you take blood thinners")
    child.send("n")
    child.expect("Massage therapy \\(RMT\\)")
    child.expect("This is not a diagnosis")
    assert finish(child) == 0


def test_enter_alone_is_not_an_answer_and_unknown_keys_are_refused() -> None:
    child = spawn()
    child.expect("Do you have chest pain")
    child.send("\r")
    child.expect("Enter alone is not an answer")
    child.send("x")
    child.expect("Please type y for yes or n for no")
    child.send("\x1b[A")  # an arrow key is one unknown key
    child.expect("Please type y for yes or n for no")
    child.send("y")
    child.expect("Stop: call 911 now")
    child.expect("Call 911 now")
    assert finish(child) == 0


def test_help_and_back_keys() -> None:
    child = spawn()
    child.expect("Do you have chest pain")
    child.send("?")
    child.expect("Why we ask: Chest pain can be a heart attack.")
    child.send("n")
    child.expect("Did this start with a fall")
    child.send("b")
    child.expect("Back to the previous question")
    child.expect("Question 1, about 6 left")
    child.expect("Do you have chest pain")
    child.sendcontrol("c")
    child.expect("Screening stopped - no recommendation made. If your symptoms are severe, "
                 "call 911.")
    assert finish(child) == 130


@pytest.mark.parametrize("question_keys", [(), ("n", "y")])
def test_ctrl_c_at_a_red_flag_question(tmp_path: Path, question_keys: tuple[str, ...]) -> None:
    """At the first question, and at one opened by an earlier answer (can_bear_weight)."""
    saved = tmp_path / "s.json"
    child = spawn("--save", str(saved))
    child.expect("Do you have chest pain")
    for key in question_keys:
        child.expect("> ")
        child.send(key)
    if question_keys:
        child.expect("Can you walk four steps")
    child.expect("> ")
    child.sendcontrol("c")
    child.expect("Screening stopped - no recommendation made")
    assert finish(child) == 130
    if question_keys:
        data = json.loads(saved.read_text())
        assert data["status"] == "stopped"
        assert data["answers"] == {"chest_pain": "no", "fall": "yes"}


def test_ctrl_c_while_typing_a_number() -> None:
    child = spawn()
    for key in ("n", "n"):
        child.expect("> ")
        child.send(key)
    child.expect("How old are you")
    child.send("4")
    child.sendcontrol("c")
    child.expect("Screening stopped")
    assert finish(child) == 130


def test_ctrl_d_stops_too() -> None:
    child = spawn(lang="fr")
    child.expect("Avez-vous une douleur")
    child.expect("> ")
    child.sendcontrol("d")
    child.expect("Questionnaire arrêté - aucune recommandation.")
    assert finish(child) == 130


def test_french_one_key_oui() -> None:
    child = spawn(lang="fr")
    child.expect("Tapez o pour oui ou n pour non")
    child.send("y")  # the English key is refused in French
    child.expect("Tapez o pour oui ou n pour non.")
    child.send("o")
    child.expect("> oui")
    child.expect("Arrêtez : appelez le 911 maintenant.")
    assert finish(child) == 0


def test_resume_in_a_terminal(tmp_path: Path) -> None:
    saved = tmp_path / "s.json"
    child = spawn("--save", str(saved))
    for key in ("n", "n"):
        child.expect("> ")
        child.send(key)
    child.expect("How old are you")
    child.sendcontrol("c")
    assert finish(child) == 130
    child = spawn("--resume", str(saved))
    child.expect("2 answer\\(s\\) kept")
    child.expect("Question 3")
    child.expect("How old are you")
    child.send("30\r")
    for key in ("n", "1"):
        child.expect("> ")
        child.send(key)
    child.expect("Which describe it")
    child.send("1\r")
    child.expect("Do you take blood thinners")
    child.send("n")
    child.expect("Massage therapy \\(RMT\\)")
    assert finish(child) == 0
    assert json.loads(saved.read_text())["status"] == "complete"


def test_dumb_terminal_uses_lines_and_plain_text() -> None:
    child = spawn(term="dumb")
    child.expect("Question 1, about 6 left")
    child.expect("Answer: ")
    child.send("n")  # not taken until Enter
    child.send("\r")
    child.expect("Did this start with a fall")
    child.sendline("n")
    child.sendline("30")
    child.sendline("n")
    child.expect("Type 1 for Neck, 2 for Lower back or 3 for Knee.")
    child.sendline("2")
    child.expect("Which describe it")
    child.sendline("0")
    child.sendline("n")
    child.expect("Do you often worry about it")
    child.sendline("n")
    child.sendline("n")
    child.expect("Result: ")
    before_result = child.before
    assert "\x1b[" not in before_result
    assert finish(child) == 0


def test_a_kill_is_saved_as_stopped(tmp_path: Path) -> None:
    saved = tmp_path / "s.json"
    child = spawn("--save", str(saved))
    child.expect("> ")
    child.send("n")
    child.expect("Did this start with a fall")
    child.expect("> ")
    child.kill(signal.SIGTERM)
    child.expect("Screening stopped")
    assert finish(child) == 130
    data = json.loads(saved.read_text())
    assert data["status"] == "stopped"
    assert data["answers"] == {"chest_pain": "no"}


def test_bare_triage_asks_in_a_terminal() -> None:
    env = dict(os.environ, TERM="xterm", LANG="C.UTF-8", TRIAGE_LANG="en")
    env.pop("TRIAGE_INTERACTIVE", None)
    child = pexpect.spawn(sys.executable, ["-m", "triage"], env=env, encoding="utf-8",
                          timeout=TIMEOUT)
    child.expect("Question 1, about \\d+ left")
    child.expect("> ")
    child.sendcontrol("c")
    child.expect("Screening stopped - no recommendation made")
    assert finish(child) == 130
