"""FHIR Questionnaire and QuestionnaireResponse: valid resources (fhir.resources), enableWhen
with the meaning of ask_if, the CLI."""

from __future__ import annotations

import json
import operator
import shutil
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Literal

import pytest
from fhir.resources.questionnaire import Questionnaire
from fhir.resources.questionnaireresponse import QuestionnaireResponse
from fhir.resources.R4B.questionnaire import Questionnaire as QuestionnaireR4
from fhir.resources.R4B.questionnaireresponse import (
    QuestionnaireResponse as QuestionnaireResponseR4,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.conftest import MINIMAL
from triage.cli.app import app
from triage.conditions.tree import (
    MULTI,
    NUMBER,
    SINGLE,
    YES_NO,
    And,
    Answer,
    Compare,
    Count,
    Has,
    Is,
    Not,
    Number,
    Or,
)
from triage.conditions.truth import State, truth
from triage.engine.answers import check_answers
from triage.engine.evaluate import evaluate, question_states
from triage.interop.fhir import (
    ASK_IF_EXTENSION,
    OUTCOME_EXTENSION,
    enable_when,
    questionnaire,
    questionnaire_response,
    record_exporter,
)
from triage.pack.compiled import CompiledPack
from triage.pack.load import load_pack

PACK_DIR = MINIMAL
URL = "urn:triage:questionnaire:minimal"
R5_ITEM_TYPES = {"group", "display", "boolean", "decimal", "integer", "date", "dateTime", "time",
                 "string", "text", "url", "coding", "attachment", "reference", "quantity",
                 "question"}
R4_ITEM_TYPES = {"group", "display", "boolean", "decimal", "integer", "date", "dateTime", "time",
                 "string", "text", "url", "choice", "open-choice", "attachment", "reference",
                 "quantity"}
WHEN = datetime(2026, 11, 26, 14, 30, tzinfo=UTC)
FULL = {"chest_pain": "no", "age": 60, "fall": "yes", "can_bear_weight": "no", "fever": "no",
        "area": "neck", "problems": ["strain", "stiffness"], "blood_thinners": "no",
        "worry": "yes"}  # worry is not asked for a neck: dropped from the response


@pytest.fixture(scope="module")
def pack() -> CompiledPack:
    return load_pack(PACK_DIR, use_cache=False)


def generated_pack(tmp_path: Path) -> CompiledPack:
    """The minimal pack with ask_if conditions that FHIR can and cannot express."""
    root = tmp_path / "pack"
    shutil.copytree(PACK_DIR, root)
    questions = root / "questions.yaml"
    text = questions.read_text(encoding="utf-8")
    blood = "fr: Prenez-vous des anticoagulants?}\n    type: yes_no\n"
    assert blood in text and 'ask_if: {question: area, op: "==", value: low_back}' in text
    text = text.replace(blood, blood + '    ask_if: "age >= 18 and area != knee"\n')
    text = text.replace('ask_if: {question: area, op: "==", value: low_back}',
                        'ask_if: "count(worry, fever) >= 1"')
    questions.write_text(text, encoding="utf-8")
    return load_pack(root, use_cache=False)


def items_by_id(resource: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["linkId"]: item for item in resource["item"]}


# --------------------------------------------------------------------------- Questionnaire


def test_questionnaire_is_valid_fhir_r5_and_r4(pack: CompiledPack) -> None:
    r5 = questionnaire(pack)
    Questionnaire.model_validate(r5)  # raises on any structural error or unknown field
    assert {i["type"] for i in r5["item"]} <= R5_ITEM_TYPES
    r4 = questionnaire(pack, fhir_version="R4")
    QuestionnaireR4.model_validate(r4)
    assert {i["type"] for i in r4["item"]} <= R4_ITEM_TYPES
    assert r5["url"] == URL and r5["version"] == "1.0.0" and r5["status"] == "active"
    assert r5["identifier"][0]["value"] == pack.content_hash


def test_questionnaire_items_follow_the_questions(pack: CompiledPack) -> None:
    items = items_by_id(questionnaire(pack))
    assert list(items) == [q.id for q in pack.questions]
    assert items["chest_pain"]["type"] == "boolean"
    assert items["chest_pain"]["required"] is True  # a red-flag screen
    assert "required" not in items["fever"]
    assert items["age"]["type"] == "integer"
    assert {e["url"].rsplit("/", 1)[1]: e.get("valueInteger") for e in items["age"]["extension"]
            } == {"minValue": 0, "maxValue": 120, "questionnaire-unit": None}
    area = items["area"]
    assert (area["type"], area["answerConstraint"]) == ("coding", "optionsOnly")
    assert area["answerOption"][0]["valueCoding"] == {
        "system": f"{URL}/area", "code": "neck", "display": "Neck"}
    assert items["problems"]["repeats"] is True
    r4_items = items_by_id(questionnaire(pack, fhir_version="R4"))
    assert r4_items["area"]["type"] == "choice" and "answerConstraint" not in r4_items["area"]
    # other languages ride in the translation extension
    translation = items["fever"]["_text"]["extension"][0]["extension"]
    assert translation == [{"url": "lang", "valueCode": "fr"},
                           {"url": "content", "valueString": "Avez-vous de la fièvre?"}]


def test_enable_when_from_ask_if(pack: CompiledPack) -> None:
    items = items_by_id(questionnaire(pack))
    assert items["can_bear_weight"]["enableWhen"] == [
        {"question": "fall", "operator": "=", "answerBoolean": True}]
    for qid in ("worry", "low_mood"):  # a structured block and an all-of of one condition
        assert items[qid]["enableWhen"] == [{"question": "area", "operator": "=",
                                             "answerCoding": {"system": f"{URL}/area",
                                                              "code": "low_back",
                                                              "display": "Lower back"}}]
        assert "enableBehavior" not in items[qid]
    assert "enableWhen" not in items["chest_pain"]


def test_enable_when_negation_needs_an_answer_and_fallback_is_a_note(tmp_path: Path) -> None:
    gen = generated_pack(tmp_path)
    resource = questionnaire(gen)
    Questionnaire.model_validate(resource)
    items = items_by_id(resource)
    blood = items["blood_thinners"]
    assert blood["enableBehavior"] == "all"
    assert [(c["question"], c["operator"]) for c in blood["enableWhen"]] == [
        ("age", ">="), ("area", "exists"), ("area", "!=")]
    assert blood["enableWhen"][0]["answerInteger"] == 18
    low_mood = items["low_mood"]
    assert "enableWhen" not in low_mood
    assert low_mood["extension"] == [{"url": ASK_IF_EXTENSION,
                                      "valueString": "count(worry == yes, fever == yes) >= 1"}]


@pytest.mark.parametrize(("cond", "expected"), [
    (Is("area", frozenset({"neck", "knee"})),
     ([("area", "=", "neck"), ("area", "=", "knee")], "any")),
    (Or((Is("fall", frozenset({"yes"})), Compare("<", Number(18.0), Answer("age")))),
     ([("fall", "=", True), ("age", ">", 18)], "any")),
    (Has("problems", "strain", negate=True),
     ([("problems", "exists", True), ("problems", "!=", "strain")], "all")),
    (Compare("!=", Answer("age"), Number(40.0)),
     ([("age", "exists", True), ("age", "!=", 40)], "all")),
    (Compare("==", Answer("age"), Number(40.0)), ([("age", "=", 40)], None)),
])
def test_enable_when_shapes(pack: CompiledPack, cond: Any,
                            expected: tuple[list[tuple[str, str, Any]], str | None]) -> None:
    found = enable_when(pack, URL, cond)
    assert found is not None
    clauses, behavior = found

    def short(c: dict[str, Any]) -> tuple[str, str, Any]:
        value = next(v for k, v in c.items() if k.startswith("answer"))
        return c["question"], c["operator"], value["code"] if isinstance(value, dict) else value

    assert ([short(c) for c in clauses], behavior) == expected


@pytest.mark.parametrize("cond", [
    Not(Is("fall", frozenset({"yes"}))),
    Compare(">=", Count((Is("fall", frozenset({"yes"})),)), Number(1.0)),
    Or((And((Is("fall", frozenset({"yes"})), Is("fever", frozenset({"yes"})))),
        Is("chest_pain", frozenset({"yes"})))),
    And((Is("area", frozenset({"neck", "knee"})), Is("fall", frozenset({"yes"})))),
    Compare(">", Answer("age"), Number(17.5)),  # a whole-number question vs 17.5
])
def test_conditions_fhir_cannot_express(pack: CompiledPack, cond: Any) -> None:
    assert enable_when(pack, URL, cond) is None


# The meaning of enableWhen, as the FHIR specification defines each operator.
_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq, ">": operator.gt, "<": operator.lt, ">=": operator.ge, "<=": operator.le}


def fhir_enabled(item: dict[str, Any], answers: dict[str, list[Any]]) -> bool:
    results = []
    for clause in item.get("enableWhen", []):
        given_answers = answers.get(clause["question"], [])
        key = next(k for k in clause if k.startswith("answer"))
        wanted = clause[key]["code"] if key == "answerCoding" else clause[key]
        op = clause["operator"]
        if op == "exists":
            results.append(bool(given_answers) == wanted)
        elif op == "!=":
            results.append(all(a != wanted for a in given_answers))  # true with no answer
        else:
            results.append(any(_OPS[op](a, wanted) for a in given_answers))
    if not results:
        return True
    return any(results) if item.get("enableBehavior") == "any" else all(results)


def fhir_answers(pack: CompiledPack, applicable: dict[str, Any]) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for qid, value in applicable.items():
        shape = pack.shapes[qid]
        if shape.type == YES_NO:
            out[qid] = [value == "yes"]
        elif shape.type == MULTI:
            out[qid] = sorted(value)
        else:
            out[qid] = [value]
    return out


def answer_values(pack: CompiledPack) -> st.SearchStrategy[dict[str, Any]]:
    def one(qid: str) -> st.SearchStrategy[Any]:
        shape = pack.shapes[qid]
        if shape.type == YES_NO:
            return st.sampled_from(["yes", "no"])
        if shape.type == SINGLE:
            return st.sampled_from(shape.options)
        if shape.type == MULTI:
            # FHIR cannot tell "answered, none chosen" from "not answered"
            return st.frozensets(st.sampled_from(shape.options), min_size=1)
        assert shape.type == NUMBER
        return st.sampled_from([0, 17, 18, 19, 54, 55, 64, 65, 66, 120])
    return st.fixed_dictionaries({}, optional={q: one(q) for q in pack.shapes})


@pytest.fixture(scope="module")
def both_packs(tmp_path_factory: pytest.TempPathFactory, pack: CompiledPack,
               ) -> list[CompiledPack]:
    return [pack, generated_pack(tmp_path_factory.mktemp("fhir"))]


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_enable_when_means_what_ask_if_means(both_packs: list[CompiledPack],
                                             data: st.DataObject) -> None:
    for p in both_packs:
        answers = data.draw(answer_values(p))
        applicable = question_states(p, answers).applicable
        fhir = fhir_answers(p, applicable)
        state = State(applicable, frozenset(), p.shapes)
        for item in questionnaire(p)["item"]:
            q = p.question_by_id[item["linkId"]]
            noted = any(e["url"] == ASK_IF_EXTENSION for e in item.get("extension", []))
            if q.ask_if is None or noted:
                continue
            # the engine's view, with every earlier question settled
            assert fhir_enabled(item, fhir) == (truth(q.ask_if, state) is True), (
                q.id, applicable)


# --------------------------------------------------------------------------- QuestionnaireResponse


def test_response_is_valid_fhir_r5_and_r4(pack: CompiledPack) -> None:
    normal, _ = check_answers(FULL, pack.shapes)
    outcome = evaluate(pack, normal)
    r5 = questionnaire_response(pack, FULL, WHEN, outcome=outcome, subject="C-17",
                                identifier="rec-1", identifier_system="urn:triage:record")
    QuestionnaireResponse.model_validate(r5)
    r4 = questionnaire_response(pack, FULL, WHEN, outcome=outcome.as_dict(), subject="C-17",
                                identifier="rec-1", fhir_version="R4")
    QuestionnaireResponseR4.model_validate(r4)
    assert r5["questionnaire"] == f"{URL}|1.0.0"
    assert r5["status"] == "completed"
    assert r5["authored"] == "2026-11-26T14:30:00+00:00"
    assert r5["subject"] == {"identifier": {"value": "C-17"}}
    assert r5["identifier"] == [{"value": "rec-1", "system": "urn:triage:record"}]
    assert r4["identifier"] == {"value": "rec-1"}  # 0..1 in R4
    [ext] = r5["extension"]
    assert ext["url"] == OUTCOME_EXTENSION
    parts = [(e["url"], e.get("valueCode") or e.get("valueString")) for e in ext["extension"]]
    assert parts == [("disposition", "same_day"), ("mainRedFlag", "fall_cannot_walk"),
                     ("firedRule", "fall_cannot_walk"), ("firedRule", "stiffness_soft_tissue"),
                     ("firedRule", "strain"), ("packHash", pack.content_hash)]
    assert r4["extension"] == r5["extension"]  # the same from an Outcome or its dict


def test_response_items_answer_the_questionnaire(pack: CompiledPack) -> None:
    response = questionnaire_response(pack, FULL, WHEN)
    items = items_by_id(response)
    assert "worry" not in items  # not asked for a neck: FHIR allows no answer there
    assert list(items) == ["chest_pain", "fall", "can_bear_weight", "age", "fever", "area",
                           "problems", "blood_thinners"]
    assert items["chest_pain"]["answer"] == [{"valueBoolean": False}]
    assert items["age"]["answer"] == [{"valueInteger": 60}]
    assert [a["valueCoding"]["code"] for a in items["problems"]["answer"]] == [
        "stiffness", "strain"]  # in the order of the options
    # every answer fits its item's type in the Questionnaire
    form = items_by_id(questionnaire(pack))
    value_key = {"boolean": "valueBoolean", "integer": "valueInteger", "coding": "valueCoding",
                 "decimal": "valueDecimal"}
    for qid, item in items.items():
        expected = value_key[form[qid]["type"]]
        assert all(set(a) == {expected} for a in item["answer"])
        if expected == "valueCoding":
            allowed = [o["valueCoding"] for o in form[qid]["answerOption"]]
            assert all(a["valueCoding"] in allowed for a in item["answer"])


def test_response_from_stored_forms_and_partial_answers(pack: CompiledPack) -> None:
    stored = {"chest_pain": "yes", "problems": ["strain"], "age": 70.0}
    response = questionnaire_response(pack, stored, WHEN, status="in-progress")
    QuestionnaireResponse.model_validate(response)
    assert response["status"] == "in-progress"
    assert [i["linkId"] for i in response["item"]] == ["chest_pain", "age", "problems"]


def test_response_refuses_bad_answers_without_showing_them(pack: CompiledPack) -> None:
    with pytest.raises(ValueError, match="answers not valid for this pack: age, nope") as info:
        questionnaire_response(pack, {"age": "secret-value", "nope": 1}, WHEN)
    assert "secret-value" not in str(info.value)


def test_response_needs_a_time_zone(pack: CompiledPack) -> None:
    with pytest.raises(ValueError, match="time zone"):
        questionnaire_response(pack, {}, datetime(2026, 1, 1, 9, 0))
    other = datetime(2026, 1, 1, 9, 0, tzinfo=timezone(timedelta(hours=-5)))
    assert questionnaire_response(pack, {}, other)["authored"] == "2026-01-01T09:00:00-05:00"


# --------------------------------------------------------------------------- CLI

runner = CliRunner()


def test_cli_export_questionnaire(tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", "questionnaire", "--pack", str(PACK_DIR)])
    assert result.exit_code == 0, result.stderr
    Questionnaire.model_validate(json.loads(result.stdout))
    out = tmp_path / "q.json"
    result = runner.invoke(app, ["export", "questionnaire", "--pack", str(PACK_DIR), "--out",
                                 str(out), "--fhir-version", "R4", "--url",
                                 "https://clinic.example/fhir/Questionnaire/triage"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    QuestionnaireR4.model_validate(data)
    assert data["url"] == "https://clinic.example/fhir/Questionnaire/triage"
    assert result.stdout == ""


# --------------------------------------------------------------------------- records export


STATUSES: tuple[Literal["complete", "stopped"], ...] = ("complete", "stopped")


def test_record_exporter_streams_valid_responses(pack: CompiledPack) -> None:
    from triage.records.model import new_record

    normal, _ = check_answers(FULL, pack.shapes)
    outcome = evaluate(pack, normal)
    records = [new_record(caller_ref=f"C-{i}", desk="d1", staff="s1", answers=normal,
                          disposition=outcome.disposition, outcome=outcome.as_dict(),
                          pack_id=pack.id, pack_version="0.9.0", pack_hash=pack.content_hash,
                          tool_version="x", status=status)
               for i, status in enumerate(STATUSES)]
    lines = list(record_exporter(pack)(iter(records)))
    assert len(lines) == 2 and all(line.endswith("\n") for line in lines)
    first, second = (json.loads(line) for line in lines)
    QuestionnaireResponse.model_validate(first)
    QuestionnaireResponse.model_validate(second)
    assert first["identifier"] == [{"value": records[0].id, "system": "urn:triage:record"}]
    assert first["subject"] == {"identifier": {"value": "C-0"}}
    assert first["questionnaire"] == f"{URL}|0.9.0"  # the version the record was made with
    assert (first["status"], second["status"]) == ("completed", "stopped")
    assert datetime.fromisoformat(first["authored"]) == datetime.fromisoformat(
        records[0].created_at.replace("Z", "+00:00"))
    r4 = json.loads(next(record_exporter(pack, fhir_version="R4")(records)))
    QuestionnaireResponseR4.model_validate(r4)


def test_record_exporter_names_a_record_that_does_not_fit(pack: CompiledPack) -> None:
    from triage.records.model import new_record

    record = new_record(caller_ref="C-9", desk="d", staff="s", answers={"old_question": "yes"},
                        disposition="emergency", outcome={}, pack_id=pack.id,
                        pack_version="0.1", pack_hash="x", tool_version="x")
    with pytest.raises(ValueError, match=f"record {record.id}: answers not valid"):
        list(record_exporter(pack)([record]))
