"""Number answers that Python can parse but that are not numbers a caller could give."""

from __future__ import annotations

import pytest

from triage.conditions.tree import NUMBER, QuestionShape
from triage.engine.answers import normalise

WHOLE = QuestionShape("age", NUMBER, (), 0, 120, True)
DECIMAL = QuestionShape("temp", NUMBER, (), None, None, False)


@pytest.mark.parametrize("shape", [WHOLE, DECIMAL])
@pytest.mark.parametrize("value", ["inf", "-inf", "nan", float("nan")])
def test_non_numbers_are_refused_not_crashing(shape: QuestionShape, value: object) -> None:
    normal, why = normalise(shape, value)
    assert normal is None
    assert "takes a number" in why


@pytest.mark.parametrize("value", ["1e999", float("inf"), -float("inf"), 10**400, 10**38,
                                   "9" * 39, -(10**38)])
def test_numbers_too_large_are_out_of_range_not_crashing(value: object) -> None:
    """Audit finding 12: a 39-digit age is a number, past the range, not "a whole number"
    (float() rounded it: float(10**38 + 1) != 10**38 + 1); nor is 1e999 no number."""
    assert normalise(WHOLE, value) == (None, "the answer given is out of range for 'age' "
                                             "(0 to 120)")
    if isinstance(value, int) and abs(value) < 10**300:
        assert normalise(DECIMAL, value) == (value, "")  # no bounds: a number as any other
    elif not isinstance(value, str) or "e" in value:
        assert normalise(DECIMAL, value) == (None, "'temp' takes a number")  # no float holds it


def test_a_39_digit_age_in_a_file_is_out_of_range() -> None:
    from triage.engine.answers import read_answers_file

    for raw in ('{"age": ' + "9" * 39 + "}", "age: " + "9" * 39 + "\n"):
        value = read_answers_file(None, raw.encode())["age"]
        assert normalise(WHOLE, value)[1] == ("the answer given is out of range for 'age' "
                                              "(0 to 120)")


def test_finite_numbers_still_accepted() -> None:
    assert normalise(WHOLE, "42") == (42, "")
    assert normalise(WHOLE, 42.0) == (42, "")
    assert normalise(DECIMAL, "37.5") == (37.5, "")
    assert normalise(DECIMAL, 10**30) == (10**30, "")


@pytest.mark.parametrize("text", ["15.99999999999999999", "15.9999999999999999999999",
                                  "1.59999999999999999e1", "16.00000000000000001",
                                  "1599999999999999999e-17", "1e-99999999999999999999999999999"])
def test_a_fraction_that_a_float_rounds_away_is_not_a_whole_number(text: str) -> None:
    """Audit finding 7: 15.99999999999999999 is the float 16.0, but not an age of 16 (15
    gives another result), in a CSV cell, a JSON file or a YAML file alike."""
    from triage.engine.answers import read_answers_file

    assert normalise(WHOLE, text) == (None, "'age' takes a whole number")
    for raw in (f'{{"age": {text}}}', f"age: {text}\n"):
        value = read_answers_file(None, raw.encode())["age"]
        assert normalise(WHOLE, value) == (None, "'age' takes a whole number")
        # nor a temperature of 16: its float is another number than the one written, which
        # a bound of 16 would be compared with (H40)
        assert normalise(DECIMAL, value) == (
            None, "'temp' takes a number of at most 15 significant digits")


@pytest.mark.parametrize("text", ["16", "16.0", "16.000", "1.6e1", "160e-1"])
def test_whole_numbers_written_with_a_point_or_exponent_are_whole(text: str) -> None:
    from triage.engine.answers import read_answers_file

    assert normalise(WHOLE, text) == (16, "")
    for raw in (f'{{"age": {text}}}', f"age: {text}\n"):
        assert normalise(WHOLE, read_answers_file(None, raw.encode())["age"]) == (16, "")
