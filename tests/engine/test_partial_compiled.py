"""The compiled three-valued path (answers with gaps) gives exactly the interpreted result.

Property tests over random partial answers on the minimal pack, every pack under tests/packs
and the bundled pack: ``assess_partial`` (question states, each rule's truth, the certain
disposition, the rules that still matter) and ``evaluate`` (disposition, main red flag,
totals, the answers that count, the fired rules, the red flags left unchecked, or the same
MissingAnswers / AnswersNotNormalised) against ``assess_partial_interpreted`` and
``evaluate_interpreted``.
"""

from __future__ import annotations

import contextlib
import re
from functools import cache
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import MINIMAL, TESTS
from triage.conditions.tree import MULTI, NUMBER, SINGLE, YES_NO
from triage.engine.answers import check_answers
from triage.engine.evaluate import (
    AnswersNotNormalised,
    MissingAnswers,
    _complete,
    assess_partial,
    assess_partial_interpreted,
    evaluate,
    evaluate_interpreted,
    two_valued_outcome,
)
from triage.engine.partial import compiled_partial
from triage.pack.compiled import CompiledPack
from triage.pack.load import load_pack
from triage.pack.specs import QuestionSpec

PACKS: list[Any] = [*sorted([MINIMAL, *(p for p in (TESTS / "packs").iterdir()
                              if p.is_dir() and p != MINIMAL)]), None]  # None: bundled


@cache
def loaded(path: Any) -> CompiledPack:
    """The pack, set to run its compiled code from the first call (see test_tiers)."""
    pack = load_pack(path, use_cache=False)
    pack.warm_up()
    return pack


def normal_answer(q: QuestionSpec) -> st.SearchStrategy[Any]:
    if q.type == YES_NO:
        return st.sampled_from(["yes", "no"])
    if q.type == SINGLE:
        return st.sampled_from([o.id for o in q.options])
    if q.type == MULTI:
        return st.frozensets(st.sampled_from([o.id for o in q.options]))
    assert q.type == NUMBER and q.min is not None and q.max is not None
    low, high = int(q.min), int(q.max)
    # the ends of the range and every threshold a rule compares with are the interesting values
    return st.one_of(st.sampled_from([low, high, (low + high) // 2]),
                     st.integers(low, high))


def other_form(q: QuestionSpec) -> st.SearchStrategy[Any]:
    """Accepted answers not in normal form, and answers that are not answers."""
    if q.type == YES_NO:
        return st.sampled_from([True, False, "Yes", "maybe"])
    if q.type == MULTI:
        return st.lists(st.sampled_from([o.id for o in q.options]), max_size=2)
    if q.type == NUMBER:
        return st.sampled_from(["7", 7.0, True, 1e9])
    return st.sampled_from(["", "not an option"])


@st.composite
def partial_answers(draw: st.DrawFn, pack: CompiledPack, odd: bool) -> dict[str, Any]:
    """Each question left out (often), answered in normal form, or (``odd``) answered None
    or in another form; sometimes an answer to no question."""
    out: dict[str, Any] = {}
    for q in pack.questions:
        choice = draw(st.sampled_from(["gap", "gap", "answer", "answer", "answer", "odd"]
                                      if odd else ["gap", "answer", "answer"]))
        if choice == "answer":
            out[q.id] = draw(normal_answer(q))
        elif choice == "odd":
            out[q.id] = draw(st.one_of(st.none(), other_form(q)))
    if odd and draw(st.booleans()):
        out["no_such_question"] = "yes"
    return out


def outcome_or_error(run: Any, pack: CompiledPack, answers: dict[str, Any]) -> tuple[Any, ...]:
    try:
        o = run(pack, answers)
    except MissingAnswers as exc:
        return ("missing", exc.questions)
    except AnswersNotNormalised as exc:
        return ("not normal", exc.questions)
    return ("outcome", o.disposition, o.main_red_flag, o.soft_tissue_struck, o.points,
            o.indicated, o.record, o.ignored_answers, [r.id for r in o.red_flags_unchecked],
            [r.id for r in o.fired], o.answers)


SETTINGS = settings(max_examples=120, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("path", PACKS, ids=lambda p: p.name if p else "bundled")
@SETTINGS
@given(data=st.data())
def test_assess_partial_compiled_equals_interpreted(path: Any, data: st.DataObject) -> None:
    pack = loaded(path)
    answers = data.draw(partial_answers(pack, odd=False))
    compiled, interpreted = assess_partial(pack, answers), assess_partial_interpreted(pack,
                                                                                     answers)
    assert compiled.truths == interpreted.truths  # which rules hold, fail or are unknown
    assert compiled.disposition == interpreted.disposition
    assert compiled.deciding == interpreted.deciding
    assert compiled.states == interpreted.states
    assert list(compiled.states.applicable) == list(interpreted.states.applicable)


@pytest.mark.long(9)
@pytest.mark.parametrize("path", PACKS, ids=lambda p: p.name if p else "bundled")
@SETTINGS
@given(data=st.data())
def test_evaluate_compiled_equals_interpreted(path: Any, data: st.DataObject) -> None:
    pack = loaded(path)
    answers = data.draw(partial_answers(pack, odd=data.draw(st.booleans())))
    assert outcome_or_error(evaluate, pack, answers) == \
        outcome_or_error(evaluate_interpreted, pack, answers)


@st.composite
def place_answers(draw: st.DrawFn, pack: CompiledPack) -> dict[str, Any]:
    """Answers that leave the place of the problem open: no place chosen, "many places",
    one place or no answer, with pain somewhere (or not sure) or not, and the answers that
    name a place later (sciatica, pain among the reasons, "not sure"); the other questions
    as :func:`partial_answers`. The bundled pack's "every place" and the scores over it are
    parts over several questions that its gates and rules repeat (derived atoms, see
    triage.conditions.to_atoms)."""
    out = draw(partial_answers(pack, odd=False))
    choices = {"areas": [frozenset(), frozenset({"whole_body"}), frozenset({"leg"}),
                         frozenset({"neck", "whole_body"}), None],
               "problem_somewhere": ["yes", "no", "not_sure", None],
               "problem_now": ["yes", "no", "not_sure", None],
               "conditions": [frozenset({"sciatica"}), frozenset({"arthritis"}), frozenset(),
                              None],
               "reasons": [frozenset({"strain"}), frozenset({"other_pain"}), frozenset(), None]}
    for qid, values in choices.items():
        value = draw(st.sampled_from(values))
        out.pop(qid, None)
        if value is not None:
            out[qid] = value
    return out


@pytest.mark.long(12)
@SETTINGS
@given(data=st.data())
def test_places_left_open_compiled_equals_interpreted(data: st.DataObject) -> None:
    pack = loaded(None)
    answers = data.draw(place_answers(pack))
    assert not check_answers(answers, pack.shapes)[1]  # every value above is an answer
    assert assess_partial(pack, answers) == assess_partial_interpreted(pack, answers)
    assert outcome_or_error(evaluate, pack, answers) == \
        outcome_or_error(evaluate_interpreted, pack, answers)


def test_the_bundled_pack_reads_each_answer_once() -> None:
    """Every condition of the bundled pack is read through its questions' atoms: after a
    question's own code, ``_partial`` tests its answer nowhere (the "every place" score,
    expanded into some thirty gates and rules, read the areas answer a dozen times at each;
    now it is one derived atom, set once)."""
    pack = loaded(None)
    compiled_partial(pack)
    source = pack.sources["_partial"]
    body = source[source.index("def _partial("):]
    # to_kleene's reading of an answer, "(test if qN is not None else ...)", is gone
    assert not re.search(r" if q\d+ is not None else | in q\d+\b", body)
    every_place = [line for line in body.splitlines() if line.lstrip().startswith("d")
                   and " = " in line]
    assert every_place  # the derived atoms


def only_therapy_details_missing(pack: CompiledPack, answers: dict[str, Any]) -> bool:
    """Whether ``answers`` (in normal form) leave questions pending, none of them asked by a
    safety rule still unknown, and the outcome is not certain: they are decided as if the
    missing answers were not given (``_settled``, see CompiledPartial.settled)."""
    run = compiled_partial(pack).run(answers, True)
    return run.__class__ is tuple and bool(run[1]) and not \
        compiled_partial(pack).unanswered_safety_questions(run[0], run[1])


@pytest.mark.parametrize("path", PACKS, ids=lambda p: p.name if p else "bundled")
@SETTINGS
@given(data=st.data())
def test_settled_equals_the_guarded_two_valued_decision(path: Any,
                                                        data: st.DataObject) -> None:
    """Answers with only therapy details missing: the generated ``_settled`` gives the
    outcome of the guarded two-valued decision (``_decide_safe``), field by field."""
    pack = loaded(path)
    answers = data.draw(partial_answers(pack, odd=False))
    if only_therapy_details_missing(pack, answers):
        assert outcome_or_error(lambda p, a: compiled_partial(p).settled(a), pack, answers) \
            == outcome_or_error(_complete, pack, answers)


def test_answers_missing_only_therapy_details_skip_the_guarded_code() -> None:
    """The bundled pack's cases that leave only therapy details unanswered are decided by
    ``_settled``: the guarded two-valued code (``_decide_safe``, which reads the repeated
    "every place" parts at every gate, ~13 us a call) is never generated for them, and the
    outcome is the interpreter's."""
    pack = load_pack(None, use_cache=False)
    pack.warm_up()
    reference = loaded(None)  # the interpreter's path generates _decide_safe: another copy
    evaluate(pack, dict(pack.cases[0].answers))
    settled = 0
    for case in pack.cases:
        for left_out in case.answers:
            answers = {k: v for k, v in case.answers.items() if k != left_out}
            if only_therapy_details_missing(pack, answers):
                settled += 1
                assert outcome_or_error(evaluate, pack, answers) == \
                    outcome_or_error(evaluate_interpreted, reference, answers)
                assert "_decide_safe" not in pack.sources, (case.id, left_out)
    assert settled >= 20


@pytest.mark.long(21)
@pytest.mark.parametrize("path", PACKS, ids=lambda p: p.name if p else "bundled")
def test_pack_cases_with_gaps_agree(path: Any) -> None:
    """The pack's own cases, and each with every single answer taken out."""
    pack = loaded(path)
    for case in pack.cases:
        for left_out in (None, *case.answers):
            answers = {k: v for k, v in case.answers.items() if k != left_out}
            assert outcome_or_error(evaluate, pack, answers) == \
                outcome_or_error(evaluate_interpreted, pack, answers), (case.id, left_out)
            assert assess_partial(pack, answers) == assess_partial_interpreted(pack, answers)


@pytest.mark.parametrize("path", PACKS, ids=lambda p: p.name if p else "bundled")
def test_normal_answers_never_leave_the_compiled_code(path: Any) -> None:
    """Answers in normal form are read by the generated ``_partial`` itself: it raises only
    for answers it must hand back (the results above would hide a slow fallback)."""
    pack = loaded(path)
    compiled = compiled_partial(pack)
    for case in pack.cases:
        for left_out in (None, *case.answers):
            answers = {k: v for k, v in case.answers.items() if k != left_out}
            compiled.run(answers)  # raises KeyError or TypeError if it had to hand back
            compiled.run(answers)  # and again, remembered


@pytest.mark.long(11)
@pytest.mark.parametrize("path", PACKS, ids=lambda p: p.name if p else "bundled")
def test_answers_to_questions_that_do_not_apply_are_read_by_the_careful_code(
        path: Any) -> None:
    """``_partial`` does not look for answers to questions whose ``ask_if`` is false: answers
    that hold one are handed to ``_partial_careful``, which reads them, as the interpreter
    does; answers without one never reach it."""
    pack = loaded(path)
    compiled = compiled_partial(pack)
    namespace = compiled.run.__globals__
    handed: list[dict[str, Any]] = []
    held = [namespace["_careful"]]  # the engine's, until it has made the careful code

    def spy(answers: dict[str, Any], stop: bool = True) -> Any:
        handed.append(answers)
        found = held[0](answers, stop)
        if namespace["_careful"] is not spy:  # the careful code, made: it takes my place
            held[0], namespace["_careful"] = namespace["_careful"], spy
        return found

    added = 0
    namespace["_careful"] = spy
    try:
        for case in pack.cases:
            answers = dict(case.answers)
            compiled.run(answers)
            assert not handed, case.id  # nothing to hand over
            states = assess_partial(pack, answers).states
            hidden = [q for q in pack.questions if q.id not in answers and q.ask_if is not None
                      and q.id not in states.applicable and q.id not in states.pending]
            for q in hidden[:3]:
                more = {**answers, q.id: other_answers(q)[0]}
                assert assess_partial(pack, more) == assess_partial_interpreted(pack, more)
                assert outcome_or_error(evaluate, pack, more) == \
                    outcome_or_error(evaluate_interpreted, pack, more)
                assert handed and handed[-1] == more, (case.id, q.id)
                added += 1
            handed.clear()
    finally:
        namespace["_careful"] = held[0]
    assert added or path not in (None, MINIMAL)  # (some packs' cases leave no gate false)


def other_answers(q: QuestionSpec) -> list[Any]:
    """Answers in normal form to ``q``, the first of them given to it where it does not
    apply."""
    if q.type == NUMBER:
        assert q.min is not None
        return [int(q.min)]
    if q.type == MULTI:
        return [frozenset({q.options[0].id})]
    return list(q.shape.choices)


@pytest.mark.parametrize("path", PACKS, ids=lambda p: p.name if p else "bundled")
def test_none_and_answers_to_no_question_are_handed_back(path: Any) -> None:
    """``_partial`` counts the answers it reads: an answer of None, or one to no question of
    the pack, is handed back (KeyError) for the caller to normalise or refuse, never read as
    a gap or left unread."""
    pack = loaded(path)
    compiled = compiled_partial(pack)
    for case in pack.cases:
        answers = dict(case.answers)
        compiled.run(answers)  # read by the compiled code as it is
        odd = [{**answers, "no_such_question": "yes"},
               *({**answers, q.id: None} for q in pack.questions)]
        for refused in odd:
            with pytest.raises(KeyError):
                compiled.run(refused)
            with pytest.raises(KeyError):
                compiled.run(refused, True)


def test_a_stopped_outcome_holds_its_fired_rules_without_a_dict() -> None:
    """An outcome made when the questionnaire stopped early carries the rules that hold (worked
    out three-valued) in the tuple itself: no dict is made for it, not even when they are read,
    and it pickles with them."""
    import gc
    import pickle

    pack = loaded(None)
    stopped = []
    for case in pack.cases:
        outcome = evaluate(pack, dict(case.answers))
        if outcome.fired_known is None:
            continue
        stopped.append(outcome)
        assert not [r for r in gc.get_referents(outcome) if isinstance(r, dict)]
        want = evaluate_interpreted(pack, dict(case.answers))
        assert [r.id for r in outcome.fired] == [r.id for r in want.fired]
        assert not [r for r in gc.get_referents(outcome) if isinstance(r, dict)]
    assert len(stopped) >= 20  # the pack's emergencies with questions still pending
    # all in one pickle, as a batch crossing to another process: the pack they hold travels
    # once (each alone would carry its own copy of it)
    again = pickle.loads(pickle.dumps(stopped))
    assert len(again) == len(stopped)
    for copy, outcome in zip(again, stopped, strict=True):
        assert copy == outcome and copy.fired == outcome.fired


class ReadCounting(dict[str, Any]):
    """Answers that count how many of them were read by key."""

    reads = 0

    def __getitem__(self, key: str) -> Any:
        self.reads += 1
        return super().__getitem__(key)


def test_answers_lacking_one_of_the_last_two_always_asked_skip_the_complete_answer_code() -> None:
    """The complete-answer code reads every question always asked: for answers stopped early
    (no answer to one of the last two of them, or fewer answers than those questions) it
    returns None before reading any, and evaluate() goes on to the three-valued code, with the
    same outcome; answers to all of them are read."""
    pack = load_pack(None, use_cache=False)
    pack.warm_up()
    fast = two_valued_outcome(pack)  # what evaluate() tries first for a large pack
    always = [q.id for q in pack.questions if q.ask_if is None]
    complete = [dict(c.answers) for c in pack.cases if always[-1] in c.answers
                and always[-2] in c.answers and len(c.answers) >= len(always)]
    assert complete
    for answers in complete:
        for left_out in always[-2:]:
            fewer = ReadCounting((k, v) for k, v in answers.items() if k != left_out)
            assert fast(fewer) is None and fewer.reads == 0, left_out
            want = outcome_or_error(evaluate_interpreted, pack, dict(fewer))
            assert outcome_or_error(evaluate, pack, dict(fewer)) == want
        first = ReadCounting((k, v) for k, v in answers.items() if k in always[1:])
        assert len(first) < len(always)
        assert fast(first) is None and first.reads == 0
        read = ReadCounting(answers)
        with contextlib.suppress(KeyError, TypeError):  # (a None answer, say)
            fast(read)
        assert read.reads >= len(always)


def test_a_rule_that_holds_when_a_therapy_detail_is_not_answered_holds_in_settled(
        pack_copy: Any) -> None:
    """Answers missing only therapy details count them as not answered (``_settled``): an
    indication that holds on no answer ("not worried": physiotherapy) holds then, as in the
    guarded two-valued code, and changes the result. Dropping those rules' bits from
    ``_settled`` failed no test: no pack had such a rule."""
    calm = ('  - id: calm_back\n    label: {en: "Calm", fr: "Calme"}\n'
            '    when: {not: "worry == yes"}\n    supports: physiotherapy\n'
            '    points: {physiotherapy: 5}\n'
            '    reason: {en: Keep moving., fr: Continuez de bouger.}\n'
            '    source: {citation: "Seed article: soft tissue therapy vs physiotherapy",'
            ' year: 2024, kind: consensus}\n')
    pack = load_pack(pack_copy({"indications.yaml": lambda text: text + calm}),
                     use_cache=False)
    pack.warm_up()
    answers = {"chest_pain": "no", "age": 40, "fall": "no", "fever": "no",
               "area": "low_back", "problems": frozenset({"stiffness"}),
               "blood_thinners": "no", "low_mood": "no"}  # worry: no answer
    assert only_therapy_details_missing(pack, answers)
    settled = compiled_partial(pack).settled(answers)
    assert settled.points == (4, 7) and settled.indicated == 3  # calm_back: physio 5
    assert outcome_or_error(lambda p, a: compiled_partial(p).settled(a), pack, answers) \
        == outcome_or_error(_complete, pack, answers)
