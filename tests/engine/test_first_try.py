"""What ``evaluate()`` tries first: the complete-answer code (``_outcome_fast``) while answers
come complete, the three-valued ``_partial`` (which makes the outcome of complete answers too)
while they come with gaps; it changes after ``SWITCH`` answer sets of the other kind. Either
way the outcome is the same, field for field."""

from __future__ import annotations

import random
from itertools import pairwise
from typing import Any

import pytest

from tests.engine.test_partial_compiled import PACKS, outcome_or_error
from triage.engine import partial as partial_module
from triage.engine.evaluate import evaluate, evaluate_interpreted, two_valued_outcome
from triage.engine.outcome import Outcome
from triage.engine.partial import SWITCH, compiled_partial
from triage.pack.compiled import CompiledPack
from triage.pack.load import load_pack


def warm(path: Any) -> CompiledPack:
    pack = load_pack(path, use_cache=False)
    pack.warm_up()
    return pack


def answer_sets(pack: CompiledPack) -> list[dict[str, Any]]:
    """The pack's cases, and each with every single answer taken out (gaps: some stop at a
    red flag, some leave a safety question or only a therapy detail unanswered)."""
    return [{k: v for k, v in case.answers.items() if k != left_out}
            for case in pack.cases for left_out in (None, *case.answers)]


def complete_outcome(pack: CompiledPack, answers: dict[str, Any]) -> Outcome | None:
    """The complete-answer code's outcome, or None where answers are incomplete (or not in
    normal form)."""
    try:
        return two_valued_outcome(pack)(answers)
    except (KeyError, TypeError):
        return None


def split(pack: CompiledPack) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(answer sets the complete-answer code finishes, those it does not)."""
    finished = [(a, complete_outcome(pack, a) is not None) for a in answer_sets(pack)]
    return [a for a, done in finished if done], [a for a, done in finished if not done]


@pytest.mark.parametrize("path", PACKS, ids=lambda p: p.name if p else "bundled")
def test_complete_answers_get_the_same_outcome_from_the_three_valued_code(path: Any) -> None:
    pack = warm(path)
    complete, _ = split(pack)
    for answers in complete:
        found = compiled_partial(pack).run(answers)
        two_valued = complete_outcome(pack, answers)
        assert found.__class__ is Outcome and two_valued is not None
        assert tuple(found) == tuple(two_valued)  # every field, the pack and None included
    assert complete or path is not None  # (the test packs' cases may all have gaps)


def test_the_first_try_follows_the_answers_that_come() -> None:
    pack = warm(None)
    complete, gaps = split(pack)
    evaluate(pack, complete[0])
    two_valued = two_valued_outcome(pack)
    assert pack.fast_outcome is two_valued
    for answers in gaps[:SWITCH - 1]:
        outcome_or_error(evaluate, pack, answers)
    assert pack.fast_outcome is two_valued  # a few answer sets with gaps change nothing
    outcome_or_error(evaluate, pack, gaps[SWITCH - 1])
    partial = compiled_partial(pack).run
    assert pack.fast_outcome is partial
    for answers in complete[:SWITCH - 1]:
        evaluate(pack, answers)
    assert pack.fast_outcome is partial  # nor a few complete ones, the other way
    evaluate(pack, complete[SWITCH - 1])
    assert pack.fast_outcome is two_valued
    for answers in gaps[:SWITCH - 1]:  # counted anew: not one answer set with gaps more
        outcome_or_error(evaluate, pack, answers)
    assert pack.fast_outcome is two_valued


@pytest.mark.parametrize("path", PACKS, ids=lambda p: p.name if p else "bundled")
def test_outcomes_are_the_same_whichever_code_goes_first(
        path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Answer sets complete and with gaps in runs of random length, the first try changing
    many times on the way: every outcome (or refusal) as the interpreter's."""
    monkeypatch.setattr(partial_module, "SWITCH", 3)
    pack = warm(path)
    complete, gaps = split(pack)
    rng = random.Random(15)
    firsts = []
    sequence: list[dict[str, Any]] = []
    while len(sequence) < 600:
        kind = rng.choice([complete or gaps, gaps])
        sequence += rng.choices(kind, k=rng.randint(1, 8))
    for answers in sequence:
        assert outcome_or_error(evaluate, pack, answers) == \
            outcome_or_error(evaluate_interpreted, pack, answers), answers
        firsts.append(pack.fast_outcome)
    changes = sum(a is not b for a, b in pairwise(firsts))
    assert changes >= (10 if complete else 1)
