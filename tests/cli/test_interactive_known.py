"""Stopping the questionnaire after answers that already fire a red flag says that level's
action at once (engine.evaluate.known_at_least), never "no recommendation made"; exit 130."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_interactive import PACK, invoke
from triage.cli import interactive, screens
from triage.render import prompts

# low back pain, "not sure" on the cauda equina signs: the emergency department or above
CES_NOT_SURE = "0\n45\n1\n6\n7\n"


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
    assert ("The patient's answers already show a warning sign. Tell the caller: go to the "
            "nearest emergency department now") in caller.stderr
    assert "no recommendation made" not in caller.stderr


def test_saved_and_stopped_keeps_the_answers_and_says_how_to_resume(tmp_path: Path) -> None:
    saved = tmp_path / "s.json"
    result = invoke(["assess", "--save", str(saved)], CES_NOT_SURE)
    assert result.exit_code == 130
    assert "Your answers already show a warning sign" in result.stderr
    assert f"triage --resume {saved}" in result.stderr
    data = json.loads(saved.read_text())
    assert data["status"] == "stopped" and data["disposition"] is None


def test_no_warning_sign_yet_still_says_no_recommendation() -> None:
    result = invoke([], "0\n45\n1\n6\n0\n")
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
