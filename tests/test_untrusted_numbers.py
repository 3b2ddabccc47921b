"""Every way a number comes in reads the same text as the same number, or refuses it for the
same reason: an answers file (a YAML or JSON text, a JSON number, a YAML number), a batch CSV
cell, the terminal questionnaire, the web page and the JSON API. Each is held against one
reading made here independently, with exact integers and fractions (no float).

str.isdigit() took "²" and "①" (then int() raised: exit 70 or HTTP 500), float() read
15.99999999999999999 as 16.0 (an age of 16, where 15 gives another result), and each entry
point had its own test: they now share one reading (triage.untrusted)."""

from __future__ import annotations

import functools
import json
import re
from fractions import Fraction
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.conftest import MINIMAL
from triage.batch.parsers import _csv_parser, _known_cells, _parse_cell
from triage.batch.rows import _Bad
from triage.conditions.tree import NUMBER, QuestionShape
from triage.engine.answers import check_answers, json_type_problem, normalise, read_answers_file
from triage.engine.evaluate import evaluate
from triage.engine.flow import Rejected, parse_answer
from triage.pack.compiled import CompiledPack
from triage.pack.load import load_pack
from triage.problems import ProblemsError
from triage.untrusted import InputError, strict_json, whole_number
from triage.web import screening

MINIMAL_PACK = load_pack(MINIMAL, use_cache=False)
AGE_SPEC = MINIMAL_PACK.question_by_id["age"]  # a whole number from 0 to 120, in years
AGE = AGE_SPEC.shape
assert (AGE.min, AGE.max, AGE.integer) == (0, 120, True)
TENTHS = QuestionShape("temp", NUMBER, (), 30, 45, False)

# digits, the characters of numbers, and what str.isdigit() or float() also take
CHARS = st.sampled_from([*"0123456789", *"0159", ".", ".", "-", "+", "e", "E", " ", ",", "_",
                         "\u00b2", "\u2460", "\u0663", "\uff18", "\u2003", "\u00a0", "\t", "x"])
TEXTS = st.one_of(
    st.lists(CHARS, max_size=40).map("".join),
    st.from_regex(r"\A *[-+]?(?:[0-9]{1,25}(?:\.[0-9]{0,25})?|\.[0-9]{1,25})"
                  r"(?:[eE][-+]?[0-9]{1,4})? *\Z").filter(lambda t: len(t) <= 40),
    st.sampled_from(["15", "16", "15.99999999999999999", "1599999999999999999e-17",
                     "1e-99999999999999999999", "9" * 39, "1e400", "120.0", "-0", "0120"]),
)
_NUMBER = re.compile(r"([-+]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([-+]?[0-9]+))?")


def exact(text: str, *, exponent: bool = True) -> Fraction | str:
    """The number ``text`` writes, exactly, or "digits" (no number written with the digits
    0-9): the reference every entry point is held against."""
    stripped = text.strip()
    match = _NUMBER.fullmatch(stripped) if len(text) <= 40 and stripped.isascii() else None
    if match is None or not (match[2] or match[3]) or (match[4] is not None and not exponent):
        return "digits"
    sign, whole, fraction, power = match[1], match[2], match[3] or "", int(match[4] or 0)
    digits = int(whole + fraction or "0")
    if digits == 0:
        return Fraction(0)
    power -= len(fraction)
    if power > 50:  # too large for any bound here (and for 10**power to be worked out)
        return Fraction(10**50 * (-1 if sign == "-" else 1))
    if power < -100:  # a fraction (not 0: the digits are not all 0)
        return Fraction(1, 10**60)
    return Fraction(digits) * Fraction(10) ** power * (-1 if sign == "-" else 1)


def expected(text: str, shape: QuestionShape = AGE, *, exponent: bool = True) -> Any:
    """(the answer, "") or (None, why): "digits", "whole", "range"."""
    number = exact(text, exponent=exponent)
    if isinstance(number, str):
        return None, number
    if shape.integer and number.denominator != 1:
        return None, "whole"
    assert shape.min is not None and shape.max is not None
    if not shape.min <= number <= shape.max:
        return None, "range"
    if Fraction(repr(float(number))) != number:
        # its float is another number, which a bound would be compared with (H40)
        return None, "precise"
    return (int(number) if shape.integer else float(number)), ""


def kind(message: str) -> str:
    for words, why in (("digits 0-9", "digits"), ("whole number", "whole"),
                       ("out of range", "range"), ("significant digits", "precise"),
                       ("takes a number", "number")):
        if words in message:
            return why
    raise AssertionError(message)


def from_file(value: Any, shape: QuestionShape = AGE) -> Any:
    normal, why = normalise(shape, value)
    return (None, kind(why)) if why else (normal, "")


def from_cell(text: str) -> Any:
    answers: dict[str, Any] = {}
    problems: list[_Bad] = []
    cell = text.strip()
    known = _known_cells(AGE)
    if cell in known:
        return known[cell], ""
    _parse_cell(_csv_parser(AGE), "age", text, answers, problems)
    if not cell:
        return None, "digits"  # an empty cell is no answer (nor a number)
    return (None, kind(str(problems[0]))) if problems else (answers["age"], "")


TYPED = {"number_expected": "digits", "whole_number_expected": "whole",
         "number_comma_grouped": "grouped",
         "out_of_range": "range", "empty_answer": "digits", "web_type_number": "digits",
         "too_precise": "precise"}


def typed(result: Any) -> Any:
    return (None, TYPED[result.key]) if isinstance(result, Rejected) else (result, "")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS)
@example(text="15.99999999999999999")
@example(text="\u00b2")
@example(text="9" * 39)
def test_every_entry_point_reads_a_number_the_same_way(text: str) -> None:
    want = expected(text)
    # an answers file or a stored session: the text as a string, in YAML or JSON
    assert from_file(text) == want
    assert from_file(read_answers_file(None, json.dumps({"age": text}).encode())["age"]) == want
    # a JSON number (where the text is one), as a file, a batch JSONL line or the API read it
    try:
        number = strict_json(text)
    except InputError:
        number = None
    if isinstance(number, int | float) and not isinstance(number, bool):
        assert from_file(number) == want
    # the same number written in a YAML file, where it reads as YAML at all
    try:
        value = read_answers_file(None, f"age: {text}\n".encode())["age"]
    except (ProblemsError, TypeError):
        value = None
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        assert from_file(value) == want
    # a batch CSV cell (the quick paths, then the reference path)
    assert from_cell(text) == want
    # typed at the terminal or on the web page: no exponent ("1e1" is a slip); a French
    # decimal comma is a point
    if not text.strip():
        return
    as_typed = text.replace(",", ".") if "," in text and "." not in text else text
    want_typed = expected(as_typed.casefold(), exponent=False)
    if re.fullmatch(r"[-+]?[0-9]{1,3}(,[0-9]{3})+", text.strip()):
        want_typed = (None, "grouped")  # "1,000": a thousand or one, no telling
    assert typed(parse_answer(AGE_SPEC, text, "en")) == want_typed
    assert typed(screening.read_answer(AGE_SPEC, [text], "en", {})) == want_typed


@settings(max_examples=200, deadline=None)
@given(text=TEXTS)
def test_a_decimal_question_reads_numbers_as_files_do(text: str) -> None:
    value, why = from_file(text, TENTHS)
    if expected(text, TENTHS)[1] == "range" and not why:
        # the float of a number just past a bound is the bound (45.0000000000000001): a
        # decimal answer is a float, as the rules compare it
        assert float(exact(text)) in (30.0, 45.0)
    else:
        assert (value, why) == expected(text, TENTHS)


@settings(max_examples=300, deadline=None)
@given(text=st.lists(CHARS, max_size=42).map("".join))
def test_whole_numbers_are_the_digits_0_to_9_only(text: str) -> None:
    """The choices typed by number, the review, a port, a Content-Length, a retention."""
    want = int(text) if re.fullmatch(r"[0-9]{1,40}", text) else None
    assert whole_number(text) == want
    area = MINIMAL_PACK.question_by_id["area"]  # three choices
    chosen = parse_answer(area, text, "en")
    stripped = text.strip()
    number = int(stripped) if re.fullmatch(r"[0-9]{1,40}", stripped) else None
    if number is not None and 1 <= number <= 3:
        assert chosen == area.options[number - 1].id
    else:
        assert isinstance(chosen, Rejected)


# the arm signs: a child's shoulder is asked them, injury or not (pack 0.2.16), and any age
# can be drawn; at 16 or over the answer is not used
THERAPY = {"emergency_signs": [], "areas": ["shoulder"], "today_signs": [],
           "health_history": [], "injury": "none", "duration": "under_6_weeks",
           "other_symptoms": [], "reasons": ["strain"], "conditions": [],
           "recent_stroke_signs": "no", "exertion_pain": "no", "arm_injury_signs": [],
           "head_injury": "no",  # asked at 65 or over with no injury too (pack 0.2.22)
           "pmr_signs": "no"}  # asked at 50 or over with a shoulder (pack 0.2.23)


@functools.cache
def api() -> tuple[Any, CompiledPack, dict[str, Any]]:
    """A client of the web app on the bundled pack, that pack, and the other answers."""
    from tests.web.conftest import make_client

    clinical = load_pack(None, use_cache=False)
    normal, problems = check_answers(THERAPY, clinical.shapes)
    assert not problems
    return make_client(clinical), clinical, normal


def posted(age: str) -> Any:
    client = api()[0]
    body = json.dumps({"answers": {**THERAPY, "age": 0}}).replace('"age": 0', f'"age": {age}')
    return client.post("/api/assess", content=body.encode(),
                       headers={"content-type": "application/json"})


@settings(max_examples=150, deadline=None)
@given(text=TEXTS)
@example(text="15.99999999999999999")
@example(text="1599999999999999999e-17")
@example(text="9" * 39)
def test_the_api_reads_a_number_as_files_do(text: str) -> None:
    _, clinical, others = api()
    want = expected(text)
    try:
        strict_json(text)
        forms = [json.dumps(text), text]  # as a JSON text, and as a JSON number
    except InputError:
        forms = [json.dumps(text)]
    for form in forms:
        response = posted(form)
        value = strict_json(form)
        if value is not None and (isinstance(value, bool)
                                  or not isinstance(value, int | float)):
            # a number as a JSON string (or any other JSON type): the API takes JSON types
            assert response.status_code == 422, form
            assert response.json()["problems"] == [
                f"age: {json_type_problem(clinical.shapes['age'], value)}"], form
            assert "takes a JSON number, not" in response.json()["problems"][0]
            continue
        if want[1]:
            assert response.status_code == 422, form
            assert [kind(p) for p in response.json()["problems"]] == [want[1]], form
        else:
            assert response.status_code == 200, form
            outcome = evaluate(clinical, {**others, "age": want[0]})
            assert response.json()["disposition"] == outcome.disposition, form
