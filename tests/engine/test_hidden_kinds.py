"""The search for warning signs answered where they do not apply (triage.engine.hidden),
remembered by the kinds of the answers it reads (triage.engine.hidden_kinds): it names the
same signs as the search itself, for any answers, and searches once per kind of row, not
once per row (issue 15: the search was most of the time of a batch row that states a
sign)."""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from tests.authoring_helpers import load, small_pack
from tests.conftest import MINIMAL
from triage.conditions.tree import MULTI, NUMBER, SINGLE, YES_NO, QuestionShape
from triage.conditions.truth import changes_nothing
from triage.engine import hidden, hidden_kinds
from triage.engine.answers import normalise
from triage.engine.evaluate import MissingAnswers, assess_partial, evaluate
from triage.engine.hidden import (
    HiddenWarningSign,
    hidden_warning_signs,
    hidden_warning_signs_with_gaps,
)
from triage.engine.policy import RED_FLAG, URGENCY
from triage.pack.bundled import default_pack_dir
from triage.pack.compiled import CompiledPack
from triage.pack.load import load_pack

BUNDLED = load_pack(default_pack_dir())
MINIMAL_PACK = load_pack(MINIMAL, use_cache=False)

# a pack whose red flags read numbers every way a condition can (compared with constants,
# with another answer, in a sum), a count of signs, and a question behind two gates
ARITHMETIC = """
questions:
  - id: place
    text: Where is the problem?
    type: single
    options: [{id: back, text: Back}, {id: knee, text: Knee}, {id: arm, text: Arm}]
  - id: age
    text: How old are you?
    type: number
    min: 0
    max: 120
  - id: pain
    text: How bad is the pain, 0 to 10?
    type: number
    min: 0
    max: 10
  - id: back_signs
    text: Which of these?
    type: multi
    red_flag_screen: true
    ask_if: place == back
    options: [{id: numb, text: Numb}, {id: weak, text: Weak}, {id: bladder, text: Bladder},
              {id: not_sure, text: Not sure}]
  - id: night
    text: Is it worse at night?
    type: yes_no
    red_flag_screen: true
    ask_if: place == back
  - id: swelling
    text: How swollen, 0 to 10?
    type: number
    min: 0
    max: 10
    ask_if: place == knee
  - id: knee_signs
    text: Which of these?
    type: multi
    red_flag_screen: true
    ask_if: place == knee
    options: [{id: locked, text: Locked}, {id: hot, text: Hot}]
  - id: hot_since
    text: Since when?
    type: single
    red_flag_screen: true
    ask_if: hot in knee_signs
    options: [{id: today, text: Today}, {id: week, text: This week}]
red_flags:
  - id: back_nerves
    when: "place == back and (count(numb in back_signs, weak in back_signs, night == yes) >= 2
           or bladder in back_signs or not_sure in back_signs)"
    disposition: emergency
    reason: Nerve signs.
    SOURCE
  - id: back_older
    when: "place == back and night and age >= 65 and age != 70"
    disposition: same_day
    reason: Night pain when older.
    SOURCE
  - id: knee_load
    when: "place == knee and sum(swelling, pain) > 12"
    disposition: same_day
    reason: A swollen painful knee.
    SOURCE
  - id: knee_worse_than_pain
    when: "place == knee and swelling > pain and not (locked in knee_signs)"
    disposition: doctor_first
    reason: Swelling.
    SOURCE
  - id: knee_swollen_not_mild
    when: "place == knee and swelling >= 5 and not (pain < 3)"
    disposition: emergency
    reason: A swollen knee that hurts.
    SOURCE
  - id: knee_hot
    when: "place == knee and hot in knee_signs and hot_since == today and age < 40"
    disposition: emergency
    reason: A hot knee.
    SOURCE
indications:
  - id: arm
    when: place == arm
    supports: soft_tissue
    reason: Massage.
    SOURCE
"""


@pytest.fixture(scope="module")
def arithmetic(tmp_path_factory: pytest.TempPathFactory) -> CompiledPack:
    return load(small_pack(tmp_path_factory.mktemp("arithmetic"), ARITHMETIC))


# --------------------------------------------------------------------------- the reference


def searched(pack: CompiledPack, answers: Mapping[str, Any], ignored: tuple[str, ...],
             rank: int, counted: Mapping[str, Any]) -> tuple[HiddenWarningSign, ...]:
    """The signs as the search finds them flag by flag, nothing remembered: hidden._signs as
    it was before its searches were remembered by kind (each flag an answer does not change
    by :func:`changes_nothing` passed over, then :func:`hidden._searched_sign`)."""
    if rank >= hidden.MOST_URGENT:
        return ()
    stated: dict[str, Any] = {}
    candidates: dict[str, list[str]] = {}
    for qid in ignored:
        value, why = normalise(pack.shapes[qid], answers.get(qid))
        if value is None or why:
            continue
        stated[qid] = value
        for rule in pack.red_flag_rules:
            if qid in rule.reads and URGENCY[rule.disposition or ""] > rank \
                    and not changes_nothing(rule.when, qid, value, pack.shapes):
                candidates.setdefault(rule.id, []).append(qid)
    given_ = {**counted, **stated}
    found = (hidden._searched_sign(pack, rule, tuple(candidates[rule.id]), given_,
                                   frozenset(ignored))
             for rule in pack.red_flag_rules if rule.id in candidates)
    return tuple(sign for sign in found if sign is not None)


def same_as_the_search(pack: CompiledPack, answers: dict[str, Any],
                       ) -> tuple[HiddenWarningSign, ...]:
    """The signs found for ``answers`` (normal form), checked against :func:`searched`."""
    try:
        outcome = evaluate(pack, answers)
    except MissingAnswers:
        partial = assess_partial(pack, answers)
        with counting_searches() as searches:
            found = hidden_warning_signs_with_gaps(pack, answers, partial)
        held = [URGENCY[r.disposition or ""] for r, t in zip(pack.rules, partial.truths,
                                                             strict=True)
                if t is True and r.kind == RED_FLAG]
        want = searched(pack, answers, partial.states.ignored, max(held, default=-1),
                        partial.states.applicable) if partial.states.ignored else ()
    else:
        with counting_searches() as searches:
            found = hidden_warning_signs(pack, answers, outcome)
        want = searched(pack, answers, outcome.ignored_answers,
                        URGENCY[outcome.disposition], outcome.answers) \
            if outcome.ignored_answers else ()
    assert found == want
    if found and currently_in_test_context():
        event("signs found, all remembered" if not searches[0] else "signs found, searched")
    return found


# --------------------------------------------------------------------------- answers


def answer(shape: QuestionShape) -> st.SearchStrategy[Any]:
    """As bench_batch's rows give them (mostly no, about one box ticked), and numbers at and
    around the constants conditions compare them with."""
    if shape.type == YES_NO:
        return st.sampled_from(["no", "no", "no", "no", "no", "yes"])
    if shape.type == SINGLE:
        return st.sampled_from(shape.options)
    if shape.type == MULTI:
        return st.one_of(st.just(frozenset()),
                         st.frozensets(st.sampled_from(shape.options), min_size=1, max_size=2))
    assert shape.type == NUMBER
    lo, hi = int(shape.min or 0), int(shape.max or 120)
    near = [v for v in (0, 1, 5, 6, 7, 10, 11, 12, 13, 39, 40, 41, 64, 65, 66, 70, 75, hi)
            if lo <= v <= hi]
    return st.one_of(st.integers(lo, hi), st.sampled_from(near))


@st.composite
def rows(draw: st.DrawFn, pack: CompiledPack) -> dict[str, Any]:
    """Every question answered, whether it applies or not (as bench_batch's default rows),
    now and then one or two left out (a gap, or a gate question left open)."""
    answers = {qid: draw(answer(shape), label=qid) for qid, shape in pack.shapes.items()}
    for qid in draw(st.sets(st.sampled_from(sorted(pack.shapes)), max_size=2), label="out"):
        del answers[qid]
    return answers


def bench_rows(pack: CompiledPack, n: int, seed: int) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    for _ in range(n):
        answers: dict[str, Any] = {}
        for qid, shape in pack.shapes.items():
            if shape.type == YES_NO:
                answers[qid] = "yes" if rng.random() < 0.15 else "no"
            elif shape.type == SINGLE:
                answers[qid] = rng.choice(shape.options)
            elif shape.type == MULTI:
                share = min(0.4, 1.2 / len(shape.options))
                answers[qid] = frozenset(o for o in shape.options if rng.random() < share)
            else:
                answers[qid] = rng.randint(int(shape.min or 0), int(shape.max or 120))
        yield answers


@contextmanager
def counting_searches() -> Iterator[list[int]]:
    """How many searches run, in ``[0]``."""
    count = [0]
    search = hidden._holds_only_with

    def counted(*args: Any) -> bool:
        count[0] += 1
        return search(*args)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(hidden, "_holds_only_with", counted)
        yield count


# --------------------------------------------------------------------------- the same signs


@pytest.mark.long(26)
@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_bundled_pack_names_the_signs_the_search_names(data: st.DataObject) -> None:
    # the pack's memo is kept from one example to the next: most answers meet kinds
    # remembered from other rows
    same_as_the_search(BUNDLED, data.draw(rows(BUNDLED), label="row"))


@settings(max_examples=400)
@given(data=st.data())
def test_the_minimal_pack_names_the_signs_the_search_names(data: st.DataObject) -> None:
    same_as_the_search(MINIMAL_PACK, data.draw(rows(MINIMAL_PACK), label="row"))


@settings(max_examples=600, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_numbers_read_every_way_name_the_signs_the_search_names(
        arithmetic: CompiledPack, data: st.DataObject) -> None:
    same_as_the_search(arithmetic, data.draw(rows(arithmetic), label="row"))


@pytest.mark.long(12)
def test_a_batch_of_rows_searches_a_kind_of_row_once(arithmetic: CompiledPack) -> None:
    """Rows as bench_batch writes them: every answer the same as the search's, and far
    fewer searches than rows that state a sign (each such row searches ~5 flags)."""
    for pack, n in ((BUNDLED, 12_000), (arithmetic, 3_000)):
        pack.hidden_sign_memo.clear()
        with counting_searches() as searches:
            refused = sum(1 for answers in bench_rows(pack, n, seed=15) if
                          same_as_the_search(pack, answers))
        reference_searches = searches[0]
        pack.hidden_sign_memo.clear()
        with counting_searches() as searches:
            for answers in bench_rows(pack, n, seed=15):
                try:
                    outcome = evaluate(pack, answers)
                except MissingAnswers:
                    continue
                hidden_warning_signs(pack, answers, outcome)
        reference_searches -= searches[0]  # (same_as_the_search also ran the memo's)
        assert refused > 100, pack.id
        assert searches[0] < refused and searches[0] * 8 < reference_searches, (
            pack.id, searches[0], refused, reference_searches)


def test_answers_of_one_kind_are_looked_up_not_searched() -> None:
    # a cauda equina sign ticked for a shoulder, one sign or another: one search (weakness
    # of both legs is a kind of its own: after cancer it is another flag's too, pack 0.2.33)
    shoulder = {"emergency_signs": frozenset(), "age": 38, "recent_stroke_signs": "no",
                "areas": frozenset({"shoulder"}), "exertion_pain": "no",
                "today_signs": frozenset(), "health_history": frozenset(), "injury": "none",
                "duration": "under_6_weeks", "other_symptoms": frozenset(),
                "reasons": frozenset({"desk_posture"}), "conditions": frozenset()}
    BUNDLED.hidden_sign_memo.clear()
    for signs_, searched in (({"saddle_numbness"}, 1), ({"sexual_change"}, 0),
                             ({"both_legs_pain", "saddle_numbness"}, 0),
                             ({"both_legs_weak", "not_sure"}, 1), ({"both_legs_weak"}, 0)):
        answers = {**shoulder, "ces_signs": frozenset(signs_)}
        outcome = evaluate(BUNDLED, answers)
        with counting_searches() as searches:
            found = hidden_warning_signs(BUNDLED, answers, outcome)
        assert [s.rule.id for s in found] == ["cauda_equina_signs"]
        assert searches[0] == searched, signs_
        assert found == same_as_the_search(BUNDLED, answers)


def test_a_full_memo_still_names_every_sign(monkeypatch: pytest.MonkeyPatch,
                                            arithmetic: CompiledPack) -> None:
    """Remembering stops at MEMO_SIZE entries (memory stays flat); what is not remembered
    is searched."""
    monkeypatch.setattr(hidden_kinds, "MEMO_SIZE", 40)
    for pack in (BUNDLED, arithmetic):
        pack.hidden_sign_memo.clear()
        found = sum(1 for answers in bench_rows(pack, 1500, seed=16)
                    if same_as_the_search(pack, answers))
        assert found > 10
        assert len(pack.hidden_sign_memo) <= 40
        pack.hidden_sign_memo.clear()


@pytest.mark.parametrize("order", ["none first", "absent first"])
def test_an_answer_of_none_and_no_answer_are_one_kind(
        arithmetic: CompiledPack, order: str) -> None:
    """An answer of None is no answer, to the search's fold as to the three-valued truth
    and the engine: a swollen knee stated for an arm, the pain not given or given as None,
    is the same sign (the fold read None as 0, so "not (pain < 3)" failed and the sign went
    unnamed), and one key: searched once."""
    rule = arithmetic.rule_by_id["knee_swollen_not_mild"]
    base = {"place": "arm", "age": 30, "swelling": 6}
    givens = [{**base, "pain": None}, base]
    if order == "absent first":
        givens.reverse()
    arithmetic.hidden_sign_memo.clear()
    ignored = frozenset({"swelling"})
    signs = []
    with counting_searches() as searches:
        for given_ in givens:
            signs.append(hidden._hidden_sign(arithmetic, rule, ("swelling",), given_, ignored))
    assert searches[0] == 1
    for given_ in givens:
        assert hidden._searched_sign(arithmetic, rule, ("swelling",), given_, ignored) == \
            signs[0]
    assert signs[0] == signs[1] == HiddenWarningSign(rule, ("swelling",), ("place",))


def test_answers_no_key_can_hold_are_searched(arithmetic: CompiledPack) -> None:
    # a list for a multiple choice (a list is no key)
    rule = arithmetic.rule_by_id["back_nerves"]
    given_ = {"place": "arm", "age": 30, "back_signs": ["bladder"], "night": "no"}
    ignored = frozenset({"back_signs", "night"})
    arithmetic.hidden_sign_memo.clear()
    with counting_searches() as searches:
        for _ in range(2):
            sign = hidden._hidden_sign(arithmetic, rule, ("back_signs",), given_, ignored)
            assert sign is not None
            assert (sign.questions, sign.gates) == (("back_signs",), ("place",))
    assert searches[0] == 2


# --------------------------------------------------------------------------- kinds


def test_how_a_flag_reads_each_answer(arithmetic: CompiledPack) -> None:
    readers = {r.id: hidden_kinds._readers(r.when) for r in arithmetic.red_flag_rules}
    assert readers["back_older"] == (("age", hidden_kinds._REGION, (65.0, 70.0)),
                                     ("night", hidden_kinds._RAW, None),
                                     ("place", hidden_kinds._RAW, None))
    assert readers["back_nerves"][0] == (
        "back_signs", hidden_kinds._OPTIONS, frozenset({"numb", "weak", "bladder", "not_sure"}))
    # in a sum, or compared with another answer: as given
    assert readers["knee_load"] == (("pain", hidden_kinds._RAW, None),
                                    ("place", hidden_kinds._RAW, None),
                                    ("swelling", hidden_kinds._RAW, None))
    assert readers["knee_worse_than_pain"][0] == (
        "knee_signs", hidden_kinds._OPTIONS, frozenset({"locked"}))


@pytest.mark.parametrize(("one", "other", "same"), [
    (frozenset({"numb", "weak"}), frozenset({"bladder"}), True),  # the flag holds either way
    (frozenset({"numb"}), frozenset({"weak"}), True),  # one of two needed, either
    (frozenset({"numb"}), frozenset(), False),
    (frozenset(), frozenset(), True),
])
def test_answers_that_fold_alike_are_one_kind(arithmetic: CompiledPack, one: frozenset[str],
                                              other: frozenset[str], same: bool) -> None:
    rule = arithmetic.rule_by_id["back_nerves"]
    reader = next(r for r in hidden_kinds._rule_readers(arithmetic, rule) if r[0] == "back_signs")
    kinds = [hidden_kinds.kind(arithmetic, rule, reader, v) for v in (one, other)]
    assert (kinds[0] == kinds[1]) is same


@pytest.mark.parametrize(("one", "other", "same"), [
    (64, 30, True), (64, 65, False), (65, 66, True), (69.5, 66, True), (70, 71, False),
    (70, 65, False), (71, 120, True)])
def test_numbers_on_one_side_of_every_constant_are_one_kind(
        arithmetic: CompiledPack, one: float, other: float, same: bool) -> None:
    rule = arithmetic.rule_by_id["back_older"]
    reader = next(r for r in hidden_kinds._rule_readers(arithmetic, rule) if r[0] == "age")
    assert reader[1:3] == (hidden_kinds._REGION, (65.0, 70.0))
    kinds = [hidden_kinds.kind(arithmetic, rule, reader, v) for v in (one, other)]
    assert (kinds[0] == kinds[1]) is same


def test_a_nan_makes_no_key(arithmetic: CompiledPack) -> None:
    rule = arithmetic.rule_by_id["back_older"]
    reader = next(r for r in hidden_kinds._rule_readers(arithmetic, rule) if r[0] == "age")
    with pytest.raises(ValueError):
        hidden_kinds.kind(arithmetic, rule, reader, float("nan"))
