"""The main reason shown for a red-flag result is the one the policy names: the most urgent
flag, then the highest priority, whatever the order of the pack's files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.policy_packs import FILE_ORDERS, priority_pack
from triage.cli.app import app

ANSWERS = {"chest_pain": "no", "fall": "no", "fever": "yes", "age": 70, "area": "neck",
           "problems": ["stiffness"], "blood_thinners": "no"}


@pytest.mark.parametrize("order", sorted(FILE_ORDERS))
def test_the_highest_priority_reason_comes_first(tmp_path: Path, order: str) -> None:
    pack = priority_pack(tmp_path / "pack", order)
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(ANSWERS), encoding="utf-8")
    args = ["assess", "--pack", str(pack), "--answers", str(answers)]

    result = CliRunner().invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["disposition"], data["main_red_flag"]) == ("doctor_first", "fever_older")
    assert [r["id"] for r in data["fired"] if r["kind"] == "red_flag"] == ["fever_older",
                                                                           "fever_any"]

    result = CliRunner().invoke(app, [*args, "--plain"])
    assert result.exit_code == 0, result.output
    why = result.stdout.split("Why:\n", 1)[1].splitlines()
    assert why[0].startswith("- HIGH-PRIORITY fever reason. [Test fixture")
    assert why[1].startswith("- LOW-PRIORITY fever reason. [Test fixture")
