"""Two claims of :mod:`triage.authoring.verify_symbolic` that compare one answer with another
over every answer set (the others the same, the questions the change opens taking any
answer): "not sure" with every definite answer, and a time with every more recent one.

``recency_respected``: a question that asks when something happened takes one answer, so a
person with two falls, two knocks or two mini-strokes gives one of them. The question asks for
the most recent time (its ``recency`` lists the times, oldest first), and that answer must
never be less urgent. The bundled pack 0.2.29 broke it: one sign after a knock 3 days to 4
weeks ago was therapy, and the same sign after a knock more than 4 weeks ago the emergency
department.
"""

from __future__ import annotations

from typing import Any, Protocol

import z3

from triage.authoring.red_flag_values import safety_questions
from triage.authoring.symbolic import AnswerVars, Env, answer_vars, any_of
from triage.authoring.symbolic_policy import Decision
from triage.authoring.verify_places import contradiction, repeats_asked_together
from triage.authoring.verify_report import Violation
from triage.conditions.tree import MULTI
from triage.engine.policy import NOT_SURE
from triage.pack.compiled import CompiledPack


class Prover(Protocol):
    """What these claims use of :class:`triage.authoring.verify_symbolic.Prover`."""

    pack: CompiledPack
    vars: dict[str, AnswerVars]
    env: Env
    dec: Decision

    def find(self, *constraints: Any, solver: Any = None) -> Any | None: ...

    def switched(self, qid: str, new: AnswerVars) -> Decision: ...

    def report_lowering(self, claim: str, qid: str, model: Any, switched: Decision,
                        message: str, *, not_sure_first: bool = False) -> None: ...

    def report(self, v: Violation) -> None: ...


def not_sure_counts_as_yes(prover: Prover) -> None:
    """"Not sure" against every definite answer: a single choice's every other option, a
    multiple choice's same boxes with any one definite box ticked more (or none). On a safety
    question (:func:`safety_questions`) it must never send a person to a doctor less urgently
    than any of them would; not compared: a definite answer that later answers contradict
    (:func:`contradiction`: sent to a doctor, its questions skipped)."""
    for q in safety_questions(prover.pack):
        old, new = prover.vars[q.id], answer_vars(q, "'")
        if q.type == MULTI:
            definite = [o for o in old.options if o != NOT_SURE]
            added = [z3.And(new.options[o], z3.Not(old.options[o])) for o in definite]
            fixed = z3.And(old.options[NOT_SURE], z3.Not(new.options[NOT_SURE]),
                           *(z3.Implies(old.options[o], new.options[o]) for o in definite),
                           z3.AtMost(*added, 1) if len(added) > 1 else z3.BoolVal(True))
        else:
            ns = [o.id for o in q.options].index(NOT_SURE)
            fixed = z3.And(old.value == ns, new.value != ns)
        switched = prover.switched(q.id, new)
        model = prover.find(prover.env.present[q.id], *new.domain(), fixed,
                            z3.Not(contradiction(prover.pack, switched.env)),
                            prover.dec.lowered(switched, medical=True))
        if model is not None:
            prover.report_lowering("not_sure_counts_as_yes", q.id, model, switched,
                                   "answering 'not sure' to '{q}' gives {d} where the answer "
                                   "{v} gives the more urgent {got}", not_sure_first=True)


def recency_respected(prover: Prover) -> None:
    """One query a question with a ``recency``: any older time, switched to any more recent
    one, giving a less urgent disposition. A question and one that repeats it are one answer
    to the solver, which is exact only if they are never both asked: checked here too (else
    only ``no_place_left_out`` would say so, and this claim could be proven alone)."""
    for b in repeats_asked_together(prover.pack, prover.env, prover.find,
                                    keep=lambda q: bool(q.recency)):
        prover.report(Violation(
            "recency_respected", f"{b.location}: '{b.id}' repeats '{b.repeats}' but both can "
            f"be asked, so their times are not one answer (the ask_if of a repeat must hold "
            f"only when the other's does not)"))
    for q in prover.pack.questions:
        if not q.recency:
            continue
        index = {o.id: i for i, o in enumerate(q.options)}
        old, new = prover.vars[q.id], answer_vars(q, "'")
        later = any_of([z3.And(old.value == index[older], new.value == index[newer])
                        for i, older in enumerate(q.recency) for newer in q.recency[i + 1:]])
        switched = prover.switched(q.id, new)
        model = prover.find(prover.env.present[q.id], *new.domain(), later,
                            switched.lowered(prover.dec))
        if model is not None:
            prover.report_lowering(
                "recency_respected", q.id, model, switched,
                "answering '{q}' with the more recent {v} gives {got}, less urgent than the "
                "{d} of the older {was} (the question asks for the most recent time)")
