"""Stopping the questionnaire after answers that already fire a red flag says that level's
action at once (engine.evaluate.known_at_least), never "no recommendation made"; exit 130."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from tests.cli.test_interactive import PACK, invoke
from triage.cli import interactive, screens
from triage.i18n import t
from triage.render import prompts

# low back pain, "not sure" on the cauda equina signs: the emergency department or above
# (none, 45, low back, none today, no history, no injury, little by little, no TIA: the
# questions a 911 flag reads come first since pack 0.2.23; then "not sure", the last of the
# cauda equina signs since the bladder is its own question, pack 0.2.24)
CES_NOT_SURE = "0\n45\n6\n0\n0\n1\n4\n1\n5\n"


@pytest.mark.parametrize("stop", ["", "q\n"])  # end of input, q
def test_a_stop_after_a_warning_sign_says_go_to_the_emergency_department(stop: str) -> None:
    result = invoke([], CES_NOT_SURE + stop)
    assert result.exit_code == 130
    assert result.stdout == ""
    assert ("Your answers already show a warning sign: go to the nearest emergency department "
            "now") in result.stderr
    assert "call 911 if you can't get there safely" in result.stderr
    assert "more answers could only make it more urgent" in result.stderr
    assert "no recommendation made" not in result.stderr
    assert "If your symptoms are severe" not in result.stderr


def test_in_french_and_for_the_caller() -> None:
    fr = invoke(["assess", "--lang", "fr"], CES_NOT_SURE)
    assert fr.exit_code == 130
    assert "Vos réponses montrent déjà un signe d'alerte : allez à l'urgence" in fr.stderr
    assert "aucune recommandation" not in fr.stderr
    caller = invoke(["assess", "--caller"], CES_NOT_SURE)
    assert caller.exit_code == 130
    # what to do, as the pack says it about the patient (caller_action), not "Ask someone to
    # drive you"
    assert ("The patient's answers already show a warning sign. Tell the caller: the person "
            "should go to the nearest emergency department now") in caller.stderr
    assert "Someone should drive them" in caller.stderr and "drive you" not in caller.stderr
    assert "no recommendation made" not in caller.stderr


@pytest.mark.parametrize("caller", [False, True])
def test_saved_and_stopped_keeps_the_answers_but_not_to_finish_first(tmp_path: Path,
                                                                     caller: bool) -> None:
    """Sees audit 2, item 8: "go to the nearest emergency department now... To continue
    later: triage --resume s.json" invited finishing the form before going. The file is
    named, with no command to finish it later."""
    saved = tmp_path / "s.json"
    result = invoke(["assess", "--save", str(saved), *(["--caller"] if caller else [])],
                    CES_NOT_SURE)
    assert result.exit_code == 130
    assert "already show a warning sign" in result.stderr
    voice = "_caller" if caller else ""
    said = " ".join(result.stderr.split())
    assert t("stopped_saved_urgent" + voice, "en", path=str(saved)) in said
    assert "continue later" not in said and "--resume" not in said
    data = json.loads(saved.read_text())
    assert data["status"] == "stopped" and data["disposition"] is None


@pytest.mark.parametrize(("lang", "caller"), [("en", False), ("fr", False), ("en", True)])
def test_resuming_such_a_file_says_the_sign_before_the_next_question(
        tmp_path: Path, lang: str, caller: bool) -> None:
    saved = tmp_path / "s.json"
    extra = ["--caller"] if caller else []
    invoke(["assess", "--save", str(saved), "--lang", lang, *extra], CES_NOT_SURE)
    result = invoke(["assess", "--resume", str(saved), *extra], "")
    assert result.exit_code == 130
    said = " ".join(result.stderr.split())
    reminder = "resumed_known_caller" if caller else "resumed_known"
    start = " ".join(t(reminder, lang, action="{action}").split("{action}")[0].split())
    assert start in said, said
    assert said.index(start) < said.index("Question ")
    assert "emergency department" in said or "l'urgence" in said


def test_a_stop_with_a_known_level_later_than_today_still_says_to_continue_later() -> None:
    """A doctor in 1 to 3 days: finishing the questions first delays nothing."""
    look = prompts.Look("en")
    text = interactive._stop_message(KeyboardInterrupt(), look, False, "s.json",
                                     "\nYour answers already show a warning sign: see a "
                                     "doctor.\n", urgent=False)
    assert "To continue later: triage --resume s.json" in text
    urgent = interactive._stop_message(KeyboardInterrupt(), replace(look, caller=True), False,
                                       "s.json", "\nThe patient's answers...\n", urgent=True)
    assert "continue later" not in urgent and "do not need to be finished" in urgent


def test_no_warning_sign_yet_still_says_no_recommendation() -> None:
    result = invoke([], "0\n45\n6\n0\n0\n1\n4\n1\n0\n")  # CES_NOT_SURE with none
    assert result.exit_code == 130
    assert "Screening stopped - no recommendation made" in result.stderr
    assert "already show a warning sign" not in result.stderr


def test_a_stop_at_the_911_check_says_both() -> None:
    look = prompts.Look("en")
    known = "\nYour answers already show a warning sign: go to the ED.\n"
    text = interactive._stop_message(screens.StoppedAtEmergencyCheck("Chest pain"), look,
                                     False, None, known)
    assert text.index("If that is true, call 911 now") < text.index("already show")


def test_the_minimal_pack_stops_as_before() -> None:
    result = invoke(["assess", *PACK], "n\n")
    assert "Screening stopped - no recommendation made" in result.stderr


def test_call_911_is_said_once_as_the_result_on_a_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a screen the result follows the emergency answer at once: no stop line above it,
    no "Call 911 now." section, no "when to seek care: call 911" after "what to do"."""
    monkeypatch.setattr(screens, "stdout_is_screen", lambda: True)
    result = invoke(["assess", *PACK, "--plain"], "y\ny\n\n")
    assert result.exit_code == 0, result.output
    assert "Stop: call 911 now." not in result.stderr
    assert "Your answers:" not in result.stderr  # no review before a 911 result
    lines = result.stdout.splitlines()
    assert lines[0] == "Result: Call 911 now"
    said = [line for line in lines if "911" in line]
    # the result, what to do, and the outcome line that closes every result
    assert said == ["Result: Call 911 now", "What to do: Call 911.", "Call 911 now."], said


def test_the_stop_line_stays_when_the_result_goes_elsewhere() -> None:
    result = invoke(["assess", *PACK], "y\ny\n")
    assert "Stop: call 911 now." in result.stderr  # stdout is no screen: a file, a pipe
