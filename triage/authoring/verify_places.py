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

Answers given after the safety questions can name a place too (sciatica names the leg, after
only a knee was chosen): ``named_later``. Those safety questions cannot come again at their
place in the order, so the pack asks them once more after that answer, each by a question
that ``repeats`` it (the same answers; the solver gives the two one set of variables, which
loses nothing because their gates never both hold: checked here too). The claim: with a place
chosen and the later answer given, every safety question the named place would open is asked
(itself or a repeat), and every safety rule and safety net the named place would hold, holds,
over complete answer sets (each question present only when its ``ask_if`` holds). Without it
a person who chose only a knee and then names sciatica is never asked the cauda equina
questions (open point 26, route 3).

The same holds for an answer of any other choice question that a later answer implies (its
``named_later``, claim ``no_answer_left_out``): recovery after an operation, named among the
conditions, implies an operation in the health history, whose wound questions and flags must
then apply (asked again after it, as for a place). Without it a knee replacement 5 weeks ago
with an opened wound, not ticked as an operation, got physiotherapy (clinical audit of pack
0.2.5, finding 7).

"Nothing hurts" and then pain or an injury named later (``problem_named_later``) contradicts
itself: every place's questions were skipped, too many to ask again. The claim there: such an
answer set always fires a medical red flag (a doctor, not therapy). The switch claims
(``monotone``, ``not_sure_counts_as_yes``) do not compare it with consistent answer sets
(:func:`contradiction`): answering "yes" to "do you have pain?" instead gets every place's
questions, which may rightly end in therapy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from triage.authoring.verify_report import Violation
from triage.conditions.tree import MULTI, Cond, questions_read
from triage.engine.policy import MEDICAL, RED_FLAG, is_safety_rule
from triage.pack.compiled import CompiledPack
from triage.pack.specs import QuestionSpec

CLAIM = "no_place_left_out"
ANSWER_CLAIM = "no_answer_left_out"
QUERY_TIMEOUT_MS = 60_000


class _Undecided(Exception):
    """The solver gave up on a query: the claim is not proven."""


def place_questions(pack: CompiledPack) -> list[QuestionSpec]:
    return [q for q in pack.questions if q.places is not None]


def families(pack: CompiledPack) -> dict[str, list[QuestionSpec]]:
    """Each question with the questions that repeat it (asked again later), by its id."""
    out: dict[str, list[QuestionSpec]] = {q.id: [q] for q in pack.questions if not q.repeats}
    for q in pack.questions:
        if q.repeats:
            out[q.repeats].append(q)
    return out


def carry_repeats(pack: CompiledPack, answers: Mapping[str, Any]) -> dict[str, Any]:
    """``answers`` with the answer of a question given to the questions that repeat it, and
    back (one answer for both; the one whose gate does not hold is dropped by the engine):
    what a switch that moves the question from one place to the other keeps."""
    out = dict(answers)
    for family in families(pack).values():
        given = next((out[q.id] for q in family if q.id in out), None)
        if given is not None and len(family) > 1:
            for q in family:
                out.setdefault(q.id, given)
    return out


def contradiction(pack: CompiledPack, env: Any) -> Any:
    """A Bool over ``env`` (:class:`triage.authoring.symbolic.Env`): the answers say there is
    no problem (no place chosen and no ``problem_with_no_place``), and a later answer names
    one (``problem_named_later``)."""
    import z3

    from triage.authoring.symbolic import cond

    out = []
    for q in place_questions(pack):
        assert q.places is not None
        named, problem = q.places.problem_named_later, q.places.problem_with_no_place
        if named is None:
            continue
        nowhere = z3.And(env.present[q.id],
                         *(z3.Not(b) for b in env.vars[q.id].options.values()))
        no_problem = z3.BoolVal(True) if problem is None else z3.Not(cond(problem, env))
        out.append(z3.And(nowhere, no_problem, cond(named, env)))
    return z3.Or(*out) if out else z3.BoolVal(False)


def named_answer_questions(pack: CompiledPack) -> list[QuestionSpec]:
    """The questions (no place question) with answers implied by later answers."""
    return [q for q in pack.questions if q.named_later]


def place_violations(pack: CompiledPack) -> tuple[list[Violation], int, str]:
    """Every condition a place opens that many places, no place with a problem, or a place
    named later, do not, and every one an answer opens that a later answer implying it does
    not (claim ``no_answer_left_out``); the number of solver queries made; why the claims
    are not proven if the solver gave up (else "")."""
    out: list[Violation] = []
    queries = [0]
    try:
        _check(pack, out, queries)
    except _Undecided as exc:
        return out, queries[0], f"the solver gave up ({exc})"
    return out, queries[0], ""


def _check(pack: CompiledPack, out: list[Violation], queries: list[int]) -> None:
    import z3  # lazy: place_questions is also for the path walker, which runs without z3

    from triage.authoring.symbolic import AnswerVars, Env, answer_vars, cond, gate_env

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

    complete = gate_env(pack, answers)  # each question present only when its gate holds
    _repeats_apart(pack, complete, sat, out)
    for q in place_questions(pack):
        assert q.places is not None
        chosen = answers[q.id].options
        every = q.places.every_place
        places = [o.id for o in q.options if o.id not in every]

        def env(options: dict[str, Any], question: QuestionSpec = q) -> Env:
            return Env({**answers, question.id: AnswerVars(question, None, options)}, asked)

        nowhere = env({o: z3.BoolVal(False) for o in chosen})
        problem = q.places.problem_with_no_place
        nowhere_problem = None if problem is None else cond(problem, nowhere)
        if nowhere_problem is not None and sat(nowhere_problem) is None:
            out.append(Violation(CLAIM, f"{q.location}: problem_with_no_place of '{q.id}' "
                                        f"never holds with no place chosen"))
            nowhere_problem = None
        # one env per answer compared, kept across the conditions: each encodes a shared
        # score (every_place, area_count) once
        as_chosen = env(dict(chosen))
        swaps = {(place, e): env({o: z3.BoolVal(o == e) if o in (place, e) else b
                                  for o, b in chosen.items()})
                 for place in places for e in every}
        for where, condition in _conditions(pack, q.id):
            holds = condition(as_chosen)
            for (place, e), swapped in swaps.items():
                if sat(chosen[place], z3.Not(chosen[e]), holds,
                       z3.Not(condition(swapped))) is not None:
                    out.append(Violation(CLAIM, f"{where} holds with '{place}' chosen but "
                                                f"not with '{e}' chosen instead"))
            if nowhere_problem is None:
                continue
            model = sat(z3.Or(*chosen.values()), holds, nowhere_problem,
                        z3.Not(condition(nowhere)))
            if model is not None:
                named = [o for o, b in chosen.items()
                         if z3.is_true(model.eval(b, model_completion=True))]
                out.append(Violation(CLAIM, f"{where} holds with {', '.join(named)} chosen "
                                            f"but not with no place chosen and a problem "
                                            f"(problem_with_no_place of '{q.id}')"))
        for later in q.places.named_later:
            _named_later(pack, q, later.place, later.when, answers, complete, sat, out,
                         claim=CLAIM, given=z3.Or(*chosen.values()),
                         chosen_text=f"'{later.place}' chosen")
        _problem_named_later(pack, q, complete, sat, out)
    for q in named_answer_questions(pack):
        for implied in q.named_later:
            _named_later(pack, q, implied.answer, implied.when, answers, complete, sat, out,
                         claim=ANSWER_CLAIM, given=z3.BoolVal(True),
                         chosen_text=f"'{implied.answer}' answered to '{q.id}'")


def _repeats_apart(pack: CompiledPack, complete: Any, sat: Any, out: list[Violation]) -> None:
    """A question and one that repeats it are never both asked: the solver reads them as one
    answer, which is exact only then."""
    for b in repeats_asked_together(pack, complete, sat):
        out.append(Violation(CLAIM, f"{b.location}: '{b.id}' repeats '{b.repeats}', but both "
                                    f"can be asked (the ask_if of a repeat must hold only "
                                    f"when the other's does not)"))


def repeats_asked_together(pack: CompiledPack, env: Any, sat: Any,
                           keep: Callable[[QuestionSpec], bool] = lambda q: True,
                           ) -> Iterator[QuestionSpec]:
    """Each question (of those ``keep`` keeps) that can be asked together with another of its
    family, over ``env``'s presences; ``sat(*constraints)`` is a model or None."""
    for family in families(pack).values():
        kept = [q for q in family if keep(q)]
        for i, a in enumerate(kept):
            for b in kept[i + 1:]:
                if sat(env.present[a.id], env.present[b.id]) is not None:
                    yield b


def _named_later(pack: CompiledPack, q: QuestionSpec, option: str, when: Cond,
                 answers: dict[str, Any], complete: Any, sat: Any, out: list[Violation], *,
                 claim: str, given: Any, chosen_text: str) -> None:
    """With ``given`` (a place chosen), a later answer (``when``) that names ``option`` of
    ``q`` (a place; an answer it implies) opens every safety question that answer opens
    (itself, or a question that repeats it), and holds every safety rule and safety net that
    answer holds."""
    import z3

    from triage.authoring.symbolic import AnswerVars, cond, gate_env

    own = answers[q.id]
    if q.type == MULTI:
        added = AnswerVars(q, None, {o: z3.BoolVal(True) if o == option else b
                                     for o, b in own.options.items()})
    else:
        index = [o.id for o in q.options].index(option)
        added = AnswerVars(q, z3.IntVal(index), {})
    with_answer = gate_env(pack, {**answers, q.id: added})
    safety_reads: set[str] = set()
    for rule in pack.rules:
        if is_safety_rule(rule):
            safety_reads |= rule.reads
    said = cond(when, complete)
    what = f"'{option}' named later ({_text(when)})"
    for family in families(pack).values():
        first = family[0]
        if not (first.red_flag_screen or first.id in safety_reads):
            continue
        opened = z3.Or(*(with_answer.present[f.id] for f in family))
        asked = z3.Or(*(complete.present[f.id] for f in family))
        if sat(given, said, opened, z3.Not(asked)) is not None:
            again = "" if len(family) == 1 else (
                f" nor by {', '.join(repr(f.id) for f in family[1:])}")
            out.append(Violation(claim, f"{first.location}: '{first.id}' is asked with "
                                        f"{chosen_text}, but not with {what}{again}: ask it "
                                        f"again after that answer (a question that repeats "
                                        f"it)"))
    for rule in pack.rules:
        if not (is_safety_rule(rule) or rule.safety_net):
            continue
        if sat(given, said, cond(rule.when, with_answer),
               z3.Not(cond(rule.when, complete))) is not None:
            kind = "safety net" if rule.safety_net else rule.kind.replace("_", " ")
            out.append(Violation(claim, f"{rule.location}: {kind} '{rule.id}' holds with "
                                        f"{chosen_text} but not with {what}"))


def _problem_named_later(pack: CompiledPack, q: QuestionSpec, complete: Any, sat: Any,
                         out: list[Violation]) -> None:
    """"Nothing hurts", then a problem named later: a medical red flag always fires."""
    import z3

    from triage.authoring.symbolic import cond

    assert q.places is not None
    if q.places.problem_named_later is None:
        return
    medical = [cond(r.when, complete) for r in pack.rules
               if r.kind == RED_FLAG and r.disposition in MEDICAL]
    if sat(contradiction(pack, complete), z3.Not(z3.Or(*medical))) is not None:
        out.append(Violation(CLAIM, f"{q.location}: with no place and no problem chosen, a "
                                    f"problem named later (problem_named_later of '{q.id}') "
                                    f"can end without a doctor: its place's safety questions "
                                    f"were not asked, so a medical red flag must fire"))


def _text(node: Cond) -> str:
    """A short name for a condition in a message: the questions it reads."""
    return "an answer to " + ", ".join(sorted(questions_read(node)))


def _conditions(pack: CompiledPack, qid: str) -> Iterator[tuple[str, Any]]:
    """The gates, safety rules and safety nets that read the place question ``qid``, each as
    a function of an env. A question and the questions that repeat it count as one: one of
    their gates holding asks it."""
    from triage.authoring.symbolic import cond

    for family in families(pack).values():
        gates = [f.ask_if for f in family if f.ask_if is not None]
        if len(gates) < len(family) or not any(qid in questions_read(g) for g in gates):
            continue  # a member always asked, or no gate reading the place
        first = family[0]
        names = " or ".join(f"'{f.id}'" for f in family)
        yield (f"{first.location}: the ask_if of {names}",
               lambda env, gates=gates: _any([cond(g, env) for g in gates]))
    for rule in pack.rules:
        if (is_safety_rule(rule) or rule.safety_net) and qid in rule.reads:
            kind = "safety net" if rule.safety_net else rule.kind.replace("_", " ")
            yield (f"{rule.location}: {kind} '{rule.id}'",
                   lambda env, when=rule.when: cond(when, env))


def _any(items: list[Any]) -> Any:
    import z3

    return items[0] if len(items) == 1 else z3.Or(*items)


__all__ = ["ANSWER_CLAIM", "CLAIM", "carry_repeats", "contradiction", "families",
           "named_answer_questions", "place_questions", "place_violations"]
