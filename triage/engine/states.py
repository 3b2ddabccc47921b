"""Which answers count, and which questions may still be asked, for answers so far: the
questionnaire's gates (``ask_if``) read three-valued. Apart from the engine so that what
reads an outcome (triage.engine.doubts) can ask "what if this answer were another" without
importing the engine that makes outcomes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from triage.conditions.truth import State, Truth, truth
from triage.pack.compiled import CompiledPack


@dataclass(frozen=True)
class QuestionStates:
    applicable: dict[str, Any]  # answered and asked
    pending: frozenset[str]  # may still be asked
    askable: tuple[str, ...]  # pending and asked now (their ask_if holds), in asking order
    ignored: tuple[str, ...]  # answered but hidden by ask_if


def question_states(pack: CompiledPack, answers: Mapping[str, Any], *,
                    settled: bool = False) -> QuestionStates:
    """Which answers count; ``settled``: the questions without an answer will not get one
    (none is pending). An answer of None is no answer, as
    :func:`triage.engine.evaluate.evaluate` reads it: still to be given (unknown), not an
    answer that every comparison finds false (a flag on ``age >= 65`` is not ruled out by it)."""
    applicable: dict[str, Any] = {}
    pending: set[str] = set()
    askable: list[str] = []
    ignored: list[str] = []
    for q in pack.questions:  # gates come before the questions they open
        gate: Truth = True
        if q.ask_if is not None:
            gate = truth(q.ask_if, State(applicable, pending, pack.shapes))
        if gate is False:
            if answers.get(q.id) is not None:
                ignored.append(q.id)
        elif gate is True and answers.get(q.id) is not None:
            applicable[q.id] = answers[q.id]
        elif not settled:
            pending.add(q.id)
            if gate is True:
                askable.append(q.id)
    return QuestionStates(applicable, frozenset(pending), tuple(askable), tuple(ignored))
