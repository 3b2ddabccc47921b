"""The pack's codes as FHIR CodeSystems: one for the answer options, one for dispositions.

Answers: a concept per question (a grouping, not selectable) with its options below it,
codes ``question.option`` (see :mod:`triage.interop.fhir_common`), "none of these" included
for multiple choice. Dispositions: the pack's own, most urgent first, so a clinic pack with
other dispositions exports its own codes.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from triage.conditions.tree import MULTI, SINGLE
from triage.interop.fhir_common import (
    Canon,
    FhirVersion,
    choice_options,
    disposition_codes,
    language_of,
    option_code,
    option_text,
)
from triage.interop.questionnaire import DEFAULT_PUBLISHER, computable_name
from triage.pack.compiled import CompiledPack
from triage.pack.specs import Text

NOT_SELECTABLE = "http://hl7.org/fhir/concept-properties#notSelectable"


def _header(pack: CompiledPack, canon: Canon, url: str, suffix: str, lang: str,
            publisher: str | None, published: date | None) -> dict[str, Any]:
    reviewed = pack.review_status == "reviewed"
    return {
        "resourceType": "CodeSystem",
        "id": f"{canon.resource_id}-{suffix}"[:64],
        "language": lang,
        "url": url,
        "version": pack.version,
        "name": f"{computable_name(pack.id)}{suffix.capitalize()}",
        "status": "active" if reviewed else "draft",
        "experimental": not reviewed,
        "date": (published or date.today()).isoformat(),
        "publisher": publisher or DEFAULT_PUBLISHER,
        "caseSensitive": True,
        "content": "complete",
    }


def answers_code_system(pack: CompiledPack, *, canon: Canon | None = None,
                        lang: str | None = None, publisher: str | None = None,
                        published: date | None = None,
                        fhir_version: FhirVersion = "R5") -> dict[str, Any]:
    """Every answer option of the pack's choice questions (a JSON-ready dict)."""
    canon = canon or Canon(pack.id)
    lang = language_of(pack, lang)
    resource = _header(pack, canon, canon.answers_system, "answers", lang, publisher,
                       published)
    resource["hierarchyMeaning"] = "grouped-by"
    resource["property"] = [{"code": "notSelectable", "uri": NOT_SELECTABLE,
                             "type": "boolean"}]
    concepts = []
    for q in pack.questions:
        if q.type not in (SINGLE, MULTI):
            continue
        concepts.append({
            "code": q.id, **_display(pack, q.text, lang),
            "property": [{"code": "notSelectable", "valueBoolean": True}],
            "concept": [{"code": option_code(q, o),
                         **_display(pack, option_text(pack, q, o), lang)}
                        for o in choice_options(q)]})
    resource["count"] = sum(1 + len(c["concept"]) for c in concepts)
    resource["concept"] = concepts
    return resource


def dispositions_code_system(pack: CompiledPack, *, canon: Canon | None = None,
                             lang: str | None = None, publisher: str | None = None,
                             published: date | None = None,
                             fhir_version: FhirVersion = "R5") -> dict[str, Any]:
    """The pack's dispositions, most urgent first (a JSON-ready dict)."""
    canon = canon or Canon(pack.id)
    lang = language_of(pack, lang)
    resource = _header(pack, canon, canon.dispositions_system, "dispositions", lang,
                       publisher, published)
    codes = disposition_codes(pack)
    resource["count"] = len(codes)
    resource["concept"] = [
        {"code": code, **_display(pack, pack.dispositions[code].get("label"), lang),
         **({"definition": pack.text(pack.dispositions[code].get("action"), lang)}
            if pack.dispositions[code].get("action") else {})}
        for code in codes]
    return resource


def _display(pack: CompiledPack, text: Text | None, lang: str) -> dict[str, Any]:
    """display in ``lang``; the pack's other languages as designations."""
    if not text:
        return {}
    others = [{"language": other, "value": text[other]}
              for other in pack.languages if other != lang and text.get(other)]
    return {"display": pack.text(text, lang), **({"designation": others} if others else {})}


def code_systems_bundle(pack: CompiledPack, **options: Any) -> dict[str, Any]:
    """Both CodeSystems in a ``collection`` Bundle."""
    return {"resourceType": "Bundle", "type": "collection", "entry": [
        {"resource": answers_code_system(pack, **options)},
        {"resource": dispositions_code_system(pack, **options)}]}
