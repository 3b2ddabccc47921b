"""Claim ``no_place_left_out`` of `triage verify`: where the problem is, no place's safety
questions are left out.

A multiple choice marked ``places`` says where the problem is. Two of its answers do not rule
any place out, so each must be screened as every place:

* an option of ``every_place`` ("many places, or all over") in place of any one place;
* no place chosen while ``problem_with_no_place`` holds (pain or an injury, but no place),
  in place of any places chosen.

The claim: every ``ask_if``, every safety rule (red flag, strike) and every safety net that
holds with a place chosen still holds with that place swapped for ``every_place``, and with
no place chosen and a problem, whatever the other answers (each question taken as asked:
a gate that holds opens its question in both cases, so by the order of the questions, every
question a place opens is opened by either answer, and every safety rule that place could
fire can fire). The Z3 solver proves it per condition, or gives the place it fails for.
Without it a person who names no place but has sciatica is never asked the cauda equina
questions (clinical audit of pack 0.2.1, finding 9).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from triage.authoring.verify_report import Violation
from triage.conditions.tree import Cond, questions_read
from triage.engine.policy import is_safety_rule
from triage.pack.compiled import CompiledPack
from triage.pack.specs import QuestionSpec

CLAIM = "no_place_left_out"
QUERY_TIMEOUT_MS = 60_000


class _Undecided(Exception):
    """The solver gave up on a query: the claim is not proven."""


def place_questions(pack: CompiledPack) -> list[QuestionSpec]:
    return [q for q in pack.questions if q.places is not None]


def place_violations(pack: CompiledPack) -> tuple[list[Violation], int, str]:
    """Every condition a place opens that many places, or no place with a problem, do not;
    the number of solver queries made; why the claim is not proven if the solver gave up
    (else "")."""
    out: list[Violation] = []
    queries = [0]
    try:
        _check(pack, out, queries)
    except _Undecided as exc:
        return out, queries[0], f"the solver gave up ({exc})"
    return out, queries[0], ""


def _check(pack: CompiledPack, out: list[Violation], queries: list[int]) -> None:
    import z3  # lazy: place_questions is also for the path walker, which runs without z3

    from triage.authoring.symbolic import AnswerVars, Env, answer_vars, cond

    answers = {q.id: answer_vars(q, "#") for q in pack.questions}
    asked = {q.id: z3.BoolVal(True) for q in pack.questions}
    solver = z3.Solver()
    solver.set("timeout", QUERY_TIMEOUT_MS)
    for av in answers.values():
        solver.add(*av.domain())

    def sat(*constraints: Any) -> Any | None:
        queries[0] += 1
        result = solver.check(*constraints)
        if result == z3.unknown:
            raise _Undecided(solver.reason_unknown())
        return solver.model() if result == z3.sat else None

    for q in place_questions(pack):
        assert q.places is not None
        chosen = answers[q.id].options
        every = q.places.every_place
        places = [o.id for o in q.options if o.id not in every]

        def env(options: dict[str, Any], question: QuestionSpec = q) -> Env:
            return Env({**answers, question.id: AnswerVars(question, None, options)}, asked)

        nowhere = {o: z3.BoolVal(False) for o in chosen}
        problem = q.places.problem_with_no_place
        nowhere_problem = None if problem is None else cond(problem, env(nowhere))
        if nowhere_problem is not None and sat(nowhere_problem) is None:
            out.append(Violation(CLAIM, f"{q.location}: problem_with_no_place of '{q.id}' "
                                        f"never holds with no place chosen"))
            nowhere_problem = None
        for where, condition in _conditions(pack, q.id):
            holds = cond(condition, env(dict(chosen)))
            for place in places:
                for e in every:
                    swapped = {o: z3.BoolVal(o == e) if o in (place, e) else b
                               for o, b in chosen.items()}
                    if sat(chosen[place], z3.Not(chosen[e]), holds,
                           z3.Not(cond(condition, env(swapped)))) is not None:
                        out.append(Violation(CLAIM, f"{where} holds with '{place}' chosen but "
                                                    f"not with '{e}' chosen instead"))
            if nowhere_problem is None:
                continue
            model = sat(z3.Or(*chosen.values()), holds, nowhere_problem,
                        z3.Not(cond(condition, env(nowhere))))
            if model is not None:
                named = [o for o, b in chosen.items()
                         if z3.is_true(model.eval(b, model_completion=True))]
                out.append(Violation(CLAIM, f"{where} holds with {', '.join(named)} chosen "
                                            f"but not with no place chosen and a problem "
                                            f"(problem_with_no_place of '{q.id}')"))


def _conditions(pack: CompiledPack, qid: str) -> Iterator[tuple[str, Cond]]:
    """The gates, safety rules and safety nets that read the place question ``qid``."""
    for question in pack.questions:
        if question.ask_if is not None and qid in questions_read(question.ask_if):
            yield f"{question.location}: the ask_if of '{question.id}'", question.ask_if
    for rule in pack.rules:
        if (is_safety_rule(rule) or rule.safety_net) and qid in rule.reads:
            kind = "safety net" if rule.safety_net else rule.kind.replace("_", " ")
            yield f"{rule.location}: {kind} '{rule.id}'", rule.when


__all__ = ["CLAIM", "place_questions", "place_violations"]
