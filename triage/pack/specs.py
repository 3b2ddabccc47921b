"""The parts of a checked rule pack: questions, rules, cases, with where each was written.

Plain frozen dataclasses, produced by :mod:`triage.pack.validate` after every check passed.
Texts are always ``{language: text}`` maps.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from triage.conditions.tree import Cond, QuestionShape

Text = dict[str, str]


@dataclass(frozen=True, slots=True)
class Location:
    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(frozen=True, slots=True)
class SourceRef:
    citation: str  # as published: a title stays in its own language
    year: int
    kind: str
    url: str | None = None
    note: Text | None = None  # the pack's own words about the source, in every language

    def __str__(self) -> str:
        label = " (professional consensus)" if self.kind == "consensus" else ""
        return f"{self.citation}, {self.year}{label}"


@dataclass(frozen=True, slots=True)
class OptionSpec:
    id: str
    text: Text
    caller_text: Text | None = None


@dataclass(frozen=True, slots=True)
class NamedLaterSpec:
    """A later answer that names a place (see models.NamedLater)."""

    place: str  # an option of the places question
    when: Cond  # the later answer


@dataclass(frozen=True, slots=True)
class AnswerNamedLaterSpec:
    """A later answer that implies an answer of a question (see models.AnswerNamedLater)."""

    answer: str  # an option of the question
    when: Cond  # the later answer


@dataclass(frozen=True, slots=True)
class PlacesSpec:
    """A multiple choice that says where the problem is (see models.Places)."""

    every_place: tuple[str, ...]  # options that mean every place
    problem_with_no_place: Cond | None  # a problem although no place is chosen
    named_later: tuple[NamedLaterSpec, ...] = ()  # later answers that name a place
    problem_named_later: Cond | None = None  # a problem named later, after none was


@dataclass(frozen=True, slots=True)
class QuestionSpec:
    id: str
    type: str
    text: Text
    caller_text: Text | None
    help: Text | None
    options: tuple[OptionSpec, ...]
    unit: Text | None
    min: float | None
    max: float | None
    integer: bool
    ask_if: Cond | None
    red_flag_screen: bool
    location: Location
    unit_code: str | None = None  # UCUM
    places: PlacesSpec | None = None  # this question says where the problem is
    repeats: str | None = None  # asks this question again, for those it was not asked
    named_later: tuple[AnswerNamedLaterSpec, ...] = ()  # later answers that imply an answer
    caller_help: Text | None = None  # the help as reception staff read it (--caller)
    unit_one: Text | None = None  # the unit after a number that takes the singular ("1 year")
    recency: tuple[str, ...] = ()  # the options that say when, oldest first (models.Question)

    @property
    def shape(self) -> QuestionShape:
        return QuestionShape(self.id, self.type, tuple(o.id for o in self.options),
                             self.min, self.max, self.integer)

    @property
    def choices(self) -> tuple[str, ...]:
        return self.shape.choices


@dataclass(frozen=True, slots=True)
class RuleSpec:
    id: str
    kind: str  # red_flag | contraindication | indication | note
    when: Cond
    reason: Text
    source: SourceRef
    location: Location
    reads: frozenset[str]
    label: Text | None = None
    disposition: str | None = None  # red flags
    priority: int = 0  # red flags
    effect: str | None = None  # contraindications
    note: Text | None = None  # contraindications
    supports: str | None = None  # indications
    points: tuple[int, int] = (0, 0)  # indications: (soft tissue, physiotherapy)
    techniques: tuple[Text, ...] = ()  # indications
    safety_net: bool = False  # notes: what to watch for, shown apart from other advice
    show_with: tuple[str, ...] = ()  # notes: only with these dispositions (policy.note_applies)
    urgency: str | None = None  # notes: the care the note itself advises (policy.note_applies)
    # the reasons of the branches: the first whose condition holds is shown, else ``reason``
    reason_when: tuple[tuple[Cond, Text], ...] = ()
    # the label of a rule that held on definite answers, where ``label`` folds "not sure" in
    definite_label: Text | None = None
    # reception mode: a note's reason, a contraindication's note, about the patient
    caller_reason: Text | None = None  # notes
    # notes: each branch's reason about the patient, as ``reason_when`` (None: the reason)
    caller_reason_when: tuple[Text | None, ...] = ()
    caller_note: Text | None = None  # contraindications


@dataclass(frozen=True, slots=True)
class CaseSpec:
    id: str
    description: str | None
    answers: dict[str, Any]
    expect: str
    fires: tuple[str, ...]
    not_fires: tuple[str, ...]
    location: Location
