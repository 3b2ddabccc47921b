"""A decimal answer compares with a pack's bounds as the number written (H40).

Answers and constants are floats; rounding to a float keeps the order of two numbers but not
always their difference: 41.0000000000000001 is the float 41.0, so "temp > 41" was false
for it. A number whose float is not its shortest form is refused (an answer: with a message
naming the digits; a constant or a sum of decimals in a pack: a pack problem), and every
other one compares as written, in the compiled engine and the interpreted one alike. Held
against an exact reference (fractions of the text as written)."""

from __future__ import annotations

import functools
import shutil
import tempfile
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.conftest import MINIMAL
from triage.conditions.checker import ConditionChecker
from triage.conditions.tree import NUMBER, QuestionShape
from triage.engine.answers import normalise
from triage.engine.evaluate import assess_partial_interpreted, evaluate
from triage.engine.flow import Rejected, parse_answer
from triage.pack.compiled import CompiledPack
from triage.pack.load import load_pack

# red flag -> (op, bound as written): 38.1 is no float, 39.5 is one, 41 a whole number
BOUNDS = {"temp_hot": (">", "38.1"), "temp_very_hot": (">=", "39.5"), "temp_extreme": (">", "41")}
BASE = {"chest_pain": "no", "fall": "no", "fever": "no", "age": 40, "area": "neck",
        "problems": ["stiffness"], "blood_thinners": "no"}
OPS = {">": lambda a, b: a > b, ">=": lambda a, b: a >= b}


@functools.cache
def pack() -> CompiledPack:
    """The minimal pack with a decimal question (a temperature) and red flags on it."""
    target = Path(tempfile.mkdtemp()) / "pack"
    shutil.copytree(MINIMAL, target)
    questions = target / "questions.yaml"
    questions.write_text(questions.read_text(encoding="utf-8").replace("scores:", """\
  - id: temp
    text: {en: Your temperature?, fr: Votre température?}
    type: number
    integer: false
    min: 30
    max: 45
scores:""", 1), encoding="utf-8")
    flags = target / "red_flags.yaml"
    flags.write_text(flags.read_text(encoding="utf-8") + "".join(f"""\
  - id: {rule}
    label: {{en: "Hot", fr: "Chaud"}}
    when: "temp {op} {bound}"
    disposition: same_day
    reason: {{en: Hot., fr: Chaud.}}
    source: {{citation: "test", year: 2024, kind: public_health}}
""" for rule, (op, bound) in BOUNDS.items()), encoding="utf-8")
    shutil.rmtree(target / "tests", ignore_errors=True)
    return load_pack(target, use_cache=False)


def _near(bound: str, steps: int, digits: int) -> str:
    """A number ``steps`` units of the ``digits``-th decimal place from ``bound``."""
    return str(Decimal(bound) + Decimal(steps).scaleb(-digits))


TEXTS = st.builds(_near, st.sampled_from([b for _, b in BOUNDS.values()]),
                  st.integers(-3, 3), st.integers(0, 25))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS)
@example(text="41.0000000000000001")  # H40: was the float 41.0, so not past 41
@example(text="38.1")
@example(text="38.10000000000001")
@example(text="39.49999999999999999")
def test_a_decimal_answer_compares_with_the_bounds_as_written(text: str) -> None:
    compiled = pack()
    written = Fraction(text)
    normal, why = normalise(compiled.shapes["temp"], text)
    typed = parse_answer(compiled.question_by_id["temp"], text, "en")
    if why:  # refused only when its float is another number, as typed too
        assert "at most 15 significant digits" in why
        assert Fraction(repr(float(written))) != written
        assert isinstance(typed, Rejected) and typed.key == "too_precise"
        return
    assert typed == normal
    answers: dict[str, Any] = {**BASE, "temp": normal}
    fired = {r.id for r in evaluate(compiled, answers).fired}
    interpreted = assess_partial_interpreted(compiled, answers)
    for rule, (op, bound) in BOUNDS.items():
        want = OPS[op](written, Fraction(bound))
        assert (rule in fired) == want, (rule, text)
        index = next(i for i, r in enumerate(compiled.rules) if r.id == rule)
        assert interpreted.truths[index] is want, (rule, text)


def test_the_float_of_a_number_written_with_more_digits_is_another_number() -> None:
    # the residual H40 named: 41.0000000000000001 compared as 41.0 (not past a bound of 41)
    shape = QuestionShape("temp", NUMBER, (), 30, 45, False)
    assert normalise(shape, "41.0000000000000001") == (
        None, "'temp' takes a number of at most 15 significant digits")
    assert normalise(shape, "41.00000000000001") == (41.00000000000001, "")
    assert normalise(shape, 41.5) == (41.5, "")  # a JSON or YAML number read with its text


@pytest.mark.parametrize(("condition", "problem"), [
    ("temp > 41.0000000000000001", "the number 41.0000000000000001 has more digits than can "
                                   "be compared exactly (at most 15 significant digits)"),
    ("sum(temp, 1) > 42", "sum() adds a decimal number, which cannot be added exactly: "
                          "compare each number on its own"),
    ("sum(age, 0.5) > 42", "sum() adds a decimal number"),
    ({"question": "temp", "op": ">", "value": Fraction(1)}, None),  # (not a number: below)
])
def test_a_pack_cannot_compare_what_a_float_does_not_keep(condition: Any,
                                                          problem: str | None) -> None:
    shapes = {"temp": QuestionShape("temp", NUMBER, (), 30, 45, False),
              "age": QuestionShape("age", NUMBER, (), 0, 120, True)}
    found: list[str] = []
    result = ConditionChecker(shapes).condition(condition, lambda _p, _o, m: found.append(m))
    if problem is None:
        assert found  # a number is needed
        return
    assert result is None and found and found[0].startswith(problem)
    # the same with the digits a float keeps, and whole numbers in sums: no problem
    found.clear()
    fine = condition.replace("41.0000000000000001", "41.00000000000001").replace(
        "sum(temp, 1)", "sum(age, 1)").replace("0.5", "1")
    assert ConditionChecker(shapes).condition(fine, lambda _p, _o, m: found.append(m))
    assert found == []
