"""What ``evaluate()`` tries first: a pack of at most ``PARTIAL_FIRST_RULES`` rules its
three-valued ``_partial`` (which makes the outcome of complete answers too), a larger pack its
complete-answer ``_outcome_fast``, whose code is smaller to generate. Either way the outcome is
the same, field for field."""

from __future__ import annotations

from typing import Any

import pytest

from tests.engine.test_partial_compiled import PACKS, outcome_or_error
from triage.engine import evaluate as evaluate_module
from triage.engine.evaluate import evaluate, two_valued_outcome
from triage.engine.outcome import Outcome
from triage.engine.partial import compiled_partial
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


@pytest.mark.parametrize("path", PACKS, ids=lambda p: p.name if p else "bundled")
def test_complete_answers_get_the_same_outcome_from_the_three_valued_code(path: Any) -> None:
    pack = warm(path)
    evaluate(pack, dict(pack.cases[0].answers))
    assert pack.fast_outcome is compiled_partial(pack).run  # a small pack: three-valued first
    complete = 0
    for answers in answer_sets(pack):
        two_valued = complete_outcome(pack, answers)
        if two_valued is None:
            continue
        found = compiled_partial(pack).run(answers)
        assert found.__class__ is Outcome
        assert tuple(found) == tuple(two_valued)  # every field, the pack and None included
        assert outcome_or_error(evaluate, pack, answers) == \
            outcome_or_error(complete_outcome, pack, answers)
        complete += 1
    assert complete or path is not None  # (the test packs' cases may all have gaps)


@pytest.mark.parametrize("path", PACKS, ids=lambda p: p.name if p else "bundled")
def test_a_large_pack_tries_its_complete_answer_code_first(
        path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    small = warm(path)
    evaluate(small, dict(small.cases[0].answers))
    assert small.fast_outcome is compiled_partial(small).run
    monkeypatch.setattr(evaluate_module, "PARTIAL_FIRST_RULES", len(small.rules) - 1)
    large = warm(path)
    complete = [dict(c.answers) for c in large.cases
                if complete_outcome(small, dict(c.answers)) is not None]
    for answers in complete:
        evaluate(large, answers)
    if complete:  # complete answers never make the three-valued code of a large pack
        assert "compiled_partial" not in large.__dict__
        assert large.fast_outcome is two_valued_outcome(large)
    for answers in answer_sets(large):
        assert outcome_or_error(evaluate, large, answers) == \
            outcome_or_error(evaluate, small, answers), answers
