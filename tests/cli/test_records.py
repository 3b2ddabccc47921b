"""`triage assess --record`, `triage records ...` and `triage config ...` through CliRunner,
against a real SQLite file in each test's own temp data folder."""

from __future__ import annotations

import json
import stat
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from tests.conftest import MINIMAL
from triage.cli.app import app
from triage.cli.exitcodes import EXIT_NOT_SAVED, EXIT_PROBLEMS, EXIT_USAGE
from triage.engine.evaluate import evaluate
from triage.folders import config_path, default_db_path
from triage.pack.compiled import CompiledPack
from triage.records import StoreError, new_record, open_store, resolve_settings
from triage.records import model as records_model
from triage.records import store as records_store
from triage.records.model import format_ts
from triage.records.screening import DEFAULT_CALLER_REF, save_screening

runner = CliRunner()
ANSWERS = {"chest_pain": "no", "fall": "no", "fever": "no", "age": 40, "area": "neck",
           "problems": ["stiffness"], "blood_thinners": "no"}
# Answer values that must never reach stderr (a message or an error).
ANSWER_WORDS = ("stiffness", "neck", "blood_thinners", "chest_pain")


@pytest.fixture(autouse=True)
def _own_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test gets an empty data and config folder and a known desk and staff user."""
    monkeypatch.setenv("TRIAGE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TRIAGE_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("TRIAGE_DATABASE_URL", raising=False)
    monkeypatch.setenv("TRIAGE_DESK", "front-1")
    monkeypatch.setenv("TRIAGE_STAFF", "sam")


@pytest.fixture
def answers_file(tmp_path: Path) -> Path:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(ANSWERS), encoding="utf-8")
    return path


def invoke(*args: str, stdin: str | None = None) -> Result:
    return runner.invoke(app, list(args), input=stdin)


def assess(answers_file: Path, *extra: str) -> Result:
    return invoke("assess", "--answers", str(answers_file), "--pack", str(MINIMAL),
                  "--plain", *extra)


def record_one(answers_file: Path, *extra: str) -> str:
    result = assess(answers_file, "--record", *extra)
    assert result.exit_code == 0, result.output
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith("Saved as record ")
    return line.removeprefix("Saved as record ").rstrip(".")


def store_count() -> int:
    with open_store(resolve_settings()) as store:
        return store.count()


def actions(record_id: str | None = None) -> list[str]:
    with open_store(resolve_settings()) as store:
        return [entry.action for entry in store.audit_log(record_id)]


def add_old_record(days: int, minimal_pack: CompiledPack) -> str:
    """A record created `days` ago (written through the store API, as a desk would have)."""
    outcome = evaluate(minimal_pack, {"chest_pain": "no", "fall": "no", "fever": "no",
                                      "age": 40, "area": "neck",
                                      "problems": frozenset({"stiffness"}),
                                      "blood_thinners": "no"})
    stamp = format_ts(datetime.now(UTC) - timedelta(days=days))
    record = replace(
        new_record(caller_ref="OLD-1", desk="front-1", staff="sam", answers=ANSWERS,
                   disposition=outcome.disposition, outcome=outcome.as_dict(),
                   pack_id=outcome.pack_id, pack_version=outcome.pack_version,
                   pack_hash=outcome.pack_hash, tool_version=outcome.tool_version),
        created_at=stamp, updated_at=stamp)
    with open_store(resolve_settings()) as store:
        return store.add(record)


# --------------------------------------------------------------------------- assess --record


def test_assess_record_saves_the_screening_and_audits_it(answers_file: Path) -> None:
    result = assess(answers_file, "--record", "--caller-ref", "C-0042")
    assert result.exit_code == 0, result.output
    assert "Result: Massage therapy (RMT)" in result.stdout
    assert "Saved as record" not in result.stdout  # stdout stays the result only
    record_id = result.stderr.strip().removeprefix("Saved as record ").rstrip(".")
    with open_store(resolve_settings()) as store:
        record = store.get(record_id)
    assert record is not None
    assert record.caller_ref == "C-0042"
    assert (record.desk, record.staff, record.status) == ("front-1", "sam", "complete")
    assert record.answers["problems"] == ["stiffness"]
    assert record.disposition == "soft_tissue" == record.outcome["disposition"]
    assert record.pack_id == "minimal" and record.pack_version == "1.0.0"
    assert actions(record_id)[0] == "create"


def test_assess_json_output_stays_parseable_when_recording(answers_file: Path) -> None:
    result = assess(answers_file, "--record", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["disposition"] == "soft_tissue"


def test_nothing_is_stored_without_record(answers_file: Path) -> None:
    result = assess(answers_file, "--caller-ref", "C-1")
    assert result.exit_code == 0, result.output
    assert "Nothing was saved" in result.stderr
    assert not default_db_path().exists()


def test_record_by_default_from_the_clinic_config(answers_file: Path) -> None:
    assert invoke("config", "set", "record_by_default", "yes").exit_code == 0
    assert assess(answers_file).exit_code == 0
    assert store_count() == 1
    assert assess(answers_file, "--no-record").exit_code == 0
    assert store_count() == 1


def test_a_caller_without_a_reference_is_stored_as_self(answers_file: Path) -> None:
    record_id = record_one(answers_file)
    with open_store(resolve_settings()) as store:
        record = store.get(record_id)
    assert record is not None and record.caller_ref == DEFAULT_CALLER_REF


def test_unreachable_server_shows_the_result_and_exits_4(
        answers_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIAGE_DATABASE_URL", "postgresql://triage@127.0.0.1:1/triage")
    result = assess(answers_file, "--record", "--caller-ref", "C-7")
    assert result.exit_code == EXIT_NOT_SAVED
    assert "Result: Massage therapy (RMT)" in result.stdout
    assert "NOT saved" in result.stderr and "127.0.0.1" in result.stderr
    assert "Traceback" not in result.output
    for word in ANSWER_WORDS:
        assert word not in result.stderr


def test_store_that_cannot_be_written_shows_the_result_and_exits_4(
        answers_file: Path, tmp_path: Path) -> None:
    # A regular file where the database folder should be: fails even for root,
    # which chmod would not stop.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    assert invoke("config", "set", "store_path",
                  str(blocker / "records.sqlite3")).exit_code == 0
    result = assess(answers_file, "--record")
    assert result.exit_code == EXIT_NOT_SAVED
    assert "Result: Massage therapy (RMT)" in result.stdout
    assert "NOT saved" in result.stderr
    assert "Traceback" not in result.output
    for word in ANSWER_WORDS:
        assert word not in result.stderr


def test_unreadable_config_still_shows_the_result(answers_file: Path) -> None:
    config_path().parent.mkdir(parents=True)
    config_path().write_text("record_by_default = maybe\n")
    result = assess(answers_file)
    assert result.exit_code == EXIT_NOT_SAVED
    assert "Result: Massage therapy (RMT)" in result.stdout
    assert "not valid TOML" in result.stderr


def test_save_screening_refuses_names_unless_the_clinic_keeps_them(
        minimal_pack: CompiledPack) -> None:
    normal = {"chest_pain": "no", "fall": "no", "fever": "no", "age": 40, "area": "neck",
              "problems": frozenset({"stiffness"}), "blood_thinners": "no"}
    outcome = evaluate(minimal_pack, normal)
    with pytest.raises(StoreError) as caught:
        save_screening(minimal_pack, normal, outcome, caller_ref="C-1", caller_name="Jo Doe",
                       status="complete", config=resolve_settings())
    assert caught.value.kind == "invalid" and "Jo Doe" not in str(caught.value)
    kept = resolve_settings(keep_names=True)
    record_id = save_screening(minimal_pack, normal, outcome, caller_ref="C-1",
                               caller_name="Jo Doe", status="stopped", config=kept)
    with open_store(kept) as store:
        record = store.get(record_id)
    assert record is not None
    assert (record.caller_name, record.status) == ("Jo Doe", "stopped")
    assert record.answers["problems"] == ["stiffness"]


def test_a_screening_saved_under_an_id_of_its_own_is_stored_once(
        minimal_pack: CompiledPack) -> None:
    """The web works out the record id from the screening, so every copy of the request that
    finished it names one record; a record refused for another reason is still refused."""
    normal = {"chest_pain": "no", "fall": "no", "fever": "no", "age": 40, "area": "neck",
              "problems": frozenset({"stiffness"}), "blood_thinners": "no"}
    outcome = evaluate(minimal_pack, normal)
    settings = resolve_settings()
    rid = records_model.id_from_digest(b"\x01" * 32)
    for _ in range(3):
        assert save_screening(minimal_pack, normal, outcome, caller_ref="W-1", config=settings,
                              record_id=rid) == rid
    with open_store(settings) as store:
        assert [r.id for r in store.list()] == [rid]
    other = records_model.id_from_digest(b"\x02" * 32)
    with pytest.raises(StoreError) as caught:  # refused, and not taken for a copy
        save_screening(minimal_pack, normal, outcome, caller_ref="W-1", caller_name="Jo Doe",
                       config=settings, record_id=other)
    assert caught.value.kind == "invalid"


# --------------------------------------------------------------------------- records list/show


def test_list_shows_a_table_without_answers(answers_file: Path) -> None:
    first = record_one(answers_file, "--caller-ref", "C-1")
    second = record_one(answers_file, "--caller-ref", "C-2")
    result = invoke("records", "list")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["id", "created", "desk", "staff", "caller", "ref",
                                "disposition"]
    assert lines[1].startswith(first) and lines[2].startswith(second)
    assert "C-1" in lines[1] and "front-1" in lines[1] and "sam" in lines[1]
    assert lines[1].endswith("soft_tissue")
    assert "stiffness" not in result.stdout and "neck" not in result.stdout
    assert "2 records." in result.stderr
    assert actions(first) == ["create", "view"]


class Clock:
    """The records' clock, frozen: ``now`` is an aware moment in the machine's time zone."""

    def __init__(self, now: datetime) -> None:
        self.now = now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock(datetime(2026, 6, 15, 12, 0).astimezone())

    class FrozenDatetime(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> datetime:  # type: ignore[override]
            return clock.now.astimezone(tz) if tz else clock.now.replace(tzinfo=None)

    # records are stamped by the model; "today" starts at the store's local midnight
    monkeypatch.setattr(records_model, "datetime", FrozenDatetime)
    start_of_day = records_store.start_of_local_day
    monkeypatch.setattr(records_store, "start_of_local_day",
                        lambda day=None: start_of_day(day or clock.now.date()))
    return clock


def test_list_filters(answers_file: Path, clock: Clock) -> None:
    clock.now = datetime(2026, 6, 15, 23, 59, 59).astimezone()  # a call just before midnight
    record_one(answers_file)
    assert len(invoke("records", "list", "--today").stdout.splitlines()) == 2
    assert invoke("records", "list", "--since", "2020-01-01").stdout.count("soft_tissue") == 1
    clock.now = datetime(2026, 6, 16, 0, 0, 1).astimezone()  # and two seconds later
    assert invoke("records", "list", "--today").stdout == ""
    assert invoke("records", "list", "--since", "2026-06-15").stdout.count("soft_tissue") == 1
    result = invoke("records", "list", "--since", "2026-06-17")
    assert result.exit_code == 0 and result.stdout == ""
    assert "No records found." in result.stderr
    assert invoke("records", "list", "--disposition", "emergency").stdout == ""
    assert "soft_tissue" in invoke("records", "list", "--disposition", "soft_tissue").stdout


@pytest.mark.parametrize("args", [
    ["--since", "last week"],
    ["--today", "--since", "2026-01-01"],
    ["--disposition", "rmt"],
])
def test_list_usage_errors(args: list[str]) -> None:
    result = invoke("records", "list", *args)
    assert result.exit_code == EXIT_USAGE
    assert result.stdout == ""


def test_show_prints_answers_and_outcome_and_audits_a_view(answers_file: Path) -> None:
    record_id = record_one(answers_file, "--caller-ref", "C-9")
    result = invoke("records", "show", record_id)
    assert result.exit_code == 0, result.output
    assert f"Record: {record_id}" in result.stdout
    assert "Caller ref: C-9" in result.stdout
    assert "Disposition: soft_tissue (Massage therapy (RMT))" in result.stdout
    assert "- stiffness_soft_tissue (indication): Stiffness responds to massage." in result.stdout
    # the bundled pack is not the one it was screened with: ids, as stored
    assert "- problems: stiffness" in result.stdout and "- age: 40" in result.stdout
    assert actions(record_id) == ["create", "view"]
    # with the pack at hand, the answers read in words
    worded = invoke("records", "show", record_id, "--pack", str(MINIMAL)).stdout
    assert "- Which describe it? Stiffness" in worded and "- How old are you? 40 years" in worded
    assert "- problems: stiffness" not in worded
    assert invoke("records", "show", f" {record_id.upper()} ").exit_code == 0
    as_json = json.loads(invoke("records", "show", record_id, "--format", "json").stdout)
    assert as_json["answers"]["area"] == "neck"
    assert as_json["outcome"]["fired"][0]["id"] == "stiffness_soft_tissue"


def test_show_lists_every_warning_sign_by_what_was_found(answers_file: Path) -> None:
    """The reception summary counts the warning signs checked and not asked, and says the
    record has them in full: it does, by name with the pack at hand, else by id."""
    record_id = record_one(answers_file, "--caller", "--caller-ref", "C-3")
    worded = invoke("records", "show", record_id, "--pack", str(MINIMAL)).stdout
    assert ("Warning signs checked and not present:\n- Heart attack signs\n"
            "- Fever with back pain or at 65 or over\n"
            "Warning signs not asked (they did not apply):\n- Cannot walk after a fall\n"
            "Answers:\n") in worded
    as_ids = invoke("records", "show", record_id).stdout
    assert "Warning signs not asked (they did not apply):\n- fall_cannot_walk\n" \
        in as_ids


def test_show_an_unknown_record() -> None:
    result = invoke("records", "show", "nosuchrecord")
    assert result.exit_code == EXIT_PROBLEMS
    assert "No record with id 'nosuchrecord'" in result.stderr


def test_control_characters_in_a_caller_ref_are_escaped(answers_file: Path,
                                                        pack: CompiledPack) -> None:
    refused = assess(answers_file, "--record", "--caller-ref", "C-\x1b[2J1")
    assert refused.exit_code == EXIT_NOT_SAVED and refused.stdout  # shown, not saved
    assert "\x1b" not in refused.stderr and "must be printable text" in refused.stderr
    # one stored by other means (an older version, another desk) is shown escaped
    settings = resolve_settings()
    outcome = evaluate(pack, ANSWERS)
    with open_store(settings) as store:
        store.add(new_record(caller_ref="C-\x1b[2J1", desk="d", staff="s", answers=ANSWERS,
                             disposition=outcome.disposition, outcome=outcome.as_dict(),
                             pack_id=pack.id, pack_version=pack.version,
                             pack_hash=pack.content_hash, tool_version="0"))
    result = invoke("records", "list")
    assert "\x1b" not in result.stdout and "C-\\x1b[2J1" in result.stdout


@pytest.mark.parametrize("ref", ["C-\udcff", "C-\x07", "C-\u202e1", "x" * 201])
def test_a_caller_ref_that_is_not_plain_text_is_not_saved(answers_file: Path,
                                                          ref: str) -> None:
    result = assess(answers_file, "--record", "--caller-ref", ref)
    assert result.exit_code == EXIT_NOT_SAVED, result.output
    assert "The result above was NOT saved" in result.stderr
    assert "internal error" not in result.stderr and "No recommendation" not in result.stderr
    assert result.stdout  # the result was shown


# --------------------------------------------------------------------------- records export


def test_export_csv_to_a_private_file_and_audit(answers_file: Path, tmp_path: Path) -> None:
    first = record_one(answers_file, "--caller-ref", "C-1")
    record_one(answers_file, "--caller-ref", "C-2")
    out = tmp_path / "export.csv"
    out.write_text("an older, world-readable export\n")
    out.chmod(0o644)
    result = invoke("records", "export", "--format", "csv", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert f"Exported 2 records to {out}." in result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("id,created_at,")
    assert len(lines) == 3 and lines[1].startswith(first)
    assert actions(first) == ["create", "export"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".export")] == []


def test_export_jsonl_to_stdout_with_since(answers_file: Path, clock: Clock) -> None:
    record_id = record_one(answers_file)  # on 2026-06-15
    result = invoke("records", "export", "--format", "jsonl", "--since", "2020-01-01")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["id"] for row in rows] == [record_id]
    assert rows[0]["answers"]["problems"] == ["stiffness"]
    assert invoke("records", "export", "--format", "jsonl", "--since", "2026-06-16").stdout == ""


def test_export_out_dash_is_standard_output_not_a_file_named_dash(
        answers_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As ``batch --out -``: the records' health data went to a file named "-" in the
    working folder, and the command said it had exported them "to -"."""
    record_id = record_one(answers_file)
    monkeypatch.chdir(tmp_path)
    result = invoke("records", "export", "--format", "jsonl", "--out", "-")
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == [record_id]
    assert not (tmp_path / "-").exists()
    assert "Exported 1 record." in result.stderr


def test_export_rejects_an_unknown_format() -> None:
    result = invoke("records", "export", "--format", "xml")
    assert result.exit_code == EXIT_USAGE
    assert "available: csv, fhir, jsonl" in result.stderr


def test_export_to_a_missing_folder_exits_4(answers_file: Path, tmp_path: Path) -> None:
    record_one(answers_file)
    result = invoke("records", "export", "--format", "csv", "--out",
                    str(tmp_path / "no" / "such.csv"))
    assert result.exit_code == EXIT_NOT_SAVED
    assert "Nothing was exported" in result.stderr


# --------------------------------------------------------------------------- records purge


def test_purge_with_yes_deletes_only_old_records_and_audits(
        answers_file: Path, minimal_pack: CompiledPack) -> None:
    old = add_old_record(120, minimal_pack)
    recent = record_one(answers_file)
    result = invoke("records", "purge", "--older-than", "90d", "--yes")
    assert result.exit_code == 0, result.output
    assert result.stdout == "Purged 1 record older than 90 days.\n"
    with open_store(resolve_settings()) as store:
        assert store.get(old) is None and store.get(recent) is not None
    assert actions(old) == ["create", "purge"]


def test_purge_asks_first(answers_file: Path, minimal_pack: CompiledPack) -> None:
    add_old_record(120, minimal_pack)
    declined = invoke("records", "purge", "--older-than", "90", stdin="n\n")
    assert declined.exit_code == EXIT_PROBLEMS
    assert "Nothing was deleted." in declined.stderr
    assert "more than 90 days ago" in declined.stderr
    no_answer = invoke("records", "purge", "--older-than", "90d", stdin="")
    assert no_answer.exit_code == EXIT_PROBLEMS
    assert store_count() == 1
    accepted = invoke("records", "purge", "--older-than", "90d", stdin="y\n")
    assert accepted.exit_code == 0, accepted.output
    assert store_count() == 0


def test_purge_says_one_day_and_one_record(minimal_pack: CompiledPack) -> None:
    """"more than 1 days ago" / "1 records": the counts and their nouns agree."""
    add_old_record(3, minimal_pack)
    asked = invoke("records", "purge", "--older-than", "1d", stdin="n\n")
    assert "Delete every record created more than 1 day ago?" in asked.stderr, asked.stderr
    result = invoke("records", "purge", "--older-than", "1d", "--yes")
    assert result.stdout == "Purged 1 record older than 1 day.\n"


def test_purge_uses_the_configured_retention(minimal_pack: CompiledPack) -> None:
    add_old_record(40, minimal_pack)
    assert invoke("records", "purge", "--yes").stdout.startswith("Purged 0 records")
    assert invoke("config", "set", "retention_days", "30").exit_code == 0
    result = invoke("records", "purge", "--yes")
    assert result.stdout == "Purged 1 record older than 30 days.\n"


@pytest.mark.parametrize("value", ["soon", "0d", "-5d", "90w", "\u0669\u0660d", "9_0", "+90"])
def test_purge_rejects_a_bad_age(value: str) -> None:
    result = invoke("records", "purge", "--older-than", value, "--yes")
    assert result.exit_code == EXIT_USAGE


# --------------------------------------------------------------------------- records replay


def test_replay_with_the_same_pack_is_the_same(answers_file: Path) -> None:
    record_id = record_one(answers_file)
    result = invoke("records", "replay", record_id, "--pack", str(MINIMAL))
    assert result.exit_code == 0, result.output
    assert "Disposition: soft_tissue (same)" in result.stdout
    assert "Same result." in result.stdout


def test_replay_shows_a_changed_disposition_and_rules(
        answers_file: Path, pack_copy: Callable[..., Path]) -> None:
    record_id = record_one(answers_file)
    changed = pack_copy({"indications.yaml": lambda text: text.replace(
        "supports: soft_tissue\n    points: {soft_tissue: 2}",
        "supports: physiotherapy\n    points: {physiotherapy: 2}")})
    result = invoke("records", "replay", record_id, "--pack", str(changed))
    assert result.exit_code == EXIT_PROBLEMS, result.output
    assert "Disposition: soft_tissue -> physiotherapy (different)" in result.stdout
    assert "Rules that fired: stiffness_soft_tissue (same)" in result.stdout
    assert "Different result." in result.stdout


def test_replay_when_stored_answers_no_longer_fit(
        answers_file: Path, pack_copy: Callable[..., Path]) -> None:
    record_id = record_one(answers_file)
    changed = pack_copy({"questions.yaml": lambda text: text.replace("max: 120", "max: 30")})
    result = invoke("records", "replay", record_id, "--pack", str(changed))
    assert result.exit_code == EXIT_PROBLEMS, result.output
    assert "stored answers no longer fit these questions: age." in result.stdout
    assert "out of range" not in result.output  # the checker's message quotes the value


def test_replay_when_stored_answers_now_state_an_ignored_warning_sign(
        tmp_path: Path, pack_copy: Callable[..., Path]) -> None:
    # fell at 70 and cannot walk (same day); a later pack asks the walking question only
    # with a fever: the stored "cannot walk" would be ignored, so no result is given
    path = tmp_path / "fell.json"
    path.write_text(json.dumps({**ANSWERS, "age": 70, "fall": "yes",
                                "can_bear_weight": "no"}), encoding="utf-8")
    record_id = record_one(path)
    changed = pack_copy({"questions.yaml": lambda text: text.replace(
        "    ask_if: fall\n", "    ask_if: fever\n")})
    result = invoke("records", "replay", record_id, "--pack", str(changed))
    assert result.exit_code == EXIT_PROBLEMS, result.output
    # worded as assess words it (one message source), without the answer: a replay names
    # question ids only
    assert ("Cannot re-evaluate: can_bear_weight: the answer is a warning sign (Cannot walk "
            "after a fall: red flag fall_cannot_walk, same_day), but can_bear_weight does not "
            "apply with the answer to fever, so it would be ignored; correct fever or "
            "can_bear_weight.\n") in result.stdout
    assert "Disposition:" not in result.stdout


def test_replay_names_a_missing_answer_and_an_ignored_warning_sign_at_once(
        tmp_path: Path, pack_copy: Callable[..., Path]) -> None:
    # as above, and the later pack also has a red flag on a question the record lacks
    # (worry, now asked of everyone): both reasons are named, the sign first
    path = tmp_path / "fell.json"
    path.write_text(json.dumps({**ANSWERS, "age": 70, "fall": "yes",
                                "can_bear_weight": "no"}), encoding="utf-8")
    record_id = record_one(path)
    changed = pack_copy({
        "questions.yaml": lambda text: text.replace(
            "    ask_if: fall\n", "    ask_if: fever\n").replace(
            '    ask_if: {all: ["area == low_back"]}\n', ""),
        "red_flags.yaml": lambda text: text.replace(
            'when: {all: [fever, {any: ["age >= 65", {not: "area != low_back"}]}]}',
            "when: worry")})
    result = invoke("records", "replay", record_id, "--pack", str(changed))
    assert result.exit_code == EXIT_PROBLEMS, result.output
    assert ("Cannot re-evaluate: can_bear_weight: the answer is a warning sign (Cannot walk "
            "after a fall: red flag fall_cannot_walk, same_day), but can_bear_weight does not "
            "apply with the answer to fever, so it would be ignored; correct fever or "
            "can_bear_weight; the pack now needs answers the record does not have: "
            "worry.\n") in result.stdout


def test_replay_an_unknown_record() -> None:
    result = invoke("records", "replay", "nosuchrecord", "--pack", str(MINIMAL))
    assert result.exit_code == EXIT_PROBLEMS
    assert "No record with id" in result.stderr and result.stdout == ""


def test_records_commands_exit_4_when_the_store_is_unreachable(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIAGE_DATABASE_URL", "postgresql://triage@127.0.0.1:1/triage")
    for args in (["list"], ["show", "abc"], ["export", "--format", "csv"],
                 ["purge", "--yes"], ["replay", "abc", "--pack", str(MINIMAL)]):
        result = invoke("records", *args)
        assert result.exit_code == EXIT_NOT_SAVED, args
        assert "Cannot reach the PostgreSQL server" in result.stderr
        assert "Traceback" not in result.output


# --------------------------------------------------------------------------- config


def test_config_set_and_show(tmp_path: Path) -> None:
    for key, value in [("clinic-name", "Main St Clinic"), ("desk_id", "front-2"),
                       ("retention_days", "30"), ("keep_names", "on"),
                       ("store_path", str(tmp_path / "db.sqlite3"))]:
        result = invoke("config", "set", key, value)
        assert result.exit_code == 0, result.output
    assert stat.S_IMODE(config_path().stat().st_mode) == 0o600
    shown = invoke("config", "show")
    assert shown.exit_code == 0, shown.output
    assert "clinic_name = Main St Clinic  (config file)" in shown.stdout
    # TRIAGE_DESK (set by the fixture) beats the config file.
    assert "desk = front-1  (environment TRIAGE_DESK)" in shown.stdout
    assert "retention_days = 30  (config file)" in shown.stdout
    assert "keep_names = true  (config file)" in shown.stdout
    assert f"store_path = {tmp_path / 'db.sqlite3'}  (config file)" in shown.stdout
    assert "record_by_default = false  (default)" in shown.stdout
    assert invoke("config", "set", "clinic_name", "").exit_code == 0
    assert "clinic_name = (not set)" in invoke("config", "show").stdout


def test_config_never_shows_a_database_password() -> None:
    result = invoke("config", "set", "database_url", "postgresql://desk:s3cret@db.local/triage")
    assert result.exit_code == 0, result.output
    shown = invoke("config", "show")
    assert "database_url = postgresql://desk:***@db.local/triage" in shown.stdout
    assert "s3cret" not in result.output + shown.output
    assert "not used: database_url is set" in shown.stdout


def test_a_relative_store_path_is_saved_for_the_folder_it_was_typed_in(
        answers_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Kept relative, recording from w1 and listing from w2 would use two stores.
    for folder in ("w1", "w2"):
        (tmp_path / folder).mkdir()
    monkeypatch.chdir(tmp_path / "w1")
    result = invoke("config", "set", "store_path", "rec/desk.db")
    assert result.exit_code == 0, result.output
    assert f"store_path = {tmp_path / 'w1' / 'rec' / 'desk.db'}  (saved in" in result.stderr
    (tmp_path / "w1" / "rec").mkdir(mode=0o700)
    record_id = record_one(answers_file, "--caller-ref", "C-1")
    monkeypatch.chdir(tmp_path / "w2")
    listed = invoke("records", "list")
    assert listed.exit_code == 0, listed.output
    assert record_id in listed.stdout
    assert not (tmp_path / "w2" / "rec").exists()
    result = invoke("config", "set", "database_url", "sqlite:///../u.db")
    assert f"database_url = sqlite:///{tmp_path / 'u.db'}  (saved in" in result.stderr


def test_config_show_escapes_control_characters_from_a_hand_edited_file(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # TOML escapes make real ESC, NUL and BEL characters: printed raw they would clear the
    # screen or retitle the window (records list already escapes the same values).
    monkeypatch.delenv("TRIAGE_DESK")
    config_path().parent.mkdir(mode=0o700, parents=True)
    config_path().write_text(r'''clinic_name = "Main\u001b[2J St\u0000"
desk = "front\u001b]0;pwned\u0007"
''', encoding="utf-8")
    shown = invoke("config", "show")
    assert shown.exit_code == 0, shown.output
    for raw in ("\x1b", "\x00", "\x07"):
        assert raw not in shown.stdout
    assert r"clinic_name = Main\x1b[2J St\x00  (config file)" in shown.stdout
    assert r"desk = front\x1b]0;pwned\x07  (config file)" in shown.stdout


@pytest.mark.parametrize(("key", "value"), [
    ("colour", "red"), ("keep_names", "maybe"), ("retention_days", "ninety"),
    ("retention_days", "0"), ("retention_days", "-5"),
    # int() read the Arabic-Indic "٩٠" and "9_0" as 90, and raised on 5,000 digits
    ("retention_days", "\u0669\u0660"), ("retention_days", "9_0"),
    ("retention_days", "\u00b2"), ("retention_days", "9" * 5000),
])
def test_config_set_rejects_bad_input(key: str, value: str) -> None:
    result = invoke("config", "set", key, value)
    assert result.exit_code == EXIT_USAGE
    assert not config_path().exists()


def test_config_show_with_a_broken_file_exits_4() -> None:
    config_path().parent.mkdir(parents=True)
    config_path().write_text("colour = 'red'\n")
    result = invoke("config", "show")
    assert result.exit_code == EXIT_NOT_SAVED
    assert "unknown setting 'colour'" in result.stderr


def test_export_fhir_writes_valid_questionnaire_responses(answers_file: Path,
                                                          tmp_path: Path) -> None:
    from fhir.resources.questionnaireresponse import QuestionnaireResponse

    record_id = record_one(answers_file, "--caller-ref", "C-7")
    out = tmp_path / "export.ndjson"
    result = invoke("records", "export", "--format", "fhir", "--pack", str(MINIMAL),
                    "--out", str(out))
    assert result.exit_code == 0, result.output
    (line,) = out.read_text().splitlines()
    resource = QuestionnaireResponse.model_validate_json(line)
    assert resource.identifier is not None
    assert [i.value for i in resource.identifier] == [record_id]
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "export" in actions(record_id)


def test_export_fhir_r4_with_the_clinic_canonical_base(answers_file: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

    monkeypatch.setenv("TRIAGE_CONFIG_DIR", str(tmp_path / "config"))
    assert invoke("config", "set", "fhir_base_url", "https://clinic.example/fhir").exit_code == 0
    record_id = record_one(answers_file, "--caller-ref", "C-8")
    out = tmp_path / "export-r4.ndjson"
    result = invoke("records", "export", "--format", "fhir", "--fhir-version", "R4", "--pack",
                    str(MINIMAL), "--out", str(out))
    assert result.exit_code == 0, result.output
    (line,) = out.read_text().splitlines()
    QuestionnaireResponse.model_validate_json(line)
    data = json.loads(line)
    assert data["identifier"] == {  # 0..1 in R4
        "system": "https://clinic.example/fhir/NamingSystem/triage-record-id",
        "value": record_id}
    assert data["questionnaire"].startswith(
        "https://clinic.example/fhir/Questionnaire/triage-minimal|")
    bad = invoke("records", "export", "--format", "fhir", "--fhir-version", "R3")
    assert bad.exit_code == 2 and "R5 or R4" in bad.output


def test_replay_names_an_ignored_warning_sign_next_to_answers_that_no_longer_fit(
        tmp_path: Path, pack_copy: Callable[..., Path]) -> None:
    # as above, and the later pack renamed an option of a stored answer: it no longer
    # fits, and the stored "cannot walk" was not looked at (one reason at a time)
    path = tmp_path / "fell.json"
    path.write_text(json.dumps({**ANSWERS, "age": 70, "fall": "yes", "can_bear_weight": "no",
                                "problems": ["stiffness", "strain"]}), encoding="utf-8")
    record_id = record_one(path)
    changed = pack_copy({
        "questions.yaml": lambda text: text.replace(
            "    ask_if: fall\n", "    ask_if: fever\n").replace("{id: strain,", "{id: pulled,"),
        "indications.yaml": lambda text: text.replace("strain in problems", "pulled in problems")})
    result = invoke("records", "replay", record_id, "--pack", str(changed))
    assert result.exit_code == EXIT_PROBLEMS, result.output
    assert ("Cannot re-evaluate: stored answers no longer fit these questions: problems; "
            "can_bear_weight: the answer is a warning sign (Cannot walk after a fall: red flag "
            "fall_cannot_walk, same_day), but can_bear_weight does not apply with the answer "
            "to fever, so it would be ignored; correct fever or can_bear_weight.\n"
            ) in result.stdout
