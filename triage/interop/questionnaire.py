"""A rule pack as a FHIR Questionnaire (R5 or R4) that a standard SDC renderer can complete.

- item ``linkId`` = question id; yes/no -> ``boolean``; single and multiple choice ->
  ``coding`` (R5, with ``answerConstraint: optionsOnly``) or ``choice`` (R4), radio buttons /
  check boxes (``itemControl``); multiple choice ``repeats`` and ends with an exclusive
  "none of these" option (``optionExclusive``), so "none" is an answer, never a blank;
  number -> ``integer`` or ``decimal`` with minValue/maxValue and a UCUM unit.
- ``ask_if`` -> ``enableWhen`` or ``enableWhenExpression`` (:mod:`triage.interop.skiplogic`).
- ``required``: every question the engine will not decide without (red-flag screens, and
  the questions red flags and soft-tissue contraindications read) when it applies.
- Texts in one language (``lang``), the pack's others in the translation extension, on
  question texts and answer displays alike.
- ``status`` is ``draft`` until the pack says it has been clinically reviewed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from triage.conditions.tree import MULTI, NUMBER, SINGLE, Cond, Or
from triage.engine.policy import CONTRAINDICATION, DISPOSITIONS, RED_FLAG, STRIKE_SOFT_TISSUE
from triage.interop.fhir_common import (
    ITEM_CONTROL,
    ITEM_CONTROL_SYSTEM,
    MAX_VALUE,
    MIN_VALUE,
    NONE_OPTION,
    OPTION_EXCLUSIVE,
    UCUM,
    UNIT,
    Canon,
    FhirVersion,
    choice_options,
    coding,
    item_type,
    language_of,
    number_value,
    texts,
)
from triage.interop.skiplogic import skip_logic
from triage.pack.compiled import CompiledPack
from triage.pack.specs import QuestionSpec, RuleSpec

DEFAULT_PUBLISHER = "triage"


def safety_questions(pack: CompiledPack) -> frozenset[str]:
    """Questions the engine never reads as "no" when missing (it fails closed instead)."""
    read: set[str] = {q.id for q in pack.questions if q.red_flag_screen}
    for rule in pack.rules:
        if rule.kind == RED_FLAG or (rule.kind == CONTRAINDICATION
                                     and rule.effect == STRIKE_SOFT_TISSUE):
            read |= rule.reads
    return frozenset(read)


def computable_name(pack_id: str) -> str:
    """Questionnaire.name: a capital letter, then letters, digits and underscores."""
    return "Triage" + "".join(p.capitalize() for p in pack_id.replace("-", "_").split("_") if p)


def questionnaire(pack: CompiledPack, *, fhir_version: FhirVersion = "R5",
                  canon: Canon | None = None, lang: str | None = None,
                  publisher: str | None = None, published: date | None = None,
                  ) -> dict[str, Any]:
    """The pack as a FHIR Questionnaire resource (a JSON-ready dict).

    ``lang``: the language of the texts (default: the pack's first); ValueError if the pack
    has no texts in it. ``published``: the ``date`` (default: today).
    """
    canon = canon or Canon(pack.id)
    lang = language_of(pack, lang)
    required = safety_questions(pack)
    reviewed = pack.review_status == "reviewed"
    return {
        "resourceType": "Questionnaire",
        "id": canon.resource_id,
        "language": lang,
        "url": canon.questionnaire,
        "identifier": [{"system": canon.pack_hash_system, "value": pack.content_hash}],
        "version": pack.version,
        "name": computable_name(pack.id),
        **texts(pack, "title", pack.title, lang),
        "status": "active" if reviewed else "draft",
        "experimental": not reviewed,
        "subjectType": ["Patient"],
        "date": (published or date.today()).isoformat(),
        "publisher": publisher or DEFAULT_PUBLISHER,
        **texts(pack, "description", pack.disclaimer, lang),
        "item": _items(pack, canon, fhir_version, lang, required),
    }


def _items(pack: CompiledPack, canon: Canon, version: FhirVersion, lang: str,
           required: frozenset[str]) -> list[dict[str, Any]]:
    notices = emergency_notices(pack)
    items = []
    for q in pack.questions:
        items.append(_item(pack, canon, q, version, lang, q.id in required))
        if q.id in notices:
            items.append(_notice(pack, canon, q.id, notices[q.id], lang))
    return items


NOTICE_PREFIX = "emergency-notice-after-"
RENDERING_STYLE = "http://hl7.org/fhir/StructureDefinition/rendering-style"


def emergency_notices(pack: CompiledPack) -> dict[str, tuple[RuleSpec, ...]]:
    """Question id -> the emergency red flags that question is the last one to decide.

    A form cannot stop asking the way the questionnaire does, so right after the last
    question an emergency red flag reads, a display item tells the person to call 911 now;
    it is enabled exactly when one of those red flags holds.
    """
    most_urgent = DISPOSITIONS[0]
    order = {q.id: i for i, q in enumerate(pack.questions)}
    found: dict[str, list[RuleSpec]] = {}
    for rule in pack.rules:
        if rule.kind == RED_FLAG and rule.disposition == most_urgent and rule.reads:
            last = max(rule.reads, key=order.__getitem__)
            found.setdefault(last, []).append(rule)
    return {qid: tuple(found[qid]) for qid in sorted(found, key=order.__getitem__)}


def notice_condition(rules: tuple[RuleSpec, ...]) -> Cond:
    return rules[0].when if len(rules) == 1 else Or(tuple(r.when for r in rules))


def _notice(pack: CompiledPack, canon: Canon, qid: str, rules: tuple[RuleSpec, ...],
            lang: str) -> dict[str, Any]:
    advice = pack.dispositions[DISPOSITIONS[0]]
    text = {code: f"{pack.text(advice.get('label'), code)}. {pack.text(advice.get('action'), code)}"
            for code in pack.languages}
    shown = texts(pack, "text", text, lang)
    shown.setdefault("_text", {"extension": []})["extension"].insert(0, {
        "url": RENDERING_STYLE, "valueString": "font-weight: bold; color: #a00000"})
    item: dict[str, Any] = {"linkId": f"{NOTICE_PREFIX}{qid}", **shown, "type": "display"}
    item.update(skip_logic(pack, canon, notice_condition(rules), lang))
    return item


def _item(pack: CompiledPack, canon: Canon, q: QuestionSpec, version: FhirVersion,
          lang: str, safety: bool) -> dict[str, Any]:
    item: dict[str, Any] = {"linkId": q.id, **texts(pack, "text", q.text, lang),
                            "type": item_type(q, version)}
    logic = skip_logic(pack, canon, q.ask_if, lang)
    extensions: list[dict[str, Any]] = logic.pop("extension", [])
    item.update(logic)
    if safety:
        item["required"] = True
    if q.type == MULTI:
        item["repeats"] = True
    if q.type in (SINGLE, MULTI):
        if version == "R5":
            item["answerConstraint"] = "optionsOnly"
        item["answerOption"] = [_option(pack, canon, q, option, lang)
                                for option in choice_options(q)]
        control = "check-box" if q.type == MULTI else "radio-button"
        extensions.append({"url": ITEM_CONTROL, "valueCodeableConcept": {"coding": [
            {"system": ITEM_CONTROL_SYSTEM, "code": control}]}})
    if q.type == NUMBER:
        for ext_url, bound in ((MIN_VALUE, q.min), (MAX_VALUE, q.max)):
            if bound is not None:
                extensions.append({"url": ext_url, **number_value(q, bound)})
        unit = _unit(pack, q, lang)
        if unit:
            extensions.append({"url": UNIT, "valueCoding": unit})
    if extensions:
        item["extension"] = extensions
    return item


def _option(pack: CompiledPack, canon: Canon, q: QuestionSpec, option: str, lang: str,
            ) -> dict[str, Any]:
    out: dict[str, Any] = {"valueCoding": coding(pack, canon, q, option, lang)}
    if option == NONE_OPTION:
        out["extension"] = [{"url": OPTION_EXCLUSIVE, "valueBoolean": True}]
    return out


def _unit(pack: CompiledPack, q: QuestionSpec, lang: str) -> dict[str, Any] | None:
    code = q.unit_code
    if not q.unit and not code:
        return None
    unit: dict[str, Any] = {}
    if code:
        unit = {"system": UCUM, "code": code}
    if q.unit:
        unit["display"] = pack.text(q.unit, lang)
    return unit
