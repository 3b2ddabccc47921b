"""An answer of None is no answer, to the search for warning signs answered where they do not
apply (triage.engine.hidden) as to the engine: checked against the independent reference
(tests/reference.py), for number answers given as None, by the batch's screening and by the
search itself. The search's fold read None as 0 in a direct comparison ("age < 40" held,
"not (pain < 3)" failed), and the engine's three-valued states read it as an answer that
every comparison finds false, where ``evaluate`` reads it as not given."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import reference
from tests.authoring_helpers import load, small_pack
from tests.batch.test_policy import check_row
from tests.engine.test_hidden_kinds import ARITHMETIC, MINIMAL_PACK, answer, searched
from triage.conditions.tree import NUMBER
from triage.engine import hidden
from triage.engine.evaluate import MissingAnswers, assess_partial, evaluate
from triage.engine.policy import RED_FLAG, URGENCY
from triage.pack.compiled import CompiledPack


@pytest.fixture(scope="module")
def arithmetic(tmp_path_factory: pytest.TempPathFactory) -> CompiledPack:
    return load(small_pack(tmp_path_factory.mktemp("arithmetic"), ARITHMETIC))


@st.composite
def rows_with_none(draw: st.DrawFn, pack: CompiledPack) -> dict[str, Any]:
    """Every question answered, whether it applies or not, each number often None, and now
    and then a question left out."""
    answers: dict[str, Any] = {}
    for qid, shape in pack.shapes.items():
        if shape.type == NUMBER and draw(st.booleans(), label=f"{qid} is None"):
            answers[qid] = None
        else:
            answers[qid] = draw(answer(shape), label=qid)
    for qid in draw(st.sets(st.sampled_from(sorted(pack.shapes)), max_size=2), label="out"):
        del answers[qid]
    return answers


def searched_with_none(pack: CompiledPack, answers: dict[str, Any]) -> frozenset[str]:
    """The signs the search names when the answers given as None reach it as they are, among
    the answers that count (remembered and searched alike)."""
    normal = {q: v for q, v in answers.items() if v is not None}
    nones = {q: None for q, v in answers.items() if v is None}
    try:
        outcome = evaluate(pack, normal)
    except MissingAnswers:
        partial = assess_partial(pack, normal)
        ignored, counted = partial.states.ignored, partial.states.applicable
        rank = max((URGENCY[r.disposition or ""] for r, t in zip(pack.rules, partial.truths,
                                                                 strict=True)
                    if t is True and r.kind == RED_FLAG), default=-1)
    else:
        ignored, counted = outcome.ignored_answers, outcome.answers
        rank = URGENCY[outcome.disposition]
    if not ignored:
        return frozenset()
    given_ = {**counted, **nones}
    pack.hidden_sign_memo.clear()
    found = hidden._signs(pack, answers, ignored, rank, lambda: given_)
    assert found == searched(pack, answers, ignored, rank, given_)
    return frozenset(sign.rule.id for sign in found)


@settings(max_examples=500, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_search_reads_a_number_given_as_none_as_no_answer(
        arithmetic: CompiledPack, data: st.DataObject) -> None:
    answers = data.draw(rows_with_none(arithmetic), label="row")
    assert searched_with_none(arithmetic, answers) == \
        reference.warning_signs_ignored(arithmetic, answers)


@settings(max_examples=400, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), minimal=st.booleans())
def test_batch_rows_with_numbers_given_as_none_give_what_the_reference_gives(
        arithmetic: CompiledPack, data: st.DataObject, minimal: bool) -> None:
    """The batch's screening of a row (its disposition, the red flag it names, a missing
    safety answer, a warning sign where it does not apply) with number answers of None."""
    pack = MINIMAL_PACK if minimal else arithmetic
    check_row(pack, data.draw(rows_with_none(pack), label="row"))


def test_a_swollen_knee_stated_for_an_arm_with_the_pain_given_as_none(
        arithmetic: CompiledPack) -> None:
    """A swollen knee stated for an arm, the pain given as None: the flag "swelling >= 5 and
    not (pain < 3)" holds for the knee with no pain given ("pain < 3" is false), so the
    swelling is a warning sign (the fold read None as 0 and named none). With the knee
    chosen, the pain is still to be given: no flag is claimed to apply already (the states
    read None as a pain below 3 and claimed this one, an emergency), and the back's "not
    sure" stated for a knee is named."""
    answers = {"place": "arm", "age": 30, "swelling": 6, "pain": None}
    assert reference.warning_signs_ignored(arithmetic, answers) == {"knee_swollen_not_mild"}
    assert searched_with_none(arithmetic, answers) == {"knee_swollen_not_mild"}
    check_row(arithmetic, answers)
    knee = {"place": "knee", "age": 30, "swelling": 6, "pain": None,
            "knee_signs": frozenset(), "back_signs": frozenset({"not_sure"})}
    assert assess_partial(arithmetic, knee) == assess_partial(
        arithmetic, {q: v for q, v in knee.items() if v is not None})
    check_row(arithmetic, knee)
