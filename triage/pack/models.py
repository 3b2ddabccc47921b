"""The rule-pack file format, as pydantic models (the source of ``rules/schema.json``).

A pack is a folder of YAML files. Each file is a mapping whose top-level keys are sections:
``pack`` (exactly once in the pack), ``questions``, ``scores``, ``red_flags``,
``contraindications``, ``indications``, ``notes`` and ``cases`` (test cases, usually kept in
``tests/``). Cross-file checks (ids, references, reachability) live in :mod:`triage.pack.validate`.

These models are only used while loading and validating; evaluation runs on the plain
dataclasses of :mod:`triage.pack.compiled`, so start-up never pays for pydantic.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64,
                                  description="lower-case letters, digits and _")]
LanguageCode = Annotated[str, Field(pattern=r"^[a-z]{2}$", description="ISO 639-1 code")]
Text = Annotated[
    str | dict[LanguageCode, str],
    Field(description="Text shown to people: a string, or a map of language code to string"),
]
Condition = Annotated[
    Any,
    WithJsonSchema({"$comment": "triage-condition"}),  # becomes a $ref in json_schema()
    Field(description="An expression such as \"fever == yes and age >= 50\", true/false, "
                      "or a block: {all: [...]}, {any: [...]}, {not: ...}, "
                      "{question: id, op: '==', value: answer}"),
]

# The same lists as triage.engine.policy (a test checks they agree); Literal needs them here.
RedFlagDisposition = Literal["emergency", "emergency_department", "same_day", "doctor_soon",
                             "doctor_first", "self_care"]
MedicalDisposition = Literal["emergency", "emergency_department", "same_day", "doctor_soon",
                             "doctor_first"]
TherapyDisposition = Literal["physiotherapy", "both", "soft_tissue"]
Disposition = Literal["emergency", "emergency_department", "same_day", "doctor_soon",
                      "doctor_first", "physiotherapy", "both", "soft_tissue", "self_care",
                      "not_enough_information"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class DispositionText(_Strict):
    """What the person is told for one disposition."""

    label: Text = Field(description="The disposition in words, e.g. 'Call 911 now'")
    action: Text = Field(description="What to do")
    timeframe: Text = Field(description="How soon")
    if_worse: Text = Field(description="What to do if it gets worse")
    # reception mode (--caller): staff read the summary about the patient, to a caller who may
    # be someone else; each text the summary shows in the patient's own voice ("your doctor",
    # "ask someone to drive you") has its words about the patient here
    caller_label: Text | None = Field(
        None, description="The label as reception staff read it about the patient")
    caller_action: Text | None = Field(
        None, description="What to do, as staff tell the caller about the patient "
                          "('The person should see a doctor today: their clinic, ...')")
    caller_timeframe: Text | None = Field(
        None, description="How soon, as staff read it about the patient")
    caller_if_worse: Text | None = Field(
        None, description="What to do if it gets worse, as staff tell the caller")
    # for a parent or carer answering for a child (``child_when``): "your child", not "you"
    child_label: Text | None = Field(None, description="The label, for a child's parent")
    child_action: Text | None = Field(None, description="What to do, for a child's parent")
    child_timeframe: Text | None = Field(None, description="How soon, for a child's parent")
    child_if_worse: Text | None = Field(None, description="If worse, for a child's parent")


class Dispositions(_Strict):
    """Texts for every disposition; the three marked optional are needed only when a red flag
    of the pack can lead there (``triage validate`` says so)."""

    emergency: DispositionText
    emergency_department: DispositionText | None = Field(
        None, description="Go to the emergency department within hours (optional)")
    same_day: DispositionText
    doctor_soon: DispositionText | None = Field(
        None, description="See a doctor within 1 to 3 days (optional)")
    doctor_first: DispositionText
    physiotherapy: DispositionText
    both: DispositionText
    soft_tissue: DispositionText
    self_care: DispositionText | None = Field(
        None, description="No care needed now, e.g. wait until well (optional)")
    not_enough_information: DispositionText


class TherapyPolicy(_Strict):
    """How indication points become a therapy disposition (see docs/rule-format.md)."""

    both_threshold: int = Field(1, ge=1, description="Both totals at or above this: 'both'")


class PackMeta(_Strict):
    id: Identifier
    version: str = Field(min_length=1, description="The pack's own version, e.g. '1.2.0'")
    title: Text
    languages: list[LanguageCode] = Field(min_length=1,
                                          description="First one is the default language")
    disclaimer: Text
    dispositions: Dispositions
    therapy_policy: TherapyPolicy = TherapyPolicy(both_threshold=1)
    review_status: Literal["draft", "reviewed"] = Field(
        "draft", description="'reviewed' only once a clinician has signed the pack off "
                             "(FHIR exports say draft until then)")
    child_when: Condition | None = Field(None, description="Answers about a child, given by a "
                                         "parent (\"age < 16\"): the child_ texts are shown")


class Option(_Strict):
    id: Identifier
    text: Text
    caller_text: Text | None = Field(None, description="Wording read aloud by reception staff")


class NamedLater(_Strict):
    """A later answer that names a place: it must open that place's safety questions (asked
    again after it, by questions that ``repeat`` them) and hold its safety rules."""

    place: Identifier = Field(description="The option of the places question it names")
    when: Condition = Field(description="The later answer, e.g. \"sciatica in conditions\"")


class AnswerNamedLater(_Strict):
    """A later answer that implies an answer of this question (recovery after an operation
    named among the conditions: an operation in the health history): it must open that
    answer's safety questions (asked again after it, by questions that ``repeat`` them) and
    hold its safety rules, as if that answer had been given (triage verify, claim
    ``no_answer_left_out``)."""

    answer: Identifier = Field(description="The option of this question it implies")
    when: Condition = Field(description="The later answer, e.g. \"surgery_rehab in conditions\"")


class Places(_Strict):
    """A multiple choice that says where the problem is (``triage verify``, claim
    ``no_place_left_out``): many places, or a problem with no place chosen, must open every
    place's questions and hold every place's safety rules; so must a later answer that names
    a place (``named_later``)."""

    every_place: list[Identifier] = Field(
        default_factory=list,
        description="Options that mean every place, e.g. 'Many places, or all over'")
    problem_with_no_place: Condition | None = Field(
        None, description="When the person has a problem but chose no place, e.g. a question "
                          "asked when nothing is chosen, answered yes")
    named_later: list[NamedLater] = Field(
        default_factory=list,
        description="Answers asked after the safety questions that name a place (sciatica: "
                    "the leg); triage verify proves they open that place's safety questions")
    problem_named_later: Condition | None = Field(
        None, description="A later answer that names a problem (pain or an injury) after no "
                          "place and no problem were chosen: triage verify proves a medical "
                          "red flag then fires")


class Question(_Strict):
    id: Identifier
    text: Text
    caller_text: Text | None = Field(
        None, description="The question as reception staff read it about the caller")
    help: Text | None = Field(None, description="Why we ask (shown on '?')")
    caller_help: Text | None = Field(
        None, description="Why we ask, as reception staff read it about the patient")
    type: Literal["yes_no", "single", "multi", "number"]
    options: list[Option] | None = Field(None, description="For single and multi only")
    unit: Text | None = Field(None, description="For number only, e.g. 'years'")
    unit_one: Text | None = Field(
        None, description="For number only: the unit after a number that takes the singular "
                          "(English 1, French 0 to under 2), e.g. 'year', 'an': never '1 years'")
    unit_code: str | None = Field(
        None, pattern=r"^[!-~]{1,32}$",
        description="For number only: the unit's UCUM code, e.g. 'a' for years (FHIR exports)")
    min: float | int | None = Field(None, description="For number only (required there)")
    max: float | int | None = Field(None, description="For number only (required there)")
    integer: bool = Field(True, description="For number only: whole numbers")
    ask_if: Condition | None = Field(None, description="Ask only when this holds")
    red_flag_screen: bool = Field(False,
                                  description="A red-flag screening question: asked first")
    places: Places | None = Field(
        None, description="For a multiple choice of body areas: what means every place and "
                          "what means a problem with no place chosen (triage verify)")
    repeats: Identifier | None = Field(
        None, description="This question asks another one again, later, for those it was not "
                          "asked (same type and options): triage verify reads both as one "
                          "answer; their ask_if must never both hold")
    named_later: list[AnswerNamedLater] = Field(
        default_factory=list,
        description="For a single or multiple choice: later answers that imply one of its "
                    "answers (recovery after an operation: an operation); triage verify "
                    "proves they open that answer's safety questions and hold its rules")
    recency: list[Identifier] = Field(
        default_factory=list,
        description="For a single choice that asks when something happened: the options that "
                    "say when, oldest first (not 'not_sure'); the question should ask for the "
                    "most recent time, and triage verify proves a more recent answer is never "
                    "less urgent")


class Source(_Strict):
    citation: str = Field(
        min_length=3, description="The guideline, paper or rule as published (titles stay in "
                                  "their language); the pack's own words go in 'note'")
    year: int = Field(ge=1900, le=2100)
    kind: Literal["guideline", "study", "decision_rule", "consensus", "regulation",
                  "public_health"] = Field(
        description="'consensus' for professional consensus rather than evidence")
    url: str | None = None
    note: Text | None = Field(
        None, description="The pack's own words about the source, in every language of the "
                          "pack: what the rule takes from it, or the pack's policy")


class ReasonWhen(_Strict):
    when: Condition
    reason: Text
    caller_reason: Text | None = Field(
        None, description="A note's branch as reception staff tell the caller about the "
                          "patient (--caller), where the reason speaks to the patient")


class _Rule(_Strict):
    id: Identifier
    label: Text | None = Field(None, description="A short name, e.g. 'Heart attack signs'")
    definite_label: Text | None = Field(
        None, description="For a label that folds 'not sure' in ('Blood clot in the last 6 "
                          "months, or not sure'): the name when the rule held on definite "
                          "answers alone, as the person said it ('Blood clot in the last 6 "
                          "months')")
    when: Condition
    reason: Text
    reason_when: list[ReasonWhen] = Field(
        default_factory=list,
        description="A rule that holds on several branches says why for the branch that "
                    "held: the first entry whose 'when' holds gives the reason shown, else "
                    "'reason' (which must then be true of every branch left)")
    source: Source


class RedFlag(_Rule):
    disposition: RedFlagDisposition
    priority: int = Field(0, description="Among flags of the same urgency, the higher is named")


class Contraindication(_Rule):
    effect: Literal["strike_soft_tissue", "avoid_area", "avoid_technique", "precaution"] = Field(
        description="strike_soft_tissue removes soft tissue therapy; the others add a note")
    note: Text | None = Field(None, description="Note for the therapist")
    caller_note: Text | None = Field(
        None, description="The note as reception staff read it about the patient (--caller), "
                          "where the note speaks to the patient ('until you feel well')")
    techniques: list[Text] = Field(
        default_factory=list,
        description="avoid_technique: techniques of the indications to leave out of the list "
                    "shown (written exactly as in the indications)")


class Points(_Strict):
    soft_tissue: int = Field(0, ge=0)
    physiotherapy: int = Field(0, ge=0)


class Indication(_Rule):
    supports: TherapyDisposition
    points: Points | None = Field(
        None, description="Weights; default 1 for each therapy it supports")
    techniques: list[Text] = Field(default_factory=list,
                                   description="Techniques the therapist may use")


class Note(_Rule):
    caller_reason: Text | None = Field(
        None, description="The note as reception staff tell the caller about the patient "
                          "(--caller), where it speaks to the patient ('if you get ...')")
    safety_net: bool = Field(
        False, description="Safety-netting: what to watch for and what to do then, shown with "
                           "the result apart from other notes")
    show_with: list[Disposition] = Field(
        default_factory=list, description="Shown only with these results (default: a "
        "safety-net note with every result but emergency, other notes with every result that "
        "is not urgent)")
    urgency: MedicalDisposition | None = Field(
        None, description="The most urgent care the note itself sends the person to (a note "
        "saying 'go to the emergency department if ...' is emergency_department): it is not "
        "shown with results that already send them there or further. Default for a "
        "safety-net note: emergency")


class Score(_Strict):
    id: Identifier
    label: Text | None = None
    expression: str = Field(description="A number: count(...), sum(...), a number question")
    source: Source | None = None


AnswerValue = str | int | float | bool | list[str]


class Case(_Strict):
    id: Identifier
    description: str | None = None
    answers: dict[str, AnswerValue]
    expect: Disposition
    fires: list[str] = Field(default_factory=list, description="Rules that must fire")
    not_fires: list[str] = Field(default_factory=list, description="Rules that must not fire")


class PackFile(_Strict):
    """One YAML file of a rule pack."""

    pack: PackMeta | None = None
    questions: list[Question] = Field(default_factory=list)
    scores: list[Score] = Field(default_factory=list)
    red_flags: list[RedFlag] = Field(default_factory=list)
    contraindications: list[Contraindication] = Field(default_factory=list)
    indications: list[Indication] = Field(default_factory=list)
    notes: list[Note] = Field(default_factory=list)
    cases: list[Case] = Field(default_factory=list)


_CONDITION_SCHEMA: dict[str, Any] = {
    "description": "A condition: expression text, true/false, or a block.",
    "anyOf": [
        {"type": "string"},
        {"type": "boolean"},
        {"type": "object", "additionalProperties": False, "required": ["all"],
         "properties": {"all": {"type": "array", "minItems": 1,
                                "items": {"$ref": "#/$defs/Condition"}}}},
        {"type": "object", "additionalProperties": False, "required": ["any"],
         "properties": {"any": {"type": "array", "minItems": 1,
                                "items": {"$ref": "#/$defs/Condition"}}}},
        {"type": "object", "additionalProperties": False, "required": ["not"],
         "properties": {"not": {"$ref": "#/$defs/Condition"}}},
        {"type": "object", "additionalProperties": False, "required": ["question", "value"],
         "properties": {"question": {"type": "string"},
                        "op": {"enum": ["==", "!=", "<", "<=", ">", ">=", "in", "not in",
                                        "contains"]},
                        "value": {}}},
    ],
}


def json_schema() -> dict[str, Any]:
    """The JSON Schema of one pack file, for editors (``# yaml-language-server: $schema=``)."""
    schema: dict[str, Any] = _with_condition_refs(PackFile.model_json_schema())
    schema["$defs"]["Condition"] = _CONDITION_SCHEMA
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "triage rule pack file"
    return schema


def _with_condition_refs(node: Any) -> Any:
    if isinstance(node, dict):
        if node.get("$comment") == "triage-condition":
            return {"$ref": "#/$defs/Condition", **{k: v for k, v in node.items()
                                                     if k not in ("$comment",)}}
        return {k: _with_condition_refs(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_with_condition_refs(v) for v in node]
    return node


_TEXT_FIELDS = frozenset({"text", "caller_text", "help", "caller_help", "unit", "unit_one",
                          "title", "definite_label", "caller_label", "caller_action",
                          "caller_timeframe", "caller_if_worse", "caller_note",
                          "child_label", "child_action", "child_timeframe", "child_if_worse",
                          "caller_reason",
                          "disclaimer", "reason", "label", "note", "action", "timeframe",
                          "if_worse"})
_TEXT_TYPES = (str, dict)  # a tuple: ``str | dict`` would be made anew on every call


def texts_of(model: BaseModel, below: tuple[str | int, ...] = (),
             ) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """Every user-facing text inside a model, with its path below the model."""
    fields = model.__dict__  # the fields (extra ones are forbidden)
    for name in _text_plan(model.__class__):
        value = fields[name]
        if value is None:
            continue
        if name in _TEXT_FIELDS and isinstance(value, _TEXT_TYPES):
            yield (*below, name), value
        elif isinstance(value, BaseModel):
            yield from texts_of(value, (*below, name))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                if isinstance(v, BaseModel):
                    yield from texts_of(v, (*below, name, i))
                elif name == "techniques":
                    yield (*below, name, i), v


_PLANS: dict[type[BaseModel], tuple[str, ...]] = {}


def _text_plan(cls: type[BaseModel]) -> tuple[str, ...]:
    """The fields of ``cls`` that may hold a text, directly or in a model inside (a rule's
    points hold none: a pack of thousands of rules need not look into them; its source holds
    the optional ``note``)."""
    plan = _PLANS.get(cls)
    if plan is None:
        plan = _PLANS[cls] = tuple(
            name for name, f in cls.model_fields.items()
            if name in _TEXT_FIELDS or name == "techniques"
            or any(_text_plan(m) for m in _models_in(f.annotation)))
    return plan


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in get_args(annotation):
        yield from _models_in(arg)
