"""HL7 FHIR: a pack as a Questionnaire, a screening as a QuestionnaireResponse (R5 or R4).

Pure functions returning JSON-ready dicts; no FHIR library is needed at run time (the tests
validate the output with ``fhir.resources``).

Mapping
- item ``linkId`` = question id; yes/no -> ``boolean``; single and multiple choice ->
  ``coding`` (R5, with ``answerConstraint: optionsOnly``) or ``choice`` (R4), multiple choice
  with ``repeats``; number -> ``integer`` or ``decimal`` with the minValue/maxValue
  extensions. Options are ``answerOption.valueCoding`` (system = questionnaire url + "/" +
  question id, code = option id). Texts are in the pack's first language, with the others
  in the standard translation extension.
- ``ask_if`` -> ``enableWhen`` when FHIR can say the same thing: ``q == option``,
  ``q in [..]``, ``option in q``, numeric comparisons with a constant, and all-of / any-of
  lists of those. In this project a comparison with an unanswered question is false; FHIR's
  ``!=`` is true when there is no answer, so ``!=`` / ``not in`` also get an
  ``exists = true`` clause (hence only inside all-of). Anything else (``count``/``sum``,
  ``not``, all-of inside any-of, ...) is not turned into an expression: the item carries the
  condition as text in the :data:`ASK_IF_EXTENSION` extension and has no ``enableWhen``, so a
  form shows it always; answers to questions that do not apply are ignored by the engine.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime
from typing import Any, Literal, Protocol

from triage.conditions.tree import (
    MULTI,
    NUMBER,
    SINGLE,
    YES_NO,
    And,
    Answer,
    Compare,
    Cond,
    Const,
    Count,
    Has,
    Is,
    Not,
    Number,
    NumExpr,
    Or,
    Sum,
)
from triage.engine.answers import check_answers
from triage.engine.evaluate import Outcome, question_states
from triage.pack.compiled import CompiledPack
from triage.pack.specs import QuestionSpec, Text

FhirVersion = Literal["R4", "R5"]
FHIR_VERSIONS: tuple[FhirVersion, ...] = ("R4", "R5")

EXTENSION_BASE = "urn:triage:fhir:StructureDefinition"
ASK_IF_EXTENSION = f"{EXTENSION_BASE}:ask-if"  # valueString: the condition, not expressible
OUTCOME_EXTENSION = f"{EXTENSION_BASE}:outcome"  # on a QuestionnaireResponse
PACK_HASH_SYSTEM = "urn:triage:pack-content-sha256"
TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
UNIT = "http://hl7.org/fhir/StructureDefinition/questionnaire-unit"


def default_url(pack: CompiledPack) -> str:
    return f"urn:triage:questionnaire:{pack.id}"


def _fhir_id(text: str) -> str:
    """A FHIR resource id ([A-Za-z0-9-.]{1,64}) from a pack id."""
    return re.sub(r"[^A-Za-z0-9.-]", "-", text)[:64] or "pack"


def _computable_name(text: str) -> str:
    """Questionnaire.name: a capital letter, then letters, digits and underscores."""
    return "Triage" + "".join(p.capitalize() for p in re.split(r"[^A-Za-z0-9]+", text) if p)


def _text(pack: CompiledPack, field: str, text: Text | None) -> dict[str, Any]:
    """``{field: default language text, _field: translations}``."""
    if not text:
        return {}
    out: dict[str, Any] = {field: pack.text(text, pack.default_language)}
    others = [(lang, text[lang]) for lang in pack.languages[1:] if text.get(lang)]
    if others:
        out[f"_{field}"] = {"extension": [
            {"url": TRANSLATION, "extension": [{"url": "lang", "valueCode": lang},
                                               {"url": "content", "valueString": value}]}
            for lang, value in others]}
    return out


def _coding(pack: CompiledPack, url: str, q: QuestionSpec, option_id: str) -> dict[str, Any]:
    option = next((o for o in q.options if o.id == option_id), None)
    coding: dict[str, Any] = {"system": f"{url}/{q.id}", "code": option_id}
    if option is not None:
        coding["display"] = pack.text(option.text, pack.default_language)
    return coding


def _item_type(q: QuestionSpec, version: FhirVersion) -> str:
    if q.type == YES_NO:
        return "boolean"
    if q.type in (SINGLE, MULTI):
        return "coding" if version == "R5" else "choice"
    return "integer" if q.integer else "decimal"


def _number_value(q: QuestionSpec, value: float | int) -> dict[str, Any]:
    if q.integer:
        return {"valueInteger": int(value)}
    return {"valueDecimal": value}


# --------------------------------------------------------------------------- enableWhen


class _NotExpressible(Exception):
    pass


def enable_when(pack: CompiledPack, url: str, cond: Cond,
                ) -> tuple[list[dict[str, Any]], str | None] | None:
    """(enableWhen list, enableBehavior) with the meaning of ``cond``, or None if FHIR cannot
    say it. ``enableBehavior`` is None when there is at most one clause."""
    try:
        if isinstance(cond, Const):
            if cond.value:
                return [], None
            raise _NotExpressible  # never asked: no enableWhen says "never"
        if isinstance(cond, Or):
            clauses = [c for item in cond.items for c in _any_clauses(pack, url, item)]
            return clauses, ("any" if len(clauses) > 1 else None)
        if isinstance(cond, Is) and not cond.negate and len(cond.options) > 1:
            clauses = _any_clauses(pack, url, cond)
            return clauses, "any"
        items = cond.items if isinstance(cond, And) else (cond,)
        clauses = [c for item in items for c in _all_clauses(pack, url, item)]
        return clauses, ("all" if len(clauses) > 1 else None)
    except _NotExpressible:
        return None


def _any_clauses(pack: CompiledPack, url: str, cond: Cond) -> list[dict[str, Any]]:
    """Clauses any one of which makes ``cond`` true (only positive tests qualify)."""
    if isinstance(cond, Is) and not cond.negate:
        q = pack.question_by_id[cond.question]
        return [_equals(pack, url, q, opt) for opt in _in_order(q, cond.options)]
    clauses = _all_clauses(pack, url, cond)
    if len(clauses) != 1:
        raise _NotExpressible  # an all-of inside an any-of
    return clauses


def _all_clauses(pack: CompiledPack, url: str, cond: Cond) -> list[dict[str, Any]]:
    """Clauses all of which together mean ``cond``."""
    if isinstance(cond, Is):
        q = pack.question_by_id[cond.question]
        if not cond.negate:
            if len(cond.options) != 1:
                raise _NotExpressible  # an any-of inside an all-of
            return [_equals(pack, url, q, next(iter(cond.options)))]
        return [_exists(q), *(_not_equals(pack, url, q, opt)
                              for opt in _in_order(q, cond.options))]
    if isinstance(cond, Has):
        q = pack.question_by_id[cond.question]
        if cond.negate:
            return [_exists(q), _not_equals(pack, url, q, cond.option)]
        return [_equals(pack, url, q, cond.option)]
    if isinstance(cond, Compare):
        return _compare(pack, cond)
    if isinstance(cond, And):
        return [c for item in cond.items for c in _all_clauses(pack, url, item)]
    if isinstance(cond, Const) and cond.value:
        return []
    raise _NotExpressible


_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


def _compare(pack: CompiledPack, cond: Compare) -> list[dict[str, Any]]:
    left, right, op = cond.left, cond.right, cond.op
    if isinstance(left, Number) and isinstance(right, Answer):
        left, right, op = right, left, _FLIP[op]
    if not (isinstance(left, Answer) and isinstance(right, Number)):
        raise _NotExpressible  # counts, sums, two questions
    q = pack.question_by_id[left.question]
    value = right.value
    if value in (float("inf"), float("-inf")) or (q.integer and not value.is_integer()):
        raise _NotExpressible
    answer = _number_value(q, int(value) if value.is_integer() else value)
    if op == "!=":
        return [_exists(q), {"question": q.id, "operator": "!=", **_answer_key(answer)}]
    operator = "=" if op == "==" else op
    return [{"question": q.id, "operator": operator, **_answer_key(answer)}]


def _answer_key(value: dict[str, Any]) -> dict[str, Any]:
    """``valueInteger`` -> ``answerInteger`` (enableWhen names its value answer[x])."""
    return {"answer" + k.removeprefix("value"): v for k, v in value.items()}


def _equals(pack: CompiledPack, url: str, q: QuestionSpec, option: str) -> dict[str, Any]:
    return {"question": q.id, "operator": "=", **_option_answer(pack, url, q, option)}


def _not_equals(pack: CompiledPack, url: str, q: QuestionSpec, option: str) -> dict[str, Any]:
    return {"question": q.id, "operator": "!=", **_option_answer(pack, url, q, option)}


def _exists(q: QuestionSpec) -> dict[str, Any]:
    return {"question": q.id, "operator": "exists", "answerBoolean": True}


def _option_answer(pack: CompiledPack, url: str, q: QuestionSpec, option: str,
                   ) -> dict[str, Any]:
    if q.type == YES_NO:
        return {"answerBoolean": option == "yes"}
    return {"answerCoding": _coding(pack, url, q, option)}


def _in_order(q: QuestionSpec, options: frozenset[str]) -> list[str]:
    return [c for c in q.choices if c in options]


def condition_text(node: Cond | NumExpr) -> str:
    """A condition in the pack's own syntax (scores appear expanded)."""
    if isinstance(node, Const):
        return "true" if node.value else "false"
    if isinstance(node, Is):
        opts = sorted(node.options)
        if len(opts) == 1:
            return f"{node.question} {'!=' if node.negate else '=='} {opts[0]}"
        return f"{node.question} {'not in' if node.negate else 'in'} [{', '.join(opts)}]"
    if isinstance(node, Has):
        return f"{node.option} {'not in' if node.negate else 'in'} {node.question}"
    if isinstance(node, Compare):
        return f"{condition_text(node.left)} {node.op} {condition_text(node.right)}"
    if isinstance(node, And | Or):
        joiner = " and " if isinstance(node, And) else " or "
        return joiner.join(_grouped(i) for i in node.items)
    if isinstance(node, Not):
        return f"not {_grouped(node.item)}"
    if isinstance(node, Number):
        return str(int(node.value)) if node.value.is_integer() else str(node.value)
    if isinstance(node, Answer):
        return node.question
    if isinstance(node, Count):
        return f"count({', '.join(condition_text(i) for i in node.items)})"
    assert isinstance(node, Sum)
    return f"sum({', '.join(condition_text(i) for i in node.items)})"


def _grouped(node: Cond) -> str:
    text = condition_text(node)
    return f"({text})" if isinstance(node, And | Or) else text


# --------------------------------------------------------------------------- Questionnaire


def questionnaire(pack: CompiledPack, *, fhir_version: FhirVersion = "R5",
                  url: str | None = None) -> dict[str, Any]:
    """The pack as a FHIR Questionnaire resource (a JSON-ready dict)."""
    url = url or default_url(pack)
    items = [_question_item(pack, url, q, fhir_version) for q in pack.questions]
    resource: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": _fhir_id(pack.id),
        "language": pack.default_language,
        "url": url,
        "identifier": [{"system": PACK_HASH_SYSTEM, "value": pack.content_hash}],
        "version": pack.version,
        "name": _computable_name(pack.id),
        **_text(pack, "title", pack.title),
        "status": "active",
        "subjectType": ["Patient"],
        **_text(pack, "description", pack.disclaimer),
        "item": items,
    }
    return resource


def _question_item(pack: CompiledPack, url: str, q: QuestionSpec,
                   version: FhirVersion) -> dict[str, Any]:
    item: dict[str, Any] = {"linkId": q.id, **_text(pack, "text", q.text),
                            "type": _item_type(q, version)}
    extensions: list[dict[str, Any]] = []
    expressible = True
    if q.ask_if is not None:
        found = enable_when(pack, url, q.ask_if)
        if found is None:
            expressible = False
            extensions.append({"url": ASK_IF_EXTENSION,
                               "valueString": condition_text(q.ask_if)})
        else:
            clauses, behavior = found
            if clauses:
                item["enableWhen"] = clauses
            if behavior:
                item["enableBehavior"] = behavior
    # Red-flag screening questions must be answered when they apply (the engine fails closed
    # without them); not when the form cannot know whether they apply.
    if q.red_flag_screen and expressible:
        item["required"] = True
    if q.type == MULTI:
        item["repeats"] = True
    if q.type in (SINGLE, MULTI):
        if version == "R5":
            item["answerConstraint"] = "optionsOnly"
        item["answerOption"] = [{"valueCoding": _coding(pack, url, q, o.id)}
                                for o in q.options]
    if q.type == NUMBER:
        for ext_url, bound in ((MIN_VALUE, q.min), (MAX_VALUE, q.max)):
            if bound is not None:
                extensions.append({"url": ext_url, **_number_value(q, bound)})
        if q.unit:
            extensions.append({"url": UNIT, "valueCoding": {
                "display": pack.text(q.unit, pack.default_language)}})
    if extensions:
        item["extension"] = extensions
    return item


# --------------------------------------------------------------------------- QuestionnaireResponse


def questionnaire_response(
    pack: CompiledPack,
    answers: Mapping[str, Any],
    authored: datetime,
    *,
    outcome: Outcome | Mapping[str, Any] | None = None,
    subject: str | None = None,
    identifier: str | None = None,
    identifier_system: str | None = None,
    status: str = "completed",
    fhir_version: FhirVersion = "R5",
    url: str | None = None,
    pack_version: str | None = None,
) -> dict[str, Any]:
    """A screening as a FHIR QuestionnaireResponse (a JSON-ready dict).

    ``answers``: question id -> answer in any form ``triage assess`` accepts (stored records'
    lists and normal forms included); ValueError names the questions whose answers are not
    valid (never the values). Only answers to questions that apply are included: FHIR does
    not allow answers to disabled items. ``authored`` must carry a time zone. ``subject`` is
    a caller reference (put in ``subject.identifier``); ``identifier`` a record id.
    ``outcome`` (an Outcome or its ``as_dict()``) adds the disposition, main red flag and
    fired rule ids in the :data:`OUTCOME_EXTENSION` extension. ``pack_version``: the version
    of the pack the screening was made with, when not ``pack``'s own (a stored record).
    """
    if authored.tzinfo is None or authored.utcoffset() is None:
        raise ValueError("authored must carry a time zone")
    url = url or default_url(pack)
    normal, problems = check_answers(answers, pack.shapes)
    if problems:
        raise ValueError("answers not valid for this pack: "
                         + ", ".join(sorted({key for key, _ in problems})))
    applicable = question_states(pack, normal).applicable
    items = []
    for q in pack.questions:
        if q.id in applicable:
            # the text in one language only: a response records what was answered, and the
            # translations are in the Questionnaire
            items.append({"linkId": q.id, "text": pack.text(q.text, pack.default_language),
                          "answer": _answers(pack, url, q, applicable[q.id])})
    resource: dict[str, Any] = {"resourceType": "QuestionnaireResponse"}
    if identifier is not None:
        ident: dict[str, Any] = {"value": identifier}
        if identifier_system:
            ident["system"] = identifier_system
        resource["identifier"] = [ident] if fhir_version == "R5" else ident  # R4: 0..1
    resource["questionnaire"] = f"{url}|{pack_version or pack.version}"
    resource["status"] = status
    if subject is not None:
        resource["subject"] = {"identifier": {"value": subject}}
    resource["authored"] = authored.isoformat()
    if outcome is not None:
        resource["extension"] = [_outcome_extension(pack, outcome)]
    resource["item"] = items
    return resource


def _answers(pack: CompiledPack, url: str, q: QuestionSpec, value: Any) -> list[dict[str, Any]]:
    if q.type == YES_NO:
        return [{"valueBoolean": value == "yes"}]
    if q.type == SINGLE:
        return [{"valueCoding": _coding(pack, url, q, value)}]
    if q.type == MULTI:
        return [{"valueCoding": _coding(pack, url, q, o)} for o in _in_order(q, value)]
    return [_number_value(q, value)]


def _outcome_extension(pack: CompiledPack, outcome: Outcome | Mapping[str, Any],
                       ) -> dict[str, Any]:
    if isinstance(outcome, Outcome):
        disposition, main = outcome.disposition, outcome.main_red_flag
        fired = [r.id for r in outcome.fired]
        pack_hash = outcome.pack_hash
    else:
        disposition, main = outcome["disposition"], outcome.get("main_red_flag")
        fired = [r["id"] if isinstance(r, Mapping) else str(r)
                 for r in outcome.get("fired", [])]
        pack_hash = (outcome.get("pack") or {}).get("hash", pack.content_hash)
    parts: list[dict[str, Any]] = [{"url": "disposition", "valueCode": disposition}]
    if main:
        parts.append({"url": "mainRedFlag", "valueString": main})
    parts += [{"url": "firedRule", "valueString": rule_id} for rule_id in fired]
    parts.append({"url": "packHash", "valueString": pack_hash})
    return {"url": OUTCOME_EXTENSION, "extension": parts}


# --------------------------------------------------------------------------- records export


class StoredScreening(Protocol):
    """What :func:`record_exporter` reads of a stored record (``triage.records.Record``)."""

    @property
    def id(self) -> str: ...
    @property
    def created_at(self) -> str: ...
    @property
    def caller_ref(self) -> str: ...
    @property
    def pack_version(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def disposition(self) -> str: ...
    @property
    def answers(self) -> Mapping[str, Any]: ...
    @property
    def outcome(self) -> Mapping[str, Any]: ...


RECORD_SYSTEM = "urn:triage:record"
_RECORD_STATUS = {"complete": "completed", "stopped": "stopped"}


def record_exporter(pack: CompiledPack, *, fhir_version: FhirVersion = "R5",
                    url: str | None = None,
                    ) -> Callable[[Iterable[StoredScreening]], Iterator[str]]:
    """The "fhir" exporter for ``triage.records.export.export_lines``: one
    QuestionnaireResponse per record, one JSON object per line (FHIR NDJSON), streamed.

    A record whose answers do not fit ``pack`` (made with another pack) raises ValueError
    naming the record, rather than being left out of the export.
    """
    def lines(records: Iterable[StoredScreening]) -> Iterator[str]:
        for record in records:
            authored = datetime.fromisoformat(record.created_at.replace("Z", "+00:00"))
            outcome = {**record.outcome, "disposition": record.disposition}
            try:
                resource = questionnaire_response(
                    pack, record.answers, authored, outcome=outcome,
                    subject=record.caller_ref, identifier=record.id,
                    identifier_system=RECORD_SYSTEM,
                    status=_RECORD_STATUS.get(record.status, "completed"),
                    fhir_version=fhir_version, url=url, pack_version=record.pack_version)
            except ValueError as exc:
                raise ValueError(f"record {record.id}: {exc}") from None
            yield json.dumps(resource, ensure_ascii=False, sort_keys=False) + "\n"
    return lines
