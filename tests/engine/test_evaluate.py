"""The engine: policy, fail-closed evaluation, certainty, and properties over all answers."""

from __future__ import annotations

import traceback
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import MINIMAL
from triage.conditions.truth import State, truth
from triage.engine.evaluate import (
    AnswersNotNormalised,
    MissingAnswers,
    assess_partial,
    evaluate,
    next_question,
    question_states,
)
from triage.engine.policy import (
    CONTRAINDICATION,
    DISPOSITIONS,
    MEDICAL,
    RED_FLAG,
    URGENCY,
    therapy_disposition,
)
from triage.pack.compiled import CompiledPack
from triage.pack.load import load_pack

SAFE = {"chest_pain": "no", "fall": "no", "fever": "no", "age": 40, "area": "neck",
        "problems": frozenset({"stiffness"}), "blood_thinners": "no"}


def as_given(pack: CompiledPack, decision: tuple[Any, ...]) -> tuple[Any, ...]:
    """A decision with its record of answers in normal form (the fast code holds yes/no
    answers as True/False)."""
    return (*decision[:6], pack.answers_of(decision[6]))


def answers(**changes: Any) -> dict[str, Any]:
    return {**SAFE, **changes}


@pytest.mark.parametrize(("strike", "soft", "physio", "n", "expected"), [
    (False, 0, 0, 0, "not_enough_information"),
    (False, 0, 0, 1, "physiotherapy"),  # indicated with zero points: a tie goes to physio
    (False, 2, 1, 2, "soft_tissue"),
    (False, 1, 2, 2, "physiotherapy"),
    (False, 2, 2, 2, "both"),
    (False, 1, 1, 2, "physiotherapy"),  # below a threshold of 2: tie -> physiotherapy
    (True, 2, 2, 2, "physiotherapy"),
    (True, 3, 0, 1, "doctor_first"),
    (True, 0, 0, 0, "doctor_first"),
    (True, 0, 3, 1, "physiotherapy"),
])
def test_therapy_policy(strike: bool, soft: int, physio: int, n: int, expected: str) -> None:
    assert therapy_disposition(strike, soft, physio, n, both_threshold=2) == expected


def test_a_red_flag_outranks_every_therapy_indication(minimal_pack: CompiledPack) -> None:
    outcome = evaluate(minimal_pack, answers(chest_pain="yes",
                                             problems=frozenset({"after_surgery", "strain"})))
    assert outcome.disposition == "emergency"
    assert outcome.main_red_flag == "heart_attack_signs"
    assert "post_surgery_rehab" in {r.id for r in outcome.fired}


def test_the_most_urgent_flag_is_named_whatever_the_file_order(
        minimal_pack: CompiledPack) -> None:
    outcome = evaluate(minimal_pack, answers(fall="yes", can_bear_weight="no", age=70,
                                             fever="yes"))
    assert outcome.disposition == "same_day"
    assert outcome.main_red_flag == "fall_cannot_walk"
    assert {r.id for r in outcome.fired_of(RED_FLAG)} == {"fall_cannot_walk", "fever_older"}


def test_a_systemic_contraindication_removes_soft_tissue(minimal_pack: CompiledPack) -> None:
    outcome = evaluate(minimal_pack, answers(fever="yes"))
    assert outcome.soft_tissue_struck
    assert outcome.disposition == "doctor_first"
    both = evaluate(minimal_pack, answers(fever="yes", area="knee",
                                          problems=frozenset({"stiffness", "after_surgery"})))
    assert both.disposition == "physiotherapy"


def test_local_contraindications_and_precautions_only_add_notes(
        minimal_pack: CompiledPack) -> None:
    outcome = evaluate(minimal_pack, answers(blood_thinners="yes"))
    assert outcome.disposition == "soft_tissue"
    assert [r.id for r in outcome.fired_of(CONTRAINDICATION)] == ["thinners_gentle"]


def test_an_unanswered_red_flag_question_is_never_taken_as_no(
        minimal_pack: CompiledPack) -> None:
    incomplete = dict(SAFE)
    del incomplete["chest_pain"]
    with pytest.raises(MissingAnswers) as caught:
        evaluate(minimal_pack, incomplete)
    assert caught.value.questions == ["chest_pain"]


def test_a_none_answer_is_an_unanswered_question_never_a_no(
        minimal_pack: CompiledPack) -> None:
    with pytest.raises(MissingAnswers) as caught:
        evaluate(minimal_pack, answers(chest_pain=None))
    assert caught.value.questions == ["chest_pain"]
    with pytest.raises(MissingAnswers) as caught:  # a gate that opens, a None behind it
        evaluate(minimal_pack, answers(fall="yes", age=70, can_bear_weight=None))
    assert caught.value.questions == ["can_bear_weight"]


def test_an_unknown_question_cannot_make_up_for_a_missing_answer(
        minimal_pack: CompiledPack) -> None:
    incomplete = {k: v for k, v in SAFE.items() if k != "fever"}
    with pytest.raises(AnswersNotNormalised) as caught:
        evaluate(minimal_pack, {**incomplete, "unknown": "yes"})
    assert caught.value.questions == ["unknown"]


def test_answers_in_another_accepted_form_are_normalised_first(
        minimal_pack: CompiledPack) -> None:
    outcome = evaluate(minimal_pack, answers(chest_pain=True, age="40"))
    assert outcome.disposition == "emergency"
    assert outcome.answers["chest_pain"] == "yes" and outcome.answers["age"] == 40


@pytest.mark.parametrize(("question", "value"), [
    ("chest_pain", "maybe-private"), ("age", float("nan")), ("age", 400),
    ("area", "elbow-private"), ("problems", ["stiffness", "private"])])
def test_answers_that_are_not_answers_are_refused_without_quoting_them(
        minimal_pack: CompiledPack, question: str, value: Any) -> None:
    with pytest.raises(AnswersNotNormalised) as caught:
        evaluate(minimal_pack, answers(**{question: value}))
    assert caught.value.questions == [question]
    # The message, its notes and its arguments, not the frames: a frame's "line 400" or a
    # source line of the engine would match a value that was never quoted.
    shown = "".join(traceback.format_exception_only(caught.value)) + repr(caught.value.args)
    assert "private" not in shown and "nan" not in shown and "400" not in shown
    assert caught.value.__context__ is None  # not raised while handling a KeyError


@pytest.mark.parametrize("compiled", [False, True])
@pytest.mark.parametrize(("question", "value"), [
    ("can_bear_weight", "maybe-private"), ("can_bear_weight", 1), ("worry", "often-private"),
    ("low_mood", ["no"])])
def test_an_answer_to_a_question_that_does_not_apply_must_still_be_an_answer(
        compiled: bool, question: str, value: Any) -> None:
    """No fall, the neck: those questions do not apply, and their answers are ignored, but
    only once they are answers (the compiled code checks them as it passes them by)."""
    pack = load_pack(MINIMAL, use_cache=False)
    if compiled:
        pack.warm_up()
    assert evaluate(pack, answers(can_bear_weight="no", worry="yes")).ignored_answers == (
        "can_bear_weight", "worry")
    with pytest.raises(AnswersNotNormalised) as caught:
        evaluate(pack, answers(**{question: value}))
    assert caught.value.questions == [question]


def test_a_gated_question_is_only_required_when_its_gate_opens(
        minimal_pack: CompiledPack) -> None:
    assert evaluate(minimal_pack, answers(fall="no")).disposition == "soft_tissue"
    with pytest.raises(MissingAnswers) as caught:
        evaluate(minimal_pack, answers(fall="yes", age=70))
    assert caught.value.questions == ["can_bear_weight"]


def test_missing_answers_do_not_matter_once_an_emergency_is_certain(
        minimal_pack: CompiledPack) -> None:
    outcome = evaluate(minimal_pack, {"chest_pain": "yes"})
    assert outcome.disposition == "emergency"
    assert {r.id for r in outcome.red_flags_unchecked} == {"fall_cannot_walk", "fever_older"}


def test_answers_to_hidden_questions_are_ignored(minimal_pack: CompiledPack) -> None:
    outcome = evaluate(minimal_pack, answers(fall="no", can_bear_weight="no", age=80))
    assert outcome.ignored_answers == ("can_bear_weight",)
    assert "can_bear_weight" not in outcome.answers


def test_an_outcome_keeps_the_answers_it_was_given_even_if_they_change_later(
        minimal_pack: CompiledPack) -> None:
    given = answers(area="low_back", problems=frozenset({"strain"}), worry="no", low_mood="no")
    minimal_pack.fast_decision(given)  # complete and normal: the compiled fast path is taken
    outcome = evaluate(minimal_pack, given)
    before = ({r.id for r in outcome.fired}, dict(outcome.answers))
    fresh = evaluate(minimal_pack, given)
    given["chest_pain"] = "yes"  # the caller reuses its dict after evaluating
    given["area"] = "knee"
    assert outcome.disposition != "emergency"
    assert ({r.id for r in fresh.fired}, fresh.answers) == before  # reasons not yet worked out
    assert fresh.answers["chest_pain"] == "no" and fresh.answers["area"] == "low_back"
    assert list(fresh.answers) == [q.id for q in minimal_pack.questions if q.id in given
                                   and q.id not in fresh.ignored_answers]


def test_questions_that_cannot_change_the_outcome_are_not_asked(
        minimal_pack: CompiledPack) -> None:
    assert next_question(minimal_pack, {"chest_pain": "yes"}) is None  # stop: call 911
    # after 'worry: no' the distress score can no longer reach 2: 'low_mood' is pointless
    asked = answers(area="low_back", problems=frozenset({"strain"}), worry="no")
    assert next_question(minimal_pack, asked) is None


def test_red_flag_screening_comes_first(minimal_pack: CompiledPack) -> None:
    first = next_question(minimal_pack, {})
    assert first is not None and first.red_flag_screen


# ----------------------------------------------------------------------------- properties


def complete_answers(pack: CompiledPack) -> st.SearchStrategy[dict[str, Any]]:
    """Every question answered with a valid value (hidden ones too: they must be ignored)."""
    fields: dict[str, st.SearchStrategy[Any]] = {}
    for q in pack.questions:
        if q.type in ("yes_no", "single"):
            fields[q.id] = st.sampled_from(q.choices)
        elif q.type == "multi":
            fields[q.id] = st.frozensets(st.sampled_from(q.choices))
        else:
            assert q.min is not None and q.max is not None
            fields[q.id] = st.integers(int(q.min), int(q.max))
    return st.fixed_dictionaries(fields)


def red_flag_values(pack: CompiledPack) -> dict[str, list[Any]]:
    """Answers that make some red-flag comparison true (the values verify calls red-flag)."""
    from triage.conditions.tree import Answer, Compare, Is, Number

    out: dict[str, list[Any]] = {}
    for rule in pack.rules:
        if rule.kind != RED_FLAG:
            continue
        stack: list[Any] = [rule.when]
        while stack:
            node = stack.pop()
            if isinstance(node, Is) and not node.negate:
                out.setdefault(node.question, []).extend(sorted(node.options))
            elif isinstance(node, Compare) and isinstance(node.left, Answer) \
                    and isinstance(node.right, Number) and node.op in (">=", ">"):
                q = pack.question_by_id[node.left.question]
                out.setdefault(q.id, []).append(int(node.right.value) + (node.op == ">"))
            for child in ("items", "item"):
                value = getattr(node, child, None)
                if isinstance(value, tuple):
                    stack.extend(value)
                elif value is not None:
                    stack.append(value)
    return out


def medical_rank(disposition: str) -> int:
    return URGENCY[disposition] if disposition in MEDICAL else 0


@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_every_complete_answer_set_gets_exactly_one_known_disposition(
        minimal_pack: CompiledPack, data: st.DataObject) -> None:
    outcome = evaluate(minimal_pack, data.draw(complete_answers(minimal_pack)))
    assert outcome.disposition in DISPOSITIONS
    assert outcome.advice == minimal_pack.dispositions[outcome.disposition]


@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_compiled_code_agrees_with_the_three_valued_interpreter(
        minimal_pack: CompiledPack, data: st.DataObject) -> None:
    given_answers = data.draw(complete_answers(minimal_pack))
    states = question_states(minimal_pack, given_answers)
    state = State(states.applicable, frozenset(), minimal_pack.shapes)
    fired = {r.id for r in evaluate(minimal_pack, given_answers).fired}
    interpreted = {r.id for r in minimal_pack.rules if truth(r.when, state)}
    assert fired == interpreted


@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_safety_invariants_hold_for_every_answer_set(minimal_pack: CompiledPack,
                                                     data: st.DataObject) -> None:
    outcome = evaluate(minimal_pack, data.draw(complete_answers(minimal_pack)))
    for flag in outcome.fired_of(RED_FLAG):
        assert URGENCY[outcome.disposition] >= URGENCY[flag.disposition or ""]
    if outcome.soft_tissue_struck:
        assert outcome.disposition not in ("soft_tissue", "both")


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_switching_an_answer_to_a_red_flag_value_never_lowers_urgency(
        minimal_pack: CompiledPack, data: st.DataObject) -> None:
    base = data.draw(complete_answers(minimal_pack))
    before = evaluate(minimal_pack, base)
    for qid, values in red_flag_values(minimal_pack).items():
        for value in values:
            if isinstance(value, int) and value < base[qid]:
                continue  # for numbers, "towards the flag" means upwards past its threshold
            after = evaluate(minimal_pack, {**base, qid: value})
            assert medical_rank(after.disposition) >= medical_rank(before.disposition), (
                f"{qid}={value!r} lowered {before.disposition} to {after.disposition}")


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_a_certain_partial_outcome_is_the_final_outcome(minimal_pack: CompiledPack,
                                                         data: st.DataObject) -> None:
    full = data.draw(complete_answers(minimal_pack))
    keep = data.draw(st.sets(st.sampled_from(sorted(full))))
    partial = assess_partial(minimal_pack, {k: full[k] for k in keep})
    if partial.disposition is not None:
        assert evaluate(minimal_pack, full).disposition == partial.disposition


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_unguarded_and_guarded_compiled_code_agree_on_any_subset_of_answers(
        minimal_pack: CompiledPack, data: st.DataObject) -> None:
    safe = minimal_pack.function("_decide_safe")
    full = data.draw(complete_answers(minimal_pack))
    keep = data.draw(st.sets(st.sampled_from(sorted(full))))
    subset = {k: full[k] for k in keep}
    assert as_given(minimal_pack, minimal_pack.decide(subset)) == as_given(minimal_pack,
                                                                           safe(subset))
    state = State(question_states(minimal_pack, subset).applicable, frozenset(),
                  minimal_pack.shapes)
    expected = [i for i, r in enumerate(minimal_pack.rules) if truth(r.when, state)]
    assert minimal_pack.fired_indices(subset) == expected


def test_a_gate_reading_a_question_no_rule_reads_compiles(pack_copy: Any) -> None:
    from triage.pack.load import load_pack

    # 'extra' is read by no rule; only the ask_if of 'gated' (also unread) reads it
    pack_dir = pack_copy({"notes.yaml": lambda text: text + (
        "# no rule reads extra or gated\n")})
    questions = pack_dir / "questions.yaml"
    questions.write_text(questions.read_text().replace("scores:", (
        "  - id: extra\n    text: {en: Extra?, fr: Extra?}\n    type: yes_no\n"
        "  - id: gated\n    text: {en: Gated?, fr: Gated?}\n    type: yes_no\n"
        "    ask_if: extra\n"
        "scores:")))
    pack = load_pack(pack_dir, use_cache=False)
    outcome = evaluate(pack, {**SAFE, "extra": "no", "gated": "yes"})
    assert outcome.ignored_answers == ("gated",)
