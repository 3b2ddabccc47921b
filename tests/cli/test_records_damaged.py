"""One damaged record (its stored JSON edited by hand, a disk fault) is named and skipped;
`records list/export` carry on with the others, `show/replay` say what is wrong (audit
finding 6), and no stored value is ever printed."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from tests.conftest import MINIMAL
from triage.cli.app import app
from triage.cli.exitcodes import EXIT_PROBLEMS
from triage.folders import default_db_path

ANSWERS = {"chest_pain": "no", "fall": "no", "fever": "no", "age": 40, "area": "neck",
           "problems": ["stiffness"], "blood_thinners": "no"}
DAMAGE = ["not json", "[1, 2]", '{"age": 1e999}', '{"age": {"x": 1}}', "null"]


@pytest.fixture(autouse=True)
def _own_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIAGE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TRIAGE_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("TRIAGE_DATABASE_URL", raising=False)
    monkeypatch.setenv("TRIAGE_DESK", "front-1")
    monkeypatch.setenv("TRIAGE_STAFF", "sam")


def invoke(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def three_records(tmp_path: Path) -> list[str]:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(ANSWERS))
    ids = []
    for ref in ("CR1", "CR2", "CR3"):
        result = invoke("assess", "--answers", str(answers), "--pack", str(MINIMAL),
                        "--plain", "--record", "--caller-ref", ref)
        assert result.exit_code == 0, result.output
        ids.append(result.stderr.strip().splitlines()[-1].removeprefix(
            "Saved as record ").rstrip("."))
    return ids


def damage(column: str, value: str, caller_ref: str = "CR2") -> None:
    with sqlite3.connect(default_db_path()) as db:
        db.execute(f"UPDATE triage_records SET {column} = ? WHERE caller_ref = ?",
                   (value, caller_ref))


@pytest.mark.parametrize("value", DAMAGE)
def test_list_names_the_damaged_record_and_lists_the_others(tmp_path: Path,
                                                            value: str) -> None:
    ids = three_records(tmp_path)
    damage("answers", value)
    result = invoke("records", "list")
    assert result.exit_code == EXIT_PROBLEMS, result.output
    assert ids[0] in result.stdout and ids[2] in result.stdout and ids[1] not in result.stdout
    assert f"record {ids[1]} is damaged" in result.stderr
    assert "1 damaged record was skipped" in result.stderr
    assert "stiffness" not in result.output and "internal error" not in result.output


@pytest.mark.parametrize("value", DAMAGE)
def test_show_and_replay_say_the_record_is_damaged(tmp_path: Path, value: str) -> None:
    ids = three_records(tmp_path)
    damage("answers", value)
    for command in (["records", "show", ids[1]],
                    ["records", "replay", ids[1], "--pack", str(MINIMAL)]):
        result = invoke(*command)
        assert result.exit_code == EXIT_PROBLEMS, result.output
        assert f"record {ids[1]} is damaged" in result.stderr
        assert "internal error" not in result.output
    assert invoke("records", "show", ids[0]).exit_code == 0


def test_export_skips_the_damaged_record_and_names_it(tmp_path: Path) -> None:
    ids = three_records(tmp_path)
    damage("outcome", "not json")
    out = tmp_path / "x.jsonl"
    result = invoke("records", "export", "--format", "jsonl", "--out", str(out))
    assert result.exit_code == EXIT_PROBLEMS, result.output
    exported = [json.loads(line)["id"] for line in out.read_text().splitlines()]
    assert exported == [ids[0], ids[2]]
    assert "Exported 2 records" in result.stderr
    assert f"record {ids[1]} is damaged" in result.stderr
    assert "--pack" not in result.stderr  # not the message for a record of another pack


def test_listing_an_empty_data_folder_makes_no_database() -> None:
    """Audit finding 12: `records list` before any record created a database."""
    result = invoke("records", "list")
    assert result.exit_code == 0 and "No records found." in result.stderr
    assert not default_db_path().exists()
