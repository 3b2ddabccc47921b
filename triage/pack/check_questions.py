"""Checks of each question on its own (triage.pack.validate checks them together)."""

from __future__ import annotations

from triage.conditions.tree import MULTI, NUMBER, SINGLE
from triage.pack import models as m
from triage.pack.located import Located
from triage.problems import Problem


def question_shape_problems(item: Located) -> list[Problem]:
    """A question's own shape: options for choices (at least two for one choice, ids
    unique), none for the others; a number's range and units, only on numbers."""
    problems: list[Problem] = []
    q: m.Question = item.model
    has_options = bool(q.options)
    if q.type in (SINGLE, MULTI):
        need = 2 if q.type == SINGLE else 1
        if len(q.options or ()) < need:
            problems.append(item.problem(
                f"a '{q.type}' question needs at least {need} options", "type"))
        seen: set[str] = set()
        for i, o in enumerate(q.options or ()):
            if o.id in seen:
                problems.append(item.problem(f"duplicate option id '{o.id}'",
                                             "options", i, "id"))
            seen.add(o.id)
    elif has_options:
        problems.append(item.problem(f"a '{q.type}' question has no options; "
                                     f"remove 'options'", "options", key=True))
    if q.type == NUMBER:
        if q.min is None or q.max is None:
            problems.append(item.problem("a number question needs 'min' and 'max'",
                                         "type"))
        elif q.min >= q.max:
            problems.append(item.problem("'min' must be less than 'max'", "min"))
        if q.unit is not None and q.unit_one is None:
            # a warning: a pack written before unit_one still loads (triage diff, a
            # record replayed); the bundled pack's tests allow no warning
            unit = q.unit if isinstance(q.unit, str) else next(iter(q.unit.values()), "")
            problems.append(item.problem(
                f"a unit without 'unit_one': an answer of 1 reads '1 {unit}'; give the "
                "unit after 1 too, e.g. unit_one: {en: year, fr: an}", "unit",
                severity="warning"))
    else:
        for name in ("unit", "unit_one", "unit_code", "min", "max"):
            if getattr(q, name) is not None:
                problems.append(item.problem(
                    f"'{name}' is only for number questions", name, key=True))
    return problems
