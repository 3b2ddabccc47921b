"""A record of a caller screening shows the questions as they were read out, about the patient
(sees audit 2, item 2): `records show` printed "Did you hit your head...? No" and "What would
you like help with? Other pain, or a problem with how I move" for a call that asked "Did the
person hit their head...", and reasons written to the patient ("tell you what is going on").
The record keeps who answered (``mode``); one kept before it did says so."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.records.conftest import build_record
from triage.cli.app import app
from triage.engine.evaluate import evaluate
from triage.pack.bundled import default_pack_dir
from triage.pack.load import load_pack
from triage.render.records import record_text

PACK = load_pack(default_pack_dir())
# the audit's answers (ans/np_ns.json): no place, "not sure" about pain, a fever
NO_PLACE: dict[str, Any] = {
    "emergency_signs": [], "age": 35, "recent_stroke_signs": "no", "areas": [],
    "problem_somewhere": "not_sure", "ces_signs": [], "bladder_bowel": [], "neck_neuro": [],
    "exertion_pain": "no",
    "today_signs": ["fever"], "fever_signs": [], "health_history": [], "injury": "none",
    "duration": "under_6_weeks", "onset": "gradual", "other_symptoms": [],
    "myelopathy_signs": [], "reasons": ["relaxation"], "conditions": [],
    # asked since pack 0.2.26 (clin-i): the knock with no place chosen, the back's duration
    "head_injury": "no", "back_duration": "under_3_months",
    # pack 0.2.29: "not sure" with no place counts as weakness with nothing hurting too
    "weakness_both_sides": "no", "weakness_brain_signs": []}
runner = CliRunner()
pytestmark = pytest.mark.usefixtures("own_store")  # tests/cli/conftest.py


def _saved(tmp_path: Path, *flags: str) -> str:
    path = tmp_path / "a.json"
    path.write_text(json.dumps(NO_PLACE), encoding="utf-8")
    saved = runner.invoke(app, ["assess", "--answers", str(path), *flags, "--record",
                                "--caller-ref", "C-2001"])
    assert saved.exit_code == 0, saved.output
    listed = runner.invoke(app, ["records", "list"]).stdout.splitlines()
    return listed[-1].split()[0]


def test_a_caller_screening_is_shown_as_it_was_read_out(tmp_path: Path) -> None:
    shown = runner.invoke(app, ["records", "show", _saved(tmp_path, "--caller")]).stdout
    assert "Screening: by reception staff on a call" in shown
    answers = shown.split("\nAnswers:\n")[1]
    for q in ("emergency_signs", "age", "problem_somewhere"):
        question = PACK.question_by_id[q]
        assert question.caller_text is not None
        assert PACK.text(question.caller_text, "en").split("?")[0] in answers, q
        assert PACK.text(question.text, "en").split("?")[0] not in answers, q
    said = shown.split("Rules that fired:\n")[1].split("\nAlso held")[0]
    assert "- spinal_infection_signs (red_flag): Spinal infection signs: the caller answered " \
           "“not sure” to “The person chose no place." in said
    assert not [line for line in said.splitlines() if " you " in f" {line.casefold()} "
                and "(note)" not in line]  # a note is read out as the summary reads it


def test_a_patient_screening_is_shown_in_the_patient_s_words(tmp_path: Path) -> None:
    shown = runner.invoke(app, ["records", "show", _saved(tmp_path)]).stdout
    assert "Screening: answered by the person" in shown
    assert "- How old are you? 35 years" in shown
    assert "- spinal_infection_signs (red_flag): You answered “not sure” to “You did not " \
           "choose a place." in shown


def test_a_record_kept_before_it_said_who_answered_says_so() -> None:
    outcome = evaluate(PACK, NO_PLACE)
    record = build_record(disposition=outcome.disposition, outcome=outcome.as_dict(),
                          answers=NO_PLACE, pack_id=PACK.id, pack_version=PACK.version,
                          pack_hash=PACK.content_hash)
    assert record.mode is None
    shown = record_text(record, "en", PACK)
    assert "Screening: how it was asked is not recorded" in shown
    assert "- How old are you? 35 years" in shown  # the patient's words, as before
