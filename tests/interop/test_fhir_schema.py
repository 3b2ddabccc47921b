"""Every exported resource against HL7's official FHIR JSON schemas (R5 and R4), plus what
the schemas cannot see: empty arrays and strings, and codes outside their value sets."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.conftest import MINIMAL
from tests.interop.fhir_support import (
    ResponsesChecked,
    binding_errors,
    json_rule_errors,
    schema_errors,
    valid,
)
from triage.engine.answers import check_answers
from triage.engine.evaluate import evaluate
from triage.interop.fhir import (
    ENABLE_WHEN_EXPRESSION,
    Canon,
    answers_code_system,
    code_systems_bundle,
    dispositions_code_system,
    questionnaire,
    questionnaire_response,
    record_exporter,
)
from triage.pack.compiled import CompiledPack
from triage.pack.load import load_pack

VERSIONS = ("R5", "R4")
WHEN = datetime(2026, 11, 26, 14, 30, tzinfo=UTC)
ITEM_CONTROLS = {"check-box", "radio-button"}  # of the questionnaire-item-control value set
ANSWER_KEY = {"boolean": "answerBoolean", "coding": "answerCoding", "choice": "answerCoding",
              "integer": "answerInteger", "decimal": "answerDecimal"}
OPERATORS = {"exists", "=", "!=", ">", "<", ">=", "<="}


@pytest.fixture(scope="module")
def packs() -> list[CompiledPack]:
    return [load_pack(None, use_cache=False), load_pack(MINIMAL, use_cache=False)]


def test_the_schemas_catch_what_they_should() -> None:
    """The validator really validates: a wrong field, a wrong type, an unknown code."""
    base = {"resourceType": "Questionnaire", "status": "draft"}
    assert schema_errors(base, "R5") == [] and schema_errors(base, "R4") == []
    for version in VERSIONS:
        assert schema_errors({**base, "stauts": "draft"}, version)
        assert binding_errors({**base, "status": "finished"}) == [
            "/status: 'finished' is not in its value set"]
        assert schema_errors({**base, "item": [{"linkId": 1, "type": "boolean"}]}, version)
    # what the schema misses, the extra checks find
    empty = {**base, "item": []}
    assert schema_errors(empty, "R5") == [] and json_rule_errors(empty) == ["/item: empty ([])"]


def check_codes(q: dict[str, Any], answers_cs: dict[str, Any]) -> list[str]:
    """Codes in their value sets, and references that resolve."""
    errors = []
    system = answers_cs["url"]
    known = {c["code"]: c for group in answers_cs["concept"] for c in group["concept"]}
    earlier: dict[str, dict[str, Any]] = {}
    for item in q["item"]:
        link = item["linkId"]
        options = [o["valueCoding"] for o in item.get("answerOption", [])]
        for coding in options:
            if coding["system"] != system or coding["code"] not in known:
                errors.append(f"{link}: option {coding['code']} not in {system}")
            elif coding["display"] not in {known[coding["code"]]["display"],
                                           *(d["value"] for d in known[coding["code"]].get(
                                               "designation", []))}:
                errors.append(f"{link}: display of {coding['code']} differs from the CodeSystem")
        for ext in item.get("extension", []):
            if ext["url"].endswith("questionnaire-itemControl"):
                [code] = ext["valueCodeableConcept"]["coding"]
                wanted = "check-box" if item.get("repeats") else "radio-button"
                if code["code"] not in ITEM_CONTROLS or code["code"] != wanted:
                    errors.append(f"{link}: itemControl {code['code']}")
            if ext["url"] == ENABLE_WHEN_EXPRESSION:
                if ext["valueExpression"]["language"] != "text/fhirpath":
                    errors.append(f"{link}: expression language")
                if "enableWhen" in item:
                    errors.append(f"{link}: both enableWhen and enableWhenExpression")
        for clause in item.get("enableWhen", []):
            target = earlier.get(clause["question"])
            if target is None:
                errors.append(f"{link}: enableWhen on {clause['question']}, no earlier item")
                continue
            if clause["operator"] not in OPERATORS:
                errors.append(f"{link}: operator {clause['operator']}")
            key = next(k for k in clause if k.startswith("answer"))
            wanted_key = "answerBoolean" if clause["operator"] == "exists" else ANSWER_KEY[
                target["type"]]
            if key != wanted_key:
                errors.append(f"{link}: {key} on a {target['type']} question")
            if key == "answerCoding":
                codes = {o["valueCoding"]["code"] for o in target["answerOption"]}
                if clause[key]["code"] not in codes or clause[key]["system"] != system:
                    errors.append(f"{link}: enableWhen code {clause[key]['code']}")
        if len(item.get("enableWhen", [])) > 1 and "enableBehavior" not in item:
            errors.append(f"{link}: several enableWhen without enableBehavior")
        earlier[link] = item
    return errors


@pytest.mark.parametrize("version", VERSIONS)
def test_questionnaires_and_code_systems(packs: list[CompiledPack], version: str) -> None:
    for pack in packs:
        canon = Canon(pack.id, "https://clinic.example/fhir")
        for lang in pack.languages:
            q = questionnaire(pack, fhir_version=version, canon=canon, lang=lang)  # type: ignore[arg-type]
            valid(q, version)
            cs = answers_code_system(pack, canon=canon, lang=lang)
            valid(cs, version)
            assert check_codes(q, cs) == [], (pack.id, lang)
            valid(dispositions_code_system(pack, canon=canon, lang=lang), version)
        valid(code_systems_bundle(pack, canon=canon), version)


@pytest.mark.parametrize("version", VERSIONS)
def test_responses_for_every_case(packs: list[CompiledPack], version: str) -> None:
    for pack in packs:
        q = questionnaire(pack, fhir_version=version)  # type: ignore[arg-type]
        options = {i["linkId"]: [{k: v for k, v in o["valueCoding"].items() if k != "_display"}
                                 for o in i.get("answerOption", [])] for i in q["item"]}
        dispositions = {c["code"] for c in dispositions_code_system(pack)["concept"]}
        for case in pack.cases:
            outcome = evaluate(pack, case.answers)
            response = questionnaire_response(pack, case.answers, WHEN, outcome=outcome,
                                              subject="C-1", identifier="r-1",
                                              fhir_version=version)  # type: ignore[arg-type]
            valid(response, version)
            assert response["questionnaire"] == f"{q['url']}|{q['version']}"
            for item in response.get("item", []):
                for answer in item["answer"]:
                    if "valueCoding" in answer:
                        assert answer["valueCoding"] in options[item["linkId"]], case.id
            [ext] = response["extension"]
            assert ext["extension"][0]["valueCoding"]["code"] in dispositions


def test_records_export_is_valid_ndjson(packs: list[CompiledPack]) -> None:
    from triage.records.model import new_record

    pack = packs[0]
    records = []
    for case in pack.cases[:20]:
        normal, _ = check_answers(case.answers, pack.shapes)
        outcome = evaluate(pack, normal)
        records.append(new_record(
            caller_ref="C-1", desk="d", staff="s", answers=normal,
            disposition=outcome.disposition, outcome=outcome.as_dict(), pack_id=pack.id,
            pack_version=pack.version, pack_hash=pack.content_hash, tool_version="x"))
    for version in VERSIONS:
        for line in record_exporter(pack, fhir_version=version)(records):  # type: ignore[arg-type]
            valid(json.loads(line), version)


def _spoil(response: dict[str, Any], how: str) -> dict[str, Any]:
    bad = copy.deepcopy(response)
    if how == "unknown item field":
        bad["item"][-1]["colour"] = "red"
    elif how == "padded string in an item":
        bad["item"][0]["linkId"] += " "
    elif how == "answer of no type":
        bad["item"][0]["answer"] = [{"value": 1}]
    elif how == "status out of its value set":
        bad["status"] = "finished"
    elif how == "unknown field":
        bad["colour"] = "red"
    else:
        assert how == "no items in item"
        bad["item"] = []
    return bad


@pytest.mark.parametrize("how", ["unknown item field", "padded string in an item",
                                 "answer of no type", "status out of its value set",
                                 "unknown field", "no items in item"])
@pytest.mark.parametrize("version", VERSIONS)
def test_responses_checked_part_by_part_fail_where_the_whole_check_fails(
        packs: list[CompiledPack], version: str, how: str) -> None:
    pack = packs[0]
    case = max(pack.cases, key=lambda c: len(c.answers))
    response = questionnaire_response(pack, case.answers, WHEN,
                                      fhir_version=version)  # type: ignore[arg-type]
    assert len(response["item"]) >= 3
    checked = ResponsesChecked(version)
    checked.valid(response)  # its parts are now known valid: a spoilt copy must still fail
    bad = _spoil(response, how)
    with pytest.raises(AssertionError):
        valid(bad, version)
    with pytest.raises(AssertionError):
        checked.valid(bad)
    checked.valid(response)
    assert checked.responses == 2
