"""Check: a question's ``recency`` (the options that say when something happened, oldest
first) names options of that single choice, each once, every one but "not sure" and the
answer that says it did not happen, and a question that repeats it lists the same.

A question that asks when takes one answer, so a person with two falls or two mini-strokes
must give one of them: the question asks for the most recent time, and ``triage verify``
proves that a more recent answer is never less urgent (claim ``recency_respected``). "Not
sure" is compared with every answer by its own claim (``not_sure_counts_as_yes``).
"""

from __future__ import annotations

from collections.abc import Mapping

from triage.conditions.tree import SINGLE
from triage.engine.policy import NOT_SURE
from triage.pack import models as m
from triage.pack.located import Located
from triage.problems import Problem, did_you_mean


def recency_problems(questions: Mapping[str, Located]) -> list[Problem]:
    """Every problem with a question's ``recency``, where it was written."""
    problems: list[Problem] = []
    for qid, item in questions.items():
        q: m.Question = item.model
        if not q.recency:
            continue
        if q.type != SINGLE:
            problems.append(item.problem(
                "'recency' is for a single choice that asks when something happened",
                "recency", key=True))
            continue
        options = [o.id for o in q.options or ()]
        if len(q.recency) < 2:
            problems.append(item.problem(
                "'recency' needs two times or more, oldest first", "recency", key=True))
        seen: set[str] = set()
        for i, option in enumerate(q.recency):
            if option == NOT_SURE:
                problems.append(item.problem(
                    f"'{NOT_SURE}' is not a time: it is compared with every answer already "
                    f"(not_sure_counts_as_yes)", "recency", i))
            elif option not in options:
                problems.append(item.problem(
                    f"'{option}' is not an option of '{qid}'{did_you_mean(option, options)}",
                    "recency", i))
            elif option in seen:
                problems.append(item.problem(f"'{option}' is named twice", "recency", i))
            seen.add(option)
        # a time left out is never compared: only "not sure" and the answer that says it did
        # not happen stay out
        left_out = [o for o in options if o not in seen and o != NOT_SURE]
        if len(left_out) > 1:
            problems.append(item.problem(
                f"'recency' leaves out {', '.join(repr(o) for o in left_out)}: list every "
                f"time, oldest first (only '{NOT_SURE}' and one answer that says it did not "
                f"happen stay out)", "recency", key=True))
    return problems + _repeat_problems(questions)


def _repeat_problems(questions: Mapping[str, Located]) -> list[Problem]:
    """A question and one that repeats it are one answer to ``triage verify``: they list the
    same times, or a switch of the repeat's time would never be compared."""
    problems: list[Problem] = []
    for item in questions.values():
        q: m.Question = item.model
        target = questions.get(q.repeats) if q.repeats else None
        if target is None or list(target.model.recency) == list(q.recency):
            continue
        where = ("recency",) if q.recency else ("repeats",)
        problems.append(item.problem(
            f"'{q.id}' repeats '{q.repeats}': list the same 'recency' "
            f"({', '.join(target.model.recency) or 'none'})", *where, key=True))
    return problems
