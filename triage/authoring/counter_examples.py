"""Witnesses and counter-examples of `triage verify` as people read them: the questionnaire
path behind a complete answer set, answers shown as in a pack, which questions are needed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from triage.engine import policy
from triage.engine.evaluate import AnswersNotNormalised, MissingAnswers, evaluate, next_question
from triage.engine.policy import RED_FLAG, WITH_SOFT_TISSUE
from triage.pack.compiled import CompiledPack
from triage.pack.specs import RuleSpec


def outranks(rule: RuleSpec, disposition: str) -> bool:
    """Whether this safety rule, had it fired, would have changed the disposition."""
    if rule.kind == RED_FLAG:
        return policy.URGENCY.get(disposition, -1) < policy.URGENCY.get(rule.disposition or "", -1)
    return disposition in WITH_SOFT_TISSUE


def show_answer(pack: CompiledPack, qid: str, value: Any) -> str:
    if isinstance(value, frozenset):
        return "[" + ", ".join(o.id for o in pack.question_by_id[qid].options
                               if o.id in value) + "]"
    return str(value)


def needed_questions(pack: CompiledPack) -> set[str]:
    """Questions some rule reads, and the questions their gates read (transitively)."""
    needed: set[str] = set()
    for rule in pack.rules:
        needed |= rule.reads
    return pack.with_gates(needed)


def path_of(pack: CompiledPack, complete: Mapping[str, Any], disposition: str
             ) -> dict[str, Any]:
    """The questionnaire the engine asks when a person answers as in ``complete``, if it ends
    in the same disposition (it must: the engine stops only when the result is certain);
    else the complete answers."""
    path: dict[str, Any] = {}
    while (q := next_question(pack, path)) is not None and q.id in complete:
        path[q.id] = complete[q.id]
    try:
        if evaluate(pack, path).disposition == disposition:
            return path
    except (MissingAnswers, AnswersNotNormalised):
        pass
    return dict(complete)
