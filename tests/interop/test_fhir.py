"""FHIR Questionnaire, CodeSystems and QuestionnaireResponse: what a FHIR client needs to find
in them, responses read back (fail closed), and the commands."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Literal

import pytest
from fhir.resources.codesystem import CodeSystem
from fhir.resources.questionnaire import Questionnaire
from fhir.resources.questionnaireresponse import QuestionnaireResponse
from fhir.resources.R4B.questionnaire import Questionnaire as QuestionnaireR4
from fhir.resources.R4B.questionnaireresponse import (
    QuestionnaireResponse as QuestionnaireResponseR4,
)
from typer.testing import CliRunner

from tests.conftest import MINIMAL
from triage.cli.app import app
from triage.conditions.tree import MULTI
from triage.engine.answers import check_answers
from triage.engine.evaluate import evaluate
from triage.interop.fhir import (
    ENABLE_WHEN_EXPRESSION,
    NONE_OPTION,
    PLACEHOLDER_BASE,
    Canon,
    answers_code_system,
    answers_from_response,
    code_systems_bundle,
    disposition_codes,
    dispositions_code_system,
    emergency_notices,
    questionnaire,
    questionnaire_response,
    record_exporter,
    safety_questions,
)
from triage.pack.compiled import CompiledPack
from triage.pack.load import load_pack

BASE = "https://clinic.example/fhir"
CANON = Canon("minimal", BASE)
SYSTEM = f"{BASE}/CodeSystem/triage-minimal-answers"
WHEN = datetime(2026, 11, 26, 14, 30, tzinfo=UTC)
FULL = {"chest_pain": "no", "age": 60, "fall": "yes", "can_bear_weight": "no", "fever": "no",
        "area": "neck", "problems": ["strain", "stiffness"], "blood_thinners": "no",
        "worry": "yes"}  # worry is not asked for a neck: dropped from the response
# the multiple-choice safety questions a patient with no warning signs could not finish
ISSUE_17_MULTI = {"emergency_signs", "today_signs", "health_history", "ces_signs", "neck_neuro",
                  "wound_signs", "ankle_tender", "knee_signs", "myelopathy_signs", "ibp_items",
                  "areas"}


@pytest.fixture(scope="module")
def clinical() -> CompiledPack:
    return load_pack(None, use_cache=False)


def items_by_id(resource: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The question items (the emergency notices are display items)."""
    return {item["linkId"]: item for item in resource["item"] if item.get("type") != "display"}


def extension(item: dict[str, Any], url_end: str) -> dict[str, Any] | None:
    return next((e for e in item.get("extension", []) if e["url"].endswith(url_end)), None)


# --------------------------------------------------------------------------- Questionnaire


def test_questionnaire_metadata(pack: CompiledPack) -> None:
    r5 = questionnaire(pack, canon=CANON, publisher="Clinique Exemple",
                       published=date(2026, 12, 1))
    Questionnaire.model_validate(r5)
    QuestionnaireR4.model_validate(questionnaire(pack, fhir_version="R4", canon=CANON))
    assert r5["url"] == f"{BASE}/Questionnaire/triage-minimal"
    assert (r5["version"], r5["name"]) == ("1.0.0", "TriageMinimal")
    assert r5["identifier"] == [{"system": f"{BASE}/NamingSystem/triage-pack-content-sha256",
                                 "value": pack.content_hash}]
    assert (r5["publisher"], r5["date"]) == ("Clinique Exemple", "2026-12-01")
    # not reviewed by a clinician: a draft, and experimental
    assert pack.review_status == "draft"
    assert (r5["status"], r5["experimental"]) == ("draft", True)
    default = questionnaire(pack)
    assert default["url"] == f"{PLACEHOLDER_BASE}/Questionnaire/triage-minimal"
    assert default["publisher"] == "triage" and default["date"] == date.today().isoformat()


def test_a_reviewed_pack_is_active(pack_copy: Any) -> None:
    root = pack_copy({"pack.yaml": lambda s: s.replace("  languages:",
                                                       "  review_status: reviewed\n  languages:")})
    reviewed = load_pack(root, use_cache=False)
    assert reviewed.review_status == "reviewed"
    resource = questionnaire(reviewed)
    assert (resource["status"], resource["experimental"]) == ("active", False)
    assert answers_code_system(reviewed)["status"] == "active"


def test_questionnaire_items_follow_the_questions(pack: CompiledPack) -> None:
    items = items_by_id(questionnaire(pack, canon=CANON))
    assert list(items) == [q.id for q in pack.questions]
    assert items["chest_pain"]["type"] == "boolean"
    assert items["chest_pain"]["required"] is True  # a red-flag screen
    assert items["fever"]["required"] is True  # read by a strike contraindication
    assert "required" not in items["blood_thinners"]  # a precaution only
    assert "required" not in items["worry"]
    age = items["age"]
    assert age["type"] == "integer"
    assert [(e["url"].rsplit("/", 1)[1], e.get("valueInteger")) for e in age["extension"]] == [
        ("minValue", 0), ("maxValue", 120), ("questionnaire-unit", None)]
    area = items["area"]
    assert (area["type"], area["answerConstraint"]) == ("coding", "optionsOnly")
    assert area["answerOption"][0]["valueCoding"]["system"] == SYSTEM
    assert area["answerOption"][0]["valueCoding"]["code"] == "area.neck"
    assert area["answerOption"][0]["valueCoding"]["display"] == "Neck"
    assert extension(area, "questionnaire-itemControl") == {
        "url": "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl",
        "valueCodeableConcept": {"coding": [{
            "system": "http://hl7.org/fhir/questionnaire-item-control",
            "code": "radio-button"}]}}
    r4_items = items_by_id(questionnaire(pack, fhir_version="R4"))
    assert r4_items["area"]["type"] == "choice" and "answerConstraint" not in r4_items["area"]


def test_every_multiple_choice_has_an_exclusive_none_option(clinical: CompiledPack) -> None:
    items = items_by_id(questionnaire(clinical))
    multi = [qid for qid, item in items.items() if item.get("repeats")]
    assert multi == [q.id for q in clinical.questions if q.type == MULTI]
    for qid in multi:
        item = items[qid]
        *options, last = item["answerOption"]
        assert last["valueCoding"]["code"] == f"{qid}.{NONE_OPTION}"
        assert last["valueCoding"]["display"] == "None of these"
        assert last["extension"] == [{
            "url": "http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive",
            "valueBoolean": True}]
        assert all("extension" not in o for o in options)
        assert extension(item, "questionnaire-itemControl")["valueCodeableConcept"][
            "coding"][0]["code"] == "check-box"
    # the safety questions among them are required, so "none" must be answerable
    assert {qid for qid in multi if items[qid].get("required")} >= ISSUE_17_MULTI


def test_an_emergency_notice_follows_the_questions_that_decide_it(
        clinical: CompiledPack) -> None:
    items = questionnaire(clinical, lang="fr")["item"]
    ids = [i["linkId"] for i in items]
    notices = [i for i in items if i["type"] == "display"]
    assert [n["linkId"] for n in notices] == [
        f"emergency-notice-after-{qid}" for qid in emergency_notices(clinical)]
    first = next(n for n in notices if n["linkId"].endswith("-emergency_signs"))
    assert ids.index(first["linkId"]) == ids.index("emergency_signs") + 1
    assert first["text"].startswith("Appelez le 911 maintenant.")
    assert first["enableBehavior"] == "any"  # any of the emergency signs, or not sure
    # pack 0.2.16: chest pain 1 to 7 days ago (a doctor today) and a testicle (the emergency
    # department) are no 911 signs
    not_911 = {"chest_pain_days_ago", "testicle_pain"}
    assert {c["answerCoding"]["code"] for c in first["enableWhen"]} == {
        f"emergency_signs.{o.id}" for o in clinical.question_by_id["emergency_signs"].options
        if o.id not in not_911}
    assert ids.index(first["linkId"]) == ids.index("emergency_signs") + 1
    # every emergency red flag has its notice, after the last question it reads
    order = [q.id for q in clinical.questions]
    emergency = [r for r in clinical.rules if r.disposition == "emergency"]
    covered = [r for rules in emergency_notices(clinical).values() for r in rules]
    assert sorted(r.id for r in covered) == sorted(r.id for r in emergency)
    for qid, rules in emergency_notices(clinical).items():
        assert all(max(r.reads, key=order.index) == qid for r in rules)


def test_every_ask_if_becomes_skip_logic(clinical: CompiledPack) -> None:
    items = items_by_id(questionnaire(clinical))
    for q in clinical.questions:
        item = items[q.id]
        expression = extension(item, "sdc-questionnaire-enableWhenExpression")
        if q.ask_if is None:
            assert "enableWhen" not in item and expression is None
            continue
        assert ("enableWhen" in item) != (expression is not None), q.id  # one, not both
        assert not any("ask-if" in e["url"] for e in item.get("extension", []))
    # the seven that used to carry their condition only in a private extension
    for qid in ("injury", "duration", "other_symptoms", "myelopathy_fast"):
        assert items[qid]["enableBehavior"] == "any"  # count(...) >= 1 is an any-of
    for qid in ("spine_injury", "can_walk_4_steps", "first_time"):  # mixed and / or
        found = extension(items[qid], "sdc-questionnaire-enableWhenExpression")
        assert found is not None and found["url"] == ENABLE_WHEN_EXPRESSION
        assert found["valueExpression"]["language"] == "text/fhirpath"
    assert safety_questions(clinical) >= {"injury", "spine_injury", "can_walk_4_steps",
                                          "myelopathy_fast", "first_time"}


def test_units_are_ucum(clinical: CompiledPack, pack: CompiledPack) -> None:
    age = items_by_id(questionnaire(clinical))["age"]
    assert extension(age, "questionnaire-unit")["valueCoding"] == {
        "system": "http://unitsofmeasure.org", "code": "a", "display": "years"}
    french = items_by_id(questionnaire(clinical, lang="fr"))["age"]
    assert extension(french, "questionnaire-unit")["valueCoding"]["display"] == "ans"
    # a pack that gives no UCUM code keeps the words only
    minimal_age = items_by_id(questionnaire(pack))["age"]
    assert extension(minimal_age, "questionnaire-unit")["valueCoding"] == {"display": "years"}


def test_a_unit_code_only_for_numbers(pack_copy: Any) -> None:
    from triage.problems import ProblemsError

    root = pack_copy({"questions.yaml": lambda s: s.replace(
        "    type: yes_no\n    red_flag_screen: true\n  - id: age",
        "    type: yes_no\n    unit_code: a\n    red_flag_screen: true\n  - id: age")})
    with pytest.raises(ProblemsError) as info:
        load_pack(root, use_cache=False)
    assert any("'unit_code' is only for number questions" in p.message
               for p in info.value.problems)


def translations(element: dict[str, Any]) -> dict[str, str]:
    return {e["extension"][0]["valueCode"]: e["extension"][1]["valueString"]
            for e in element["extension"]}


def test_french_questionnaire(clinical: CompiledPack) -> None:
    fr = questionnaire(clinical, lang="fr")
    assert fr["language"] == "fr" and fr["title"].startswith("Massothérapie")
    items = items_by_id(fr)
    age = clinical.question_by_id["age"].text
    assert items["age"]["text"] == age["fr"] and age["fr"] != age["en"]
    assert translations(items["age"]["_text"]) == {"en": age["en"]}
    neck = next(o["valueCoding"] for o in items["areas"]["answerOption"]
                if o["valueCoding"]["code"] == "areas.neck")
    assert neck["display"] == "Cou" and translations(neck["_display"]) == {"en": "Neck"}
    none = items["areas"]["answerOption"][-1]["valueCoding"]
    assert none["display"] == "Aucun de ces choix"
    assert translations(none["_display"]) == {"en": "None of these"}
    # English: every one of the 105 options carries its French words too
    en_items = items_by_id(questionnaire(clinical)).values()
    options = [o["valueCoding"] for i in en_items for o in i.get("answerOption", [])]
    multi = [q for q in clinical.questions if q.type == MULTI]
    assert len(options) == sum(len(q.options) for q in clinical.questions) + len(multi)
    assert all("fr" in translations(o["_display"]) for o in options)
    with pytest.raises(ValueError, match="no texts in 'de'"):
        questionnaire(clinical, lang="de")


# --------------------------------------------------------------------------- CodeSystems


def test_answer_code_system_holds_every_option_code(clinical: CompiledPack) -> None:
    canon = Canon("clinical", BASE)
    resource = answers_code_system(clinical, canon=canon)
    CodeSystem.model_validate(resource)
    codes = {c["code"] for group in resource["concept"] for c in group["concept"]}
    used = {o["valueCoding"]["code"] for i in items_by_id(
                questionnaire(clinical, canon=canon)).values()
            for o in i.get("answerOption", [])}
    assert codes == used
    assert resource["url"] == f"{BASE}/CodeSystem/triage-clinical-answers"
    assert resource["count"] == len(codes) + len(resource["concept"])
    group = resource["concept"][0]
    assert group["code"] == "emergency_signs"
    assert group["property"] == [{"code": "notSelectable", "valueBoolean": True}]
    assert group["concept"][0]["designation"] == [
        {"language": "fr", "value": "Visage affaissé d'un côté"}]


def test_disposition_codes_come_from_the_pack(clinical: CompiledPack,
                                              pack: CompiledPack) -> None:
    resource = dispositions_code_system(clinical)
    CodeSystem.model_validate(resource)
    assert [c["code"] for c in resource["concept"]] == disposition_codes(clinical) == list(
        clinical.dispositions)  # the bundled pack lists them most urgent first
    assert resource["concept"][0]["display"] == "Call 911 now"
    # a pack's own dispositions, in the policy's urgency order, whatever the pack's order
    shuffled = dict(reversed(list(clinical.dispositions.items())))
    clinical_copy = CompiledPack(**{**{f: getattr(clinical, f) for f in (
        "id", "version", "title", "languages", "disclaimer", "both_threshold", "questions",
        "rules", "cases", "content_hash")}, "dispositions": shuffled})
    assert disposition_codes(clinical_copy) == list(clinical.dispositions)
    bundle = code_systems_bundle(pack, canon=CANON)
    assert [e["resource"]["url"] for e in bundle["entry"]] == [
        SYSTEM, f"{BASE}/CodeSystem/triage-minimal-dispositions"]


# --------------------------------------------------------------------------- QuestionnaireResponse


def test_response_is_valid_fhir_r5_and_r4(pack: CompiledPack) -> None:
    normal, _ = check_answers(FULL, pack.shapes)
    outcome = evaluate(pack, normal)
    r5 = questionnaire_response(pack, FULL, WHEN, outcome=outcome, subject="C-17",
                                identifier="rec-1", canon=CANON)
    QuestionnaireResponse.model_validate(r5)
    r4 = questionnaire_response(pack, FULL, WHEN, outcome=outcome.as_dict(), subject="C-17",
                                identifier="rec-1", fhir_version="R4", canon=CANON)
    QuestionnaireResponseR4.model_validate(r4)
    assert r5["questionnaire"] == f"{BASE}/Questionnaire/triage-minimal|1.0.0"
    assert r5["status"] == "completed"
    assert r5["authored"] == "2026-11-26T14:30:00+00:00"
    assert r5["subject"] == {"identifier": {"system": f"{BASE}/NamingSystem/triage-caller-ref",
                                            "value": "C-17"}}
    record = {"system": f"{BASE}/NamingSystem/triage-record-id", "value": "rec-1"}
    assert r5["identifier"] == [record]
    assert r4["identifier"] == record  # 0..1 in R4
    [ext] = r5["extension"]
    assert ext["url"] == f"{BASE}/StructureDefinition/triage-outcome"
    parts = [(e["url"], e.get("valueCoding", {}).get("code") or e.get("valueString"))
             for e in ext["extension"]]
    assert parts == [("disposition", "same_day"), ("mainRedFlag", "fall_cannot_walk"),
                     ("firedRule", "fall_cannot_walk"), ("firedRule", "stiffness_soft_tissue"),
                     ("firedRule", "strain"), ("packHash", pack.content_hash)]
    assert ext["extension"][0]["valueCoding"]["system"] == (
        f"{BASE}/CodeSystem/triage-minimal-dispositions")
    assert r4["extension"] == r5["extension"]  # the same from an Outcome or its dict


def test_response_items_answer_the_questionnaire(pack: CompiledPack) -> None:
    response = questionnaire_response(pack, FULL, WHEN, canon=CANON)
    items = items_by_id(response)
    assert "worry" not in items  # not asked for a neck: FHIR allows no answer there
    assert list(items) == ["chest_pain", "fall", "can_bear_weight", "age", "fever", "area",
                           "problems", "blood_thinners"]
    assert items["chest_pain"]["answer"] == [{"valueBoolean": False}]
    assert items["age"]["answer"] == [{"valueInteger": 60}]
    assert [a["valueCoding"]["code"] for a in items["problems"]["answer"]] == [
        "problems.stiffness", "problems.strain"]  # in the order of the options
    form = items_by_id(questionnaire(pack, canon=CANON))
    value_key = {"boolean": "valueBoolean", "integer": "valueInteger", "coding": "valueCoding",
                 "decimal": "valueDecimal"}
    for qid, item in items.items():
        expected = value_key[form[qid]["type"]]
        assert all(set(a) == {expected} for a in item["answer"])
        if expected == "valueCoding":
            allowed = [{k: v for k, v in o["valueCoding"].items() if k != "_display"}
                       for o in form[qid]["answerOption"]]
            assert all(a["valueCoding"] in allowed for a in item["answer"])


def test_none_is_the_none_option_never_an_empty_list(pack: CompiledPack) -> None:
    response = questionnaire_response(pack, {**FULL, "problems": []}, WHEN, canon=CANON)
    answer = items_by_id(response)["problems"]["answer"]
    assert answer == [{"valueCoding": {"system": SYSTEM, "code": "problems.none-of-these",
                                       "display": "None of these"}}]
    assert answers_from_response(pack, response, canon=CANON)[0]["problems"] == []
    empty = questionnaire_response(pack, {}, WHEN, canon=CANON)
    assert "item" not in empty  # no empty array when nothing was answered


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


# --------------------------------------------------------------------------- responses read back


def test_a_response_reads_back_to_the_same_answers(pack: CompiledPack,
                                                   clinical: CompiledPack) -> None:
    normal, _ = check_answers(FULL, pack.shapes)
    response = questionnaire_response(pack, FULL, WHEN, canon=CANON)
    answers, problems = answers_from_response(pack, response, canon=CANON)
    assert problems == []
    back, _ = check_answers(answers, pack.shapes)
    assert back == {k: v for k, v in normal.items() if k != "worry"}
    for case in clinical.cases:  # every case of the bundled pack, through FHIR and back
        response = questionnaire_response(clinical, case.answers, WHEN)
        answers, problems = answers_from_response(clinical, response)
        assert problems == [], case.id
        assert evaluate(clinical, check_answers(answers, clinical.shapes)[0]).disposition == \
            case.expect, case.id


def refused(pack: CompiledPack, response: dict[str, Any]) -> list[str]:
    _, problems = answers_from_response(pack, response, canon=CANON)
    return [f"{where}: {why}" for where, why in problems]


def test_reading_a_response_fails_closed(pack: CompiledPack) -> None:
    good = questionnaire_response(pack, FULL, WHEN, canon=CANON)

    def edited(change: Any) -> dict[str, Any]:
        copy = json.loads(json.dumps(good))
        change(copy)
        return copy

    def item(resource: dict[str, Any], link_id: str) -> dict[str, Any]:
        return next(i for i in resource["item"] if i["linkId"] == link_id)

    none = {"valueCoding": {"system": SYSTEM, "code": "problems.none-of-these"}}
    negate = {"url": "http://example.org/negated", "valueBoolean": True}
    cases: list[tuple[Any, str]] = [
        (lambda r: item(r, "problems")["answer"].append(none), "'none of these' was chosen"),
        (lambda r: item(r, "area")["answer"][0]["valueCoding"].update(code="area.elbow"),
         "not one of its options"),
        (lambda r: item(r, "area")["answer"][0]["valueCoding"].update(code="problems.strain"),
         "not one of its options"),
        # a code is ours only with our system: never matched by its text alone
        (lambda r: item(r, "area")["answer"][0]["valueCoding"].update(
            system="http://loinc.org"), f"'area': an answer's valueCoding is from another "
                                        f"code system: its code must be from {SYSTEM}"),
        (lambda r: item(r, "area")["answer"][0]["valueCoding"].pop("system"),
         f"'area': an answer's valueCoding has no system: its code must be from {SYSTEM}"),
        (lambda r: item(r, "problems")["answer"][0]["valueCoding"].update(
            system=SYSTEM + "/"), "'problems': an answer's valueCoding is from another"),
        (lambda r: item(r, "area")["answer"].append(item(r, "area")["answer"][0]),
         "takes exactly one option"),
        (lambda r: item(r, "age")["answer"][0].update(valueInteger="60"), "not a number"),
        (lambda r: item(r, "fever").update(answer=[{"valueString": "no"}]),
         "takes one valueBoolean"),
        (lambda r: r["item"].append({"linkId": "shoe_size", "answer": [{"valueInteger": 9}]}),
         "'shoe_size': not a question"),
        (lambda r: r["item"].append(item(r, "fever")), "answered twice"),
        (lambda r: r.update(questionnaire="http://other.example/Questionnaire/x"),
         "another questionnaire"),
        (lambda r: r.update(questionnaire=f"{CANON.questionnaire}|0.9"), "version 0.9"),
        (lambda r: r.update(status="entered-in-error"), "entered-in-error"),
        (lambda r: r.update(status="Entered-in-error"), "status: not a QuestionnaireResponse "
                                                        "status"),
        (lambda r: r.update(status="draft"), "status: not a QuestionnaireResponse status"),
        # a status that is no string (an object, a list) is refused, never an internal error
        (lambda r: r.update(status={}), "status: not a QuestionnaireResponse status"),
        (lambda r: r.update(status=["completed"]), "status: not a QuestionnaireResponse status"),
        (lambda r: r.update(status=1), "status: not a QuestionnaireResponse status"),
        (lambda r: r.update(item={"linkId": "fever"}), "must be a list"),
        # a modifier extension may negate what holds it: FHIR has it refused when not known
        (lambda r: r.update(modifierExtension=[negate]), "modifierExtension"),
        (lambda r: item(r, "fever").update(modifierExtension=[negate]),
         "'fever': has a modifierExtension"),
        (lambda r: item(r, "area")["answer"][0].update(modifierExtension=[negate]),
         "'area': has a modifierExtension"),
    ]
    assert refused(pack, good) == []
    for change, message in cases:
        problems = refused(pack, edited(change))
        assert any(message in p for p in problems), (message, problems)
    # the values given are never repeated in a problem
    secret = edited(lambda r: item(r, "age")["answer"][0].update(valueInteger="secret-77"))
    assert not any("secret-77" in p for p in refused(pack, secret))


@pytest.mark.parametrize("status", ["in-progress", "completed", "amended", "stopped", None])
def test_a_response_in_progress_amended_or_stopped_is_read(pack: CompiledPack,
                                                          status: str | None) -> None:
    # its missing answers are the engine's to refuse (a safety question), not the reader's
    response = questionnaire_response(pack, FULL, WHEN, canon=CANON,
                                     status=status or "completed")
    if status is None:
        del response["status"]
    assert refused(pack, response) == []


def test_an_unanswered_item_stays_unanswered(pack: CompiledPack) -> None:
    response = {"resourceType": "QuestionnaireResponse", "status": "completed", "item": [
        {"linkId": "chest_pain"},  # shown, not answered: never read as "no"
        {"linkId": "group", "item": [{"linkId": "fever", "answer": [{"valueBoolean": True}]}]}]}
    answers, problems = answers_from_response(pack, response)
    assert answers == {"fever": "yes"}
    assert problems == [("item 'group'", "not a question of this pack")]


# --------------------------------------------------------------------------- CLI

runner = CliRunner()


def test_cli_export_questionnaire(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = runner.invoke(app, ["export", "questionnaire", "--pack", str(MINIMAL)])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    Questionnaire.model_validate(data)
    assert data["url"].startswith(PLACEHOLDER_BASE)
    assert "placeholder" in result.stderr and "fhir_base_url" in result.stderr
    out = tmp_path / "q.json"
    result = runner.invoke(app, ["export", "questionnaire", "--pack", str(MINIMAL), "--out",
                                 str(out), "--fhir-version", "R4", "--lang", "fr",
                                 "--base-url", BASE])
    assert result.exit_code == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    QuestionnaireR4.model_validate(data)
    assert data["url"] == f"{BASE}/Questionnaire/triage-minimal"
    assert data["language"] == "fr" and result.stdout == ""
    assert "placeholder" not in result.stderr
    # "-" is standard output, as for batch (it wrote a file named "-")
    monkeypatch.chdir(tmp_path)
    dashed = runner.invoke(app, ["export", "questionnaire", "--pack", str(MINIMAL),
                                 "--out", "-"])
    assert dashed.exit_code == 0, dashed.stderr
    assert json.loads(dashed.stdout)["resourceType"] == "Questionnaire"
    assert not (tmp_path / "-").exists()
    bad = runner.invoke(app, ["export", "questionnaire", "--pack", str(MINIMAL), "--lang", "de"])
    assert bad.exit_code == 2 and "no texts in 'de'" in bad.stderr
    bad = runner.invoke(app, ["export", "questionnaire", "--base-url", "ftp://x/?q"])
    assert bad.exit_code == 2 and "http(s) URL" in bad.stderr


def test_cli_canonical_base_and_publisher_from_the_clinic_config(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIAGE_CONFIG_DIR", str(tmp_path / "config"))
    assert runner.invoke(app, ["config", "set", "fhir_base_url", "not a url"]).exit_code == 2
    for key, value in (("fhir_base_url", BASE), ("clinic_name", "Clinique Exemple")):
        result = runner.invoke(app, ["config", "set", key, value])
        assert result.exit_code == 0, result.stderr
    shown = runner.invoke(app, ["config", "show"])
    assert f"fhir_base_url = {BASE}" in shown.stdout
    result = runner.invoke(app, ["export", "questionnaire", "--pack", str(MINIMAL)])
    data = json.loads(result.stdout)
    assert data["url"] == f"{BASE}/Questionnaire/triage-minimal"
    assert data["publisher"] == "Clinique Exemple"
    result = runner.invoke(app, ["export", "codesystems", "--pack", str(MINIMAL), "--out",
                                 str(tmp_path / "cs.json")])
    assert result.exit_code == 0, result.stderr
    bundle = json.loads((tmp_path / "cs.json").read_text(encoding="utf-8"))
    assert [e["resource"]["url"] for e in bundle["entry"]] == [
        SYSTEM, f"{BASE}/CodeSystem/triage-minimal-dispositions"]


def test_cli_assess_reads_a_questionnaire_response(tmp_path: Path,
                                                   clinical: CompiledPack) -> None:
    case = next(c for c in clinical.cases if c.id == "neck_injury_near_miss_age_64")
    response = questionnaire_response(clinical, case.answers, WHEN)
    path = tmp_path / "qr.json"
    path.write_text(json.dumps(response), encoding="utf-8")
    result = runner.invoke(app, ["assess", "--answers", str(path), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["disposition"] == case.expect == "soft_tissue"
    # the fast path (no typer) reads it too
    from triage.cli.fastpath import checked_answers

    assert checked_answers(clinical, str(path))["areas"] == frozenset({"neck"})
    # a safety question left unanswered in the form: exit 3, no recommendation
    response["item"] = [i for i in response["item"] if i["linkId"] != "today_signs"]
    path.write_text(json.dumps(response), encoding="utf-8")
    result = runner.invoke(app, ["assess", "--answers", str(path), "--format", "json"])
    assert result.exit_code == 3 and "today_signs" in result.stderr
    # anything unreadable: exit 1 and every problem listed
    response["item"][0]["answer"] = [{"valueCoding": {"code": "emergency_signs.nope"}}]
    response["status"] = "entered-in-error"
    path.write_text(json.dumps(response), encoding="utf-8")
    result = runner.invoke(app, ["assess", "--answers", str(path)])
    assert result.exit_code == 1
    assert "entered-in-error" in result.stderr and "item 'emergency_signs'" in result.stderr


def test_cli_assess_lists_a_bad_answer_with_the_responses_other_problems(
        tmp_path: Path, clinical: CompiledPack) -> None:
    # every problem at once: an answer the reader takes (a number) but that is no answer to
    # its question (an age of 500) is listed with the problems the reader found itself, not
    # only in the next run once those are corrected
    case = next(c for c in clinical.cases if c.id == "neck_injury_near_miss_age_64")
    response = questionnaire_response(clinical, case.answers, WHEN)
    next(i for i in response["item"] if i["linkId"] == "age")["answer"] = [
        {"valueInteger": 500}]
    response["item"].append({"linkId": "shoe_size", "answer": [{"valueInteger": 9}]})
    path = tmp_path / "qr.json"
    path.write_text(json.dumps(response, indent=1), encoding="utf-8")
    result = runner.invoke(app, ["assess", "--answers", str(path)])
    assert result.exit_code == 1
    assert "'shoe_size': not a question" in result.stderr
    assert "age: the answer given is out of range for 'age'" in result.stderr
    assert "500" not in result.stderr  # the value itself is never repeated
    # at the line of the age item, as when it is the only problem
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1)
                if '"linkId": "age"' in text)
    assert f"qr.json:{line}:" in result.stderr


def test_cli_assess_refuses_a_code_with_no_system_or_another_at_its_item(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clinical: CompiledPack) -> None:
    monkeypatch.setenv("TRIAGE_CONFIG_DIR", str(tmp_path / "config"))  # no base URL set
    case = next(c for c in clinical.cases if c.id == "neck_injury_near_miss_age_64")
    response = questionnaire_response(clinical, case.answers, WHEN)
    areas = next(i for i in response["item"] if i["linkId"] == "areas")
    del areas["answer"][0]["valueCoding"]["system"]
    monkeypatch.chdir(tmp_path)
    Path("qr.json").write_text(json.dumps(response, indent=1), encoding="utf-8")
    lines = Path("qr.json").read_text(encoding="utf-8").splitlines()
    # at the item's first answer, the one with no system: the line of just "{" before it
    item = next(n for n, text in enumerate(lines, 1) if '"linkId": "areas"' in text)
    line = next(n for n in range(item, len(lines)) if lines[n - 1].strip() == "{")
    column = lines[line - 1].index("{") + 1
    system = Canon(clinical.id).answers_system  # the placeholder base's
    assert system.startswith(PLACEHOLDER_BASE)
    result = runner.invoke(app, ["assess", "--answers", "qr.json"])
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == (f"qr.json:{line}:{column}: item 'areas': an answer's valueCoding "
                             f"has no system: its code must be from {system}\n"
                             "1 problem found.\n")
    areas["answer"][0]["valueCoding"]["system"] = "http://snomed.info/sct"
    Path("qr.json").write_text(json.dumps(response, indent=1), encoding="utf-8")
    result = runner.invoke(app, ["assess", "--answers", "qr.json"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"qr.json:{line}:{column}: item 'areas': an answer's "
                                    f"valueCoding is from another code system: its code "
                                    f"must be from {system}\n")
    assert "snomed" not in result.stderr  # the value given is never repeated


def test_cli_assess_refuses_a_response_that_answers_a_warning_sign_that_does_not_apply(
        tmp_path: Path, clinical: CompiledPack) -> None:
    # a client that ignores enableWhen: the cauda equina sign answered for a shoulder
    case = next(c for c in clinical.cases if c.id == "neck_injury_near_miss_age_64")
    answers = {**case.answers, "areas": ["neck", "low_back"], "ces_signs": ["sexual_change"]}
    response = questionnaire_response(clinical, answers, WHEN)
    areas = next(i for i in response["item"] if i["linkId"] == "areas")
    areas["answer"] = [a for a in areas["answer"]
                       if a["valueCoding"]["code"] != "areas.low_back"]
    path = tmp_path / "qr.json"
    path.write_text(json.dumps(response, indent=1), encoding="utf-8")
    result = runner.invoke(app, ["assess", "--answers", str(path)])
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if '"linkId": "ces_signs"' in text)
    assert f"qr.json:{line}:" in result.stderr
    assert "ces_signs: the answer sexual_change is a warning sign (Cauda equina signs: red " \
        "flag cauda_equina_signs, emergency_department), but ces_signs does not apply with " \
        "the answer to areas" in result.stderr


UCUM = "http://unitsofmeasure.org"


@pytest.mark.parametrize(("quantity", "problem"), [
    # audit finding 1: 64 months (a child of 5) was read as 64 years
    ({"value": 64, "unit": "mo", "system": UCUM}, "must be in the question's unit: code 'a'"),
    ({"value": 64, "unit": "mo", "system": UCUM, "code": "mo"}, "must be in the question's"),
    ({"value": 64, "unit": "wk"}, "must be in the question's unit"),
    ({"value": 64}, "must be in the question's unit"),
    ({"value": 64, "system": "http://snomed.info/sct", "code": "a"}, "must be in the"),
    ({"value": 64, "comparator": ">=", "system": UCUM, "code": "a"}, "has a comparator"),
    ({"value": 64, "comparator": "<", "code": "a"}, "has a comparator"),
    # FHIR qty-3: a code needs its system (it was read as UCUM's)
    ({"value": 64, "code": "a"}, "must be in the question's unit: code 'a' from"),
])
def test_a_quantity_counts_only_in_the_question_s_own_unit(
        clinical: CompiledPack, quantity: dict[str, Any], problem: str) -> None:
    """Fail closed: a quantity is read only when it says it is in the question's UCUM unit
    (a code from another system may mean anything, and ">= 64" is not 64)."""
    case = next(c for c in clinical.cases if c.id == "neck_injury_near_miss_age_64")
    response = questionnaire_response(clinical, case.answers, WHEN)
    items_by_id(response)["age"]["answer"] = [{"valueQuantity": quantity}]
    answers, problems = answers_from_response(clinical, response)
    assert "age" not in answers
    assert len(problems) == 1 and problems[0][0] == "item 'age'" and problem in problems[0][1]
    assert "64" not in problems[0][1]  # the value given is never repeated
    for good in ({"value": 64, "unit": "years", "system": UCUM, "code": "a"},
                 {"value": 64, "system": UCUM, "code": "a"}):
        items_by_id(response)["age"]["answer"] = [{"valueQuantity": good}]
        assert answers_from_response(clinical, response) == ({**answers, "age": 64}, [])


def test_a_quantity_for_a_question_with_no_coded_unit_is_refused(pack: CompiledPack) -> None:
    assert pack.question_by_id["age"].unit_code is None  # "years", as words only
    response = questionnaire_response(pack, FULL, WHEN, canon=CANON)
    items_by_id(response)["age"]["answer"] = [{"valueQuantity": {"value": 60,
                                                                 "unit": "years"}}]
    assert refused(pack, response) == [
        "item 'age': a number question without a UCUM unit takes valueInteger or valueDecimal"]


def test_cli_assess_locates_a_problem_of_a_response_at_its_item(
        tmp_path: Path, clinical: CompiledPack) -> None:
    case = next(c for c in clinical.cases if c.id == "neck_injury_near_miss_age_64")
    response = questionnaire_response(clinical, case.answers, WHEN)
    items_by_id(response)["age"]["answer"] = [{"valueQuantity": {"value": 30, "unit": "mo",
                                                                 "system": UCUM}}]
    response["item"].append({"linkId": "shoe_size", "answer": [{"valueInteger": 9}]})
    response["item"].append({"text": "no linkId"})
    path = tmp_path / "qr.json"
    path.write_text(json.dumps(response, indent=1), encoding="utf-8")
    result = runner.invoke(app, ["assess", "--answers", str(path)])
    assert result.exit_code == 1 and result.stdout == ""
    lines = path.read_text(encoding="utf-8").splitlines()

    def at(link_id: str) -> str:  # where the item's linkId value is
        key = '"linkId": '
        line, col = next((n, t.index(key + f'"{link_id}"') + len(key) + 1)
                         for n, t in enumerate(lines, 1) if key + f'"{link_id}"' in t)
        return f"qr.json:{line}:{col}: "

    assert at("age") + "item 'age': the quantity must be in" in result.stderr
    assert at("shoe_size") + "item 'shoe_size': not a question" in result.stderr
    assert "qr.json:1:1: item[" in result.stderr  # an item without a linkId: the resource


def test_every_wrong_answer_of_an_item_is_a_problem_of_its_own(pack: CompiledPack) -> None:
    """A multiple choice's answers are read one by one: the second wrong code is not left
    for the next run, and each problem says which answer of the item it is about."""
    response = questionnaire_response(pack, FULL, WHEN, canon=CANON)
    answers = items_by_id(response)["problems"]["answer"]
    answers[0]["valueCoding"]["code"] = "problems.strian"
    answers[1]["valueCoding"]["system"] = "http://loinc.org"
    problems = answers_from_response(pack, response, canon=CANON)[1]
    assert [(str(w), getattr(w, "link_id", None), getattr(w, "answer", None))
            for w, _ in problems] == [("item 'problems'", "problems", 0),
                                      ("item 'problems'", "problems", 1)]
    assert "not one of its options" in problems[0][1]
    assert "another code system" in problems[1][1]


def test_cli_assess_locates_each_wrong_answer_of_an_item_at_that_answer(
        tmp_path: Path, clinical: CompiledPack) -> None:
    """As an answers file's list items (tests/cli/test_answers_list_items.py): each wrong
    answer of a FHIR item at its own line:col (the answer's ``{``), all at once."""
    case = next(c for c in clinical.cases if c.id == "neck_injury_near_miss_age_64")
    areas = ["neck", *(o.id for o in clinical.question_by_id["areas"].options[2:4])]
    response = questionnaire_response(clinical, {**case.answers, "areas": areas}, WHEN)
    given = items_by_id(response)["areas"]["answer"]
    given[0]["valueCoding"]["code"] = "areas.lower_back"
    given[2]["valueCoding"]["code"] = "areas.elbw"
    path = tmp_path / "qr.json"
    path.write_text(json.dumps(response, indent=1), encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()

    def at(code: str) -> str:  # the answer's "{", the last line of just "{" before its code
        n = next(n for n, t in enumerate(lines) if f'"code": "{code}"' in t)
        m = next(m for m in range(n, 0, -1) if lines[m].strip() == "{")
        return f"qr.json:{m + 1}:{lines[m].index('{') + 1}: item 'areas': "

    for lang in ("en", "fr"):
        result = runner.invoke(app, ["assess", "--answers", str(path), "--lang", lang])
        assert result.exit_code == 1 and result.stdout == ""
        shown = result.stderr.splitlines()
        wanted = [at("areas.lower_back"), at("areas.elbw")]
        assert len(shown) == 3, shown
        assert all(w in line for line, w in zip(shown, wanted, strict=False)), shown
        assert shown[-1] in ("2 problems found.", "2 problèmes trouvés.")


# --------------------------------------------------------------------------- records export


STATUSES: tuple[Literal["complete", "stopped"], ...] = ("complete", "stopped")


def test_record_exporter_streams_valid_responses(pack: CompiledPack) -> None:
    from triage.records.model import new_record

    normal, _ = check_answers({**FULL, "problems": []}, pack.shapes)
    outcome = evaluate(pack, normal)
    records = [new_record(caller_ref=f"C-{i}", desk="d1", staff="s1", answers=normal,
                          disposition=outcome.disposition, outcome=outcome.as_dict(),
                          pack_id=pack.id, pack_version="0.9.0", pack_hash=pack.content_hash,
                          tool_version="x", status=status)
               for i, status in enumerate(STATUSES)]
    lines = list(record_exporter(pack, canon=CANON)(iter(records)))
    assert len(lines) == 2 and all(line.endswith("\n") for line in lines)
    first, second = (json.loads(line) for line in lines)
    QuestionnaireResponse.model_validate(first)
    assert first["identifier"] == [{"system": f"{BASE}/NamingSystem/triage-record-id",
                                    "value": records[0].id}]
    assert first["subject"]["identifier"]["value"] == "C-0"
    assert first["questionnaire"] == f"{CANON.questionnaire}|0.9.0"  # made with 0.9.0
    assert (first["status"], second["status"]) == ("completed", "stopped")
    # "none" stored as an empty list is exported as the none option
    problems = next(i for i in first["item"] if i["linkId"] == "problems")
    assert [a["valueCoding"]["code"] for a in problems["answer"]] == ["problems.none-of-these"]
    r4 = json.loads(next(record_exporter(pack, fhir_version="R4")(records)))
    QuestionnaireResponseR4.model_validate(r4)
    assert isinstance(r4["identifier"], dict)


def test_record_exporter_names_a_record_that_does_not_fit(pack: CompiledPack) -> None:
    from triage.records.model import new_record

    record = new_record(caller_ref="C-9", desk="d", staff="s", answers={"old_question": "yes"},
                        disposition="emergency", outcome={}, pack_id=pack.id,
                        pack_version="0.1", pack_hash=pack.content_hash, tool_version="x")
    with pytest.raises(ValueError, match=f"record {record.id}: answers not valid"):
        list(record_exporter(pack)([record]))


def test_record_exporter_refuses_a_record_made_with_another_pack(pack: CompiledPack) -> None:
    """Answers that fit, but given to another version of the pack (or the same one edited):
    its questions, words and skip logic need not be this pack's."""
    from triage.records.model import new_record

    normal, _ = check_answers({**FULL, "problems": []}, pack.shapes)
    outcome = evaluate(pack, normal)
    record = new_record(caller_ref="C-9", desk="d", staff="s", answers=normal,
                        disposition=outcome.disposition, outcome=outcome.as_dict(),
                        pack_id=pack.id, pack_version="0.9.0", pack_hash="ab" * 32,
                        tool_version="x")
    with pytest.raises(ValueError, match=f"record {record.id}: made with pack {pack.id} "
                                         r"0\.9\.0 \(abababababab\), not the pack at hand"):
        list(record_exporter(pack)([record]))
