"""The pack's test cases: each answers set read as answers are, each rule it names defined."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from triage.conditions.tree import QuestionShape
from triage.engine.answers import check_answers
from triage.pack import models as m
from triage.pack.located import DocPath, Located
from triage.problems import Problem, did_you_mean


def check_cases(cases: list[Located], shapes: Mapping[str, QuestionShape],
                rule_ids: Collection[str], broken_ids: Collection[str], unreadable: bool,
                ) -> tuple[list[tuple[Located, dict[str, Any]]], list[Problem], int]:
    """(each case with its answers read, the problems, the uses of unknown questions held
    back). With a file that does not read (``unreadable``), a name no readable file defines
    may be defined there: it is counted, not reported, and no unknown rule is reported."""
    seen: set[str] = set()
    out = []
    problems: list[Problem] = []
    held_back = 0
    for item in cases:
        case: m.Case = item.model
        if case.id in seen:
            problems.append(item.problem(f"duplicate case id '{case.id}'", "id"))
        seen.add(case.id)
        answers, answer_problems = check_answers(case.answers, shapes)
        for key, message in answer_problems:
            if key in broken_ids:
                continue
            if unreadable and message.startswith("unknown question"):
                held_back += 1  # may be defined in the unread file
                continue
            below: DocPath = ("answers", key) if key in case.answers else ("answers",)
            problems.append(item.problem(message, *below, key=key in case.answers
                                         and message.startswith("unknown")))
        for field_name in ("fires", "not_fires"):
            for i, rid in enumerate(getattr(case, field_name)):
                if rid not in rule_ids and rid not in broken_ids and not unreadable:
                    problems.append(item.problem(
                        f"unknown rule '{rid}'{did_you_mean(rid, rule_ids)}", field_name, i))
        out.append((item, answers))
    return out, problems, held_back
