"""Check: a question's ``places`` (where the problem is) fits that question, a question that
``repeats`` another fits the one it repeats, and the later answers a question says imply one
of its answers (``named_later``) are that question's answers.

``places`` marks the multiple choice that says where the problem is, so that ``triage verify``
can prove that many places, a problem with no place chosen, or a place named by a later
answer (``named_later``) leave no place's safety questions out (claim ``no_place_left_out``).
Its options must be that question's, and its conditions must read: each is reported here,
where it was written, like an ``ask_if``.

A question that ``repeats`` another asks it again later, for those it was not asked (the cauda
equina signs after sciatica is named among the conditions). ``triage verify`` reads the two as
one answer, so they must offer the same answers: the same type, the same option ids in the
same order, the same number range.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from triage.conditions.checker import ConditionChecker
from triage.conditions.tree import MULTI, SINGLE
from triage.pack import models as m
from triage.pack.located import DocPath, Located
from triage.pack.specs import AnswerNamedLaterSpec, NamedLaterSpec, PlacesSpec
from triage.problems import Problem, did_you_mean

Reporter = Callable[[DocPath, int, str], None]


def check_places(questions: Mapping[str, Located], checker: ConditionChecker,
                 reporter: Callable[..., Reporter],
                 ) -> tuple[dict[str, PlacesSpec], dict[str, tuple[AnswerNamedLaterSpec, ...]],
                            list[Problem]]:
    """The checked ``places`` of each question that has them, the checked ``named_later`` of
    each other question that has them (:func:`check_named_answers`), and every problem with
    them. ``reporter(item, 'places', 'problem_with_no_place')`` reports a condition's
    problems."""
    out: dict[str, PlacesSpec] = {}
    named_answers, problems = check_named_answers(questions, checker, reporter)
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
        condition, sound = _optional_condition(q.places.problem_with_no_place, item,
                                               "problem_with_no_place", checker, reporter)
        ok = ok and sound
        named: list[NamedLaterSpec] = []
        for i, later in enumerate(q.places.named_later):
            if later.place not in options:
                ok = False
                problems.append(item.problem(
                    f"'{later.place}' is not an option of '{qid}'"
                    f"{did_you_mean(later.place, options)}", "places", "named_later", i,
                    "place"))
            when = checker.condition(later.when,
                                     reporter(item, "places", "named_later", i, "when"))
            if when is None:
                ok = False
            else:
                named.append(NamedLaterSpec(later.place, when))
        named_problem, sound = _optional_condition(q.places.problem_named_later, item,
                                                   "problem_named_later", checker, reporter)
        ok = ok and sound
        if ok:
            out[qid] = PlacesSpec(tuple(q.places.every_place), condition, tuple(named),
                                  named_problem)
    return out, named_answers, problems


def check_named_answers(questions: Mapping[str, Located], checker: ConditionChecker,
                        reporter: Callable[..., Reporter],
                        ) -> tuple[dict[str, tuple[AnswerNamedLaterSpec, ...]], list[Problem]]:
    """The checked ``named_later`` of each choice question that has them (later answers that
    imply one of its answers), and every problem with them: the answer must be an option of
    a single or multiple choice, the condition must read. Not on a place question (its
    ``places`` say which later answers name a place) nor on a repeat (declare it on the
    question it repeats)."""
    out: dict[str, tuple[AnswerNamedLaterSpec, ...]] = {}
    problems: list[Problem] = []
    for qid, item in questions.items():
        q: m.Question = item.model
        if not q.named_later:
            continue
        if q.type not in (SINGLE, MULTI) or q.places is not None or q.repeats is not None:
            problems.append(item.problem(
                "'named_later' is for a single or multiple choice that is no place question "
                "(use places.named_later there) and repeats no other", "named_later", key=True))
            continue
        options = [o.id for o in q.options or ()]
        named: list[AnswerNamedLaterSpec] = []
        for i, later in enumerate(q.named_later):
            if later.answer not in options:
                problems.append(item.problem(
                    f"'{later.answer}' is not an option of '{qid}'"
                    f"{did_you_mean(later.answer, options)}", "named_later", i, "answer"))
                continue
            when = checker.condition(later.when, reporter(item, "named_later", i, "when"))
            if when is not None:
                named.append(AnswerNamedLaterSpec(later.answer, when))
        if len(named) == len(q.named_later):
            out[qid] = tuple(named)
    return out, problems


def repeat_problems(questions: Mapping[str, Located]) -> list[Problem]:
    """Every question whose ``repeats`` names no question, or one it cannot stand for."""
    problems: list[Problem] = []
    for qid, item in questions.items():
        q: m.Question = item.model
        if q.repeats is None:
            continue
        target = questions.get(q.repeats)
        if target is None:
            problems.append(item.problem(
                f"'{q.repeats}' is not a question{did_you_mean(q.repeats, list(questions))}",
                "repeats"))
            continue
        original: m.Question = target.model
        why = _cannot_repeat(q, original)
        if why:
            problems.append(item.problem(f"'{qid}' cannot repeat '{q.repeats}': {why}",
                                         "repeats"))
    return problems


def _cannot_repeat(q: m.Question, original: m.Question) -> str:
    if original.id == q.id:
        return "a question cannot repeat itself"
    if original.repeats is not None:
        return f"'{original.id}' repeats '{original.repeats}' itself (repeat that one)"
    if original.places is not None or q.places is not None:
        return "a question that says where the problem is cannot be repeated"
    if q.type != original.type:
        return f"it is {q.type}, '{original.id}' is {original.type}"
    ids = [o.id for o in q.options or ()]
    wanted = [o.id for o in original.options or ()]
    if ids != wanted:
        return f"its options must be {', '.join(wanted)}, in that order"
    if (q.min, q.max, q.integer) != (original.min, original.max, original.integer):
        return "its min, max and integer must be the same"
    return ""


def _optional_condition(text: Any, item: Located, field: str, checker: ConditionChecker,
                        reporter: Callable[..., Reporter]) -> tuple[Any, bool]:
    """A condition ``places`` may leave out: (the checked condition or None, whether it is
    sound); its problems are reported at ``places.<field>``."""
    if text is None:
        return None, True
    found = checker.condition(text, reporter(item, "places", field))
    return found, found is not None
