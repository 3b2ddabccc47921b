"""A stored record is never told in the words of another pack than the one it was made with
(another content hash: another pack, another version, or the same one edited): `records
show` gives ids and one line saying why, or the words of the exact pack when one is at hand;
the FHIR export refuses such a record."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from tests.conftest import MINIMAL
from triage.cli.app import app
from triage.pack.load import load_pack

EXAMPLE = Path(__file__).parents[2] / "examples" / "answers.yaml"
ANSWERS = {"chest_pain": "no", "fall": "no", "fever": "no", "age": 40, "area": "neck",
           "problems": ["stiffness"], "blood_thinners": "no"}
WORDED = "- Which describe it? Stiffness"
BY_ID = "Answers and warning signs by id: "


@pytest.fixture(autouse=True)
def _own_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIAGE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TRIAGE_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("TRIAGE_DATABASE_URL", raising=False)


def invoke(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def record(pack: Path | None, answers: Path) -> str:
    done = invoke("assess", "--answers", str(answers), "--record", "--caller-ref", "C-1",
                  *(("--pack", str(pack)) if pack else ()))
    assert done.exit_code == 0, done.output
    return done.stderr.strip().splitlines()[-1].removeprefix("Saved as record ").rstrip(".")


@pytest.fixture
def made(tmp_path: Path) -> tuple[str, Path]:
    """A record made with a copy of the minimal pack, then that copy's words edited (the
    option "Stiffness" now reads "A broken bone"): its content hash is another."""
    pack = tmp_path / "pack"
    shutil.copytree(MINIMAL, pack)
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(ANSWERS))
    record_id = record(pack, answers)
    assert WORDED in invoke("records", "show", record_id, "--pack", str(pack)).stdout
    questions = pack / "questions.yaml"
    questions.write_text(questions.read_text().replace("en: Stiffness,", "en: A broken bone,"))
    return record_id, pack


def test_show_does_not_word_a_record_with_an_edited_pack(made: tuple[str, Path]) -> None:
    record_id, pack = made
    shown = invoke("records", "show", record_id, "--pack", str(pack))
    assert shown.exit_code == 0, shown.output
    # (the reasons are the record's own, stored words; the answers are worded by a pack)
    assert "A broken bone" not in shown.stdout and "Which describe it?" not in shown.stdout
    assert "- problems: stiffness" in shown.stdout  # the ids, as stored
    edited = load_pack(pack)
    why = next(line for line in shown.stdout.splitlines() if line.startswith(BY_ID))
    assert f"the pack at hand (minimal 1.0.0, {edited.content_hash[:12]})" in why
    assert "give --pack with that pack" in why
    # with the very pack it was made with: in words, and no such line
    worded = invoke("records", "show", record_id, "--pack", str(MINIMAL)).stdout
    assert WORDED in worded and BY_ID not in worded


def test_show_finds_the_exact_pack_in_the_bundled_one(tmp_path: Path) -> None:
    """A record made with the bundled pack, shown with --pack of another: the bundled pack
    is the one it was made with, so its words are used."""
    record_id = record(None, EXAMPLE)
    shown = invoke("records", "show", record_id, "--pack", str(MINIMAL)).stdout
    assert BY_ID not in shown
    assert "- How old are you? 38 years" in shown


def test_show_says_why_when_no_pack_can_be_loaded(made: tuple[str, Path],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from triage.problems import ProblemsError

    def broken(*args: object, **kwargs: object) -> None:
        raise ProblemsError([])

    monkeypatch.setattr("triage.pack.load.load_pack", broken)
    shown = invoke("records", "show", made[0]).stdout
    assert f"{BY_ID}the rule pack could not be loaded." in shown
    assert "- problems: stiffness" in shown


def test_fhir_export_refuses_a_record_made_with_another_pack(
        made: tuple[str, Path], tmp_path: Path) -> None:
    record_id, pack = made
    out = tmp_path / "export.ndjson"
    done = invoke("records", "export", "--format", "fhir", "--pack", str(pack),
                  "--out", str(out))
    assert done.exit_code == 1
    assert f"record {record_id}: made with pack minimal 1.0.0" in done.stderr
    assert "Export it with --pack set to the pack it was made with" in done.stderr
    assert not out.exists()  # nothing half exported
    assert "broken" not in done.stderr
    exported = invoke("records", "export", "--format", "fhir", "--pack", str(MINIMAL))
    assert exported.exit_code == 0 and "Stiffness" in exported.stdout
