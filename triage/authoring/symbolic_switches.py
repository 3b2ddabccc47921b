"""Answer sets that differ from another in a chosen way, for the claims of
:mod:`triage.authoring.verify_symbolic`: the same answers with some hidden questions asked after
all, and one answer switched to a red-flag value."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

import z3

from triage.authoring.symbolic import AnswerVars, Env, answer_vars, cond
from triage.conditions.tree import MULTI, NUMBER, SINGLE, YES_NO, Has


def opened_env(env: Env, questions: Iterable[str],
               families: Iterable[Collection[str]] = ()) -> Env:
    """``env`` with these questions asked whatever their gates: an answer they have stays,
    a hidden one takes any answer. ``families``: questions with the questions that repeat
    them (asked again later, never both): one answer (their variables are shared), so a
    hidden one whose original or repeat was asked keeps that answer. Otherwise a flag that
    reads both would count as silenced by the one not asked (the wound signs asked again
    after an operation named among the conditions, for one who had ticked it already)."""
    out = Env(dict(env.vars), dict(env.present))
    others = {q: [m for m in family if m != q] for family in families for q in family}
    for qid in questions:
        old, fresh = env.vars[qid], answer_vars(env.vars[qid].question, "?")
        present = z3.Or(env.present[qid], *(env.present[m] for m in others.get(qid, ())))
        value = None if old.value is None else z3.If(present, old.value, fresh.value)
        out.vars[qid] = AnswerVars(old.question, value, {
            o: z3.If(present, b, fresh.options[o]) for o, b in old.options.items()})
        out.present[qid] = z3.BoolVal(True)
    return out


def red_flag_switch(qtype: str, old: AnswerVars, new: AnswerVars,
                     leaves: list[tuple[Any, bool]], *, places: bool = False) -> Any:
    """``new`` is a red-flag value compared with ``old`` (see red_flag_values.red_flag_switches:
    it meets a red-flag comparison the old answer did not; single choice and numbers must keep
    those the old one met; a multiple choice answer changes by one option a red flag reads;
    ``places``: one more place beside one already chosen, the leaves being only positive)."""
    def alone(av: AnswerVars) -> Env:
        return Env({av.question.id: av}, {av.question.id: z3.BoolVal(True)})

    def meets(av: AnswerVars) -> list[Any]:
        return [cond(leaf, alone(av)) if positive else z3.Not(cond(leaf, alone(av)))
                for leaf, positive in leaves]

    before, after = meets(old), meets(new)
    gained = z3.Or(*(z3.And(a, z3.Not(b)) for a, b in zip(after, before, strict=True)))
    lost = z3.Or(*(z3.And(b, z3.Not(a)) for a, b in zip(after, before, strict=True)))
    if qtype == MULTI:
        flagged = sorted({leaf.option for leaf, _ in leaves if isinstance(leaf, Has)})
        flips = [old.options[o] != new.options[o] for o in flagged]
        same = [old.options[o] == new.options[o] for o in old.options if o not in flagged]
        chosen = [z3.Or(*old.options.values())] if places else []
        return z3.And(z3.PbEq([(f, 1) for f in flips], 1) if flips else z3.BoolVal(False),
                      *same, gained, *chosen)
    differs = old.value != new.value
    if qtype in (SINGLE, NUMBER):
        return z3.And(differs, gained, z3.Not(lost))
    assert qtype == YES_NO
    return z3.And(differs, gained)
