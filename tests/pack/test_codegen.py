"""The generated decision code: its fast and guarded variants both decide what the interpreted
conditions and the policy written out in tests/reference.py decide, whatever they are given
(answers missing or None included); anything not in normal form sends it to the guarded one."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests import reference
from tests.conftest import MINIMAL
from tests.engine.test_evaluate import SAFE, as_given
from tests.engine.test_partial_compiled import outcome_or_error
from triage.conditions.to_python import to_python
from triage.conditions.tree import Is
from triage.engine.answers import check_answers
from triage.engine.evaluate import (
    LoudAnswers,
    evaluate,
    evaluate_cold,
    head_of_checked_answers,
)
from triage.engine.hidden import hidden_warning_signs
from triage.engine.policy import URGENCY
from triage.pack.bundled import default_pack_dir
from triage.pack.codegen import generate
from triage.pack.compiled import CompiledPack, top_level_parts
from triage.pack.load import load_pack


@pytest.fixture(scope="module")
def clinical_pack() -> CompiledPack:
    return load_pack(default_pack_dir(), use_cache=False)


def valid_answers(pack: CompiledPack) -> dict[str, st.SearchStrategy[Any]]:
    """An answer to each question."""
    fields: dict[str, st.SearchStrategy[Any]] = {}
    for q in pack.questions:
        if q.type in ("yes_no", "single"):
            valid: st.SearchStrategy[Any] = st.sampled_from(q.choices)
        elif q.type == "multi":
            valid = st.frozensets(st.sampled_from(q.choices))
        else:
            assert q.min is not None and q.max is not None
            valid = st.integers(int(q.min), int(q.max)) | st.floats(q.min, q.max)
        fields[q.id] = valid
    return fields


def loose_answers(pack: CompiledPack) -> st.SearchStrategy[dict[str, Any]]:
    """Each question answered, left out, or given ``None`` (what a caller may pass)."""
    return st.fixed_dictionaries({}, optional={qid: valid | st.none() for qid, valid
                                               in valid_answers(pack).items()})


def check_agreement(pack: CompiledPack, given_answers: dict[str, Any]) -> None:
    normal = {k: v for k, v in given_answers.items() if v is not None}
    want = reference.decision(pack, normal)
    expected = (want.red, want.strike, want.soft, want.physio, want.indicated, want.hidden,
                want.record)
    safe = pack.function("_decide_safe")
    assert as_given(pack, safe(normal)) == expected
    assert as_given(pack, safe(given_answers)) == expected  # None and missing are the same
    assert as_given(pack, pack.decide(given_answers)) == expected  # fast, else guarded
    assert as_given(pack, pack.decide(normal)) == expected
    fired = [pack.rules[i].id for i in pack.fired_in(pack.decide(normal)[6])]
    assert fired == [r.id for r in reference.fired(pack, normal)]
    check_head_of_checked_answers(pack, normal, want)


_HEADS: dict[int, Callable[..., Any]] = {}  # one compiled head function per pack


def check_head_of_checked_answers(pack: CompiledPack, normal: dict[str, Any],
                                  want: reference.Decision) -> None:
    """The batch's code from checked answers (one per question, yes/no as True/False, None
    for no answer) gives evaluate()'s first fields, or KeyError only when a question that
    applies has no answer, or when a question that does not apply has an answer (which may
    state a warning sign: evaluate() and the hidden-sign check decide then)."""
    checked, problems = check_answers(normal, pack.shapes)
    if problems:  # (a fraction for a whole number, say): not for this code
        return
    head = _HEADS.get(id(pack)) or _HEADS.setdefault(id(pack), head_of_checked_answers(pack))
    values = [(checked[q.id] == "yes" if q.type == "yes_no" else checked[q.id])
              if q.id in checked else None for q in pack.questions]
    unanswered = [q.id for q in pack.questions if q.id not in checked and q.id not in want.hidden]
    try:
        got = head(*values)
    except LoudAnswers as loud:
        # every question that applies was answered: the head is evaluate()'s, and the
        # questions named are the ones it ignores, one of them answered with no quiet answer
        assert not unanswered
        outcome = evaluate(pack, checked)
        assert loud.head == (outcome.disposition, outcome.main_red_flag, outcome.points,
                             outcome.indicated)
        assert loud.ignored == outcome.ignored_answers
        rank = URGENCY[outcome.disposition]
        assert any(URGENCY[r.disposition or ""] > rank for q in loud.ignored
                   for r in pack.red_flag_rules if q in r.reads)
        return
    except KeyError:
        assert unanswered
        return
    assert not unanswered
    outcome = evaluate(pack, checked)
    assert got == (outcome.disposition, outcome.main_red_flag, outcome.points,
                   outcome.indicated)
    # a head given is a result: no warning sign was stated where it does not apply
    assert not hidden_warning_signs(pack, checked, outcome)
    assert got[1] == (pack.rules[want.red].id if want.red >= 0 else None)
    assert got[2:] == ((want.soft, want.physio), want.indicated)


@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_fast_and_guarded_code_agree_on_the_minimal_pack(minimal_pack: CompiledPack,
                                                         data: st.DataObject) -> None:
    check_agreement(minimal_pack, data.draw(loose_answers(minimal_pack)))


def test_an_answer_to_a_question_that_does_not_apply_leaves_the_head_to_evaluate(
        minimal_pack: CompiledPack) -> None:
    """'Can you bear weight? no' after 'no fall' may be a warning sign stated where it does
    not apply: the batch's head leaves it to evaluate() (found by the property above in CI)."""
    check_agreement(minimal_pack, {"chest_pain": "no", "blood_thinners": "yes",
                                   "problems": frozenset(), "area": "neck", "fall": "no",
                                   "fever": "yes", "can_bear_weight": "no", "age": 0})


@pytest.mark.long(14)
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_fast_and_guarded_code_agree_on_the_clinical_pack(clinical_pack: CompiledPack,
                                                          data: st.DataObject) -> None:
    check_agreement(clinical_pack, data.draw(loose_answers(clinical_pack)))


@pytest.fixture(scope="module")
def chunked_pack() -> CompiledPack:
    """The clinical pack with its scoring rules three to a helper function (as a large pack
    has them, 500 to a function: compiling one huge function takes longer)."""
    pack = load_pack(default_pack_dir(), use_cache=False)
    names = ("_decide_fast", "_decide_safe", "_outcome_fast", "_head_values")
    pack.sources.update(generate(pack.questions, pack.rules, names, chunk=3))
    scoring = sum(1 for r in pack.rules if r.kind == "indication")
    assert scoring > 6
    for name in names:  # every helper is there and called once
        helpers = (scoring + 2) // 3
        assert all(pack.sources[name].count(f"{name}_{k}(") == 2 for k in range(helpers))
        assert f"{name}_{helpers}(" not in pack.sources[name]
    pack.warm_up()
    return pack


@pytest.mark.long(18)
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_scoring_rules_in_helper_functions_decide_the_same(chunked_pack: CompiledPack,
                                                           data: st.DataObject) -> None:
    decides_as_interpreted(chunked_pack, data)


def decides_as_interpreted(pack: CompiledPack, data: st.DataObject) -> None:
    """Every generated variant, and evaluate(), against the reference and the interpreter,
    on answers with every question answered half the time (loose answers seldom reach the
    scoring rules)."""
    answers = data.draw(loose_answers(pack) | st.fixed_dictionaries(valid_answers(pack)))
    check_agreement(pack, answers)
    normal = {k: v for k, v in answers.items() if v is not None}
    assert outcome_or_error(evaluate, pack, normal) == outcome_or_error(evaluate_cold, pack,
                                                                        normal)


# two gates and two scoring rules over several questions that hold one part (``or`` of two
# answers) alike
GATED_TWICE = """
  - id: stiff_today
    text: {en: Is it stiff today?, fr: Est-ce raide aujourd'hui?}
    type: yes_no
    ask_if: "area == low_back or fever == yes"
  - id: stiff_yesterday
    text: {en: Was it stiff yesterday?, fr: Était-ce raide hier?}
    type: yes_no
    ask_if: "area == low_back or fever == yes"
"""
REPEATING = """
  - id: back_or_fever_stiff
    label: {en: "Stiff", fr: "Raide"}
    when: "(area == low_back or fever == yes) and stiffness in problems"
    supports: soft_tissue
    points: {soft_tissue: 1}
    reason: {en: Stiff., fr: Raide.}
    source: {citation: "Test", year: 2024, kind: consensus}
  - id: back_or_fever_strain
    label: {en: "Strain", fr: "Elongation"}
    when: "(area == low_back or fever == yes) and strain in problems"
    supports: physiotherapy
    points: {physiotherapy: 1}
    reason: {en: Strain., fr: Elongation.}
    source: {citation: "Test", year: 2024, kind: consensus}
"""
OUTCOME_CODE = ("_decide_fast", "_decide_safe", "_outcome_fast", "_head_values")


@pytest.fixture(scope="module", params=[1, 500], ids=["a helper per rule", "one function"])
def repeating_pack(request: pytest.FixtureRequest,
                   tmp_path_factory: pytest.TempPathFactory) -> CompiledPack:
    """The minimal pack with a part that two scoring rules repeat, worked out once into a
    local; with ``chunk`` 1, each scoring rule in a helper function of its own."""
    folder = tmp_path_factory.mktemp("repeating") / "pack"
    shutil.copytree(MINIMAL, folder)
    rules = folder / "indications.yaml"
    rules.write_text(rules.read_text(encoding="utf-8") + REPEATING, encoding="utf-8")
    questions = folder / "questions.yaml"
    text = questions.read_text(encoding="utf-8")
    questions.write_text(text.replace("\nscores:", GATED_TWICE + "scores:"), encoding="utf-8")
    pack = load_pack(folder, use_cache=False)
    pack.sources.update(generate(pack.questions, pack.rules, OUTCOME_CODE,
                                 chunk=request.param))
    pack.warm_up()
    return pack


def test_a_repeated_part_is_worked_out_once(repeating_pack: CompiledPack) -> None:
    """Once, into a local, in the function that holds the rules; scoring rules in helper
    functions (a large pack's) read only the answers they are given (found by the 6,000-rule
    build benchmark: a NameError)."""
    source = repeating_pack.sources["_outcome_fast"]
    helpers = [part for part in top_level_parts(source)
               if part.startswith("def _outcome_fast_")]
    assert source.count("c0 = ") == 1
    assert not [h for h in helpers if re.search(r"\bc\d+\b", h)]
    body = source.split("def _outcome_fast(a)")[1]
    assert body.count("c0") == (3 if helpers else 5)  # set once, read by gates (and rules)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_a_repeated_part_decides_as_written_out(repeating_pack: CompiledPack,
                                                data: st.DataObject) -> None:
    decides_as_interpreted(repeating_pack, data)


def test_a_none_number_is_not_taken_for_an_answer_by_a_not_equal_test(pack_copy: Any) -> None:
    # 'age != 40' is the only test of age in this rule: without a guard, None != 40 holds
    pack_dir: Path = pack_copy({"indications.yaml": lambda text: text.replace(
        'when: "sum(distress, 0) >= 2"', 'when: "age != 40"')})
    pack = load_pack(pack_dir, use_cache=False)
    with_age = evaluate(pack, {**SAFE, "age": 41})
    assert "distressed_back" in {r.id for r in with_age.fired}
    without = {k: v for k, v in SAFE.items() if k != "age"}
    assert pack.decide({**without, "age": None}) == pack.decide(without)
    assert pack.decide({**without, "age": None})[4] == with_age.indicated - 1


def test_yes_no_answers_held_as_truth_values_read_as_a_person_writes_them() -> None:
    flags = frozenset({"fever"})

    def python(options: set[str], negate: bool = False) -> str:
        return to_python(Is("fever", frozenset(options), negate), lambda q: "v",
                         present=flags, flags=flags)

    assert python({"yes"}) == "v"
    assert python({"no"}) == "(not v)"
    assert python({"yes"}, negate=True) == "(not v)"
    assert python({"no"}, negate=True) == "v"
    assert python({"yes", "no"}) == "True"
    assert python({"yes", "no"}, negate=True) == "False"


@pytest.mark.parametrize("value", ["maybe", "YES", 1, None])
def test_a_yes_no_answer_not_in_normal_form_runs_the_guarded_code(
        minimal_pack: CompiledPack, value: Any) -> None:
    fast = minimal_pack.function("_decide_fast")
    with pytest.raises((KeyError, TypeError)):
        fast({**SAFE, "chest_pain": value})


def totals_of_fired_rules(pack: CompiledPack, given: dict[str, Any]) -> tuple[int, int, int]:
    fired = [pack.rules[i] for i in pack.fired_indices(given)]
    indications = [r for r in fired if r.kind == "indication"]
    return (sum(r.points[0] for r in indications), sum(r.points[1] for r in indications),
            len(indications))


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_packed_totals_equal_the_sums_over_the_fired_indications(
        clinical_pack: CompiledPack, data: st.DataObject) -> None:
    given_answers = data.draw(loose_answers(clinical_pack))
    _, _, soft, physio, n, _, _ = clinical_pack.decide(given_answers)
    assert (soft, physio, n) == totals_of_fired_rules(clinical_pack, given_answers)


def test_packed_totals_do_not_overflow_into_each_other(pack_copy: Any) -> None:
    # huge weights on every indication: each packed field must be wide enough for its sum
    pack_dir: Path = pack_copy({"indications.yaml": lambda text: text.replace(
        "points: {soft_tissue: 2}", "points: {soft_tissue: 123456789}").replace(
        "points: {physiotherapy: 2}", "points: {physiotherapy: 987654321}").replace(
        "points: {soft_tissue: 2, physiotherapy: 2}",
        "points: {soft_tissue: 555555555, physiotherapy: 999999999}")})
    pack = load_pack(pack_dir, use_cache=False)
    everything = {**SAFE, "area": "low_back",
                  "problems": frozenset({"stiffness", "strain", "after_surgery"})}
    _, _, soft, physio, n, _, _ = pack.decide(everything)
    assert (soft, physio, n) == totals_of_fired_rules(pack, everything)
    assert soft > 123456789 + 555555555 and physio >= 987654321 + 999999999


def test_generated_code_is_compiled_one_top_level_function_at_a_time(
        chunked_pack: CompiledPack) -> None:
    source = chunked_pack.sources["_outcome_fast"]
    parts = top_level_parts(source)
    helpers = sum(1 for r in chunked_pack.rules if r.kind == "indication") // 3
    assert len(parts) >= helpers + 2  # the tables, each helper, the function itself
    assert "\n".join(parts) == source
    assert all(p.startswith("def ") and "\ndef " not in p for p in parts[1:])
    assert not parts[0].startswith("def ")
    assert top_level_parts("def f():\n    return 1\n") == ["def f():\n    return 1\n"]
