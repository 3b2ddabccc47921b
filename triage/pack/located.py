"""A validated model and where in which YAML document it was written."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from triage.pack.specs import Location
from triage.pack.yamldoc import YamlDocument
from triage.problems import Problem

DocPath = tuple[str | int, ...]  # keys and indices from a YAML document's root


@dataclass
class Located:
    """A validated model and where it came from."""

    model: Any
    doc: YamlDocument
    path: DocPath

    def problem(self, message: str, *below: str | int, key: bool = False,
                offset: int | None = None, severity: str = "error") -> Problem:
        return self.doc.problem((*self.path, *below), message, key=key, offset=offset,
                                severity=severity)

    def location(self) -> Location:
        line, col = self.doc.mark(self.path)
        return Location(self.doc.file, line, col)


@dataclass
class Collected:
    metas: list[Located] = field(default_factory=list)
    questions: list[Located] = field(default_factory=list)
    scores: list[Located] = field(default_factory=list)
    rules: list[tuple[str, Located]] = field(default_factory=list)
    cases: list[Located] = field(default_factory=list)
