"""The guarantees of test_entry_streams (audit "inputs" B1, B5) where the questionnaire shows
its result on a screen: in pages on a short one (40x24), or as the reception summary.

- On a terminal whose codec is not UTF-8, every page of the result and of its details comes
  out, each character the codec lacks spelled the nearest way ("cœur" -> "coeur").
- A bug after the first page of the result (saving the record) says the result stands; a bug
  before anything of it was written still says no recommendation was made.

pexpect drives the program in a real pseudo-terminal of 40x24; PYTHONIOENCODING stands for a
Latin-1 locale (a locale of that codec need not be installed).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import pexpect
import pytest
import yaml

from tests.cli.test_terminal import _as_in_a_shell
from tests.conftest import REPO_ROOT
from triage.cli import entry, interactive, output, screens
from triage.cli.exitcodes import EXIT_INTERNAL, EXIT_OK
from triage.engine.refusal import screen_answers
from triage.pack.load import load_pack
from triage.render import pages, prompts

PACK = load_pack(None)
EXAMPLE = (REPO_ROOT / "examples" / "answers.yaml").read_text(encoding="utf-8")
# pain on exertion that is new: the emergency department, and in French its reason says
# "peut venir du cœur" ("œ" is not in Latin-1); at 40x24 the result takes two pages
ANGINA: dict[str, Any] = yaml.safe_load(
    EXAMPLE.replace('exertion_pain: "no"', "exertion_pain: new_or_worse"))
# a program that saves nothing: saving the record is a bug, after the result is shown
BROKEN_SAVE = ("import sys, triage.records.screening as s\n"
               "def broken(*a, **k):\n    raise RuntimeError('a bug')\n"
               "s.save_screening = broken\n"
               "sys.argv[0] = 'triage'\n"
               "from triage.cli.entry import main\nmain()\n")


def _session(path: Path, *, caller: bool = False) -> None:
    """A finished French screening, to --resume: the review, then the result."""
    path.write_text(json.dumps({
        "format": "triage-session", "format_version": 1, "status": "in_progress",
        "pack": {"id": PACK.id, "version": PACK.version, "hash": PACK.content_hash},
        "language": "fr", "caller": caller, "answers": ANGINA}), encoding="utf-8")


def _on_a_screen(tmp_path: Path, *args: str, details: bool = False, encoding: str = "latin-1",
                 program: list[str] | None = None) -> tuple[str, int | None]:
    """Everything written at 40x24 in ``encoding`` (Enter at every wait: the review, each
    page; ``details``: d once the result's keys are shown) and the exit status."""
    env = dict(os.environ, TERM="xterm", LANG="C.UTF-8", PYTHONIOENCODING=encoding,
               PYTHONPATH=str(REPO_ROOT))
    for var in ("NO_COLOR", "TRIAGE_ACCESSIBLE", "TRIAGE_INTERACTIVE", "COLUMNS", "LINES",
                "TRIAGE_DEBUG"):
        env.pop(var, None)
    command = program or [sys.executable, "-m", "triage"]
    child = pexpect.spawn(command[0], [*command[1:], *args], env=env, encoding=encoding,
                          timeout=60, dimensions=(24, 40), cwd=str(tmp_path),
                          preexec_fn=_as_in_a_shell)
    seen, asked_details = "", False
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            try:
                seen += child.read_nonblocking(65536, timeout=0.8)
            except pexpect.TIMEOUT:  # waiting for a key
                if details and not asked_details and "Tapez d " in seen:
                    asked_details = True
                    child.send("d")
                else:
                    child.send("\r")
            except pexpect.EOF:
                break
        else:
            pytest.fail(f"still running:\n{seen[-2000:]}")
    finally:
        child.close()
    return seen, child.exitstatus


@pytest.mark.long(22)
def test_a_paged_result_and_its_details_come_out_whole_in_latin1(tmp_path: Path) -> None:
    _session(tmp_path / "s.json")
    seen, status = _on_a_screen(tmp_path, "--resume", "s.json", "--lang", "fr", "--no-record",
                                details=True)
    assert status == EXIT_OK, seen[-2000:]
    assert "Résultat : Allez à l'urgence" in seen  # (Latin-1 has é and à: kept)
    assert "(1 sur 2)" in seen  # on pages
    assert "du coeur (angine instable)" in " ".join(seen.split())  # the details, spelled
    assert "internal error" not in seen


@pytest.mark.long(23)
def test_the_reception_summary_comes_out_whole_in_ascii(tmp_path: Path) -> None:
    """(Its French texts for this result are all in Latin-1: ASCII lacks their accents.)"""
    _session(tmp_path / "s.json", caller=True)
    seen, status = _on_a_screen(tmp_path, "--resume", "s.json", "--lang", "fr", "--caller",
                                "--no-record", details=True, encoding="ascii")
    assert status == EXIT_OK, seen[-2000:]
    words = " ".join(seen.split())
    assert "Dites a la personne qui appelle de surveiller" in words  # the summary
    assert "Rendez-vous a prendre : Aucun rendez-vous" in words  # its last line
    assert "Signes d'AVC (VITE)" in words  # d: the full lists
    assert "internal error" not in seen


def test_a_bug_in_saving_after_a_paged_result_says_the_result_stands(tmp_path: Path) -> None:
    _session(tmp_path / "s.json")
    seen, status = _on_a_screen(
        tmp_path, "--resume", "s.json", "--lang", "fr", "--record", "--caller-ref", "3",
        program=[sys.executable, "-c", BROKEN_SAVE])
    assert status == EXIT_INTERNAL
    assert "Allez à l'urgence maintenant." in seen  # the outcome line, on the last page
    assert "Le résultat ci-dessus reste valable" in " ".join(seen.split()), seen[-2000:]
    assert "No recommendation was made" not in seen


@pytest.mark.parametrize("caller", [False, True])
def test_a_bug_before_a_result_screen_is_written_takes_nothing_for_shown(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        caller: bool) -> None:
    """The result's pages (or the reception summary) cannot be made: nothing of the result
    is on the screen, so "the result above stands" would point at nothing."""
    monkeypatch.delenv("TRIAGE_DEBUG", raising=False)
    monkeypatch.setattr(output, "result_shown", False)
    monkeypatch.setattr(screens, "stdout_is_screen", lambda: True)

    def broken(*args: Any, **kwargs: Any) -> str:
        raise RuntimeError("a bug")

    monkeypatch.setattr(pages, "result_pages", broken)
    from triage.render import caller as reception

    monkeypatch.setattr(reception, "booking_summary", broken)
    outcome = screen_answers(PACK, ANGINA).outcome
    assert outcome is not None
    look = prompts.Look("fr", caller=caller, width=40, rows=24)
    out = output.Output("fr", "text", caller=caller)
    code = entry._guarded(lambda: interactive._show_result(outcome, PACK, out, look,
                                                           interactive.LineTerminal()))
    assert code == EXIT_INTERNAL
    said = capsys.readouterr()
    assert said.out == ""
    assert "No recommendation was made." in said.err
    assert "The result above stands" not in said.err
