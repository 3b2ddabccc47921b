"""The questionnaire in a real terminal (a pseudo-terminal driven by pexpect).

Only what a person sees is checked, never how long anything takes; the timeout only stops a
broken run from hanging the test suite. Keys are sent once the prompt is on the screen, as a
person would: keys typed before a question is shown are thrown away on purpose.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sys
import time
from pathlib import Path

import pexpect
import pytest

from tests.conftest import MINIMAL

TIMEOUT = 60


def spawn(*args: str, term: str = "xterm", lang: str = "en", pack: bool = True,
          **env: str) -> pexpect.spawn:
    full_env = dict(os.environ, TERM=term, LANG="C.UTF-8", TRIAGE_LANG=lang, **env)
    for var in ("NO_COLOR", "TRIAGE_ACCESSIBLE", "TRIAGE_INTERACTIVE"):
        if var not in env:
            full_env.pop(var, None)
    command = ["-m", "triage", "assess", "--pack", str(MINIMAL), *args] if pack else \
        ["-m", "triage", *args]
    return pexpect.spawn(sys.executable, command, env=full_env, encoding="utf-8",
                         timeout=TIMEOUT, dimensions=(50, 120), preexec_fn=_as_in_a_shell)


def _as_in_a_shell() -> None:
    # A test run started in the background (nohup, a CI runner, `cmd &` in a script) ignores
    # Ctrl-C, and a child inherits that: Python then installs no handler and Ctrl-C does
    # nothing. A person's shell starts the program with the default, so the children do too.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def terminal_env() -> dict[str, str]:
    """This process's environment as a person's terminal has it: no plain mode, the size
    from the terminal itself, English."""
    env = dict(os.environ, TERM="xterm", LANG="C.UTF-8", TRIAGE_LANG="en")
    for var in ("NO_COLOR", "TRIAGE_ACCESSIBLE", "COLUMNS", "LINES"):
        env.pop(var, None)
    return env


def run_on_a_terminal(args: list[str], env: dict[str, str], cwd: Path,
                      columns: int) -> tuple[int | None, list[str]]:
    """``triage ARGS`` in a pseudo-terminal ``columns`` wide, to its end: its exit status and
    the lines it wrote (standard output and standard error, as a person sees them)."""
    child = pexpect.spawn(sys.executable, ["-m", "triage", *args], env=env, encoding="utf-8",
                          timeout=TIMEOUT, dimensions=(24, columns), cwd=str(cwd),
                          preexec_fn=_as_in_a_shell)
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus, child.before.replace("\r\n", "\n").split("\n")


def press(child: pexpect.spawn, keys: str, prompt: str = "> ") -> None:
    """Wait for the prompt, then type ``keys`` (a key, or a line ending in \\r)."""
    child.expect_exact(prompt)
    child.send(keys)


def see_result(child: pexpect.spawn) -> None:
    """The review of the answers comes before the result: Enter shows it."""
    child.expect("Press Enter to see the result")
    child.expect_exact("> ")
    time.sleep(0.6)  # an Enter right after a one-key answer is taken as habit and dropped
    child.send("\r")


def finish(child: pexpect.spawn, key: str = "\r") -> int:
    """After the result: Enter ends the session."""
    if key:
        child.expect("press Enter to finish")
        time.sleep(0.6)
        child.send(key)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus is not None, f"killed by signal {child.signalstatus}"
    return int(child.exitstatus)


def test_one_key_answers_without_enter() -> None:
    child = spawn()
    child.expect("Do you have chest pain")
    press(child, "n")  # no Enter: one key is the answer
    child.expect("no\r\n")
    child.expect("Did this start with a fall")
    press(child, "n")
    child.expect("How old are you")
    press(child, "30\r")  # numbers take a line
    child.expect("Do you have a fever")
    press(child, "n")
    child.expect("Where is the problem")
    press(child, "1")
    child.expect("Neck\r\n")
    child.expect("Which describe it")
    press(child, "1 3\r")
    child.expect("Do you take blood thinners")
    press(child, "n")
    see_result(child)
    child.expect("Massage therapy \\(RMT\\)")
    child.expect("This is not a diagnosis")
    assert finish(child) == 0


def test_enter_alone_is_not_an_answer_and_unknown_keys_are_refused() -> None:
    child = spawn()
    child.expect("Do you have chest pain")
    press(child, "\r")
    child.expect("Enter alone is not an answer")
    press(child, "x")
    child.expect("Please type y for yes or n for no")
    child.expect("Type \\? for why we ask, q to stop.")  # the keys, said again (no b: question 1)
    press(child, "\x1b[A")  # an arrow key is one unknown key
    child.expect("Please type y for yes or n for no")
    press(child, "y")
    child.expect("You answered yes to: Do you have chest pain")
    press(child, "y")
    # the result follows on this screen: it says "call 911", with no stop line above it
    child.expect("Result: Call 911 now")
    assert "Stop: call 911 now" not in (child.before or "")
    assert finish(child) == 0


def test_a_double_press_does_not_answer_the_next_question() -> None:
    child = spawn()
    child.expect("Do you have chest pain")
    press(child, "nn")  # one key answers; the second must not answer "Did this start..."
    child.expect("Did this start with a fall")
    child.expect_exact("> ")
    child.sendcontrol("c")
    child.expect("Screening stopped")
    assert finish(child, "") == 130
    assert "Question 3" not in (child.before or "")


def test_help_and_back_keys() -> None:
    child = spawn()
    child.expect("Do you have chest pain")
    press(child, "?")
    child.expect("Why we ask: Chest pain can be a heart attack.")
    press(child, "h")  # "help" on a one-key question: its first key
    child.expect("Why we ask: Chest pain can be a heart attack.")
    press(child, "n")
    child.expect("Did this start with a fall")
    press(child, "b")
    child.expect("Back to the previous question")
    child.expect("Question 1")
    child.expect("Do you have chest pain")
    child.expect("Your earlier answer: no. Press Enter to keep it.")
    child.expect_exact("> ")
    child.sendcontrol("c")
    child.expect("Screening stopped - no recommendation made. If your symptoms are severe, "
                 "call 911.")
    # the options given, kept (ux-stop)
    # the line wraps where the pack's path (the checkout's folder) makes it: at any space
    hint = f"To keep them next time, start with: triage --pack {MINIMAL} --save answers.json"
    child.expect(r"\s+".join(map(re.escape, hint.split())))
    assert finish(child, "") == 130


@pytest.mark.parametrize("question_keys", [(), ("n", "y")])
def test_ctrl_c_at_a_red_flag_question(tmp_path: Path, question_keys: tuple[str, ...]) -> None:
    """At the first question, and at one opened by an earlier answer (can_bear_weight)."""
    saved = tmp_path / "s.json"
    child = spawn("--save", str(saved))
    child.expect("Do you have chest pain")
    for key in question_keys:
        press(child, key)
    if question_keys:
        child.expect("Can you walk four steps")
    child.expect_exact("> ")
    child.sendcontrol("c")
    child.expect("Screening stopped - no recommendation made")
    assert finish(child, "") == 130
    data = json.loads(saved.read_text())
    assert data["status"] == "stopped"
    assert data["answers"] == ({"chest_pain": "no", "fall": "yes"} if question_keys else {})


def test_ctrl_c_after_the_result_keeps_it(tmp_path: Path) -> None:
    """The result is on the screen: Ctrl-C ends like Enter, and never says "no
    recommendation made" under "call 911 now"; the saved session stays complete."""
    saved = tmp_path / "s.json"
    child = spawn("--save", str(saved))
    press(child, "y")
    child.expect("Is that right?")
    press(child, "y")
    child.expect("Result: Call 911 now")
    child.expect("press Enter to finish")
    time.sleep(0.6)
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    assert "no recommendation" not in (child.before or "")
    assert finish(child, "") == 0
    data = json.loads(saved.read_text())
    assert (data["status"], data["disposition"]) == ("complete", "emergency")


@pytest.mark.parametrize("stop", ["q", "\x03"])
def test_stopping_at_the_emergency_check_says_call_911(stop: str) -> None:
    """The person chose an emergency sign and stopped at its check: not the generic line."""
    child = spawn()
    press(child, "y")
    child.expect("Is that right?")
    press(child, stop)
    # who said what, as the check put it: "yes to" the question, not "You chose: ...? yes."
    child.expect("You answered yes to: Do you have chest pain or pressure right now\\? If "
                 "that is true, call 911 now.")
    assert "no recommendation" not in (child.before or "")
    assert finish(child, "") == 130


def test_a_caller_record_survives_ctrl_c_at_the_reference() -> None:
    from triage.records import open_store, resolve_settings

    child = spawn("--caller", "--record")
    press(child, "y")
    child.expect("Is that right?")
    press(child, "y")
    child.expect("press Enter to finish")
    time.sleep(0.6)
    child.send("\r")
    child.expect("Reference for the record")
    child.expect_exact("> ")
    child.sendcontrol("c")
    child.expect("No reference given: the record is saved without one.")
    child.expect("Saved as record")
    assert finish(child, "") == 0
    with open_store(resolve_settings()) as store:
        (record,) = store.list()
    assert record.disposition == "emergency" and record.status == "complete"


def test_going_back_keeps_the_later_answers_in_the_saved_file(tmp_path: Path) -> None:
    saved = tmp_path / "s.json"
    child = spawn("--save", str(saved))
    child.expect("Do you have chest pain")
    press(child, "n")
    child.expect("Did this start with a fall")
    press(child, "n")
    child.expect("How old are you")
    press(child, "30\r")
    child.expect("Do you have a fever")
    press(child, "b")
    child.expect("How old are you")
    press(child, "b\r")  # a number question reads a line
    child.expect("Your earlier answer: no. Press Enter to keep it.")
    child.expect_exact("> ")
    child.sendcontrol("c")
    assert finish(child, "") == 130
    data = json.loads(saved.read_text())
    assert data["status"] == "stopped"
    assert data["answers"] == {"chest_pain": "no", "fall": "no", "age": 30}


def test_ctrl_c_while_typing_a_number() -> None:
    child = spawn()
    press(child, "n")
    press(child, "n")
    child.expect("How old are you")
    press(child, "4")
    child.sendcontrol("c")
    child.expect("Screening stopped")
    assert finish(child, "") == 130


def test_ctrl_d_stops_too() -> None:
    child = spawn(lang="fr")
    child.expect("Avez-vous une douleur")
    press(child, "\x04")
    child.expect("Questionnaire arrêté - aucune recommandation.")
    assert finish(child, "") == 130


def test_french_one_key_oui() -> None:
    child = spawn(lang="fr")
    child.expect("Tapez o pour oui ou n pour non")
    press(child, "y")  # the English key is refused in French
    child.expect("Tapez o pour oui ou n pour non.")
    press(child, "o")
    child.expect("oui\r\n")
    child.expect("Vous avez répondu oui à : Avez-vous une douleur")
    press(child, "o")
    child.expect("Résultat : Appelez le 911 maintenant")
    child.expect("appuyez sur Entrée pour terminer")
    time.sleep(0.6)
    child.send("\r")
    assert finish(child, "") == 0


def test_resume_in_a_terminal(tmp_path: Path) -> None:
    saved = tmp_path / "s.json"
    child = spawn("--save", str(saved))
    press(child, "n")
    press(child, "n")
    child.expect("How old are you")
    child.expect_exact("> ")
    child.sendcontrol("c")
    assert finish(child, "") == 130
    child = spawn("--resume", str(saved))
    child.expect("2 answers kept")
    child.expect("Question 3")
    child.expect("How old are you")
    press(child, "30\r")
    press(child, "n")
    press(child, "1")
    child.expect("Which describe it")
    press(child, "1\r")
    child.expect("Do you take blood thinners")
    press(child, "n")
    see_result(child)
    child.expect("Massage therapy \\(RMT\\)")
    assert finish(child) == 0
    assert json.loads(saved.read_text())["status"] == "complete"


def test_dumb_terminal_uses_lines_and_plain_text() -> None:
    child = spawn(term="dumb")
    child.expect("Question 1, about 0% done")
    press(child, "n", prompt="Answer: ")  # not taken until Enter
    child.send("\r")
    child.expect("Did this start with a fall")
    for line in ("n", "30", "n"):
        press(child, line + "\r", prompt="Answer: ")
    child.expect("1, Neck\r\n2, Lower back\r\n3, Knee\r\n")
    press(child, "2\r", prompt="Answer: ")
    child.expect("Which describe it")
    press(child, "0\r", prompt="Answer: ")
    press(child, "n\r", prompt="Answer: ")
    child.expect("Do you often worry about it")
    press(child, "n\r", prompt="Answer: ")  # low mood alone cannot change anything now
    press(child, "\r", prompt="Answer: ")  # the review: Enter shows the result
    child.expect("Result: ")
    assert "\x1b[" not in (child.before or "")
    assert finish(child) == 0


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_kill_or_a_hang_up_is_saved_as_stopped_and_ends_by_its_signal(
        tmp_path: Path, signum: signal.Signals) -> None:
    """As every command (test_entry_signals): the clean-up runs, then the process ends by
    the signal (143, 129), as scripts and service managers expect; it ended with 130."""
    saved = tmp_path / "s.json"
    child = spawn("--save", str(saved))
    press(child, "n")
    child.expect("Did this start with a fall")
    child.expect_exact("> ")
    child.kill(signum)
    if signum == signal.SIGTERM:  # (a hang-up may find no terminal to write to)
        child.expect("Screening stopped")
    child.expect(pexpect.EOF)
    child.close()
    assert child.signalstatus == signum, (child.exitstatus, child.signalstatus)
    data = json.loads(saved.read_text())
    assert data["status"] == "stopped"
    assert data["answers"] == {"chest_pain": "no"}


def test_bare_triage_asks_in_a_terminal() -> None:
    child = spawn(pack=False)  # the bundled pack: only its shape is relied on
    child.expect("Question 1  \\[")
    child.expect_exact("> ")
    child.sendcontrol("c")
    child.expect("Screening stopped - no recommendation made")
    assert finish(child, "") == 130


@pytest.mark.parametrize(("lang", "key", "plain"), [("en", "n", ""), ("fr", "n", "1")])
def test_an_enter_right_after_a_one_key_answer_is_dropped(lang: str, key: str,
                                                          plain: str) -> None:
    """The habit of ending every answer with Enter must not answer (or scold) the next
    question; plain mode too."""
    child = spawn(lang=lang, TRIAGE_ACCESSIBLE=plain) if plain else spawn(lang=lang)
    prompt = "Réponse : " if plain else "> "
    press(child, key, prompt=prompt)
    child.expect("chute" if lang == "fr" else "Did this start with a fall")
    child.expect_exact(prompt)
    child.send("\r")  # the Enter of habit, once the next question is on the screen
    time.sleep(0.6)
    child.send("n")
    child.expect("âge" if lang == "fr" else "How old are you")
    before = child.before or ""
    assert "Entrée seule" not in before and "Enter alone" not in before
    child.sendcontrol("c")
    assert finish(child, "") == 130
