"""The outcome the generated code makes (``_outcome_fast``) equals the one worked out from the
condition interpreter and the policy, field by field, on random complete answer sets."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import MINIMAL
from triage.conditions.tree import MULTI, NUMBER, SINGLE
from triage.conditions.truth import State, truth
from triage.engine import policy
from triage.engine.evaluate import evaluate, question_states
from triage.engine.outcome import FIELDS, Outcome
from triage.pack.compiled import CompiledPack
from triage.pack.load import default_pack_dir, load_pack

PACKS = {"minimal": load_pack(MINIMAL, use_cache=False),
         "bundled": load_pack(default_pack_dir(), use_cache=False)}


@st.composite
def complete_answers(draw: st.DrawFn, pack: CompiledPack) -> dict[str, Any]:
    """An answer to every question, hidden ones too (they must be listed as ignored)."""
    out: dict[str, Any] = {}
    for q in pack.questions:
        if q.type == MULTI:
            out[q.id] = draw(st.frozensets(st.sampled_from([o.id for o in q.options]),
                                           max_size=3))
        elif q.type == NUMBER:
            out[q.id] = draw(st.integers(int(q.min or 0), int(q.max or 0)))
        elif q.type == SINGLE:
            out[q.id] = draw(st.sampled_from([o.id for o in q.options]))
        else:
            out[q.id] = draw(st.sampled_from(["yes", "no"]))
    return out


def reference(pack: CompiledPack, answers: dict[str, Any]) -> tuple[Any, ...]:
    states = question_states(pack, answers)
    s = State(states.applicable, frozenset(), pack.shapes)
    fired = [r for r in pack.rules if truth(r.when, s) is True]
    # each with the reason of its first branch that holds (reason_when), else its own
    fired = [next((replace(r, reason=reason) for when, reason in r.reason_when
                   if truth(when, s) is True), r) for r in fired]
    main = policy.main_red_flag(fired)
    strike = any(policy.strikes_soft_tissue(r) for r in fired)
    indications = [r for r in fired if r.kind == policy.INDICATION]
    soft = sum(r.points[0] for r in indications)
    physio = sum(r.points[1] for r in indications)
    disposition = policy.disposition(main, strike, soft, physio, len(indications),
                                     pack.both_threshold)
    return (disposition, main.id if main else None, strike, (soft, physio), len(indications),
            pack.record_of(states.applicable), states.ignored, pack, (), None), tuple(fired)


@settings(max_examples=150, deadline=None)
@given(st.data(), st.sampled_from(sorted(PACKS)))
def test_generated_outcome_equals_the_interpreted_one(data: st.DataObject, name: str) -> None:
    pack = PACKS[name]
    answers = data.draw(complete_answers(pack))
    outcome = evaluate(pack, answers)
    assert isinstance(outcome, Outcome)
    expected, fired = reference(pack, answers)
    for field, got, want in zip(FIELDS, outcome, expected, strict=True):
        assert got == want, field
        assert getattr(outcome, field) == want, field
    assert outcome.fired == fired
    assert outcome.answers == pack.answers_of(outcome.record)


def test_an_outcome_is_a_named_tuple_that_pickles() -> None:
    import pickle

    outcome = evaluate(PACKS["minimal"], {"chest_pain": "yes"})
    again = pickle.loads(pickle.dumps(outcome))
    assert again == outcome and again.disposition == outcome.disposition == "emergency"
    assert dict(zip(FIELDS, outcome, strict=True))["main_red_flag"] == outcome.main_red_flag
