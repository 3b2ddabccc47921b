"""What every FHIR resource the pack becomes shares: canonical URLs, codes, texts, units.

Canonical URLs hang off one base, the clinic config's ``fhir_base_url`` (``triage config set
fhir_base_url https://clinic.example/fhir``). Without one, :data:`PLACEHOLDER_BASE` is used:
a ``.invalid`` host (RFC 2606) that can never resolve, so an unconfigured export is valid
FHIR but visibly not a published canonical.

Answer codes live in one CodeSystem per pack (:func:`Canon.answers_system`): the code of an
option is ``question.option`` (question and option ids are ``[a-z][a-z0-9_]*``, so the dot
cannot be ambiguous and codes stay unique when two questions share an option id), and every
multiple-choice question gets ``question.none-of-these``, an exclusive "none of these"
option (a hyphen: no pack option can ever have that id). Dispositions have a CodeSystem of
their own, built from the pack's dispositions (:func:`disposition_codes`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from triage.conditions.tree import MULTI, SINGLE, YES_NO
from triage.engine.policy import DISPOSITIONS
from triage.i18n import t
from triage.pack.compiled import CompiledPack
from triage.pack.specs import QuestionSpec, Text

FhirVersion = Literal["R4", "R5"]
FHIR_VERSIONS: tuple[FhirVersion, ...] = ("R4", "R5")

PLACEHOLDER_BASE = "https://fhir.triage.invalid"
NONE_OPTION = "none-of-these"

TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
UNIT = "http://hl7.org/fhir/StructureDefinition/questionnaire-unit"
ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
ITEM_CONTROL_SYSTEM = "http://hl7.org/fhir/questionnaire-item-control"
OPTION_EXCLUSIVE = "http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive"
ENABLE_WHEN_EXPRESSION = (
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression")
UCUM = "http://unitsofmeasure.org"

_BASE_URL = re.compile(r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~%!$&'()*+,;=:@/-]*)?$")


def check_base_url(url: str) -> str | None:
    """Why ``url`` cannot be a canonical base (None when it can)."""
    if not _BASE_URL.match(url):
        return ("must be an http(s) URL with no query or fragment, "
                "e.g. https://clinic.example/fhir")
    return None


@dataclass(frozen=True)
class Canon:
    """The canonical URLs and identifier systems of one pack's FHIR resources."""

    pack_id: str
    base: str = PLACEHOLDER_BASE

    def __post_init__(self) -> None:
        object.__setattr__(self, "base", self.base.rstrip("/"))

    @property
    def configured(self) -> bool:
        return self.base != PLACEHOLDER_BASE

    @property
    def resource_id(self) -> str:
        """A FHIR resource id ([A-Za-z0-9-.]{1,64}) from the pack id."""
        return re.sub(r"[^A-Za-z0-9.-]", "-", f"triage-{self.pack_id}")[:64]

    @property
    def questionnaire(self) -> str:
        return f"{self.base}/Questionnaire/{self.resource_id}"

    @property
    def answers_system(self) -> str:
        return f"{self.base}/CodeSystem/{self.resource_id}-answers"

    @property
    def dispositions_system(self) -> str:
        return f"{self.base}/CodeSystem/{self.resource_id}-dispositions"

    def extension(self, name: str) -> str:
        return f"{self.base}/StructureDefinition/triage-{name}"

    @property
    def pack_hash_system(self) -> str:
        return f"{self.base}/NamingSystem/triage-pack-content-sha256"

    @property
    def record_system(self) -> str:
        return f"{self.base}/NamingSystem/triage-record-id"

    @property
    def caller_ref_system(self) -> str:
        return f"{self.base}/NamingSystem/triage-caller-ref"


def option_code(q: QuestionSpec | str, option: str) -> str:
    return f"{q if isinstance(q, str) else q.id}.{option}"


def choice_options(q: QuestionSpec) -> list[str]:
    """The option ids a FHIR form offers for a choice question (multi: with "none")."""
    ids = [o.id for o in q.options]
    return [*ids, NONE_OPTION] if q.type == MULTI else ids


def language_of(pack: CompiledPack, lang: str | None) -> str:
    """``lang`` if the pack has it (ValueError otherwise); the pack's default if None."""
    if lang is None:
        return pack.default_language
    if lang not in pack.languages:
        raise ValueError(f"the pack has no texts in '{lang}' (languages: "
                         f"{', '.join(pack.languages)})")
    return lang


def texts(pack: CompiledPack, field: str, text: Text | None, lang: str) -> dict[str, Any]:
    """``{field: text in lang, _field: the pack's other languages}`` (translation extension)."""
    if not text:
        return {}
    out: dict[str, Any] = {field: pack.text(text, lang)}
    others = [(other, text[other]) for other in pack.languages if other != lang and text.get(other)]
    if others:
        out[f"_{field}"] = {"extension": [
            {"url": TRANSLATION, "extension": [{"url": "lang", "valueCode": other},
                                               {"url": "content", "valueString": value}]}
            for other, value in others]}
    return out


def option_text(pack: CompiledPack, q: QuestionSpec, option: str) -> Text:
    if option == NONE_OPTION:
        return {lang: t("fhir_none_of_these", lang) for lang in pack.languages}
    return next(o.text for o in q.options if o.id == option)


def coding(pack: CompiledPack, canon: Canon, q: QuestionSpec, option: str, lang: str,
           *, translations: bool = True) -> dict[str, Any]:
    """The Coding of an answer option, its display in ``lang`` (others in ``_display``)."""
    text = option_text(pack, q, option)
    shown = texts(pack, "display", text, lang) if translations else {
        "display": pack.text(text, lang)}
    return {"system": canon.answers_system, "code": option_code(q, option), **shown}


def item_type(q: QuestionSpec, version: FhirVersion) -> str:
    if q.type == YES_NO:
        return "boolean"
    if q.type in (SINGLE, MULTI):
        return "coding" if version == "R5" else "choice"
    return "integer" if q.integer else "decimal"


def number_value(q: QuestionSpec, value: float | int) -> dict[str, Any]:
    if q.integer:
        return {"valueInteger": int(value)}
    return {"valueDecimal": value}


def disposition_codes(pack: CompiledPack) -> list[str]:
    """The pack's dispositions, most urgent first (the decision policy's order; any the
    policy does not know follow in the pack's order)."""
    listed = list(pack.dispositions)
    rank = {d: i for i, d in enumerate(DISPOSITIONS)}
    return sorted(listed, key=lambda d: (rank.get(d, len(rank)), listed.index(d)))
