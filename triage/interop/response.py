"""Screenings as FHIR QuestionnaireResponses, out (records export) and in (any FHIR client).

Out: only answers to questions that apply (FHIR allows no answer to a disabled item); a
multiple choice answered "none" is the "none of these" option, never an empty list (FHIR
JSON forbids empty arrays, and "answered none" must stay distinct from "not answered",
which the engine treats as a safety stop).

In (:func:`answers_from_response`): a response filled in any FHIR client becomes an answers
dict for the engine. Fail-closed: anything that cannot be read for sure (an unknown item or
code, a code from another system, "none" together with an option, two answers to a
single choice, a response to another questionnaire) is a problem, and the whole response is
refused; an item with no answer is "not answered", which the engine never reads as "no".
Problems name the item, never the value given.

A choice answer's ``valueCoding`` must name the pack's answers CodeSystem
(:attr:`Canon.answers_system`, what the exported Questionnaire's answerOptions and this
module's own responses carry) as its ``system``: a Coding's code means something only in its
system, so a code with no system, or from another one, is never matched by its text alone
(``area.knee`` from another code system need not be our knee).

``status``: ``entered-in-error`` is refused (the response says its own answers are wrong);
``in-progress``, ``completed``, ``amended`` and ``stopped`` (what the records export writes
for a screening stopped part way) are read, their missing answers left unanswered for the
engine, which refuses a missing safety question; a status that is no QuestionnaireResponse
status (a misspelt ``Entered-in-error`` included: FHIR codes are case-sensitive) is refused,
since what it says about the answers is unknown. A response with no status is read: FHIR
requires one, but its absence says nothing against the answers.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime
from typing import Any, Protocol

from triage.conditions.tree import MULTI, NUMBER, SINGLE, YES_NO
from triage.engine.answers import check_answers
from triage.engine.evaluate import Outcome, question_states
from triage.interop.fhir_common import (
    NONE_OPTION,
    UCUM,
    Canon,
    FhirVersion,
    coding,
    number_value,
    option_code,
)
from triage.interop.questionnaire import NOTICE_PREFIX
from triage.pack.compiled import CompiledPack
from triage.pack.specs import QuestionSpec

_IN_ORDER_NONE: tuple[str, ...] = (NONE_OPTION,)


def questionnaire_response(
    pack: CompiledPack,
    answers: Mapping[str, Any],
    authored: datetime,
    *,
    outcome: Outcome | Mapping[str, Any] | None = None,
    subject: str | None = None,
    identifier: str | None = None,
    status: str = "completed",
    fhir_version: FhirVersion = "R5",
    canon: Canon | None = None,
    pack_version: str | None = None,
) -> dict[str, Any]:
    """A screening as a FHIR QuestionnaireResponse (a JSON-ready dict).

    ``answers``: question id -> answer in any form ``triage assess`` accepts (stored records'
    lists and normal forms included); ValueError names the questions whose answers are not
    valid (never the values). ``authored`` must carry a time zone. ``subject`` is a caller
    reference (``subject.identifier``), ``identifier`` a record id. ``outcome`` (an Outcome or
    its ``as_dict()``) adds the disposition, main red flag and fired rules in the outcome
    extension. ``pack_version``: the version the screening was made with, when not the
    pack's own (a stored record).
    """
    if authored.tzinfo is None or authored.utcoffset() is None:
        raise ValueError("authored must carry a time zone")
    canon = canon or Canon(pack.id)
    normal, problems = check_answers(answers, pack.shapes)
    if problems:
        raise ValueError("answers not valid for this pack: "
                         + ", ".join(sorted({key for key, _ in problems})))
    applicable = question_states(pack, normal).applicable
    lang = pack.default_language
    items = [{"linkId": q.id, "text": pack.text(q.text, lang),
              "answer": _answers(pack, canon, q, applicable[q.id])}
             for q in pack.questions if q.id in applicable]
    resource: dict[str, Any] = {"resourceType": "QuestionnaireResponse"}
    if identifier is not None:
        ident = {"system": canon.record_system, "value": identifier}
        resource["identifier"] = [ident] if fhir_version == "R5" else ident  # R4: 0..1
    resource["questionnaire"] = f"{canon.questionnaire}|{pack_version or pack.version}"
    resource["status"] = status
    if subject is not None:
        resource["subject"] = {"identifier": {"system": canon.caller_ref_system,
                                              "value": subject}}
    resource["authored"] = authored.isoformat()
    if outcome is not None:
        resource["extension"] = [outcome_extension(pack, canon, outcome)]
    if items:
        resource["item"] = items
    return resource


def _answers(pack: CompiledPack, canon: Canon, q: QuestionSpec, value: Any,
             ) -> list[dict[str, Any]]:
    lang = pack.default_language
    if q.type == YES_NO:
        return [{"valueBoolean": value == "yes"}]
    if q.type == SINGLE:
        return [{"valueCoding": coding(pack, canon, q, value, lang, translations=False)}]
    if q.type == MULTI:
        chosen = [o.id for o in q.options if o.id in value] or list(_IN_ORDER_NONE)
        return [{"valueCoding": coding(pack, canon, q, o, lang, translations=False)}
                for o in chosen]
    return [number_value(q, value)]


def outcome_extension(pack: CompiledPack, canon: Canon, outcome: Outcome | Mapping[str, Any],
                      ) -> dict[str, Any]:
    """The engine's outcome: disposition (a Coding), main red flag, fired rules, pack hash."""
    if isinstance(outcome, Outcome):
        disposition, main = outcome.disposition, outcome.main_red_flag
        fired = [r.id for r in outcome.fired]
        pack_hash = outcome.pack_hash
    else:
        disposition, main = outcome["disposition"], outcome.get("main_red_flag")
        fired = [r["id"] if isinstance(r, Mapping) else str(r)
                 for r in outcome.get("fired", [])]
        pack_hash = (outcome.get("pack") or {}).get("hash", pack.content_hash)
    shown = pack.dispositions.get(disposition, {}).get("label")
    code: dict[str, Any] = {"system": canon.dispositions_system, "code": disposition}
    if shown:
        code["display"] = pack.text(shown, pack.default_language)
    parts: list[dict[str, Any]] = [{"url": "disposition", "valueCoding": code}]
    if main:
        parts.append({"url": "mainRedFlag", "valueString": main})
    parts += [{"url": "firedRule", "valueString": rule_id} for rule_id in fired]
    parts.append({"url": "packHash", "valueString": pack_hash})
    return {"url": canon.extension("outcome"), "extension": parts}


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
    def pack_id(self) -> str: ...
    @property
    def pack_version(self) -> str: ...
    @property
    def pack_hash(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def disposition(self) -> str: ...
    @property
    def answers(self) -> Mapping[str, Any]: ...
    @property
    def outcome(self) -> Mapping[str, Any]: ...


_RECORD_STATUS = {"complete": "completed", "stopped": "stopped"}


def record_exporter(pack: CompiledPack, *, fhir_version: FhirVersion = "R5",
                    canon: Canon | None = None,
                    ) -> Callable[[Iterable[StoredScreening]], Iterator[str]]:
    """The "fhir" exporter for ``triage.records.export.export_lines``: one
    QuestionnaireResponse per record, one JSON object per line (FHIR NDJSON), streamed.

    A record made with another pack than ``pack`` (another content hash: another pack,
    another version, or the same one edited) raises ValueError naming the record, rather
    than being left out of the export or exported with ``pack``'s questions, words and
    skip logic, which need not be the ones its answers were given to.
    """
    def lines(records: Iterable[StoredScreening]) -> Iterator[str]:
        for record in records:
            if record.pack_hash != pack.content_hash:
                raise ValueError(
                    f"record {record.id}: made with pack {record.pack_id} "
                    f"{record.pack_version} ({record.pack_hash[:12]}), not the pack at hand "
                    f"({pack.id} {pack.version}, {pack.content_hash[:12]})")
            authored = datetime.fromisoformat(record.created_at.replace("Z", "+00:00"))
            outcome = {**record.outcome, "disposition": record.disposition}
            try:
                resource = questionnaire_response(
                    pack, record.answers, authored, outcome=outcome,
                    subject=record.caller_ref, identifier=record.id,
                    status=_RECORD_STATUS.get(record.status, "completed"),
                    fhir_version=fhir_version, canon=canon, pack_version=record.pack_version)
            except ValueError as exc:
                raise ValueError(f"record {record.id}: {exc}") from None
            yield json.dumps(resource, ensure_ascii=True) + "\n"
    return lines


# --------------------------------------------------------------------------- import


def is_questionnaire_response(data: Any) -> bool:
    return isinstance(data, Mapping) and data.get("resourceType") == "QuestionnaireResponse"


_REFUSED_STATUS = frozenset({"entered-in-error"})
_READ_STATUS = frozenset({"in-progress", "completed", "amended", "stopped"})
_VALUE_KEYS = ("valueBoolean", "valueCoding", "valueInteger", "valueDecimal", "valueQuantity",
               "valueString", "valueDate", "valueDateTime", "valueTime", "valueUri",
               "valueAttachment", "valueReference")


def answers_from_response(pack: CompiledPack, resource: Mapping[str, Any], *,
                          canon: Canon | None = None,
                          ) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """(answers in the form ``triage assess`` reads, [(where, problem)]) from a
    QuestionnaireResponse. Any problem means the answers must not be used."""
    canon = canon or Canon(pack.id)
    problems: list[tuple[str, str]] = []
    status = resource.get("status")
    if not isinstance(status, str | None):  # an object or a list: no status (a set lookup
        status = ""  # of it raised TypeError, an internal error): refused just below
    if status in _REFUSED_STATUS:
        problems.append(("status", "the response is marked entered-in-error"))
    elif status is not None and status not in _READ_STATUS:
        problems.append(("status", "not a QuestionnaireResponse status (in-progress, "
                                   "completed, amended, stopped; entered-in-error is "
                                   "refused)"))
    _modifiers(resource, "modifierExtension", problems)
    wanted = resource.get("questionnaire")
    if wanted is not None:
        url, _, version = str(wanted).partition("|")
        if url != canon.questionnaire:
            problems.append(("questionnaire", f"the response answers another questionnaire "
                                              f"(this pack's is {canon.questionnaire})"))
        elif version and version != pack.version:
            problems.append(("questionnaire", f"the response answers version {version} of the "
                                              f"questionnaire; the pack is version "
                                              f"{pack.version}"))
    answers: dict[str, Any] = {}
    for link_id, given in _items(resource.get("item"), "item", problems):
        q = pack.question_by_id.get(link_id)
        if q is None and not given and link_id.startswith(NOTICE_PREFIX):
            continue  # the "call 911" notice: a display item, never answered
        if q is None:
            problems.append((_item(link_id), "not a question of this pack"))
            continue
        if not given:  # shown but not answered: never read as an answer
            continue
        if link_id in answers:
            problems.append((_item(link_id), "answered twice"))
            continue
        value = _answer(canon, q, given, problems)
        if value is not None:
            answers[link_id] = value
    return answers, problems


class Place(str):
    """Where a problem is in a response, as it is shown (``item 'age'``), with the linkId
    of the item it is in (None: the resource itself), to find that item in the file, and
    the place of the answer in its ``answer`` list the problem is about (None: the item)."""

    link_id: str | None = None
    answer: int | None = None


def _item(link_id: str, answer: int | None = None) -> Place:
    place = Place(f"item {link_id!r}")
    place.link_id, place.answer = link_id, answer
    return place


def _items(items: Any, where: str, problems: list[tuple[str, str]],
           ) -> Iterator[tuple[str, list[Any]]]:
    """(linkId, answers) of every item, groups and items nested under answers included."""
    if items is None:
        return
    if not isinstance(items, list):
        problems.append((where, "must be a list"))
        return
    for i, item in enumerate(items):
        if not isinstance(item, Mapping) or not isinstance(item.get("linkId"), str):
            place = Place(f"{where}[{i}]")  # found in the file as its parent item
            place.link_id = getattr(where, "link_id", None)
            problems.append((place, "an item needs a linkId"))
            continue
        here = _item(item["linkId"])
        _modifiers(item, here, problems)
        given = item.get("answer")
        if given is not None and not isinstance(given, list):
            problems.append((here, "answer must be a list"))
            continue
        yield from _items(item.get("item"), here, problems)
        for answer in given or ():
            if isinstance(answer, Mapping):
                _modifiers(answer, here, problems)
                yield from _items(answer.get("item"), here, problems)
        yield item["linkId"], given or []


def _modifiers(node: Mapping[str, Any], where: str, problems: list[tuple[str, str]]) -> None:
    """A modifier extension changes the meaning of what holds it (it may negate an answer);
    FHIR has a reader that does not know it refuse the element. triage knows none."""
    if node.get("modifierExtension"):
        problems.append((where, "has a modifierExtension, which may change its meaning and "
                                "which triage does not understand"))


def _answer(canon: Canon, q: QuestionSpec, given: list[Any],
            problems: list[tuple[str, str]]) -> Any:
    where = _item(q.id)
    values: list[tuple[str, Any]] = []
    for n, answer in enumerate(given):
        keys = [k for k in (answer if isinstance(answer, Mapping) else ()) if k in _VALUE_KEYS]
        if len(keys) != 1:
            problems.append((_item(q.id, n), "each answer needs exactly one value[x]"))
            return None
        values.append((keys[0], answer[keys[0]]))
    if q.type == YES_NO:
        if len(values) != 1 or values[0][0] != "valueBoolean" \
                or not isinstance(values[0][1], bool):
            problems.append((where, "a yes/no question takes one valueBoolean"))
            return None
        return "yes" if values[0][1] else "no"
    if q.type == NUMBER:
        return _number(q, values, where, problems)
    options: list[str] = []
    before = len(problems)  # every answer checked, each problem at its own answer
    for n, (key, value) in enumerate(values):
        coded = value if key == "valueCoding" and isinstance(value, Mapping) else None
        if coded is not None and coded.get("system") != canon.answers_system:
            # the system given is a value from the file: not repeated (nor is the code)
            said = ("has no system" if coded.get("system") is None
                    else "is from another code system")
            problems.append((_item(q.id, n), f"an answer's valueCoding {said}: its code "
                                             f"must be from {canon.answers_system}"))
            continue
        option = _option(q, coded)
        if option is None:
            problems.append((_item(q.id, n), f"an answer is not one of its options (codes "
                             f"{option_code(q, '...')} from {canon.answers_system})"))
            continue
        options.append(option)
    if len(problems) > before:
        return None
    if q.type == SINGLE:
        if len(options) != 1 or options[0] == NONE_OPTION:
            problems.append((where, "a single-choice question takes exactly one option"))
            return None
        return options[0]
    if NONE_OPTION in options and len(options) > 1:
        problems.append((where, "'none of these' was chosen together with other options"))
        return None
    return [o for o in options if o != NONE_OPTION]


def _option(q: QuestionSpec, coding: Mapping[str, Any] | None) -> str | None:
    """The option a Coding of the pack's answers system (checked by the caller) names; None
    for any other value."""
    if coding is None:
        return None
    code = coding.get("code")
    prefix = f"{q.id}."
    if not isinstance(code, str) or not code.startswith(prefix):
        return None
    option = code.removeprefix(prefix)
    allowed = {o.id for o in q.options} | ({NONE_OPTION} if q.type == MULTI else set())
    return option if option in allowed else None


def _number(q: QuestionSpec, values: list[tuple[str, Any]], where: str,
            problems: list[tuple[str, str]]) -> Any:
    if len(values) != 1:
        problems.append((where, "a number question takes one answer"))
        return None
    key, value = values[0]
    if key == "valueQuantity" and isinstance(value, Mapping):
        why = _quantity_problem(q, value)
        if why:
            problems.append((where, why))
            return None
        value = value.get("value")
    elif key not in ("valueInteger", "valueDecimal"):
        problems.append((where, "a number question takes valueInteger or valueDecimal"))
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.append((where, "the answer is not a number"))
        return None
    return value


def _quantity_problem(q: QuestionSpec, quantity: Mapping[str, Any]) -> str:
    """Why a valueQuantity cannot be read as an answer to ``q``, or "".

    Fail closed: the value counts in the question's unit only when the quantity says so, with
    the question's UCUM code. 30 with the unit "mo" and no code is 30 months, not 30 years
    (a 2-year-old); a code from another system may mean anything, and so may a code with no
    system (FHIR's invariant qty-3: a code needs its system); ">= 30" is not 30.
    """
    code = q.unit_code
    if not code:  # the questionnaire gave no coded unit: a quantity's unit cannot be checked
        return "a number question without a UCUM unit takes valueInteger or valueDecimal"
    if quantity.get("comparator") is not None:
        return "the quantity has a comparator (<, <=, >=, >): it needs the number itself"
    if quantity.get("system") != UCUM or quantity.get("code") != code:
        return f"the quantity must be in the question's unit: code {code!r} from {UCUM}"
    return ""
