"""Check: a question's ``places`` (where the problem is) fits that question.

``places`` marks the multiple choice that says where the problem is, so that ``triage verify``
can prove that many places, or a problem with no place chosen, leave no place's safety
questions out (claim ``no_place_left_out``). Its options must be that question's, and its
condition must read: both are reported here, where they were written, like an ``ask_if``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from triage.conditions.checker import ConditionChecker
from triage.conditions.tree import MULTI
from triage.pack import models as m
from triage.pack.located import DocPath, Located
from triage.pack.specs import PlacesSpec
from triage.problems import Problem, did_you_mean

Reporter = Callable[[DocPath, int, str], None]


def check_places(questions: Mapping[str, Located], checker: ConditionChecker,
                 reporter: Callable[..., Reporter]) -> tuple[dict[str, PlacesSpec], list[Problem]]:
    """The checked ``places`` of each question that has them, and every problem with them.
    ``reporter(item, 'places', 'problem_with_no_place')`` reports a condition's problems."""
    out: dict[str, PlacesSpec] = {}
    problems: list[Problem] = []
    for qid, item in questions.items():
        q: m.Question = item.model
        if q.places is None:
            continue
        if q.type != MULTI:
            problems.append(item.problem(
                "'places' is only for a multiple choice of places (type: multi)", "places",
                key=True))
            continue
        options = [o.id for o in q.options or ()]
        ok = True
        for i, option in enumerate(q.places.every_place):
            if option not in options:
                ok = False
                problems.append(item.problem(
                    f"'{option}' is not an option of '{qid}'{did_you_mean(option, options)}",
                    "places", "every_place", i))
        condition: Any = None
        if q.places.problem_with_no_place is not None:
            condition = checker.condition(
                q.places.problem_with_no_place,
                reporter(item, "places", "problem_with_no_place"))
            ok = ok and condition is not None
        if ok:
            out[qid] = PlacesSpec(tuple(q.places.every_place), condition)
    return out, problems
